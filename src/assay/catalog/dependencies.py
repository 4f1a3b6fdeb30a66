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

Parsing follows packaging's grammar and gives its answers (:mod:`assay.identity.pep508`), done
only as far as an answer needs it: a requirement's marker is parsed first (each distinct marker
text once per run: ``extra == "test"`` recurs in hundreds of distributions), and the requirement
itself only when its marker makes it count. A requirement of an extra is parsed when that extra
is requested or being inferred, and the inference of an extra stops at its first requirement
that is not installed.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from assay.identity.pep508 import InvalidRequirement, Marker, Requirement, marker, requirement
from assay.identity.purl import canonical_name
from assay.model import Component, Graph, RelType


@dataclass(slots=True)
class Dist:
    """A distribution known to be installed, before its edges are drawn."""

    component: Component
    requires: list[str] = field(default_factory=list)  # Requires-Dist strings
    provides_extra: set[str] = field(default_factory=set)  # canonical extra names
    has_metadata: bool = True


parse_requirement = requirement  # once per distinct string (raises InvalidRequirement)
canonical = lru_cache(maxsize=16384)(canonical_name)


@lru_cache(maxsize=8192)
def _version(text: str) -> Any:
    """packaging's Version of ``text`` or None (packaging.version is light: imported on use)."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return None


class _Req:
    """A Requires-Dist string whose marker is known and whose requirement is parsed on demand.

    Without a URL (no ``@``), PEP 508 has no ``;`` before the marker, so the text splits there:
    the requirement part and the marker part are parsed apart, and the Requirement built from
    them equals packaging's ``Requirement(text)`` (the tests check this on real metadata).
    Anything else is parsed whole.
    """

    __slots__ = ("_left", "_req", "marker", "marker_text", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._req: Requirement | None = None
        left, sep, right = text.partition(";")
        if "@" in text or not sep or not left.strip() or not right.strip():
            self._req = parse_requirement(text)  # may raise InvalidRequirement
            self._left = ""
            self.marker = self._req.marker
        else:
            self._left = left
            self.marker = marker(right.strip())  # may raise InvalidMarker, an InvalidRequirement
            self.marker_text = str(self.marker)
            return
        self.marker_text = str(self.marker) if self.marker is not None else ""

    def get(self) -> Requirement:
        """The requirement (raises InvalidRequirement)."""
        if self._req is None:
            self._req = parse_requirement(self._left).with_marker(self.marker)
        return self._req


_LITERAL = re.compile(r"[\"']([^\"']*)[\"']")
# packaging's own normal form of the most common marker: a single extra (names normalised)
_ONE_EXTRA = re.compile(r'extra == "([a-z0-9-]+)"')
# a PEP 508 requirement starts with the project name (what packaging reads as .name)
_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


class _Env:
    """Marker evaluation against one target environment.

    Each distinct marker is evaluated at most once per extra, and only for the extras it can
    enable: a marker true with ``extra == "x"`` but false without an extra must compare the
    extra with the literal ``"x"``, so only extras named by a literal in the marker are tried.
    """

    def __init__(self, markers: Mapping[str, str]) -> None:
        self.base = dict(markers)
        full = self.base.get("python_full_version", "")
        if full.endswith("+"):  # as packaging repairs an untagged build's version
            self.base["python_full_version"] = full + "local"
        self.cache: dict[tuple[str, str], bool] = {}
        self.literals: dict[str, list[str]] = {}

    def _eval(self, marker: Marker, text: str, extra: str) -> bool:
        key = (text, extra)
        hit = self.cache.get(key)
        if hit is None and (one := _ONE_EXTRA.fullmatch(text)) is not None:
            # `extra == "x"` in packaging's normal form is true exactly when x is the extra
            hit = self.cache[key] = one.group(1) == extra
        if hit is None:
            try:
                hit = bool(marker.evaluate({**self.base, "extra": extra}))
            except Exception:  # undefined marker variables in broken metadata
                hit = False
            self.cache[key] = hit
        return hit

    def split(self, reqs: list[_Req], extras: set[str]) -> tuple[list[_Req], dict[str, list[_Req]]]:
        """(requirements that always apply, requirements each extra adds)."""
        base: list[_Req] = []
        added: dict[str, list[_Req]] = {}
        for req in reqs:
            marker, text = req.marker, req.marker_text
            if marker is None:
                base.append(req)
                continue
            if self._eval(marker, text, ""):
                base.append(req)
                continue
            if "extra" not in text:
                continue
            names = self.literals.get(text)
            if names is None:
                names = self.literals[text] = [canonical(lit) for lit in _LITERAL.findall(text)]
            for extra in names:
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
    base: dict[str, list[_Req]] = {}
    added: dict[str, dict[str, list[_Req]]] = {}
    reported: set[str] = set()

    def parsed(dist: Dist, reqs: list[_Req]) -> Iterator[Requirement]:
        for r in reqs:
            try:
                yield r.get()
            except InvalidRequirement as exc:
                if r.text not in reported:
                    reported.add(r.text)
                    graph.unknown(dist.component.id, "invalid-requirement", f"{r.text!r}: {exc}")

    for key, dist in dists.items():
        reqs = []
        for text in dist.requires:
            try:
                reqs.append(_Req(text))
            except InvalidRequirement as exc:
                graph.unknown(dist.component.id, "invalid-requirement", f"{text!r}: {exc}")
        base[key], added[key] = env.split(reqs, dist.provides_extra)

    done: set[tuple[str, str]] = set()
    queue: deque[tuple[str, str, str]] = deque((key, "", "") for key in dists)
    for key, extras in (requested_extras or {}).items():
        if key in dists:
            queue.extend((key, canonical(e), "") for e in extras)

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
            for req in parsed(dist, added[key].get(extra, []) if extra else base[key]):
                _edge(graph, dists, dist, req, extra, why, drawn)
                for wanted in req.extras:
                    queue.append((canonical(req.name), canonical(wanted), why and
                                  f"{why}; {req.name}[{wanted}] is required by it"))

    drain()
    if not infer_extras:
        return
    checker = _ExtraCheck(dists, added)
    for key, dist in dists.items():
        for extra in sorted(added[key]):
            if (key, extra) in done or not checker.satisfied(key, extra):
                continue
            names = ", ".join(sorted({canonical(r.get().name) for r in added[key][extra]}))
            why = (f"extra {extra!r} of {dist.component.name} inferred: every requirement it adds "
                   f"({names}) is installed at an accepted version")
            queue.append((key, extra, why))
    drain()


def _edge(graph: Graph, dists: dict[str, Dist], dist: Dist, req: Requirement, extra: str, why: str,
          drawn: set[tuple[str, str]]) -> None:
    via = f"{dist.component.name}[{extra}]" if extra else dist.component.name
    target = dists.get(canonical(req.name))
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

    def __init__(self, dists: dict[str, Dist], added: dict[str, dict[str, list[_Req]]]) -> None:
        self.dists = dists
        self.added = added
        self.memo: dict[tuple[str, str], bool] = {}

    def satisfied(self, key: str, extra: str) -> bool:
        k = (key, extra)
        if k in self.memo:
            return self.memo[k]
        self.memo[k] = True  # a cycle of extras (pkg[all] -> pkg[a]) does not fail itself
        adds = self.added.get(key, {}).get(extra, [])
        ok = bool(adds) and all(self._requirement_met(r) for r in adds)  # stops at the first miss
        self.memo[k] = ok
        return ok

    def _requirement_met(self, lazy: _Req) -> bool:
        # the project a requirement names is the name it starts with: when that is not installed
        # the requirement is unmet, without parsing the rest
        lead = _NAME.match(lazy._left or lazy.text)
        if lead is not None and canonical(lead.group(1)) not in self.dists:
            return False
        try:
            req = lazy.get()
        except InvalidRequirement:
            return False
        name = canonical(req.name)
        target = self.dists.get(name)
        if target is None:
            return False
        if req.specifier:
            version = _version(target.component.version or "")
            if version is None or not req.specifier.contains(version, prereleases=True):
                return False
        return all(self.satisfied(name, canonical(e)) for e in req.extras)


def hang_from_root(graph: Graph, root_id: str, dists: dict[str, Dist]) -> None:
    """The root depends on what was asked for (REQUESTED) and on what nothing else requires, so
    every distribution is reachable from the root."""
    required = {r.target for r in graph.relationships if r.type == RelType.DEPENDS_ON}
    for dist in dists.values():
        if dist.component.prop("assay:requested") == "true" or dist.component.id not in required:
            graph.relate(root_id, dist.component.id, RelType.DEPENDS_ON)


__all__ = ["Dist", "dependency_edges", "hang_from_root", "parse_requirement"]
