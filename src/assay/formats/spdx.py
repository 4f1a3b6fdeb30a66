"""SPDX 2.3 JSON writer (plain dicts and json.dumps; no SPDX library at run time).

Mapping of the model:

- every component -> a package ``SPDXRef-<component id>``; the root is what the document
  DESCRIBES (without a root: every component nothing else contains or depends on);
- DEPENDS_ON -> DEPENDS_ON, CONTAINS -> CONTAINS, DYNAMIC_LINK -> DYNAMIC_LINK,
  OPTIONAL_DEPENDS_ON -> the target is OPTIONAL_DEPENDENCY_OF the source; the requirement,
  extra and marker of an edge go into the relationship's comment;
- supplier -> ``supplier`` ("Organization: ..." or NOASSERTION), author -> ``originator``;
- purl -> externalRefs PACKAGE-MANAGER purl, CPEs -> SECURITY cpe23Type / cpe22Type;
- hashes -> ``checksums``; a valid SPDX expression -> ``licenseDeclared``; free text ->
  a ``LicenseRef-`` with ``hasExtractedLicensingInfos``;
- download location -> ``downloadLocation`` (NOASSERTION when absent or not a URL SPDX
  accepts), homepage -> ``homepage``, source URL -> ``sourceInfo``;
- evidence -> the package ``comment`` (for people) and, with kind, found_by and properties,
  an ``assay:`` annotation holding JSON (for :mod:`assay.catalog.sbom_input`);
- unknowns and graph metadata -> the document comment and a document annotation;
- findings -> SECURITY ``advisory`` external references of the affected package.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from assay.errors import InputError
from assay.formats._common import (
    TOOL_NAME,
    TOOL_VERSION,
    document_name,
    document_uuid,
    dumps_json,
    license_ref,
    spdx_hash_alg,
    split_license,
    timestamp,
)
from assay.formats._reading import (
    FOUND_BY,
    drain,
    evidence_from,
    kind_from,
    license_from,
    opt_str,
    relate,
)
from assay.identity import hashes as _hashes
from assay.model import Component, Evidence, Finding, Graph, Hash, Kind, License, RelType, Unknown, make_id

NOASSERTION = "NOASSERTION"
ANNOTATION_PREFIX = "assay:"  # annotations whose comment is "assay:" + JSON

PURPOSE: dict[Kind, str] = {
    Kind.APPLICATION: "APPLICATION",
    Kind.ENVIRONMENT: "APPLICATION",
    Kind.PYTHON_PACKAGE: "LIBRARY",
    Kind.VENDORED_PACKAGE: "LIBRARY",
    Kind.NATIVE_LIBRARY: "LIBRARY",
    Kind.JAVASCRIPT_LIBRARY: "LIBRARY",
    Kind.CARGO_LIBRARY: "LIBRARY",
    Kind.INTERPRETER: "APPLICATION",
    Kind.FILE: "ARCHIVE",
}

_SPDXID_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")
_LICENSE_REF = re.compile(r"LicenseRef-[A-Za-z0-9.\-]+")
_LICENSE_WARNING = "assay:license.warning"  # a component property: a warning from license resolution
# What SPDX tools accept as a download location / homepage: a URL with a host name,
# optionally prefixed by a VCS ("git+https://..."), or git+git@host:path.
_HOST_URL = (r"(?:(?:https?|ftp|sftp|ssh|git|svn)://)?(?:[\w\-.!~*'()%;:&=+$,]+@)?"
             r"[a-z0-9]+(?:[\-.][a-z0-9]+){0,100}\.[a-z]{2,5}(?::[0-9]{1,5})?(?:/\S*)?")
_URL_RE = re.compile(rf"^{_HOST_URL}$", re.IGNORECASE)
_DOWNLOAD_RE = re.compile(
    rf"^(?:(?:(?:git|hg|svn|bzr)\+)?{_HOST_URL}|git\+git@[a-zA-Z0-9.\-]+:[a-zA-Z0-9/\\.@\-]+)$",
    re.IGNORECASE)


def spdx_id(component_id: str) -> str:
    return "SPDXRef-" + (_SPDXID_UNSAFE.sub("-", component_id) or "component")


def _actor(kind: str, value: str | None) -> str | None:
    """``Organization: name (email)`` from "name <email>" or "name"; None when empty."""
    if not value:
        return None
    # no control characters, and something readable must remain
    text = " ".join("".join(ch for ch in value if unicodedata.category(ch)[0] != "C").split())
    if not any(ch.isalnum() for ch in text):
        return None
    m = re.fullmatch(r"(.*?)\s*<([^<>]*)>", text)
    name, email = (m.group(1), m.group(2)) if m else (text, "")
    # parentheses delimit the e-mail in SPDX actors; keep them out of the name
    name = name.replace("(", "[").replace(")", "]").strip() or email
    if not any(ch.isalnum() for ch in name):
        return None
    return f"{kind}: {name} ({email})" if email else f"{kind}: {name}"


def _external_refs(comp: Component) -> list[dict[str, str]]:
    refs = []
    if comp.purl:
        refs.append({"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                     "referenceLocator": comp.purl})
    for cpe in comp.cpes:
        ref_type = "cpe23Type" if cpe.startswith("cpe:2.3:") else "cpe22Type"
        refs.append({"referenceCategory": "SECURITY", "referenceType": ref_type,
                     "referenceLocator": cpe})
    return refs


def _evidence_comment(comp: Component) -> str | None:
    lines = []
    for ev in comp.evidence:
        where = f" at {ev.location}" if ev.location else ""
        what = f": {ev.detail}" if ev.detail else ""
        lines.append(f"{ev.proves} from {ev.kind}{where}{what}")
    parts = ["Version unknown (could not be proven)."] if comp.version is None else []
    if lines:
        parts.append("Evidence: " + "; ".join(lines))
    return " ".join(parts) or None


def _advisory_refs(findings: Sequence[Finding]) -> list[dict[str, str]]:
    refs = []
    for f in findings:
        url = next((r for r in f.references if _URL_RE.match(r)), None) \
            or f"https://osv.dev/vulnerability/{f.id}"
        comment = f"{f.id} ({f.severity})" + (f" fixed in {', '.join(f.fixed_versions)}"
                                             if f.fixed_versions else "")
        if f.ignored is not None:
            comment += f"; ignored: {f.ignored}"
        refs.append({"referenceCategory": "SECURITY", "referenceType": "advisory",
                     "referenceLocator": url, "comment": comment})
    return refs


def _package(comp: Component, created: str, extracted: dict[str, dict[str, str]],
             findings: Sequence[Finding] = ()) -> dict[str, Any]:
    pkg: dict[str, Any] = {
        "SPDXID": spdx_id(comp.id),
        "name": comp.name,
        "downloadLocation": NOASSERTION,
        "filesAnalyzed": False,
        "licenseConcluded": NOASSERTION,
        "licenseDeclared": NOASSERTION,
        "copyrightText": NOASSERTION,
        "supplier": _actor("Organization", comp.supplier) or NOASSERTION,
        "primaryPackagePurpose": PURPOSE.get(comp.kind, "LIBRARY"),
    }
    if comp.version is not None:
        pkg["versionInfo"] = comp.version
    originator = _actor("Person", comp.author)
    if originator:
        pkg["originator"] = originator
    origin = []
    if comp.download_location and _DOWNLOAD_RE.match(comp.download_location):
        pkg["downloadLocation"] = comp.download_location
    elif comp.download_location:  # e.g. a file:// URL of a local archive or editable checkout
        origin.append(f"installed from: {comp.download_location}")
    if comp.homepage and _URL_RE.match(comp.homepage):
        pkg["homepage"] = comp.homepage
    if comp.source_url:
        origin.append(f"source repository: {comp.source_url}")
    if origin:
        pkg["sourceInfo"] = "; ".join(origin)
    if comp.description:
        pkg["description"] = comp.description
    checksums = []
    for h in comp.hashes:
        alg = spdx_hash_alg(h)
        if alg is not None:
            checksums.append({"algorithm": alg, "checksumValue": h.value.lower()})
    if checksums:
        pkg["checksums"] = checksums
    expr, text = split_license(comp.license)
    comments = []
    if expr is not None:
        pkg["licenseDeclared"] = expr
        own = dict(comp.license.extracted) if comp.license is not None else {}
        for ref in sorted(set(_LICENSE_REF.findall(expr))):
            # each LicenseRef its own text; a license without them holds its one text in ``text``
            ref_text = own.get(ref) if own else text
            extracted.setdefault(ref, {
                "licenseId": ref,
                "extractedText": ref_text or f"{ref}: the text is not known to assay",
                "name": ref.removeprefix("LicenseRef-"),
            })
        if text is not None:
            comments.append(text)
    elif text is not None:
        ref = license_ref(text)
        pkg["licenseDeclared"] = ref
        extracted.setdefault(ref, {"licenseId": ref, "extractedText": text,
                                   "name": text.strip().splitlines()[0][:100]})
    warnings = [v for k, v in comp.properties if k == _LICENSE_WARNING]
    if warnings:  # contradictions found while resolving the license (also kept in the annotation)
        comments.append("Warnings from license resolution:\n" + "\n".join(f"- {w}" for w in warnings))
    if comments:
        pkg["licenseComments"] = "\n\n".join(comments)
    external = _external_refs(comp) + _advisory_refs(findings)
    if external:
        pkg["externalRefs"] = external
    comment = _evidence_comment(comp)
    if comment:
        pkg["comment"] = comment
    pkg["annotations"] = [{
        "annotationDate": created,
        "annotationType": "OTHER",
        "annotator": f"Tool: {TOOL_NAME}-{TOOL_VERSION}",
        "comment": ANNOTATION_PREFIX + json.dumps(_extras(comp), sort_keys=True, ensure_ascii=False),
    }]
    return pkg


def _extras(comp: Component) -> dict[str, Any]:
    """What SPDX has no field for, so assay can read its own SPDX back without loss."""
    extras: dict[str, Any] = {"id": comp.id, "kind": comp.kind.value, "found_by": comp.found_by,
                              "properties": [list(p) for p in comp.properties]}
    if comp.evidence:
        extras["evidence"] = [{"kind": e.kind, "location": e.location, "detail": e.detail,
                               "proves": e.proves} for e in comp.evidence]
    if comp.license is not None:
        extras["license"] = {"expression": comp.license.expression, "text": comp.license.text,
                             "source": comp.license.source}
        if comp.license.extracted:
            extras["license"]["extracted"] = [list(e) for e in comp.license.extracted]
    for name in ("supplier", "author", "download_location", "homepage", "source_url"):
        value = getattr(comp, name)
        if value is not None:
            extras[name] = value
    if comp.hashes:
        extras["hashes"] = [[h.alg, h.value] for h in comp.hashes]
    return extras


def _relationships(graph: Graph, described: list[str]) -> list[dict[str, Any]]:
    rels: list[dict[str, Any]] = [
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
         "relatedSpdxElement": spdx_id(cid)} for cid in described]
    if not rels:  # an empty inventory: SPDX needs a DESCRIBES, and NONE is the honest target
        rels.append({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                     "relatedSpdxElement": "NONE"})
    comps = graph.components
    for rel in graph.sorted_relationships():
        if rel.source not in comps or rel.target not in comps:
            continue  # dangling edges cannot be expressed; the graph's unknowns say why
        src, dst = spdx_id(rel.source), spdx_id(rel.target)
        if rel.type is RelType.OPTIONAL_DEPENDS_ON:
            entry = {"spdxElementId": dst, "relationshipType": "OPTIONAL_DEPENDENCY_OF",
                     "relatedSpdxElement": src}
        else:
            entry = {"spdxElementId": src, "relationshipType": rel.type.name,
                     "relatedSpdxElement": dst}
        if rel.properties:
            entry["comment"] = ANNOTATION_PREFIX + json.dumps(dict(rel.properties), sort_keys=True,
                                                              ensure_ascii=False)
        rels.append(entry)
    return rels


def _described(graph: Graph) -> list[str]:
    if graph.root in graph.components:
        return [graph.root]
    inner = {r.target for r in graph.relationships
             if r.source in graph.components and r.source != r.target
             and r.type in (RelType.CONTAINS, RelType.DEPENDS_ON, RelType.OPTIONAL_DEPENDS_ON)}
    tops = [c.id for c in graph.sorted_components() if c.id not in inner]
    return tops or [c.id for c in graph.sorted_components()]


def to_dict(graph: Graph, *, created: datetime, findings: Sequence[Finding] = ()) -> dict[str, Any]:
    stamp = timestamp(created)
    tool = f"Tool: {TOOL_NAME}-{TOOL_VERSION}"
    name = document_name(graph)
    uid = document_uuid(graph, created, "spdx-json")
    slug = re.sub(r"[^A-Za-z0-9.\-]+", "-", name).strip("-") or "inventory"
    extracted: dict[str, dict[str, str]] = {}
    by_component: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.component_id, f.id, f.source)):
        by_component.setdefault(f.component_id, []).append(f)
    packages = [_package(c, stamp, extracted, by_component.get(c.id, ()))
                for c in graph.sorted_components()]
    described = _described(graph)
    creators = [tool]
    creator = graph.metadata.get("creator")
    if creator and re.match(r"^(Person|Organization):\s*\S", creator):
        creators.append(creator)
    elif creator:
        creators.append(f"Organization: {creator}")
    doc: dict[str, Any] = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": f"https://spdx.org/spdxdocs/{slug}-{uid}",
        "creationInfo": {"created": stamp, "creators": creators},
        "packages": packages,
        "relationships": _relationships(graph, described),
        "documentDescribes": [spdx_id(cid) for cid in described],
    }
    if extracted:
        doc["hasExtractedLicensingInfos"] = [extracted[k] for k in sorted(extracted)]
    unknowns = sorted(graph.unknowns, key=lambda u: (u.subject, u.reason, u.detail))
    doc_extras: dict[str, Any] = {"root": graph.root}
    if graph.metadata:
        doc_extras["metadata"] = dict(sorted(graph.metadata.items()))
    if unknowns:
        doc_extras["unknowns"] = [{"subject": u.subject, "reason": u.reason, "detail": u.detail}
                                  for u in unknowns]
        doc["comment"] = "Unknowns (what the scan could not settle):\n" + "\n".join(
            f"- {u.subject}: {u.reason}" + (f": {u.detail}" if u.detail else "") for u in unknowns)
    doc["annotations"] = [{
        "annotationDate": stamp, "annotationType": "OTHER", "annotator": tool,
        "comment": ANNOTATION_PREFIX + json.dumps(doc_extras, sort_keys=True, ensure_ascii=False),
    }]
    return doc


def dumps(graph: Graph, *, created: datetime, findings: Sequence[Finding] = (),
          color: bool | None = None) -> str:
    """SPDX 2.3 JSON; findings become SECURITY ``advisory`` external references of their package."""
    return dumps_json(to_dict(graph, created=created, findings=findings))


# -- reading ------------------------------------------------------------------

_ASSAY = "assay:"

def recognise(doc: Any) -> bool:
    return isinstance(doc, dict) and "spdxVersion" in doc


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


def _read_package(p: dict[str, Any], extracted: dict[str, str], path: str) -> Component:
    spdxid = str(p["SPDXID"])
    name = str(p["name"])
    version = opt_str(p.get("versionInfo"))
    purl = None
    cpes: list[str] = []
    for ref in p.get("externalRefs") or ():
        rtype = str(ref.get("referenceType", ""))
        locator = str(ref["referenceLocator"])
        if rtype == "purl" and purl is None:
            purl = locator
        elif rtype in ("cpe23Type", "cpe22Type"):
            cpes.append(locator)
    hashes = tuple(_hashes.make(str(c["algorithm"]), str(c["checksumValue"]))
                   for c in p.get("checksums") or ())
    declared = str(p.get("licenseDeclared") or "").strip()
    concluded = str(p.get("licenseConcluded") or "").strip()
    source, expression = "spdx:licenseDeclared", declared
    if declared in _SPDX_NONE and concluded not in _SPDX_NONE:
        source, expression = "spdx:licenseConcluded", concluded
    text = opt_str(p.get("licenseComments"))
    if expression in _SPDX_NONE:
        lic = license_from(None, text, source)
    elif expression in extracted and text is None:
        lic = License(expression=expression, text=extracted[expression], source=source)
    else:
        lic = license_from(expression, text, source)
    if lic is not None and lic.expression:  # the text of each LicenseRef the document extracts
        own = tuple((r, extracted[r]) for r in sorted(set(_LICENSE_REF.findall(lic.expression)))
                    if r in extracted)
        if own:
            lic = replace(lic, extracted=own)
    download = opt_str(p.get("downloadLocation"))
    homepage = opt_str(p.get("homepage"))
    source_info = opt_str(p.get("sourceInfo"))
    extras = _assay_annotation(p)
    if extras is None:
        kind = kind_from(purl, opt_str(p.get("primaryPackagePurpose")), name)
        props: list[tuple[str, str]] = [("spdx:SPDXID", spdxid)]
        if p.get("primaryPackagePurpose"):
            props.append(("spdx:primaryPackagePurpose", str(p["primaryPackagePurpose"])))
        if source_info:
            props.append(("spdx:sourceInfo", source_info))
        return Component(
            id=make_id(kind, name, version, "spdx", spdxid), kind=kind, name=name, version=version,
            purl=purl, cpes=tuple(cpes), hashes=hashes, license=lic,
            supplier=_actor_name(p.get("supplier")), author=_actor_name(p.get("originator")),
            description=opt_str(p.get("description") or p.get("summary")),
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
            None if raw_lic is None else License(
                opt_str(raw_lic.get("expression")), opt_str(raw_lic.get("text")),
                str(raw_lic.get("source") or ""),
                tuple((str(i), str(t)) for i, t in raw_lic.get("extracted") or ()))),
        supplier=opt_str(extras.get("supplier")), author=opt_str(extras.get("author")),
        description=opt_str(p.get("description")),
        download_location=opt_str(extras.get("download_location")),
        homepage=opt_str(extras.get("homepage")), source_url=opt_str(extras.get("source_url")),
        evidence=tuple(evidence_from(e) for e in extras.get("evidence") or ()),
        found_by=str(extras.get("found_by") or ""),
        properties=tuple((str(k), str(v)) for k, v in extras.get("properties") or ()))


def read(doc: dict[str, Any], path: str, *, consume: bool = False) -> Graph:
    version = str(doc.get("spdxVersion"))
    if version not in ("SPDX-2.2", "SPDX-2.3"):
        raise InputError(f"{path}: {version} is not supported (SPDX 2.2 and 2.3 JSON are)")
    extracted = {str(e["licenseId"]): str(e.get("extractedText") or "")
                 for e in doc.get("hasExtractedLicensingInfos") or ()}
    graph = Graph()
    ids: dict[str, str] = {}
    for p in drain(doc.get("packages"), consume):
        comp = _read_package(p, extracted, path)
        ids[str(p["SPDXID"])] = comp.id
        graph.add(comp)
    doc_id = str(doc.get("SPDXID") or "SPDXRef-DOCUMENT")
    described = [str(d) for d in doc.get("documentDescribes") or ()]
    for rel in drain(doc.get("relationships"), consume):
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
            relate(graph, ids[src], ids[dst], model_type, {str(k): str(v) for k, v in props.items()})
        elif rtype not in ("DEPENDS_ON", "CONTAINS", "DYNAMIC_LINK", "OPTIONAL_DEPENDENCY_OF"):
            relate(graph, ids[src], ids[dst], model_type, {"spdx.relationship": rtype})
        else:
            relate(graph, ids[src], ids[dst], model_type, {})
    doc_extras = _assay_annotation(doc)
    if doc_extras is not None:
        graph.root = str(doc_extras.get("root") or "")
        graph.metadata.update({str(k): str(v) for k, v in (doc_extras.get("metadata") or {}).items()})
        for u in doc_extras.get("unknowns") or ():
            graph.add_unknown(Unknown(str(u["subject"]), str(u["reason"]), str(u.get("detail") or "")))
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
