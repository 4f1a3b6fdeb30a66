"""Findings a person can act on: where each copy sits, one finding per library, real types."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypi import make_venv, pypi_file

from ..cli.helpers import assay
from ..enrich.bundled_wheelset import ML, WHEELS

CRYPTOGRAPHY = ("cryptography-50.0.2-cp311-abi3-manylinux_2_34_x86_64.whl",
                "9dab55f57c74c3cad24c323bacbbd04be4705ba6eb0d92e920b1fc4837ed5079")
PILLOW = f"Pillow-10.0.0-cp311-cp311-{ML}.whl"


@pytest.fixture(scope="module")
def idna_db(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    db = tmp_path_factory.mktemp("db") / "v.sqlite"
    vulns = shared_data / "osv" / "pypa" / "vulns"
    r = assay("db", "import", str(vulns / "idna"), str(vulns / "setuptools"), str(shared_data / "nvd"),
              "--db", str(db))
    assert r.returncode == 0, r.stderr
    return db


def test_each_copy_of_a_project_is_its_own_finding_saying_where_it_sits(idna_db: Path,
                                                                        tmp_path: Path) -> None:
    # idna 3.4 installed, and idna 3.4 vendored inside pip 23.2.1: PYSEC-2024-60 applies to both
    venv = make_venv("placement-pip2321-idna34-v1", "pip==23.2.1", "idna==3.4")
    r = assay("audit", str(venv), "--db", str(idna_db), "-f", "json", "--no-bundled", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    r = assay("audit", str(venv), "--db", str(idna_db), "-f", "json", cwd=tmp_path)
    findings = [f for f in json.loads(r.stdout)["findings"] if f["id"] == "PYSEC-2024-60"]
    places = [f["component"]["location"] for f in findings]
    assert len(places) == len(set(places)) >= 2  # every copy told apart
    site = str(next(venv.glob("lib/python3*/site-packages")))
    assert f"installed in {site}" in places
    assert f"inside pip 23.2.1 (vendored), installed in {site}" in places
    ensurepip = [p for p in places if "ensurepip wheel of" in p]
    for p in ensurepip:  # when the base Python ships ensurepip's wheels, their copy is named too
        assert p.startswith("inside pip ") and "(vendored), ensurepip wheel of cpython" in p

    r = assay("audit", str(venv), "--db", str(idna_db), "-f", "sarif", cwd=tmp_path)
    results = [res for res in json.loads(r.stdout)["runs"][0]["results"] if res["ruleId"] == "PYSEC-2024-60"]
    prints = [res["partialFingerprints"]["assayFinding/v2"] for res in results]
    assert len(prints) == len(set(prints)) == len(findings)
    uris = [res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for res in results]
    assert not any(u.endswith("vendor.txt") for u in uris)
    assert any(u.endswith("/pip/_vendor") for u in uris)  # the vendored copy is where it lives
    assert all("vendored" in res["message"]["text"] or "installed in" in res["message"]["text"]
               for res in results)

    r = assay("audit", str(venv), "--db", str(idna_db), "-f", "table", cwd=tmp_path)
    assert "inside pip 23.2.1 (vendored)" in r.stdout


def test_sarif_locations_are_relative_to_the_repository(idna_db: Path, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # a repository's top
    sub = tmp_path / "service"
    sub.mkdir()
    (sub / "requirements.txt").write_text("idna==3.4\n")
    r = assay("audit", "requirements.txt", "--db", str(idna_db), "-f", "sarif", cwd=sub)
    run = json.loads(r.stdout)["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "service/requirements.txt", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == f"file://{tmp_path}/"


def test_one_library_in_several_files_is_one_component_and_one_finding(idna_db: Path, tmp_path: Path) -> None:
    wheel = pypi_file(PILLOW, WHEELS[PILLOW])
    r = assay("sbom", str(wheel), "-f", "json", cwd=tmp_path)
    webp = [c for c in json.loads(r.stdout)["components"] if c["cpes"] and ":libwebp:" in c["cpes"][0]]
    assert [(c["name"], c["version"]) for c in webp] == [("libwebp", "1.3.1")]
    files = {e["location"].rsplit("/", 1)[-1].split("-")[0] for e in webp[0]["evidence"]}
    assert {"libwebp", "libwebpmux", "libwebpdemux"} <= files  # each file is evidence
    r = assay("audit", str(wheel), "--db", str(idna_db), "-f", "json", cwd=tmp_path)
    doc = json.loads(r.stdout)
    assert [f["id"] for f in doc["findings"]].count("CVE-2023-4863") == 1
    assert doc["summary"]["findings"] == len(doc["findings"])
    cve = next(f for f in doc["findings"] if f["id"] == "CVE-2023-4863")
    assert cve["component"]["location"] == "inside Pillow 10.0.0 (bundled)"


def test_crates_from_an_embedded_sbom_are_cargo_libraries(tmp_path: Path) -> None:
    wheel = pypi_file(*CRYPTOGRAPHY)
    r = assay("sbom", str(wheel), "-f", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    comps = json.loads(r.stdout)["components"]
    kinds = {c["name"]: c["kind"] for c in comps}
    assert kinds["pyo3"] == kinds["asn1"] == "cargo-library"
    assert kinds["openssl"] in ("native-library", "cargo-library")
    crates = [c for c in comps if c["kind"] == "cargo-library"]
    assert crates and all(c["purl"].startswith("pkg:cargo/") for c in crates)
    # build-only crates (scope "excluded" in the embedded SBOM) are not in the wheel: left out
    assert "cc" not in kinds and "pyo3-build-config" not in kinds
    # the OpenSSL the bytes prove is not given the version of the Rust crate that wraps it
    native = [c for c in comps if c["kind"] == "native-library" and c["name"] == "openssl"]
    assert native and all(not c["version"].startswith("0.") for c in native)

    cdx = json.loads(assay("sbom", str(wheel), "-f", "cyclonedx-json", cwd=tmp_path).stdout)
    pyo3 = next(c for c in cdx["components"] if c["name"] == "pyo3")
    assert pyo3["type"] == "library" and pyo3["purl"].startswith("pkg:cargo/pyo3@")
    spdx = json.loads(assay("sbom", str(wheel), "-f", "spdx-json", cwd=tmp_path).stdout)
    assert next(p for p in spdx["packages"] if p["name"] == "pyo3")["primaryPackagePurpose"] == "LIBRARY"
    # read back: assay's own document keeps the kind, and a third-party one infers it from the purl
    own = tmp_path / "own.cdx.json"
    own.write_text(json.dumps(cdx))
    again = json.loads(assay("sbom", str(own), "-f", "json", cwd=tmp_path).stdout)
    assert next(c for c in again["components"] if c["name"] == "pyo3")["kind"] == "cargo-library"
    third = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
             "components": [{"type": "library", "name": "syn", "version": "2.0.1",
                             "purl": "pkg:cargo/syn@2.0.1"}]}
    (tmp_path / "third.cdx.json").write_text(json.dumps(third))
    read = json.loads(assay("sbom", str(tmp_path / "third.cdx.json"), "-f", "json", cwd=tmp_path).stdout)
    assert next(c for c in read["components"] if c["name"] == "syn")["kind"] == "cargo-library"
