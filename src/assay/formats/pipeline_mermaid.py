"""assay pipeline as a Mermaid flowchart: stages left to right, their jobs inside, the
flows between jobs as edges, and each stage's threats as a coloured node."""

from __future__ import annotations

import itertools
import re
from datetime import datetime

from assay.model.pipeline import PipelineReport, Status

_CLASS = {Status.OPEN: "open", Status.MITIGATED: "mitigated", Status.UNKNOWN: "unknown"}


def _id(text: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", text)


def _label(text: str) -> str:
    return text.replace('"', "'").replace("<", "&lt;").replace(">", "&gt;")


def dumps(report: PipelineReport, *, created: datetime, color: bool | None = None) -> str:
    del created
    out = ["flowchart LR"]
    jobs = set()
    for stage in report.stages:
        out.append(f'  subgraph {_id("stage_" + stage.name)}["{stage.name}"]')
        out.append("    direction TB")
        for job in stage.jobs:
            jobs.add(job.key)
            out.append(f'    {_id(job.key)}["{_label(job.file)}<br/>{_label(job.name)}"]')
        for cell in stage.threats:
            nid = _id(f"t_{stage.name}_{cell.id}")
            out.append(
                f'    {nid}(["{_label(report.label(cell.id))}: {cell.status}"]):::{_CLASS[cell.status]}'
            )
        out.append("  end")
    names = [s.name for s in report.stages]
    for a, b in itertools.pairwise(names):
        out.append(f"  {_id('stage_' + a)} --> {_id('stage_' + b)}")
    for fl in report.flows:
        if fl.kind == "artifact" and fl.source in jobs and fl.target in jobs:
            out.append(f'  {_id(fl.source)} -. "{_label(fl.name)}" .-> {_id(fl.target)}')
    out.append("  classDef open fill:#f8d7da,stroke:#b02a37,color:#58151c")
    out.append("  classDef mitigated fill:#d1e7dd,stroke:#146c43,color:#0a3622")
    out.append("  classDef unknown fill:#e2e3e5,stroke:#6c757d,color:#2b2f32")
    return "\n".join(out) + "\n"
