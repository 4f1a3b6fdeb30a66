"""Findings: a known vulnerability that applies to a component, with the evidence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Severity(IntEnum):
    """Ordered so that ``>=`` compares thresholds (``--fail-on``)."""

    UNKNOWN = 0
    NONE = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    CRITICAL = 5

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (use low, medium, high or critical)"
            ) from None

    @classmethod
    def from_score(cls, score: float | None) -> Severity:
        """CVSS v3/v4 qualitative rating of a base score."""
        if score is None:
            return cls.UNKNOWN
        if score == 0:
            return cls.NONE
        if score < 4.0:
            return cls.LOW
        if score < 7.0:
            return cls.MEDIUM
        if score < 9.0:
            return cls.HIGH
        return cls.CRITICAL

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Finding:
    """One advisory matched to one component (aliases already merged).

    ``evidence`` says why it matched, e.g. "version 1.3.1 in range [0, 1.3.2)
    of cpe:2.3:a:webmproject:libwebp" plus where the version came from.
    """

    id: str  # the primary advisory id (PYSEC-..., GHSA-..., CVE-..., PSF-...)
    component_id: str
    component_name: str
    component_version: str | None
    component_purl: str | None = None
    aliases: tuple[str, ...] = ()
    summary: str = ""
    severity: Severity = Severity.UNKNOWN
    score: float | None = None
    vector: str | None = None
    fixed_versions: tuple[str, ...] = ()
    source: str = ""  # which database: "osv:pypa", "psf", "nvd", ...
    evidence: str = ""
    ignored: str | None = None  # reason when an ignore rule applies
    references: tuple[str, ...] = ()
