"""Installed files against their RECORD: modified, missing, unlisted, and start-up code.

For every distribution of an environment, each RECORD row (path, hash, size)
is checked: a size difference proves a change without hashing; otherwise the
file is hashed (in threads: hashlib releases the GIL). Files inside package
folders that no RECORD lists are reported, and so are ``.pth`` files with
``import`` lines, which the interpreter executes at every start-up (a known
persistence trick): their own category, whoever installed them.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from assay.model import Graph, Kind

CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Issue:
    category: str  # modified | missing | unlisted | executable-pth | outside-environment | no-record
    path: str
    distribution: str | None = None  # "name version" of the owner, when known
    detail: str = ""


@dataclass(slots=True)
class Report:
    target: str
    distributions: int = 0
    files_checked: int = 0
    bytes_hashed: int = 0
    issues: list[Issue] = field(default_factory=list)

    def of(self, category: str) -> list[Issue]:
        return [i for i in self.issues if i.category == category]

    @property
    def clean(self) -> bool:
        """No modified and no missing file (the exit-code rule)."""
        return not self.of("modified") and not self.of("missing")

    def to_json(self) -> dict:
        counts: dict[str, int] = {}
        for issue in self.issues:
            counts[issue.category] = counts.get(issue.category, 0) + 1
        return {
            "target": self.target,
            "clean": self.clean,
            "distributions": self.distributions,
            "files_checked": self.files_checked,
            "counts": dict(sorted(counts.items())),
            "issues": [
                {"category": i.category, "path": i.path, "distribution": i.distribution, "detail": i.detail}
                for i in sorted(self.issues, key=lambda i: (i.category, i.path))
            ],
        }


def _record_rows(text: str) -> Iterable[tuple[str, str, str]]:
    for row in csv.reader(io.StringIO(text)):
        if not row or not row[0]:
            continue
        path = row[0]
        digest = row[1] if len(row) > 1 else ""
        size = row[2] if len(row) > 2 else ""
        yield path, digest, size


def _digest_matches(path: Path, expected: str) -> tuple[bool, int]:
    alg, _, value = expected.partition("=")
    try:
        h = hashlib.new(alg)
    except ValueError:
        return True, 0  # unknown algorithm: cannot judge, don't accuse
    n = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
            n += len(chunk)
    got = base64.urlsafe_b64encode(h.digest()).rstrip(b"=").decode()
    return got == value.rstrip("="), n


def _executable_pth_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line.strip() for line in text.splitlines()
            if line.startswith(("import ", "import\t"))]


def check(graph: Graph, *, progress: Callable[[int], None] | None = None,
          workers: int = 4) -> Report:
    """Check every python-package of an environment graph (from catalog_environment)."""
    report = Report(target=graph.metadata.get("target", ""))
    prefix = Path(graph.root_component.prop("assay:prefix") or "/") if graph.root_component else None
    listed: set[str] = set()  # realpaths that some RECORD lists
    owners: dict[str, str] = {}  # top-level entry in a site dir -> owner
    jobs: list[tuple[Path, str, str, str]] = []  # (path, digest, owner, shown)
    site_dirs: set[Path] = set()

    for comp in graph.packages([Kind.PYTHON_PACKAGE]):
        meta = comp.prop("assay:dist-info")
        site = comp.prop("assay:site-packages")
        if not meta or not site:
            continue
        report.distributions += 1
        site_dir = Path(site)
        site_dirs.add(site_dir)
        owner = f"{comp.name} {comp.version or '?'}"
        record = Path(meta) / "RECORD"
        if not record.is_file():
            if Path(meta).name.endswith(".dist-info"):
                report.issues.append(Issue("no-record", str(Path(meta)), owner,
                                           "no RECORD: files cannot be checked"))
            _list_egg_files(Path(meta), site_dir, listed, owners, owner)
            continue
        try:
            text = record.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            report.issues.append(Issue("no-record", str(record), owner, f"unreadable: {exc.strerror}"))
            continue
        for rel, digest, size in _record_rows(text):
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
            except OSError:
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
