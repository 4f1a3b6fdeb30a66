"""``assay advisory resolve``: fix commits → the first released version on each branch.

A CVE record needs versions (``versionType: python``, one ``lessThan`` per
release line); a PSF advisory names commits. Each commit's first release tag per
branch comes from :mod:`assay.vulndb.cpython` (``git tag --contains`` in a clone,
or the commit table ``commit_tags.txt``), and the branch rules are the ones the
audit applies to the same advisory, so ``resolve`` and ``assay audit`` never
disagree:

* a tag on the branch: fixed from that release on;
* no tag on the branch, but the commit reached an ``X.Y.0`` on an older branch:
  it was on the main line when the branch was cut, so the whole branch has it;
* otherwise the branch never got the fix: affected on branches older than the
  newest fixed one; *undecidable* on newer ones (the advisory does not say whether
  the fix reached them), and said so.

Consecutive affected stretches merge the way CNAs write them: ``0`` up to the
first fix on the oldest fixed branch, ``3.10.0`` up to the fix on 3.11 when 3.10
never got one. A commit neither source knows, or a fix that is in no release yet,
makes the whole resolution undecidable, with the reason.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import Version

from assay.vulndb.cpython import CommitResolver, CommitTable, GitClone, contains
from assay.vulndb.versions import pep440

Branch = tuple[int, int]
_RELEASE_TAG = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


def branch_of(version: Version) -> Branch:
    rel = (*version.release, 0)
    return rel[0], rel[1]


def branch_text(branch: Branch) -> str:
    return f"{branch[0]}.{branch[1]}"


@dataclass(slots=True)
class BranchStatus:
    branch: Branch
    status: str  # fixed | not-affected | affected | unknown
    first_fixed: str | None = None
    introduced: str | None = None
    commits: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass(slots=True)
class Resolution:
    source: str
    commits: dict[str, list[str] | None]
    branches: list[BranchStatus] = field(default_factory=list)
    versions: list[dict[str, str]] = field(default_factory=list)  # CVE JSON 5 affected versions
    undecided: str = ""  # why nothing could be decided (the whole resolution)

    @property
    def decided(self) -> bool:
        return not self.undecided

    def affected(self, version: Version) -> bool | None:
        """Whether ``version`` is affected by these ranges; None on an undecided branch."""
        if self.undecided:
            return None
        status = next((b for b in self.branches if b.branch == branch_of(version)), None)
        if status is not None and status.status == "unknown":
            return None
        for entry in self.versions:
            start = entry["version"]
            if (start == "0" or version >= Version(start)) and version < Version(entry["lessThan"]):
                return True
        return False

    def table(self) -> str:
        """The human view: one line per release line."""
        lines = [f"resolved through {self.source}"]
        if self.undecided:
            lines.append(f"undecidable: {self.undecided}")
        if self.branches:
            lines.append(f"{'branch':<8} {'status':<13} {'first fixed':<12} via")
            rows: list[tuple[str, BranchStatus]] = []
            for b in sorted(self.branches, key=lambda s: s.branch, reverse=True):
                prev = rows[-1][1] if rows else None
                if (prev is not None and b.status == prev.status == "affected" and b.reason == prev.reason
                        and b.introduced == f"{b.branch[0]}.{b.branch[1]}.0"):
                    # a run of old lines that never got the fix: one row, "2.7-3.6"
                    newest = rows[-1][0].split("-")[-1]
                    rows[-1] = (f"{branch_text(b.branch)}-{newest}", prev)
                    continue
                rows.append((branch_text(b.branch), b))
            for name, b in rows:
                via = ", ".join(c[:12] for c in b.commits) or b.reason
                lines.append(f"{name:<8} {b.status:<13} {b.first_fixed or '-':<12} {via}")
        if self.versions:
            lines.append("CVE JSON 5 affected versions:")
            for v in self.versions:
                lines.append(f"  {v['version']} <= version < {v['lessThan']}")
        for c, tags in self.commits.items():
            if tags is None:
                lines.append(f"unknown commit: {c}")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "decided": self.decided,
            "undecided": self.undecided or None,
            "commits": self.commits,
            "branches": [{"branch": branch_text(b.branch), "status": b.status, "first_fixed": b.first_fixed,
                          "introduced": b.introduced, "commits": b.commits, "reason": b.reason or None}
                         for b in sorted(self.branches, key=lambda s: s.branch)],
            "versions": self.versions,
        }


def known_releases(sources: list[CommitTable | GitClone]) -> list[Version]:
    """Every final release the sources know: the tags of a table, a clone's release tags."""
    found: set[Version] = set()
    for source in sources:
        if isinstance(source, CommitTable):
            found.update(p for tags in source.mapping.values() for t in tags if (p := pep440(t)) is not None)
        else:
            proc = subprocess.run(["git", "-C", str(source.repo), "tag", "--list"], capture_output=True,
                                  text=True, check=False)
            for tag in proc.stdout.split():
                if (m := _RELEASE_TAG.fullmatch(tag)) is not None:
                    found.add(Version(f"{m[1]}.{m[2]}.{m[3]}"))
    return sorted(found)


def _fixed_from(tags: list[str], branch: Branch) -> Version | None:
    """The first release on ``branch`` that contains a commit whose first tags are ``tags``."""
    parsed = [p for p in (pep440(t) for t in tags) if p is not None]
    same = [p for p in parsed if branch_of(p) == branch]
    if same:
        return min(same)
    x0 = Version(f"{branch[0]}.{branch[1]}.0")
    return x0 if parsed and contains(tags, x0) else None


def resolve(fixed: list[str], resolver: Any, releases: list[Version], *,
            introduced: str = "0") -> Resolution:
    """The per-branch resolution of fix commits (and an introducing commit)."""
    source = " then ".join(getattr(s, "name", "?") for s in resolver.sources) or "nothing"
    commits: dict[str, list[str] | None] = {c: resolver.tags(c) for c in fixed}
    intro_tags: list[str] | None = None
    if introduced != "0":
        intro_tags = resolver.tags(introduced)
        commits[introduced] = intro_tags
    res = Resolution(source, commits)
    unknown = [c for c, tags in commits.items() if tags is None]
    if unknown:
        res.undecided = f"{len(unknown)} commit(s) unknown to {source}: {', '.join(unknown)}"
        return res
    if not fixed:
        res.undecided = "no fix commits"
        return res
    released = {c: tags for c, tags in commits.items() if tags and c != introduced}
    if not released:
        horizon = max(releases) if releases else None
        res.undecided = (f"no fix commit is in a release yet (releases known up to {horizon})"
                         if horizon else "no fix commit is in a release")
        return res
    branches = sorted({branch_of(v) for v in releases})
    fix_branches = {branch_of(p) for tags in released.values() for t in tags if (p := pep440(t)) is not None}
    newest_fix = max(fix_branches)

    opened: str | None = "0" if introduced == "0" else None
    for branch in branches:
        x0 = f"{branch[0]}.{branch[1]}.0"
        firsts = {c: v for c, tags in released.items() if (v := _fixed_from(tags, branch)) is not None}
        first = min(firsts.values()) if firsts else None
        via = [c for c, v in firsts.items() if v == first]
        start: str | None = x0
        if intro_tags is not None:
            intro = _fixed_from(intro_tags, branch)
            start = str(intro) if intro is not None else None
        if start is None or (first is not None and Version(start) >= first):
            # not affected on this line (never introduced, or fixed in its first release)
            if opened is not None:
                res.versions.append(_range(opened, x0))
                opened = None
            res.branches.append(BranchStatus(branch, "not-affected", str(first) if first else None,
                                             None, via, "" if first else "not introduced on this line"))
            continue
        if first is not None:
            res.versions.append(_range(opened or start, str(first)))
            opened = None
            res.branches.append(BranchStatus(branch, "fixed", str(first), start, via))
            continue
        if branch > newest_fix:
            unreleased = [c for c, tags in commits.items() if not tags and c != introduced]
            why = (f"no fix reached {branch_text(branch)}: the newest fixed line is "
                   f"{branch_text(newest_fix)} and no fix commit was on the main line when "
                   f"{branch_text(branch)} was cut")
            if unreleased:
                why += f"; {', '.join(c[:12] for c in unreleased)} is in no release yet"
            if opened is not None:
                res.versions.append(_range(opened, x0))
                opened = None
            res.branches.append(BranchStatus(branch, "unknown", None, start, [], why))
            continue
        opened = opened or start
        res.branches.append(BranchStatus(branch, "affected", None, start, [],
                                         "no fix released on this line"))
    return res


def _range(start: str, less_than: str) -> dict[str, str]:
    return {"version": start, "lessThan": less_than, "status": "affected", "versionType": "python"}


def events_of(osv: dict[str, Any]) -> tuple[list[str], str]:
    """(fixed commits, introduced commit or "0") of an OSV record's cpython GIT range."""
    fixed: list[str] = []
    introduced = "0"
    for aff in osv.get("affected") or ():
        for rng in (aff or {}).get("ranges") or ():
            if not isinstance(rng, dict) or rng.get("type") != "GIT":
                continue
            for event in rng.get("events") or ():
                if not isinstance(event, dict):
                    continue
                if "fixed" in event and event["fixed"] not in fixed:
                    fixed.append(str(event["fixed"]))
                elif "introduced" in event and event["introduced"] != "0" and introduced == "0":
                    introduced = str(event["introduced"])
    return fixed, introduced


def make_resolver(clone: Path | None, table: Path | None) -> tuple[Any, list[CommitTable | GitClone]]:
    sources: list[CommitTable | GitClone] = []
    if clone is not None:
        sources.append(GitClone(clone))
    if table is not None:
        sources.append(CommitTable.from_file(table))
    return CommitResolver(*sources), sources
