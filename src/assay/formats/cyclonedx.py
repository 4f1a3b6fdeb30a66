"""CycloneDX 1.6 JSON writer (plain dicts and json.dumps; no CycloneDX library at run time).

Mapping of the model:

- the root component -> ``metadata.component``; every other component -> ``components``,
  nested inside its parent when exactly one non-root component CONTAINS it (bundled
  libraries, vendored projects), else at the top level;
- DEPENDS_ON and DYNAMIC_LINK -> ``dependencies[].dependsOn`` (every component has an entry);
  relationships CycloneDX has no field for (CONTAINS that is not shown by nesting,
  OPTIONAL_DEPENDS_ON, DYNAMIC_LINK) are also kept as ``assay:<type>`` properties of the source,
  and an edge's details (the requirement as written, the extra) as an ``assay:edge`` JSON property;
- purl, first CPE -> ``purl``/``cpe``; further CPEs -> ``assay:cpe`` properties;
- hashes -> ``hashes`` (``assay:hash`` property when CycloneDX has no such algorithm);
- a valid SPDX expression -> ``licenses[{expression}]``; free text -> ``licenses[{license: {name}}]``;
- download location / homepage / source URL -> externalReferences distribution / website / vcs;
- evidence -> ``evidence.occurrences`` (and ``evidence.identity`` for identity facts);
- kind, found_by, properties -> ``assay:*`` properties; unknowns and graph metadata -> BOM properties;
- findings -> ``vulnerabilities`` whose ``affects[].ref`` is the component's bom-ref.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from assay.formats._common import (
    TOOL_NAME,
    TOOL_VERSION,
    cdx_hash_alg,
    document_uuid,
    dumps_json,
    is_url,
    split_license,
    timestamp,
)
from assay.model import Component, Finding, Graph, Kind, RelType, Severity

SPEC_VERSION = "1.6"

COMPONENT_TYPE: dict[Kind, str] = {
    Kind.APPLICATION: "application",
    Kind.ENVIRONMENT: "application",
    Kind.PYTHON_PACKAGE: "library",
    Kind.VENDORED_PACKAGE: "library",
    Kind.NATIVE_LIBRARY: "library",
    Kind.JAVASCRIPT_LIBRARY: "library",
    Kind.INTERPRETER: "platform",
    Kind.FILE: "file",
}

# Evidence kind -> CycloneDX identity technique.
_TECHNIQUE = {
    "metadata": "manifest-analysis", "record": "manifest-analysis", "direct_url": "manifest-analysis",
    "provenance_url": "attestation", "pep770-sbom": "manifest-analysis", "vendor.txt": "manifest-analysis",
    "sbom-input": "manifest-analysis", "version-string": "binary-analysis", "soname": "binary-analysis",
    "file-name": "filename", "__version__": "source-code-analysis", "hash": "hash-comparison",
    "symbol": "binary-analysis", "marker": "binary-analysis", "source-header": "source-code-analysis",
    "pip-report": "manifest-analysis", "lockfile": "manifest-analysis", "interpreter": "instrumentation",
}
_CONFIDENCE = {"manifest-analysis": 1.0, "attestation": 1.0, "hash-comparison": 1.0, "instrumentation": 1.0,
               "source-code-analysis": 0.8, "binary-analysis": 0.7, "filename": 0.5, "other": 0.5}
_IDENTITY_FIELDS = {"name", "version", "purl", "cpe", "hash"}
# What was scanned says when in its life the inventory was taken.
_LIFECYCLE = {Kind.ENVIRONMENT: "operations", Kind.INTERPRETER: "operations", Kind.FILE: "post-build"}
_EXTRA_REL_TYPES = (RelType.CONTAINS, RelType.OPTIONAL_DEPENDS_ON, RelType.DYNAMIC_LINK)


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value}


def _licenses(comp: Component, props: list[dict[str, str]]) -> list[dict[str, Any]] | None:
    expr, text = split_license(comp.license)
    if comp.license is not None and comp.license.source:
        props.append(_prop("assay:license.source", comp.license.source))
    if expr is not None:
        if text is not None:
            props.append(_prop("assay:license.text", text))
        return [{"expression": expr}]
    if text is not None:
        first = text.strip().splitlines()[0].strip()
        lic: dict[str, Any] = {"name": first[:200]}
        if first != text:
            lic["text"] = {"content": text, "contentType": "text/plain"}
        return [{"license": lic}]
    return None


def _evidence(comp: Component) -> dict[str, Any] | None:
    if not comp.evidence:
        return None
    occurrences = []
    identity = []
    for ev in comp.evidence:
        context = f"{ev.kind}; proves {ev.proves}" + (f": {ev.detail}" if ev.detail else "")
        occurrences.append({"location": ev.location, "additionalContext": context})
        if ev.proves in _IDENTITY_FIELDS:
            technique = _TECHNIQUE.get(ev.kind, "other")
            method = {"technique": technique, "confidence": _CONFIDENCE[technique]}
            value = ev.detail or ev.location
            if value:
                method["value"] = value
            identity.append({"field": ev.proves, "methods": [method]})
    out: dict[str, Any] = {"occurrences": occurrences}
    if identity:
        out["identity"] = identity
    return out


def _component(comp: Component, extra_rels: dict[str, list[tuple[str, str]]],
               children: dict[str, list[Component]]) -> dict[str, Any]:
    props: list[dict[str, str]] = [_prop("assay:kind", comp.kind.value)]
    if comp.found_by:
        props.append(_prop("assay:found_by", comp.found_by))
    d: dict[str, Any] = {"type": COMPONENT_TYPE.get(comp.kind, "library"), "bom-ref": comp.id,
                         "name": comp.name}
    if comp.version is not None:
        d["version"] = comp.version
    else:
        props.append(_prop("assay:version", "unknown"))
    if comp.supplier:
        d["supplier"] = {"name": comp.supplier}
    if comp.author:
        d["authors"] = [{"name": comp.author}]
    if comp.description:
        d["description"] = comp.description
    if comp.purl:
        d["purl"] = comp.purl
    if comp.cpes:
        d["cpe"] = comp.cpes[0]
        props.extend(_prop("assay:cpe", cpe) for cpe in comp.cpes[1:])
    hashes = []
    for h in comp.hashes:
        alg = cdx_hash_alg(h)
        if alg is None:
            props.append(_prop("assay:hash", f"{h.alg}:{h.value}"))
        else:
            hashes.append({"alg": alg, "content": h.value.lower()})
    if hashes:
        d["hashes"] = hashes
    licenses = _licenses(comp, props)
    if licenses:
        d["licenses"] = licenses
    refs = []
    for ref_type, url, prop_name in (("distribution", comp.download_location, "assay:download_location"),
                                     ("website", comp.homepage, "assay:homepage"),
                                     ("vcs", comp.source_url, "assay:source_url")):
        if not url:
            continue
        if is_url(url):
            refs.append({"type": ref_type, "url": url})
        else:
            props.append(_prop(prop_name, url))
    if refs:
        d["externalReferences"] = refs
    evidence = _evidence(comp)
    if evidence:
        d["evidence"] = evidence
    for rel_type, target in extra_rels.get(comp.id, ()):
        props.append(_prop(f"assay:{rel_type}", target))
    props.extend(_prop(k, v) for k, v in comp.properties)
    d["properties"] = props
    kids = children.get(comp.id)
    if kids:
        d["components"] = [_component(k, extra_rels, children) for k in kids]
    return d


def _nesting(graph: Graph) -> dict[str, str]:
    """child id -> parent id for components shown nested (exactly one non-root container)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for rel in graph.relationships:
        if rel.type is RelType.CONTAINS and rel.source in graph.components \
                and rel.target in graph.components and rel.source != rel.target:
            parents[rel.target].add(rel.source)
    nest = {child: next(iter(ps)) for child, ps in parents.items()
            if len(ps) == 1 and child != graph.root and graph.root not in ps}
    for child in sorted(nest):  # break cycles: a component inside itself cannot be nested
        seen = {child}
        cur = nest.get(child)
        while cur is not None:
            if cur in seen:
                nest.pop(child, None)
                break
            seen.add(cur)
            cur = nest.get(cur)
    return nest


def _method(vector: str | None) -> str | None:
    if not vector:
        return None
    for prefix, method in (("CVSS:4.0/", "CVSSv4"), ("CVSS:3.1/", "CVSSv31"), ("CVSS:3.0/", "CVSSv3")):
        if vector.startswith(prefix):
            return method
    return "CVSSv2" if vector.startswith(("AV:", "(AV:")) else "other"


def _alias_source(alias: str) -> dict[str, str]:
    upper = alias.upper()
    if upper.startswith("CVE-"):
        return {"name": "NVD", "url": f"https://nvd.nist.gov/vuln/detail/{alias}"}
    if upper.startswith("GHSA-"):
        return {"name": "GitHub", "url": f"https://github.com/advisories/{alias}"}
    return {"name": "OSV", "url": f"https://osv.dev/vulnerability/{alias}"}


def _vulnerability(f: Finding) -> dict[str, Any]:
    v: dict[str, Any] = {"bom-ref": f"{f.id}/{f.component_id}", "id": f.id,
                         "source": {"name": f.source or "unknown"}}
    if f.aliases:
        v["references"] = [{"id": a, "source": _alias_source(a)} for a in f.aliases]
    rating: dict[str, Any] = {"severity": str(f.severity) if f.severity is not Severity.UNKNOWN
                              else "unknown"}
    if f.score is not None:
        rating["score"] = f.score
    method = _method(f.vector)
    if method:
        rating["method"] = method
    if f.vector:
        rating["vector"] = f.vector
    if f.source:
        rating["source"] = {"name": f.source}
    v["ratings"] = [rating]
    if f.summary:
        v["description"] = f.summary
    if f.evidence:
        v["detail"] = f.evidence
    if f.fixed_versions:
        v["recommendation"] = (f"Upgrade {f.component_name} to a fixed version: "
                               + ", ".join(f.fixed_versions))
    advisories = [{"url": r} for r in f.references if is_url(r)]
    if advisories:
        v["advisories"] = advisories
    affects: dict[str, Any] = {"ref": f.component_id}
    if f.component_version:
        affects["versions"] = [{"version": f.component_version, "status": "affected"}]
    v["affects"] = [affects]
    props = [_prop("assay:fixed_version", fv) for fv in f.fixed_versions]
    if f.ignored is not None:
        v["analysis"] = {"detail": f"ignored by policy: {f.ignored}"}
        props.append(_prop("assay:ignored", f.ignored))
    if props:
        v["properties"] = props
    return v


def to_dict(graph: Graph, *, created: datetime, findings: Sequence[Finding] = ()) -> dict[str, Any]:
    comps = graph.components
    nest = _nesting(graph)
    children: dict[str, list[Component]] = defaultdict(list)
    for comp in graph.sorted_components():
        if comp.id in nest:
            children[nest[comp.id]].append(comp)

    depends: dict[str, set[str]] = {cid: set() for cid in comps}
    extra_rels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rel in graph.sorted_relationships():
        if rel.source not in comps or rel.target not in comps:
            continue  # dangling edges cannot be expressed; the graph's unknowns say why
        if rel.type in (RelType.DEPENDS_ON, RelType.DYNAMIC_LINK):
            depends[rel.source].add(rel.target)
        if rel.type in _EXTRA_REL_TYPES and not (
                rel.type is RelType.CONTAINS and nest.get(rel.target) == rel.source):
            extra_rels[rel.source].append((rel.type.value, rel.target))
        if rel.properties:  # the requirement as written, the extra: CycloneDX edges carry no details
            extra_rels[rel.source].append(("edge", json.dumps(
                {"target": rel.target, "type": rel.type.value, "properties": dict(rel.properties)},
                sort_keys=True, ensure_ascii=False)))

    metadata: dict[str, Any] = {
        "timestamp": timestamp(created),
        "tools": {"components": [{
            "type": "application", "name": TOOL_NAME, "version": TOOL_VERSION,
            "externalReferences": [{"type": "website", "url": "https://github.com/assay-dev/assay"}],
        }]},
    }
    creator = graph.metadata.get("creator")
    if creator:  # SPDX-style "Organization: X" / "Person: X (mail)" → the name itself
        name = re.sub(r"^(Person|Organization|Tool):\s*", "", creator).strip() or creator
        metadata["authors"] = [{"name": name}]
    root = graph.root_component
    if root is not None:
        metadata["component"] = _component(root, extra_rels, children)
        phase = _LIFECYCLE.get(root.kind)
        if phase:
            metadata["lifecycles"] = [{"phase": phase}]
    meta_props = [_prop(f"assay:metadata:{k}", v) for k, v in sorted(graph.metadata.items())]
    if meta_props:
        metadata["properties"] = meta_props

    top = [c for c in graph.sorted_components() if c.id != graph.root and c.id not in nest]
    doc: dict[str, Any] = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{document_uuid(graph, created, 'cyclonedx-json')}",
        "version": 1,
        "metadata": metadata,
        "components": [_component(c, extra_rels, children) for c in top],
        "dependencies": [{"ref": cid, "dependsOn": sorted(targets)}
                         for cid, targets in sorted(depends.items())],
    }
    unknowns = sorted(graph.unknowns, key=lambda u: (u.subject, u.reason, u.detail))
    if unknowns:
        doc["properties"] = [
            _prop("assay:unknown", json.dumps({"subject": u.subject, "reason": u.reason,
                                               "detail": u.detail}, sort_keys=True))
            for u in unknowns]
    if findings:
        vulns = []
        seen: set[str] = set()
        for f in sorted(findings, key=lambda f: (f.component_id, f.id, f.source)):
            v = _vulnerability(f)
            ref, n = v["bom-ref"], 1
            while v["bom-ref"] in seen:  # the same advisory from two sources: bom-refs stay unique
                n += 1
                v["bom-ref"] = f"{ref}/{n}"
            seen.add(v["bom-ref"])
            vulns.append(v)
        doc["vulnerabilities"] = vulns
    return doc


def dumps(graph: Graph, *, created: datetime, findings: Sequence[Finding] = ()) -> str:
    return dumps_json(to_dict(graph, created=created, findings=findings))
