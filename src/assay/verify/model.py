"""Kept importable for existing callers: the verdict values live in :mod:`assay.model.verify`.

``Kind`` is the old name of :class:`~assay.model.verify.SignatureKind` (one ``Kind``
is enough: :class:`assay.model.Kind` is a component's kind).
"""

from __future__ import annotations

from assay.model.verify import (
    ADVICE,
    Check,
    Reason,
    ReleaseAuditResult,
    SignatureKind,
    Status,
    Verdict,
    VerificationReport,
    as_report,
    combine,
    summary,
)

Kind = SignatureKind  # deprecated alias

__all__ = ["ADVICE", "Check", "Kind", "Reason", "ReleaseAuditResult", "SignatureKind", "Status", "Verdict",
           "VerificationReport", "as_report", "combine", "summary"]
