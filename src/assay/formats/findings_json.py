"""Audit results as JSON: the documented, stable shape of ``assay audit -f json``.

Shape (keys always present; lists may be empty)::

    {
      "schema": "assay-audit/1",
      "findings": [                     # in force: not ignored; most severe first
        {
          "id": "PYSEC-2023-175",       # primary advisory id (PSF > PYSEC > GHSA > CVE)
          "aliases": ["CVE-…", "GHSA-…"],  # every other id merged into this finding
          "component": {"name": "pillow", "version": "10.0.0", "purl": "pkg:pypi/pillow@10.0.0",
                        "location": "installed in /venv/lib/python3.12/site-packages"},
                                        # location: where the component sits, in words (two copies
                                        # of one project are told apart by it; "" when unknown)
          "fixed_versions": ["10.0.1"], # versions that fix it (PEP 440 or native ordering)
          "severity": "high",           # unknown | none | low | medium | high | critical
          "source": "osv:pypa",         # osv:pypa | osv:ghsa | osv | psf | nvd | cve5
          "evidence": "pillow 10.0.0 in OSV range [introduced 0, fixed 10.0.1]"
        }
      ],
      "ignored":    [ same as a finding, plus "reason": why an ignore rule applies ],
      "fix_advice": [ {"name", "version", "fix_version" (null: none known), "advisories": [...]} ],
      "skipped":    [ {"name", "version", "reason"} ],      # components that could not be checked
      "unresolved": [ {"name", "version", "advisory", "reason"} ],  # advisories not decidable
      "warnings":   [ "…" ],                                # e.g. expired ignores
      "summary": {"components", "audited", "findings", "ignored", "failing", "fail_on",
                  "by_severity": {"critical": n, …}},
      "database": {"path", "sources": {source: {"advisories", "withdrawn", "newest_modified"}}}
    }

``fix_advice[].fix_version`` is the smallest version that fixes every finding of
that component at once (``null`` when no single known version does).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from assay.model import Finding, Graph, Severity
from assay.model.audit import AuditReport, AuditResult

SCHEMA = "assay-audit/1"


def finding_dict(f: Finding, where: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "id": f.id,
        "aliases": list(f.aliases),
        "component": {"name": f.component_name, "version": f.component_version, "purl": f.component_purl,
                      "location": (where or {}).get(f.component_id, "")},
        "fixed_versions": list(f.fixed_versions),
        "severity": str(f.severity),
        "source": f.source,
        "evidence": f.evidence,
    }


def to_dict(result: AuditResult, graph: Graph | None = None) -> dict[str, Any]:
    by_sev = Counter(str(f.severity) for f in result.findings)
    components = len(graph.packages()) if graph is not None else result.audited + len(result.skipped)
    where = graph.placements() if graph is not None else {}
    return {
        "schema": SCHEMA,
        "findings": [finding_dict(f, where) for f in result.findings],
        "ignored": [{**finding_dict(f, where), "reason": f.ignored} for f in result.ignored],
        "fix_advice": [{"name": a.name, "version": a.version, "fix_version": a.fix_version,
                        "advisories": list(a.advisories)} for a in result.fix_advice],
        "skipped": [{"name": s.name, "version": s.version, "reason": s.reason} for s in result.skipped],
        "unresolved": [{"name": u.name, "version": u.version, "advisory": u.advisory, "reason": u.reason}
                       for u in result.unresolved],
        "warnings": list(result.warnings),
        "summary": {
            "components": components,
            "audited": result.audited,
            "findings": len(result.findings),
            "ignored": len(result.ignored),
            "failing": len(result.failing()),
            "fail_on": str(result.fail_on),
            "by_severity": {str(s): by_sev[str(s)] for s in sorted(Severity, reverse=True) if by_sev[str(s)]},
        },
        "database": result.database,
    }


def dumps(report: AuditReport, *, created: datetime | None = None, color: bool | None = None) -> str:
    return json.dumps(to_dict(report.result, report.graph), indent=2, ensure_ascii=False) + "\n"
