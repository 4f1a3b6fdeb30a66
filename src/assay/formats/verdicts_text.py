"""Verdicts as text for a terminal: one line per artifact, advice for each failure, a summary line.

``color=True`` colours the status word (ANSI; green pass, red fail, yellow missing);
the words and layout are the same either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from assay.model.verify import ADVICE, ReleaseAuditResult, Status, Verdict, VerificationReport, as_report

_COLOURS = {Status.PASS: "32", Status.FAIL: "31", Status.MISSING: "33", Status.NOT_APPLICABLE: "2"}


def line(v: Verdict, *, color: bool = False) -> str:
    word = f"{v.status.value.upper():<14}"
    if color:
        word = f"\x1b[{_COLOURS[v.status]}m{word}\x1b[0m"
    head = f"{word} {v.artifact}"
    if v.reason:
        head += f"  [{v.reason.value}]"
    if v.detail:
        head += f"  {v.detail}"
    return head


def dumps(value: VerificationReport | ReleaseAuditResult | Iterable[Verdict], *, created: datetime,
          color: bool = False) -> str:
    """``created`` is part of the renderer contract; a terminal report shows no timestamp."""
    report = as_report(value)
    verdicts = report.verdicts
    lines = [line(v, color=color) for v in verdicts]
    for v in verdicts:
        if v.reason and v.reason in ADVICE:
            lines.append(f"  -> {v.artifact}: {ADVICE[v.reason]}")
    counts = report.summary()
    lines.append(", ".join(f"{n} {k}" for k, n in counts.items() if n) or "nothing verified")
    return "\n".join(lines) + "\n"
