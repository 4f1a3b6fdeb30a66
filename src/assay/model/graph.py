"""The inventory graph: a root, components, typed relationships and unknowns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from assay.model.component import Component, Kind

_PACKAGES = frozenset({Kind.PYTHON_PACKAGE, Kind.VENDORED_PACKAGE})


def _place(comp: Component, parent: Component | None, root: str, above: str) -> str:
    """One step of Graph.placements: ``comp`` within ``parent``, whose own place is ``above``."""
    if comp.id == root:
        return ""
    if parent is None or (parent.id == root and parent.kind not in _PACKAGES):
        site = comp.prop("assay:site-packages")
        base = comp.prop("assay:base_prefix") if comp.kind is Kind.INTERPRETER else None
        return f"installed in {site}" if site else f"the environment's interpreter, in {base}" if base else ""
    label = f"{parent.name} {parent.version or ''}".strip()
    if parent.kind is Kind.INTERPRETER:  # the interpreter names the place well enough
        return f"ensurepip wheel of {label}" if comp.found_by == "bundled.wheel" else f"inside {label}"
    else:
        here = f"inside {label} ({'vendored' if comp.kind is Kind.VENDORED_PACKAGE else 'bundled'})"
    return f"{here}, {above}" if above else here


# a root of these kinds is itself something found (a wheel's distribution, an interpreter)
_FOUND_ROOTS = frozenset({Kind.PYTHON_PACKAGE, Kind.INTERPRETER, Kind.NATIVE_LIBRARY,
                          Kind.JAVASCRIPT_LIBRARY, Kind.VENDORED_PACKAGE})


class RelType(StrEnum):
    DEPENDS_ON = "depends_on"  # source needs target at run time (Requires-Dist)
    OPTIONAL_DEPENDS_ON = "optional_depends_on"  # through an extra that was not requested
    CONTAINS = "contains"  # target is physically inside source (bundled lib, vendored project)
    DESCRIBES = "describes"  # the document describes source (root)
    DYNAMIC_LINK = "dynamic_link"  # source's binary links target (DT_NEEDED, imports)


@dataclass(frozen=True, slots=True)
class Relationship:
    """An edge: ``source`` relates to ``target`` as ``type`` says (both component ids)."""

    source: str  # component id
    target: str  # component id
    type: RelType = RelType.DEPENDS_ON
    # the requirement as written, the extra that activated it, the marker, ...
    properties: tuple[tuple[str, str], ...] = ()

    def prop(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.properties:
            if key == name:
                return value
        return default


@dataclass(frozen=True, slots=True)
class Unknown:
    """Something the scan could not settle, kept with its reason.

    ``subject`` is a component id when the unknown belongs to one (e.g. a
    requirement of that component nothing satisfies), else a path.
    """

    subject: str
    reason: str  # short machine word: "unsatisfied-requirement", "unreadable-metadata", ...
    detail: str = ""


@dataclass(slots=True)
class Graph:
    """An inventory. Components are keyed by id; adding the same id twice merges evidence.

    ``root`` is the id of the component the inventory describes (an environment,
    a wheel, a lock file, ...). ``metadata`` carries facts about the scan itself
    (target, tool, interpreter) as sorted pairs when serialised.
    """

    root: str = ""
    components: dict[str, Component] = field(default_factory=dict)
    relationships: list[Relationship] = field(default_factory=list)
    unknowns: list[Unknown] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    # membership indexes, rebuilt whenever the lists were changed directly
    _rel_index: set[Relationship] = field(default_factory=set, repr=False, compare=False)
    _unknown_index: set[Unknown] = field(default_factory=set, repr=False, compare=False)

    # -- building -------------------------------------------------------
    def add(self, component: Component) -> Component:
        """Add a component; if its id is present, keep the first and merge evidence."""
        existing = self.components.get(component.id)
        if existing is None:
            self.components[component.id] = component
            return component
        merged_evidence = existing.evidence + tuple(
            e for e in component.evidence if e not in existing.evidence
        )
        merged = replace(existing, evidence=merged_evidence)
        self.components[component.id] = merged
        return merged

    def relate(self, source: str, target: str, type: RelType = RelType.DEPENDS_ON,
               **properties: str) -> None:
        self.add_relationship(Relationship(source, target, RelType(type),
                                           tuple(sorted(properties.items()))))

    def add_relationship(self, rel: Relationship) -> None:
        """Append ``rel`` unless an equal one is there (constant time)."""
        if len(self._rel_index) != len(self.relationships):
            self._rel_index = set(self.relationships)
        if rel not in self._rel_index:
            self.relationships.append(rel)
            self._rel_index.add(rel)

    def unknown(self, subject: str, reason: str, detail: str = "") -> None:
        self.add_unknown(Unknown(subject, reason, detail))

    def add_unknown(self, u: Unknown) -> None:
        if len(self._unknown_index) != len(self.unknowns):
            self._unknown_index = set(self.unknowns)
        if u not in self._unknown_index:
            self.unknowns.append(u)
            self._unknown_index.add(u)

    def merge(self, other: Graph, *, attach_to: str | None = None) -> None:
        """Add everything from ``other``; its root is related to ``attach_to`` by CONTAINS."""
        for comp in other.components.values():
            self.add(comp)
        for rel in other.relationships:
            self.add_relationship(rel)
        for u in other.unknowns:
            self.add_unknown(u)
        if attach_to and other.root and other.root != attach_to:
            self.relate(attach_to, other.root, RelType.CONTAINS)

    def redirect(self, mapping: dict[str, str]) -> None:
        """Fold components into others (``old id -> new id``): relationships and unknowns that
        named an old id name the new one (an edge from a component to itself is dropped), and the
        old components are removed. Merging their evidence is the caller's business."""
        if not mapping:
            return
        rels: list[Relationship] = []
        seen: set[Relationship] = set()
        for rel in self.relationships:
            src, dst = mapping.get(rel.source, rel.source), mapping.get(rel.target, rel.target)
            moved = rel if (src, dst) == (rel.source, rel.target) else replace(rel, source=src, target=dst)
            if src != dst and moved not in seen:
                seen.add(moved)
                rels.append(moved)
        self.relationships, self._rel_index = rels, seen
        self.unknowns = [replace(u, subject=mapping.get(u.subject, u.subject)) for u in self.unknowns]
        self._unknown_index = set(self.unknowns)
        if self.root in mapping:
            self.root = mapping[self.root]
        for old in mapping:
            self.components.pop(old, None)

    # -- reading --------------------------------------------------------
    @property
    def root_component(self) -> Component | None:
        return self.components.get(self.root)

    def __iter__(self) -> Iterator[Component]:
        return iter(self.components.values())

    def __len__(self) -> int:
        return len(self.components)

    def outgoing(self, source: str, *types: RelType) -> Iterator[Relationship]:
        for rel in self.relationships:
            if rel.source == source and (not types or rel.type in types):
                yield rel

    def incoming(self, target: str, *types: RelType) -> Iterator[Relationship]:
        for rel in self.relationships:
            if rel.target == target and (not types or rel.type in types):
                yield rel

    def placements(self) -> dict[str, str]:
        """Where each component sits, in words a person reads in a finding (the root: "").

        "installed in /venv/lib/python3.11/site-packages"; "inside pip 23.2.1 (vendored),
        installed in …"; "ensurepip wheel of cpython 3.11.7"; "inside idna … (vendored), inside
        pip 23.2.1 (vendored), ensurepip wheel of cpython 3.11.7"; "inside Pillow 10.0.0
        (bundled)". Two copies of one project in one inventory are told apart by this."""
        parents: dict[str, str] = {}
        for rel in self.relationships:
            if rel.type is RelType.CONTAINS and rel.target not in parents and rel.source in self.components:
                parents[rel.target] = rel.source
        out: dict[str, str] = {self.root: ""} if self.root else {}
        for start in self.components:
            chain: list[str] = []
            cid = start
            while cid not in out and cid not in chain and len(chain) < 64:
                chain.append(cid)
                cid = parents.get(cid, "")
                if not cid:
                    break
            above = out.get(cid, "") if cid else ""
            for node in reversed(chain):
                above = out[node] = _place(self.components[node], self.components.get(parents.get(node, "")),
                                           self.root, above)
        return out

    def by_name(self, name: str) -> list[Component]:
        """Components with that name (Python names compared canonicalised)."""
        from packaging.utils import canonicalize_name

        want = canonicalize_name(name)
        return [c for c in self.components.values() if canonicalize_name(c.name) == want]

    def sorted_components(self) -> list[Component]:
        """Deterministic order for writers: by kind, name, version, id."""
        return sorted(
            self.components.values(),
            key=lambda c: (c.kind.value, c.name.lower(), c.version or "", c.id),
        )

    def sorted_relationships(self) -> list[Relationship]:
        return sorted(self.relationships, key=lambda r: (r.source, r.type.value, r.target, r.properties))

    def nothing_found(self) -> bool:
        """True when the inventory found nothing: no component besides the root, and the root is
        not itself a package (a pure-Python wheel's or sdist's root is the distribution: found)."""
        if any(cid != self.root for cid in self.components):
            return False
        root = self.root_component
        return root is None or root.kind not in _FOUND_ROOTS

    def packages(self, kinds: Iterable[str] | None = None) -> list[Component]:
        """Components other than the root, optionally restricted to some kinds."""
        wanted = set(kinds) if kinds else None
        return [
            c for c in self.sorted_components()
            if c.id != self.root and (wanted is None or c.kind.value in wanted)
        ]
