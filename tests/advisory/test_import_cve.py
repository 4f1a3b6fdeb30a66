"""import-cve on the PSF CNA's real CVE JSON 5 records against the PSF database's own OSV records."""

from __future__ import annotations

import json
import re
import shutil

from assay.advisory import jsonstyle, timestamps
from assay.advisory.database import Database
from assay.advisory.importer import import_files

from .conftest import cve_records, make_db, psf_records, run, snapshot

COMPARED = ("id", "aliases", "published", "details", "affected", "references")


def _cve_cwes(cve: dict) -> list[str]:
    return [d["cweId"] for p in cve["containers"]["cna"].get("problemTypes", [])
            for d in p["descriptions"] if "cweId" in d]


def _same_instant(theirs: str, ours: str) -> bool:
    """Equal, or equal to the second where their writer (the PSF's Go tool) drops milliseconds."""
    if "." in theirs:
        return theirs == ours
    return timestamps.parse(theirs) == timestamps.parse(ours).replace(microsecond=0)


def test_reproduces_the_psf_database_and_fills_what_its_importer_leaves_empty(tmp_path, psf_cna):
    cves = cve_records(psf_cna)
    theirs = psf_records(psf_cna)
    root = make_db(tmp_path, [p for p, _ in theirs.values()])
    outcomes = import_files(Database(root), [psf_cna / "cve5"])
    by_cve = {o.cve_id: o for o in outcomes}
    assert len(by_cve) == len(cves) == 13
    checked = 0
    for cve_id, (their_path, their) in theirs.items():
        out = by_cve[cve_id]
        ours = json.loads(out.path.read_text(encoding="utf-8"))
        if their["id"].startswith("PSF-0000-"):
            # the placeholder gets a real number, as the PSF's id workflow does
            assert out.action == "renamed" and re.fullmatch(r"PSF-2025-\d+", ours["id"])
            assert not (out.path.parent / their_path.name).exists()
        else:
            assert ours["id"] == their["id"]
        for key in COMPARED[1:]:
            assert ours[key] == their[key], (cve_id, key)
        # details byte for byte (U+00A0 and all), in the file's own escaping
        assert ours["details"].encode() == their["details"].encode()
        cna = cves[cve_id]["containers"]["cna"]
        assert ours["summary"] == " ".join(cna["title"].split())
        assert "summary" not in their
        assert ours["database_specific"]["cwe_ids"] == _cve_cwes(cves[cve_id])
        assert their["database_specific"]["cwe_ids"] == []  # the PSF importer's cwdId defect
        checked += 1
    assert checked == 11
    # where the CVE names CWEs, they are now filled in
    assert sum(1 for c in cves.values() if _cve_cwes(c)) >= 6

    before = snapshot(tmp_path)
    again = import_files(Database(root), [psf_cna / "cve5"])
    assert {o.action for o in again} == {"unchanged"}
    assert snapshot(tmp_path) == before


def test_the_layout_of_each_file_is_kept(tmp_path, psf_cna):
    theirs = psf_records(psf_cna)
    root = make_db(tmp_path, [p for p, _ in theirs.values()])
    outcomes = import_files(Database(root), [psf_cna / "cve5"])
    for out in outcomes:
        if out.cve_id not in theirs or out.action == "renamed":
            continue
        original = theirs[out.cve_id][0].read_text(encoding="utf-8")
        written = out.path.read_text(encoding="utf-8")
        style = jsonstyle.detect(original)
        assert jsonstyle.detect(written) == style
        assert written == jsonstyle.dumps(json.loads(written), style)
        # keys that were there keep their order; new ones (summary...) are placed among them
        old_keys = list(json.loads(original))
        new_keys = [k for k in json.loads(written) if k in old_keys]
        assert new_keys == old_keys
    # both writers of the PSF database are among the files: Go (raw UTF-8, final newline)
    # and Python (\\u escapes, no final newline)
    styles = {jsonstyle.detect(p.read_text(encoding="utf-8")) for p, _ in theirs.values()}
    assert {s.final_newline for s in styles} == {True, False}


def test_fresh_database_cpython_and_pip(tmp_path, psf_cna):
    theirs = psf_records(psf_cna)
    outcomes = import_files(Database(tmp_path, create=True), [psf_cna / "cve5"])
    assert {o.action for o in outcomes} == {"created"}
    for out in outcomes:
        doc = json.loads(out.path.read_text(encoding="utf-8"))
        assert re.fullmatch(r"PSF-(\d{4})-\d+", doc["id"])
        assert doc["published"][:4] == doc["id"][4:8]  # the year of publication
        if out.cve_id in theirs:
            their = theirs[out.cve_id][1]
            assert out.path.parent.name == "python"
            for key in ("aliases", "details", "affected", "references"):
                assert doc[key] == their[key], (out.cve_id, key)
            assert _same_instant(their["published"], doc["published"])
        else:
            assert out.path.parent.name == "pip"
            (aff,) = doc["affected"]
            assert aff["package"] == {"ecosystem": "PyPI", "name": "pip", "purl": "pkg:pypi/pip"}
            (rng,) = aff["ranges"]
            assert rng["type"] == "ECOSYSTEM"
    pip = {o.cve_id: json.loads(o.path.read_text()) for o in outcomes if o.path.parent.name == "pip"}
    cves = cve_records(psf_cna)
    for cve_id, doc in pip.items():
        events = doc["affected"][0]["ranges"][0]["events"]
        versions = cves[cve_id]["containers"]["cna"]["affected"][0]["versions"]
        # the version the CVE says is the first unaffected one
        first_fixed = versions[0].get("lessThan") or versions[0]["version"]
        assert events == [{"introduced": "0"}, {"fixed": first_fixed}]
    ids = sorted((o.id for o in outcomes), key=lambda i: (i[4:8], int(i.split("-")[2])))
    assert len(set(ids)) == len(ids)
    before = snapshot(tmp_path)
    assert {o.action for o in import_files(Database(tmp_path), [psf_cna / "cve5"])} == {"unchanged"}
    assert snapshot(tmp_path) == before


def test_new_ids_continue_the_database_numbering(tmp_path, psf_cna):
    """Replay: with the records of a year that precede a PSF id in the database, the CVE gets that id."""
    theirs = psf_records(psf_cna)
    numbered = {}
    for cve_id, (_path, doc) in theirs.items():
        numbered[cve_id] = doc["id"] if not doc["id"].startswith("PSF-0000") else None
    held = {doc["id"] for _, doc in theirs.values()}
    replayed = 0
    for cve_id, adv_id in numbered.items():
        if adv_id is None:
            continue
        year, n = int(adv_id.split("-")[1]), int(adv_id.split("-")[2])
        if n != 1 and f"PSF-{year}-{n - 1}" not in held:
            continue  # the record before it is not in the snapshot: its number cannot be replayed
        root = tmp_path / adv_id
        earlier = [p for p, d in theirs.values()
                   if d["id"].startswith(f"PSF-{year}-") and int(d["id"].split("-")[2]) < n]
        make_db(root, earlier)
        (out,) = import_files(Database(root), [psf_cna / "cve5" / f"{cve_id}.json"])
        assert (out.action, out.id) == ("created", adv_id)
        replayed += 1
    assert replayed >= 6
    # the placeholder record: numbered after the records that preceded it (PSF-2025-15)
    root = tmp_path / "placeholder"
    make_db(root, [p for p, d in theirs.values()
                   if d["id"].startswith("PSF-0000") or d["id"] in ("PSF-2025-13", "PSF-2025-14")])
    (out,) = import_files(Database(root), [psf_cna / "cve5" / "CVE-2025-13837.json"])
    assert (out.action, out.id) == ("renamed", "PSF-2025-15")
    assert sorted(p.name for p in (root / "advisories" / "python").iterdir()) == [
        "PSF-2025-13.json", "PSF-2025-14.json", "PSF-2025-15.json"]


def test_hand_set_fields_are_kept_and_modified_moves_only_with_data(tmp_path, psf_cna):
    theirs = psf_records(psf_cna)
    root = make_db(tmp_path, [p for p, _ in theirs.values()])
    import_files(Database(root), [psf_cna / "cve5"])
    path = root / "advisories" / "python" / "PSF-2025-9.json"
    doc = json.loads(path.read_text())
    doc["summary"] = "A summary written by hand"
    intro = "0123456789abcdef0123456789abcdef01234567"
    doc["affected"][0]["ranges"][0]["events"][0] = {"introduced": intro}
    doc["database_specific"]["note"] = "kept"
    path.write_text(jsonstyle.dumps(doc, jsonstyle.detect(path.read_text())))
    before = path.read_bytes()
    (out,) = import_files(Database(root), [psf_cna / "cve5" / "CVE-2025-4517.json"])
    assert out.action == "unchanged" and path.read_bytes() == before

    # a newer CVE version that changes only its timestamps: not a byte changes
    cve = json.loads((psf_cna / "cve5" / "CVE-2025-4517.json").read_text())
    cve["cveMetadata"]["dateUpdated"] = "2030-01-01T00:00:00.000Z"
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(cve))
    assert import_files(Database(root), [newer])[0].action == "unchanged"
    assert path.read_bytes() == before
    # ...and one that changes the description: written, hand-set fields kept, modified moved
    cve["containers"]["cna"]["descriptions"][0]["value"] += " (amended)"
    newer.write_text(json.dumps(cve))
    assert import_files(Database(root), [newer])[0].action == "updated"
    doc = json.loads(path.read_text())
    assert doc["summary"] == "A summary written by hand"
    assert doc["affected"][0]["ranges"][0]["events"][0] == {"introduced": intro}
    assert doc["database_specific"]["note"] == "kept"
    assert doc["details"].endswith(" (amended)")
    assert doc["modified"] == "2030-01-01T00:00:00.000Z"

    # a rejected CVE withdraws its record
    cve["cveMetadata"]["state"] = "REJECTED"
    cve["cveMetadata"]["dateUpdated"] = "2031-01-01T00:00:00.000Z"
    newer.write_text(json.dumps(cve))
    import_files(Database(root), [newer])
    assert json.loads(path.read_text())["withdrawn"] == "2031-01-01T00:00:00.000Z"


def test_cli_import_skips_what_is_not_cpython_or_pypi(tmp_path, shared_data, psf_cna):
    other = tmp_path / "other"
    other.mkdir()
    for name in ("CVE-2023-4863.json", "CVE-2024-3094.json"):
        shutil.copyfile(shared_data / "nvd" / "cve5" / name, other / name)
    proc = run("advisory", "import-cve", str(other), "--into", str(tmp_path / "db"))
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.count("skipped") == 2 and "affects neither CPython nor a PyPI project" in proc.stdout
    proc = run("advisory", "import-cve", str(psf_cna / "cve5" / "CVE-2025-8869.json"), "--into",
               str(tmp_path / "db"), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    (row,) = json.loads(proc.stdout)
    assert row["action"] == "created" and row["path"].endswith(f"advisories/pip/{row['id']}.json")


def test_cli_bad_input_is_one_line_naming_the_file_and_writes_nothing(tmp_path, psf_cna):
    db = make_db(tmp_path / "db", [])
    bad = tmp_path / "broken.json"
    bad.write_text('{"cveMetadata": ')
    before = snapshot(db)
    good = psf_cna / "cve5" / "CVE-2025-4517.json"
    proc = run("advisory", "import-cve", str(good), str(bad), "--into", str(db))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and str(bad) in proc.stderr
    assert snapshot(db) == before  # the good record before it was not half-imported either
    notcve = tmp_path / "notcve.json"
    notcve.write_text('{"id": "PSF-2024-1"}')
    proc = run("advisory", "import-cve", str(notcve), "--into", str(db))
    assert proc.returncode == 2 and "not a CVE JSON 5 record" in proc.stderr and str(notcve) in proc.stderr


def test_a_package_name_never_becomes_a_path(tmp_path, psf_cna):
    cve = json.loads((psf_cna / "cve5" / "CVE-2025-8869.json").read_text())
    db = make_db(tmp_path / "db", [])
    for i, name in enumerate(("../../escaped", "/tmp/escaped", "a/b")):
        cve["containers"]["cna"]["affected"][0]["packageName"] = name
        path = tmp_path / f"hostile{i}.json"
        path.write_text(json.dumps(cve))
        (out,) = import_files(Database(db), [path])
        assert out.action == "skipped"
    assert snapshot(tmp_path / "db") == {}
    assert not (tmp_path / "escaped").exists()
