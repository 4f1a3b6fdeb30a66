"""Matching components against the store, exactly.

* Python packages (``python-package``, ``vendored-package``): PyPI canonical name,
  PEP 440 version, OSV ECOSYSTEM ranges and explicit ``versions``.
* Native libraries and other non-Python components with CPEs: the component's own
  ``vendor:product`` and version against NVD / CVE 5 vulnerable CPE matches.
* The interpreter (``interpreter`` / ``cpython``): PSF advisories, GIT ranges
  resolved to released versions through a commit table or a git clone.

Each match is a :class:`Hit` (one advisory, one component); the audit merges
aliases into findings. Components that cannot be checked are returned as
:class:`Skip` values with their reason; advisories that cannot be decided for a
component (a fix commit nobody can place) as :class:`Unresolved`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import Version

from assay.model import Component, Kind
from assay.vulndb.cpython import CommitResolver, git_range_affected
from assay.vulndb.ranges import CpeRange, Event, ParsedEvents, osv_affected_parsed, parse_events, split_cpe
from assay.vulndb.store import Store
from assay.vulndb.versions import pep440

PYTHON_KINDS = (Kind.PYTHON_PACKAGE, Kind.VENDORED_PACKAGE)
NOT_AUDITED = (Kind.APPLICATION, Kind.ENVIRONMENT, Kind.FILE)
CPYTHON_NAMES = ("cpython", "python")


def is_cpython(comp: Component) -> bool:
    """CPython, however a document names it: the interpreter kind, a CPE ``python:python``, or a
    component ``python``/``cpython`` with a ``pkg:generic`` purl (or none) and no other CPE."""
    if comp.kind == Kind.INTERPRETER:
        return True
    if comp.kind in (*PYTHON_KINDS, Kind.ENVIRONMENT, Kind.FILE):
        return False  # a distribution, a folder that happens to be called "python", an archive
    if _python_cpe(comp):
        return True
    purl = (comp.purl or "").lower()
    generic = not purl or purl.startswith(("pkg:generic/python@", "pkg:generic/cpython@")) \
        or purl in ("pkg:generic/python", "pkg:generic/cpython")
    return comp.name.lower() in CPYTHON_NAMES and generic and not comp.cpes


def _python_cpe(comp: Component) -> bool:
    return any((vp := split_cpe(c)) is not None and (vp[1], vp[2]) == ("python", "python") for c in comp.cpes)


@dataclass(frozen=True, slots=True)
class Hit:
    component: Component
    source: str
    advisory: str
    evidence: str
    fixed_versions: tuple[str, ...] = ()
    # how to re-test a candidate fix version (for fix advice): OSV ranges/versions
    ranges: tuple[ParsedEvents, ...] = ()
    versions: frozenset[str] = frozenset()
    # every version from the component's up to (not including) this one is still affected:
    # the first event after the component's version in its range is "fixed <floor>"
    floor: str | None = None


@dataclass(frozen=True, slots=True)
class Skip:
    component: Component
    reason: str


@dataclass(frozen=True, slots=True)
class Unresolved:
    component: Component
    source: str
    advisory: str
    reason: str
    kind: str = ""  # "no-resolver", "unknown-commit", "beyond-table": for grouping messages


@lru_cache(maxsize=32768)
def _parsed_ranges(ranges_json: str) -> tuple[tuple[str, tuple[Event, ...], tuple[str, ...]], ...]:
    """(type, sorted events, versions PEP 440 cannot read) per range."""
    return tuple((r["type"], tuple((k, v) for k, v in r["events"]), tuple(r.get("invalid", ())))
                 for r in json.loads(ranges_json))


@lru_cache(maxsize=32768)
def _parsed_versions(versions_json: str) -> frozenset[str]:
    return frozenset(json.loads(versions_json))


@lru_cache(maxsize=32768)
def _describe(events: tuple[Event, ...]) -> str:
    return ", ".join(f"{k} {v}" for k, v in events)


@lru_cache(maxsize=32768)
def _fixed_of(events: tuple[Event, ...]) -> tuple[str, ...]:
    return tuple(val for kind, val in events if kind == "fixed")


class AdvisoryMatcher:
    def __init__(self, store: Store, resolver: CommitResolver | None = None) -> None:
        self.store = store
        self.resolver = resolver if resolver is not None else CommitResolver()

    def match(self, components: Iterable[Component]) -> tuple[list[Hit], list[Skip], list[Unresolved]]:
        hits: list[Hit] = []
        skips: list[Skip] = []
        unresolved: list[Unresolved] = []
        python: list[tuple[Component, str, Version]] = []
        native: list[tuple[Component, str, str, str]] = []
        interpreters: list[tuple[Component, Version]] = []
        for comp in components:
            cpython = is_cpython(comp)
            if comp.kind in NOT_AUDITED and not cpython:
                continue
            if comp.kind == Kind.INTERPRETER or cpython:
                if comp.name.lower() not in CPYTHON_NAMES and not _python_cpe(comp):
                    skips.append(Skip(comp, f"interpreter {comp.name} has no advisory source"))
                elif comp.version is None:
                    skips.append(Skip(comp, "interpreter version unknown"))
                elif (v := pep440(comp.version)) is None:
                    skips.append(Skip(comp, f"interpreter version {comp.version!r} is not a release version"))
                else:
                    interpreters.append((comp, v))
                continue
            if comp.kind in PYTHON_KINDS:
                if comp.version is None:
                    skips.append(Skip(comp, "version unknown"))
                    continue
                v = pep440(comp.version)
                if v is None:
                    skips.append(Skip(comp, f"version {comp.version!r} is not PEP 440"))
                    continue
                python.append((comp, canonicalize_name(comp.name), v))
                continue
            if not comp.cpes:
                purl = comp.purl or ""
                purl_type = purl[4:].split("/", 1)[0] if purl.startswith("pkg:") else ""
                if purl_type and purl_type not in ("generic", "pypi"):
                    skips.append(Skip(comp, f"no advisory source for pkg:{purl_type} components"))
                else:
                    skips.append(Skip(comp, "no CPE to match advisories by"))
                continue
            usable = False
            for cpe in comp.cpes:
                parts = split_cpe(cpe)
                if parts is None:
                    continue
                _, vendor, product, cpe_version = parts
                version = cpe_version if cpe_version not in ("*", "-", "") else comp.version
                if not version:
                    continue
                usable = True
                native.append((comp, vendor, product, version))
            if not usable:
                skips.append(Skip(comp, "version unknown (neither the CPE nor the component has one)"))
        hits.extend(self._match_python(python))
        unresolved.extend(self._python_unresolved)
        hits.extend(self._match_cpes(native))
        found, unres = self._match_cpython(interpreters)
        hits.extend(found)
        unresolved.extend(unres)
        return hits, skips, unresolved

    # -- PyPI -----------------------------------------------------------------
    def _match_python(self, items: list[tuple[Component, str, Version]]) -> list[Hit]:
        self._python_unresolved: list[Unresolved] = []
        if not items:
            return []
        by_name: dict[str, list[tuple[Component, Version, str]]] = defaultdict(list)
        for comp, name, v in items:
            by_name[name].append((comp, v, str(v)))
        hits = []
        for source, advisory, name, ranges, versions in self._pypi_rows(list(by_name)):
            for comp, v, v_text in by_name[name]:
                hit = _python_hit(comp, v, v_text, source, advisory, ranges, versions)
                if isinstance(hit, str):
                    self._python_unresolved.append(Unresolved(comp, source, advisory, hit, "invalid-range"))
                elif hit is not None:
                    hits.append(hit)
        return hits

    def _pypi_rows(self, names: list[str]) -> list[tuple[str, str, str, Any, frozenset[str]]]:
        """Decoded package rows for those names, kept in the store's per-generation cache."""
        cache: dict[str, list[tuple[str, str, str, Any, frozenset[str]]]] = \
            self.store.cache.setdefault("pypi_rows", {})
        missing = [n for n in names if n not in cache]
        if missing:
            for n in missing:
                cache[n] = []
            rows = self.store.packages_for("PyPI", missing)
            for source, advisory, name, ranges_json, versions_json in rows:
                eco = [(events, bad) for rtype, events, bad in _parsed_ranges(ranges_json)
                       if rtype == "ECOSYSTEM"]
                events_only = tuple(e for e, _ in eco)
                cache[name].append((source, advisory, name,
                                    (events_only, tuple(parse_events(e) for e in events_only),
                                     tuple(bad for _, bad in eco)),
                                    _parsed_versions(versions_json)))
        return [row for n in names for row in cache[n]]

    # -- CPE ------------------------------------------------------------------
    def _match_cpes(self, items: list[tuple[Component, str, str, str]]) -> list[Hit]:
        if not items:
            return []
        rows = self.store.cpes_for([(vendor, product) for _, vendor, product, _ in items])
        by_product: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
        for row in rows:
            by_product[(row[2], row[3])].append(row)
        hits = []
        seen: set[tuple[str, str, str]] = set()
        for comp, vendor, product, version in items:
            for row in by_product.get((vendor, product), ()):
                rng = CpeRange(*row[2:])
                if not rng.contains(version):
                    continue
                key = (comp.id, row[0], row[1])
                if key in seen:
                    continue
                seen.add(key)
                where = _version_evidence(comp)
                evidence = (f"version {version} in range {rng.describe()} of cpe:2.3:a:{vendor}:{product}"
                            + (f"; version from {where}" if where else ""))
                fixed = tuple(v for v in (rng.end_excl,) if v)
                hits.append(Hit(comp, row[0], row[1], evidence, fixed))
        return hits

    # -- CPython ----------------------------------------------------------------
    def _match_cpython(self, items: list[tuple[Component, Version]]) -> tuple[list[Hit], list[Unresolved]]:
        if not items:
            return [], []
        hits: list[Hit] = []
        unresolved: list[Unresolved] = []
        rows = self.store.packages_for("CPython", ["cpython"])
        for source, advisory, _name, ranges_json, _versions in rows:
            ranges = _parsed_ranges(ranges_json)
            for comp, v in items:
                decided: list[bool | None] = []
                unknown: list[str] = []
                fixes: list[str] = []
                for rtype, events, _bad in ranges:
                    if rtype != "GIT":
                        continue
                    affected, unk, fix_versions = git_range_affected(list(events), v, self.resolver)
                    decided.append(affected)
                    unknown.extend(unk)
                    fixes.extend(fix_versions)
                if True in decided:
                    on_branch = [f for f in fixes if Version(f).release[:2] == v.release[:2]]
                    evidence = (f"CPython {comp.version} does not contain any fix commit of {advisory}"
                                + (f" (fixed on this branch in {', '.join(on_branch)})" if on_branch
                                   else " (no fix released on this branch)"))
                    hits.append(Hit(comp, source, advisory, evidence, tuple(dict.fromkeys(fixes))))
                elif None in decided:
                    reason, kind = _unresolved_reason(comp, unknown, self.resolver)
                    unresolved.append(Unresolved(comp, source, advisory, reason, kind))
        return hits, unresolved


def _unresolved_reason(comp: Component, unknown: list[str], resolver: CommitResolver) -> tuple[str, str]:
    if not resolver:
        return (f"cannot decide for CPython {comp.version}: no commit table or CPython clone to place "
                "the fix commits", "no-resolver")
    missing = [c[:12] for c in dict.fromkeys(unknown) if "@" not in c]
    if missing:
        return (f"cannot decide for CPython {comp.version}: fix commit(s) {', '.join(missing)} "
                "not in the commit table", "unknown-commit")
    marks = [c for c in unknown if "@" in c]
    kind, _, where = (marks[-1] if marks else "newer-line@?").partition("@")
    if kind == "unreleased":
        return (f"cannot decide for CPython {comp.version}: a fix commit was in no release when the "
                f"commit table was made (it knows releases up to {where})", kind)
    if kind == "beyond-table":
        return (f"cannot decide for CPython {comp.version}: the commit table only covers releases "
                f"up to {where}", kind)
    return (f"cannot decide for CPython {comp.version}: the advisory names fix commits only for "
            f"release lines up to {where}, none on the main line", kind)


# per advisory row: sorted events per range, the same parsed, unreadable versions per range
_PyRanges = tuple[tuple[tuple[Event, ...], ...], tuple[ParsedEvents, ...], tuple[tuple[str, ...], ...]]


def _python_hit(comp: Component, v: Version, v_text: str, source: str, advisory: str,
                ranges: _PyRanges, versions: frozenset[str]) -> Hit | str | None:
    """A Hit, None when not affected, or the reason (str) when it cannot be decided."""
    eco_ranges, parsed, invalid = ranges
    evidence = ""
    fixed: tuple[str, ...] = ()
    floor = None
    undecided = ""
    for events, fast, bad in zip(eco_ranges, parsed, invalid, strict=True):
        if bad:
            if osv_affected_parsed(v, fast) and not undecided:
                undecided = (f"{comp.name} {comp.version}: the advisory's range has versions PEP 440 "
                             f"cannot read ({', '.join(bad)}), so it cannot be walked")
            continue
        if osv_affected_parsed(v, fast):
            evidence = f"{comp.name} {comp.version} in OSV range [{_describe(events)}]"
            fixed = _fixed_of(events)
            floor = _next_fix(v, events)
            break
    if not evidence and (comp.version in versions or v_text in versions):
        evidence = f"{comp.name} {comp.version} listed among the advisory's affected versions"
        fixed = tuple(val for events in eco_ranges for kind, val in events if kind == "fixed")
    if not evidence:
        return undecided or None
    return Hit(comp, source, advisory, evidence, fixed,
               tuple(p for p, bad in zip(parsed, invalid, strict=True) if not bad), versions, floor)


def _next_fix(v: Version, events: tuple[Event, ...]) -> str | None:
    for kind, text in events:
        if kind == "introduced":
            continue
        bound = pep440(text)
        if bound is not None and bound > v:
            return text if kind == "fixed" else None
    return None


def affected_by(v: Version, hit: Hit) -> bool:
    """Whether version ``v`` of the hit's package is still affected by the hit's advisory."""
    if any(osv_affected_parsed(v, events) for events in hit.ranges):
        return True
    return str(v) in hit.versions


def _version_evidence(comp: Component) -> str:
    for ev in comp.evidence:
        if ev.proves == "version":
            return " ".join(x for x in (ev.kind, ev.location, f"({ev.detail})" if ev.detail else "") if x)
    return ""
