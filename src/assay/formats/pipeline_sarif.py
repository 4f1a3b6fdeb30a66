"""assay pipeline as SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).

One rule per check, one result per finding, located at the file and line the YAML
parser gave. ``properties.security-severity`` ranks alerts on GitHub; the SLSA threat
and the stage go to ``properties``; ignored findings are kept as suppressed results.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from assay import __version__
from assay.model import Severity
from assay.model.pipeline import PipelineFinding, PipelineReport, threat

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.NONE: "note",
    Severity.UNKNOWN: "warning",
}
_SCORE = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "2.0",
    Severity.NONE: "0.0",
    Severity.UNKNOWN: "5.0",
}


def _result(f: PipelineFinding, report: PipelineReport, index: dict[str, int]) -> dict[str, Any]:
    res: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": _LEVEL[f.severity],
        "message": {"text": f"{f.message}. {f.advice}"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.line},
                }
            }
        ],
        "partialFingerprints": {
            "assayPipeline/v1": hashlib.sha256(f"{f.rule}\0{f.file}\0{f.message}".encode()).hexdigest()[:32]
        },
        "properties": {
            "severity": str(f.severity),
            "security-severity": _SCORE[f.severity],
            "threat": report.label(f.threat),
            "threat-name": threat(f.threat).name,
            "stage": f.stage,
        },
    }
    if f.job:
        res["properties"]["job"] = f.job
    if f.ignored is not None:
        res["suppressions"] = [{"kind": "external", "justification": f.ignored}]
    return res


def to_dict(report: PipelineReport, *, created: datetime) -> dict[str, Any]:
    every = [*report.findings, *report.ignored]
    rule_ids = sorted({f.rule for f in every})
    index = {r: i for i, r in enumerate(rule_ids)}
    first = {r: next(f for f in every if f.rule == r) for r in rule_ids}
    rules = [
        {
            "id": r,
            "name": r,
            "shortDescription": {"text": r.replace("-", " ")},
            "help": {"text": first[r].advice},
            "defaultConfiguration": {"level": _LEVEL[first[r].severity]},
            "properties": {
                "tags": ["security", "supply-chain", f"slsa-{report.label(first[r].threat)}"],
                "security-severity": _SCORE[first[r].severity],
            },
        }
        for r in rule_ids
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "assay",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://github.com/assay-dev/assay",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "file://" + report.root.rstrip("/") + "/"}},
                "invocations": [
                    {"executionSuccessful": True, "endTimeUtc": created.strftime("%Y-%m-%dT%H:%M:%SZ")}
                ],
                "results": [_result(f, report, index) for f in every],
            }
        ],
    }


def dumps(report: PipelineReport, *, created: datetime, color: bool | None = None) -> str:
    return json.dumps(to_dict(report, created=created), indent=2, ensure_ascii=False) + "\n"
