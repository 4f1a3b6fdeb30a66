"""Fixtures for the verify tests: the signature corpus and an in-process CLI runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assay import net
from assay.cli import common, main

from .verify_data import SIG


@pytest.fixture(scope="session")
def sig() -> Path:
    if not SIG.is_dir():
        pytest.skip("../shared/data/signatures is not present")
    return SIG


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``assay ARGS`` in-process as a user would; returns exit code, stdout, stderr."""
    def run(*args: str | Path) -> Result:
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            net.set_offline(None)  # --offline is process-wide; do not leak it into the next test
            common.QUIET = False
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err, captured.err
        return Result(code, captured.out, captured.err)

    return run
