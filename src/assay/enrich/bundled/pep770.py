"""PEP 770: SBOMs a distribution carries in ``<name>.dist-info/sboms/`` (CycloneDX or SPDX JSON).

Each component an embedded SBOM lists becomes a bundled component with evidence
``pep770-sbom`` (the SBOM file, and what it claimed). The caller merges these
with what detection found and keeps both proofs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from assay.model import Evidence

SBOM_DIR = re.compile(r"^(?:[^/]+/)?[^/]+\.dist-info/sboms/[^/]+$")


@dataclass(slots=True)
class Claimed:
    name: str
    version: str | None
    purl: str | None
    cpes: tuple[str, ...]
    kind_hint: str  # "library" | "python" | "javascript"
    evidence: list[Evidence] = field(default_factory=list)


def is_sbom_path(path: str) -> bool:
    return bool(SBOM_DIR.match(path)) and path.lower().endswith(".json")


def read_sbom(path: str, data: bytes) -> tuple[list[Claimed], str | None]:
    """Components of one embedded SBOM, and an error message when it could not be read."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return [], f"not JSON ({exc})"
    if not isinstance(doc, dict):
        return [], "not a JSON object"
    if doc.get("bomFormat") == "CycloneDX":
        return _cyclonedx(path, doc), None
    if "spdxVersion" in doc:
        return _spdx(path, doc), None
    return [], "neither CycloneDX nor SPDX"


def _hint(purl: str | None, ctype: str = "") -> str:
    if purl and purl.startswith("pkg:pypi/"):
        return "python"
    if purl and purl.startswith("pkg:npm/"):
        return "javascript"
    return "library"


def _cyclonedx(path: str, doc: dict) -> list[Claimed]:
    out: list[Claimed] = []
    root_ref = ((doc.get("metadata") or {}).get("component") or {}).get("bom-ref")

    def walk(comps: list) -> None:
        for c in comps or ():
            if not isinstance(c, dict) or not c.get("name"):
                continue
            if root_ref and c.get("bom-ref") == root_ref:
                continue
            purl = c.get("purl")
            cpes = tuple(x for x in [c.get("cpe")] if x)
            version = c.get("version") or None
            detail = f"{c['name']} {version or '(no version)'}"
            out.append(Claimed(c["name"], version, purl, cpes, _hint(purl, c.get("type", "")),
                               [Evidence("pep770-sbom", path, f"CycloneDX component {detail}",
                                         "version" if version else "presence")]))
            walk(c.get("components") or [])

    walk(doc.get("components") or [])
    return out


def _spdx(path: str, doc: dict) -> list[Claimed]:
    described = set(doc.get("documentDescribes") or ())
    out: list[Claimed] = []
    for p in doc.get("packages") or ():
        if not isinstance(p, dict) or not p.get("name") or p.get("SPDXID") in described:
            continue
        purl = None
        cpes: list[str] = []
        for ref in p.get("externalRefs") or ():
            rtype = ref.get("referenceType")
            if rtype == "purl":
                purl = ref.get("referenceLocator")
            elif rtype in ("cpe23Type", "cpe22Type"):
                cpes.append(ref.get("referenceLocator", ""))
        version = p.get("versionInfo") or None
        detail = f"{p['name']} {version or '(no version)'}"
        out.append(Claimed(p["name"], version, purl, tuple(c for c in cpes if c), _hint(purl),
                           [Evidence("pep770-sbom", path, f"SPDX package {detail}",
                                     "version" if version else "presence")]))
    return out
