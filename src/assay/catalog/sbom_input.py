"""SBOM documents as input: SPDX 2.2/2.3 JSON, CycloneDX 1.4-1.6 JSON and assay's own JSON.

The document is read back into the model so that later steps (``assay audit sbom.json``)
work on it as on a scan. Documents assay wrote itself are recognised (the ``assay:``
annotations and properties the writers add) and give back the original ids, kinds,
evidence and edge details; third-party documents get content-derived ids, the kind
their purl and type imply, and an ``sbom-input`` evidence pointing at the document.

Malformed input raises :class:`assay.errors.InputError` with one line naming the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from assay.errors import InputError
from assay.formats._common import hash_from_external, valid_expression
from assay.jsonio import read_json
from assay.model import (
    Component,
    Evidence,
    Graph,
    Hash,
    Kind,
    License,
    Relationship,
    RelType,
    Unknown,
    make_id,
)

FOUND_BY = "sbom-input"
_ASSAY = "assay:"


def catalog_sbom(path: Path) -> Graph:
    """Read the SBOM at ``path`` into a Graph."""
    path = Path(path)
    doc, _raw = read_json(path)
    if not isinstance(doc, dict):
        raise InputError(f"{path}: not an SBOM (the JSON is a {type(doc).__name__}, not an object)")
    if doc.get("schema") == "assay-inventory":
        fmt, reader = "assay JSON", _read_native
    elif "spdxVersion" in doc:
        fmt, reader = "SPDX", _read_spdx
    elif doc.get("bomFormat") == "CycloneDX":
        fmt, reader = "CycloneDX", _read_cyclonedx
    else:
        raise InputError(f"{path}: not an SPDX, CycloneDX or assay JSON document")
    try:
        return reader(doc, path)
    except InputError:
        raise
    except KeyError as exc:
        raise InputError(f"{path}: malformed {fmt} document (missing field {exc})") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{path}: malformed {fmt} document ({exc})") from None


# -- shared ---------------------------------------------------------------------

def _kind(purl: str | None, doc_type: str | None, name: str) -> Kind:
    """The model kind a third-party entry most plausibly is, from its purl and declared type."""
    ptype = purl[4:].split("/", 1)[0].lower() if purl and purl.startswith("pkg:") else ""
    if ptype == "pypi":
        return Kind.PYTHON_PACKAGE
    if ptype == "npm":
        return Kind.JAVASCRIPT_LIBRARY
    t = (doc_type or "").lower()
    if t in ("file", "archive"):
        return Kind.FILE
    if t in ("platform",) and name.lower() in ("python", "cpython"):
        return Kind.INTERPRETER
    if t in ("application", "platform", "operating-system", "container", "install"):
        return Kind.APPLICATION
    if ptype:
        return Kind.NATIVE_LIBRARY
    return Kind.APPLICATION if t == "application" else Kind.NATIVE_LIBRARY


def _license(expression: str | None, text: str | None, source: str) -> License | None:
    expr = valid_expression(expression) if expression else None
    if expression and expr is None:  # not a valid expression: keep it as text
        text = expression if not text else f"{expression}\n{text}"
    if expr is None and not text:
        return None
    return License(expression=expr, text=text or None, source=source)


def _evidence(d: dict[str, Any]) -> Evidence:
    return Evidence(kind=str(d["kind"]), location=str(d.get("location", "")),
                    detail=str(d.get("detail", "")), proves=str(d.get("proves", "presence")))


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _relate(graph: Graph, source: str, target: str, rtype: RelType, props: dict[str, str]) -> None:
    """Graph.relate without keyword arguments, so any detail name ("type", "source") is safe."""
    rel = Relationship(source, target, rtype, tuple(sorted(props.items())))
    if rel not in graph.relationships:
        graph.relationships.append(rel)


def _read_native(doc: dict[str, Any], path: Path) -> Graph:
    from assay.formats.native import from_dict

    graph, _findings = from_dict(doc)
    return graph


# -- SPDX -----------------------------------------------------------------------

_ACTOR = re.compile(r"^\s*(Person|Organization|Tool)\s*:\s*(.*?)\s*(?:\(([^()]*)\))?\s*$", re.S)
_SPDX_NONE = {"NOASSERTION", "NONE", ""}
# SPDX relationship type -> (model type, reversed?)
_SPDX_REL: dict[str, tuple[RelType, bool]] = {
    "DEPENDS_ON": (RelType.DEPENDS_ON, False),
    "DEPENDENCY_OF": (RelType.DEPENDS_ON, True),
    "RUNTIME_DEPENDENCY_OF": (RelType.DEPENDS_ON, True),
    "BUILD_DEPENDENCY_OF": (RelType.DEPENDS_ON, True),
    "DEV_DEPENDENCY_OF": (RelType.DEPENDS_ON, True),
    "TEST_DEPENDENCY_OF": (RelType.DEPENDS_ON, True),
    "PROVIDED_DEPENDENCY_OF": (RelType.DEPENDS_ON, True),
    "OPTIONAL_DEPENDENCY_OF": (RelType.OPTIONAL_DEPENDS_ON, True),
    "CONTAINS": (RelType.CONTAINS, False),
    "CONTAINED_BY": (RelType.CONTAINS, True),
    "STATIC_LINK": (RelType.CONTAINS, False),
    "DYNAMIC_LINK": (RelType.DYNAMIC_LINK, False),
    "DESCRIBES": (RelType.DESCRIBES, False),
    "DESCRIBED_BY": (RelType.DESCRIBES, True),
}


def _actor_name(value: Any) -> str | None:
    """"Organization: Name (email)" -> "Name <email>"; NOASSERTION -> None."""
    if not isinstance(value, str) or value.strip() in _SPDX_NONE:
        return None
    m = _ACTOR.match(value)
    if not m:
        return value.strip() or None
    name, email = m.group(2).strip(), (m.group(3) or "").strip()
    if email and name:
        return f"{name} <{email}>"
    return name or email or None


def _assay_json(comment: Any) -> Any:
    if isinstance(comment, str) and comment.startswith(_ASSAY):
        try:
            return json.loads(comment[len(_ASSAY):])
        except ValueError:
            return None
    return None


def _assay_annotation(element: dict[str, Any]) -> dict[str, Any] | None:
    for ann in element.get("annotations") or ():
        if str(ann.get("annotator", "")).startswith("Tool: assay"):
            data = _assay_json(ann.get("comment"))
            if isinstance(data, dict):
                return data
    return None


def _spdx_package(p: dict[str, Any], extracted: dict[str, str], path: Path) -> Component:
    spdxid = str(p["SPDXID"])
    name = str(p["name"])
    version = _str(p.get("versionInfo"))
    purl = None
    cpes: list[str] = []
    for ref in p.get("externalRefs") or ():
        rtype = str(ref.get("referenceType", ""))
        locator = str(ref["referenceLocator"])
        if rtype == "purl" and purl is None:
            purl = locator
        elif rtype in ("cpe23Type", "cpe22Type"):
            cpes.append(locator)
    hashes = tuple(hash_from_external(str(c["algorithm"]), str(c["checksumValue"]))
                   for c in p.get("checksums") or ())
    declared = str(p.get("licenseDeclared") or "").strip()
    concluded = str(p.get("licenseConcluded") or "").strip()
    source, expression = "spdx:licenseDeclared", declared
    if declared in _SPDX_NONE and concluded not in _SPDX_NONE:
        source, expression = "spdx:licenseConcluded", concluded
    text = _str(p.get("licenseComments"))
    if expression in _SPDX_NONE:
        lic = _license(None, text, source)
    elif expression in extracted and text is None:
        lic = License(expression=expression, text=extracted[expression], source=source)
    else:
        lic = _license(expression, text, source)
    download = _str(p.get("downloadLocation"))
    homepage = _str(p.get("homepage"))
    source_info = _str(p.get("sourceInfo"))
    extras = _assay_annotation(p)
    if extras is None:
        kind = _kind(purl, _str(p.get("primaryPackagePurpose")), name)
        props: list[tuple[str, str]] = [("spdx:SPDXID", spdxid)]
        if p.get("primaryPackagePurpose"):
            props.append(("spdx:primaryPackagePurpose", str(p["primaryPackagePurpose"])))
        if source_info:
            props.append(("spdx:sourceInfo", source_info))
        return Component(
            id=make_id(kind, name, version, "spdx", spdxid), kind=kind, name=name, version=version,
            purl=purl, cpes=tuple(cpes), hashes=hashes, license=lic,
            supplier=_actor_name(p.get("supplier")), author=_actor_name(p.get("originator")),
            description=_str(p.get("description") or p.get("summary")),
            download_location=None if download in _SPDX_NONE or download is None else download,
            homepage=None if homepage in _SPDX_NONE or homepage is None else homepage,
            evidence=(Evidence("sbom-input", str(path), f"SPDX package {spdxid}"),),
            found_by=FOUND_BY, properties=tuple(props))
    # written by assay: the annotation holds what SPDX has no field for
    raw_lic = extras.get("license")
    return Component(
        id=str(extras["id"]), kind=Kind(extras["kind"]), name=name, version=version, purl=purl,
        cpes=tuple(cpes),
        hashes=tuple(Hash(str(a), str(v)) for a, v in extras["hashes"]) if "hashes" in extras else hashes,
        license=lic if raw_lic is None and lic is None else (
            None if raw_lic is None else License(_str(raw_lic.get("expression")), _str(raw_lic.get("text")),
                                                 str(raw_lic.get("source") or ""))),
        supplier=_str(extras.get("supplier")), author=_str(extras.get("author")),
        description=_str(p.get("description")),
        download_location=_str(extras.get("download_location")),
        homepage=_str(extras.get("homepage")), source_url=_str(extras.get("source_url")),
        evidence=tuple(_evidence(e) for e in extras.get("evidence") or ()),
        found_by=str(extras.get("found_by") or ""),
        properties=tuple((str(k), str(v)) for k, v in extras.get("properties") or ()))


def _read_spdx(doc: dict[str, Any], path: Path) -> Graph:
    version = str(doc.get("spdxVersion"))
    if version not in ("SPDX-2.2", "SPDX-2.3"):
        raise InputError(f"{path}: {version} is not supported (SPDX 2.2 and 2.3 JSON are)")
    extracted = {str(e["licenseId"]): str(e.get("extractedText") or "")
                 for e in doc.get("hasExtractedLicensingInfos") or ()}
    graph = Graph()
    ids: dict[str, str] = {}
    for p in doc.get("packages") or ():
        comp = _spdx_package(p, extracted, path)
        ids[str(p["SPDXID"])] = comp.id
        graph.add(comp)
    doc_id = str(doc.get("SPDXID") or "SPDXRef-DOCUMENT")
    described = [str(d) for d in doc.get("documentDescribes") or ()]
    for rel in doc.get("relationships") or ():
        rtype = str(rel["relationshipType"])
        src, dst = str(rel["spdxElementId"]), str(rel["relatedSpdxElement"])
        mapped = _SPDX_REL.get(rtype)
        if mapped is None:
            continue
        model_type, backwards = mapped
        if backwards:
            src, dst = dst, src
        if model_type is RelType.DESCRIBES:
            if src == doc_id:
                described.append(dst)
            continue
        if src not in ids or dst not in ids:
            continue  # files, snippets and external documents are not components
        props = _assay_json(rel.get("comment"))
        if isinstance(props, dict):
            _relate(graph, ids[src], ids[dst], model_type, {str(k): str(v) for k, v in props.items()})
        elif rtype not in ("DEPENDS_ON", "CONTAINS", "DYNAMIC_LINK", "OPTIONAL_DEPENDENCY_OF"):
            _relate(graph, ids[src], ids[dst], model_type, {"spdx.relationship": rtype})
        else:
            _relate(graph, ids[src], ids[dst], model_type, {})
    doc_extras = _assay_annotation(doc)
    if doc_extras is not None:
        graph.root = str(doc_extras.get("root") or "")
        graph.metadata.update({str(k): str(v) for k, v in (doc_extras.get("metadata") or {}).items()})
        for u in doc_extras.get("unknowns") or ():
            graph.unknowns.append(Unknown(str(u["subject"]), str(u["reason"]), str(u.get("detail") or "")))
    else:
        roots = list(dict.fromkeys(ids[d] for d in described if d in ids))
        if len(roots) == 1:
            graph.root = roots[0]
        info = doc.get("creationInfo") or {}
        graph.metadata.update({"source": str(path), "source.format": version,
                               "source.name": str(doc.get("name") or ""),
                               "source.created": str(info.get("created") or ""),
                               "source.creators": "; ".join(str(c) for c in info.get("creators") or ())})
    return graph


# -- CycloneDX -------------------------------------------------------------------

_CONTEXT = re.compile(r"^(?P<kind>[^;]+); proves (?P<proves>[^:]+?)(?:: (?P<detail>.*))?$", re.S)
# properties the CycloneDX writer adds for model fields (not component properties)
_WRITER_PROPS = frozenset({
    "assay:kind", "assay:found_by", "assay:version", "assay:cpe", "assay:hash", "assay:license.source",
    "assay:license.text", "assay:download_location", "assay:homepage", "assay:source_url", "assay:edge"})
_EXTRA_REL = {"assay:contains": RelType.CONTAINS, "assay:optional_depends_on": RelType.OPTIONAL_DEPENDS_ON,
              "assay:dynamic_link": RelType.DYNAMIC_LINK}


def _is_assay_bom(doc: dict[str, Any]) -> bool:
    tools = (doc.get("metadata") or {}).get("tools") or []
    if isinstance(tools, dict):
        tools = tools.get("components") or []
    return any(isinstance(t, dict) and t.get("name") == "assay" for t in tools)


def _cdx_licenses(entries: Any, props: dict[str, list[str]], default_source: str) -> License | None:
    source = props.get("assay:license.source", [default_source])[0]
    extra_text = props.get("assay:license.text", [None])[0]
    ids: list[str] = []
    names: list[str] = []
    for entry in entries or ():
        if "expression" in entry:
            return _license(str(entry["expression"]), extra_text, source)
        lic = entry["license"]
        if lic.get("id"):
            ids.append(str(lic["id"]))
        elif lic.get("name"):
            text = lic.get("text")
            content = text.get("content") if isinstance(text, dict) else None
            names.append(str(content) if content and text.get("encoding") != "base64" else str(lic["name"]))
    expression = " AND ".join(f"({i})" if " " in i else i for i in ids) if ids else None
    text = "\n".join(names) if names else extra_text
    return _license(expression, text, source)


def _cdx_component(c: dict[str, Any], path: Path, assay_made: bool, index: str) -> tuple[
        Component, list[tuple[RelType, str, dict[str, str]]]]:
    name = str(c["name"])
    version = _str(c.get("version"))
    purl = _str(c.get("purl"))
    props: dict[str, list[str]] = {}
    plain_props: list[tuple[str, str]] = []
    for prop in c.get("properties") or ():
        key, value = str(prop["name"]), str(prop.get("value", ""))
        props.setdefault(key, []).append(value)
        if not (assay_made and (key in _WRITER_PROPS or key in _EXTRA_REL)):
            plain_props.append((key, value))
    cpes = ([str(c["cpe"])] if c.get("cpe") else []) + props.get("assay:cpe", [])
    hashes = [hash_from_external(str(h["alg"]), str(h["content"])) for h in c.get("hashes") or ()]
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
    author = authors[0] if authors else _str(c.get("author"))
    evidence: list[Evidence] = []
    ev = c.get("evidence") or {}
    for occ in ev.get("occurrences") or ():
        m = _CONTEXT.match(str(occ.get("additionalContext", ""))) if assay_made else None
        if m:
            evidence.append(Evidence(m["kind"], str(occ.get("location", "")), m["detail"] or "", m["proves"]))
        else:
            evidence.append(Evidence("sbom-occurrence", str(occ.get("location", "")),
                                     str(occ.get("additionalContext", ""))))
    ref = _str(c.get("bom-ref"))
    if assay_made and props.get("assay:kind"):
        kind = Kind(props["assay:kind"][0])
        cid = ref or make_id(kind, name, version, "cyclonedx", index)
        found_by = props.get("assay:found_by", [""])[0]
    else:
        kind = _kind(purl, _str(c.get("type")), name)
        cid = make_id(kind, name, version, "cyclonedx", ref or index)
        found_by = FOUND_BY
        evidence.insert(0, Evidence("sbom-input", str(path), f"CycloneDX component {ref or index}"))
        plain_props[:0] = [("cyclonedx:type", str(c.get("type", "")))] + (
            [("cyclonedx:bom-ref", ref)] if ref else []) + (
            [("cyclonedx:group", str(c["group"]))] if c.get("group") else [])
    comp = Component(
        id=cid, kind=kind, name=name, version=version, purl=purl, cpes=tuple(cpes), hashes=tuple(hashes),
        license=_cdx_licenses(c.get("licenses"), props, "" if assay_made else "cyclonedx"),
        supplier=_str(supplier), author=author, description=_str(c.get("description")),
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


def _read_cyclonedx(doc: dict[str, Any], path: Path) -> Graph:
    spec = str(doc.get("specVersion", ""))
    if not re.fullmatch(r"1\.[2-7]", spec):
        raise InputError(f"{path}: CycloneDX {spec or '(no specVersion)'} is not supported (1.4-1.6 are)")
    assay_made = _is_assay_bom(doc)
    graph = Graph()
    refs: dict[str, str] = {}
    extra_edges: list[tuple[str, RelType, str, dict[str, str]]] = []
    # (source, target, type) -> edge details; edges are added once all components are known
    edges: dict[tuple[str, str, RelType], dict[str, str]] = {}

    def visit(items: Any, parent: str | None, prefix: str) -> None:
        for n, c in enumerate(items or ()):
            index = f"{prefix}{n}"
            comp, extra = _cdx_component(c, path, assay_made, index)
            graph.add(comp)
            if c.get("bom-ref"):
                refs[str(c["bom-ref"])] = comp.id
            if parent is not None:
                edges.setdefault((parent, comp.id, RelType.CONTAINS), {})
            extra_edges.extend((comp.id, rtype, target, props) for rtype, target, props in extra)
            visit(c.get("components"), comp.id, f"{index}.")

    meta = doc.get("metadata") or {}
    if meta.get("component"):
        visit([meta["component"]], None, "root")
        graph.root = next(iter(graph.components))
    visit(doc.get("components"), None, "")
    dynamic = {(s, t) for s, rtype, t, _ in extra_edges if rtype is RelType.DYNAMIC_LINK}
    for dep in doc.get("dependencies") or ():
        src = refs.get(str(dep["ref"]))
        for target in dep.get("dependsOn") or ():
            dst = refs.get(str(target))
            if src is None or dst is None or (src, str(target)) in dynamic:
                continue
            edges.setdefault((src, dst, RelType.DEPENDS_ON), {})
    for src, rtype, target, props in extra_edges:
        dst = refs.get(target, target)
        if dst in graph.components:
            details = edges.setdefault((src, dst, rtype), {})
            details.update(props)
    for (src, dst, rtype), props in edges.items():
        _relate(graph, src, dst, rtype, props)
    for prop in doc.get("properties") or ():
        if prop.get("name") == "assay:unknown":
            u = json.loads(prop["value"])
            graph.unknowns.append(Unknown(str(u["subject"]), str(u["reason"]), str(u.get("detail") or "")))
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
