"""A table of components for people, rendered with rich to a string.

Colour only when asked for (``color=True``) or, by default, when stdout is a terminal
and NO_COLOR is not set; the CLI should pass ``color=False`` when writing to a file.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assay.formats._common import split_license, timestamp
from assay.model import Component, Finding, Graph

PLAIN_WIDTH = 160  # wide enough for purls when not on a terminal


def _license(comp: Component) -> str:
    expr, text = split_license(comp.license)
    if expr:
        return expr
    if text:
        first = text.strip().splitlines()[0]
        return first if len(first) <= 40 else first[:39] + "…"
    return ""


def summary(graph: Graph, findings: Sequence[Finding] = ()) -> str:
    """One line: how many components of which kinds, relationships, unknowns, findings."""
    comps = graph.packages()
    kinds = Counter(c.kind.value for c in comps)
    parts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    root = graph.root_component
    of = f" in {root.name}{' ' + root.version if root.version else ''}" if root else ""
    line = (f"{len(comps)} components{of} ({parts or 'none'}), {len(graph.relationships)} relationships, "
            f"{len(graph.unknowns)} unknowns")
    if findings:
        line += f", {len(findings)} findings"
    return line


def dumps(graph: Graph, *, created: datetime, findings: Sequence[Finding] = (),
          color: bool | None = None) -> str:
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    width = shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns if color else PLAIN_WIDTH
    vulnerable = Counter(f.component_id for f in findings if f.ignored is None)
    table = Table(box=None, pad_edge=False,
                  header_style="bold" if color else "")
    table.add_column("name", overflow="fold")
    table.add_column("version", overflow="fold")
    table.add_column("kind")
    table.add_column("license", overflow="fold")
    table.add_column("purl", overflow="fold")
    if findings:
        table.add_column("vulns", justify="right")
    for comp in graph.packages():
        version = Text(comp.version or "unknown", style="" if comp.version else "yellow")
        row: list[str | Text] = [comp.name, version, comp.kind.value, _license(comp), comp.purl or ""]
        if findings:
            n = vulnerable.get(comp.id, 0)
            row.append(Text(str(n), style="bold red" if n else "") if n else "")
        table.add_row(*row)
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, soft_wrap=False)
    console.print(table)
    console.print(f"{summary(graph, findings)}; created {timestamp(created)}", highlight=False)
    text = out.getvalue()
    if not color:
        text = "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
    return text
