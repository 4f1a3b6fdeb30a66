"""poetry.lock → Graph: every ``[[package]]`` with its files' hashes."""

from __future__ import annotations

from typing import Any

from assay.catalog import lockbase
from assay.catalog.base import EXACT_NAME, Cataloger, Catalogue, Options, Target
from assay.errors import InputError
from assay.identity import hashes as _hashes
from assay.identity.purl import canonical_name
from assay.model import Component, Graph


class PoetryLockCataloger(Cataloger):
    name = "poetry.lock"
    description = "a poetry.lock"

    def recognise(self, target: Target) -> int:
        return EXACT_NAME if target.is_file and target.name == "poetry.lock" else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return Catalogue(catalog_poetry_lock(target), self.name)


CATALOGERS = (PoetryLockCataloger(),)


def catalog_poetry_lock(target: Target) -> Graph:
    path = target.path
    data = lockbase.read_toml(target)
    graph = Graph()
    root = lockbase.root(graph, target, "poetry.lock")
    by_name: dict[str, list[Component]] = {}
    pending: list[tuple[Component, list[dict[str, Any]]]] = []
    for i, pkg in enumerate(data.get("package") or []):
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            raise InputError(f"{path}: package[{i}] has no name")
        if not isinstance(pkg.get("version"), str):
            graph.unknown(root.id, "unversioned-package",
                          f"{path}:package[{i}]: {pkg['name']} has no version")
            continue
        hashes = tuple(h for f in pkg.get("files") or [] if isinstance(f, dict)
                       and isinstance(f.get("hash"), str) and (h := _hashes.parse_prefixed(f["hash"])))
        comp = lockbase.package(graph, pkg["name"], pkg["version"], location=f"{path}:package[{i}]",
                                detail=f"{pkg['name']} {pkg['version']}", hashes=hashes)
        by_name.setdefault(canonical_name(pkg["name"]), []).append(comp)
        pending.append((comp, [{"name": n} for n in (pkg.get("dependencies") or {})]))
    lockbase.edges(graph, root, pending, by_name)
    return graph
