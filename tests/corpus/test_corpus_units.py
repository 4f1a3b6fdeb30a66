"""The parts of a corpus scan that need no cluster: plans, rankings, file choice, the store's
atomic batches and newest-row views, the missing extra, and `assay --help` staying light."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.corpus import plan
from assay.corpus.index import pick_files, preference
from assay.corpus.plan import Item
from assay.corpus.rows import rows_for
from assay.corpus.store import CorpusStore
from assay.errors import InputError

from .helpers import BIN, assay


def test_spec_file_lines_and_errors(tmp_path: Path) -> None:
    f = tmp_path / "specs.txt"
    f.write_text("# top projects\nRequests==2.31.0\n\nsix  # newest\nzope.interface===6.0\n")
    assert [(s.name, s.version) for s in plan.read_specs(f)] == [
        ("requests", "2.31.0"), ("six", None), ("zope-interface", "6.0")]
    f.write_text("six\nrequests>=2\n")
    with pytest.raises(InputError, match=r"specs.txt:2: 'requests>=2': give a plain name or an exact"):
        plan.read_specs(f)
    f.write_text("six\nnot a name!\n")
    with pytest.raises(InputError, match=r"specs.txt:2: not a project name"):
        plan.read_specs(f)


def test_ranking_plain_and_tsv(tmp_path: Path) -> None:
    f = tmp_path / "top.txt"
    f.write_text("boto3\nurllib3\nBoto3\nsetuptools\n")
    assert [s.name for s in plan.read_ranking(f, 3)] == ["boto3", "urllib3", "setuptools"]
    tsv = tmp_path / "pypi.tsv"  # the layout of the project's package list: rank column, blanks unranked
    tsv.write_text("name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\n"
                   "aaa\t1\t2024-01\t\tunranked\nzzz\t1\t2024-01\t2\tsecond\nmmm\t1\t2024-01\t1\tfirst\n")
    assert [s.name for s in plan.read_ranking(tsv, 5)] == ["mmm", "zzz"]
    empty = tmp_path / "empty.txt"
    empty.write_text("\n# nothing\n")
    with pytest.raises(InputError, match="no project names"):
        plan.read_ranking(empty, 5)


def test_best_file_of_a_release() -> None:
    files = [{"filename": n, "url": "u", "digests": {"sha256": "0" * 64}} for n in (
        "numpy-2.0.0.tar.gz",
        "numpy-2.0.0-cp312-cp312-win_amd64.whl",
        "numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "numpy-2.0.0-cp312-cp312-macosx_11_0_arm64.whl",
        "numpy-2.0.0-cp312-cp312-musllinux_1_1_x86_64.whl",
    )]
    best = pick_files(files, "best")
    assert [f["filename"] for f in best] == [
        "numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"]
    assert len(pick_files(files, "wheels")) == 5 and len(pick_files(files, "all")) == 6
    assert preference("six-1.16.0-py2.py3-none-any.whl") < preference("six-1.16.0.tar.gz")
    yanked = [{**files[0], "yanked": True}, files[1]]
    assert [f["filename"] for f in pick_files(yanked, "best")] == [files[1]["filename"]]


def _result(sha: str, status_error: str | None = None) -> dict:
    item = Item(filename=f"demo-{sha[:4]}-py3-none-any.whl", sha256=sha, project="demo", version="1")
    return rows_for(item, None, [], error=status_error or "catalogue: boom", times={}, worker="w",
                    started=datetime.now(UTC))


def test_store_batches_are_atomic_and_the_newest_row_wins(tmp_path: Path) -> None:
    from assay.corpus.query import run_sql

    store = CorpusStore(tmp_path / "s", create=True)
    store.lock()
    store.write_batch([_result("a" * 64), _result("b" * 64)])
    # a batch half-written by a killed scan: under .tmp, never read, removed by the next writer
    half = tmp_path / "s" / ".tmp" / "99999999999999999999-dead"
    half.mkdir(parents=True)
    (half / "distributions.parquet").write_bytes(b"PAR1 truncated")
    _cols, rows = run_sql(store, "SELECT count(*) FROM all_distributions")
    assert rows == [(2,)]
    # a retry of a: a newer row; the view shows one row per artifact, the newest
    ok = _result("a" * 64)
    ok["distribution"].update(status="ok", error=None)
    store.write_batch([ok])
    _cols, rows = run_sql(store, "SELECT sha256, status FROM distributions ORDER BY sha256")
    assert rows == [("a" * 64, "ok"), ("b" * 64, "error")]
    assert store.done() == {"a" * 64}
    with pytest.raises(InputError, match="another scan is writing"):
        CorpusStore(tmp_path / "s").lock()
    store.unlock()
    again = CorpusStore(tmp_path / "s")
    again.lock()  # the next writer cleans what a killed one left
    assert not half.exists()
    again.unlock()


def test_store_refuses_other_folders(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty and is not a corpus store"):
        CorpusStore(tmp_path, create=True)
    with pytest.raises(InputError, match="not a corpus store"):
        CorpusStore(tmp_path / "nothing")
    proc = assay("corpus", "query", str(tmp_path), "SELECT 1")
    assert proc.returncode == 2 and "not a corpus store" in proc.stderr


def test_bad_sql_is_one_line_and_exit_2(tmp_path: Path) -> None:
    CorpusStore(tmp_path / "s", create=True)
    proc = assay("corpus", "query", str(tmp_path / "s"), "SELECT nonsense FROM distributions")
    assert proc.returncode == 2
    assert proc.stderr.startswith("assay: error: query failed:") and len(proc.stderr.splitlines()) == 1
    proc = assay("corpus", "query", str(tmp_path / "s"), "SELECT vercmp('1.3.1', '1.3.2') a, "
                 "vercmp('1.1.1w', '1.1.1') b, vercmp('1.10', '1.9') c", "-f", "json")
    assert json.loads(proc.stdout) == [{"a": -1, "b": 1, "c": 1}]


@pytest.mark.parametrize("blocked,command", [("distributed", ["scan", "x", "--out", "y"]),
                                             ("duckdb", ["query", "x", "SELECT 1"]),
                                             ("pyarrow", ["report", "x"])])
def test_without_the_extra_exit_2_naming_it(blocked: str, command: list[str], tmp_path: Path) -> None:
    args = ["corpus", *command]
    code = f"import sys; sys.modules[{blocked!r}] = None\nfrom assay.cli import main\nmain({args!r})"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "pip install 'assay[scale]'" in proc.stderr and blocked in proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_imports_none_of_the_heavy_modules() -> None:
    code = ("import sys\nfrom assay.cli import cli\n"
            "for args in (['--help'], ['corpus', '--help'], ['corpus', 'scan', '--help']):\n"
            "    try:\n        cli.main(args=args, prog_name='assay')\n    except SystemExit:\n        pass\n"
            "heavy = ('dask', 'distributed', 'pyarrow', 'duckdb', 'numpy')\n"
            "print(sorted(m for m in heavy if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert "corpus" in subprocess.run([str(BIN / "assay"), "--help"], capture_output=True, text=True).stdout
