"""`assay audit` and `assay db` as a user runs them (subprocesses, real exit codes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

REQUIREMENTS = """\
# what a user pins
Pillow==10.0.0 \\
    --hash=sha256:1f62406a884ae75fb2f818694469519fb685cc7eaff05d3451a9ebe55c646891
urllib3==1.26.4
requests>=2.0   # not pinned: reported, not guessed
"""


def run(*args: str, cwd: Path, db: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "ASSAY_OFFLINE": "1", **env}
    full_env.pop("ASSAY_DB", None)
    if db is not None:
        full_env["ASSAY_DB"] = str(db)
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True, text=True,
                          cwd=cwd, env=full_env, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "requirements.txt").write_text(REQUIREMENTS)
    return tmp_path


def test_json_has_the_documented_shape_and_exit_1(project: Path, shared_db: Path) -> None:
    r = run("audit", "requirements.txt", "-f", "json", cwd=project, db=shared_db)
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert {"findings", "ignored", "fix_advice", "skipped", "unresolved", "warnings", "summary",
            "database"} <= set(doc)
    for f in doc["findings"]:
        assert set(f) == {"id", "aliases", "component", "fixed_versions", "severity", "source", "evidence"}
        assert set(f["component"]) == {"name", "version", "purl", "location"}
    pillow = [f for f in doc["findings"] if f["component"]["name"] == "Pillow"]
    assert [f["id"] for f in pillow] == ["PYSEC-2023-175"]
    assert pillow[0]["component"]["purl"] == "pkg:pypi/pillow@10.0.0"
    assert pillow[0]["fixed_versions"] == ["10.0.1"]
    urllib3 = {f["id"]: f for f in doc["findings"] if f["component"]["name"] == "urllib3"}
    assert urllib3["PYSEC-2023-192"]["severity"] == "high"
    assert "CVE-2023-43804" in urllib3["PYSEC-2023-192"]["aliases"]
    advice = {a["name"]: a["fix_version"] for a in doc["fix_advice"]}
    assert advice == {"Pillow": "10.0.1", "urllib3": "1.26.18"}
    assert doc["summary"]["audited"] == 2
    assert "requests>=2.0" in r.stderr  # the unpinned requirement is said, not guessed


def test_clean_requirements_exit_0(tmp_path: Path, shared_db: Path) -> None:
    (tmp_path / "requirements.txt").write_text("Pillow==10.0.1\nurllib3==2.2.3\n")
    r = run("audit", "requirements.txt", cwd=tmp_path, db=shared_db)
    assert r.returncode == 0, r.stderr
    assert "No known vulnerabilities" in r.stdout


def test_expired_ignore_comes_back_with_a_warning(project: Path, shared_db: Path) -> None:
    past = date.today() - timedelta(days=1)
    future = date.today() + timedelta(days=30)
    (project / "pyproject.toml").write_text(f"""\
[tool.assay]
ignore = [
  {{ id = "PYSEC-2023-175", reason = "we never decode WebP", until = {past.isoformat()} }},
  {{ id = "CVE-2023-43804", reason = "no cookies cross origins here", until = {future.isoformat()} }},
  {{ id = "PYSEC-2023-212", reason = "request bodies are never redirected" }},
]
""")
    r = run("audit", "requirements.txt", "-f", "json", cwd=project, db=shared_db)
    doc = json.loads(r.stdout)
    active = {f["id"] for f in doc["findings"]}
    ignored = {f["id"]: f["reason"] for f in doc["ignored"]}
    assert "PYSEC-2023-175" in active  # expired yesterday: back
    assert ignored == {"PYSEC-2023-192": "no cookies cross origins here",  # matched by its CVE alias
                       "PYSEC-2023-212": "request bodies are never redirected"}
    assert any("PYSEC-2023-175" in w and "expired" in w for w in doc["warnings"])
    assert "expired" in r.stderr and "PYSEC-2023-175" in r.stderr
    assert r.returncode == 1


def test_fail_on_threshold(tmp_path: Path, shared_db: Path) -> None:
    # urllib3 2.0.5: PYSEC-2023-192 (high, fixed 2.0.6) and PYSEC-2023-212 (medium, fixed 2.0.7)
    (tmp_path / "requirements.txt").write_text("urllib3==2.0.6\n")
    r = run("audit", "requirements.txt", "-f", "json", "--fail-on", "high", cwd=tmp_path, db=shared_db)
    doc = json.loads(r.stdout)
    assert [f["severity"] for f in doc["findings"]] == ["medium"]
    assert r.returncode == 0
    r = run("audit", "requirements.txt", "--fail-on", "medium", cwd=tmp_path, db=shared_db)
    assert r.returncode == 1
    (tmp_path / "assay.toml").write_text('fail-on = "critical"\n')
    assert run("audit", "requirements.txt", cwd=tmp_path, db=shared_db).returncode == 0
    assert run("audit", "requirements.txt", cwd=tmp_path, db=shared_db, ASSAY_FAIL_ON="low").returncode == 1


def test_sarif_and_markdown(project: Path, shared_db: Path) -> None:
    r = run("audit", "requirements.txt", "-f", "sarif", "-o", "audit.sarif", cwd=project, db=shared_db)
    assert r.returncode == 1 and r.stdout == ""
    sarif = json.loads((project / "audit.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    assert run_["tool"]["driver"]["name"] == "assay"
    rules = {rule["id"] for rule in run_["tool"]["driver"]["rules"]}
    assert {res["ruleId"] for res in run_["results"]} == rules
    pillow = next(res for res in run_["results"] if res["ruleId"] == "PYSEC-2023-175")
    loc = pillow["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("requirements.txt")
    assert loc["physicalLocation"]["region"]["startLine"] == 2  # the Pillow line
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "pkg:pypi/pillow@10.0.0"
    md = run("audit", "requirements.txt", "-f", "markdown", cwd=project, db=shared_db).stdout
    assert "| Severity | Advisory |" in md and "PYSEC-2023-175" in md and "## Fix advice" in md


def test_cyclonedx_vulnerabilities_link_to_components(project: Path, shared_db: Path) -> None:
    r = run("audit", "requirements.txt", "-f", "cyclonedx-json", "--reproducible", cwd=project, db=shared_db)
    assert r.returncode == 1, r.stderr
    bom = json.loads(r.stdout)
    refs = {c["bom-ref"]: c for c in bom.get("components", [])}
    vulns = {v["id"]: v for v in bom["vulnerabilities"]}
    target = vulns["PYSEC-2023-175"]["affects"][0]["ref"]
    assert refs[target]["name"] == "Pillow" and refs[target]["version"] == "10.0.0"
    from ..formats.validators import cyclonedx_errors

    assert cyclonedx_errors(r.stdout) is None


def test_missing_database_says_so(project: Path, tmp_path: Path) -> None:
    r = run("audit", "requirements.txt", cwd=project, db=tmp_path / "none.sqlite")
    assert r.returncode == 3
    assert "none.sqlite" in r.stderr and "assay db import" in r.stderr
    empty = tmp_path / "empty.sqlite"
    from assay.vulndb import Store

    Store(empty).close()
    r = run("audit", "requirements.txt", cwd=project, db=empty)
    assert r.returncode == 3 and "empty" in r.stderr


def test_db_import_and_status(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "v.sqlite"
    table = shared_data / "cpython" / "commit_tags.txt"
    r = run("db", "import", str(shared_data / "osv" / "psf"), str(table), cwd=tmp_path, db=db)
    assert r.returncode == 0, r.stderr
    assert "132 added" in r.stderr
    r = run("db", "status", "-f", "json", cwd=tmp_path, db=db)
    status = json.loads(r.stdout)
    assert status["sources"]["psf"]["advisories"] == 132
    assert status["commit_tables"]["github.com/python/cpython"] > 300
    assert status["imports"][0]["digest"].startswith("sha256:")
    r = run("db", "import", str(tmp_path / "nope"), cwd=tmp_path, db=db)
    assert r.returncode == 2 and "nope" in r.stderr


def test_audit_of_a_cyclonedx_document(tmp_path: Path, shared_db: Path) -> None:
    bom = {
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "metadata": {"component": {"type": "application", "name": "app", "bom-ref": "app"}},
        "components": [
            {"type": "library", "name": "Pillow", "version": "10.0.0", "bom-ref": "pillow",
             "purl": "pkg:pypi/pillow@10.0.0"},
            {"type": "library", "name": "libwebp", "version": "1.3.1", "bom-ref": "webp",
             "cpe": "cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*"},
        ],
    }
    (tmp_path / "bom.cdx.json").write_text(json.dumps(bom))
    r = run("audit", "bom.cdx.json", "-f", "json", cwd=tmp_path, db=shared_db)
    assert r.returncode == 1, r.stderr
    found = {(f["component"]["name"], f["id"]) for f in json.loads(r.stdout)["findings"]}
    assert ("Pillow", "PYSEC-2023-175") in found
    assert ("libwebp", "CVE-2023-4863") in found
