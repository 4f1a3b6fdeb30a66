"""What the lock-file and requirements catalogers share: the root, a pinned package, TOML
reading through the target's resolver, and edges from ``dependencies`` lists.

Markers are kept as a property (``assay:marker``), not evaluated: a lock file describes every
environment it may be installed in. A requirement that does not pin one version is never
guessed: it becomes an Unknown with the reason.
"""

from __future__ import annotations

from typing import Any

from assay.catalog.base import Target
from assay.errors import InputError
from assay.identity.metadata import package_component
from assay.identity.purl import canonical_name
from assay.model import Component, Evidence, Graph, Hash, Kind, RelType, make_id

FOUND_BY = "lockfile"


def root(graph: Graph, target: Target, kind: str) -> Component:
    path = target.path
    assert path is not None
    comp = Component(
        id=make_id(Kind.APPLICATION, path.name, None, str(path.resolve())),
        kind=Kind.APPLICATION, name=path.name, version=None,
        description=f"{kind} {path}",
        evidence=(Evidence(kind, str(path), "", "presence"),),
        found_by=FOUND_BY,
    )
    graph.add(comp)
    graph.root = comp.id
    graph.metadata["target"] = str(path)
    graph.metadata["target_kind"] = kind
    return comp


def package(graph: Graph, name: str, version: str, *, location: str, detail: str,
            hashes: tuple[Hash, ...] = (), properties: dict[str, str] | None = None,
            download: str | None = None) -> Component:
    comp = package_component(name, version, found_by=FOUND_BY, hashes=hashes, download_location=download,
                             evidence=(Evidence("lockfile", location, detail, "version"),),
                             properties=tuple((properties or {}).items()))
    return graph.add(comp)


def read_toml(target: Target) -> dict[str, Any]:
    import tomllib

    path = target.path
    try:
        with open(path, "rb") as fh:  # type: ignore[arg-type]
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: unreadable ({exc.strerror})") from None


def edges(graph: Graph, root_comp: Component, pending: list[tuple[Component, list[dict[str, Any]]]],
          by_name: dict[str, list[Component]]) -> None:
    """Edges from ``dependencies`` lists; packages nothing depends on hang from the root."""
    targets: set[str] = set()
    for comp, deps in pending:
        for dep in deps:
            name = dep.get("name")
            if not isinstance(name, str):
                continue
            candidates = by_name.get(canonical_name(name), [])
            if isinstance(dep.get("version"), str):
                candidates = [c for c in candidates if c.version == dep["version"]] or candidates
            for target in candidates[:1]:
                props = {"marker": dep["marker"]} if isinstance(dep.get("marker"), str) else {}
                graph.relate(comp.id, target.id, RelType.DEPENDS_ON, **props)
                targets.add(target.id)
    for comp, _ in pending:
        if comp.id not in targets and comp.id != root_comp.id:
            graph.relate(root_comp.id, comp.id, RelType.DEPENDS_ON)


__all__ = ["FOUND_BY", "edges", "package", "read_toml", "root"]
