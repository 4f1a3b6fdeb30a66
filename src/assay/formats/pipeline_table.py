"""assay pipeline for people: the stage x threat matrix, then the findings (rich, to a string).

Pure: whether to colour and how wide to draw are arguments, never read from the terminal.
"""

from __future__ import annotations

import io
from datetime import datetime

from rich.console import Console
from rich.table import Table

from assay.model import Severity
from assay.model.pipeline import THREAT_IDS, PipelineReport, Status, threat

_SEV = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.NONE: "dim",
    Severity.UNKNOWN: "magenta",
}
_CELL = {
    Status.OPEN: ("[bold red]open[/]", "open"),
    Status.MITIGATED: ("[green]ok[/]", "ok"),
    Status.UNKNOWN: ("[dim]?[/]", "?"),
}


def dumps(report: PipelineReport, *, created: datetime, color: bool | None = False,
          width: int | None = None) -> str:
    """The stage x threat matrix, then the findings. ``color=None``: colour when stdout is a
    terminal; the width follows the terminal when coloured, else 160 columns."""
    if color is None:
        import os
        import sys

        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if width is None:
        import shutil

        width = shutil.get_terminal_size((160, 24)).columns if color else 160
    del created
    buf = io.StringIO()
    con = Console(
        file=buf,
        width=width,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        color_system="standard" if color else None,
    )
    used = [t for t in THREAT_IDS if any(s.cell(t) for s in report.stages)]
    matrix = Table(
        title=f"Release stages x SLSA v{report.slsa_version} threats",
        title_justify="left",
        header_style="bold",
    )
    matrix.add_column("Stage")
    matrix.add_column("Jobs", justify="right")
    for t in used:
        matrix.add_column(report.label(t), justify="center")
    for s in report.stages:
        row = [s.name, str(len(s.jobs))]
        for t in used:
            cell = s.cell(t)
            row.append("" if cell is None else _CELL[cell.status][0 if color else 1])
        matrix.add_row(*row)
    con.print(matrix)
    con.print("  " + "; ".join(f"{report.label(t)} {threat(t).name}" for t in used), style="dim")
    con.print(
        "  ok: mitigated (evidence seen)   open: findings   ?: unknown (no evidence either way)", style="dim"
    )
    if report.findings:
        table = Table(header_style="bold", title="Findings", title_justify="left")
        for col in ("Severity", "Rule", "Where", "Stage", "Threat", "Finding"):
            table.add_column(col, overflow="fold")
        for f in report.findings:
            table.add_row(
                f"[{_SEV[f.severity]}]{f.severity}[/]",
                f.rule,
                f"{f.file}:{f.line}",
                f.stage,
                report.label(f.threat),
                f.message,
            )
        con.print(table)
        con.print("Advice:", style="bold")
        seen = set()
        for f in report.findings:
            if f.rule not in seen:
                seen.add(f.rule)
                con.print(f"  {f.rule}: {f.advice}")
    else:
        con.print("No findings.")
    if report.ignored:
        con.print(
            f"{len(report.ignored)} ignored: "
            + ", ".join(f"{f.rule} {f.file}:{f.line} ({f.ignored})" for f in report.ignored[:10])
            + (" …" if len(report.ignored) > 10 else "")
        )
    failing = len(report.failing())
    con.print(
        f"{len(report.findings)} findings, {failing} at or above {report.fail_on}; "
        f"{len(report.files)} files read."
    )
    return buf.getvalue()
