"""assay's own JSON: a lossless serialisation of the model (and, optionally, findings).

Every field of Component, Evidence, License, Hash, Relationship, Unknown, Finding and
the Graph's root and metadata is written; :func:`loads` gives back an equal Graph.
Components, relationships and unknowns are written in a sorted order so the same
graph always gives the same bytes; the order of values inside a component (hashes,
evidence, properties) is kept as it is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from assay.model import (
    Component,
    Evidence,
    Finding,
    Graph,
    Hash,
    Kind,
    License,
    Relationship,
    RelType,
    Severity,
    Unknown,
)

SCHEMA = "assay-inventory"
SCHEMA_VERSION = "1"


def _component(c: Component) -> dict[str, Any]:
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


def _relationship(r: Relationship) -> dict[str, Any]:
    return {"source": r.source, "target": r.target, "type": r.type.value,
            "properties": [[k, v] for k, v in r.properties]}


def _unknown(u: Unknown) -> dict[str, Any]:
    return {"subject": u.subject, "reason": u.reason, "detail": u.detail}


def _finding(f: Finding) -> dict[str, Any]:
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
        "components": [_component(c) for c in graph.sorted_components()],
        "relationships": [_relationship(r) for r in graph.sorted_relationships()],
        "unknowns": [_unknown(u) for u in sorted(graph.unknowns,
                                                 key=lambda u: (u.subject, u.reason, u.detail))],
    }


def dumps(graph: Graph, *, created: datetime, findings: Sequence[Finding] = ()) -> str:
    from assay.formats._common import TOOL_NAME, TOOL_VERSION, dumps_json, timestamp

    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "created": timestamp(created),
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
        **graph_to_dict(graph),
    }
    if findings:
        doc["findings"] = [_finding(f) for f in sorted(
            findings, key=lambda f: (f.component_id, f.id, f.source))]
    return dumps_json(doc)


# -- reading ------------------------------------------------------------------

def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in (value or ()))


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def component_from_dict(d: dict[str, Any]) -> Component:
    lic = d.get("license")
    return Component(
        id=str(d["id"]),
        kind=Kind(d["kind"]),
        name=str(d["name"]),
        version=_opt(d.get("version")),
        purl=_opt(d.get("purl")),
        cpes=tuple(str(c) for c in d.get("cpes") or ()),
        hashes=tuple(Hash(str(h["alg"]), str(h["value"])) for h in d.get("hashes") or ()),
        license=None if lic is None else License(
            expression=_opt(lic.get("expression")), text=_opt(lic.get("text")),
            source=str(lic.get("source") or ""),
        ),
        supplier=_opt(d.get("supplier")),
        author=_opt(d.get("author")),
        description=_opt(d.get("description")),
        download_location=_opt(d.get("download_location")),
        homepage=_opt(d.get("homepage")),
        source_url=_opt(d.get("source_url")),
        evidence=tuple(
            Evidence(kind=str(e["kind"]), location=str(e.get("location", "")),
                     detail=str(e.get("detail", "")), proves=str(e.get("proves", "presence")))
            for e in d.get("evidence") or ()
        ),
        found_by=str(d.get("found_by") or ""),
        properties=_pairs(d.get("properties")),
    )


def _finding_from_dict(d: dict[str, Any]) -> Finding:
    score = d.get("score")
    return Finding(
        id=str(d["id"]), component_id=str(d["component_id"]),
        component_name=str(d["component_name"]), component_version=_opt(d.get("component_version")),
        component_purl=_opt(d.get("component_purl")),
        aliases=tuple(str(a) for a in d.get("aliases") or ()), summary=str(d.get("summary") or ""),
        severity=Severity.parse(str(d.get("severity") or "unknown")),
        score=None if score is None else float(score), vector=_opt(d.get("vector")),
        fixed_versions=tuple(str(v) for v in d.get("fixed_versions") or ()),
        source=str(d.get("source") or ""), evidence=str(d.get("evidence") or ""),
        ignored=_opt(d.get("ignored")), references=tuple(str(r) for r in d.get("references") or ()),
    )


def from_dict(doc: dict[str, Any]) -> tuple[Graph, list[Finding]]:
    """Rebuild a Graph (and findings) from a parsed assay JSON document.

    Raises KeyError, TypeError or ValueError on malformed data; callers turn those
    into an :class:`assay.errors.InputError` naming the file.
    """
    if doc.get("schema") != SCHEMA:
        raise ValueError(f"not an {SCHEMA} document")
    graph = Graph(root=str(doc.get("root") or ""),
                  metadata={str(k): str(v) for k, v in (doc.get("metadata") or {}).items()})
    for cd in doc.get("components") or ():
        comp = component_from_dict(cd)
        graph.components[comp.id] = comp
    for rd in doc.get("relationships") or ():
        graph.relationships.append(Relationship(
            str(rd["source"]), str(rd["target"]), RelType(rd["type"]), _pairs(rd.get("properties"))))
    for ud in doc.get("unknowns") or ():
        graph.unknowns.append(Unknown(str(ud["subject"]), str(ud["reason"]), str(ud.get("detail") or "")))
    findings = [_finding_from_dict(f) for f in doc.get("findings") or ()]
    return graph, findings


def loads(text: str | bytes) -> tuple[Graph, list[Finding]]:
    """Parse assay JSON text (see :func:`from_dict`)."""
    return from_dict(json.loads(text))
