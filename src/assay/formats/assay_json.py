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

from assay.formats._common import TOOL_NAME, TOOL_VERSION, dumps_json, timestamp
from assay.formats._lossless import finding_dict, graph_to_dict
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


def dumps(graph: Graph, *, created: datetime, findings: Sequence[Finding] = (),
          color: bool | None = None) -> str:
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "created": timestamp(created),
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
        **graph_to_dict(graph),
    }
    if findings:
        doc["findings"] = [finding_dict(f) for f in sorted(
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
            extracted=tuple((str(i), str(t)) for i, t in lic.get("extracted") or ()),
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
        graph.add_relationship(Relationship(
            str(rd["source"]), str(rd["target"]), RelType(rd["type"]), _pairs(rd.get("properties"))))
    for ud in doc.get("unknowns") or ():
        graph.add_unknown(Unknown(str(ud["subject"]), str(ud["reason"]), str(ud.get("detail") or "")))
    findings = [_finding_from_dict(f) for f in doc.get("findings") or ()]
    return graph, findings


def loads(text: str | bytes) -> tuple[Graph, list[Finding]]:
    """Parse assay JSON text (see :func:`from_dict`)."""
    return from_dict(json.loads(text))


def recognise(doc: Any) -> bool:
    return isinstance(doc, dict) and doc.get("schema") == SCHEMA


def read(doc: dict[str, Any], origin: str, *, consume: bool = False) -> Graph:
    """The Graph of a parsed assay JSON document (findings are not part of an inventory; the
    document is left as it is, whatever ``consume`` says)."""
    graph, _findings = from_dict(doc)
    return graph


__all__ = ["SCHEMA", "dumps", "from_dict", "graph_to_dict", "loads", "read", "recognise"]
