"""A scanned distribution as plain rows (dicts) for the store's tables; no pyarrow here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assay import __version__
from assay.corpus.plan import Item
from assay.model import Finding, Graph, RelType


def _evidence(c) -> list[dict[str, str]]:
    return [{"kind": e.kind, "location": e.location, "detail": e.detail, "proves": e.proves}
            for e in c.evidence]


def component_path(c) -> str | None:
    """Where inside the artifact the component was found."""
    path = c.prop("assay:path")
    if path:
        return path
    for e in c.evidence:
        if e.location:
            return e.location
    return None


def rows_for(item: Item, graph: Graph | None, findings: list[Finding], *, error: str | None,
             times: dict[str, float], worker: str, started: datetime) -> dict[str, Any]:
    root = graph.root_component if graph is not None else None
    if root is not None and error is None:
        got = next((h.value for h in root.hashes if h.alg == "sha256"), None)
        if got is not None and got != item.sha256:
            error = f"catalogue: the file changed since it was listed (sha256 {got}, listed {item.sha256})"
    kind = "wheel" if item.filename.lower().endswith(".whl") else "sdist"
    ok = error is None and graph is not None
    project = root.name if ok and root is not None else item.project
    version = (root.version if ok and root is not None else None) or item.version
    base = {"sha256": item.sha256, "filename": item.filename}
    components: list[dict[str, Any]] = []
    unknowns: list[dict[str, Any]] = []
    finding_rows: list[dict[str, Any]] = []
    if ok and graph is not None:
        parents: dict[str, str] = {}
        for rel in graph.sorted_relationships():
            if rel.type == RelType.CONTAINS:
                parents.setdefault(rel.target, rel.source)
        for c in graph.packages():
            components.append({
                **base, "project": project, "dist_version": version,
                "id": c.id, "name": c.name, "version": c.version, "kind": c.kind.value,
                "purl": c.purl, "cpes": list(c.cpes), "path": component_path(c),
                "parent": parents.get(c.id), "found_by": c.found_by,
                "evidence": _evidence(c),
                "properties": [{"key": k, "value": v} for k, v in c.properties],
            })
        for u in sorted(graph.unknowns, key=lambda u: (u.subject, u.reason, u.detail)):
            unknowns.append({**base, "subject": u.subject, "reason": u.reason, "detail": u.detail})
        for f in sorted(findings, key=lambda f: (f.component_id, f.id, f.source)):
            finding_rows.append({
                **base, "project": project, "dist_version": version,
                "advisory": f.id, "aliases": list(f.aliases), "component_id": f.component_id,
                "component_name": f.component_name, "component_version": f.component_version,
                "component_purl": f.component_purl, "severity": str(f.severity), "score": f.score,
                "fixed_versions": list(f.fixed_versions), "source": f.source, "summary": f.summary,
                "evidence": f.evidence,
            })
    tags: list[str] = []
    if kind == "wheel":
        from packaging.utils import InvalidWheelFilename, parse_wheel_filename

        try:
            tags = sorted(str(t) for t in parse_wheel_filename(item.filename)[3])
        except InvalidWheelFilename:
            tags = []
    dist = {
        **base, "project": project, "version": version, "size": item.size, "kind": kind,
        "tags": tags, "source": item.source, "url": item.url,
        "status": "ok" if ok else "error", "error": error,
        "components": len(components), "unknowns": len(unknowns), "findings": len(finding_rows),
        "fetch_s": round(times.get("fetch_s", 0.0), 6), "scan_s": round(times.get("scan_s", 0.0), 6),
        "audit_s": round(times.get("audit_s", 0.0), 6), "worker": worker, "scanned_at": started,
        "assay_version": __version__,
    }
    return {"distribution": dist, "components": components, "unknowns": unknowns,
            "findings": finding_rows}


def error_rows(item: Item, error: str, *, worker: str, started: datetime) -> dict[str, Any]:
    """Rows for a distribution whose task never returned (its worker died, for instance)."""
    return rows_for(item, None, [], error=error, times={}, worker=worker, started=started)
