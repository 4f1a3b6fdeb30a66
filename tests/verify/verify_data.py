"""Paths and helpers for the verify tests: the signature corpus in ../shared/data/signatures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

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
