from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assay.model.pipeline import PipelineReport
from assay.pipeline import analyse

BENCH = Path(__file__).resolve().parents[2] / "bench" / "pipeline"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def scan(root: Path, files: dict[str, str], **kw: object) -> PipelineReport:
    return analyse(write_tree(root, files), **kw)  # type: ignore[arg-type]


def hits(report: PipelineReport, rule: str) -> list[tuple[str, int]]:
    return [(f.file, f.line) for f in report.findings if f.rule == rule]


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "ASSAY_OFFLINE": "1", **env}
    full.pop("ASSAY_FAIL_ON", None)
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True, text=True, cwd=cwd,
                          env=full, timeout=120)


@pytest.fixture(scope="session")
def real_pipelines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The benchmark's corpus: PyPI sdists that ship .github/, pinned by sha256, unpacked."""
    sys.path.insert(0, str(BENCH))
    import corpus
    from pypi import pypi_file

    base = tmp_path_factory.mktemp("real-pipelines")
    return {name: corpus.extract(pypi_file(name, sha), base / name) for name, sha in corpus.ALL.items()}
