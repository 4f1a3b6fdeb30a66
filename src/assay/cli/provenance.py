"""assay provenance: PEP 710 provenance for installed distributions."""

from __future__ import annotations

from pathlib import Path

import click

from assay.errors import EXIT_INCOMPLETE, EXIT_OK, InputError


@click.group()
def provenance() -> None:
    """Record and show where installed distributions came from (PEP 710)."""


@provenance.command("record")
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target")
def record_cmd(report: Path, target: str) -> int:
    """Write provenance_url.json from a pip REPORT into TARGET's distributions.

    REPORT is the JSON of `pip install --report REPORT ...`; TARGET is the
    environment pip installed into (venv folder, python executable or
    site-packages). Each distribution's archive URL and hashes are written to
    its .dist-info/provenance_url.json and listed in RECORD, so later
    `assay sbom` runs carry them. Exit 3 when nothing could be recorded.

    \b
    Example:
      pip install --report report.json -r requirements.txt
      assay provenance record report.json .venv
      assay sbom .venv -f spdx-json      # now with download locations and hashes
    """
    from assay import catalog
    from assay.catalog.pip_report import load_report
    from assay.cli import common
    from assay.provenance import record

    if not report.is_file():
        raise InputError(f"{report}: no such file")
    load_report(report)  # a bad report is reported before the target is looked at
    _chosen, cataloger = catalog.cataloger_for(target)
    if not cataloger.installed:
        raise InputError(f"{target}: provenance is recorded into an installed environment, "
                         f"not into {cataloger.description}")
    outcomes = record(report, target)
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
        if o.status in ("not-installed", "skipped"):
            common.warn(f"{o.name} {o.version}: {o.status}: {o.detail}")
    common.info(", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "report lists nothing")
    done = counts.get("recorded", 0) + counts.get("unchanged", 0)
    return EXIT_OK if done else EXIT_INCOMPLETE
