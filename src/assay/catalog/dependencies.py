"""Requires-Dist → DEPENDS_ON edges, shared by the catalogers that know what is installed
(environments, pip reports).

Markers are evaluated against the *target* interpreter. Extras are followed from the
requesting side to a fixpoint: ``a`` requiring ``b[x]`` activates ``b``'s extra ``x``.

Extras a user asked for on pip's command line leave no record in an environment, but they do
leave a trace: every requirement the extra adds is installed. When that holds for an extra
nobody requested (each requirement it adds, with its marker true for the target, is installed
at a version its specifier accepts, and any extras it names are satisfied the same way), the
edges are drawn and marked ``inferred`` with the reason. An extra with a missing requirement
stays undrawn. ``pip install "httpx[http2]"`` gives ``httpx -> h2`` (inferred).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from assay.model import Component, Graph, RelType


@dataclass(slots=True)
class Dist:
    """A distribution known to be installed, before its edges are drawn."""

    component: Component
    requires: list[str] = field(default_factory=list)  # Requires-Dist strings
    provides_extra: set[str] = field(default_factory=set)  # canonical extra names
    has_metadata: bool = True


@lru_cache(maxsize=8192)
def parse_requirement(text: str) -> Requirement:
    """packaging's Requirement, parsed once per distinct string (raises InvalidRequirement)."""
    return Requirement(text)


@lru_cache(maxsize=8192)
def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


_LITERAL = re.compile(r"[\"']([^\"']*)[\"']")


class _Env:
    """Marker evaluation against one target environment.

    Each distinct marker is evaluated at most once per extra, and only for the extras it can
    enable: a marker true with ``extra == "x"`` but false without an extra must compare the
    extra with the literal ``"x"``, so only extras named by a literal in the marker are tried.
    """

    def __init__(self, markers: Mapping[str, str]) -> None:
        self.base = dict(markers)
        self.cache: dict[tuple[str, str], bool] = {}
        self.text: dict[int, str] = {}

    def _eval(self, marker: Marker, text: str, extra: str) -> bool:
        key = (text, extra)
        hit = self.cache.get(key)
        if hit is None:
            try:
                hit = bool(marker.evaluate({**self.base, "extra": extra}))
            except Exception:  # undefined marker variables in broken metadata
                hit = False
            self.cache[key] = hit
        return hit

    def split(self, reqs: list[Requirement], extras: set[str]) -> tuple[list[Requirement],
                                                                         dict[str, list[Requirement]]]:
        """(requirements that always apply, requirements each extra adds)."""
        base: list[Requirement] = []
        added: dict[str, list[Requirement]] = {}
        for req in reqs:
            marker = req.marker
            if marker is None:
                base.append(req)
                continue
            text = str(marker)
            if self._eval(marker, text, ""):
                base.append(req)
                continue
            if "extra" not in text:
                continue
            for lit in _LITERAL.findall(text):
                extra = canonicalize_name(lit)
                if extra in extras and self._eval(marker, text, extra):
                    bucket = added.setdefault(extra, [])
                    if not bucket or bucket[-1] is not req:
                        bucket.append(req)
        return base, added


def dependency_edges(graph: Graph, dists: dict[str, Dist], markers: Mapping[str, str],
                     requested_extras: Mapping[str, set[str]] | None = None, *,
                     infer_extras: bool = False) -> None:
    """Draw Requires-Dist edges of ``dists`` (keyed by canonical name) into ``graph``.

    ``requested_extras`` adds extras asked for from outside (pip's report records them), keyed
    by canonical name. ``infer_extras`` draws, as inferred, the extras whose requirements are
    all installed (see the module docstring).
    """
    env = _Env(markers)
    drawn: set[tuple[str, str]] = set()  # one edge per pair: the first reason to draw it wins
    base: dict[str, list[Requirement]] = {}
    added: dict[str, dict[str, list[Requirement]]] = {}
    for key, dist in dists.items():
        reqs = []
        for text in dist.requires:
            try:
                reqs.append(parse_requirement(text))
            except InvalidRequirement as exc:
                graph.unknown(dist.component.id, "invalid-requirement", f"{text!r}: {exc}")
        base[key], added[key] = env.split(reqs, dist.provides_extra)

    done: set[tuple[str, str]] = set()
    queue: deque[tuple[str, str, str]] = deque((key, "", "") for key in dists)
    for key, extras in (requested_extras or {}).items():
        if key in dists:
            queue.extend((key, canonicalize_name(e), "") for e in extras)

    def drain() -> None:
        while queue:
            key, extra, why = queue.popleft()
            if (key, extra) in done:
                continue
            done.add((key, extra))
            dist = dists[key]
            if extra and extra not in dist.provides_extra and dist.has_metadata:
                graph.unknown(dist.component.id, "unknown-extra",
                              f"{dist.component.name} has no extra {extra!r}")
                continue
            for req in (added[key].get(extra, ()) if extra else base[key]):
                _edge(graph, dists, dist, req, extra, why, drawn)
                for wanted in req.extras:
                    queue.append((canonicalize_name(req.name), canonicalize_name(wanted), why and
                                  f"{why}; {req.name}[{wanted}] is required by it"))

    drain()
    if not infer_extras:
        return
    checker = _ExtraCheck(dists, added)
    for key, dist in dists.items():
        for extra in sorted(added[key]):
            if (key, extra) in done or not checker.satisfied(key, extra):
                continue
            names = ", ".join(sorted({canonicalize_name(r.name) for r in added[key][extra]}))
            why = (f"extra {extra!r} of {dist.component.name} inferred: every requirement it adds "
                   f"({names}) is installed at an accepted version")
            queue.append((key, extra, why))
    drain()


def _edge(graph: Graph, dists: dict[str, Dist], dist: Dist, req: Requirement, extra: str, why: str,
          drawn: set[tuple[str, str]]) -> None:
    via = f"{dist.component.name}[{extra}]" if extra else dist.component.name
    target = dists.get(canonicalize_name(req.name))
    if target is None:
        if not why:  # an inferred extra never reports what it does not need
            graph.unknown(dist.component.id, "unsatisfied-requirement",
                          f"{req} (required by {via}) is not installed")
        return
    pair = (dist.component.id, target.component.id)
    if pair not in drawn:
        drawn.add(pair)
        props = {"requirement": str(req)}
        if extra:
            props["extra"] = extra
        if why:
            props["inferred"] = why
        graph.relate(*pair, RelType.DEPENDS_ON, **props)
    version = target.component.version
    if req.specifier and version:
        parsed = _version(version)
        if parsed is not None and not req.specifier.contains(parsed, prereleases=True):
            graph.unknown(dist.component.id, "version-conflict",
                          f"{via} requires {req}, but {target.component.name} {version} is installed")


class _ExtraCheck:
    """Whether every requirement an extra adds is installed at an accepted version."""

    def __init__(self, dists: dict[str, Dist], added: dict[str, dict[str, list[Requirement]]]) -> None:
        self.dists = dists
        self.added = added
        self.memo: dict[tuple[str, str], bool] = {}

    def satisfied(self, key: str, extra: str) -> bool:
        k = (key, extra)
        if k in self.memo:
            return self.memo[k]
        self.memo[k] = True  # a cycle of extras (pkg[all] -> pkg[a]) does not fail itself
        adds = self.added.get(key, {}).get(extra, [])
        ok = bool(adds) and all(self._requirement_met(r) for r in adds)
        self.memo[k] = ok
        return ok

    def _requirement_met(self, req: Requirement) -> bool:
        name = canonicalize_name(req.name)
        target = self.dists.get(name)
        if target is None:
            return False
        if req.specifier:
            version = _version(target.component.version or "")
            if version is None or not req.specifier.contains(version, prereleases=True):
                return False
        return all(self.satisfied(name, canonicalize_name(e)) for e in req.extras)


def hang_from_root(graph: Graph, root_id: str, dists: dict[str, Dist]) -> None:
    """The root depends on what was asked for (REQUESTED) and on what nothing else requires, so
    every distribution is reachable from the root."""
    required = {r.target for r in graph.relationships if r.type == RelType.DEPENDS_ON}
    for dist in dists.values():
        if dist.component.prop("assay:requested") == "true" or dist.component.id not in required:
            graph.relate(root_id, dist.component.id, RelType.DEPENDS_ON)


__all__ = ["Dist", "dependency_edges", "hang_from_root", "parse_requirement"]
