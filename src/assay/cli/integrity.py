"""assay integrity: every installed file against its RECORD."""

from __future__ import annotations

import click

from assay.errors import EXIT_OK, EXIT_POLICY, InputError


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
    from assay import catalog, formats
    from assay import integrity as integ
    from assay.cli import common
    from assay.model.integrity import CATEGORIES
    from assay.output import check, emit

    check(output)  # before the work: an output that is an input or cannot be written

    chosen, cataloger = catalog.cataloger_for(target)
    if not cataloger.installed:
        raise InputError(f"{target}: integrity needs an installed environment, not {cataloger.description}")
    result = cataloger.catalog(chosen, catalog.Options(bundled=False))
    assert result.layout is not None
    n = len(result.layout.dists)
    with common.progress("checking files", total=None) as advance:
        report = integ.check(result.graph, result.layout, progress=advance)
    emit(formats.render("integrity", fmt, report), output)
    counts = {c: len(report.of(c)) for c in CATEGORIES}
    summary = ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "no issues"
    state = "[green]clean[/]" if report.clean else "[red]NOT clean[/]"
    common.info(f"{n} distributions, {report.files_checked} files checked: {summary} — {state}")
    return EXIT_OK if report.clean else EXIT_POLICY
