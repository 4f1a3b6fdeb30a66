"""Sinks: every renderer of assay's results, registered in one place with one contract.

A renderer is a pure function ``dumps(value, *, created: datetime, color: bool | None) -> str``
over a model value; it never reads files. ``created`` is the document timestamp chosen by
:func:`creation_time` (SOURCE_DATE_EPOCH, ``--reproducible``); ``color`` asks a terminal
renderer for colour (``None``: decide from stdout). Output is deterministic for the same value
and ``created`` (sorted keys and lists, ids derived from content).

| subject         | value                                   | formats                                  |
|-----------------|-----------------------------------------|------------------------------------------|
| ``sbom``        | :class:`~assay.model.Graph`             | spdx-json, cyclonedx-json, json, table   |
| ``audit``       | :class:`~assay.model.audit.AuditReport` | table, json, sarif, markdown, cyclonedx-json |
| ``integrity``   | :class:`~assay.model.integrity.IntegrityReport` | table, json                      |
| ``verdicts``    | :class:`~assay.model.verify.VerificationReport` | text, json, markdown, html       |
| ``pipeline``    | :class:`~assay.model.pipeline.PipelineReport`   | table, json, sarif, html, mermaid |
| ``scan``        | :class:`~assay.model.report.ScanReport` | html                                     |

Document formats that assay also reads (SPDX, CycloneDX, assay JSON) live in one module each
that reads and writes them; :mod:`assay.formats.documents` reads a parsed document of any of them.
Adding an output is one renderer module and one line in :data:`RENDERERS`.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assay.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Renderer:
    """One output format of one subject, and the function that writes it."""

    subject: str  # what it renders (see the table above)
    format: str  # the name users give to -f
    target: str  # "module:function"
    description: str = ""


RENDERERS: tuple[Renderer, ...] = (
    Renderer("sbom", "cyclonedx-json", "assay.formats.cyclonedx:dumps", "CycloneDX 1.6 JSON"),
    Renderer("sbom", "spdx-json", "assay.formats.spdx:dumps", "SPDX 2.3 JSON"),
    Renderer("sbom", "json", "assay.formats.assay_json:dumps", "assay's lossless JSON"),
    Renderer("sbom", "table", "assay.formats.table:dumps", "a table for people"),
    Renderer("audit", "table", "assay.formats.findings_table:dumps", "a table for people"),
    Renderer("audit", "json", "assay.formats.findings_json:dumps", "the documented assay-audit/1 JSON"),
    Renderer("audit", "sarif", "assay.formats.findings_sarif:dumps", "SARIF 2.1.0 for code scanning"),
    Renderer("audit", "markdown", "assay.formats.findings_markdown:dumps", "Markdown for reviews"),
    Renderer("audit", "cyclonedx-json", "assay.formats.cyclonedx:dumps_audit",
             "CycloneDX 1.6 with vulnerabilities"),
    Renderer("integrity", "table", "assay.formats.integrity_table:dumps", "a table for people"),
    Renderer("integrity", "json", "assay.formats.integrity_json:dumps", "JSON"),
    Renderer("verdicts", "text", "assay.formats.verdicts_text:dumps", "a line per artifact"),
    Renderer("verdicts", "json", "assay.formats.verdicts_json:dumps", "the documented verify-report/1 JSON"),
    Renderer("verdicts", "markdown", "assay.formats.verdicts_markdown:dumps", "Markdown"),
    Renderer("verdicts", "md", "assay.formats.verdicts_markdown:dumps", "Markdown"),
    Renderer("verdicts", "html", "assay.formats.verdicts_html:dumps", "one self-contained HTML page"),
    Renderer("pipeline", "table", "assay.formats.pipeline_table:dumps", "the stage x threat matrix"),
    Renderer("pipeline", "json", "assay.formats.pipeline_json:dumps", "the documented pipeline JSON"),
    Renderer("pipeline", "sarif", "assay.formats.pipeline_sarif:dumps", "SARIF 2.1.0 for code scanning"),
    Renderer("pipeline", "html", "assay.formats.pipeline_html:dumps", "the stage diagram, self-contained"),
    Renderer("pipeline", "mermaid", "assay.formats.pipeline_mermaid:dumps", "a Mermaid flowchart"),
    Renderer("scan", "html", "assay.formats.report_html:dumps", "one self-contained HTML page"),
)


def formats_for(subject: str) -> list[str]:
    """The format names a subject can be rendered in, in registry order."""
    return [r.format for r in RENDERERS if r.subject == subject]


def renderer(subject: str, fmt: str) -> Renderer:
    for r in RENDERERS:
        if r.subject == subject and r.format == fmt:
            return r
    raise ConfigError(f"unknown format {fmt!r} for {subject} (choose from {', '.join(formats_for(subject))})")


def creation_time(reproducible: bool = False) -> datetime:
    """SOURCE_DATE_EPOCH when set; the Unix epoch under --reproducible; else now (whole seconds)."""
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde:
        try:
            return datetime.fromtimestamp(int(sde), UTC)
        except ValueError:
            raise ConfigError(f"SOURCE_DATE_EPOCH={sde!r} is not an integer") from None
    if reproducible:
        return datetime.fromtimestamp(0, UTC)
    return datetime.now(UTC).replace(microsecond=0)


def render(subject: str, fmt: str, value: Any, *, reproducible: bool = False,
           color: bool | None = False, created: datetime | None = None) -> str:
    """Render ``value`` (a model value of ``subject``) in ``fmt``."""
    r = renderer(subject, fmt)
    module_name, attr = r.target.split(":")
    function = getattr(importlib.import_module(module_name), attr)
    return function(value, created=created or creation_time(reproducible), color=color)


__all__ = ["RENDERERS", "Renderer", "creation_time", "formats_for", "render", "renderer"]
