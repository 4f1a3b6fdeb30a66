"""assay advisory: the tooling a CVE Numbering Authority runs (CVE JSON 5 <-> OSV, versions, ids)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from assay.errors import EXIT_INCOMPLETE, EXIT_OK, EXIT_POLICY, InputError

TABLE_OPTION = click.option("--commit-table", "table",
                            type=click.Path(exists=True, dir_okay=False, path_type=Path),
                            help="CPython fix commit -> first release tags (commit_tags.txt).")
CLONE_OPTION = click.option("--clone", type=click.Path(exists=True, file_okay=False, path_type=Path),
                            help="A CPython git clone: `git tag --contains` (tried before the table).")


def _info(message: str) -> None:
    from rich.markup import escape

    from assay.cli import common

    common.info(escape(message))


def _warn(message: str) -> None:
    from assay.cli import common

    common.warn(message)


def _fast_jsonschema() -> None:
    """jsonschema imports rfc3987_syntax (4 s of grammar building) only for the ``iri``
    formats, which neither the OSV nor the CVE 5 schema uses: skip it in this process."""
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
        try:
            import jsonschema  # noqa: F401
        except ImportError:
            pass
        finally:
            del sys.modules["rfc3987_syntax"]


@click.group()
def advisory() -> None:
    """What a CVE Numbering Authority runs: CVE JSON 5 and OSV records, fix commits to
    versions, ids, validation, announcements.

    \b
    Examples:
      assay advisory import-cve cves/CVE-2025-4517.json --into advisory-database/
      assay advisory validate advisory-database/ --clone ~/src/cpython
      assay advisory resolve advisories/python/PSF-2024-5.json --commit-table commit_tags.txt
      assay advisory new --db advisory-database/ --cve CVE-2026-0001 -o draft.toml
      assay advisory export-cve draft.toml --clone ~/src/cpython -o CVE-2026-0001.json
      assay advisory announce draft.toml --clone ~/src/cpython
    """


@advisory.command("import-cve")
@click.argument("records", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The advisory database (a folder holding advisories/python/, advisories/pip/).")
@click.option("--prefix", default="PSF", show_default=True, help="The database's id prefix.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def import_cve(records: tuple[Path, ...], into: Path, prefix: str, fmt: str) -> int:
    """Convert CVE JSON 5 records (files or folders) into OSV records in an advisory database.

    A record whose aliases hold the CVE id is updated in place (its layout and
    hand-set fields such as an introduced commit or a summary are kept); a new CVE
    gets the id reserved for it or the next free PREFIX-<year>-<N>. CPython CVEs go
    to advisories/python/ as GIT ranges over the fix commits, pip CVEs to
    advisories/pip/ as ECOSYSTEM ranges. A file whose data does not change is not
    rewritten. Exit 3 when no record could be imported.

    \b
    Example:
      assay advisory import-cve ../shared/data/psf-cna/cve5 --into advisory-database/
    """
    from assay.advisory.database import Database
    from assay.advisory.importer import import_files
    from assay.output import emit

    db = Database(into, prefix=prefix, create=True)
    outcomes = import_files(db, list(records))
    if fmt == "json":
        emit(json.dumps([{"source": o.source, "cve": o.cve_id, "action": o.action, "id": o.id or None,
                          "path": str(o.path) if o.path else None, "reason": o.reason or None}
                         for o in outcomes], indent=2), None)
    else:
        lines = [f"{o.action:<9} {o.cve_id:<16} {o.id or '-':<14} {o.path or o.reason}"
                 + (f" ({o.reason})" if o.path and o.reason else "") for o in outcomes]
        emit("\n".join(lines), None)
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.action] = counts.get(o.action, 0) + 1
    _info(", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + f" ({db.advisories})")
    return EXIT_INCOMPLETE if outcomes and counts.get("skipped", 0) == len(outcomes) else EXIT_OK


@advisory.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@CLONE_OPTION
@click.option("--prefix", default="PSF", show_default=True, help="The database's id prefix.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write problems here.")
def validate(paths: tuple[Path, ...], clone: Path | None, prefix: str, fmt: str, output: str | None) -> int:
    """Check OSV and CVE JSON 5 records against the official schemas, and more.

    Beyond the schemas: ids follow the database's pattern and match file names, no
    alias belongs to two records, GIT events are full commit hashes (present in
    --clone when given), Python versions are PEP 440, modified is not before
    published. One line per problem, naming file and field; exit 1 when any.

    \b
    Example:
      assay advisory validate ../shared/data/osv/psf
    """
    from assay.advisory.validate import validate_paths
    from assay.cli import common
    from assay.output import emit

    _fast_jsonschema()
    files = sum(1 for p in paths for _ in (p.rglob("*.json") if p.is_dir() else [p]))
    with common.progress("validating", total=files) as advance:
        report = validate_paths(list(paths), prefix=prefix, clone=clone, progress=advance)
    problems = report.problems or []
    if fmt == "json":
        emit(json.dumps({"checked": report.checked, "osv": report.osv, "cve5": report.cve,
                         "problems": [{"file": p.file, "field": p.field, "message": p.message}
                                      for p in problems]}, indent=2), output)
    elif problems or output:
        emit("\n".join(str(p) for p in problems), output)
    _info(f"{report.checked} records checked ({report.osv} OSV, {report.cve} CVE JSON 5): "
          + (f"{len(problems)} problems in {report.bad_files} files" if problems else "no problems"))
    return EXIT_POLICY if problems else EXIT_OK


@advisory.command("resolve")
@click.argument("advisory_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--commit", "commits", multiple=True, help="A fix commit (repeatable), instead of a record.")
@click.option("--introduced", default="0", show_default=True, help="The commit that introduced the flaw.")
@TABLE_OPTION
@CLONE_OPTION
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "cve"]), default="table",
              show_default=True, help="cve: just the CVE JSON 5 `versions` array.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None)
def resolve_cmd(advisory_file: Path | None, commits: tuple[str, ...], introduced: str, table: Path | None,
                clone: Path | None, fmt: str, output: str | None) -> int:
    """Fix commits -> the first released version on each CPython branch.

    Reads the fix commits of an OSV record's GIT range (or --commit), and resolves
    them through a CPython clone (`git tag --contains`) and/or the commit table.
    Prints a table per release line and the `affected` versions a CVE record needs
    (versionType python, one lessThan per branch). Undecidable cases say why; exit 3
    when anything is undecided.

    \b
    Examples:
      assay advisory resolve PSF-2022-5.json --commit-table ../shared/data/cpython/commit_tags.txt
      assay advisory resolve --commit 5715382d3a89ca118ce2e224d8c69550d21fe51b --clone ~/src/cpython -f cve
    """
    from assay.advisory.resolve import events_of, known_releases, make_resolver, resolve
    from assay.output import emit

    if advisory_file is None and not commits:
        raise click.UsageError("give an OSV record or --commit")
    if table is None and clone is None:
        raise click.UsageError("give --commit-table or --clone")
    fixed = [c.lower() for c in commits]
    if advisory_file is not None:
        from assay.jsonio import read_json

        doc, _ = read_json(advisory_file)
        if not isinstance(doc, dict):
            raise InputError(f"{advisory_file}: not an OSV record")
        record_fixed, record_intro = events_of(doc)
        if not record_fixed:
            raise InputError(f"{advisory_file}: no GIT range with fixed commits")
        fixed = record_fixed + [c for c in fixed if c not in record_fixed]
        if introduced == "0":
            introduced = record_intro
    resolver, sources = make_resolver(clone, table)
    result = resolve(fixed, resolver, known_releases(sources), introduced=introduced)
    if fmt == "json":
        emit(json.dumps(result.as_json(), indent=2), output)
    elif fmt == "cve":
        emit(json.dumps(result.versions, indent=2), output)
    else:
        emit(result.table(), output)
    undecided = not result.decided or any(b.status == "unknown" for b in result.branches)
    if undecided:
        _warn(result.undecided or "some release lines are undecidable (see the table)")
    return EXIT_INCOMPLETE if undecided else EXIT_OK


def _read_input(path: Path):
    from assay.advisory.draft import read_draft

    if path.suffix.lower() == ".json":
        from assay.jsonio import read_json

        doc, _ = read_json(path)
        if isinstance(doc, dict) and "cveMetadata" in doc:
            from assay.advisory.announce import from_cve5

            return from_cve5(doc, origin=str(path))
    return read_draft(path)


@advisory.command("export-cve")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@TABLE_OPTION
@CLONE_OPTION
@click.option("--container-only", is_flag=True, help="Just the CNA container (what CVE Services publishes).")
@click.option("--org-id", default=None, help="The CNA's organisation UUID (default: the PSF's).")
@click.option("--short-name", default=None, help="The CNA's short name (default: PSF).")
@click.option("--strict", is_flag=True, help="Exit 3 when versions could not be decided.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None)
def export_cve(source: Path, table: Path | None, clone: Path | None, container_only: bool, org_id: str | None,
               short_name: str | None, strict: bool, output: str | None) -> int:
    """An OSV record or a draft (TOML/YAML) -> a CVE JSON 5 record, validated.

    The CNA container gets descriptions, the affected product with versions
    (CPython fix commits resolved through --clone / --commit-table), references
    with tags, problem types, credits, CVSS metrics and the mitigation. The record
    is validated against the official CVE JSON 5 schema before it is written.

    \b
    Example:
      assay advisory export-cve draft.toml --commit-table commit_tags.txt -o CVE-2026-0001.json
    """
    from assay.advisory.export import PSF_ORG_ID, PSF_SHORT_NAME, to_cve5, validate_record
    from assay.advisory.resolve import known_releases, make_resolver
    from assay.output import emit

    _fast_jsonschema()
    adv = _read_input(source)
    resolver, sources = make_resolver(clone, table)
    result = to_cve5(adv, resolver=resolver, releases=known_releases(sources),
                     org_id=org_id or PSF_ORG_ID, short_name=short_name or PSF_SHORT_NAME)
    record = result.record["containers"]["cna"] if container_only else result.record
    problems = validate_record(record, container_only=container_only)
    if problems:
        field, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"{source}: the CVE record would not validate: {field}: {message}{more}")
    for warning in result.warnings:
        _warn(warning)
    emit(json.dumps(record, indent=4, ensure_ascii=False), output)
    return EXIT_INCOMPLETE if strict and result.warnings else EXIT_OK


@advisory.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True, help="text: for a mailing list; markdown: for a web page.")
@TABLE_OPTION
@CLONE_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None)
def announce(source: Path, fmt: str, table: Path | None, clone: Path | None, output: str | None) -> int:
    """The announcement of an advisory (draft, OSV record or CVE JSON 5 record).

    What is affected, the fixed versions, the mitigation, credits and links, as
    plain text for a mailing list or Markdown for a web page.

    \b
    Example:
      assay advisory announce draft.toml --commit-table commit_tags.txt
    """
    from assay.advisory.announce import render
    from assay.advisory.export import pypi_versions
    from assay.advisory.resolve import known_releases, make_resolver, resolve
    from assay.output import emit

    adv = _read_input(source)
    versions = adv.versions
    if not versions and adv.cpython and adv.fix_commits and (table or clone):
        resolver, sources = make_resolver(clone, table)
        res = resolve(adv.fix_commits, resolver, known_releases(sources), introduced=adv.introduced)
        if not res.decided:
            _warn(f"affected versions not stated: {res.undecided}")
        versions = res.versions
    elif not versions and not adv.cpython:
        versions = pypi_versions(adv)
    emit(render(adv, versions, fmt=fmt), output)
    return EXIT_OK


DB_OPTION = click.option("--db", "db_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
                         help="The advisory database (holding advisories/).")


def _year(year: int | None) -> int:
    from assay.advisory import timestamps

    return year or int(timestamps.now()[:4])


@advisory.command("next-id")
@DB_OPTION
@click.option("--year", type=int, default=None, help="Default: this year.")
@click.option("--prefix", default="PSF", show_default=True)
@click.option("--reserve", is_flag=True, help="Record the id in advisories/.reserved so no one else gets it.")
@click.option("--note", default="", help="With --reserve: e.g. the CVE id it is for.")
def next_id(db_dir: Path, year: int | None, prefix: str, reserve: bool, note: str) -> int:
    """The next free advisory id (PSF-<year>-<N>) in a database.

    \b
    Example:
      assay advisory next-id --db advisory-database/ --reserve --note CVE-2026-0001
    """
    from assay.advisory.database import Database
    from assay.output import emit

    db = Database(db_dir, prefix=prefix)
    adv_id = db.reserve(_year(year), note) if reserve else db.next_id(_year(year))
    emit(adv_id, None)
    if reserve:
        _info(f"reserved {adv_id} in {db.advisories / '.reserved'}")
    return EXIT_OK


@advisory.command()
@DB_OPTION
@click.option("--product", default="cpython", show_default=True,
              help="cpython, pip, or another PyPI project.")
@click.option("--cve", default="", help="The CVE id reserved for this advisory.")
@click.option("--year", type=int, default=None, help="Default: this year.")
@click.option("--prefix", default="PSF", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="The draft file (TOML); default stdout.")
def new(db_dir: Path, product: str, cve: str, year: int | None, prefix: str, output: str | None) -> int:
    """Reserve the next id and write a draft template for a new advisory.

    \b
    Example:
      assay advisory new --db advisory-database/ --cve CVE-2026-0001 -o draft.toml
    """
    import re

    from assay.advisory.database import Database
    from assay.advisory.draft import template
    from assay.output import emit

    if cve and not re.fullmatch(r"CVE-\d{4}-\d{4,}", cve):
        raise click.BadParameter(f"{cve!r} is not a CVE id", param_hint="--cve")
    if output and Path(output).exists():
        raise InputError(f"{output}: already exists (a draft is never overwritten)")
    db = Database(db_dir, prefix=prefix)
    adv_id = db.reserve(_year(year), cve)
    name = Path(output).name if output else "draft.toml"
    emit(template(adv_id=adv_id, cve=cve, product=product, name=name), output)
    _info(f"reserved {adv_id}" + (f" for {cve}" if cve else "") + (f"; draft: {output}" if output else ""))
    return EXIT_OK
