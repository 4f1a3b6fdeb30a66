"""assay pipeline: the release pipeline's stages, their SLSA threats, and the checks behind them."""

from __future__ import annotations

import click

FORMATS = ["table", "json", "sarif", "html", "mermaid"]


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False), default=".")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table: the stage x threat matrix then the findings; json: the documented shape; "
    "sarif: 2.1.0 for code scanning; html: the stage diagram, self-contained; mermaid.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write here (atomically) instead of stdout.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["low", "medium", "high", "critical"]),
    default=None,
    help="Exit 1 when a finding at or above this severity remains "
    "(default: medium; ASSAY_FAIL_ON, [tool.assay] fail-on).",
)
@click.option(
    "--slsa",
    "slsa_version",
    type=click.Choice(["1.0", "1.1"]),
    default="1.1",
    show_default=True,
    help="Label threats in SLSA v1.0 letters (A-H) or v1.1+ labels (A-I, DEP).",
)
@click.option(
    "--min-severity",
    type=click.Choice(["low", "medium", "high", "critical"]),
    default="low",
    show_default=True,
    help="Leave out findings below this severity.",
)
@click.option("--reproducible", is_flag=True, help="Fixed timestamp (SOURCE_DATE_EPOCH, else 1970-01-01).")
def pipeline(
    directory: str,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    slsa_version: str,
    min_severity: str,
    reproducible: bool,
) -> int:
    """Model DIRECTORY's release pipeline and check it (default: the current folder).

    Reads GitHub Actions workflows and composite actions, Azure Pipelines, GitLab CI,
    the shell and Python scripts their steps run, and the requirements files they
    install from. Each job is placed in a stage (source, build, sign, publish,
    distribute); each stage's SLSA threats are mitigated (a control was seen), open
    (findings) or unknown. Nothing from the repository is run.

    Ignores live in [tool.assay] of DIRECTORY's pyproject.toml or assay.toml, by rule,
    rule:path or rule:path:line, with a reason and an optional expiry:
    ignore = [{ id = "unpinned-uses:.github/workflows/docs.yml", reason = "docs only",
    until = 2026-12-31 }].

    \b
    Exit: 0 nothing at or above --fail-on, 1 findings, 2 bad input,
          3 no CI definition found.
    \b
    Examples:
      assay pipeline                               # matrix and findings for this repository
      assay pipeline ../project -f html -o pipeline.html
      assay pipeline -f sarif -o pipeline.sarif --fail-on high
      assay pipeline --slsa 1.0 -f json | jq '.stages[] | {name, threats}'
    """
    import os
    from datetime import UTC, datetime
    from pathlib import Path

    from assay import config
    from assay.cli import common
    from assay.errors import EXIT_INCOMPLETE, InputError
    from assay.model import Severity
    from assay.output import emit
    from assay.pipeline import analyse

    root = Path(directory)
    if not root.is_dir():
        raise InputError(f"{directory}: not a folder")
    cfg = config.load(root, fail_on=fail_on)
    explicit = fail_on or os.environ.get("ASSAY_FAIL_ON") or "fail-on" in cfg.raw or "fail_on" in cfg.raw
    threshold = cfg.fail_on if explicit else Severity.MEDIUM
    report = analyse(root, ignores=cfg.ignores, slsa_version=slsa_version, fail_on=threshold)
    floor = Severity.parse(min_severity)
    if floor > Severity.LOW:
        from dataclasses import replace

        report = replace(report, findings=tuple(f for f in report.findings if f.severity >= floor))
    if reproducible or os.environ.get("SOURCE_DATE_EPOCH"):
        created = datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH") or 0), UTC)
    else:
        created = datetime.now(UTC).replace(microsecond=0)
    from assay import formats

    text = formats.render("pipeline", fmt, report, created=created,
                          color=None if output is None or output == "-" else False)
    emit(text, output)
    for w in report.warnings:
        common.warn(w)
    if not any(s.jobs for s in report.stages) and not report.findings:
        common.warn(
            f"{directory}: no CI definition found (.github/workflows, action.yml, azure-pipelines.yml, "
            ".gitlab-ci.yml)"
        )
        return EXIT_INCOMPLETE
    if fmt != "table" and not common.QUIET:  # plain stderr: no need to load rich for one line
        click.echo(f"{len(report.findings)} findings, {len(report.failing())} at or above {report.fail_on}; "
                   f"{len(report.files)} files read", err=True)
    return report.exit_code()
