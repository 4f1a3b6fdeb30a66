"""pylock.toml (PEP 751) → Graph: every ``[[packages]]`` entry, with its artifacts' hashes."""

from __future__ import annotations

import re
from typing import Any

from assay.catalog import lockbase
from assay.catalog.base import EXACT_NAME, Cataloger, Catalogue, Options, Target
from assay.errors import InputError
from assay.identity import hashes as _hashes
from assay.identity.purl import canonical_name
from assay.model import Component, Graph, Hash

_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$")


class PylockCataloger(Cataloger):
    name = "pylock"
    description = "a pylock.toml (PEP 751)"

    def recognise(self, target: Target) -> int:
        return EXACT_NAME if target.is_file and _NAME.match(target.name) else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return Catalogue(catalog_pylock(target), self.name)


CATALOGERS = (PylockCataloger(),)


def catalog_pylock(target: Target) -> Graph:
    path = target.path
    data = lockbase.read_toml(target)
    if "lock-version" not in data:
        raise InputError(f"{path}: not a pylock.toml (no lock-version)")
    major = str(data["lock-version"]).split(".", 1)[0]
    if major != "1":
        raise InputError(f"{path}: pylock lock-version {data['lock-version']} is not supported "
                         "(assay reads 1.x)")
    graph = Graph()
    root = lockbase.root(graph, target, "pylock")
    packages = data.get("packages") or []
    if not isinstance(packages, list):
        raise InputError(f"{path}: packages must be an array of tables")
    by_name: dict[str, list[Component]] = {}
    pending: list[tuple[Component, list[dict[str, Any]]]] = []
    for i, pkg in enumerate(packages):
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            raise InputError(f"{path}: packages[{i}] has no name")
        name = pkg["name"]
        version = pkg.get("version")
        where = f"{path}:packages[{i}]"
        if not isinstance(version, str):
            source = next((k for k in ("vcs", "directory", "archive") if k in pkg), "unknown source")
            graph.unknown(root.id, "unversioned-package", f"{where}: {name} from {source} has no version")
            continue
        hashes: list[Hash] = []
        download = None
        for art in [pkg.get("sdist"), pkg.get("archive"), *(pkg.get("wheels") or [])]:
            if isinstance(art, dict):
                hashes.extend(_hashes.make(alg, str(value))
                              for alg, value in (art.get("hashes") or {}).items())
                download = download or art.get("url")
        props = {}
        if isinstance(pkg.get("marker"), str):
            props["assay:marker"] = pkg["marker"]
        if isinstance(pkg.get("index"), str):
            props["assay:index"] = pkg["index"]
        comp = lockbase.package(graph, name, version, location=where, detail=f"{name} {version}",
                                hashes=_hashes.unique(hashes), properties=props, download=download)
        by_name.setdefault(canonical_name(name), []).append(comp)
        pending.append((comp, [d for d in pkg.get("dependencies") or [] if isinstance(d, dict)]))
    lockbase.edges(graph, root, pending, by_name)
    return graph
