"""Auditing CPython: PSF advisories for the interpreter however it is named (an interpreter scan,
a source tarball, someone else's SBOM, the PSF's own release SBOM format, assay's SBOM read
back), and NVD CVEs for the libraries an installed interpreter actually runs with."""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assay import catalog
from assay.audit import audit_graph
from assay.formats import render
from assay.formats.documents import read_document
from assay.model import Graph

from ..vulndb.storehelp import cpython, shared_store_path
from .cpython_fixtures import tarball


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    return shared_store_path(tmp_path_factory, shared_data)


def _psf(result) -> tuple[set[str], set[str]]:
    found = {f.id for f in result.findings if f.id.startswith("PSF-")}
    undecided = {u.advisory for u in result.unresolved if u.advisory.startswith("PSF-")}
    return found, undecided


def _interpreter_392(db: Path) -> tuple[set[str], set[str]]:
    g = Graph()
    comp = cpython("3.9.2")
    g.add(comp)
    g.root = comp.id
    return _psf(audit_graph(g, db=db))


CDX_APPLICATION = {
    "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
    "components": [{"type": "application", "name": "python", "version": "3.9.2", "bom-ref": "py",
                    "purl": "pkg:generic/python@3.9.2",
                    "cpe": "cpe:2.3:a:python:python:3.9.2:*:*:*:*:*:*:*"}]}
CDX_LIBRARY = {
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "components": [{"type": "library", "name": "CPython", "version": "3.9.2", "bom-ref": "cp",
                    "purl": "pkg:generic/cpython@3.9.2"}]}
# the shape of the PSF's release SBOMs: "CPython", a CPE and no purl, purpose SOURCE
SPDX_RELEASE = {
    "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "CPython SBOM",
    "documentNamespace": "https://www.python.org/ftp/python/3.9.2/Python-3.9.2.tgz.spdx.json",
    "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Person: Python Release Managers"]},
    "packages": [{"SPDXID": "SPDXRef-PACKAGE-cpython", "name": "CPython", "versionInfo": "3.9.2",
                  "downloadLocation": "https://www.python.org/ftp/python/3.9.2/Python-3.9.2.tgz",
                  "primaryPackagePurpose": "SOURCE", "licenseConcluded": "PSF-2.0",
                  "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                                    "referenceLocator": "cpe:2.3:a:python:python:3.9.2:*:*:*:*:*:*:*"}]}],
    "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                       "relatedSpdxElement": "SPDXRef-PACKAGE-cpython"}]}
# an SPDX document naming it by CPE only, under another name
SPDX_CPE_ONLY = json.loads(json.dumps(SPDX_RELEASE).replace('"name": "CPython"', '"name": "Python 3.9"'))


@pytest.mark.parametrize("doc", [CDX_APPLICATION, CDX_LIBRARY, SPDX_RELEASE, SPDX_CPE_ONLY],
                         ids=["cdx-application", "cdx-library-cpython", "spdx-psf-release", "spdx-cpe-only"])
def test_sbom_naming_cpython_gets_the_interpreters_psf_findings(doc, db: Path) -> None:
    want = _interpreter_392(db)
    assert len(want[0]) >= 10  # 3.9.2 has many PSF advisories decided by the commit table
    graph, _fmt = read_document(doc, "doc.json")
    assert _psf(audit_graph(graph, db=db)) == want


def test_tarball_and_assays_own_sbom_audit_like_the_interpreter(db: Path, tmp_path: Path) -> None:
    want = _interpreter_392(db)
    g = catalog.load(tarball("3.9.2"))
    assert _psf(audit_graph(g, db=db)) == want
    for fmt in ("cyclonedx-json", "spdx-json"):
        path = tmp_path / f"sbom.{fmt}"
        path.write_text(render("sbom", fmt, g))
        assert _psf(audit_graph(catalog.load(path), db=db)) == want, fmt


def _embedded_expat(exe: str) -> tuple[str, str] | None:
    """(pyexpat path, the expat version its bytes hold) when pyexpat carries its own copy."""
    for path in glob.glob(os.path.join(os.path.dirname(os.path.dirname(exe)), "lib", "python*",
                                       "lib-dynload", "pyexpat*.so")):
        m = re.search(rb"expat_(\d+\.\d+\.\d+)\x00", Path(path).read_bytes())
        if m:
            return path, m.group(1).decode()
    return None


def test_audit_of_an_interpreter_reports_its_runtime_library_cves(db: Path) -> None:
    """CVE-2021-46143 (expat < 2.4.3) for an interpreter whose pyexpat holds an old expat."""
    candidates = sorted(glob.glob("/root/.pyenv/versions/*/bin/python3.[0-9]*")
                        + glob.glob("/usr/local/bin/python3.[0-9]*"))
    chosen = None
    for exe in candidates:
        if not re.fullmatch(r".*/python3\.\d+", exe):
            continue
        found = _embedded_expat(exe)
        if found and tuple(map(int, found[1].split("."))) < (2, 4, 3):
            chosen = (exe, *found)
            break
    if chosen is None:
        pytest.skip("no interpreter here runs an expat older than 2.4.3")
    exe, pyexpat, version = chosen
    proc = subprocess.run([sys.executable, "-m", "assay", "audit", exe, "--db", str(db), "-f", "json"],
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    hits = [f for f in report["findings"] if f["id"] == "CVE-2021-46143"]
    assert hits, [f["id"] for f in report["findings"]]
    comp = hits[0]["component"]
    assert (comp["name"], comp["version"]) == ("expat", version)
    # the evidence says where the version came from: pyexpat's own bytes, and the interpreter's answer
    assert os.path.realpath(pyexpat) in hits[0]["evidence"] or "pyexpat" in hits[0]["evidence"]
    assert any(f["id"].startswith("PSF-") for f in report["findings"])
