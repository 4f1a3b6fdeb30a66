"""assay scan: the main job. SBOMs, bundled components, audit and integrity in one run."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assay.errors import EXIT_INCOMPLETE, EXIT_OK, EXIT_POLICY


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
@click.option("--bundled/--no-bundled", default=True, show_default=True,
              help="Look inside distributions for native libraries and vendored projects.")
@click.option("--creator", envvar="ASSAY_CREATOR", metavar="WHO",
              help="Who produces this SBOM (NTIA author), e.g. 'Organization: ACME' or "
                   "'Person: Jane Doe (jane@example.org)'; also ASSAY_CREATOR.")
@click.option("--reproducible", is_flag=True, help="Byte-identical documents for the same input.")
def scan(target: str | None, out: Path, advisories: tuple[Path, ...], update: bool, db: str | None,
         fail_on: str | None, bundled: bool, creator: str | None, reproducible: bool) -> int:
    """Scan TARGET: inventory, bundled components, known vulnerabilities, integrity.

    Writes into the --out folder: sbom.spdx.json (SPDX 2.3), sbom.cdx.json
    (CycloneDX 1.6, with vulnerabilities), inventory.json (assay's lossless JSON),
    audit.json / audit.sarif / audit.md, and for installed environments
    integrity.json. A summary goes to the terminal.

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
    from assay import catalog, config, formats
    from assay.cli import common
    from assay.output import write_atomic

    cfg = config.load(db=db, fail_on=fail_on)
    kind = catalog.classify(target)
    with common.console().status("cataloguing…") if not common.QUIET else _Null():
        graph = catalog.load(target, bundled=bundled)
    if creator:
        graph.metadata["creator"] = creator
    out.mkdir(parents=True, exist_ok=True)

    result, audit_note = _audit(graph, cfg, advisories, update)
    findings = [*result.findings, *result.ignored] if result else []
    written = []

    def put(name: str, text: str) -> None:
        write_atomic(out / name, text if text.endswith("\n") else text + "\n")
        written.append(name)

    put("sbom.spdx.json", formats.render(graph, "spdx-json", reproducible=reproducible))
    put("sbom.cdx.json", formats.render(graph, "cyclonedx-json", reproducible=reproducible,
                                        findings=findings))
    put("inventory.json", formats.render(graph, "json", reproducible=reproducible))
    if result is not None:
        from assay.formats import findings_json, findings_markdown, findings_sarif

        put("audit.json", findings_json.dumps(result, graph=graph))
        put("audit.sarif", findings_sarif.dumps(result, graph=graph))
        put("audit.md", findings_markdown.dumps(result, graph=graph))
    integrity_report = None
    if kind in ("environment", "interpreter", "site-packages"):
        from assay import integrity

        integrity_report = integrity.check(graph)
        put("integrity.json", json.dumps(integrity_report.to_json(), indent=2, sort_keys=True))

    _summary(graph, result, audit_note, integrity_report, out, written)
    if not len(graph.packages()):
        return EXIT_INCOMPLETE
    failed = (result is not None and result.exit_code() == EXIT_POLICY) or \
        (integrity_report is not None and not integrity_report.clean)
    return EXIT_POLICY if failed else EXIT_OK


def _audit(graph, cfg, advisories: tuple[Path, ...], update: bool):
    """Fill the store as asked, then audit. Returns (result or None, a note for the summary)."""
    from assay.audit import audit_graph
    from assay.cli import common
    from assay.vulndb.importer import import_paths
    from assay.vulndb.store import Store, default_path

    path = Path(cfg.db) if cfg.db else default_path()
    store = Store(path, create=True)
    try:
        if update:
            from assay.vulndb.update import update as do_update

            with common.console().status("updating advisories…") if not common.QUIET else _Null():
                report = do_update(store)
            for source, reason in report.failed.items():
                common.warn(f"advisory source {source} not updated: {reason}; using local data")
        if advisories:
            with common.console().status("importing advisories…") if not common.QUIET else _Null():
                stats = import_paths(store, advisories)
            added = sum(getattr(s, "added", 0) + getattr(s, "updated", 0) for s in stats)
            if added:
                common.info(f"imported {added} new or changed advisories from "
                            f"{', '.join(map(str, advisories))}")
        if store.is_empty():
            return None, (f"skipped: no advisory data in {path} (pass --advisories PATH, --update, "
                          "or run `assay db import`)")
        return audit_graph(graph, config=cfg, store=store), f"advisory database {path}"
    finally:
        store.close()


def _summary(graph, result, audit_note: str, integrity_report, out: Path, written: list[str]) -> None:
    from collections import Counter

    from rich.markup import escape
    from rich.table import Table

    from assay.cli import common

    kinds = Counter(c.kind.value for c in graph.packages())
    table = Table(title=f"assay scan of {graph.metadata.get('target') or 'this environment'}",
                  show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("components", ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none")
    table.add_row("relationships", f"{len(graph.relationships)} ({len(graph.unknowns)} unknowns)")
    if result is None:
        table.add_row("vulnerabilities", f"[yellow]{audit_note}[/]")
    else:
        sev = Counter(str(f.severity) for f in result.findings)
        shown = ", ".join(f"{n} {s}" for s, n in sev.most_common()) or "[green]none found[/]"
        table.add_row("vulnerabilities", f"{len(result.findings)} findings: {shown}"
                      + (f" ({len(result.ignored)} ignored)" if result.ignored else ""))
        table.add_row("audited", f"{result.audited} components against {audit_note}"
                      + (f"; {len(result.skipped)} not auditable" if result.skipped else ""))
        for f in result.findings[:8]:
            fix = f" → fix {', '.join(f.fixed_versions[:2])}" if f.fixed_versions else ""
            inside = _container(graph, f.component_id)
            where = f" (inside {inside})" if inside else ""
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
    common.console().print(table)


def _container(graph, component_id: str) -> str | None:
    """The distribution (or interpreter) a bundled component was found inside, if any."""
    from assay.model import RelType

    for rel in graph.incoming(component_id, RelType.CONTAINS):
        parent = graph.components.get(rel.source)
        if parent is not None and rel.source != graph.root:
            return f"{parent.name} {parent.version or ''}".strip()
    return None


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False
