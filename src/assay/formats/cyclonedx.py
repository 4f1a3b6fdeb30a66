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
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assay.errors import InputError
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
from assay.formats._reading import (
    FOUND_BY,
    MAX_DEPTH,
    drain,
    kind_from,
    license_from,
    opt_str,
    relate,
)
from assay.identity import hashes as _hashes
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
    make_id,
)

if TYPE_CHECKING:
    from assay.model.audit import AuditReport

SPEC_VERSION = "1.6"

COMPONENT_TYPE: dict[Kind, str] = {
    Kind.APPLICATION: "application",
    Kind.ENVIRONMENT: "application",
    Kind.PYTHON_PACKAGE: "library",
    Kind.VENDORED_PACKAGE: "library",
    Kind.NATIVE_LIBRARY: "library",
    Kind.JAVASCRIPT_LIBRARY: "library",
    Kind.CARGO_LIBRARY: "library",
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
            # the LicenseRef whose text that is (the others: evidence.licenses, _ref_texts)
            props.extend(_prop("assay:license.ref", ref) for ref, ref_text in _own_refs(comp, expr)
                         if ref_text == text)
        return [{"expression": expr}]
    if text is not None:
        first = text.strip().splitlines()[0].strip()
        lic: dict[str, Any] = {"name": first[:200]}
        if first != text:
            lic["text"] = {"content": text, "contentType": "text/plain"}
        return [{"license": lic}]
    return None


def _own_refs(comp: Component, expr: str) -> list[tuple[str, str]]:
    """(LicenseRef id, text) for the ids in ``expr`` whose text the license holds."""
    refs = set(_LICENSE_REF.findall(expr))
    return [(r, t) for r, t in comp.license.extracted if r in refs] if comp.license is not None else []


def _ref_texts(comp: Component) -> list[dict[str, Any]]:
    """CycloneDX has one expression or a list of licenses per component, not both: the text of
    each LicenseRef in the expression (but the one kept as ``assay:license.text``) goes to
    ``evidence.licenses`` as a named license with its text."""
    expr, text = split_license(comp.license)
    if expr is None:
        return []
    return [{"license": {"name": ref, "text": {"content": ref_text, "contentType": "text/plain"}}}
            for ref, ref_text in _own_refs(comp, expr) if ref_text != text]


def _evidence(comp: Component) -> dict[str, Any] | None:
    licenses = _ref_texts(comp)
    if licenses:
        return {**(_evidence_found(comp) or {}), "licenses": licenses}
    return _evidence_found(comp)


def _evidence_found(comp: Component) -> dict[str, Any] | None:
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


def dumps(graph: Graph, *, created: datetime, findings: Sequence[Finding] = (),
          color: bool | None = None) -> str:
    return dumps_json(to_dict(graph, created=created, findings=findings))


# -- reading ------------------------------------------------------------------

def recognise(doc: Any) -> bool:
    return isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX"


_LICENSE_REF = re.compile(r"LicenseRef-[A-Za-z0-9.\-]+")
_CONTEXT = re.compile(r"^(?P<kind>[^;]+); proves (?P<proves>[^:]+?)(?:: (?P<detail>.*))?$", re.S)
# properties the CycloneDX writer adds for model fields (not component properties)
_WRITER_PROPS = frozenset({
    "assay:kind", "assay:found_by", "assay:version", "assay:cpe", "assay:hash", "assay:license.source",
    "assay:license.text", "assay:license.ref", "assay:download_location", "assay:homepage",
    "assay:source_url", "assay:edge"})
_EXTRA_REL = {"assay:contains": RelType.CONTAINS, "assay:optional_depends_on": RelType.OPTIONAL_DEPENDS_ON,
              "assay:dynamic_link": RelType.DYNAMIC_LINK}


def _is_assay_bom(doc: dict[str, Any]) -> bool:
    tools = (doc.get("metadata") or {}).get("tools") or []
    if isinstance(tools, dict):
        tools = tools.get("components") or []
    return any(isinstance(t, dict) and t.get("name") == "assay" for t in tools)


def _cdx_licenses(entries: Any, props: dict[str, list[str]], default_source: str,
                  evidence: Any = None) -> License | None:
    source = props.get("assay:license.source", [default_source])[0]
    extra_text = props.get("assay:license.text", [None])[0]
    ids: list[str] = []
    names: list[str] = []
    for entry in entries or ():
        if "expression" in entry:
            lic = license_from(str(entry["expression"]), extra_text, source)
            if lic is None or not lic.expression:
                return lic
            # the text of each LicenseRef: assay:license.ref names the one in assay:license.text,
            # evidence.licenses holds the others as named licenses with their text
            refs = set(_LICENSE_REF.findall(lic.expression))
            own = {r: extra_text for r in props.get("assay:license.ref", ()) if extra_text and r in refs}
            for ev in (evidence or {}).get("licenses") or () if isinstance(evidence, dict) else ():
                named = ev.get("license") if isinstance(ev, dict) else None
                content = (named.get("text") or {}).get("content") if isinstance(named, dict) else None
                if content and named.get("name") in refs and named["text"].get("encoding") != "base64":
                    own.setdefault(str(named["name"]), str(content))
            return replace(lic, extracted=tuple(sorted(own.items()))) if own else lic
        lic = entry["license"]
        if lic.get("id"):
            ids.append(str(lic["id"]))
        elif lic.get("name"):
            text = lic.get("text")
            content = text.get("content") if isinstance(text, dict) else None
            names.append(str(content) if content and text.get("encoding") != "base64" else str(lic["name"]))
    expression = " AND ".join(f"({i})" if " " in i else i for i in ids) if ids else None
    text = "\n".join(names) if names else extra_text
    return license_from(expression, text, source)


def _read_component(c: dict[str, Any], path: str, assay_made: bool, index: str) -> tuple[
        Component, list[tuple[RelType, str, dict[str, str]]]]:
    name = str(c["name"])
    version = opt_str(c.get("version"))
    purl = opt_str(c.get("purl"))
    props: dict[str, list[str]] = {}
    plain_props: list[tuple[str, str]] = []
    for prop in c.get("properties") or ():
        key, value = str(prop["name"]), str(prop.get("value", ""))
        props.setdefault(key, []).append(value)
        if not (assay_made and (key in _WRITER_PROPS or key in _EXTRA_REL)):
            plain_props.append((key, value))
    cpes = ([str(c["cpe"])] if c.get("cpe") else []) + props.get("assay:cpe", [])
    hashes = [_hashes.make(str(h["alg"]), str(h["content"])) for h in c.get("hashes") or ()]
    for text in props.get("assay:hash", ()):
        alg, _, value = text.partition(":")
        hashes.append(Hash(alg, value))
    urls: dict[str, str] = {}
    for ref in c.get("externalReferences") or ():
        rtype = str(ref.get("type", ""))
        if rtype == "distribution-intake":
            rtype = "distribution"
        urls.setdefault(rtype, str(ref["url"]))
    supplier = (c.get("supplier") or {}).get("name") or (c.get("manufacturer") or {}).get("name")
    authors = [str(a["name"]) for a in c.get("authors") or () if a.get("name")]
    author = authors[0] if authors else opt_str(c.get("author"))
    evidence: list[Evidence] = []
    ev = c.get("evidence") or {}
    for occ in ev.get("occurrences") or ():
        m = _CONTEXT.match(str(occ.get("additionalContext", ""))) if assay_made else None
        if m:
            evidence.append(Evidence(m["kind"], str(occ.get("location", "")), m["detail"] or "", m["proves"]))
        else:
            evidence.append(Evidence("sbom-occurrence", str(occ.get("location", "")),
                                     str(occ.get("additionalContext", ""))))
    ref = opt_str(c.get("bom-ref"))
    if assay_made and props.get("assay:kind"):
        kind = Kind(props["assay:kind"][0])
        cid = ref or make_id(kind, name, version, "cyclonedx", index)
        found_by = props.get("assay:found_by", [""])[0]
    else:
        kind = kind_from(purl, opt_str(c.get("type")), name)
        cid = make_id(kind, name, version, "cyclonedx", ref or index)
        found_by = FOUND_BY
        evidence.insert(0, Evidence("sbom-input", str(path), f"CycloneDX component {ref or index}"))
        plain_props[:0] = [("cyclonedx:type", str(c.get("type", "")))] + (
            [("cyclonedx:bom-ref", ref)] if ref else []) + (
            [("cyclonedx:scope", str(c["scope"]))] if c.get("scope") else []) + (
            [("cyclonedx:group", str(c["group"]))] if c.get("group") else [])
    comp = Component(
        id=cid, kind=kind, name=name, version=version, purl=purl, cpes=tuple(cpes), hashes=tuple(hashes),
        license=_cdx_licenses(c.get("licenses"), props, "" if assay_made else "cyclonedx",
                              c.get("evidence")),
        supplier=opt_str(supplier), author=author, description=opt_str(c.get("description")),
        download_location=urls.get("distribution") or props.get("assay:download_location", [None])[0],
        homepage=urls.get("website") or props.get("assay:homepage", [None])[0],
        source_url=urls.get("vcs") or props.get("assay:source_url", [None])[0],
        evidence=tuple(evidence), found_by=found_by, properties=tuple(plain_props))
    extra: list[tuple[RelType, str, dict[str, str]]] = []
    if assay_made:
        extra = [(rtype, target, {}) for key, rtype in _EXTRA_REL.items() for target in props.get(key, ())]
        for value in props.get("assay:edge", ()):
            edge = json.loads(value)
            extra.append((RelType(edge["type"]), str(edge["target"]),
                          {str(k): str(v) for k, v in (edge.get("properties") or {}).items()}))
    return comp, extra


_INVALID_SHOWN = 20  # invalid components listed one by one; the rest are counted


def _component_validator(spec: str) -> Callable[[Any], str | None] | None:
    """The official schema's check of one component for this specVersion (None: no schema shipped)."""
    from assay.jsonio import SCHEMAS, validator

    name = f"cyclonedx-{spec}-component"
    return validator(name) if name in SCHEMAS else None


def _invalid(c: Any, check: Callable[[Any], str | None] | None) -> str | None:
    if not isinstance(c, dict):
        return f"a component must be an object, not {type(c).__name__}"
    if check is None:
        return None
    # the component alone: its nested components are each checked when visited
    nested = isinstance(c.get("components"), list)
    return check({k: v for k, v in c.items() if k != "components"} if nested else c)


def _named(c: Any) -> str:
    if not isinstance(c, dict):
        return ""
    shown = [f"{key} {c[key]!r}"[:80] for key in ("name", "version", "bom-ref") if key in c]
    return f" ({', '.join(shown)})" if shown else ""


def read(doc: dict[str, Any], path: str, *, consume: bool = False) -> Graph:
    spec = str(doc.get("specVersion", ""))
    if not re.fullmatch(r"1\.[2-7]", spec):
        raise InputError(f"{path}: CycloneDX {spec or '(no specVersion)'} is not supported (1.4-1.6 are)")
    assay_made = _is_assay_bom(doc)
    graph = Graph()
    refs: dict[str, str] = {}
    extra_edges: list[tuple[str, RelType, str, dict[str, str]]] = []
    # (source, target, type) -> edge details; edges are added once all components are known
    edges: dict[tuple[str, str, RelType], dict[str, str] | None] = {}  # None: no details

    if not isinstance(doc.get("components") or [], list):
        raise InputError(f"{path}: malformed CycloneDX document (components is not a list)")
    check = _component_validator(spec)
    invalid: list[str] = []

    def visit(items: Any, parent: str | None, prefix: str, where: str) -> None:
        # depth-first in document order, with an explicit stack: nesting costs no recursion
        Frame = tuple[Any, str | None, str, str]  # items left, their owner, id prefix, JSON path
        stack: list[Frame] = [(enumerate(drain(items, consume)), parent, prefix, where)]
        while stack:
            it, owner, pre, at = stack[-1]
            step = next(it, None)
            if step is None:
                stack.pop()
                continue
            n, c = step
            index = f"{pre}{n}"
            problem = _invalid(c, check)
            if problem is not None:  # skipped with what it holds, and said by position and name
                invalid.append(f"{at}[{n}]{_named(c)}: {problem}")
                continue
            comp, extra = _read_component(c, path, assay_made, index)
            graph.add(comp)
            if c.get("bom-ref"):
                refs[str(c["bom-ref"])] = comp.id
            if owner is not None:
                edges.setdefault((owner, comp.id, RelType.CONTAINS), None)
            extra_edges.extend((comp.id, rtype, target, props) for rtype, target, props in extra)
            if c.get("components"):
                if len(stack) >= MAX_DEPTH:
                    raise InputError(f"{path}: CycloneDX components nested deeper than {MAX_DEPTH} levels")
                stack.append((enumerate(drain(c["components"], consume)), comp.id, f"{index}.",
                              f"{at}[{n}].components"))

    meta = doc.get("metadata") or {}
    if meta.get("component"):
        visit([meta["component"]], None, "root", "metadata.component")
        if graph.components:
            graph.root = next(iter(graph.components))
    visit(doc.get("components"), None, "", "components")
    for text in invalid[:_INVALID_SHOWN]:
        graph.add_unknown(Unknown(str(path), "invalid-component",
                                  f"{text} (not valid CycloneDX {spec}; skipped)"))
    if len(invalid) > _INVALID_SHOWN:
        graph.add_unknown(Unknown(str(path), "invalid-component",
                                  f"… and {len(invalid) - _INVALID_SHOWN} more invalid components skipped"))
    dynamic = {(s, t) for s, rtype, t, _ in extra_edges if rtype is RelType.DYNAMIC_LINK}
    for dep in drain(doc.get("dependencies"), consume):
        src = refs.get(str(dep["ref"]))
        for target in dep.get("dependsOn") or ():
            dst = refs.get(str(target))
            if src is None or dst is None or (src, str(target)) in dynamic:
                continue
            edges.setdefault((src, dst, RelType.DEPENDS_ON), None)
    for src, rtype, target, props in extra_edges:
        dst = refs.get(target, target)
        if dst in graph.components:
            details = edges.get((src, dst, rtype))
            if details is None:
                details = edges[src, dst, rtype] = {}
            details.update(props)
    for (src, dst, rtype), props in edges.items():
        if props:
            relate(graph, src, dst, rtype, props)
        else:
            graph.add_relationship(Relationship(src, dst, rtype))
    for prop in doc.get("properties") or ():
        if prop.get("name") == "assay:unknown":
            u = json.loads(prop["value"])
            graph.add_unknown(Unknown(str(u["subject"]), str(u["reason"]), str(u.get("detail") or "")))
    for prop in meta.get("properties") or ():
        key = str(prop.get("name", ""))
        if key.startswith("assay:metadata:"):
            graph.metadata[key.removeprefix("assay:metadata:")] = str(prop.get("value", ""))
    if not assay_made:
        tools = meta.get("tools") or []
        if isinstance(tools, dict):
            tools = tools.get("components") or []
        graph.metadata.update({
            "source": str(path), "source.format": f"CycloneDX {spec}",
            "source.created": str(meta.get("timestamp") or ""),
            "source.creators": "; ".join(
                " ".join(str(t[k]) for k in ("name", "version") if t.get(k)) for t in tools
                if isinstance(t, dict)),
        })
    return graph


def dumps_audit(report: AuditReport, *, created: datetime, color: bool | None = None) -> str:
    """CycloneDX 1.6 of the audited graph with its findings (ignored ones included, marked) as
    vulnerabilities: ``assay audit -f cyclonedx-json``."""
    if report.graph is None:
        raise ValueError("a CycloneDX audit document needs the graph")
    return dumps(report.graph, created=created,
                 findings=[*report.result.findings, *report.result.ignored])
