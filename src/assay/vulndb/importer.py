"""Import advisory files, folders and zip archives into a :class:`~assay.vulndb.store.Store`.

Accepted: OSV JSON or YAML files (one advisory, or a list), folder trees of them
(pypa/advisory-database, the PSF database), osv.dev zip exports (``all.zip``: one
JSON per member), NVD CVE API 2.0 JSON (full API responses or one record per
file) and CVE JSON 5 records. Files that are none of these (a README, an
``index.csv``) are skipped silently in folders and reported when named directly.

Parsing runs in worker processes when there are many files (YAML decoding is
the cost); writing is one SQLite transaction per import location.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from assay.errors import InputError
from assay.jsonio import validator
from assay.vulndb.cpython import CPYTHON_REPO, parse_commit_tags
from assay.vulndb.records import NotAdvisory, Rows, records_from_document
from assay.vulndb.store import ImportStats, Store

ADVISORY_SUFFIXES = (".json", ".yaml", ".yml")
MAX_MEMBER_BYTES = 64 << 20  # one advisory document; bounds zip bombs
PARALLEL_THRESHOLD = 400
# commit → first release tags of CPython (../shared/data/cpython/commit_tags.txt)
COMMIT_TABLE_NAMES = ("commit_tags.txt",)

# A unit of work: (label, path, zip member or "")
Unit = tuple[str, str, str]
# in place of a digest: the row reports a record of the file before it that was skipped
_SKIPPED_RECORD = "skipped-record"


def import_paths(store: Store, paths: Iterable[str | os.PathLike[str]], *,
                 progress: Callable[[int], None] | None = None,
                 workers: int | None = None) -> list[ImportStats]:
    """Import every path (file, folder or zip) into ``store``; one :class:`ImportStats` each."""
    results = []
    for path in paths:
        results.append(import_path(store, Path(path), progress=progress, workers=workers))
    return results


def import_path(store: Store, path: Path, *, progress: Callable[[int], None] | None = None,
                workers: int | None = None) -> ImportStats:
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    with store.importing(str(path)):
        return _import_path(store, path, progress, workers)


def _import_path(store: Store, path: Path, progress: Callable[[int], None] | None,
                 workers: int | None) -> ImportStats:
    if path.is_file() and path.name in COMMIT_TABLE_NAMES:
        return _import_commit_table(store, path)
    stats = ImportStats(location=str(path.resolve()), kind=_kind_of(path))
    units = list(_units(path))
    if path.is_file() and not units:
        raise InputError(f"{path}: not an advisory file (OSV JSON/YAML, NVD CVE API 2.0, CVE JSON 5 or zip)")
    known = store.known_files()
    records: list[Rows] = []
    file_rows: list[tuple[str, str]] = []
    digests: list[tuple[str, str]] = []
    partial: set[str] = set()
    validator("osv")  # compiled (or loaded) once here, before any worker is forked
    for label, digest, recs, error in _parse_all(units, known, workers):
        if digest == _SKIPPED_RECORD:  # one record of the file above was not valid: said, not stored
            stats.errors.append(f"{label}: {error}")
            partial.add(label)  # read again next time (and said again) until it is fixed
            continue
        stats.files += 1
        digests.append((label, digest))
        if error:
            if error != "not-advisory" or stats.kind == "file":
                stats.errors.append(f"{label}: {error}")
            continue
        if recs is None:  # unchanged file
            stats.skipped_files += 1
        else:
            records.extend(recs)
            file_rows.append((label, digest))
        if progress:
            progress(1)
    if stats.kind in ("file", "zip") and stats.errors and not records and not stats.skipped_files:
        more = f" (and {len(stats.errors) - 1} more)" if len(stats.errors) > 1 else ""
        raise InputError(stats.errors[0] + more)
    whole = hashlib.sha256()
    for label, digest in sorted(digests):
        whole.update(f"{label}\0{digest}\n".encode())
    stats.digest = "sha256:" + whole.hexdigest()
    store.write(records, stats, [row for row in file_rows if row[0] not in partial])
    if path.is_dir():  # commit tables inside the folder (e.g. cpython/commit_tags.txt)
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name in COMMIT_TABLE_NAMES:
                    _import_commit_table(store, Path(root) / name)
    return stats


def _import_commit_table(store: Store, path: Path) -> ImportStats:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    stats = ImportStats(location=str(path.resolve()), kind="commit-tags", digest="sha256:" + digest, files=1)
    if store.known_files().get(str(path)) == digest:
        stats.skipped_files = 1
        return stats
    table = parse_commit_tags(data.decode("utf-8", "replace"), origin=str(path))
    stats.added = len(table)
    store.write_commit_tags(CPYTHON_REPO, table, stats, [(str(path), digest)])
    return stats


def _kind_of(path: Path) -> str:
    if path.is_dir():
        return "folder"
    if path.suffix == ".zip":
        return "zip"
    return "file"


def _units(path: Path) -> Iterator[Unit]:
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = os.path.join(root, name)
                if name.endswith(ADVISORY_SUFFIXES):
                    yield full, full, ""
                elif name.endswith(".zip"):
                    yield from _zip_units(Path(full))
    elif path.suffix == ".zip":
        yield from _zip_units(path)
    elif path.name.endswith(ADVISORY_SUFFIXES):
        yield str(path), str(path), ""


def _zip_units(path: Path) -> Iterator[Unit]:
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.is_dir() or not info.filename.endswith(ADVISORY_SUFFIXES):
                    continue
                if info.file_size > MAX_MEMBER_BYTES:
                    continue
                yield f"{path}!{info.filename}", str(path), info.filename
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: not a valid zip archive ({exc})") from None


def _parse_all(units: Sequence[Unit], known: dict[str, str],
               workers: int | None) -> Iterator[tuple[str, str, list[Rows] | None, str]]:
    n = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if len(units) < PARALLEL_THRESHOLD or n <= 1:
        yield from _parse_chunk(list(units), known)
        return
    size = max(50, len(units) // (n * 4))
    chunks = [list(units[i:i + size]) for i in range(0, len(units), size)]
    with ProcessPoolExecutor(max_workers=n, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        try:
            for result in pool.map(_parse_chunk, chunks, [known] * len(chunks)):
                yield from result
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _die_with_parent(parent: int) -> None:
    """Worker start-up: end this worker when the importing process ends, however it ends
    (SIGTERM, SIGKILL, a crash), so no parser is left running or blocked on a pipe. Linux
    delivers SIGKILL on the parent's death (PR_SET_PDEATHSIG); elsewhere a watchdog thread
    notices the parent is gone."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="assay-parent-watch", daemon=True).start()


def _parse_chunk(units: list[Unit], known: dict[str, str]) -> list[tuple[str, str, list[Rows] | None, str]]:
    out: list[tuple[str, str, list[Rows] | None, str]] = []
    open_zip: tuple[str, zipfile.ZipFile] | None = None
    try:
        for label, path, member in units:
            try:
                if member:
                    if open_zip is None or open_zip[0] != path:
                        if open_zip:
                            open_zip[1].close()
                        open_zip = (path, zipfile.ZipFile(path))
                    data = open_zip[1].read(member)
                else:
                    with open(path, "rb") as fh:
                        data = fh.read()
            except OSError as exc:
                out.append((label, "", [], f"unreadable ({exc.strerror or exc})"))
                continue
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
                # corrupt deflate data, a CRC mismatch, an unsupported compression method
                detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                out.append((label, "", [], f"corrupt zip member ({detail})"))
                continue
            digest = hashlib.sha256(data).hexdigest()
            if known.get(label) == digest:
                out.append((label, digest, None, ""))
                continue
            try:
                skipped: list[str] = []
                rows = [r.rows() for r in records_from_document(_decode(label, data), skipped.append)]
                out.append((label, digest, rows, ""))
                out.extend((label, _SKIPPED_RECORD, [], why) for why in skipped)
            except NotAdvisory:
                out.append((label, digest, [], "not-advisory"))
            except (ValueError, KeyError, TypeError) as exc:
                out.append((label, digest, [], f"malformed advisory ({exc})"))
    finally:
        if open_zip:
            open_zip[1].close()
    return out


_LOADER: type | None = None


def _yaml_loader() -> type:
    """PyYAML's safe loader (C when available) that keeps every scalar a string.

    Advisory fields are strings: an unquoted ``1.10`` must stay "1.10" (not the float
    1.1) and dates stay as written, so ``modified`` compares the same way for YAML
    and JSON. Only an empty or ``null`` plain scalar becomes None. Skipping the
    implicit-type regexes is also what makes it fast.
    """
    global _LOADER
    if _LOADER is None:
        import yaml
        from yaml.nodes import ScalarNode, SequenceNode

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        def resolve(self: object, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                if implicit[0] and value in ("", "~", "null", "Null", "NULL"):
                    return "tag:yaml.org,2002:null"
                return "tag:yaml.org,2002:str"
            return "tag:yaml.org,2002:seq" if kind is SequenceNode else "tag:yaml.org,2002:map"

        _LOADER = type("AdvisoryLoader", (base,), {"resolve": resolve})
    return _LOADER


def _plain(node: object, memo: dict[int, object] | None = None) -> object:
    """Nodes → plain Python (str, None, list, dict); cheaper than PyYAML's generic constructor.

    A node reached twice through YAML aliases is built once and shared (as PyYAML
    does), so alias "bombs" cannot blow up time or memory.
    """
    from yaml.nodes import ScalarNode, SequenceNode

    if isinstance(node, ScalarNode):
        return None if node.tag.endswith(":null") else node.value
    memo = {} if memo is None else memo
    key = id(node)
    if key in memo:
        return memo[key]
    if isinstance(node, SequenceNode):
        out: object = []
        memo[key] = out
        out.extend(_plain(item, memo) for item in node.value)  # type: ignore[attr-defined]
        return out
    mapping: dict[object, object] = {}
    memo[key] = mapping
    for k, v in node.value:  # type: ignore[attr-defined]
        k_plain = _plain(k, memo)
        mapping[k_plain if isinstance(k_plain, str) else str(k_plain)] = _plain(v, memo)
    return mapping


# The bulk of a pypa/advisory-database file is its ``versions:`` lists: hundreds of
# "  - 1.2.3" / "  - '1.0'" lines. They are read here directly and the rest of the
# document goes through PyYAML. Anything but such a simple list (comments, other
# quoting, continuation lines, CR line ends) leaves the whole file to PyYAML.
_PLACEHOLDER = b"__assay_versions_%d__"
_SIMPLE_PLAIN = re.compile(rb"[0-9A-Za-z][0-9A-Za-z.+!_-]*")
_NULLS = (b"null", b"Null", b"NULL", b"true", b"false", b"True", b"False", b"TRUE", b"FALSE")


def _simple_scalar(raw: bytes) -> str | None:
    if len(raw) >= 2 and raw[:1] == b"'" and raw[-1:] == b"'":
        inner = raw[1:-1]
        if b"'" in inner.replace(b"''", b""):
            return None
        return inner.replace(b"''", b"'").decode("utf-8")
    if len(raw) >= 2 and raw[:1] == b'"' and raw[-1:] == b'"':
        inner = raw[1:-1]
        return None if b'"' in inner or b"\\" in inner else inner.decode("utf-8")
    if _SIMPLE_PLAIN.fullmatch(raw) and raw not in _NULLS:
        return raw.decode("ascii")
    return None


def _split_version_lists(data: bytes) -> tuple[bytes, list[list[str]]] | None:
    if b"\r" in data or b"__assay_versions_" in data or b"\n  versions:\n" not in data:
        return None
    lines = data.split(b"\n")
    out: list[bytes] = []
    lists: list[list[str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line != b"  versions:":
            out.append(line)
            i += 1
            continue
        items: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].startswith(b"  - "):
            value = _simple_scalar(lines[j][4:])
            if value is None:
                return None
            items.append(value)
            j += 1
        if not items or (j < len(lines) and lines[j].startswith(b"   ")):
            return None
        out.append(b"  versions: " + _PLACEHOLDER % len(lists))
        lists.append(items)
        i = j
    return b"\n".join(out), lists


def _fill(doc: object, lists: list[list[str]]) -> object:
    if isinstance(doc, dict):
        for key, value in doc.items():
            doc[key] = _fill(value, lists)
    elif isinstance(doc, list):
        doc[:] = [_fill(item, lists) for item in doc]
    elif isinstance(doc, str) and doc.startswith("__assay_versions_") and doc.endswith("__"):
        return list(lists[int(doc[17:-2])])
    return doc


def _decode(label: str, data: bytes) -> object:
    if label.endswith((".yaml", ".yml")):
        import yaml

        try:
            split = _split_version_lists(data)
            if split is not None:
                node = yaml.compose(split[0], Loader=_yaml_loader())
                return None if node is None else _fill(_plain(node), split[1])
            node = yaml.compose(data, Loader=_yaml_loader())
            return None if node is None else _plain(node)
        except yaml.YAMLError as exc:
            raise ValueError(f"invalid YAML: {str(exc).splitlines()[0]}") from None
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
