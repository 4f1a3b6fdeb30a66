"""CPython fix commits → released versions, for the PSF advisories' ``GIT`` ranges.

PSF advisories name fix commits of https://github.com/python/cpython, not
versions. To decide whether interpreter version V contains a commit we need the
first release tag of each branch that contains it. Two resolvers:

* :class:`CommitTable` — a table such as ``commit_tags.txt`` (a commit line, then
  indented tag lines), imported into the store by ``assay db import``;
* :class:`GitClone` — ``git tag --contains`` in a local CPython clone.

:func:`contains` applies the table to a version. A commit neither resolver knows
gives ``None``: the caller says plainly that the advisory cannot be resolved.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from packaging.version import Version

from assay.errors import InputError
from assay.vulndb.versions import pep440

_RELEASE_TAG = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")
CPYTHON_REPO = "github.com/python/cpython"  # the repo key of the commit table in the store


def parse_commit_tags(text: str, *, origin: str = "commit table") -> dict[str, list[str]]:
    """``{commit: [tag, ...]}`` from the commit → first-tags text format."""
    table: dict[str, list[str]] = {}
    current: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            if current is None:
                raise InputError(f"{origin}:{lineno}: a tag line before any commit line")
            table[current].append(line.strip().removeprefix("v"))
        else:
            current = line.strip().lower()
            if not re.fullmatch(r"[0-9a-f]{7,40}", current):
                raise InputError(f"{origin}:{lineno}: {current!r} is not a commit hash")
            table.setdefault(current, [])
    return table


class CommitTable:
    """Resolution from a mapping of full commit hashes to first release tags."""

    def __init__(self, mapping: Mapping[str, Iterable[str]], *, name: str = "commit table") -> None:
        self.mapping = {k.lower(): list(v) for k, v in mapping.items()}
        self.name = name
        releases = [p for tags in self.mapping.values() for t in tags if (p := pep440(t)) is not None]
        # the newest release the table knows: later release lines are beyond what it can tell
        self.horizon: Version | None = max(releases) if releases else None

    @classmethod
    def from_file(cls, path: Path) -> CommitTable:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: unreadable ({exc.strerror})") from None
        return cls(parse_commit_tags(text, origin=str(path)), name=str(path))

    def tags(self, commit: str) -> list[str] | None:
        return self.mapping.get(commit.lower())


class GitClone:
    """Resolution through ``git tag --contains`` in a CPython clone (read only)."""

    def __init__(self, repo: Path) -> None:
        if not (repo / ".git").exists() and not (repo / "HEAD").exists():
            raise InputError(f"{repo}: not a git clone of CPython")
        self.repo = repo
        self.name = f"git clone {repo}"
        self.horizon: Version | None = None  # a clone knows every release it has

    @lru_cache(maxsize=4096)  # noqa: B019 - one clone per process, bounded
    def tags(self, commit: str) -> list[str] | None:
        proc = subprocess.run(["git", "-C", str(self.repo), "tag", "--contains", commit],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            return None
        first: dict[tuple[int, int], Version] = {}
        for tag in proc.stdout.split():
            m = _RELEASE_TAG.fullmatch(tag)
            if not m:
                continue
            branch = (int(m[1]), int(m[2]))
            ver = Version(f"{m[1]}.{m[2]}.{m[3]}")
            if branch not in first or ver < first[branch]:
                first[branch] = ver
        return [str(v) for v in sorted(first.values())]


class CommitResolver:
    """Tries each resolver in turn (a git clone first when given, then tables)."""

    def __init__(self, *sources: CommitTable | GitClone) -> None:
        self.sources = sources

    def tags(self, commit: str) -> list[str] | None:
        return self.lookup(commit)[0]

    def lookup(self, commit: str) -> tuple[list[str] | None, Version | None]:
        """(first tags per branch or None when unknown, the horizon of the source that knew it)."""
        for source in self.sources:
            found = source.tags(commit)
            if found is not None:
                return found, source.horizon
        return None, None

    def __bool__(self) -> bool:
        return bool(self.sources)


def _branch(v: Version) -> tuple[int, int]:
    rel = (*v.release, 0)
    return rel[0], rel[1]


def contains(tags: list[str] | None, version: Version, horizon: Version | None = None) -> bool | None:
    """Whether a release ``version`` contains a commit whose first tags per branch are ``tags``.

    * a tag on the version's own branch: contained from that tag on;
    * no tag on that branch but the commit reached a newer-or-equal-branch ``X.Y.0``
      release at the newest branch it has, and the version's branch is newer: the commit
      was on the main line when those branches were cut, so it is contained;
    * otherwise not contained (an older branch never got it, or a backport elsewhere;
      :func:`git_range_affected` decides what a newer line without any tag means).
    ``None`` when the commit is unknown. ``horizon`` is accepted for compatibility.
    """
    if tags is None:
        return None
    parsed = [p for p in (pep440(t) for t in tags) if p is not None]
    if not parsed:
        return False
    branch = _branch(version)
    same = [p for p in parsed if _branch(p) == branch]
    if same:
        return version >= min(same)
    newest = max(parsed)
    return branch > _branch(newest) and newest.release[2:3] in ((0,), ())


def git_range_affected(events: list[tuple[str, str]], version: Version,
                       resolver: CommitResolver) -> tuple[bool | None, list[str], list[str]]:
    """Evaluate one GIT range for a CPython version.

    Returns (affected or None when undecidable, unknown commits, fix versions); the
    fix versions are the first tags of the fix commits on the version's branch or later.

    Undecidable, and said so rather than guessed:

    * a fix commit that neither the table nor a clone knows (listed as is);
    * a fix commit that was in no release when the table was made, for a version
      newer than anything the table knows (``unreleased@H``);
    * a version on a release line newer than every line the fix commits reached,
      when none of them is on the main line (no ``X.Y.0`` tag): the advisory does not
      say whether the fix came to that line through main (listed as ``newer-line@X.Y``,
      or ``beyond-table@H`` when the line is newer than anything the table knows).
    """
    intro: list[bool | None] = []
    fixed: list[bool | None] = []
    unknown: list[str] = []
    fix_versions: set[str] = set()
    fix_branches: set[tuple[int, int]] = set()
    horizons: list[Version] = []
    for kind, commit in events:
        if kind == "introduced":
            if commit == "0":
                intro.append(True)
                continue
            tags, _ = resolver.lookup(commit)
            if tags is None:
                unknown.append(commit)
            intro.append(contains(tags, version))
        elif kind in ("fixed", "last_affected", "limit"):
            tags, horizon = resolver.lookup(commit)
            if horizon is not None:
                horizons.append(horizon)
            result = contains(tags, version)
            if tags is None:
                unknown.append(commit)
            elif not tags and horizon is not None and version > horizon:
                # in no release when the table was made; a later release may have it
                result = None
                unknown.append(f"unreleased@{horizon}")
            elif kind == "last_affected" and result:
                result = False  # the last affected commit itself is vulnerable
            fixed.append(result)
            for tag in tags or ():
                parsed = pep440(tag)
                if parsed is None:
                    continue
                fix_branches.add(_branch(parsed))
                if _branch(parsed) >= _branch(version):
                    fix_versions.add(tag)
    fixes = sorted(fix_versions, key=Version)
    if True in fixed:
        return False, unknown, fixes
    if True not in intro and None not in intro:
        return False, unknown, fixes
    if None in fixed or None in intro:
        return None, unknown, fixes
    if fix_branches and _branch(version) > max(fix_branches):
        horizon = max(horizons) if horizons else None
        if horizon is not None and _branch(version) > _branch(horizon):
            unknown.append(f"beyond-table@{horizon}")
        else:
            newest = max(fix_branches)
            unknown.append(f"newer-line@{newest[0]}.{newest[1]}")
        return None, unknown, fixes
    return True, unknown, fixes
