"""pip install --report as a source, and PEP 710 provenance recorded from it (real install)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assay.catalog import load
from assay.model import RelType
from pypi import CACHE, make_venv

KEY = "pip-report-v1"


@pytest.fixture(scope="session")
def installed() -> tuple[Path, Path]:
    report = CACHE / "venvs" / f"{KEY}.report.json"
    env = make_venv(KEY, "--report", str(report), "requests[socks]==2.31.0", "six==1.16.0")
    return env, report


def assay(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True, text=True)


def test_report_as_source(installed):
    _env, report = installed
    g = load(str(report))
    data = json.loads(report.read_text())
    assert {c.name.lower() for c in g.packages()} == {i["metadata"]["name"].lower() for i in data["install"]}
    requests = g.by_name("requests")[0]
    assert requests.version == "2.31.0"
    assert requests.prop("assay:requested") == "true"
    assert requests.prop("assay:requested_extras") == "socks"
    item = next(i for i in data["install"] if i["metadata"]["name"] == "requests")
    assert requests.download_location == item["download_info"]["url"]
    assert {h.alg: h.value for h in requests.hashes} == item["download_info"]["archive_info"]["hashes"]
    # the extra the user asked for is followed: requests -> PySocks through 'socks'
    edges = {g.components[r.target].name.lower(): r for r in g.outgoing(requests.id, RelType.DEPENDS_ON)}
    assert edges["pysocks"].prop("extra") == "socks"
    assert g.by_name("urllib3")[0].prop("assay:requested") == "false"


def test_provenance_record_then_sbom_carries_url_and_hash(installed, tmp_path):
    env, report = installed
    copy = tmp_path / "venv"
    shutil.copytree(env, copy, symlinks=True)
    site = next(copy.glob("lib/python*/site-packages"))
    r = assay("provenance", "record", str(report), str(site))
    assert r.returncode == 0, r.stderr
    data = json.loads(report.read_text())
    for item in data["install"]:
        name = item["metadata"]["name"]
        meta = next(p for p in site.glob("*.dist-info")
                    if p.name.lower().startswith(name.lower().replace("-", "_") + "-"))
        prov = json.loads((meta / "provenance_url.json").read_text())
        assert prov["url"] == item["download_info"]["url"]
        assert prov["archive_info"]["hashes"] == item["download_info"]["archive_info"]["hashes"]
        assert f"{meta.name}/provenance_url.json,sha256=" in (meta / "RECORD").read_text()
    # RECORD was updated with the right hash and size: integrity stays clean
    r = assay("integrity", str(site), "-f", "json")
    assert r.returncode == 0, r.stdout
    g = load(str(site), bundled=False)
    from_report = {i["metadata"]["name"].lower() for i in data["install"]}
    for comp in g.packages(["python-package"]):
        if comp.name.lower() in from_report:
            assert comp.hashes and comp.download_location, comp.name
        else:  # pip and setuptools came from ensurepip, not from the report
            assert not comp.hashes
    # running it again changes nothing
    r = assay("provenance", "record", str(report), str(site))
    assert r.returncode == 0 and "unchanged" in r.stderr


def test_not_a_report_is_a_one_line_error(tmp_path):
    bad = tmp_path / "report.json"
    bad.write_text('{"install": "nope", "version": "1"}')
    r = assay("provenance", "record", str(bad), str(tmp_path))
    assert r.returncode == 2
    assert "report.json" in r.stderr and len(r.stderr.strip().splitlines()) == 1
