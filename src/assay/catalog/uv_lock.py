"""uv.lock → Graph: every ``[[package]]``; the project (editable or virtual source) is the root."""

from __future__ import annotations

from typing import Any

from assay.catalog import lockbase
from assay.catalog.base import EXACT_NAME, Cataloger, Catalogue, Options, Target
from assay.errors import InputError
from assay.identity import hashes as _hashes
from assay.identity.purl import canonical_name
from assay.model import Component, Graph, Hash


class UvLockCataloger(Cataloger):
    name = "uv.lock"
    description = "a uv.lock"

    def recognise(self, target: Target) -> int:
        return EXACT_NAME if target.is_file and target.name == "uv.lock" else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return Catalogue(catalog_uv_lock(target), self.name)


CATALOGERS = (UvLockCataloger(),)


def catalog_uv_lock(target: Target) -> Graph:
    path = target.path
    data = lockbase.read_toml(target)
    if "package" not in data and "version" not in data:
        raise InputError(f"{path}: not a uv.lock (no [[package]] tables)")
    graph = Graph()
    root = lockbase.root(graph, target, "uv.lock")
    by_name: dict[str, list[Component]] = {}
    pending: list[tuple[Component, list[dict[str, Any]]]] = []
    for i, pkg in enumerate(data.get("package") or []):
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            raise InputError(f"{path}: package[{i}] has no name")
        name, version = pkg["name"], pkg.get("version")
        source = pkg.get("source") or {}
        where = f"{path}:package[{i}]"
        deps = [d for d in pkg.get("dependencies") or [] if isinstance(d, dict)]
        for extra_deps in (pkg.get("optional-dependencies") or {}).values():
            deps.extend(d for d in extra_deps if isinstance(d, dict))
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            # the project (or a workspace member) itself: the root stands for it
            by_name.setdefault(canonical_name(name), []).append(root)
            pending.append((root, deps))
            continue
        if not isinstance(version, str):
            graph.unknown(root.id, "unversioned-package", f"{where}: {name} has no version")
            continue
        hashes: list[Hash] = []
        download = None
        for art in [pkg.get("sdist"), *(pkg.get("wheels") or [])]:
            if isinstance(art, dict):
                if isinstance(art.get("hash"), str) and (h := _hashes.parse_prefixed(art["hash"])):
                    hashes.append(h)
                download = download or art.get("url")
        props = {}
        if isinstance(source, dict):
            for key in ("registry", "git", "url", "path", "directory"):
                if isinstance(source.get(key), str):
                    props[f"assay:source.{key}"] = source[key]
        comp = lockbase.package(graph, name, version, location=where, detail=f"{name} {version}",
                                hashes=_hashes.unique(hashes), properties=props, download=download)
        by_name.setdefault(canonical_name(name), []).append(comp)
        pending.append((comp, deps))
    lockbase.edges(graph, root, pending, by_name)
    return graph
