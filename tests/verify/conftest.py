"""Shared fixtures for the verify tests: the signature corpus in ../shared and a CLI runner."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from assay import net
from assay.cli import common, main

SIG = Path(__file__).resolve().parents[3] / "shared" / "data" / "signatures"
BIG = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assay-fixtures" / "big"
THOMAS_KEY = "openpgp/keys/cpython-3.12-3.13-thomas-wouters-7169605F62C751356D054A26A821E680E5FA6305.asc"
PROD_ROOT = "sigstore/trust/prod.trusted_root.json"
RFC8785_ID = "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2"
GHA = "https://token.actions.githubusercontent.com"
PA_PUBLISHER = {"kind": "GitHub", "repository": "trailofbits/pypi-attestations", "workflow": "release.yml"}
FETCH_HINT = "CPython tarball absent: run sh ../shared/data/signatures/fetch-cpython.sh"


def manifest() -> dict[str, Any]:
    if not (SIG / "manifest.json").is_file():
        return {"cases": []}
    return json.loads((SIG / "manifest.json").read_text())


def resolve(rel: str) -> Path:
    """A manifest path: big/... lives where fetch-cpython.sh puts it."""
    if rel.startswith("big/"):
        return BIG / rel[4:]
    return SIG / rel


def need_big() -> Path:
    tarball = BIG / "python3.13_3.13.5.orig.tar.xz"
    if not tarball.is_file():
        pytest.skip(FETCH_HINT)
    return tarball


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
