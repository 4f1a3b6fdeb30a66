"""next-id / new: ids in the database, reservations, the draft template."""

from __future__ import annotations

import json
import re
import shutil

from .conftest import run


def test_next_id_and_reservations(tmp_path, psf_osv, psf_cna):
    db = tmp_path / "db"
    shutil.copytree(psf_osv / "advisories", db / "advisories")
    numbers = [int(p.stem.split("-")[2]) for p in (db / "advisories" / "python").glob("PSF-2024-*.json")]
    proc = run("advisory", "next-id", "--db", str(db), "--year", "2024")
    assert proc.returncode == 0 and proc.stdout.strip() == f"PSF-2024-{max(numbers) + 1}"
    assert run("advisory", "next-id", "--db", str(db), "--year", "2031").stdout.strip() == "PSF-2031-1"

    proc = run("advisory", "next-id", "--db", str(db), "--year", "2025", "--reserve",
               "--note", "CVE-2025-4517")
    assert proc.stdout.strip() == "PSF-2025-1"
    assert run("advisory", "next-id", "--db", str(db), "--year", "2025").stdout.strip() == "PSF-2025-2"
    assert (db / "advisories" / ".reserved").read_text() == "PSF-2025-1 CVE-2025-4517\n"
    # the reserved id goes to its CVE; the reservation is then released
    proc = run("advisory", "import-cve", str(psf_cna / "cve5" / "CVE-2025-4517.json"), "--into", str(db))
    assert proc.returncode == 0, proc.stderr
    assert (db / "advisories" / "python" / "PSF-2025-1.json").is_file()
    assert (db / "advisories" / ".reserved").read_text() == ""
    assert run("advisory", "next-id", "--db", str(db), "--year", "2025").stdout.strip() == "PSF-2025-2"


def test_new_writes_a_template_that_becomes_a_valid_record(tmp_path):
    db = tmp_path / "db"
    (db / "advisories" / "python").mkdir(parents=True)
    draft = tmp_path / "draft.toml"
    proc = run("advisory", "new", "--db", str(db), "--cve", "CVE-2099-0042", "--product", "pip",
               "--year", "2099", "-o", str(draft))
    assert proc.returncode == 0, proc.stderr
    text = draft.read_text()
    assert 'id = "PSF-2099-1"' in text and 'cve = "CVE-2099-0042"' in text
    # unfilled, it is refused with the field named
    proc = run("advisory", "export-cve", str(draft))
    assert proc.returncode == 2 and "title: required" in proc.stderr
    filled = (text.replace('title = ""', 'title = "EXAMPLE ONLY: an invented flaw"')
              .replace('description = """\n"""', 'description = """An invented description."""')
              .replace('fixed = ""', 'fixed = "99.1"'))
    filled += '\n[[references]]\nurl = "https://example.org/advisory"\ntype = "vendor-advisory"\n'
    draft.write_text(filled)
    proc = run("advisory", "export-cve", str(draft))
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["containers"]["cna"]["affected"][0]["versions"][0]["lessThan"] == "99.1"
    # a second draft gets the next id, and an existing draft is never overwritten
    proc = run("advisory", "new", "--db", str(db), "--year", "2099")
    assert re.search(r'id = "PSF-2099-2"', proc.stdout)
    proc = run("advisory", "new", "--db", str(db), "-o", str(draft))
    assert proc.returncode == 2 and "already exists" in proc.stderr


def test_not_a_database(tmp_path):
    proc = run("advisory", "next-id", "--db", str(tmp_path / "nothing"))
    assert proc.returncode == 2 and "not an advisory database" in proc.stderr
