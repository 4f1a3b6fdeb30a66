"""Audit results as a table for people (rich), rendered to a string."""

from __future__ import annotations

import io
import os
import shutil
import sys
from datetime import datetime

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assay.model import Severity
from assay.model.audit import AuditReport

_STYLE = {Severity.CRITICAL: "bold red", Severity.HIGH: "red", Severity.MEDIUM: "yellow",
          Severity.LOW: "cyan", Severity.NONE: "dim", Severity.UNKNOWN: "magenta"}
PLAIN_WIDTH = 160


def dumps(report: AuditReport, *, created: datetime | None = None, color: bool | None = None) -> str:
    result = report.result
    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns if color else PLAIN_WIDTH
    buf = io.StringIO()
    con = Console(file=buf, width=width, force_terminal=color, no_color=not color, highlight=False,
                  color_system="standard" if color else None)
    if result.findings:
        where = report.graph.placements() if report.graph is not None else {}
        # the column is there when it tells copies apart or says more than "the target itself"
        show_where = any(where.get(f.component_id) for f in result.findings)
        table = Table(title=None, show_lines=False, header_style="bold")
        for col in ("Severity", "Advisory", "Component", "Version", "Fixed in", "Aliases"):
            table.add_column(col, overflow="fold")
        if show_where:
            table.add_column("Where", overflow="fold", style="dim")
        for f in result.findings:
            row = [f"[{_STYLE[f.severity]}]{f.severity}[/]", f.id, escape(f.component_name),
                   f.component_version or "?", ", ".join(f.fixed_versions) or "-",
                   ", ".join(f.aliases[:3]) + (" …" if len(f.aliases) > 3 else "")]
            if show_where:
                row.append(escape(where.get(f.component_id, "")))
            table.add_row(*row)
        con.print(table)
    else:
        con.print("No known vulnerabilities found.")
    if result.fix_advice:
        advice = Table(title="Fix advice", header_style="bold", title_justify="left")
        for col in ("Component", "Version", "Upgrade to", "Fixes"):
            advice.add_column(col, overflow="fold")
        for a in result.fix_advice:
            advice.add_row(a.name, a.version or "?", a.fix_version or "no single known fix",
                           str(len(a.advisories)) + " advisor" + ("y" if len(a.advisories) == 1 else "ies"))
        con.print(advice)
    if result.ignored:
        con.print(f"{len(result.ignored)} ignored: " + ", ".join(
            f"{f.id} ({f.component_name}: {f.ignored})" for f in result.ignored))
    failing = len(result.failing())
    con.print(f"{len(result.findings)} findings, {failing} at or above {result.fail_on}; "
              f"{result.audited} components audited, {len(result.skipped)} not audited.")
    return buf.getvalue()
