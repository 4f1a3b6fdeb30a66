"""validate: the official schemas plus the checks schemas cannot express, on the PSF's real records."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

from assay.advisory.validate import validate_paths

from .conftest import run


def test_psf_database_passes_or_is_named_exactly(psf_osv):
    report = validate_paths([psf_osv])
    files = sorted((psf_osv / "advisories" / "python").glob("*.json"))
    assert report.checked == report.osv == len(files) == 132
    # what is wrong, found independently of assay: modified before published, shared aliases
    expected: set[tuple[str, str]] = set()
    aliases: dict[str, list[str]] = defaultdict(list)
    for f in files:
        doc = json.loads(f.read_text())
        if doc["modified"] < doc["published"]:
            expected.add((str(f), "modified"))
        for alias in doc.get("aliases", []):
            aliases[alias].append(str(f))
    for where in aliases.values():
        if len(where) > 1:
            expected.update((w, "aliases") for w in where)
    got = {(p.file, p.field) for p in report.problems}
    assert got == expected
    assert len({f for f, _ in expected}) == report.bad_files >= 10
    for p in report.problems:
        if p.field == "modified":
            assert p.message.startswith("0001-01-01T00:00:00Z is before published")  # Go's zero time
        else:
            assert "is also an alias of" in p.message


def test_psf_cna_and_nvd_cve5_records_are_valid(psf_cna, shared_data):
    report = validate_paths([psf_cna, shared_data / "nvd" / "cve5"])  # psf-cna/schemas/ is skipped
    assert report.cve == 13 + len(list((shared_data / "nvd" / "cve5").glob("*.json")))
    assert report.osv == 11
    # the placeholder id of a record not yet numbered is the database's pattern too
    assert report.problems == []


def _broken_database(root: Path, psf_cna: Path) -> Path:
    folder = root / "advisories" / "python"
    folder.mkdir(parents=True)
    src = json.loads((psf_cna / "osv" / "PSF-2025-9.json").read_text())
    src["id"] = "PSF-2025-9"
    bad_id = dict(src, id="PSF-25-9")
    (folder / "PSF-25-9.json").write_text(json.dumps(bad_id))
    wrong_name = dict(src, id="PSF-2025-99", aliases=["CVE-2025-0001"])
    (folder / "PSF-2025-98.json").write_text(json.dumps(wrong_name))
    short = json.loads(json.dumps(src))
    short["id"] = "PSF-2025-97"
    short["aliases"] = ["CVE-2025-0002"]
    short["affected"][0]["ranges"][0]["events"][1] = {"fixed": "3612d8f"}
    (folder / "PSF-2025-97.json").write_text(json.dumps(short))
    (folder / "PSF-2025-9.json").write_text(json.dumps(src))
    dup = dict(src, id="PSF-2025-96")  # shares CVE-2025-4517 with PSF-2025-9
    del dup["modified"]
    (folder / "PSF-2025-96.json").write_text(json.dumps(dup))
    cve = json.loads((psf_cna / "cve5" / "CVE-2025-4517.json").read_text())
    desc = cve["containers"]["cna"]["problemTypes"][0]["descriptions"][0]
    desc["cwdId"] = desc.pop("cweId")
    cve["containers"]["cna"]["affected"][0]["versions"][1]["lessThan"] = "3.10.x"
    (root / "CVE-2025-4517.json").write_text(json.dumps(cve))
    return root


def test_each_problem_names_file_and_field(tmp_path, psf_cna):
    root = _broken_database(tmp_path, psf_cna)
    proc = run("advisory", "validate", str(root))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    py = root / "advisories" / "python"
    expected = [
        (py / "PSF-25-9.json", "id: 'PSF-25-9' does not follow the database's pattern PSF-YYYY-N"),
        (py / "PSF-2025-98.json", "id: PSF-2025-99 is not the file's name (PSF-2025-98.json)"),
        (py / "PSF-2025-97.json", "affected[0].ranges[0].events[1].fixed: '3612d8f' does not match"),
        (py / "PSF-2025-96.json", "(record): 'modified' is a required property"),
        (py / "PSF-2025-96.json", "aliases: CVE-2025-4517 is also an alias of"),
        (root / "CVE-2025-4517.json", "containers.cna.problemTypes[0].descriptions[0].cwdId: misspelt"),
        (root / "CVE-2025-4517.json", "containers.cna.affected[0].versions[1].lessThan: '3.10.x' is not a"),
    ]
    for path, text in expected:
        assert any(line.startswith(f"{path}: {text}") for line in lines), (path, text, lines)
    # the schema also rejects the misspelt key
    assert any("cwdId" in line and "Additional properties" in line for line in lines)
    assert "problems in" in proc.stderr

    proc = run("advisory", "validate", str(root), "-f", "json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert {"file", "field", "message"} <= set(data["problems"][0])


def _git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z", "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def test_fix_commits_must_exist_in_the_clone(tmp_path, psf_cna):
    repo = tmp_path / "cpython"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "fix")
    present = _git(repo, "rev-parse", "HEAD")
    root = tmp_path / "db" / "advisories" / "python"
    root.mkdir(parents=True)
    doc = json.loads((psf_cna / "osv" / "PSF-2025-9.json").read_text())
    doc["affected"][0]["ranges"][0]["events"][1] = {"fixed": present}
    (root / "PSF-2025-9.json").write_text(json.dumps(doc))
    proc = run("advisory", "validate", str(root.parent.parent), "--clone", str(repo))
    assert proc.returncode == 1
    missing = [e["fixed"] for e in doc["affected"][0]["ranges"][0]["events"][2:]]
    flagged = [line for line in proc.stdout.splitlines() if "is not in" in line]
    assert len(flagged) == len(missing) == 7
    assert all(any(c in line for line in flagged) for c in missing)
    assert not any(present in line for line in flagged)


def test_bad_input_and_missing_extra_exit_2(tmp_path, psf_cna):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    proc = run("advisory", "validate", str(bad))
    assert proc.returncode == 2 and str(bad) in proc.stderr and proc.stderr.count("\n") == 1
    good = tmp_path / "good.json"
    shutil.copyfile(psf_cna / "osv" / "PSF-2025-9.json", good)
    proc = run("advisory", "validate", str(good), code="import sys; sys.modules['jsonschema'] = None")
    assert proc.returncode == 2
    assert "pip install 'assay[validate]'" in proc.stderr and proc.stderr.count("\n") == 1
