"""pip installation reports (``pip install --report FILE``, format version 1) → Graph.

Each ``install`` item becomes a python-package with the archive URL and hashes
pip downloaded, whether the user requested it, and the extras they asked for;
Requires-Dist edges are evaluated against the report's ``environment``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from assay.catalog.installed import Dist, dependency_edges
from assay.catalog.metadata import dist_component, metadata_from_json
from assay.errors import InputError
from assay.jsonio import read_json
from assay.model import Component, Evidence, Graph, Hash, Kind, RelType, make_id

FOUND_BY = "pip-report"


def load_report(path: Path) -> dict[str, Any]:
    return _load(path)[0]


def _load(path: Path) -> tuple[dict[str, Any], bytes]:
    data, raw = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("install"), list):
        raise InputError(f"{path}: not a pip installation report (no 'install' list)")
    if str(data.get("version")) != "1":
        raise InputError(f"{path}: pip report format version {data.get('version')!r} is not supported "
                         "(assay reads version 1)")
    return data, raw


def download_facts(info: dict[str, Any]) -> tuple[str | None, tuple[Hash, ...], list[tuple[str, str]]]:
    """PEP 610 download_info → (location, hashes, properties)."""
    url = info.get("url")
    props: list[tuple[str, str]] = []
    hashes: dict[str, str] = {}
    location = url
    if isinstance(info.get("archive_info"), dict):
        archive = info["archive_info"]
        for alg, value in (archive.get("hashes") or {}).items():
            hashes[alg.lower().replace("-", "")] = value.lower()
        legacy = archive.get("hash")
        if isinstance(legacy, str) and "=" in legacy:
            alg, value = legacy.split("=", 1)
            hashes.setdefault(alg.lower().replace("-", ""), value.lower())
    elif isinstance(info.get("vcs_info"), dict):
        vcs = info["vcs_info"]
        commit = vcs.get("commit_id", "")
        props += [("assay:direct_url.vcs", vcs.get("vcs", "")), ("assay:direct_url.commit_id", commit)]
        location = f"{vcs.get('vcs', 'git')}+{url}@{commit}" if commit else url
    elif isinstance(info.get("dir_info"), dict):
        props.append(("assay:direct_url.editable", str(bool(info["dir_info"].get("editable"))).lower()))
    return location, tuple(Hash(a, v) for a, v in sorted(hashes.items())), props


def catalog_pip_report(path: Path) -> Graph:
    data, raw = _load(path)
    env = data.get("environment") or {}
    graph = Graph()
    graph.metadata.update({"target": str(path), "target_kind": "pip-report",
                           "pip_version": str(data.get("pip_version", "")),
                           "python_version": env.get("python_full_version", ""),
                           "sys_platform": env.get("sys_platform", ""),
                           "platform_machine": env.get("platform_machine", "")})
    digest = hashlib.sha256(raw).hexdigest()
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
        key = canonicalize_name(md.name)
        dist = Dist(path, path, comp, md, list(md.requires_dist),
                    {canonicalize_name(e) for e in md.provides_extra})
        dists[key] = dist
        graph.add(comp)
        graph.relate(root.id, comp.id, RelType.CONTAINS)
        if extras:
            requested_extras[key] = set(extras)
    dependency_edges(graph, dists, {k: str(v) for k, v in env.items()}, requested_extras)
    required = {r.target for r in graph.relationships if r.type == RelType.DEPENDS_ON}
    for dist in dists.values():
        if dist.component.prop("assay:requested") == "true" or dist.component.id not in required:
            graph.relate(root.id, dist.component.id, RelType.DEPENDS_ON)
    return graph
