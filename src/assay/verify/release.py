"""Whole-release audits: every artifact of every version of a download tree, or of a PyPI project.

Sources list folders (a version each) of files; artifacts and their material
are fetched into a cache with bounded concurrency (resumable, sha256-checked
where the source publishes digests), then verified with one shared
:class:`~assay.verify.engine.Engine`. The cache remembers what it fetched
and what it concluded, so a rerun downloads nothing already complete and
verifies only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from assay import net
from assay.errors import IncompleteError, InputError, NetworkError
from assay.model.verify import ReleaseAuditResult, Verdict
from assay.verify import discover
from assay.verify.artifact import Artifact
from assay.verify.engine import Engine

STATE_FILE = "assay-release-state.json"
STATE_VERSION = 1
INDEX_LIMIT = 16 << 20  # bytes of one directory listing / API answer


@dataclass(slots=True)
class RemoteFile:
    name: str
    url: str
    sha256: str | None = None  # as published by the source (PyPI); checked on download


@dataclass(slots=True)
class Folder:
    """One version's files. ``local`` is where they are (or will be, once fetched)."""

    version: str | None
    local: Path
    names: set[str] = field(default_factory=set)
    remote: dict[str, RemoteFile] = field(default_factory=dict)


def _version_or_none(text: str) -> str | None:
    try:
        Version(text)
    except InvalidVersion:
        return None
    return text


def _version_matches(version: str | None, spec: SpecifierSet | None) -> bool:
    if spec is None:
        return True
    if version is None:
        return False
    try:
        return spec.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return False


# ----------------------------------------------------------------------------- sources

def local_folders(root: Path, versions: SpecifierSet | None = None) -> list[Folder]:
    """A folder of artifacts, or a mirror laid out as one sub-folder per version."""
    if not root.is_dir():
        raise InputError(f"{root}: not a folder")
    folders: list[Folder] = []
    top = Folder(None, root)
    for entry in sorted(root.iterdir()):
        if entry.is_file() and not entry.name.startswith("."):
            top.names.add(entry.name)
        elif entry.is_dir() and not entry.name.startswith("."):
            version = _version_or_none(entry.name)
            if version is None or not _version_matches(version, versions):
                continue
            names = {p.name for p in entry.iterdir() if p.is_file() and not p.name.startswith(".")}
            folders.append(Folder(version, entry, names))
    if top.names:
        folders.insert(0, top)
    folders.sort(key=lambda f: Version(f.version) if f.version else Version("0"))
    return folders


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            for k, v in attrs:
                if k == "href" and v:
                    self.hrefs.append(v)


def _children(base: str, body: bytes) -> tuple[list[str], list[str]]:
    """(sub-folder names, file names) linked from a directory listing at ``base``."""
    parser = _Links()
    parser.feed(body.decode("utf-8", errors="replace"))
    dirs, files = [], []
    base_path = urlsplit(base).path
    for href in parser.hrefs:
        target = urljoin(base, href)
        parts = urlsplit(target)
        if parts.query or parts.fragment or urlsplit(base).netloc != parts.netloc:
            continue
        if not parts.path.startswith(base_path) or parts.path == base_path:
            continue
        rest = unquote(parts.path[len(base_path):])
        if rest.endswith("/") and "/" not in rest[:-1]:
            dirs.append(rest[:-1])
        elif rest and "/" not in rest:
            files.append(rest)
    return sorted(set(dirs)), sorted(set(files))


def _safe_name(name: str) -> str:
    """A listing's name as a local file name: no separators, no dot-dot, no hidden files."""
    if not name or name.startswith(".") or any(c in name for c in ("/", "\\", "\x00")):
        raise InputError(f"refusing unsafe file name from the source: {name!r}")
    return name


def http_folders(base: str, cache: Path, versions: SpecifierSet | None = None, *,
                 jobs: int = 4) -> list[Folder]:
    """An HTTP directory index laid out like python.org/ftp/python/ (a folder per version)."""
    if not base.endswith("/"):
        base += "/"
    top_body = net.get(base, max_bytes=INDEX_LIMIT).body
    dirs, files = _children(base, top_body)
    folders: list[Folder] = []
    if files:
        top = Folder(None, cache / "_")
        for name in files:
            top.remote[_safe_name(name)] = RemoteFile(name, urljoin(base, quote(name)))
        folders.append(top)
    chosen = [d for d in dirs if (v := _version_or_none(d)) is not None and _version_matches(v, versions)]

    def listing(d: str) -> Folder:
        url = urljoin(base, quote(d) + "/")
        _, sub_files = _children(url, net.get(url, max_bytes=INDEX_LIMIT).body)
        folder = Folder(d, cache / _safe_name(d))
        for name in sub_files:
            folder.remote[_safe_name(name)] = RemoteFile(name, urljoin(url, quote(name)))
        return folder

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:  # one listing per version folder
        folders.extend(pool.map(listing, chosen))
    for f in folders:
        f.names = set(f.remote)
    return folders


def _dist_version(filename: str) -> str | None:
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[1])
        return str(parse_sdist_filename(filename)[1])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None


def pypi_folders(project: str, cache: Path, *, index_url: str, integrity_url: str,
                 versions: SpecifierSet | None = None) -> list[Folder]:
    """A PyPI project: files from the JSON simple API (PEP 691), provenance from the integrity API."""
    from packaging.utils import canonicalize_name

    name = canonicalize_name(project)
    url = urljoin(index_url if index_url.endswith("/") else index_url + "/", f"{name}/")
    resp = net.get(url, headers={"Accept": "application/vnd.pypi.simple.v1+json"}, max_bytes=INDEX_LIMIT)
    try:
        doc = json.loads(resp.body)
        files = doc["files"]
    except (ValueError, KeyError, TypeError):
        raise NetworkError(f"{url}: not a PEP 691 JSON simple-API answer") from None
    by_version: dict[str, Folder] = {}
    for f in files:
        try:
            filename = _safe_name(str(f["filename"]))
            file_url = urljoin(url, f["url"])
        except (KeyError, TypeError):
            continue
        version = _dist_version(filename)
        if version is None or not _version_matches(version, versions):
            continue
        folder = by_version.setdefault(version, Folder(version, cache / _safe_name(version)))
        sha = (f.get("hashes") or {}).get("sha256")
        folder.remote[filename] = RemoteFile(filename, file_url, sha)
        prov = f.get("provenance")
        if prov is None:
            base = integrity_url if integrity_url.endswith("/") else integrity_url + "/"
            prov = urljoin(base, f"{quote(str(name))}/{quote(version)}/{quote(filename)}/provenance")
        folder.remote[filename + ".provenance"] = RemoteFile(filename + ".provenance", urljoin(url, prov))
    out = sorted(by_version.values(), key=lambda f: Version(f.version or "0"))
    for f in out:
        f.names = set(f.remote)
    return out


# ----------------------------------------------------------------------------- selection

def artifacts_of(folder: Folder, engine: Engine) -> list[str]:
    """Names in a folder that are artifacts (not material) and within the policy's scope."""
    policy = engine.options.policy
    return sorted(n for n in folder.names
                  if not discover.is_material(n) and (policy is None or policy.covers(n)))


def material_names(artifact: str, names: set[str]) -> list[str]:
    suffixes = (*discover.SIGSTORE_SUFFIXES, *discover.OPENPGP_SUFFIXES, *discover.PEP740_SUFFIXES, ".crt")
    return [artifact + s for s in suffixes if artifact + s in names]


# ----------------------------------------------------------------------------- state / cache

@dataclass(slots=True)
class State:
    path: Path
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # url -> {path, size, sha256, ...}
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> verdict JSON

    @classmethod
    def load(cls, cache: Path) -> State:
        path = cache / STATE_FILE
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("version") != STATE_VERSION:
                raise ValueError
            return cls(path, dict(doc.get("files", {})), dict(doc.get("verdicts", {})))
        except (OSError, ValueError, AttributeError):
            return cls(path)  # no cache yet, or an unreadable one: start afresh

    def save(self) -> None:
        from assay.output import write_atomic

        text = json.dumps({"version": STATE_VERSION, "files": self.files, "verdicts": self.verdicts},
                          indent=1, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, text)
        except OSError as exc:
            raise InputError(f"{self.path.parent}: cannot write the cache ({exc.strerror or exc}); "
                             "choose another with --cache") from None


def _stamp(path: Path) -> list[Any]:
    st = path.stat()
    return [path.name, st.st_size, st.st_mtime_ns]


def options_fingerprint(engine: Engine) -> str:
    """What the verdicts depend on besides the files: policy, trust root, keys, modes."""
    o = engine.options
    h = hashlib.sha256()
    h.update(repr((o.policy, o.staging, o.allow_legacy, o.scoped)).encode())
    for p in ([o.trusted_root] if o.trusted_root else []) + list(o.keys):
        h.update(p.read_bytes())
    return h.hexdigest()


# ----------------------------------------------------------------------------- the audit

def fetch(folders: list[Folder], wanted: dict[int, list[str]], state: State, *, jobs: int,
          refresh: bool, progress: Callable[[int], None] | None = None) -> tuple[int, int, int]:
    """Bring the wanted remote files into the cache. Returns (downloaded, bytes, reused)."""
    todo: list[tuple[Folder, RemoteFile]] = []
    reused = 0
    for i, folder in enumerate(folders):
        for name in wanted.get(i, []):
            rf = folder.remote.get(name)
            if rf is None:
                continue
            dest = folder.local / name
            known = state.files.get(rf.url)
            complete = known is not None and dest.is_file() and dest.stat().st_size == known.get("size") \
                and (rf.sha256 is None or known.get("sha256") == rf.sha256)
            if complete and refresh and known is not None:
                complete = not net.changed_since(rf.url, etag=known.get("etag"),
                                                 last_modified=known.get("last-modified"),
                                                 size=known.get("size"))
            if complete:
                reused += 1
            else:
                todo.append((folder, rf))
    lock = threading.Lock()
    done_bytes = 0
    count = 0

    def one(folder: Folder, rf: RemoteFile) -> tuple[RemoteFile, Path, dict[str, str]] | None:
        folder.local.mkdir(parents=True, exist_ok=True)
        try:
            dest, info = net.download_info(rf.url, folder.local / rf.name, sha256=rf.sha256)
        except NetworkError as exc:
            if rf.name.endswith(".provenance") and "HTTP 404" in exc.message:
                return None  # PyPI has no provenance for this file: reported as missing material
            raise
        return rf, dest, info

    if todo:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(one, f, rf) for f, rf in todo]
            errors: list[str] = []
            for fut in as_completed(futures):
                try:
                    got = fut.result()
                except NetworkError as exc:
                    errors.append(exc.message)
                    continue
                if progress:
                    progress(1)
                if got is None:
                    continue
                rf, dest, info = got
                size = dest.stat().st_size
                with lock:
                    count += 1
                    done_bytes += size
                    state.files[rf.url] = {"path": str(dest), "size": size, "sha256": info.get("sha256"),
                                           "etag": info.get("etag"),
                                           "last-modified": info.get("last-modified")}
            state.save()
            if errors:
                raise NetworkError(f"{len(errors)} download(s) failed; rerun to resume: {errors[0]}")
    for folder in folders:  # only what is on disk counts as present
        folder.names = {n for n in folder.names if (folder.local / n).is_file()}
    return count, done_bytes, reused


def audit(folders: list[Folder], engine: Engine, state: State | None, *, jobs: int = 4,
          refresh: bool = False, remote: bool = False,
          progress: Callable[[str, int], Any] | None = None) -> ReleaseAuditResult:
    """Verify every in-scope artifact of ``folders`` (fetching remote ones first), reusing cached verdicts."""
    wanted: dict[int, list[str]] = {}
    for i, folder in enumerate(folders):
        names: list[str] = []
        for art in artifacts_of(folder, engine):
            names.append(art)
            names.extend(material_names(art, folder.names))
        wanted[i] = names
    downloaded = downloaded_bytes = reused_files = 0
    if remote:
        assert state is not None
        total = sum(len(v) for v in wanted.values())
        advance = progress("downloading", total) if progress else None
        downloaded, downloaded_bytes, reused_files = fetch(folders, wanted, state, jobs=jobs, refresh=refresh,
                                                           progress=advance)
    fingerprint = options_fingerprint(engine) if state is not None else ""
    arts = [(folder, name) for folder in folders for name in artifacts_of(folder, engine)]
    advance = progress("verifying", len(arts)) if progress else None
    verdicts: list[Verdict] = []
    verified = reused_verdicts = 0
    for folder, name in arts:
        path = folder.local / name
        label = f"{folder.version}/{name}" if folder.version else name
        key = None
        if state is not None:
            stamps = [_stamp(path)] + [_stamp(folder.local / m) for m in material_names(name, folder.names)]
            key = hashlib.sha256(json.dumps([fingerprint, label, stamps]).encode()).hexdigest()
            cached = state.verdicts.get(key)
            if cached is not None:
                verdicts.append(Verdict.from_json(cached))
                reused_verdicts += 1
                if advance:
                    advance(1)
                continue
        verdict = engine.verify_safely(Artifact(label, path), version=folder.version, names=folder.names)
        verdicts.append(verdict)
        verified += 1
        if state is not None and key is not None:
            state.verdicts[key] = verdict.to_json()
        if advance:
            advance(1)
    if state is not None:
        state.save()
    return ReleaseAuditResult(tuple(verdicts), downloaded, downloaded_bytes, reused_files, verified,
                              reused_verdicts, tuple(out_of_scope(folders, engine)))


def out_of_scope(folders: list[Folder], engine: Engine) -> list[str]:
    """Files (not material) that the policy's ``artifacts`` globs do not cover, as ``version/name``."""
    policy = engine.options.policy
    if policy is None:
        return []
    return [f"{f.version}/{n}" if f.version else n for f in folders for n in sorted(f.names)
            if not discover.is_material(n) and not policy.covers(n)]


def require_in_scope(where: str, folders: list[Folder], engine: Engine, *,
                     versions: SpecifierSet | None = None) -> None:
    """Refuse, in plain words, a run with nothing to verify (exit 3), before any download.

    Nothing at all; only signature files; or files that the policy's ``artifacts``
    globs do not cover (then say so, naming the globs and a few of the files).
    """
    if not folders:
        if versions is not None:
            raise IncompleteError(f"{where}: no version matches --versions {versions}")
        raise IncompleteError(f"{where}: nothing to check (no files)")
    if any(artifacts_of(f, engine) for f in folders):
        return
    outside = out_of_scope(folders, engine)
    policy = engine.options.policy
    if outside and policy is not None:
        shown = ", ".join(outside[:3]) + (f" and {len(outside) - 3} more" if len(outside) > 3 else "")
        raise IncompleteError(
            f"{where}: the policy {policy.name!r} covers none of the {len(outside)} file(s) here: its "
            f"artifacts globs {', '.join(policy.artifacts)} match none of {shown} "
            "(use the policy written for these files, or list their patterns in [policy] artifacts)")
    raise IncompleteError(f"{where}: no artifact to check (only signature files, or nothing)")


# ----------------------------------------------------------------------------- library entry points

PYPI_SIMPLE = "https://pypi.org/simple/"
PYPI_INTEGRITY = "https://pypi.org/integrity/"


def audit_release(source: str, engine: Engine, *, cache_root: Path | None = None,
                  versions: SpecifierSet | None = None, jobs: int = 4, refresh: bool = False,
                  index_url: str = PYPI_SIMPLE, integrity_url: str = PYPI_INTEGRITY,
                  progress: Callable[[str, int], Any] | None = None) -> ReleaseAuditResult:
    """Audit every release artifact of ``source`` against ``engine``'s policy.

    ``source``: an HTTP directory index laid out like python.org/ftp/python/ (a folder
    per version), a local mirror of one, or ``pypi:PROJECT``. Downloads go to a cache
    under ``cache_root`` (default :func:`default_cache`) that also remembers verdicts,
    so a rerun downloads nothing complete and verifies only what changed.
    ``progress(description, total)`` returns ``advance(n)`` for each phase.
    """
    kind, where = parse_source(source)
    root = cache_root or default_cache()
    cache = cache_dir_for(root, source if kind != "local" else str(Path(where).resolve()))
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{cache}: cannot create the cache folder ({exc.strerror or exc}); "
                         "choose another with --cache") from None
    state = State.load(cache)
    if kind == "local":
        folders = local_folders(Path(where), versions)
    elif kind == "http":
        folders = http_folders(where, cache, versions, jobs=jobs)
    else:
        folders = pypi_folders(where, cache, index_url=index_url, integrity_url=integrity_url,
                               versions=versions)
    require_in_scope(source, folders, engine, versions=versions)
    return audit(folders, engine, state, jobs=jobs, refresh=refresh, remote=kind != "local",
                 progress=progress)


def check_release(directory: Path, engine: Engine, *, version: str | None = None,
                  progress: Callable[[str, int], Any] | None = None) -> ReleaseAuditResult:
    """The gate before publishing: a verdict for every artifact in ``directory`` the policy covers.

    Files outside the policy's ``artifacts`` globs are listed in ``out_of_scope``;
    a folder with nothing to check raises :class:`~assay.errors.IncompleteError`.
    """
    if not directory.is_dir():
        raise InputError(f"{directory}: no such folder")
    folders = local_folders(directory)
    require_in_scope(str(directory), folders, engine)
    arts = [(f, n) for f in folders for n in artifacts_of(f, engine)]
    advance = progress("checking", len(arts)) if progress else None
    verdicts: list[Verdict] = []
    for folder, name in arts:
        label = f"{folder.version}/{name}" if folder.version else name
        verdicts.append(engine.verify_safely(Artifact(label, folder.local / name),
                                             version=version or folder.version, names=folder.names))
        if advance:
            advance(1)
    return ReleaseAuditResult(tuple(verdicts), verified=len(verdicts),
                              out_of_scope=tuple(out_of_scope(folders, engine)))


def parse_source(source: str) -> tuple[str, str]:
    """('pypi', project) | ('http', url) | ('local', path)."""
    if source.startswith("pypi:"):
        project = source[5:].strip()
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", project):
            raise InputError(f"{source}: not a PyPI project name")
        return "pypi", project
    m = re.fullmatch(r"https?://pypi\.org/project/([^/]+)/?", source)
    if m:
        return "pypi", m.group(1)
    if source.startswith(("http://", "https://")):
        return "http", source
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such folder (or give an http(s) URL, or pypi:PROJECT)")
    return "local", source


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "assay" / "release-audit"


def cache_dir_for(root: Path, source: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", source)[:60].strip("_")
    return root / f"{slug}-{hashlib.sha256(source.encode()).hexdigest()[:12]}"


