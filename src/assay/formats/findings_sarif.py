"""Audit results as SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).

One rule per advisory id, one result per finding. The location is the file the
component was read from (a requirements line, a lock file, a wheel) when the
component's evidence names one; the logical location is the component's purl.
Severity goes to ``level`` and to ``properties.security-severity`` (the CVSS
score, which GitHub uses to rank alerts).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

from assay import __version__
from assay.model import Component, Finding, Graph, Severity
from assay.model.audit import AuditReport, AuditResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.NONE: "note", Severity.UNKNOWN: "warning"}
_DEFAULT_SCORE = {Severity.CRITICAL: 9.5, Severity.HIGH: 8.0, Severity.MEDIUM: 5.5,
                  Severity.LOW: 2.0, Severity.NONE: 0.0}
_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)$")


def _location(comp: Component | None, graph: Graph | None) -> dict[str, Any]:
    uri = None
    line = None
    if comp is not None:
        for ev in comp.evidence:
            if ev.location:
                m = _LINE.match(ev.location)
                uri, line = (m["path"], int(m["line"])) if m else (ev.location.split(":packages[")[0]
                                                                     .split(":package[")[0], None)
                break
    if uri is None and graph is not None:
        uri = graph.metadata.get("target")
    loc: dict[str, Any] = {}
    if uri:
        phys: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if line:
            phys["region"] = {"startLine": line}
        loc["physicalLocation"] = phys
    return loc


def _rule(f: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": f.id,
        "shortDescription": {"text": f.summary or f.id},
        "helpUri": next((r for r in f.references if r.startswith(("http://", "https://"))),
                        f"https://osv.dev/vulnerability/{f.id}"),
        "properties": {"tags": ["security", "vulnerability"]},
    }
    score = f.score if f.score is not None else _DEFAULT_SCORE.get(f.severity)
    if score is not None:
        rule["properties"]["security-severity"] = f"{score:.1f}"
    if f.aliases:
        rule["properties"]["aliases"] = list(f.aliases)
    return rule


def to_dict(result: AuditResult, graph: Graph | None = None) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for f in result.findings:
        rules.setdefault(f.id, _rule(f))
        comp = graph.components.get(f.component_id) if graph is not None else None
        fixed = f" Fixed in {', '.join(f.fixed_versions)}." if f.fixed_versions else ""
        res: dict[str, Any] = {
            "ruleId": f.id,
            "level": _LEVEL[f.severity],
            "message": {"text": f"{f.component_name} {f.component_version or ''} is affected by {f.id}"
                                f"{' (' + ', '.join(f.aliases) + ')' if f.aliases else ''}: "
                                f"{f.summary or f.evidence}.{fixed}"},
            "partialFingerprints": {
                "assayFinding/v1": hashlib.sha256(f"{f.id}\0{f.component_purl or f.component_name}"
                                                  .encode()).hexdigest()[:32]},
            "properties": {"severity": str(f.severity), "evidence": f.evidence, "source": f.source,
                           "fixed_versions": list(f.fixed_versions)},
        }
        loc = _location(comp, graph)
        logical = {"name": f"{f.component_name}@{f.component_version}", "kind": "package"}
        if f.component_purl:
            logical["fullyQualifiedName"] = f.component_purl
        loc["logicalLocations"] = [logical]
        res["locations"] = [loc]
        results.append(res)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "assay", "version": __version__,
                                "informationUri": "https://github.com/assay-dev/assay",
                                "rules": [rules[k] for k in sorted(rules)]}},
            "results": results,
        }],
    }


def dumps(report: AuditReport, *, created: datetime | None = None, color: bool | None = None) -> str:
    return json.dumps(to_dict(report.result, report.graph), indent=2, ensure_ascii=False) + "\n"
