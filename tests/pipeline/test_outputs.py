"""Outputs: the documented JSON shape, SARIF 2.1.0 against the official schema, Mermaid, the
command line (exit codes, --fail-on, ignores with reason and expiry), reproducibility."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from assay.formats import pipeline_json, pipeline_mermaid, pipeline_table
from tests.pipeline.conftest import run, scan, write_tree
from tests.pipeline.test_model import TOKEN
from tests.pypi import CACHE

# The official SARIF 2.1.0 schema (OASIS; as published on schemastore), as shipped inside
# Microsoft's @microsoft/jest-sarif npm package (MIT), fetched with npm and pinned by sha256.
SARIF_TGZ = "microsoft-jest-sarif-1.0.0-beta.0.tgz"
SARIF_TGZ_SHA256 = "748e2c3d1a842e7bb258416685c7ea3a0da40005b72267b2052c2856d48ad102"
CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="session")
def sarif_schema() -> dict:
    dest = CACHE / "npm" / SARIF_TGZ
    if not dest.exists() or hashlib.sha256(dest.read_bytes()).hexdigest() != SARIF_TGZ_SHA256:
        npm = shutil.which("npm")
        assert npm, "npm is needed to fetch the SARIF schema (Debian: apt-get install npm)"
        dest.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "pack", "@microsoft/jest-sarif@1.0.0-beta.0", "--pack-destination",
                        str(dest.parent)], check=True, capture_output=True, timeout=300)
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == SARIF_TGZ_SHA256
    with tarfile.open(dest) as tar:
        member = tar.extractfile("package/lib/schemas/sarif-2.1.0-rtm.5.json")
        assert member is not None
        return json.load(member)


def test_json_has_the_documented_shape(tmp_path: Path) -> None:
    report = scan(tmp_path, TOKEN)
    doc = json.loads(pipeline_json.dumps(report, created=CREATED))
    assert [s["name"] for s in doc["stages"]] == ["source", "build", "sign", "publish", "distribute"]
    for stage in doc["stages"]:
        assert set(stage) >= {"name", "jobs", "threats"}
        for t in stage["threats"]:
            assert set(t) >= {"id", "status", "evidence"} and t["status"] in ("mitigated", "open", "unknown")
    assert doc["findings"]
    for f in doc["findings"]:
        assert set(f) >= {"rule", "severity", "file", "line", "message", "threat", "advice"}
        assert isinstance(f["line"], int) and f["line"] >= 1
    assert doc["created"] == "2026-01-02T03:04:05Z"


def test_json_uses_the_chosen_slsa_labels(tmp_path: Path) -> None:
    from dataclasses import replace

    report = scan(tmp_path, TOKEN)
    v10 = json.loads(pipeline_json.dumps(replace(report, slsa_version="1.0"), created=CREATED))
    unpinned = next(f for f in v10["findings"] if f["rule"] == "unpinned-uses")
    assert unpinned["threat"] == "D"  # v1.0 "use compromised dependency" == v1.1 dependency threats
    build = next(s for s in v10["stages"] if s["name"] == "build")
    assert {t["id"] for t in build["threats"]} >= {"C", "D", "E"}


def test_sarif_validates_against_the_official_schema(tmp_path: Path, sarif_schema: dict) -> None:
    write_tree(tmp_path, TOKEN)
    write_tree(tmp_path, {"pyproject.toml": """
        [tool.assay]
        ignore = [{ id = "no-sbom", reason = "SBOM is attached by the release team" }]
        """})
    r = run("pipeline", ".", "-f", "sarif", "-o", "out.sarif", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    doc = json.loads((tmp_path / "out.sarif").read_text())
    jsonschema.validate(doc, sarif_schema)
    results = doc["runs"][0]["results"]
    assert any(r["ruleId"] == "publish-with-token" and r["locations"][0]["physicalLocation"]["region"]
               ["startLine"] == 11 for r in results)
    suppressed = [r for r in results if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["no-sbom"]


def test_mermaid_and_table(tmp_path: Path) -> None:
    report = scan(tmp_path, TOKEN)
    mer = pipeline_mermaid.dumps(report, created=CREATED)
    assert mer.startswith("flowchart LR") and 'subgraph n_stage_publish["publish"]' in mer
    assert ":::open" in mer and "classDef mitigated" in mer
    table = pipeline_table.dumps(report, created=CREATED)
    assert "publish-with-token" in table and ".github/workflows/release.yml:11" in table
    assert "Release stages x SLSA v1.1 threats" in table


def test_cli_fail_on_and_exit_codes(tmp_path: Path) -> None:
    write_tree(tmp_path, TOKEN)
    assert run("pipeline", ".", cwd=tmp_path).returncode == 1
    r = run("pipeline", ".", "--fail-on", "critical", "-f", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["findings"]
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("pipeline", str(empty), cwd=tmp_path)
    assert r.returncode == 3 and "no CI definition found" in r.stderr
    r = run("pipeline", str(tmp_path / "missing"), cwd=tmp_path)
    assert r.returncode == 2 and "missing" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_ignores_need_a_reason_and_expire(tmp_path: Path) -> None:
    write_tree(tmp_path, TOKEN)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.assay]\nignore = [{ id = "unpinned-uses:.github/workflows/*", reason = "tags are fine here",'
        ' until = 2999-01-01 }, { id = "artipacked", reason = "old", until = 2020-01-01 }]\n')
    r = run("pipeline", ".", "-f", "json", cwd=tmp_path)
    doc = json.loads(r.stdout)
    assert not [f for f in doc["findings"] if f["rule"] == "unpinned-uses"]
    assert {f["reason"] for f in doc["ignored"]} == {"tags are fine here"}
    assert [f for f in doc["findings"] if f["rule"] == "artipacked"]  # expired: reported again
    assert "ignore of artipacked expired on 2020-01-01" in r.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.assay]\nignore = [{ id = "artipacked" }]\n')
    r = run("pipeline", ".", cwd=tmp_path)
    assert r.returncode == 2 and "needs a reason" in r.stderr


def test_reproducible_output_is_byte_identical(tmp_path: Path) -> None:
    write_tree(tmp_path, TOKEN)
    outs = [run("pipeline", ".", "-f", "json", "--reproducible", cwd=tmp_path).stdout for _ in range(2)]
    assert outs[0] == outs[1] and '"created": "1970-01-01T00:00:00Z"' in outs[0]
