"""assay db: the local advisory database (import files, update from the network, status)."""

from __future__ import annotations

import json

import click

from assay.errors import EXIT_NETWORK, EXIT_OK

DB_OPTION = click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                         help="Database file (default: ASSAY_DB, [tool.assay] db, "
                              "or ~/.cache/assay/vulndb.sqlite).")


def _db_path(db: str | None):
    from assay import config
    from assay.vulndb import default_path

    cfg = config.load(db=db)
    return cfg.db or default_path()


def _info(message: str) -> None:
    from rich.markup import escape

    from assay.cli import common

    common.info(escape(message))


def _warn(message: str) -> None:

    from assay.cli import common

    common.warn(message)


@click.group()
def db() -> None:
    """The local advisory database that `assay audit` reads (offline once filled).

    \b
    Examples:
      assay db import ../shared/data              # OSV/PSF/NVD/CVE 5 files, folders, zips
      assay db import PyPI-all.zip advisories/    # osv.dev export, pypa/advisory-database
      assay db update                             # osv.dev PyPI, PSF advisories, NVD
      assay db status
    """


@db.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@DB_OPTION
def import_(paths: tuple[str, ...], db: str | None) -> int:
    """Import advisory files, folders or zip archives.

    Reads OSV JSON/YAML (pypa/advisory-database, osv.dev all.zip exports), the PSF
    advisory database, NVD CVE API 2.0 JSON (API responses or one record per file),
    CVE JSON 5 records, and a CPython commit→tags table (commit_tags.txt).
    Re-imports are incremental: unchanged files are skipped, a record replaces the
    stored one only when its `modified` is newer.
    """
    import time
    from pathlib import Path

    from assay.cli import common
    from assay.vulndb import Store, import_path

    path = _db_path(db)
    with Store(path) as store:
        for p in paths:
            start = time.perf_counter()
            with common.progress(f"importing {p}") as advance:
                stats = import_path(store, Path(p), progress=advance)
            took = time.perf_counter() - start
            rate = f", {stats.records / took:,.0f} advisories/s" if stats.records and took > 0 else ""
            _info(f"{p}: {stats.added} added, {stats.updated} updated, {stats.unchanged} unchanged, "
                        f"{stats.withdrawn} withdrawn, {stats.skipped_files} files unchanged "
                        f"({took:.2f} s{rate})")
            for err in stats.errors[:10]:
                _warn(err)
            if len(stats.errors) > 10:
                _warn(f"… and {len(stats.errors) - 10} more files could not be read")
    _info(f"database: {path}")
    return EXIT_OK


@db.command()
@click.option("--source", "sources", multiple=True,
              type=click.Choice(["osv-pypi", "psf", "nvd"]),
              help="Only these sources (repeatable; default: all).")
@DB_OPTION
def update(sources: tuple[str, ...], db: str | None) -> int:
    """Fetch the default remote sources: osv.dev's PyPI export, the PSF advisory
    database and NVD (for the native libraries wheels bundle).

    A source that cannot be reached is named and skipped; the database keeps what
    it has. Exit 4 when any source failed.
    """
    from assay.vulndb import Store
    from assay.vulndb.update import SOURCES
    from assay.vulndb.update import update as run_update

    path = _db_path(db)
    with Store(path) as store:
        report = run_update(store, sources or SOURCES, work_dir=path.parent,
                            progress=lambda s: _info(f"updating {s}…"))
    for stats in report.imported:
        _info(f"{stats.location}: {stats.added} added, {stats.updated} updated, "
                    f"{stats.unchanged} unchanged")
    for source, reason in report.failed.items():
        _warn(f"{source}: not updated: {reason} (the database keeps its current data)")
    _info(f"database: {path}")
    return EXIT_NETWORK if report.failed else EXIT_OK


@db.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@DB_OPTION
def status(fmt: str, db: str | None) -> int:
    """What the database holds: advisories per source, the last imports."""
    from assay.output import emit
    from assay.vulndb import Store

    path = _db_path(db)
    with Store(path, readonly=True) as store:  # status only reads
        info = store.status()
    if fmt == "json":
        emit(json.dumps(info, indent=2), None)
        return EXIT_OK
    lines = [f"database: {info['path']} (schema {info['schema']})"]
    if not info["sources"]:
        lines.append("empty: run `assay db import PATH` or `assay db update`")
    for source, s in info["sources"].items():
        lines.append(f"  {source:<10} {s['advisories']:>7} advisories ({s['withdrawn']} withdrawn), "
                     f"newest modified {s['newest_modified']}")
    for repo, n in info["commit_tables"].items():
        lines.append(f"  commit table {repo}: {n} fix commits")
    if info["imports"]:
        lines.append("recent imports:")
        for imp in info["imports"][:10]:
            lines.append(f"  {imp['at']} {imp['kind']:<11} {imp['location']} "
                         f"(+{imp['added']} ~{imp['updated']} ={imp['unchanged']}) {imp['digest'][:19]}")
    emit("\n".join(lines), None)
    return EXIT_OK
