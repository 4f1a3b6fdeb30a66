"""Settings: defaults < ``[tool.assay]`` in pyproject.toml / assay.toml < ``ASSAY_*`` env < flags.

Where files are looked for: ``assay.toml`` then ``pyproject.toml`` in the current
folder (or the folder given). In ``assay.toml`` keys may sit at the top level or
under ``[tool.assay]``; in ``pyproject.toml`` only under ``[tool.assay]``.

Keys (kebab or snake case)::

    [tool.assay]
    fail-on = "high"          # low | medium | high | critical   (ASSAY_FAIL_ON)
    db = "~/.cache/assay/vulndb.sqlite"                          # (ASSAY_DB)
    audit-format = "table"    # assay audit's output format      (ASSAY_AUDIT_FORMAT)
    cpython-repo = "../cpython"  # a CPython clone for PSF GIT ranges (ASSAY_CPYTHON_REPO)
    ignore = [
      { id = "PYSEC-2023-175", reason = "we never decode WebP", until = 2025-06-30 },
    ]

An ignore matches a finding by its id or any alias. ``until`` (a TOML date or
"YYYY-MM-DD") is the last day it applies; after that the finding comes back
with a warning.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assay.errors import ConfigError
from assay.model import Severity


@dataclass(frozen=True, slots=True)
class Ignore:
    id: str
    reason: str
    until: date | None = None
    origin: str = ""  # file the rule came from

    def expired(self, today: date) -> bool:
        return self.until is not None and today > self.until


@dataclass(frozen=True, slots=True)
class Config:
    fail_on: Severity = Severity.LOW
    db: Path | None = None
    audit_format: str = "table"
    cpython_repo: Path | None = None
    ignores: tuple[Ignore, ...] = ()
    origin: tuple[str, ...] = ()  # the files that contributed
    raw: Mapping[str, Any] = field(default_factory=dict)  # every key from the files, for other commands


_ENV = {"ASSAY_FAIL_ON": "fail_on", "ASSAY_DB": "db", "ASSAY_AUDIT_FORMAT": "audit_format",
        "ASSAY_CPYTHON_REPO": "cpython_repo"}


def load(folder: str | os.PathLike[str] | None = None, *, env: Mapping[str, str] | None = None,
         **flags: Any) -> Config:
    """Build the configuration; ``flags`` that are None do not override."""
    env = os.environ if env is None else env
    base = Path(folder) if folder is not None else Path.cwd()
    cfg = Config()
    raw: dict[str, Any] = {}
    origins: list[str] = []
    for name in ("pyproject.toml", "assay.toml"):  # assay.toml wins over pyproject.toml
        path = base / name
        if not path.is_file():
            continue
        table = _read_table(path)
        if table is None:
            continue
        origins.append(str(path))
        raw.update(table)
        cfg = _apply(cfg, table, str(path))
    values = {field_name: env[key] for key, field_name in _ENV.items() if env.get(key)}
    if values:
        cfg = _apply(cfg, values, "environment")
    given = {k: v for k, v in flags.items() if v is not None}
    if given:
        cfg = _apply(cfg, given, "command line")
    return replace(cfg, origin=tuple(origins), raw=raw)


def _read_table(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: unreadable ({exc.strerror})") from None
    tool = data.get("tool", {}).get("assay")
    if tool is not None:
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: [tool.assay] must be a table")
        return tool
    if path.name == "assay.toml":
        return {k: v for k, v in data.items() if k != "tool"}
    return None


def _apply(cfg: Config, table: Mapping[str, Any], origin: str) -> Config:
    changes: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name == "fail_on":
            if isinstance(value, Severity):
                changes["fail_on"] = value
            else:
                try:
                    changes["fail_on"] = Severity.parse(str(value))
                except ValueError as exc:
                    raise ConfigError(f"{origin}: fail-on: {exc}") from None
        elif name in ("db", "cpython_repo"):
            changes[name] = Path(str(value)).expanduser() if value else None
        elif name == "audit_format":
            changes["audit_format"] = str(value)
        elif name in ("ignore", "ignores"):
            changes["ignores"] = cfg.ignores + tuple(_ignores(value, origin))
    return replace(cfg, **changes)


def _ignores(value: Any, origin: str) -> list[Ignore]:
    if isinstance(value, Ignore):
        return [value]
    if not isinstance(value, list):
        raise ConfigError(f"{origin}: ignore must be a list of {{ id, reason, until }} tables")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, Ignore):
            out.append(item)
            continue
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ConfigError(f"{origin}: ignore[{i}] needs an id")
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{origin}: ignore[{i}] ({item['id']}) needs a reason")
        out.append(Ignore(item["id"], reason.strip(), _date(item.get("until"), origin, i), origin))
    return out


def _date(value: Any, origin: str, index: int) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{origin}: ignore[{index}].until {value!r} is not a YYYY-MM-DD date") from None
