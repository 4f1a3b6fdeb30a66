"""Pipfile.lock → Graph: ``default`` and ``develop`` entries pinned with ``==``."""

from __future__ import annotations

from assay.catalog import lockbase
from assay.catalog.base import EXACT_NAME, Cataloger, Catalogue, Options, Target
from assay.errors import InputError
from assay.identity import hashes as _hashes
from assay.model import Graph, RelType


class PipfileLockCataloger(Cataloger):
    name = "Pipfile.lock"
    description = "a Pipfile.lock"

    def recognise(self, target: Target) -> int:
        return EXACT_NAME if target.is_file and target.name == "pipfile.lock" else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return Catalogue(catalog_pipfile_lock(target), self.name)


CATALOGERS = (PipfileLockCataloger(),)


def catalog_pipfile_lock(target: Target) -> Graph:
    path = target.path
    data = target.json()
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a Pipfile.lock (the JSON is not an object)")
    graph = Graph()
    root = lockbase.root(graph, target, "Pipfile.lock")
    for section in ("default", "develop"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise InputError(f"{path}: {section} is not an object")
        for name, info in entries.items():
            where = f"{path}:{section}.{name}"
            version = info.get("version") if isinstance(info, dict) else None
            if not isinstance(version, str) or not version.startswith("=="):
                graph.unknown(root.id, "unpinned-requirement", f"{where}: {version or 'no version'}")
                continue
            hashes = tuple(h for t in info.get("hashes") or [] if isinstance(t, str)
                           and (h := _hashes.parse_prefixed(t)))
            comp = lockbase.package(graph, name, version[2:], location=where, detail=f"{name}{version}",
                                    hashes=hashes, properties={"assay:group": section})
            graph.relate(root.id, comp.id, RelType.DEPENDS_ON)
    return graph
