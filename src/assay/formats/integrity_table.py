"""Integrity results as a table for people."""

from __future__ import annotations

import io
from datetime import datetime

from assay.model.integrity import CATEGORIES, IntegrityReport


def dumps(report: IntegrityReport, *, created: datetime | None = None, color: bool | None = None) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"integrity of {report.target}", title_justify="left")
    for col in ("category", "path", "distribution", "detail"):
        table.add_column(col, overflow="fold")
    order = list(CATEGORIES)
    for issue in sorted(report.issues, key=lambda i: (order.index(i.category), i.path)):
        table.add_row(issue.category, issue.path, issue.distribution or "-", issue.detail)
    console = Console(record=True, width=160, file=io.StringIO())
    if report.issues:
        console.print(table)
    else:
        console.print(f"{report.target}: {report.files_checked} files match their RECORD")
    return console.export_text()
