"""Installed files against their RECORD: modified, missing, unlisted, and start-up code.

For every distribution of an environment, each RECORD row (path, hash, size)
is checked: a size difference proves a change without hashing; otherwise the
file is hashed (in threads: hashlib releases the GIL). Files inside package
folders that no RECORD lists are reported, and so are ``.pth`` files with
``import`` lines, which the interpreter executes at every start-up (a known
persistence trick): their own category, whoever installed them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assay.identity import record as _record
from assay.model import Graph
from assay.model.integrity import IntegrityReport, Issue
from assay.sources.layout import InstalledLayout

CHUNK = 1 << 20
Report = IntegrityReport


def _chunks(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as fh:
        yield from iter(lambda: fh.read(CHUNK), b"")


def _digest_matches(path: Path, expected: str) -> tuple[bool, int]:
    ok, n = _record.matches(expected, _chunks(path))
    return (True if ok is None else ok), n  # an unknown algorithm cannot judge: don't accuse


def _executable_pth_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line.strip() for line in text.splitlines()
            if line.startswith(("import ", "import\t"))]


def check(graph: Graph, layout: InstalledLayout, *, progress: Callable[[int], None] | None = None,
          workers: int = 4) -> IntegrityReport:
    """Check every distribution of an environment catalogue (graph and layout)."""
    report = IntegrityReport(target=graph.metadata.get("target", ""))
    prefix = Path(layout.prefix) if layout.prefix else None
    listed: set[str] = set()  # realpaths that some RECORD lists
    owners: dict[str, str] = {}  # top-level entry in a site dir -> owner
    jobs: list[tuple[Path, str, str, str]] = []  # (path, digest, owner, shown)
    site_dirs: set[Path] = set()

    for comp_id, dist in sorted(layout.dists.items(), key=lambda kv: (kv[1].site, kv[1].meta)):
        comp = graph.components.get(comp_id)
        if comp is None:
            continue
        report.distributions += 1
        site_dir = Path(dist.site)
        site_dirs.add(site_dir)
        meta = site_dir / dist.meta
        owner = f"{comp.name} {comp.version or '?'}"
        record = meta / "RECORD"
        if not dist.is_dir or not record.is_file():
            if dist.is_dist_info:
                report.issues.append(Issue("no-record", str(meta), owner,
                                           "no RECORD: files cannot be checked"))
            if dist.is_dir:
                _list_egg_files(meta, site_dir, listed, owners, owner)
            continue
        text = layout.read_text(dist, "RECORD")
        if text is None:
            report.issues.append(Issue("no-record", str(record), owner, "unreadable"))
            continue
        for row in _record.parse(text):
            rel, digest, size = row.path, row.digest, row.size
            path = Path(os.path.normpath(site_dir / rel))
            real = os.path.realpath(path)
            listed.add(real)
            top = Path(rel).parts[0] if Path(rel).parts else rel
            if top not in ("..",) and not top.endswith((".dist-info", ".egg-info")):
                owners.setdefault(top, owner)
            if prefix is not None and not _within(path, prefix) and not _within(path, site_dir):
                report.issues.append(Issue("outside-environment", str(path), owner,
                                           "RECORD lists a file outside the environment"))
                continue
            try:
                st = path.lstat()
            except (OSError, ValueError):
                if digest or not rel.endswith(".pyc"):
                    report.issues.append(Issue("missing", str(path), owner, "listed in RECORD"))
                continue
            if not digest:
                continue
            report.files_checked += 1
            if size and size.isdigit() and int(size) != st.st_size:
                report.issues.append(Issue("modified", str(path), owner,
                                           f"size {st.st_size}, RECORD says {size}"))
                if progress:
                    progress(1)
                continue
            jobs.append((path, digest, owner, rel))

    def work(job: tuple[Path, str, str, str]) -> tuple[tuple[Path, str, str, str], bool, int]:
        try:
            ok, n = _digest_matches(job[0], job[1])
        except OSError:
            return job, False, 0
        return job, ok, n

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for (path, digest, owner, _rel), ok, n in pool.map(work, jobs, chunksize=16):
            report.bytes_hashed += n
            if not ok:
                report.issues.append(Issue("modified", str(path), owner,
                                           f"{digest.partition('=')[0]} differs from RECORD"))
            if progress:
                progress(1)

    for site_dir in sorted(site_dirs):
        _unlisted_and_pth(site_dir, listed, owners, report)
    return report


def _within(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _list_egg_files(meta: Path, site_dir: Path, listed: set[str], owners: dict[str, str],
                    owner: str) -> None:
    """egg-info: installed-files.txt (no hashes) still says which files are owned."""
    text = None
    try:
        text = (meta / "installed-files.txt").read_text(encoding="utf-8", errors="replace")
    except OSError:
        pass
    for line in (text or "").splitlines():
        if line.strip():
            path = os.path.normpath(meta / line.strip())
            listed.add(os.path.realpath(path))
            try:
                top = Path(path).relative_to(site_dir).parts[0]
                owners.setdefault(top, owner)
            except (ValueError, IndexError):
                pass
    top_level = meta / "top_level.txt"
    if top_level.is_file():
        for name in top_level.read_text(errors="replace").split():
            owners.setdefault(name, owner)
            if not text:  # nothing says which files: trust the whole package folder
                for dirpath, _dirs, files in os.walk(site_dir / name):
                    for f in files:
                        listed.add(os.path.realpath(os.path.join(dirpath, f)))


def _unlisted_and_pth(site_dir: Path, listed: set[str], owners: dict[str, str], report: Report) -> None:
    try:
        entries = sorted(os.scandir(site_dir), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.endswith(".pth") and entry.is_file():
            lines = _executable_pth_lines(Path(entry.path))
            owner = owners.get(name)
            if os.path.realpath(entry.path) not in listed:
                report.issues.append(Issue("unlisted", entry.path, None, "no RECORD lists this .pth file"))
            if lines:
                shown = lines[0] if len(lines[0]) <= 160 else lines[0][:157] + "..."
                report.issues.append(Issue(
                    "executable-pth", entry.path, owner,
                    f"runs at every interpreter start-up: {shown}"
                    + (f" (+{len(lines) - 1} more lines)" if len(lines) > 1 else "")))
            continue
        if name == "__pycache__" or name.endswith((".dist-info", ".egg-info", ".egg-link")):
            continue
        if name not in owners:  # a top-level module or folder that no distribution installed
            if os.path.realpath(entry.path) not in listed and name != "README.txt":
                report.issues.append(Issue("unlisted", entry.path, None,
                                           "top-level entry that no distribution's RECORD lists"))
            continue
        owner = owners[name]
        if entry.is_dir(follow_symlinks=False):
            for dirpath, dirs, files in os.walk(entry.path):
                dirs[:] = [d for d in dirs if d != "__pycache__"]
                for f in files:
                    full = os.path.join(dirpath, f)
                    if os.path.realpath(full) not in listed:
                        report.issues.append(Issue("unlisted", full, owner,
                                                   f"inside {name}/ but in no RECORD"))
        elif os.path.realpath(entry.path) not in listed:
            report.issues.append(Issue("unlisted", entry.path, owner, "in no RECORD"))
