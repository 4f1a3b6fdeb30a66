"""Audit results: what every audit renderer shows (table, JSON, SARIF, Markdown, CycloneDX).

Pure values; :func:`assay.audit.audit_graph` produces them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assay.errors import EXIT_OK, EXIT_POLICY
from assay.model.finding import Finding, Severity
from assay.model.graph import Graph


@dataclass(frozen=True, slots=True)
class Skipped:
    component_id: str
    name: str
    version: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class UnresolvedAdvisory:
    component_id: str
    name: str
    version: str | None
    advisory: str
    reason: str
    kind: str = ""  # no-resolver | unknown-commit | beyond-table


@dataclass(frozen=True, slots=True)
class FixAdvice:
    component_id: str
    name: str
    version: str | None
    fix_version: str | None  # None: no version is known to fix every finding
    advisories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuditResult:
    findings: tuple[Finding, ...] = ()
    ignored: tuple[Finding, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    unresolved: tuple[UnresolvedAdvisory, ...] = ()
    fix_advice: tuple[FixAdvice, ...] = ()
    warnings: tuple[str, ...] = ()
    database: dict[str, Any] = field(default_factory=dict)
    fail_on: Severity = Severity.LOW
    audited: int = 0  # components checked against at least one advisory source

    def failing(self, threshold: Severity | None = None) -> list[Finding]:
        """Findings at or above ``threshold``; a finding of unknown severity always counts
        (it cannot be shown to be below the threshold)."""
        limit = self.fail_on if threshold is None else threshold
        return [f for f in self.findings if f.severity == Severity.UNKNOWN or f.severity >= limit]

    def exit_code(self, threshold: Severity | None = None) -> int:
        return EXIT_POLICY if self.failing(threshold) else EXIT_OK


@dataclass(frozen=True, slots=True)
class AuditReport:
    """What an audit renderer is given: the result and the graph it was computed on (for
    where each component sits)."""

    result: AuditResult
    graph: Graph | None = None
    # the folder file locations are given relative to (SARIF's %SRCROOT%): the top of the
    # repository the audit ran in, or the folder it ran in; "" leaves locations as they are
    source_root: str = ""


__all__ = ["AuditReport", "AuditResult", "FixAdvice", "Skipped", "UnresolvedAdvisory"]
