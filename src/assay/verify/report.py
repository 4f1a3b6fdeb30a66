"""Kept importable for existing callers: the verdict renderers live in ``assay.formats.verdicts_*``.

Each of those modules exposes ``dumps(value, *, created, color=False) -> str`` over
:class:`~assay.model.verify.VerificationReport` (or a list of verdicts); the
functions here keep their old signatures and call them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from assay import formats
from assay.formats.verdicts_json import JSON_SCHEMA, SCHEMA
from assay.model.verify import DEFAULT_TITLE, Verdict, VerificationReport, summary

# the format names the CLI's --format takes (the registry's "verdicts" renderers)
RENDERERS: tuple[str, ...] = tuple(formats.formats_for("verdicts"))

_EPOCH = datetime.fromtimestamp(0, UTC)  # verdict reports carry no timestamp; any value renders the same

__all__ = ["JSON_SCHEMA", "RENDERERS", "SCHEMA", "dumps", "render", "summary", "to_html", "to_json",
           "to_markdown", "to_text"]


def _report(verdicts: Iterable[Verdict], title: str, meta: Mapping[str, Any] | None) -> VerificationReport:
    facts = tuple((str(k), str(v)) for k, v in (meta or {}).items() if isinstance(v, str | int | float))
    return VerificationReport(tuple(verdicts), title, facts)


def dumps(fmt: str, report: VerificationReport, *, created: datetime | None = None,
          color: bool = False) -> str:
    """Render ``report`` in ``fmt`` (text, json, markdown/md, html; anything else: text)."""
    return formats.render("verdicts", fmt if fmt in RENDERERS else "text", report, created=created or _EPOCH,
                  color=color)


def to_json(verdicts: list[Verdict], *, meta: dict[str, Any] | None = None) -> str:
    return dumps("json", _report(verdicts, DEFAULT_TITLE, meta))


def to_text(verdicts: list[Verdict]) -> str:
    return dumps("text", _report(verdicts, DEFAULT_TITLE, None))


def to_markdown(verdicts: list[Verdict], *, title: str = DEFAULT_TITLE,
                meta: dict[str, Any] | None = None) -> str:
    return dumps("markdown", _report(verdicts, title, meta))


def to_html(verdicts: list[Verdict], *, title: str = DEFAULT_TITLE,
            meta: dict[str, Any] | None = None) -> str:
    return dumps("html", _report(verdicts, title, meta))


def render(fmt: str, verdicts: list[Verdict], *, title: str = DEFAULT_TITLE,
           meta: dict[str, Any] | None = None) -> str:
    return dumps(fmt, _report(verdicts, title, meta))
