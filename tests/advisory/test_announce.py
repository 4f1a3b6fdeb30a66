"""announce: the mailing-list text and the Markdown page, from drafts, OSV and CVE JSON 5 records."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .conftest import cve_records, run

ROOT = Path(__file__).resolve().parents[2]
DRAFT = Path(__file__).parent / "data" / "example-draft.toml"


def test_readme_example_is_what_the_command_writes():
    proc = run("advisory", "announce", str(DRAFT))
    assert proc.returncode == 0, proc.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"example-draft\.toml` writes for\n.*?```text\n(.*?)```", readme, re.S)
    assert block is not None, "the README lost its announce example"
    assert block[1] == proc.stdout
    assert "invented" in proc.stdout and "EXAMPLE ONLY" in proc.stdout


def test_text_for_mail_lines_fit_and_say_what_users_need():
    text = run("advisory", "announce", str(DRAFT)).stdout
    lines = text.splitlines()
    assert lines[0].startswith("Subject: [PSF-2099-1 / CVE-2099-0001] ")
    for line in lines[1:]:
        if "://" not in line and "CVSS:" not in line:
            assert len(line) <= 72, line
    assert "assay-example 1.0 before 1.4.2" in text and "Fixed in 1.4.2" in text
    assert "Mitigation:" in text and "https://www.cve.org/CVERecord?id=CVE-2099-0001" in text


def test_from_a_real_cve_record(psf_cna):
    """Every affected line and fixed version of the CNA's record, and every reference, appear."""
    for cve_id, cve in cve_records(psf_cna).items():
        path = psf_cna / "cve5" / f"{cve_id}.json"
        proc = run("advisory", "announce", str(path))
        assert proc.returncode == 0, proc.stderr
        cna = cve["containers"]["cna"]
        for ver in cna["affected"][0]["versions"]:
            if ver["status"] == "affected" and "lessThan" in ver:
                assert f"before {ver['lessThan']}" in proc.stdout
        for ref in cna["references"]:
            assert f"  - {ref['url']}" in proc.stdout
        md = run("advisory", "announce", str(path), "-f", "markdown").stdout
        assert md.startswith(f"# {cve_id}: ") and "## Links" in md


def test_markdown_from_an_osv_record_with_the_commit_table(psf_osv, commit_table, tmp_path):
    record = psf_osv / "advisories" / "python" / "PSF-2022-5.json"
    proc = run("advisory", "announce", str(record), "-f", "markdown", "--commit-table", str(commit_table))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# PSF-2022-5 / CVE-")
    assert "## Affected versions" in proc.stdout and "- CPython 3.8.0 before 3.8.14" in proc.stdout
    out = tmp_path / "page.md"
    assert run("advisory", "announce", str(record), "-f", "markdown", "--commit-table", str(commit_table),
               "-o", str(out)).returncode == 0
    assert out.read_text() == proc.stdout
    doc = json.loads(record.read_text())
    # without a table the fix commits are listed instead of versions
    plain = run("advisory", "announce", str(record)).stdout
    assert "Fixed by the commits:" in plain
    assert doc["affected"][0]["ranges"][0]["events"][1]["fixed"] in plain
