"""PEP 770 --embed: the SBOM written into a wheel reads back equal to what was detected; pip installs it."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import pep770
from assay.enrich.bundled.embed import SBOM_NAME, bundled_subgraph, embed_sbom
from assay.model import Kind
from pypi import pypi_file

from ..formats.validators import cyclonedx_errors
from .bundled_wheelset import ML, WHEELS

PILLOW = f"Pillow-10.0.1-cp311-cp311-{ML}.whl"


def _identity(items) -> set[tuple[str, str | None, str | None, tuple[str, ...]]]:
    return {(c.name, c.version, c.purl, tuple(c.cpes)) for c in items}


def _copy(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copy(pypi_file(name, WHEELS[name]), dest)
    return dest


def _check_record(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        record_name = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
        rows = list(csv.reader(io.StringIO(zf.read(record_name).decode())))
        listed = {r[0] for r in rows if r}
        assert listed == {n for n in zf.namelist() if not n.endswith("/")}
        for name, digest, size in (r for r in rows if r and r[1]):
            data = zf.read(name)
            alg, _, value = digest.partition("=")
            want = base64.urlsafe_b64encode(hashlib.new(alg, data).digest()).rstrip(b"=").decode()
            assert value == want, name
            assert int(size) == len(data), name


def _sbom(graph) -> str:
    from assay.formats import render

    return render("sbom", "cyclonedx-json", bundled_subgraph(graph))


def test_embed_round_trip_and_record(tmp_path: Path) -> None:
    wheel = _copy(tmp_path, PILLOW)
    before = catalog_artifact(wheel)
    detected = bundled_subgraph(before).packages()
    assert len(detected) >= 13
    member = embed_sbom(wheel, _sbom(before))
    assert member.as_posix() == f"Pillow-10.0.1.dist-info/sboms/{SBOM_NAME}"
    _check_record(wheel)
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(member.as_posix()).decode()
        doc = json.loads(text)
        assert doc["bomFormat"] == "CycloneDX" and doc["specVersion"] == "1.6"
        assert cyclonedx_errors(text) is None  # valid against the official schema
        claims, error = pep770.read_sbom(member.as_posix(), zf.read(member.as_posix()))
    assert error is None
    assert _identity(claims) == _identity(detected)
    # scanning the new wheel: every detection is now also backed by the embedded SBOM
    after = catalog_artifact(wheel)
    assert _identity(after.packages()) == _identity(before.packages())
    for comp in after.packages():
        kinds = {e.kind for e in comp.evidence}
        assert "pep770-sbom" in kinds, comp.name
        assert kinds - {"pep770-sbom"}, comp.name  # and by the bytes themselves
    # embedding again replaces our SBOM rather than adding a second one
    embed_sbom(wheel, _sbom(after))
    with zipfile.ZipFile(wheel) as zf:
        assert sum(n.endswith(SBOM_NAME) for n in zf.namelist()) == 1
    _check_record(wheel)


def test_embedded_wheel_installs_with_pip(tmp_path: Path) -> None:
    wheel = _copy(tmp_path, PILLOW)
    embed_sbom(wheel, _sbom(catalog_artifact(wheel)))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--disable-pip-version-check", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    sbom = target / "Pillow-10.0.1.dist-info" / "sboms" / SBOM_NAME
    assert sbom.is_file()
    record = (target / "Pillow-10.0.1.dist-info" / "RECORD").read_text()
    assert f"Pillow-10.0.1.dist-info/sboms/{SBOM_NAME}" in record


def test_cli_embed(tmp_path: Path) -> None:
    wheel = _copy(tmp_path, f"cryptography-41.0.3-cp37-abi3-{ML}.whl")
    out = tmp_path / "sbom.json"
    cmd = [sys.executable, "-m", "assay", "-q", "sbom", str(wheel), "--embed", "-o", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    assert any(c["name"] == "openssl" and c["version"] == "3.1.2" for c in doc["components"])
    with zipfile.ZipFile(wheel) as zf:
        name = f"cryptography-41.0.3.dist-info/sboms/{SBOM_NAME}"
        claims, _ = pep770.read_sbom(name, zf.read(name))
    names = {(c.name, c.version) for c in claims}
    assert ("openssl", "3.1.2") in names  # the C library
    assert ("pyo3", "0.18.3") in names  # and the Rust crates its build paths name


def test_spdx_and_cyclonedx_sboms_in_a_wheel_are_read_and_merged(tmp_path: Path) -> None:
    wheel = _copy(tmp_path, f"cryptography-41.0.3-cp37-abi3-{ML}.whl")
    spdx = {
        "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "documentDescribes": ["SPDXRef-root"],
        "packages": [
            {"SPDXID": "SPDXRef-root", "name": "cryptography", "versionInfo": "41.0.3"},
            {"SPDXID": "SPDXRef-ossl", "name": "OpenSSL", "versionInfo": "3.1.2",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:generic/openssl@3.1.2"}]},
            {"SPDXID": "SPDXRef-rust", "name": "pyo3", "versionInfo": "0.19.2",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:cargo/pyo3@0.19.2"}]},
        ],
    }
    cdx = {"bomFormat": "CycloneDX", "specVersion": "1.6",
           "components": [{"type": "library", "name": "six", "version": "1.16.0",
                           "purl": "pkg:pypi/six@1.16.0"}]}
    with zipfile.ZipFile(wheel, "a") as zf:
        zf.writestr("cryptography-41.0.3.dist-info/sboms/rust.spdx.json", json.dumps(spdx))
        zf.writestr("cryptography-41.0.3.dist-info/sboms/extra.cdx.json", json.dumps(cdx))
        zf.writestr("cryptography-41.0.3.dist-info/sboms/broken.json", "{not json")
    graph = catalog_artifact(wheel)
    by_name = {c.name: c for c in graph.packages()}
    ossl = by_name["openssl"]  # detection and the SBOM agree: one component, both proofs
    assert ossl.version == "3.1.2"
    assert {"version-string", "pep770-sbom"} <= {e.kind for e in ossl.evidence}
    assert by_name["pyo3"].found_by == "bundled.pep770" and by_name["pyo3"].purl == "pkg:cargo/pyo3@0.19.2"
    assert by_name["six"].kind is Kind.VENDORED_PACKAGE
    assert any(u.reason == "unreadable-sbom" for u in graph.unknowns)
