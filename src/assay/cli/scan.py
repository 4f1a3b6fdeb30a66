"""assay scan: the main job. SBOMs, bundled components, audit and integrity in one run."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("target", required=False)
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("assay-scan"), show_default=True, help="Folder for the documents.")
@click.option("--advisories", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Advisory data to import first (OSV JSON/YAML/zip, PSF, NVD, CVE 5, a folder of "
                   "them such as ../shared/data); incremental, repeatable.")
@click.option("--update", is_flag=True,
              help="Refresh the advisory database from the network first (falls back to local data).")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Advisory database (default: ASSAY_DB or ~/.cache/assay/vulndb.sqlite).")
@click.option("--fail-on", type=click.Choice(["low", "medium", "high", "critical"]), default=None,
              help="Exit 1 when findings at or above this severity remain (default: low).")
@click.option("--allow-includes-outside", is_flag=True,
              help="Requirements files: follow -r includes that leave the folder of the file given "
                   "(by default they are reported, not read: a file could name /etc/shadow).")
@click.option("--bundled/--no-bundled", default=True, show_default=True,
              help="Look inside distributions for native libraries and vendored projects.")
@click.option("--creator", envvar="ASSAY_CREATOR", metavar="WHO",
              help="Who produces this SBOM (NTIA author), e.g. 'Organization: ACME' or "
                   "'Person: Jane Doe (jane@example.org)'; also ASSAY_CREATOR.")
@click.option("--reproducible", is_flag=True, help="Byte-identical documents for the same input.")
def scan(target: str | None, out: Path, advisories: tuple[Path, ...], update: bool, db: str | None,
         fail_on: str | None, allow_includes_outside: bool, bundled: bool, creator: str | None,
         reproducible: bool) -> int:
    """Scan TARGET: inventory, bundled components, known vulnerabilities, integrity.

    Writes into the --out folder: sbom.spdx.json (SPDX 2.3), sbom.cdx.json
    (CycloneDX 1.6, with vulnerabilities), inventory.json (assay's lossless JSON),
    audit.json / audit.sarif / audit.md, for installed environments
    integrity.json, and report.html: all of it on one self-contained page to open in a
    browser (searchable inventory, findings with fixes and evidence, dependency tree,
    bundled libraries, integrity). A summary goes to the terminal.

    The audit is offline: it uses the local advisory database, filled by
    --advisories, --update or `assay db import/update`. Without any advisory
    data the audit is skipped, and the summary says so.

    \b
    Exit: 0 clean, 1 findings at/above --fail-on or modified/missing files,
          2 bad input, 3 nothing found.
    \b
    Examples:
      assay scan .venv --advisories ../shared/data
      assay scan dist/pkg-1.0-cp312-manylinux_2_28_x86_64.whl --out scan/ --fail-on high
      assay scan --update              # this interpreter's environment, fresh data
    """
    from assay import config
    from assay.cli import common
    from assay.scan import ScanOptions
    from assay.scan import scan as run_scan

    cfg = config.load(db=db, fail_on=fail_on)
    options = ScanOptions(out=out, advisories=tuple(advisories), update=update, config=cfg,
                          bundled=bundled, creator=creator, reproducible=reproducible,
                          allow_includes_outside=allow_includes_outside)
    with common.status("scanning…"):
        result = run_scan(target, options, warn=common.warn)
    for note in result.catalogue.notes:
        common.warn(note)
    _summary(result)
    return result.exit_code()


def _summary(scan_result) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from rich.markup import escape
    from rich.table import Table

    from assay.cli import common

    graph, result, audit_note = scan_result.graph, scan_result.audit, scan_result.audit_note
    integrity_report, out, written = scan_result.integrity, scan_result.out, scan_result.written
    kinds = Counter(c.kind.value for c in graph.packages())
    table = Table(title=f"assay scan of {graph.metadata.get('target') or 'this environment'}",
                  show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("components", ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none")
    table.add_row("relationships", str(len(graph.relationships)))
    if graph.unknowns:
        reasons = Counter(u.reason for u in graph.unknowns)
        table.add_row("unknowns", escape(f"{len(graph.unknowns)}: " + ", ".join(
            f"{n} {r}" for r, n in reasons.most_common(6)) + " (details in inventory.json)"))
    if result is None:
        table.add_row("vulnerabilities", f"[yellow]{audit_note}[/]")
    else:
        sev = Counter(str(f.severity) for f in result.findings)
        shown = ", ".join(f"{n} {s}" for s, n in sev.most_common()) or "[green]none found[/]"
        table.add_row("vulnerabilities", f"{len(result.findings)} findings: {shown}"
                      + (f" ({len(result.ignored)} ignored)" if result.ignored else ""))
        table.add_row("audited", f"{result.audited} components against {audit_note}"
                      + (f"; {len(result.skipped)} not auditable" if result.skipped else ""))
        places = graph.placements()
        for f in result.findings[:8]:
            fix = f" → fix {', '.join(f.fixed_versions[:2])}" if f.fixed_versions else ""
            place = places.get(f.component_id, "")
            where = f" ({place})" if place else ""
            table.add_row("", escape(f"{f.id} {f.component_name} {f.component_version or '?'}{where} "
                                     f"[{f.severity}]{fix}"))
        if len(result.findings) > 8:
            table.add_row("", f"… {len(result.findings) - 8} more in audit.md")
    if integrity_report is not None:
        counts = Counter(i.category for i in integrity_report.issues)
        state = "[green]clean[/]" if integrity_report.clean else "[red]NOT clean[/]"
        detail = ", ".join(f"{n} {c}" for c, n in sorted(counts.items()))
        table.add_row("integrity", f"{state}: {integrity_report.files_checked} files checked"
                      + (f"; {detail}" if detail else ""))
    table.add_row("written", f"{out}/: {', '.join(written)}")
    reasons = scan_result.reasons()
    code = scan_result.exit_code()
    table.add_row("exit", f"{code}: " + ("; ".join(reasons) if reasons else "clean"))
    common.console().print(table)
