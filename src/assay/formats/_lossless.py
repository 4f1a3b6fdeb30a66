"""The model as plain JSON-ready data, losslessly: what assay JSON writes and what document ids
are derived from. Pure functions over model values."""

from __future__ import annotations

from typing import Any

from assay.model import Component, Finding, Graph, Relationship, Unknown


def component_dict(c: Component) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind.value,
        "name": c.name,
        "version": c.version,
        "purl": c.purl,
        "cpes": list(c.cpes),
        "hashes": [{"alg": h.alg, "value": h.value} for h in c.hashes],
        "license": None if c.license is None else {
            "expression": c.license.expression, "text": c.license.text, "source": c.license.source,
            **({"extracted": [list(e) for e in c.license.extracted]} if c.license.extracted else {}),
        },
        "supplier": c.supplier,
        "author": c.author,
        "description": c.description,
        "download_location": c.download_location,
        "homepage": c.homepage,
        "source_url": c.source_url,
        "evidence": [
            {"kind": e.kind, "location": e.location, "detail": e.detail, "proves": e.proves}
            for e in c.evidence
        ],
        "found_by": c.found_by,
        "properties": [[k, v] for k, v in c.properties],
    }


def relationship_dict(r: Relationship) -> dict[str, Any]:
    return {"source": r.source, "target": r.target, "type": r.type.value,
            "properties": [[k, v] for k, v in r.properties]}


def unknown_dict(u: Unknown) -> dict[str, Any]:
    return {"subject": u.subject, "reason": u.reason, "detail": u.detail}


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id, "component_id": f.component_id, "component_name": f.component_name,
        "component_version": f.component_version, "component_purl": f.component_purl,
        "aliases": list(f.aliases), "summary": f.summary, "severity": str(f.severity),
        "score": f.score, "vector": f.vector, "fixed_versions": list(f.fixed_versions),
        "source": f.source, "evidence": f.evidence, "ignored": f.ignored,
        "references": list(f.references),
    }


def graph_to_dict(graph: Graph) -> dict[str, Any]:
    """The graph as plain JSON-ready data (without document fields such as the timestamp)."""
    return {
        "root": graph.root,
        "metadata": dict(sorted(graph.metadata.items())),
        "components": [component_dict(c) for c in graph.sorted_components()],
        "relationships": [relationship_dict(r) for r in graph.sorted_relationships()],
        "unknowns": [unknown_dict(u) for u in sorted(graph.unknowns,
                                                 key=lambda u: (u.subject, u.reason, u.detail))],
    }


__all__ = ["component_dict", "finding_dict", "graph_to_dict", "relationship_dict", "unknown_dict"]
