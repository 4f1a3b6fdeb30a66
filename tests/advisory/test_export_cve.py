"""export-cve: OSV records and drafts -> CVE JSON 5 records that validate, and round trips back to OSV."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from assay.advisory.cve5 import convert
from assay.advisory.database import Database
from assay.advisory.draft import from_osv, read_draft
from assay.advisory.export import to_cve5, v4_score, validate_record
from assay.advisory.importer import import_files, osv_fields
from assay.advisory.resolve import known_releases, make_resolver
from assay.vulndb.cvss import v3_base_score

from .conftest import cve_records, run, snapshot

DATA = Path(__file__).parent / "data"


def test_round_trip_osv_cve5_osv_on_the_psf_cna_records(tmp_path, psf_cna, commit_table):
    """Import the PSF CNA's CVEs, export each OSV record to CVE 5, import that: nothing changes."""
    db = tmp_path / "db"
    import_files(Database(db, create=True), [psf_cna / "cve5"])
    records = sorted(db.rglob("PSF-*.json"))
    assert len(records) == 13
    resolver, sources = make_resolver(None, commit_table)
    exported = tmp_path / "cve5"
    exported.mkdir()
    for path in records:
        osv = json.loads(path.read_text())
        out = to_cve5(from_osv(osv, origin=str(path)), resolver=resolver, releases=known_releases(sources))
        assert validate_record(out.record) == []
        cna = out.record["containers"]["cna"]
        assert validate_record(cna, container_only=True) == []
        (exported / f"{osv['aliases'][0]}.json").write_text(json.dumps(out.record))
        # OSV -> CVE 5 -> OSV gives the same record
        back = osv_fields(convert(out.record, origin="exported"), None)
        for key in ("aliases", "summary", "details", "severity", "affected", "references", "credits",
                    "database_specific"):
            assert back.get(key) == osv.get(key), (path.name, key)
        assert out.record["cveMetadata"]["datePublished"] == osv["published"]
    before = snapshot(db)
    outcomes = import_files(Database(db), [exported])
    assert {o.action for o in outcomes} == {"unchanged"}
    assert snapshot(db) == before


def test_exported_facts_match_the_cna_records(tmp_path, psf_cna):
    """What the export says about each PSF CNA CVE agrees with the CNA's own record."""
    db = tmp_path / "db"
    import_files(Database(db, create=True), [psf_cna / "cve5"])
    cves = cve_records(psf_cna)
    for path in sorted(db.rglob("PSF-*.json")):
        osv = json.loads(path.read_text())
        adv = from_osv(osv, origin=str(path))
        original = cves[adv.cve]["containers"]["cna"]
        if adv.cpython:
            adv.versions = original["affected"][0]["versions"]  # as a CNA would when resolving elsewhere
        cna = to_cve5(adv).record["containers"]["cna"]
        assert cna["title"] == original["title"].strip()
        assert cna["descriptions"][0]["value"] == original["descriptions"][0]["value"]
        assert [r["url"] for r in cna["references"]] == [r["url"] for r in original["references"]]
        for ours, theirs in zip(cna["references"], original["references"], strict=True):
            if "patch" in theirs.get("tags", []) and "/commit/" in theirs["url"]:
                assert ours["tags"] == ["patch"]
        if adv.cpython:
            assert cna["affected"][0]["versions"] == original["affected"][0]["versions"]
        else:  # pip: the same versions, in the canonical form (CVE-2023-5752 says "unaffected: 23.3")
            (theirs,) = original["affected"][0]["versions"]
            first_fixed = theirs.get("lessThan") or theirs["version"]
            assert cna["affected"][0]["versions"] == [{"version": "0", "status": "affected",
                                                        "versionType": "python", "lessThan": first_fixed}]
        ours_metrics = {k: v for m in cna.get("metrics", []) for k, v in m.items() if k.startswith("cvss")}
        for metric in original.get("metrics", []):
            for key, value in metric.items():
                if key.startswith("cvss"):
                    assert ours_metrics[key]["vectorString"] == value["vectorString"]
                    assert ours_metrics[key]["baseScore"] == value["baseScore"], (adv.cve, key)
                    assert ours_metrics[key]["baseSeverity"] == value["baseSeverity"]


def test_cvss_scores_computed_equal_the_cna_scores(psf_cna):
    seen = {"4.0": 0, "3.1": 0}
    for cve in cve_records(psf_cna).values():
        for metric in cve["containers"]["cna"].get("metrics", []):
            if "cvssV4_0" in metric:
                data = metric["cvssV4_0"]
                assert v4_score(data["vectorString"]) == data["baseScore"]
                seen["4.0"] += 1
            if "cvssV3_1" in metric:
                data = metric["cvssV3_1"]
                assert v3_base_score(data["vectorString"]) == data["baseScore"]
                seen["3.1"] += 1
    assert seen["4.0"] >= 5 and seen["3.1"] >= 5


def test_historic_psf_records_export_valid_and_keep_their_facts(psf_osv, commit_table):
    resolver, sources = make_resolver(None, commit_table)
    releases = known_releases(sources)
    exported = without_cve = 0
    for path in sorted((psf_osv / "advisories" / "python").glob("*.json")):
        osv = json.loads(path.read_text())
        adv = from_osv(osv, origin=str(path))
        if not adv.cve:
            without_cve += 1
            continue
        if not adv.references and not adv.fix_commits:
            continue
        out = to_cve5(adv, resolver=resolver, releases=releases)
        assert validate_record(out.record) == [], path.name
        back = osv_fields(convert(out.record, origin=str(path)), None)
        assert back["details"] == osv["details"]
        assert back["database_specific"]["cwe_ids"] == osv.get("database_specific", {}).get("cwe_ids", [])
        fixed = [e["fixed"] for e in osv["affected"][0]["ranges"][0]["events"] if "fixed" in e]
        assert [e["fixed"] for e in back["affected"][0]["ranges"][0]["events"][1:]] == fixed
        urls = {r["url"]: r["type"] for r in back["references"]}
        for ref in osv.get("references", []):
            assert ref["url"] in urls
            if ref["type"] in ("ADVISORY", "REPORT"):
                assert urls[ref["url"]] == ref["type"]
        if out.resolution is not None and out.resolution.decided:
            assert out.record["containers"]["cna"]["affected"][0]["versions"] == out.resolution.versions
        exported += 1
    assert exported >= 100 and without_cve >= 10


def test_draft_to_cve5(tmp_path):
    draft = DATA / "example-draft.toml"
    proc = run("advisory", "export-cve", str(draft))
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert validate_record(record) == []
    cna = record["containers"]["cna"]
    assert record["cveMetadata"]["cveId"] == "CVE-2099-0001"
    assert cna["affected"][0]["packageName"] == "assay-example"
    assert cna["affected"][0]["versions"] == [
        {"version": "1.0", "status": "affected", "versionType": "python", "lessThan": "1.4.2"}]
    assert cna["problemTypes"][0]["descriptions"][0]["cweId"] == "CWE-22"
    assert [r.get("tags") for r in cna["references"]] == [["issue-tracking"], ["patch"]]
    assert cna["credits"][1] == {"lang": "en", "value": "B. Maintainer (invented)",
                                 "type": "remediation developer"}
    v4 = cna["metrics"][0]["cvssV4_0"]
    assert v4["baseScore"] == v4_score(v4["vectorString"])
    assert "\n\n" in cna["descriptions"][0]["value"]  # paragraphs kept, lines within them joined
    assert "\n" not in cna["descriptions"][0]["value"].split("\n\n")[1]

    # the same draft as YAML makes the same record
    as_yaml = tmp_path / "draft.yaml"
    as_yaml.write_text(yaml.safe_dump(__import__("tomllib").loads(draft.read_text())))
    proc2 = run("advisory", "export-cve", str(as_yaml), "--container-only", "-o", str(tmp_path / "c.json"))
    assert proc2.returncode == 0, proc2.stderr
    assert json.loads((tmp_path / "c.json").read_text()) == cna


def test_cpython_draft_resolves_fix_commits(tmp_path, commit_table, psf_osv):
    osv = json.loads((psf_osv / "advisories" / "python" / "PSF-2022-5.json").read_text())
    fixed = [e["fixed"] for e in osv["affected"][0]["ranges"][0]["events"] if "fixed" in e]
    draft = tmp_path / "d.toml"
    draft.write_text('cve = "CVE-2099-0002"\ntitle = "EXAMPLE ONLY"\ndescription = "An invented text."\n'
                     f"fix_commits = {json.dumps(fixed)}\n")
    proc = run("advisory", "export-cve", str(draft))
    assert proc.returncode == 2 and "--commit-table or --clone" in proc.stderr
    proc = run("advisory", "export-cve", str(draft), "--commit-table", str(commit_table))
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    versions = record["containers"]["cna"]["affected"][0]["versions"]
    assert versions[0]["version"] == "0" and all(v["versionType"] == "python" for v in versions)
    # every fix commit is a patch reference: importing the record back gives the GIT range
    back = osv_fields(convert(record, origin="x"), None)
    assert [e["fixed"] for e in back["affected"][0]["ranges"][0]["events"][1:]] == fixed


@pytest.mark.parametrize(("body", "message"), [
    ('cve = "CVE-2099-0003"\ndescription = "x"\nfix_commits = []\n', "title: required"),
    ('title = "t"\ndescription = "d"\nfix_commits = ["abc"]\n', "is not a full commit hash"),
    ('title = "t"\ndescription = "d"\nproduct = "pip"\n', "give the affected versions of pip"),
    ('title = "t"\ndescription = "d"\nsevere = 1\n', "unknown field 'severe'"),
    ('title = "t"\ndescription = "d"\ncwe = ["22"]\n', "does not start with a CWE id"),
    ("title = \n", "not valid TOML"),
])
def test_bad_drafts_exit_2_naming_the_file(tmp_path, body, message):
    draft = tmp_path / "bad.toml"
    draft.write_text(body)
    proc = run("advisory", "export-cve", str(draft))
    assert proc.returncode == 2
    assert message in proc.stderr and str(draft) in proc.stderr and proc.stderr.count("\n") == 1


def test_record_without_cve_alias_is_refused(tmp_path, psf_osv):
    record = next(p for p in sorted((psf_osv / "advisories" / "python").glob("*.json"))
                  if not any(a.startswith("CVE-") for a in json.loads(p.read_text()).get("aliases", [])))
    local = tmp_path / record.name
    shutil.copyfile(record, local)
    proc = run("advisory", "export-cve", str(local))
    assert proc.returncode == 2 and "no CVE id" in proc.stderr and str(local) in proc.stderr


def test_read_draft_osv_json(psf_cna):
    adv = read_draft(psf_cna / "osv" / "PSF-2025-9.json")
    assert adv.cve == "CVE-2025-4517" and len(adv.fix_commits) == 8


def test_cvss4_without_score_and_without_the_library_names_the_extra():
    proc = run("advisory", "export-cve", str(DATA / "example-draft.toml"),
               code="import sys; sys.modules['cvss'] = None")
    assert proc.returncode == 2
    assert "pip install 'assay[advisory]'" in proc.stderr and proc.stderr.count("\n") == 1
