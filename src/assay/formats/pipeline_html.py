"""assay pipeline as one self-contained HTML page: the stage diagram with each stage's SLSA
threats coloured by status, then the findings, the flows between jobs and the evidence.

No scripts, no external fonts, styles or images: the file opens offline, anywhere.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from assay import __version__
from assay.model import Severity
from assay.model.pipeline import PipelineReport, Status, threat

OPEN_BG, OK_BG, UNKNOWN_BG = "#d93b3b", "#2e9e5b", "#9aa0a6"
_BG = {Status.OPEN: OPEN_BG, Status.MITIGATED: OK_BG, Status.UNKNOWN: UNKNOWN_BG}
_SEV_BG = {
    Severity.CRITICAL: "#7a0916",
    Severity.HIGH: "#d93b3b",
    Severity.MEDIUM: "#e0a100",
    Severity.LOW: "#2f7fc1",
    Severity.NONE: "#9aa0a6",
    Severity.UNKNOWN: "#8e44ad",
}

_CSS = f"""
*{{box-sizing:border-box}}
body{{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px;
color:#1d2125;
background:#fff}}
h1{{font-size:22px;margin:0 0 4px}} h2{{font-size:17px;margin:28px 0 8px}}
.meta{{color:#5f6368;margin-bottom:18px}}
.diagram{{display:flex;align-items:stretch;gap:0;overflow-x:auto;padding:4px 0 8px}}
.stage{{flex:1 1 0;min-width:190px;border:2px solid #c7ccd1;border-radius:10px;padding:10px;
background:#f8f9fa}}
.stage h3{{margin:0 0 6px;font-size:15px;text-transform:capitalize}}
.arrow{{flex:0 0 34px;display:flex;align-items:center;justify-content:center;font-size:26px;color:#6c757d}}
.threats{{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0 10px}}
.threat{{display:inline-block;border-radius:6px;padding:4px 8px;color:#fff;font-weight:600;font-size:13px}}
.threat small{{font-weight:400;opacity:.95}}
.threat .n{{display:inline-block;min-width:18px;margin-left:4px;padding:0 5px;border-radius:9px;
background:rgba(0,0,0,.25);text-align:center;font-size:11.5px}}
.st-open{{background:{OPEN_BG}}} .st-mitigated{{background:{OK_BG}}} .st-unknown{{background:{UNKNOWN_BG}}}
.jobs{{list-style:none;margin:0;padding:0;font-size:12.5px}}
.jobs li{{background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:3px 6px;margin:3px 0;
overflow-wrap:anywhere}}
.jobs .none{{color:#6c757d;font-style:italic;border-style:dashed}}
.legend span{{margin-right:14px}} .legend i{{display:inline-block;width:12px;height:12px;border-radius:3px;
vertical-align:-1px;margin-right:4px}}
table{{border-collapse:collapse;width:100%;font-size:13px}}
th,td{{border-bottom:1px solid #e3e6e8;text-align:left;padding:5px 8px;vertical-align:top}}
th{{background:#f1f3f5}}
.sev{{display:inline-block;border-radius:4px;padding:1px 6px;color:#fff;font-size:12px;font-weight:600}}
code{{font:12.5px ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}}
details{{margin:4px 0}} summary{{cursor:pointer}}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def dumps(report: PipelineReport, *, created: datetime, color: bool | None = None) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>assay pipeline: {_e(report.root)}</title><style>{_CSS}</style></head><body>",
        "<h1>Release pipeline: stages and SLSA threats</h1>",
        f'<div class="meta">{_e(report.root)} · {len(report.files)} files read · '
        f"{len(report.findings)} findings ({len(report.failing())} at or above {report.fail_on}) · "
        f"SLSA v{_e(report.slsa_version)} labels · assay {__version__} · "
        f"{created.strftime('%Y-%m-%d %H:%M UTC')}</div>",
        '<div class="legend">'
        f'<span><i style="background:{OPEN_BG}"></i>open (findings)</span>'
        f'<span><i style="background:{OK_BG}"></i>mitigated (evidence)</span>'
        f'<span><i style="background:{UNKNOWN_BG}"></i>unknown</span></div>',
        '<div class="diagram" id="diagram">',
    ]
    for i, stage in enumerate(report.stages):
        if i:
            parts.append('<div class="arrow" aria-hidden="true">&#10140;</div>')
        parts.append(
            f'<section class="stage" data-stage="{_e(stage.name)}"><h3>{_e(stage.name)}</h3>'
            '<div class="threats">'
        )
        for cell in stage.threats:
            t = threat(cell.id)
            tip = f"{t.name}: {cell.status}. " + " | ".join(cell.evidence)
            n = sum(1 for f in report.findings if f.stage == stage.name and f.threat == cell.id)
            count = f' <b class="n">{n}</b>' if n else ""
            parts.append(
                f'<span class="threat st-{cell.status}" data-threat="{_e(cell.id)}" '
                f'data-status="{cell.status}" title="{_e(tip)}">{_e(report.label(cell.id))} '
                f"<small>{_e(t.name)}</small>{count}</span>"
            )
        parts.append('</div><ul class="jobs">')
        if not stage.jobs:
            parts.append('<li class="none">no job found</li>')
        for job in stage.jobs[:12]:
            parts.append(f'<li title="{_e(job.key)}"><code>{_e(job.file)}</code><br>{_e(job.name)}</li>')
        if len(stage.jobs) > 12:
            parts.append(f'<li class="none">… and {len(stage.jobs) - 12} more</li>')
        parts.append("</ul></section>")
    parts.append("</div>")

    parts.append(f"<h2>Findings ({len(report.findings)})</h2>")
    if report.findings:
        parts.append(
            '<table id="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Stage</th>'
            "<th>Threat</th><th>Finding and advice</th></tr></thead><tbody>"
        )
        for f in report.findings:
            parts.append(
                f'<tr data-rule="{_e(f.rule)}"><td>'
                f'<span class="sev" style="background:{_SEV_BG[f.severity]}">'
                f"{_e(f.severity)}</span></td><td><code>{_e(f.rule)}</code></td>"
                f"<td><code>{_e(f.file)}:{f.line}</code></td><td>{_e(f.stage)}</td>"
                f"<td>{_e(report.label(f.threat))} {_e(threat(f.threat).name)}</td>"
                f"<td>{_e(f.message)}<details><summary>advice</summary>{_e(f.advice)}</details></td></tr>"
            )
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No findings.</p>")
    if report.ignored:
        parts.append(f"<h2>Ignored ({len(report.ignored)})</h2><ul>")
        parts += [
            f"<li><code>{_e(f.rule)}</code> {_e(f.file)}:{f.line}: {_e(f.ignored)}</li>"
            for f in report.ignored
        ]
        parts.append("</ul>")

    parts.append(
        "<h2>Threats per stage: evidence</h2><table><thead><tr><th>Stage</th><th>Threat</th>"
        "<th>Status</th><th>Evidence</th></tr></thead><tbody>"
    )
    for stage in report.stages:
        for cell in stage.threats:
            parts.append(
                f"<tr><td>{_e(stage.name)}</td><td>{_e(report.label(cell.id))} "
                f'{_e(threat(cell.id).name)}</td><td><span class="threat st-{cell.status}">'
                f"{_e(cell.status)}</span></td><td>{'<br>'.join(_e(x) for x in cell.evidence)}</td></tr>"
            )
    parts.append("</tbody></table>")

    if report.flows:
        parts.append(
            "<h2>What flows between jobs</h2><table><thead><tr><th>Kind</th><th>Name</th><th>From</th>"
            "<th>To</th></tr></thead><tbody>"
        )
        for fl in report.flows:
            parts.append(
                f"<tr><td>{_e(fl.kind)}</td><td><code>{_e(fl.name)}</code></td>"
                f"<td>{_e(fl.source or fl.detail or '(outside)')}</td><td>{_e(fl.target or '')}</td></tr>"
            )
        parts.append("</tbody></table>")
    if report.warnings:
        parts.append(
            "<h2>Warnings</h2><ul>" + "".join(f"<li>{_e(w)}</li>" for w in report.warnings) + "</ul>"
        )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
