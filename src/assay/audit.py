"""Audit: match every component of a Graph against the local advisory store.

Library entry point (what ``assay audit`` and ``assay scan`` call)::

    from assay.audit import audit_graph
    result = audit_graph(graph, db=None, config=None)   # AuditResult
    result.findings       # Findings still in force (aliases merged), most severe first
    result.ignored        # Findings an ignore rule with a reason covers
    result.skipped        # components that could not be checked, with the reason
    result.unresolved     # advisories that could not be decided (e.g. unknown fix commits)
    result.fix_advice     # per component: the smallest version that fixes all its findings
    result.warnings       # expired ignores, missing data, ...
    result.exit_code()    # 0 / 1 by the config's fail-on threshold

Offline by construction: it reads only the SQLite store (see :mod:`assay.vulndb`).
Without a database :func:`audit_graph` raises :class:`~assay.errors.IncompleteError`
(exit 3) naming the path; :func:`database_status` lets a caller such as ``assay scan``
check first and say plainly that it has no advisory data, and
``assay.vulndb.import_paths(Store(path), ["../shared/data"])`` fills one offline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from packaging.version import Version

from assay.config import Config, Ignore
from assay.errors import IncompleteError
from assay.model import Component, Finding, Graph, Kind, Severity
from assay.model.audit import AuditResult, FixAdvice, Skipped, UnresolvedAdvisory
from assay.vulndb.cpython import CPYTHON_REPO, CommitResolver, CommitTable, GitClone
from assay.vulndb.match import PYTHON_KINDS, AdvisoryMatcher, Hit, affected_by
from assay.vulndb.store import AdvisoryRow, DatabaseLocked, Store, default_path
from assay.vulndb.versions import native_compare, native_sort_key, pep440

_ID_RANK = ("PSF-", "PYSEC-", "GHSA-", "CVE-")


def database_path(db: Path | str | None = None, config: Config | None = None) -> Path:
    """Where the audit looks: ``db``, else the config's (``ASSAY_DB``), else the cache default."""
    return Path(db) if db is not None else (config.db if config and config.db else default_path())


def database_status(db: Path | str | None = None, config: Config | None = None) -> dict[str, Any] | None:
    """Path and advisories per source of the database the audit would use; None when there
    is none or it holds no advisories."""
    path = database_path(db, config)
    if not path.is_file():
        return None
    with Store(path, readonly=True) as store:
        if store.is_empty():
            return None
        return store.summary()


def open_store(db: Path | str | None = None, config: Config | None = None) -> Store:
    """The store at ``db`` (else the config's, ``ASSAY_DB``, the cache default); it must exist."""
    path = database_path(db, config)
    if not path.is_file():
        raise IncompleteError(f"{path}: no advisory database here, nothing can be audited",
                              hint="run `assay db import PATH` (e.g. ../shared/data) or `assay db update`")
    store = Store(path, readonly=True)  # an audit only reads: no write access needed
    if store.is_empty():
        running = store.import_running()
        store.close()
        if running is not None:
            raise DatabaseLocked(f"{path}: an import into the advisory database is still running "
                                 f"(pid {running.get('pid')}, {running.get('what', '')}, since "
                                 f"{running.get('since', '?')}); it holds no advisories until that finishes",
                                 hint="audit again when the import is done")
        raise IncompleteError(f"{path}: the advisory database is empty",
                              hint="run `assay db import PATH` (e.g. ../shared/data) or `assay db update`")
    return store


def audit_graph(graph: Graph, *, db: Path | str | None = None, config: Config | None = None,
                store: Store | None = None, today: date | None = None) -> AuditResult:
    """Audit every component of ``graph``; see the module docstring."""
    config = config or Config()
    own = store is None
    store = store if store is not None else open_store(db, config)
    try:
        return audit_components(graph.sorted_components(), store=store, config=config, today=today)
    finally:
        if own:
            store.close()


def resolver_for(store: Store, config: Config) -> CommitResolver:
    sources: list[CommitTable | GitClone] = []
    if config.cpython_repo is not None:
        sources.append(GitClone(config.cpython_repo))
    cache = store.cache
    if "commit_table" not in cache:
        table = store.commit_tags(CPYTHON_REPO)
        cache["commit_table"] = CommitTable(table, name="imported commit table") if table else None
    if cache["commit_table"] is not None:
        sources.append(cache["commit_table"])
    return CommitResolver(*sources)


def audit_components(components: Sequence[Component], *, store: Store, config: Config,
                     today: date | None = None) -> AuditResult:
    today = today or date.today()
    matcher = AdvisoryMatcher(store, resolver_for(store, config))
    hits, skips, unresolved = matcher.match(components)
    rows = store.advisories((h.source, h.advisory) for h in hits)
    hits = [h for h in hits if (h.source, h.advisory) in rows]  # withdrawn rows are absent
    findings, groups = _merge(hits, rows, store)
    active, ignored, warnings = _apply_ignores(findings, config.ignores, today)
    active_ids = {(f.component_id, f.id) for f in active}
    advice = _fix_advice([g for g in groups if (g[0].component.id, g[1].id) in active_ids])
    skipped_ids = {s.component.id for s in skips}
    audited = sum(1 for c in components
                  if c.id not in skipped_ids
                  and c.kind not in (Kind.APPLICATION, Kind.ENVIRONMENT, Kind.FILE))
    running = store.import_running()
    if running is not None:
        warnings.append(f"an import into {store.path} is running (pid {running.get('pid')}); this audit "
                        "used the advisories stored before it")
    if any(c.kind == Kind.INTERPRETER for c in components) and not matcher.resolver:
        warnings.append("no CPython commit table or clone: PSF advisories cannot be resolved "
                        "(import ../shared/data/cpython/commit_tags.txt or pass --cpython-repo)")
    return AuditResult(
        findings=tuple(_sorted(active)),
        ignored=tuple(_sorted(ignored)),
        skipped=tuple(Skipped(s.component.id, s.component.name, s.component.version, s.reason)
                      for s in skips),
        unresolved=tuple(UnresolvedAdvisory(u.component.id, u.component.name, u.component.version,
                                            u.advisory, u.reason, u.kind) for u in unresolved),
        fix_advice=tuple(advice),
        warnings=tuple(warnings),
        database=_db_summary(store),
        fail_on=config.fail_on,
        audited=audited,
    )


def _db_summary(store: Store) -> dict[str, Any]:
    return store.summary()


@lru_cache(maxsize=65536)
def _rank(adv_id: str) -> tuple[int, str]:
    for i, prefix in enumerate(_ID_RANK):
        if adv_id.startswith(prefix):
            return i, adv_id
    return len(_ID_RANK), adv_id


def _merge(hits: list[Hit], rows: dict[tuple[str, str], AdvisoryRow],
           store: Store) -> tuple[list[Finding], list[tuple[Hit, Finding, list[Hit]]]]:
    """One finding per component and group of advisories that share an id or alias."""
    by_comp: dict[str, list[Hit]] = defaultdict(list)
    for h in hits:
        by_comp[h.component.id].append(h)
    findings: list[Finding] = []
    groups: list[tuple[Hit, Finding, list[Hit]]] = []
    pending_severity: list[int] = []
    for comp_hits in by_comp.values():
        parent = list(range(len(comp_hits)))
        find = _finder(parent)
        owner: dict[str, int] = {}
        for i, h in enumerate(comp_hits):
            for ident in (h.advisory, *rows[(h.source, h.advisory)].aliases):
                if ident in owner:
                    parent[find(i)] = find(owner[ident])
                else:
                    owner[ident] = i
        clusters: dict[int, list[Hit]] = defaultdict(list)
        for i, h in enumerate(comp_hits):
            clusters[find(i)].append(h)
        for members in clusters.values():
            finding = _finding(members, rows)
            if finding.severity == Severity.UNKNOWN:
                pending_severity.append(len(findings))
            findings.append(finding)
            groups.append((members[0], finding, members))
    if pending_severity:
        _severity_from_aliases(findings, groups, pending_severity, store)
    return findings, groups


def _finder(parent: list[int]) -> Callable[[int], int]:
    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return find


def _finding(members: list[Hit], rows: dict[tuple[str, str], AdvisoryRow]) -> Finding:
    if len(members) == 1:
        return _single_finding(members[0], rows[(members[0].source, members[0].advisory)])
    advs = [rows[(h.source, h.advisory)] for h in members]
    ids = {a.id for a in advs} | {alias for a in advs for alias in a.aliases}
    primary_id = min((a.id for a in advs), key=_rank)
    primary = next(a for a in advs if a.id == primary_id)
    scored = [a for a in advs if a.score is not None]
    best = max(scored, key=lambda a: a.score or 0.0) if scored else None
    severity = Severity(max(a.severity for a in advs))
    comp = members[0].component
    fixed = {v for h in members for v in h.fixed_versions}
    return Finding(
        id=primary_id,
        component_id=comp.id,
        component_name=comp.name,
        component_version=comp.version,
        component_purl=comp.purl,
        aliases=tuple(sorted(ids - {primary_id}, key=_rank)),
        summary=primary.summary or next((a.summary for a in advs if a.summary), ""),
        severity=severity,
        score=best.score if best else None,
        vector=(best.vector if best else primary.vector) or None,
        fixed_versions=tuple(_sort_versions(fixed, comp)),
        source=primary.source,
        evidence="; ".join(dict.fromkeys(h.evidence for h in members)),
        references=tuple(dict.fromkeys(r for a in advs for r in a.references))[:20],
    )


def _single_finding(hit: Hit, adv: AdvisoryRow) -> Finding:
    comp = hit.component
    return Finding(
        id=adv.id, component_id=comp.id, component_name=comp.name, component_version=comp.version,
        component_purl=comp.purl, aliases=_sorted_ids(adv.aliases, adv.id), summary=adv.summary,
        severity=Severity(adv.severity), score=adv.score, vector=adv.vector or None,
        fixed_versions=tuple(_sort_versions(set(hit.fixed_versions), comp)), source=adv.source,
        evidence=hit.evidence, references=adv.references[:20],
    )


@lru_cache(maxsize=65536)
def _sorted_ids(aliases: tuple[str, ...], primary: str) -> tuple[str, ...]:
    return tuple(sorted(set(aliases) - {primary}, key=_rank))


def _severity_from_aliases(findings: list[Finding], groups: list[tuple[Hit, Finding, list[Hit]]],
                           indexes: list[int], store: Store) -> None:
    """A finding without a severity takes the highest one any source gives an alias (e.g. NVD)."""
    wanted = {alias for i in indexes for alias in (findings[i].id, *findings[i].aliases)}
    if not wanted:
        return
    scores = {a: v for a, v in store.best_severities(sorted(wanted)).items() if v is not None}
    for i in indexes:
        f = findings[i]
        found = [scores[a] for a in (f.id, *f.aliases) if a in scores]
        if found:
            sev, score, vector = max(found, key=lambda x: x[0])
            findings[i] = replace(f, severity=Severity(sev), score=score, vector=vector or f.vector)
            hit, _old, members = groups[i]
            groups[i] = (hit, findings[i], members)


def _sort_versions(versions: Iterable[str], comp: Component) -> list[str]:
    versions = list(versions)
    if len(versions) < 2:
        return versions
    if comp.kind in PYTHON_KINDS or comp.kind == Kind.INTERPRETER:
        return sorted(versions, key=_pep440_key)
    return sorted(versions, key=native_sort_key)


_ZERO = Version("0")


def _pep440_key(text: str) -> tuple[bool, Version, str]:
    parsed = pep440(text)
    return parsed is None, parsed or _ZERO, text


def _apply_ignores(findings: list[Finding], ignores: Sequence[Ignore],
                   today: date) -> tuple[list[Finding], list[Finding], list[str]]:
    active: list[Finding] = []
    ignored: list[Finding] = []
    warnings: list[str] = []
    warned: set[str] = set()
    for f in findings:
        ids = {f.id, *f.aliases}
        rule = next((r for r in ignores if r.id in ids), None)
        if rule is None:
            active.append(f)
        elif rule.expired(today):
            active.append(f)
            if rule.id not in warned:
                warned.add(rule.id)
                warnings.append(f"ignore of {rule.id} expired on {rule.until} (reason was: {rule.reason}); "
                                f"it is reported again" + (f" [{rule.origin}]" if rule.origin else ""))
        else:
            ignored.append(replace(f, ignored=rule.reason))
    return active, ignored, warnings


def _fix_advice(groups: list[tuple[Hit, Finding, list[Hit]]]) -> list[FixAdvice]:
    by_comp: dict[str, list[tuple[Finding, list[Hit]]]] = defaultdict(list)
    for _, finding, members in groups:
        by_comp[finding.component_id].append((finding, members))
    out = []
    for items in by_comp.values():
        comp = items[0][1][0].component
        all_hits = [h for _, members in items for h in members]
        ids = tuple(sorted({f.id for f, _ in items}, key=_rank))
        out.append(FixAdvice(comp.id, comp.name, comp.version, _smallest_fix(comp, all_hits), ids))
    return sorted(out, key=lambda a: (a.name.lower(), a.version or ""))


def _smallest_fix(comp: Component, hits: list[Hit]) -> str | None:
    if comp.kind in PYTHON_KINDS:
        current = pep440(comp.version or "")
        if current is None:
            return None
        # below a hit's floor every version is still affected by it: start there
        floor = max((p for h in hits if h.floor and (p := pep440(h.floor)) is not None), default=current)
        candidates = sorted({p for h in hits for v in h.fixed_versions
                             if (p := pep440(v)) is not None and p > current and p >= floor})
        for cand in candidates:
            if not any(affected_by(cand, h) for h in hits):
                return str(cand)
        return None
    # native libraries and the interpreter: the smallest fix of each advisory, the largest of those
    need: list[str] = []
    for adv in {(h.source, h.advisory) for h in hits}:
        fixes = [v for h in hits if (h.source, h.advisory) == adv for v in h.fixed_versions]
        if not fixes:
            return None
        if comp.kind == Kind.INTERPRETER:
            current = pep440(comp.version or "")
            later = [p for v in fixes if (p := pep440(v)) is not None and (current is None or p > current)]
            if not later:
                return None
            same_branch = [p for p in later if current is not None and p.release[:2] == current.release[:2]]
            need.append(str(min(same_branch or later)))
        else:
            later_n = [v for v in fixes if comp.version is None or native_compare(v, comp.version) > 0]
            if not later_n:
                return None
            need.append(min(later_n, key=native_sort_key))
    if not need:
        return None
    if comp.kind == Kind.INTERPRETER:
        return str(max(Version(v) for v in need))
    return max(need, key=native_sort_key)


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-int(f.severity), f.component_name.lower(),
                                           f.component_version or "", _rank(f.id)))
