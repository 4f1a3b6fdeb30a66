"""Sinks: writers that turn a Graph (and Findings) into documents. They never read files.

Writer contract: ``dumps(graph, *, created, findings=()) -> str`` where
``created`` is the document timestamp (a timezone-aware datetime) chosen by
:func:`creation_time`. Output must be deterministic for the same graph and
``created`` (sorted keys/lists, ids derived from content), so
``--reproducible`` / SOURCE_DATE_EPOCH give byte-identical documents.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from datetime import UTC, datetime

from assay.errors import ConfigError
from assay.model import Finding, Graph

SBOM_WRITERS: dict[str, str] = {
    "spdx-json": "assay.formats.spdx:dumps",
    "cyclonedx-json": "assay.formats.cyclonedx:dumps",
    "json": "assay.formats.native:dumps",
    "table": "assay.formats.table:dumps",
}


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


def render(graph: Graph, fmt: str, *, reproducible: bool = False,
           findings: Sequence[Finding] = (), to_file: bool = False) -> str:
    """Render ``graph`` in ``fmt``. ``to_file``: the text goes to a file (no terminal colour)."""
    try:
        target = SBOM_WRITERS[fmt]
    except KeyError:
        raise ConfigError(f"unknown format {fmt!r} (choose from {', '.join(SBOM_WRITERS)})") from None
    module_name, attr = target.split(":")
    writer = getattr(importlib.import_module(module_name), attr)
    extra = {"color": False} if fmt == "table" and to_file else {}
    return writer(graph, created=creation_time(reproducible), findings=findings, **extra)
