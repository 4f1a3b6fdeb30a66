"""assay audit: known vulnerabilities of TARGET's components, from the local advisory database."""

from __future__ import annotations

import click

from assay.errors import EXIT_INCOMPLETE, EXIT_OK

FORMATS = ["table", "json", "sarif", "markdown", "cyclonedx-json"]  # the registry's "audit" renderers


@click.command()
@click.argument("target", required=False)
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: table; ASSAY_AUDIT_FORMAT, [tool.assay] audit-format).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write here (atomically) instead of stdout.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Advisory database (default: ASSAY_DB or ~/.cache/assay/vulndb.sqlite).")
@click.option("--fail-on", type=click.Choice(["low", "medium", "high", "critical"]), default=None,
              help="Exit 1 when findings at or above this severity remain (default: low). "
                   "Findings of unknown severity always count.")
@click.option("--cpython-repo", type=click.Path(file_okay=False, exists=True), default=None,
              help="A CPython git clone to place PSF advisories' fix commits (else the imported table).")
@click.option("--allow-includes-outside", is_flag=True,
              help="Requirements files: follow -r includes that leave the folder of the file given "
                   "(by default they are reported, not read: a file could name /etc/shadow).")
@click.option("--bundled/--no-bundled", default=True, show_default=True,
              help="Also audit native libraries and vendored projects found inside distributions.")
@click.option("--reproducible", is_flag=True, help="Fixed timestamps (cyclonedx-json).")
@click.option("--strict", is_flag=True,
              help="Exit 3 when components could not be audited or advisories could not be decided.")
def audit(target: str | None, fmt: str | None, output: str | None, db: str | None, fail_on: str | None,
          cpython_repo: str | None, allow_includes_outside: bool, bundled: bool, reproducible: bool,
          strict: bool) -> int:
    """Audit TARGET for known vulnerabilities, offline, from the local database.

    TARGET is anything `assay sbom` reads: a virtual environment, a Python
    executable, requirements.txt / pylock.toml / uv.lock (nothing installed, nothing
    run), a wheel or sdist (with the native libraries bundled inside), or an
    SPDX/CycloneDX document. Without TARGET: the running Python's environment.

    Ignores live in [tool.assay] of pyproject.toml or in assay.toml:
    ignore = [{ id = "PYSEC-…", reason = "…", until = 2025-12-31 }]; after `until`
    the finding is reported again, with a warning.

    \b
    Exit: 0 no findings at/above --fail-on, 1 findings, 2 bad input,
          3 nothing audited (or incomplete under --strict), 4 network.
    \b
    Examples:
      assay db import ../shared/data && assay audit requirements.txt
      assay audit .venv -f sarif -o audit.sarif --fail-on high
      assay audit dist/pkg-1.0-cp312-manylinux_2_28_x86_64.whl -f json
    """
    from assay import catalog, config, formats
    from assay.audit import audit_graph
    from assay.cli import common
    from assay.model.audit import AuditReport
    from assay.output import check, emit

    check(output)  # before the work: an output that is an input or cannot be written

    cfg = config.load(db=db, fail_on=fail_on, audit_format=fmt, cpython_repo=cpython_repo)
    fmt = cfg.audit_format
    if fmt not in FORMATS:
        from assay.errors import ConfigError

        raise ConfigError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    with common.status("cataloguing…"):
        catalogue = catalog.run(target, catalog.Options(bundled=bundled,
                                                        allow_includes_outside=allow_includes_outside))
    graph = catalogue.graph
    for note in catalogue.notes:
        common.warn(note)
    result = audit_graph(graph, config=cfg)
    from assay.sources.directory import repository_root

    report = AuditReport(result, graph, source_root=str(repository_root()))
    text = formats.render("audit", fmt, report, reproducible=reproducible,
                          color=None if output is None or output == "-" else False)
    emit(text, output)
    _report(result, graph)
    if output not in (None, "-") or fmt != "table":
        _headline(result, output)  # the table on a terminal says it; a file or JSON does not
    if result.audited == 0:
        common.warn("no component could be audited")
        return EXIT_INCOMPLETE
    code = result.exit_code()
    if code == EXIT_OK and strict and (result.skipped or result.unresolved or graph.unknowns):
        return EXIT_INCOMPLETE
    return code


def _headline(result, output: str | None) -> None:
    """One summary line on stderr: findings by severity, what was audited, where it went."""
    from collections import Counter

    from rich.markup import escape

    from assay.cli import common

    sev = Counter(str(f.severity) for f in result.findings)
    shown = ", ".join(f"{n} {s}" for s, n in sev.most_common())
    failing = len(result.failing())
    parts = [f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}"
             + (f" ({shown})" if shown else ""),
             f"{result.audited} components audited"]
    if result.ignored:
        parts.append(f"{len(result.ignored)} ignored")
    if failing:
        parts.append(f"{failing} at or above {result.fail_on}")
    where = f" → {output}" if output not in (None, "-") else ""
    common.info(escape("; ".join(parts)) + escape(where))


def _report(result, graph) -> None:
    from collections import Counter

    from rich.markup import escape

    from assay.cli import common

    for w in _grouped_warnings(result):
        common.warn(w)
    if result.skipped:
        reasons = Counter(s.reason for s in result.skipped)
        common.info(escape("not audited: " + "; ".join(f"{n} × {r}" for r, n in reasons.most_common())))
    for u in graph.unknowns[:5]:
        common.info(escape(f"unknown: {u.reason} {u.detail}".strip()))
    if len(graph.unknowns) > 5:
        common.info(f"… and {len(graph.unknowns) - 5} more unknowns")


_UNRESOLVED = {
    "no-resolver": "no commit table or CPython clone to place their fix commits",
    "unknown-commit": "their fix commits are not in the commit table",
    "beyond-table": "the commit table does not cover this release line",
    "newer-line": "their fix commits are all on older release lines, none on the main line",
    "unreleased": "a fix commit was unreleased when the commit table was made",
    "invalid-range": "the advisory's range has versions PEP 440 cannot read",
}


def _grouped_warnings(result) -> list[str]:
    """Undecided advisories of one component are one line per kind of reason (the full
    reasons are in the json/markdown output)."""
    out = list(result.warnings)
    groups: dict[tuple[str, str | None, str], list[str]] = {}
    for u in result.unresolved:
        groups.setdefault((u.name, u.version, u.kind), []).append(u.advisory)
    for (name, version, kind), ids in groups.items():
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        why = _UNRESOLVED.get(kind, "see the json output")
        hint = "; pass --cpython-repo with a CPython clone to decide them" if kind != "invalid-range" else ""
        out.append(f"{name} {version}: {len(ids)} advisories cannot be decided ({shown}): {why}{hint}")
    return out
