"""assay's data files (detection tables, schemas, policies), read with :func:`read_text`."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def read_text(*parts: str) -> str:
    """A data file's text, e.g. ``read_text("bundled", "libraries.toml")``.

    Read from the package folder directly: assay is installed as files, and this avoids loading
    importlib.resources' zip machinery on every start."""
    return _HERE.joinpath(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    """A data file's bytes, e.g. ``read_bytes("licenses", "spdx.dat")`` (see :func:`read_text`)."""
    return _HERE.joinpath(*parts).read_bytes()
