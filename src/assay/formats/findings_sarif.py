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
import posixpath
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from assay import __version__
from assay.model import Component, Finding, Graph, Severity
from assay.model.audit import AuditReport, AuditResult

SRCROOT = "%SRCROOT%"

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.NONE: "note", Severity.UNKNOWN: "warning"}
_DEFAULT_SCORE = {Severity.CRITICAL: 9.5, Severity.HIGH: 8.0, Severity.MEDIUM: 5.5,
                  Severity.LOW: 2.0, Severity.NONE: 0.0}
_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)$")


def _location(comp: Component | None, graph: Graph | None, root: str) -> dict[str, Any]:
    """The file a component is (a bundled library's .so, a vendored package's folder, a wheel)
    or was read from (a requirements line), relative to ``root`` when it lies inside it."""
    uri = None
    line = None
    if comp is not None:
        own = comp.prop("assay:path") or comp.prop("assay:dist-info")
        if own:
            uri = own.split("!/", 1)[0]  # a member of an archive: the archive is the file
        else:
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
        artifact: dict[str, Any] = {"uri": uri}
        if root:
            absolute = posixpath.normpath(uri if posixpath.isabs(uri) else posixpath.join(_cwd(), uri))
            under = absolute.startswith(root.rstrip("/") + "/")
            inside = posixpath.relpath(absolute, root) if under else None
            artifact = {"uri": quote(inside), "uriBaseId": SRCROOT} if inside else \
                {"uri": "file://" + quote(absolute)}
        phys: dict[str, Any] = {"artifactLocation": artifact}
        if line:
            phys["region"] = {"startLine": line}
        loc["physicalLocation"] = phys
    return loc


def _cwd() -> str:
    """Where relative evidence locations (a requirements file named as ``requirements.txt``) are."""
    import os

    return os.getcwd()


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


def to_dict(result: AuditResult, graph: Graph | None = None, source_root: str = "") -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    results = []
    where = graph.placements() if graph is not None else {}
    root = posixpath.normpath(source_root) if source_root else ""
    for f in result.findings:
        rules.setdefault(f.id, _rule(f))
        comp = graph.components.get(f.component_id) if graph is not None else None
        fixed = f" Fixed in {', '.join(f.fixed_versions)}." if f.fixed_versions else ""
        place = where.get(f.component_id, "")
        # the same advisory on two copies of one project (pip's vendored idna and the installed one)
        # is two results that code scanning keeps apart: the place is part of the fingerprint
        place_key = place.replace(root + "/", "") if root else place
        key = f"{f.id}\0{f.component_purl or f.component_name}\0{place_key}"
        res: dict[str, Any] = {
            "ruleId": f.id,
            "level": _LEVEL[f.severity],
            "message": {"text": f"{f.component_name} {f.component_version or ''}"
                                f"{' (' + place + ')' if place else ''} is affected by {f.id}"
                                f"{' (' + ', '.join(f.aliases) + ')' if f.aliases else ''}: "
                                f"{f.summary or f.evidence}.{fixed}"},
            "partialFingerprints": {
                "assayFinding/v2": hashlib.sha256(key.encode()).hexdigest()[:32]},
            "properties": {"severity": str(f.severity), "evidence": f.evidence, "source": f.source,
                           "fixed_versions": list(f.fixed_versions), "location": place},
        }
        loc = _location(comp, graph, root)
        logical = {"name": f"{f.component_name}@{f.component_version}", "kind": "package"}
        if f.component_purl:
            logical["fullyQualifiedName"] = f.component_purl
        loc["logicalLocations"] = [logical]
        res["locations"] = [loc]
        results.append(res)
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "assay", "version": __version__,
                            "informationUri": "https://github.com/assay-dev/assay",
                            "rules": [rules[k] for k in sorted(rules)]}},
        "results": results,
    }
    if root:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": "file://" + quote(root.rstrip("/") + "/")}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def dumps(report: AuditReport, *, created: datetime | None = None, color: bool | None = None) -> str:
    return json.dumps(to_dict(report.result, report.graph, report.source_root), indent=2,
                      ensure_ascii=False) + "\n"
