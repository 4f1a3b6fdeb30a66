"""Release pipelines: readers of CI definitions, the stage x threat model, and the checks.

    from assay.pipeline import analyse
    report = analyse(Path("."))          # a PipelineReport (assay.model.pipeline)

Reads GitHub Actions workflows and composite actions, Azure Pipelines, GitLab CI, the
shell/Python scripts their steps call and the requirements files they install from;
runs nothing from the repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from assay.config import Ignore
from assay.errors import InputError
from assay.model import Severity
from assay.model.pipeline import PipelineReport


def analyse(
    root: Path,
    *,
    ignores: Sequence[Ignore] = (),
    today: date | None = None,
    slsa_version: str = "1.1",
    fail_on: Severity = Severity.MEDIUM,
) -> PipelineReport:
    from assay.pipeline import build, checks, stages
    from assay.pipeline.ci import read_repo

    if not root.exists():
        raise InputError(f"{root}: no such folder")
    if not root.is_dir():
        raise InputError(f"{root}: not a folder (give the repository's top folder)")
    repo = read_repo(root)
    stages.classify(repo)
    ctx = checks.run_all(repo)
    return build.build_report(
        repo, ctx, ignores=ignores, today=today, slsa_version=slsa_version, fail_on=fail_on
    )


__all__ = ["analyse"]
