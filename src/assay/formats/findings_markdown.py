"""Audit results as GitHub-flavoured Markdown (for pull request comments and job summaries)."""

from __future__ import annotations

from datetime import datetime

from assay.model.audit import AuditReport


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def dumps(report: AuditReport, *, created: datetime | None = None, color: bool | None = None) -> str:
    result = report.result
    where = report.graph.placements() if report.graph is not None else {}
    lines = ["# assay audit", ""]
    failing = len(result.failing())
    lines.append(f"**{len(result.findings)}** findings ({failing} at or above `{result.fail_on}`), "
                 f"{len(result.ignored)} ignored, {result.audited} components audited, "
                 f"{len(result.skipped)} skipped.")
    lines.append("")
    if result.findings:
        lines += ["| Severity | Advisory | Aliases | Component | Version | Where | Fixed in | Source |",
                  "|---|---|---|---|---|---|---|---|"]
        for f in result.findings:
            lines.append(f"| {f.severity} | {_cell(f.id)} | {_cell(', '.join(f.aliases))} | "
                         f"{_cell(f.component_name)} | {_cell(f.component_version)} | "
                         f"{_cell(where.get(f.component_id))} | "
                         f"{_cell(', '.join(f.fixed_versions))} | {_cell(f.source)} |")
        lines.append("")
    else:
        lines += ["No known vulnerabilities found.", ""]
    advice = list(result.fix_advice)
    if advice:
        lines += ["## Fix advice", "", "| Component | Version | Upgrade to | Fixes |", "|---|---|---|---|"]
        for a in advice:
            fix = a.fix_version or "no single known fix"
            lines.append(f"| {_cell(a.name)} | {_cell(a.version)} | {_cell(fix)} | "
                         f"{_cell(', '.join(a.advisories))} |")
        lines.append("")
    if result.ignored:
        lines += ["## Ignored", "", "| Advisory | Component | Reason |", "|---|---|---|"]
        for f in result.ignored:
            lines.append(f"| {_cell(f.id)} | {_cell(f.component_name)} {_cell(f.component_version)} | "
                         f"{_cell(f.ignored)} |")
        lines.append("")
    if result.findings:
        lines += ["## Evidence", ""]
        for f in result.findings:
            place = f", {_cell(where[f.component_id])}" if where.get(f.component_id) else ""
            lines.append(f"- **{_cell(f.id)}** ({_cell(f.component_name)} {_cell(f.component_version)}"
                         f"{place}): {_cell(f.evidence)}")
        lines.append("")
    if result.skipped:
        lines += ["## Not audited", ""]
        lines += [f"- {_cell(s.name)} {_cell(s.version)}: {_cell(s.reason)}" for s in result.skipped]
        lines.append("")
    if result.unresolved:
        lines += ["## Undecided", "", "| Advisory | Component | Why |", "|---|---|---|"]
        for u in result.unresolved:
            lines.append(f"| {_cell(u.advisory)} | {_cell(u.name)} {_cell(u.version)} | {_cell(u.reason)} |")
        lines.append("")
    notes = list(result.warnings)
    if notes:
        lines += ["## Warnings", ""]
        lines += [f"- {_cell(w)}" for w in notes]
        lines.append("")
    return "\n".join(lines)
