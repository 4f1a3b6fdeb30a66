"""pip installation reports (``pip install --report FILE``, format version 1) → Graph.

Each ``install`` item becomes a python-package with the archive URL and hashes
pip downloaded, whether the user requested it, and the extras they asked for;
Requires-Dist edges are evaluated against the report's ``environment``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from assay.catalog.base import SHAPE, Cataloger, Catalogue, Options, Target
from assay.catalog.dependencies import Dist, dependency_edges, hang_from_root
from assay.errors import InputError
from assay.identity.direct_url import download_info
from assay.identity.metadata import dist_component, metadata_from_json
from assay.identity.purl import canonical_name
from assay.model import Component, Evidence, Graph, Hash, Kind, RelType, make_id

FOUND_BY = "pip-report"


def is_report(doc: Any) -> bool:
    return isinstance(doc, dict) and "install" in doc and "pip_version" in doc


def checked(doc: Any, origin: object) -> dict[str, Any]:
    """The report, once its shape and version are known to be what assay reads."""
    if not isinstance(doc, dict) or not isinstance(doc.get("install"), list):
        raise InputError(f"{origin}: not a pip installation report (no 'install' list)")
    if str(doc.get("version")) != "1":
        raise InputError(f"{origin}: pip report format version {doc.get('version')!r} is not supported "
                         "(assay reads version 1)")
    return doc


class PipReportCataloger(Cataloger):
    name = "pip-report"
    description = "a pip install --report JSON"

    def recognise(self, target: Target) -> int:
        return SHAPE if is_report(target.json_object()) else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        data = checked(target.json(), target.path)
        return Catalogue(_graph(data, target), self.name)


CATALOGERS = (PipReportCataloger(),)


def download_facts(info: dict[str, Any]) -> tuple[str | None, tuple[Hash, ...], list[tuple[str, str]]]:
    """PEP 610 download_info → (location, hashes, properties)."""
    try:
        d = download_info(info)
    except ValueError:
        return None, (), []
    return d.location, d.hashes, list(d.properties)


def _graph(data: dict[str, Any], target: Target) -> Graph:
    path = target.path
    assert path is not None
    env = data.get("environment") or {}
    graph = Graph()
    graph.metadata.update({"target": str(path), "target_kind": "pip-report",
                           "pip_version": str(data.get("pip_version", "")),
                           "python_version": env.get("python_full_version", ""),
                           "sys_platform": env.get("sys_platform", ""),
                           "platform_machine": env.get("platform_machine", "")})
    digest = hashlib.sha256(target.raw()).hexdigest()
    root = Component(id=make_id(Kind.APPLICATION, path.name, None, digest), kind=Kind.APPLICATION,
                     name=path.name, description="pip installation report",
                     hashes=(Hash("sha256", digest),),
                     evidence=(Evidence("pip-report", str(path), f"pip {data.get('pip_version', '?')}"),),
                     found_by=FOUND_BY)
    graph.add(root)
    graph.root = root.id

    dists: dict[str, Dist] = {}
    requested_extras: dict[str, set[str]] = {}
    for index, item in enumerate(data["install"]):
        where = f"{path}#install[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("metadata"), dict):
            graph.unknown(where, "unreadable-metadata", "install item without metadata")
            continue
        try:
            md = metadata_from_json(item["metadata"])
        except ValueError as exc:
            graph.unknown(where, "unreadable-metadata", str(exc))
            continue
        location, hashes, props = download_facts(item.get("download_info") or {})
        props.append(("assay:requested", "true" if item.get("requested") else "false"))
        props.append(("assay:is_direct", "true" if item.get("is_direct") else "false"))
        extras = [str(e) for e in item.get("requested_extras") or []]
        if extras:
            props.append(("assay:requested_extras", ",".join(sorted(extras))))
        evidence = (Evidence("pip-report", where, f"download_info.url = {location}", "download-location"),)
        comp = dist_component(md, location=where, found_by=FOUND_BY, hashes=hashes,
                              download_location=location, properties=tuple(props), evidence=evidence)
        key = canonical_name(md.name)
        dists[key] = Dist(comp, list(md.requires_dist), {canonical_name(e) for e in md.provides_extra})
        graph.add(comp)
        graph.relate(root.id, comp.id, RelType.CONTAINS)
        if extras:
            requested_extras[key] = set(extras)
    dependency_edges(graph, dists, {k: str(v) for k, v in env.items()}, requested_extras)
    hang_from_root(graph, root.id, dists)
    return graph


def load_report(path: object) -> dict[str, Any]:
    """A pip report read from ``path`` (for ``provenance record``)."""
    from pathlib import Path

    from assay.jsonio import read_json

    doc, _raw = read_json(Path(str(path)))
    return checked(doc, path)


__all__ = ["CATALOGERS", "download_facts", "is_report", "load_report"]
