"""Specs and rankings fetched from a real package index on 127.0.0.1 (the PyPI JSON API layout),
each file's sha256 checked as it streams; nothing kept but what is in flight unless --keep."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import WHEELS, assay, sha256, sql

SIX = "six-1.16.0-py2.py3-none-any.whl"
PIP = "pip-21.3.1-py3-none-any.whl"
PILLOW = next(w for w in WHEELS if w.startswith("Pillow-10.0.0"))


@pytest.fixture
def published(index, wheel_dir: Path):
    index.publish("six", "1.16.0", [wheel_dir / SIX])
    # an older release only on the project page, with file URLs relative to it (as some mirrors)
    index.publish("pip", "21.3.1", [wheel_dir / PIP], latest=False, release_page=False, relative=True)
    index.publish("pip", "99.0", [wheel_dir / SIX])  # the newest pip: not what the spec pins
    index.publish("Pillow", "10.0.0", [wheel_dir / PILLOW], wrong_sha={PILLOW})
    return index


@pytest.mark.slow
def test_specs_from_the_index_checked_and_not_kept(published, tmp_path: Path) -> None:
    specs = tmp_path / "specs.txt"
    specs.write_text("# projects to scan\nsix\npip==21.3.1\nPillow==10.0.0\nno-such-project\n")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    store = tmp_path / "store"
    proc = assay("corpus", "scan", str(specs), "--out", str(store), "--workers", "1",
                 "--index-url", published.url, env={"TMPDIR": str(scratch)})
    assert proc.returncode == 3, proc.stderr  # incomplete: a bad download and a missing project
    assert "no-such-project is not on the index" in proc.stderr
    rows = {r["filename"]: r for r in sql(store, "SELECT * FROM distributions")}
    assert set(rows) == {SIX, PIP, PILLOW}
    assert rows[SIX]["status"] == rows[PIP]["status"] == "ok"
    assert (rows[PIP]["project"], rows[PIP]["version"]) == ("pip", "21.3.1")
    assert rows[SIX]["url"].startswith(published.url.rsplit("/pypi", 1)[0])
    assert rows[SIX]["sha256"] == sha256(published.root / "files" / SIX)
    assert rows[PILLOW]["status"] == "error" and "sha256 mismatch" in rows[PILLOW]["error"]
    assert sql(store, f"SELECT count(*) n FROM components WHERE filename = '{PIP}'")[0]["n"] > 10
    assert any(p.endswith(f"/files/{PIP}") for p in published.requests)
    assert rows[PIP]["url"] == published.url.rsplit("/pypi", 1)[0] + f"/files/{PIP}"
    left = [p for p in scratch.rglob("*") if p.is_file() and p.name.endswith((".whl", ".part"))]
    assert left == []  # nothing but the in-flight file was ever on the workers' disk


@pytest.mark.slow
def test_keep_and_top(published, tmp_path: Path) -> None:
    ranking = tmp_path / "ranking.tsv"
    ranking.write_text("name\tversion\trank\nPillow\t10.0.0\t\nsix\t1.16.0\t2\npip\t99.0\t1\n")
    keep = tmp_path / "keep"
    store = tmp_path / "store"
    proc = assay("corpus", "scan", "--top", "2", str(ranking), "--out", str(store), "--workers", "1",
                 "--index-url", published.url, "--keep", str(keep))
    assert proc.returncode == 0, proc.stderr
    rows = sql(store, "SELECT project, version, filename, status FROM distributions ORDER BY project")
    # the ranking's two best: pip (newest release, 99.0, whose file here is six's wheel) and six;
    # the same file twice is one distribution, scanned once
    assert [(r["filename"], r["status"]) for r in rows] == [(SIX, "ok")]
    assert sorted(p.name for p in keep.iterdir()) == [SIX]
    assert sha256(keep / SIX) == WHEELS[SIX]


def test_index_lookup_errors_without_a_cluster(published) -> None:
    from assay.corpus.index import Index
    from assay.corpus.plan import Spec

    idx = Index(published.url)
    items, problem = idx.release(Spec("pip", "21.3.1", "specs:1"))
    assert problem is None and [i.filename for i in items] == [PIP]
    assert items[0].sha256 == WHEELS[PIP] and items[0].url.endswith(f"/files/{PIP}")
    items, problem = idx.release(Spec("six", "1.16", "specs:2"))  # 1.16 == 1.16.0 (PEP 440)
    assert problem is None and [(i.filename, i.version) for i in items] == [(SIX, "1.16.0")]
    items, problem = idx.release(Spec("pip", "1.0", "specs:2"))
    assert items == [] and problem.startswith("specs:2: pip==1.0 is not on the index")


def test_offline_refuses_to_fetch(published, tmp_path: Path) -> None:
    specs = tmp_path / "specs.txt"
    specs.write_text("six\n")
    proc = assay("--offline", "corpus", "scan", str(specs), "--out", str(tmp_path / "store"),
                 "--index-url", published.url)
    assert proc.returncode == 4, proc.stderr
    assert "offline" in proc.stderr and "Traceback" not in proc.stderr
    assert published.requests == []
