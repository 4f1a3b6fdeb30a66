"""assay pipeline as JSON.

The documented shape (stable; new keys may be added, none removed)::

    {
      "tool": "assay", "version": "...", "created": "2026-01-01T00:00:00Z",
      "root": "/path", "slsa_version": "1.1", "files": ["..."],
      "stages": [{"name": "publish",
                  "jobs": [{"key", "name", "file", "line", "platform", "roles"}],
                  "threats": [{"id": "F", "slsa_v1_0": "F", "name": "...", "status": "open",
                               "evidence": ["..."]}]}],
      "findings": [{"rule", "severity", "file", "line", "message", "threat", "advice",
                    "stage", "job"}],
      "ignored": [... the same, plus "reason"],
      "flows": [{"kind", "name", "source", "target", "detail"}],
      "warnings": ["..."]
    }

``threat`` and each threat ``id`` use the labels of ``slsa_version`` (1.1: A-I and DEP;
1.0: A-H); ``slsa_v1_0`` always gives the v1.0 letter.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from assay import __version__
from assay.model.pipeline import PipelineFinding, PipelineReport, threat


def _finding(f: PipelineFinding, report: PipelineReport) -> dict[str, Any]:
    out = {
        "rule": f.rule,
        "severity": str(f.severity),
        "file": f.file,
        "line": f.line,
        "message": f.message,
        "threat": report.label(f.threat),
        "advice": f.advice,
        "stage": f.stage,
        "job": f.job,
    }
    if f.ignored is not None:
        out["reason"] = f.ignored
    return out


def to_dict(report: PipelineReport, *, created: datetime) -> dict[str, Any]:
    return {
        "tool": "assay",
        "version": __version__,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "root": report.root,
        "slsa_version": report.slsa_version,
        "files": list(report.files),
        "stages": [
            {
                "name": s.name,
                "jobs": [
                    {
                        "key": j.key,
                        "name": j.name,
                        "file": j.file,
                        "line": j.line,
                        "platform": j.platform,
                        "roles": list(j.roles),
                    }
                    for j in s.jobs
                ],
                "threats": [
                    {
                        "id": report.label(c.id),
                        "slsa_v1_0": threat(c.id).v1_0,
                        "name": threat(c.id).name,
                        "status": str(c.status),
                        "evidence": list(c.evidence),
                    }
                    for c in s.threats
                ],
            }
            for s in report.stages
        ],
        "findings": [_finding(f, report) for f in report.findings],
        "ignored": [_finding(f, report) for f in report.ignored],
        "flows": [
            {"kind": fl.kind, "name": fl.name, "source": fl.source, "target": fl.target, "detail": fl.detail}
            for fl in report.flows
        ],
        "warnings": list(report.warnings),
    }


def dumps(report: PipelineReport, *, created: datetime, color: bool | None = None) -> str:
    return json.dumps(to_dict(report, created=created), indent=2, ensure_ascii=False) + "\n"
