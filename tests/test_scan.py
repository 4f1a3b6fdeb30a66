"""assay scan end to end: every document written and valid, offline, on a real venv."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pypi import make_venv


@pytest.fixture(scope="session")
def pillow_env() -> Path:
    # Pillow 10.0.0: a PyPI advisory of its own and libwebp 1.3.1 inside (CVE-2023-4863)
    return make_venv("scan-pillow-v1", "--only-binary=:all:", "pillow==10.0.0")


def scan(target: Path, out: Path, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSAY_OFFLINE": "1", "ASSAY_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "assay", "scan", str(target), "--out", str(out), *extra],
                          capture_output=True, text=True, env=env)


@pytest.mark.slow
def test_scan_writes_every_document_and_finds_pillow_and_libwebp(pillow_env, shared_data, tmp_path):
    out = tmp_path / "out"
    r = scan(pillow_env, out, tmp_path / "db.sqlite", "--advisories", str(shared_data))
    assert r.returncode == 1, r.stderr  # findings
    names = sorted(p.name for p in out.iterdir())
    assert names == ["audit.json", "audit.md", "audit.sarif", "integrity.json", "inventory.json",
                     "report.html", "sbom.cdx.json", "sbom.spdx.json"]
    findings = json.loads((out / "audit.json").read_text())["findings"]
    by_component = {}
    for f in findings:
        ids = {f["id"], *f["aliases"]}
        by_component.setdefault(f["component"]["name"].lower(), set()).update(ids)
    assert "PYSEC-2023-175" in by_component["pillow"]
    assert "CVE-2023-4863" in by_component["libwebp"]
    cdx = json.loads((out / "sbom.cdx.json").read_text())
    assert cdx["specVersion"] == "1.6"
    refs = {c["bom-ref"] for c in cdx["components"]}
    assert any(a["ref"] in refs for v in cdx["vulnerabilities"] for a in v["affects"])
    assert json.loads((out / "integrity.json").read_text())["clean"] is True
    assert json.loads((out / "sbom.spdx.json").read_text())["spdxVersion"] == "SPDX-2.3"


def test_scan_without_advisory_data_says_so(tmp_path):
    env = make_venv("scan-small-v1", "six==1.16.0")
    r = scan(env, tmp_path / "out", tmp_path / "empty.sqlite")
    assert r.returncode == 0, r.stderr
    assert "no advisory data" in r.stderr
    assert (tmp_path / "out" / "sbom.spdx.json").exists()
    assert not (tmp_path / "out" / "audit.json").exists()
