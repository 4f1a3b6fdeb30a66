"""Verdicts as Markdown: a title, the run's facts, a summary and one table row per artifact."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from assay.model.verify import ReleaseAuditResult, Status, Verdict, VerificationReport, as_report


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def dumps(value: VerificationReport | ReleaseAuditResult | Iterable[Verdict], *, created: datetime,
          color: bool = False) -> str:
    """``created`` and ``color`` are part of the renderer contract; Markdown uses neither."""
    report = as_report(value)
    out = [f"# {report.title}", ""]
    for k, v in report.facts:
        out.append(f"- **{k}**: {_md(v)}")
    out.append("- **summary**: " + ", ".join(f"{n} {k}" for k, n in report.summary().items()))
    out += ["", "| Version | Artifact | Verdict | Reason | Signer / detail |", "|-|-|-|-|-|"]
    for v in report.verdicts:
        signers = ", ".join(sorted({c.signer for c in v.checks if c.signer and c.status is Status.PASS}))
        out.append(f"| {_md(v.version or '')} | `{_md(v.artifact)}` | {v.status.value.upper()} | "
                   f"{v.reason.value if v.reason else ''} | {_md(signers or v.detail)} |")
    return "\n".join(out) + "\n"
