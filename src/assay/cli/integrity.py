"""assay integrity: every installed file against its RECORD."""

from __future__ import annotations

import json

import click

from assay.errors import EXIT_OK, EXIT_POLICY, InputError

CATEGORIES = {
    "modified": "content differs from RECORD",
    "missing": "listed in RECORD, not on disk",
    "unlisted": "in a package folder (or site-packages) but in no RECORD",
    "executable-pth": ".pth file that runs code at interpreter start-up",
    "outside-environment": "RECORD points outside the environment",
    "no-record": "distribution without RECORD (cannot be checked)",
}


@click.command()
@click.argument("target", required=False)
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
def integrity(target: str | None, fmt: str, output: str | None) -> int:
    """Check every installed file of every distribution against its RECORD.

    TARGET is a virtual environment, a Python executable or a site-packages
    folder (default: the environment of the Python running assay). Reports
    modified and missing files, files in package folders that no RECORD lists,
    and .pth files that execute code at start-up.

    Exit 1 when any file is modified or missing, 0 when clean.

    \b
    Examples:
      assay integrity .venv
      assay integrity /usr/bin/python3 -f json -o integrity.json
    """
    from assay import catalog
    from assay import integrity as integ
    from assay.cli import common
    from assay.output import emit

    kind = catalog.classify(target)
    if kind not in ("environment", "interpreter", "site-packages"):
        raise InputError(f"{target}: integrity needs an installed environment, not a {kind}")
    graph = catalog.load(target, bundled=False)
    n = sum(1 for _ in graph.packages(["python-package"]))
    with common.progress("checking files", total=None) as advance:
        report = integ.check(graph, progress=advance)
    if fmt == "json":
        emit(json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n", output)
    else:
        emit(render_table(report), output)
    counts = {c: len(report.of(c)) for c in CATEGORIES}
    summary = ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "no issues"
    state = "[green]clean[/]" if report.clean else "[red]NOT clean[/]"
    common.info(f"{n} distributions, {report.files_checked} files checked: {summary} — {state}")
    return EXIT_OK if report.clean else EXIT_POLICY


def render_table(report) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"integrity of {report.target}", title_justify="left")
    for col in ("category", "path", "distribution", "detail"):
        table.add_column(col, overflow="fold")
    order = list(CATEGORIES)
    for issue in sorted(report.issues, key=lambda i: (order.index(i.category), i.path)):
        table.add_row(issue.category, issue.path, issue.distribution or "-", issue.detail)
    console = Console(record=True, width=160, file=open("/dev/null", "w"))  # noqa: SIM115
    if report.issues:
        console.print(table)
    else:
        console.print(f"{report.target}: {report.files_checked} files match their RECORD")
    return console.export_text()
