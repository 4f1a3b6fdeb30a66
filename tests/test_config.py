"""Settings precedence: defaults < pyproject.toml [tool.assay] < assay.toml < ASSAY_* env < flags."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assay.config import load
from assay.errors import ConfigError
from assay.model import Severity


def test_precedence(tmp_path: Path) -> None:
    assert load(tmp_path, env={}).fail_on == Severity.LOW
    (tmp_path / "pyproject.toml").write_text('[tool.assay]\nfail-on = "medium"\naudit-format = "json"\n')
    assert load(tmp_path, env={}).fail_on == Severity.MEDIUM
    (tmp_path / "assay.toml").write_text('fail_on = "high"\n')
    cfg = load(tmp_path, env={})
    assert (cfg.fail_on, cfg.audit_format) == (Severity.HIGH, "json")
    assert load(tmp_path, env={"ASSAY_FAIL_ON": "critical"}).fail_on == Severity.CRITICAL
    assert load(tmp_path, env={"ASSAY_FAIL_ON": "critical"}, fail_on="low").fail_on == Severity.LOW
    assert load(tmp_path, env={"ASSAY_DB": "/x/v.sqlite"}).db == Path("/x/v.sqlite")


def test_ignores(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.assay]\nignore = [{ id = "PYSEC-1", reason = "not reachable", until = 2024-01-31 },'
        ' { id = "CVE-2", reason = "vendored copy is patched", until = "2030-12-31" }]\n')
    cfg = load(tmp_path, env={})
    first, second = cfg.ignores
    assert first.until == date(2024, 1, 31) and first.expired(date(2024, 2, 1))
    assert not first.expired(date(2024, 1, 31))  # `until` is the last day it applies
    assert second.until == date(2030, 12, 31)
    assert first.origin.endswith("pyproject.toml")


@pytest.mark.parametrize(("text", "message"), [
    ('[tool.assay]\nignore = [{ id = "X" }]\n', "needs a reason"),
    ('[tool.assay]\nignore = [{ id = "X", reason = "r", until = "soon" }]\n', "not a YYYY-MM-DD date"),
    ('[tool.assay]\nfail-on = "severe"\n', "unknown severity"),
    ("[tool.assay\n", "invalid TOML"),
])
def test_bad_config_is_one_line_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as exc:
        load(tmp_path, env={})
    assert "pyproject.toml" in exc.value.message
