"""tests/pypi.py, the fixture fetcher every test relies on: a fresh clone with an empty cache
must get its wheels."""

from __future__ import annotations

from pathlib import Path

import pytest

import pypi

# py3 (a bare major) with Requires-Python >=3.7: pip read "--python-version 3" as Python 3.0
NINJA = ("ninja-1.11.1.4-py3-none-manylinux_2_12_x86_64.manylinux2010_x86_64.whl",
         "096487995473320de7f65d622c3f1d16c3ad174797602218ca8c967f51ec38a0")


def test_a_py3_platform_wheel_is_fetched_into_an_empty_cache(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pypi, "CACHE", tmp_path)
    got = pypi.pypi_file(*NINJA)
    assert got == tmp_path / "files" / NINJA[0] and got.stat().st_size > 100_000


def test_a_failed_fetch_says_what_pip_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pypi, "CACHE", tmp_path)
    with pytest.raises(pypi.FetchError) as exc:
        pypi.pypi_file("ninja-0.0.0.0-py3-none-manylinux_2_12_x86_64.whl")
    text = str(exc.value)
    assert "ninja-0.0.0.0" in text and "No matching distribution" in text  # pip's own words
