"""Importing the real snapshots: counts, incremental re-imports, withdrawn records, formats."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from assay.errors import InputError
from assay.vulndb import Store, import_path, import_paths


def test_all_of_shared_data_is_imported(shared_db: Path, shared_data: Path) -> None:
    with Store(shared_db) as store:
        sources = store.status()["sources"]
        tables = store.status()["commit_tables"]
    pypa_files = len(list((shared_data / "osv" / "pypa" / "vulns").rglob("*.yaml")))
    assert sources["osv:pypa"]["advisories"] == pypa_files
    # the PSF database snapshot and the PSF CNA's newer records (psf-cna/osv): one advisory per id
    psf_ids = {json.loads(p.read_text())["id"] for p in shared_data.rglob("PSF-*.json")}
    assert sources["psf"]["advisories"] == len(psf_ids)
    assert sources["nvd"]["advisories"] == len(list((shared_data / "nvd" / "records").glob("CVE-*.json")))
    cve5 = {p.name for d in ("nvd/cve5", "psf-cna/cve5") for p in (shared_data / d).glob("CVE-*.json")}
    assert sources["cve5"]["advisories"] == len(cve5)
    assert tables["github.com/python/cpython"] > 300


def test_withdrawn_advisories_are_counted_but_never_match(shared_db: Path, shared_data: Path) -> None:
    withdrawn = [p for p in (shared_data / "osv" / "pypa" / "vulns").rglob("*.yaml")
                 if "\nwithdrawn:" in p.read_text()]
    assert withdrawn, "the snapshot has withdrawn advisories"
    with Store(shared_db) as store:
        assert store.status()["sources"]["osv:pypa"]["withdrawn"] == len(withdrawn)
        ids = [p.stem for p in withdrawn]
        marks = ",".join("?" * len(ids))
        rows = store.db.execute(f"SELECT COUNT(*) FROM packages WHERE advisory IN ({marks})", ids).fetchone()
        assert rows[0] == 0
        assert store.advisories(("osv:pypa", i) for i in ids) == {}


def test_reimport_skips_unchanged_files_and_updates_newer_records(tmp_path: Path, shared_data: Path) -> None:
    src = shared_data / "osv" / "pypa" / "vulns" / "pillow"
    folder = tmp_path / "pillow"
    shutil.copytree(src, folder)
    from assay.audit import audit_graph
    from assay.model import Graph

    from .storehelp import pypi

    graph = Graph()
    graph.add(pypi("Pillow", "10.0.1"))
    with Store(tmp_path / "db.sqlite") as store:
        first = import_path(store, folder)
        assert "PYSEC-2023-175" not in {f.id for f in audit_graph(graph, store=store).findings}
        assert first.added == len(list(folder.glob("*.yaml"))) and first.updated == 0
        again = import_path(store, folder)
        assert again.added == 0 and again.skipped_files == first.files
        # an edited file whose record is not newer: parsed again, but left as is
        path = folder / "PYSEC-2023-175.yaml"
        path.write_text(path.read_text() + "\n# touched\n")
        same = import_path(store, folder)
        assert (same.added, same.updated, same.unchanged) == (0, 0, 1)
        # a newer `modified` replaces the stored record and its ranges
        text = path.read_text().replace("modified: '2023-09-25T17:25:13.946374Z'",
                                        "modified: '2030-01-01T00:00:00Z'")
        text = text.replace("fixed: 10.0.1", "fixed: 10.0.2")
        path.write_text(text)
        newer = import_path(store, folder)
        assert (newer.added, newer.updated) == (0, 1)
        rows = store.packages_for("PyPI", ["pillow"])
        ranges = [json.loads(r[3]) for r in rows if r[1] == "PYSEC-2023-175"]
        assert len(ranges) == 1 and ["fixed", "10.0.2"] in ranges[0][0]["events"]
        # the same process sees the new data at once (no stale cache)
        assert "PYSEC-2023-175" in {f.id for f in audit_graph(graph, store=store).findings}
        assert len(store.status()["imports"]) == 4


def test_osv_zip_export_and_nvd_api_response(tmp_path: Path, shared_data: Path) -> None:
    archive = tmp_path / "all.zip"
    psf = sorted((shared_data / "osv" / "psf" / "advisories" / "python").glob("PSF-2023-*.json"))
    with zipfile.ZipFile(archive, "w") as zf:
        for p in psf:
            zf.write(p, p.name)
        zf.writestr("README.md", "not an advisory")
    files = sorted((shared_data / "nvd" / "records").glob("CVE-2023-*.json"))
    records = [json.loads(p.read_text()) for p in files]
    api = tmp_path / "nvd-page.json"
    api.write_text(json.dumps({"resultsPerPage": len(records), "startIndex": 0, "totalResults": len(records),
                               "format": "NVD_CVE", "version": "2.0",
                               "vulnerabilities": [{"cve": r} for r in records]}))
    with Store(tmp_path / "db.sqlite") as store:
        zstats, nstats = import_paths(store, [archive, api])
        assert zstats.added == len(psf) and not zstats.errors
        assert nstats.added == len(records)
        assert store.cpes_for([("webmproject", "libwebp")])


def test_bad_inputs_name_the_file(tmp_path: Path) -> None:
    bad_zip = tmp_path / "broken.zip"
    bad_zip.write_bytes(b"PK\x03\x04 not really")
    note = tmp_path / "notes.json"
    note.write_text('{"hello": "world"}')
    broken = tmp_path / "broken.json"
    broken.write_text("{ nope")
    with Store(tmp_path / "db.sqlite") as store:
        for path in (bad_zip, note, broken):
            with pytest.raises(InputError, match=path.name):
                import_path(store, path)
        with pytest.raises(InputError, match="no such file"):
            import_path(store, tmp_path / "missing")


def test_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match=r"junk\.sqlite"):
        Store(junk)


def test_fast_version_list_reader_matches_pyyaml(shared_data: Path) -> None:
    """The importer reads `versions:` lists itself; every pypa file must decode exactly as
    PyYAML (with scalars kept as strings) decodes it."""
    import yaml

    from assay.vulndb.importer import _decode, _plain, _split_version_lists, _yaml_loader

    files = sorted((shared_data / "osv" / "pypa" / "vulns").rglob("*.yaml"))
    fast = 0
    for path in files:
        data = path.read_bytes()
        fast += _split_version_lists(data) is not None
        assert _decode(path.name, data) == _plain(yaml.compose(data, Loader=_yaml_loader())), path
    assert fast > len(files) * 0.9


@pytest.mark.parametrize("text", [
    "id: X\naffected:\n- package: {name: a, ecosystem: PyPI}\n  versions:\n  - 1.0 # note\n",
    "id: X\naffected:\n- package: {name: a, ecosystem: PyPI}\n  versions:\n  - \"1\\\\0\"\n",
    "id: X\naffected:\n- package: {name: a, ecosystem: PyPI}\n  versions:\n  - 1.0\n    continued\n",
    "id: X\naffected:\n- package: {name: a, ecosystem: PyPI}\n  versions:\n  - null\n  - '1.0'\n",
])
def test_unusual_version_lists_fall_back_to_pyyaml(text: str) -> None:
    import yaml

    from assay.vulndb.importer import _decode, _plain, _split_version_lists, _yaml_loader

    data = text.encode()
    assert _split_version_lists(data) is None
    assert _decode("x.yaml", data) == _plain(yaml.compose(data, Loader=_yaml_loader()))
