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
    kind_hint: str  # "library" | "python" | "javascript" | "cargo"
    evidence: list[Evidence] = field(default_factory=list)


def is_sbom_path(path: str) -> bool:
    return bool(SBOM_DIR.match(path)) and path.lower().endswith(".json")


def read_sbom(path: str, data: bytes) -> tuple[list[Claimed], str | None]:
    """Components of one embedded SBOM, and an error message when it could not be read.

    A thin adapter over the document readers of :mod:`assay.formats`: every component of the
    document except what it describes (its root) is a claim."""
    from assay.errors import InputError
    from assay.formats.documents import read_document

    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return [], f"not JSON ({exc})"
    if not isinstance(doc, dict):
        return [], "not a JSON object"
    try:
        graph, fmt = read_document(doc, path)
    except InputError as exc:
        return [], exc.message.removeprefix(f"{path}: ")
    described = {str(d) for d in doc.get("documentDescribes") or ()}
    out: list[Claimed] = []
    for comp in graph.components.values():
        if comp.id == graph.root or (described and comp.prop("spdx:SPDXID") in described):
            continue
        if comp.prop("cyclonedx:scope") == "excluded":
            continue  # the SBOM says it is not in the artifact (a build-only crate: cc, build scripts)
        what = "CycloneDX component" if fmt == "CycloneDX" else f"{fmt} package"
        detail = f"{comp.name} {comp.version or '(no version)'}"
        out.append(Claimed(comp.name, comp.version, comp.purl, comp.cpes, _hint(comp.purl),
                           [Evidence("pep770-sbom", path, f"{what} {detail}",
                                     "version" if comp.version else "presence")]))
    return out, None


def _hint(purl: str | None) -> str:
    from assay.identity.purl import purl_type

    return {"pypi": "python", "npm": "javascript", "cargo": "cargo"}.get(purl_type(purl), "library")


__all__ = ["Claimed", "is_sbom_path", "read_sbom"]
