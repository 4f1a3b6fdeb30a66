"""assay corpus: scan many distributions on dask.distributed into a Parquet store; query; report."""

from __future__ import annotations

import os
from typing import Any

import click

from assay.errors import EXIT_INCOMPLETE, EXIT_OK

_SCAN_MODULES = ("dask", "distributed", "pyarrow")
_READ_MODULES = ("duckdb", "pyarrow")


@click.group()
def corpus() -> None:
    """What thousands of distributions bundle: scans on Dask into a Parquet store.

    \b
    Examples:
      assay corpus scan wheels/ --out store/                    # a folder, LocalCluster
      assay corpus scan specs.txt --out store/ --audit          # name==version lines, from PyPI
      assay corpus scan --top 500 ranking.txt --out store/ --workers 8
      assay corpus scan specs.txt --out store/ --scheduler tcp://10.0.0.5:8786
      assay corpus query store/ "SELECT filename FROM components
                                 WHERE name = 'libwebp' AND vercmp(version, '1.3.2') < 0"
      assay corpus report store/ --html report.html

    Needs the scale extra: pip install 'assay[scale]'.
    """


@corpus.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False),
              help="The store folder (created; a rerun adds to it and skips what is stored).")
@click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
              help="SOURCE is a ranking file (one project a line, most downloaded first): "
                   "scan the newest release of its first N projects.")
@click.option("--index-url", default=None, envvar="ASSAY_INDEX_URL", show_envvar=True,
              help="PyPI JSON API base for specs and rankings [default: https://pypi.org/pypi].")
@click.option("--pick", type=click.Choice(["best", "wheels", "all"]), default="best", show_default=True,
              help="Files per release: best = one (a manylinux x86_64 wheel for the newest CPython, "
                   "else a pure wheel, other platforms, the sdist); wheels; all (sdists too).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes of the LocalCluster [default: the number of CPUs].")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True,
              help="Threads per LocalCluster worker. Cataloguing is CPU-bound (1 for a folder); "
                   "fetching from an index also waits on the network, which more threads can "
                   "overlap when CPUs are free.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Use this running dask scheduler and its workers instead of a LocalCluster "
                   "(workers need assay[scale] and, for a folder SOURCE, the same path).")
@click.option("--audit", is_flag=True, help="Match every component against the advisory database "
                                            "into the findings table.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Advisory database for --audit (default: ASSAY_DB or ~/.cache/assay/vulndb.sqlite).")
@click.option("--keep", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Keep fetched files in DIR (and reuse them next time); by default only the "
                   "files in flight are on disk.")
@click.option("--batch-size", type=click.IntRange(min=1), default=256, show_default=True,
              help="Write a batch every this many distributions …")
@click.option("--batch-seconds", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="… or this often, whichever comes first. A killed scan loses at most one batch.")
@click.pass_context
def scan(ctx: click.Context, sources: tuple[str, ...], out: str, top: int | None, index_url: str | None,
         pick: str, workers: int | None, threads: int, scheduler: str | None, audit: bool,
         db: str | None, keep: str | None, batch_size: int, batch_seconds: float) -> int:
    """Scan SOURCE... into the Parquet store OUT on a Dask cluster.

    SOURCE is a folder of wheels/sdists, a single wheel or sdist, a file of
    `name==version` or plain `name` lines (fetched from the index, each file's sha256
    checked as it streams), or with --top a ranking file. Each distribution is
    catalogued by the code `assay sbom` runs (bundled native libraries, vendored
    projects, PEP 770 SBOMs); nothing in it is executed.

    A rerun skips distributions already stored and retries the failed ones. Ctrl-C
    stops cleanly: what finished is written, the store stays readable.

    Exit codes: 0 all scanned; 3 some distributions failed or specs were not found
    (recorded in the store / listed); 4 network; 130 interrupted.
    """
    from assay import net
    from assay.cli import common
    from assay.corpus import require

    require(*_SCAN_MODULES)
    from assay.corpus import plan as planmod
    from assay.corpus.index import DEFAULT_INDEX, Index
    from assay.corpus.run import connect, run
    from assay.corpus.store import open_store
    from assay.corpus.task import Options

    if top is not None and len(sources) != 1:
        raise click.UsageError("--top takes exactly one SOURCE: the ranking file")
    store = open_store(out, create=True)
    store.lock()
    try:
        db_path = _audit_db(db) if audit else None
        index = Index(index_url or DEFAULT_INDEX, pick=pick)

        def resolve(specs: list[Any]) -> tuple[list[Any], list[str]]:
            with common.progress(f"looking up {len(specs)} projects on the index", len(specs)) as advance:
                return index.resolve(specs, progress=advance)

        the_plan = planmod.build(list(sources), top=top, resolve=resolve)
        for problem in the_plan.problems[:10]:
            common.warn(problem)
        if len(the_plan.problems) > 10:
            common.warn(f"… and {len(the_plan.problems) - 10} more specs not found")
        opts = Options(audit_db=db_path, keep=os.path.abspath(keep) if keep else None,
                       offline=net.is_offline())
        n_workers = workers or os.cpu_count() or 1
        with _ScanProgress(common) as prog:
            with common.console().status("starting the cluster…") if not common.QUIET else _Null():
                client, cluster = connect(scheduler, n_workers, threads)
            try:
                summary = _run_interruptibly(run, the_plan.items, store, client, opts,
                                             batch_size=batch_size, batch_seconds=batch_seconds,
                                             on_start=prog.start, on_result=prog.advance)
            finally:
                _close(client, cluster)
    finally:
        store.unlock()
    _report_summary(common, summary, out, the_plan.problems)
    if summary.interrupted:
        raise click.exceptions.Exit(130)
    if summary.errors or the_plan.problems:
        return EXIT_INCOMPLETE
    return EXIT_OK


def _audit_db(db: str | None) -> str:
    from assay import config
    from assay.audit import database_path, open_store

    cfg = config.load(db=db)
    open_store(db, cfg).close()  # exit 3 with a hint when there is no database
    return str(database_path(db, cfg).resolve())


def _run_interruptibly(fn, *args, **kwargs):
    """SIGTERM stops a scan like Ctrl-C: what finished is written first."""
    import signal

    def on_term(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, on_term)
    try:
        return fn(*args, **kwargs)
    finally:
        signal.signal(signal.SIGTERM, old)


def _close(client: Any, cluster: Any) -> None:
    import contextlib

    with contextlib.suppress(Exception):
        client.close(timeout=10)
    if cluster is not None:
        with contextlib.suppress(Exception):
            cluster.close(timeout=10)


def _report_summary(common: Any, s: Any, out: str, problems: list[str]) -> None:
    rate = s.scanned / s.tasks_s if s.tasks_s > 0 and s.scanned else 0.0
    status = "[yellow]interrupted[/]: " if s.interrupted else ""
    common.info(f"{status}[bold]{s.scanned}[/] scanned ({s.ok} ok, {s.errors} failed), {s.skipped} already "
                f"stored, {s.components} components, {s.findings} findings in {s.batches} batches; "
                f"tasks {s.tasks_s:.1f} s ({rate:.2f}/s on {s.workers} workers, {s.threads} threads), "
                f"writes {s.write_s:.2f} s → {out}")
    for sample in s.error_samples[:5]:
        common.warn(sample)
    if s.errors > 5:
        sql = "SELECT filename, error FROM distributions WHERE status <> 'ok'"
        common.warn(f"… {s.errors - 5} more failures: assay corpus query {out} \"{sql}\"")
    if s.interrupted:
        common.info("rerun the same command to continue: stored distributions are skipped")
    elif problems:
        common.info(f"{len(problems)} specs resolved to nothing (listed above)")


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


class _ScanProgress:
    """A rich progress bar on stderr with rate and ETA; silent when quiet or not a terminal."""

    def __init__(self, common: Any) -> None:
        self.common = common
        self.bar: Any = None
        self.task: Any = None
        self.errors = 0

    def __enter__(self) -> _ScanProgress:
        con = self.common.console()
        if self.common.QUIET or not con.is_terminal:
            return self
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                            TimeRemainingColumn(), TextColumn("{task.fields[errors]}"),
                            console=con, transient=False, refresh_per_second=4)
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> bool:
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False

    def start(self, total: int) -> None:
        if self.bar is not None:
            self.task = self.bar.add_task("scanning", total=total, rate="", errors="")

    def advance(self, dist: dict[str, Any]) -> None:
        if self.bar is None or self.task is None:
            return
        if dist.get("status") != "ok":
            self.errors += 1
        self.bar.advance(self.task)
        t = self.bar.tasks[0]
        speed = t.speed or (t.completed / t.elapsed if t.elapsed else 0)
        self.bar.update(self.task, rate=f"{speed:.2f}/s" if speed else "",
                        errors=f"[red]{self.errors} failed[/]" if self.errors else "")


@corpus.command()
@click.argument("store", type=click.Path(file_okay=False))
@click.argument("sql")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write here (atomically) instead of stdout.")
def query(store: str, sql: str, fmt: str, output: str | None) -> int:
    """Run SQL (DuckDB) over the store.

    \b
    Views: distributions, components, unknowns, findings (the newest row per artifact;
    all_<view> has every row). Functions: vercmp(a, b) compares native versions,
    pep440_cmp(a, b) Python versions (-1, 0, 1).
    \b
    Examples:
      assay corpus query store/ "SELECT name, count(DISTINCT project) n FROM components
                                 WHERE kind = 'native-library' GROUP BY name ORDER BY n DESC"
      assay corpus query store/ "SELECT DISTINCT filename, version FROM components
                                 WHERE name = 'libwebp' AND vercmp(version, '1.3.2') < 0" -f csv
    """
    from assay.corpus import require

    require(*_READ_MODULES)
    from assay.corpus.query import run_sql
    from assay.corpus.store import open_store
    from assay.output import emit

    cols, rows = run_sql(open_store(store), sql)
    emit(_format_rows(cols, rows, fmt, to_file=output is not None and output != "-"), output)
    return EXIT_OK


def _format_rows(cols: list[str], rows: list[tuple[Any, ...]], fmt: str, *, to_file: bool) -> str:
    import csv
    import io
    import json

    if fmt == "json":
        return json.dumps([dict(zip(cols, r, strict=True)) for r in rows], default=str, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        w.writerows(["" if v is None else v for v in r] for r in rows)
        return buf.getvalue()
    from rich.console import Console
    from rich.table import Table

    table = Table(*cols, show_lines=False)
    for r in rows:
        table.add_row(*("—" if v is None else str(v) for v in r))
    buf = io.StringIO()
    Console(file=buf, width=200, no_color=to_file, force_terminal=False, soft_wrap=True).print(table)
    return buf.getvalue() + f"{len(rows)} rows\n"


@corpus.command()
@click.argument("store", type=click.Path(file_okay=False))
@click.option("--html", "html_out", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Also write the report as one self-contained HTML page.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="Rows per table.")
def report(store: str, html_out: str | None, limit: int) -> int:
    """The first tables to read: bundled libraries by projects, vulnerable versions in the
    wild, projects with vulnerable copies, unreadable binaries and failed scans.

    \b
    Examples:
      assay corpus report store/
      assay corpus report store/ --html corpus.html --limit 200
    """
    from assay.corpus import require

    require(*_READ_MODULES)
    from rich.console import Console

    from assay.corpus import report as rep
    from assay.corpus.store import open_store
    from assay.output import write_atomic

    result = rep.build(open_store(store), limit=limit)
    console = Console(highlight=False)
    if not console.is_terminal:  # piped or redirected: wide enough that nothing is folded
        console = Console(highlight=False, width=240, no_color=True)
    rep.render_terminal(result, console)
    if html_out:
        write_atomic(html_out, rep.render_html(result))
    return EXIT_OK
