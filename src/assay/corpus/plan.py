"""What to scan: SOURCEs turned into :class:`Item` values, one per distribution file.

A SOURCE is
- a folder: every wheel and sdist under it (sha256 computed here, so reruns can skip);
- a single wheel or sdist file;
- a spec file: one ``name==version`` or plain ``name`` (the newest release) a line,
  ``#`` comments; each is looked up in the package index (:mod:`assay.corpus.index`);
- with ``top``: a ranking file, one project a line, most downloaded first (a TSV with a
  header is read too: its first column is the name, rows are ordered by a ``rank`` column
  when there is one); its first ``top`` projects are looked up like plain names.

Items are deduplicated by sha256: the same file listed twice is scanned once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from assay.errors import InputError

DIST_SUFFIXES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz")


@dataclass(frozen=True, slots=True)
class Item:
    """One distribution file to scan."""

    filename: str
    sha256: str  # the index's digest, or the local file's
    size: int | None = None
    project: str | None = None  # from the index or the file name; the catalogue has the last word
    version: str | None = None
    path: str | None = None  # a local file (workers must see the same path)
    url: str | None = None  # to fetch, checked against sha256
    source: str = ""  # the SOURCE it came from


@dataclass(slots=True)
class Plan:
    items: list[Item] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # specs that resolved to nothing, with why

    def add(self, items: Iterable[Item]) -> None:
        seen = {i.sha256 for i in self.items}
        for item in items:
            if item.sha256 not in seen:
                seen.add(item.sha256)
                self.items.append(item)


def is_distribution(name: str) -> bool:
    return name.lower().endswith(DIST_SUFFIXES)


def names_from_filename(filename: str) -> tuple[str | None, str | None]:
    """(project, version) read from a wheel or sdist file name; (None, None) when it is neither."""
    try:
        if filename.lower().endswith(".whl"):
            name, version, _b, _t = parse_wheel_filename(filename)
            return str(name), str(version)
        name, version = parse_sdist_filename(filename)
        return str(name), str(version)
    except (InvalidWheelFilename, InvalidSdistFilename, ValueError):
        return None, None


def sha256_file(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _local_files(source: Path) -> Iterator[Path]:
    if source.is_file():
        yield source
        return
    for root, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if is_distribution(name) and not name.startswith("."):
                yield Path(root) / name


def local_items(source: Path, *, threads: int = 4) -> list[Item]:
    files = list(_local_files(source))

    def one(path: Path) -> Item:
        project, version = names_from_filename(path.name)
        return Item(filename=path.name, sha256=sha256_file(path), size=path.stat().st_size,
                    project=project, version=version, path=str(path.resolve()), source=str(source))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, files))


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    version: str | None  # None: the newest release
    where: str  # "FILE:LINE", for messages


def read_specs(path: Path) -> list[Spec]:
    """``name==version`` or ``name`` lines; anything else is an error naming FILE:LINE."""
    specs: list[Spec] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: unreadable spec file ({exc})") from None
    for n, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{path}:{n}"
        try:
            req = Requirement(line)
        except InvalidRequirement as exc:
            raise InputError(f"{where}: not a project name or name==version ({exc})") from None
        pins = list(req.specifier)
        if req.url or req.extras or req.marker or len(pins) > 1 or (
                pins and (pins[0].operator not in ("==", "===") or "*" in pins[0].version)):
            raise InputError(f"{where}: {line!r}: give a plain name or an exact name==version")
        specs.append(Spec(str(canonicalize_name(req.name)), pins[0].version if pins else None, where))
    return specs


def read_ranking(path: Path, top: int) -> list[Spec]:
    """The first ``top`` projects of a ranking file (most downloaded first)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: unreadable ranking file ({exc})") from None
    rows: list[tuple[float, int, str]] = []
    rank_col: int | None = None
    body = lines
    if lines and "\t" in lines[0]:
        header = [h.strip().lower() for h in lines[0].split("\t")]
        if "name" in header or any("rank" in h for h in header):
            body = lines[1:]
            rank_col = next((i for i, h in enumerate(header) if "rank" in h), None)
    for n, raw in enumerate(body):
        line = raw.split("#", 1)[0].strip() if "\t" not in raw else raw
        if not line.strip():
            continue
        cols = line.split("\t")
        name = cols[0].strip()
        if not name:
            continue
        order: float = n
        if rank_col is not None:
            value = cols[rank_col].strip() if rank_col < len(cols) else ""
            if not value:
                continue  # unranked rows are not part of the ranking
            try:
                order = float(value)
            except ValueError:
                raise InputError(f"{path}:{n + 2}: rank {value!r} is not a number") from None
        rows.append((order, n, name))
    rows.sort()
    specs: list[Spec] = []
    seen: set[str] = set()
    for _order, n, name in rows:
        canon = str(canonicalize_name(name))
        if canon in seen:
            continue
        seen.add(canon)
        specs.append(Spec(canon, None, f"{path}:{n + 1}"))
        if len(specs) >= top:
            break
    if not specs:
        raise InputError(f"{path}: no project names in the ranking file")
    return specs


def build(sources: list[str], *, top: int | None = None, resolve: Callable[[list[Spec]], tuple[
        list[Item], list[str]]] | None = None) -> Plan:
    """Turn SOURCEs into a :class:`Plan`. ``resolve`` looks specs up in the index."""
    plan = Plan()
    for source in sources:
        path = Path(source)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if top is not None:
            if not path.is_file():
                raise InputError(f"{path}: --top needs a ranking file (one project a line)")
            specs = read_ranking(path, top)
        elif path.is_dir() or is_distribution(path.name):
            found = local_items(path)
            if not found and path.is_dir():
                plan.problems.append(f"{path}: no wheels or sdists in this folder")
            plan.add(found)
            continue
        else:
            specs = read_specs(path)
        if resolve is None:
            raise InputError(f"{path}: specs need a package index, and none was given")
        items, problems = resolve(specs)
        plan.add(items)
        plan.problems.extend(problems)
    return plan
