"""No tracebacks: every failure is one line and the exit code DESIGN.md gives."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assay import catalog
from assay.cli import main

from .helpers import site_packages


def _main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    return int(exc.value.code or 0), capsys.readouterr().err


def test_an_unexpected_exception_is_an_internal_error_exit_70(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*_args: object, **_kw: object) -> None:
        return {}["a bug"]  # type: ignore[return-value]

    monkeypatch.setattr(catalog, "run", broken)
    site = str(site_packages(tmp_path))
    code, err = _main(["sbom", site], capsys)
    assert code == 70
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "internal error" in lines[0] and "--debug" in lines[0]
    assert "KeyError" in lines[0]
    code, err = _main(["--debug", "sbom", site], capsys)
    assert code == 70
    assert "Traceback" in err and "broken" in err  # the traceback, for the bug report


def test_a_missing_optional_dependency_names_its_extra(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # what Python does for an absent module

    def needs_pyarrow(*_args: object, **_kw: object) -> None:
        import pyarrow  # noqa: F401

    monkeypatch.setattr(catalog, "run", needs_pyarrow)
    code, err = _main(["sbom", str(site_packages(tmp_path))], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "pip install 'assay[scale]'" in err


def test_an_unreadable_input_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    req = tmp_path / "requirements.txt"
    req.write_bytes(b"\xff\xfe not utf-8 \x80")
    code, err = _main(["sbom", str(req)], capsys)
    assert code == 2 and err.count("\n") == 1 and "requirements.txt" in err
