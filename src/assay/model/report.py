"""What one scan found, as one value: the inventory, the audit and the integrity check together
(what the HTML report shows; each part also has its own renderers)."""

from __future__ import annotations

from dataclasses import dataclass

from assay.model.audit import AuditResult
from assay.model.graph import Graph
from assay.model.integrity import IntegrityReport


@dataclass(frozen=True, slots=True)
class ScanReport:
    graph: Graph
    audit: AuditResult | None = None
    audit_note: str = ""  # which database was used, or why the audit was skipped
    integrity: IntegrityReport | None = None
    exit_code: int = 0
    reasons: tuple[str, ...] = ()  # why the exit code is not 0, in words
    documents: tuple[str, ...] = ()  # the documents written beside the report


__all__ = ["ScanReport"]
