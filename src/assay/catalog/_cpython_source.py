"""How :mod:`assay.catalog.cpython_source` reads a CPython source tarball or tree (imported
only when one is catalogued: the registry imports the cataloger module for every input).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from assay.catalog.base import Catalogue
from assay.data import read_text
from assay.errors import InputError
from assay.identity.cpe import cpe23, python_cpe
from assay.identity.purl import generic_purl, purl, pypi_purl
from assay.model import Component, Evidence, Graph, Hash, Kind, License, RelType, make_id
from assay.sources.base import Resolver

FOUND_BY = "cpython-source"
_PY_VERSION = re.compile(rb'#\s*define\s+PY_VERSION\s+"([^"]+)"')
# where vendored code lives (test data is not catalogued)
_SCAN_ROOTS = ("Modules/", "Lib/", "Include/", "Objects/", "Python/", "Parser/")
_SKIP = ("Lib/test/", "Lib/idlelib/idle_test/", "Lib/tkinter/test/", "Lib/unittest/test/")
_LICENCE = re.compile(r"^(?:COPYING|LICEN[CS]E)(?:[._-].*)?$", re.I)
_README = re.compile(r"^README(?:[._-].*)?$", re.I)
# a README saying its folder's code comes from elsewhere, and the version it names
_BANNER = re.compile(rb"\b(?:comes?|taken|copied|extracted|imported|derived) from\b", re.I)
_BANNER_VERSION = re.compile(rb"\b[Tt]his is version (\d+(?:\.\d+)+)\b")
_REFRESH = re.compile(r"^(?:refresh|update|fetch)[\w.-]*\.sh$", re.I)
_PIN = re.compile(r'expected_(\w+?)_(?:rev|version)="?([0-9a-f]{40}|\d+(?:\.\d+)+)"?')
# generic version macros of a vendored header: NAME_VERSION "x.y.z" or MAJOR/MINOR/(MICRO|PATCH)
_MACRO_STR = re.compile(rb'#\s*define\s+(\w+?)_VERSION(?:_STRING)?\s+"(\d+\.\d+(?:\.\d+){0,2})"')
_MACRO_PARTS = re.compile(rb'#\s*define\s+(\w+?)_(?:VERSION_)?MAJOR(?:_VERSION)?\s+(\d+)\s+'
                          rb'#\s*define\s+\1_(?:VERSION_)?MINOR(?:_VERSION)?\s+(\d+)\s+'
                          rb'#\s*define\s+\1_(?:VERSION_)?(?:MICRO|PATCH|RELEASE)(?:_VERSION)?\s+(\d+)')
MAX_HEADER = 1 << 20


# -- the table ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Prover:
    file: str
    regex: re.Pattern[bytes]
    decode: str = ""
    proves: str = "version"  # version | pin


@dataclass(frozen=True, slots=True)
class Project:
    name: str
    kind: str  # native | python
    paths: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    cpe: str | None = None
    purl: str | None = None
    provers: tuple[Prover, ...] = ()

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.name, *self.aliases)}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()).removeprefix("lib")


@functools.cache
def projects() -> tuple[Project, ...]:
    import tomllib  # only when a CPython source is read (the registry imports this module)

    text = read_text("cpython", "vendored.toml")
    out = []
    for p in tomllib.loads(text)["project"]:
        provers = tuple(Prover(v["file"], re.compile(v["regex"].encode(), re.S), v.get("decode", ""),
                               v.get("proves", "version")) for v in p.get("version", ()))
        out.append(Project(p["name"], p.get("kind", "native"), tuple(p["paths"]), tuple(p.get("aliases", ())),
                           p.get("cpe"), p.get("purl"), provers))
    return tuple(out)


@functools.cache
def _prover_files() -> frozenset[str]:
    return frozenset(p.file for proj in projects() for p in proj.provers)


def decode_mimalloc(value: int) -> str:
    """MI_MALLOC_VERSION: 3 digits up to 2.2 (212 = 2.1.2), then 5 (20302 = 2.3.2)."""
    if value >= 10000:
        return f"{value // 10000}.{value // 100 % 100}.{value % 100}"
    return f"{value // 100}.{value // 10 % 10}.{value % 10}"


# -- recognising and reading the tree ----------------------------------------------------



class _Memory(Resolver):
    """The members read in one pass, for the readers that take a Resolver (nested wheels)."""

    def __init__(self, data: dict[str, bytes], description: str) -> None:
        self.data = data
        self.description = description

    def files(self) -> Iterator[str]:
        return iter(self.data)

    def open(self, path: str) -> BinaryIO:
        try:
            return io.BytesIO(self.data[path])
        except KeyError:
            raise FileNotFoundError(path) from None

    def size(self, path: str) -> int:
        try:
            return len(self.data[path])
        except KeyError:
            raise FileNotFoundError(path) from None


@dataclass(slots=True)
class _Tree:
    """The tree's file list, the members read, and digests of the members that may be listed."""

    files: list[str]  # relative to the tree's root, in archive order
    prefix: str = ""  # "Python-3.13.5/" in a tarball, "" in a folder
    resolver: Resolver | None = None  # a folder's; a tarball is streamed once instead
    data: dict[str, bytes] = field(default_factory=dict)
    digests: dict[tuple[str, str], str] = field(default_factory=dict)

    def load(self, wanted: set[str]) -> None:
        if self.resolver is None:
            return
        for rel in self.files:
            if rel in wanted and rel not in self.data:
                try:
                    self.data[rel] = self.resolver.read_bytes(self.prefix + rel)
                except (OSError, KeyError, InputError):
                    continue

    def get(self, rel: str) -> bytes | None:
        return self.data.get(rel)

    def digest(self, rel: str, alg: str) -> str | None:
        if (rel, alg) not in self.digests:
            data = self.data.get(rel)
            if data is None:
                self.load({rel})
                data = self.data.get(rel)
            if data is None:
                return None
            self.digests[(rel, alg)] = _file_digest(data, alg)
        return self.digests[(rel, alg)]

    def close(self) -> None:
        if self.resolver is not None:
            self.resolver.close()


def _keep(rel: str, size: int, header_names: set[str]) -> bool:
    """Whether a member is read for what it says (decided from its name and size alone)."""
    if rel in ("Include/patchlevel.h", "Misc/sbom.spdx.json") or rel in _prover_files():
        return True
    if rel.startswith("Lib/ensurepip/_bundled/") and rel.endswith(".whl"):
        return True
    if not _scanned(rel) or size > MAX_HEADER:
        return False
    base = posixpath.basename(rel)
    return rel.endswith((".h", ".sh")) or bool(_LICENCE.match(base) or _README.match(base)) \
        or base in header_names


def _stream_tarball(path: Path, header_names: set[str]) -> _Tree:
    """One pass over a (compressed) tarball: member names, the members worth reading, and the
    digests of every member under the folders an SBOM may list (seeking in an xz stream would
    decompress it again for every backward step)."""
    import tarfile
    import zlib

    from assay.sources.archive import DEFAULT_LIMITS
    from assay.sources.base import safe_relpath

    tree = _Tree(files=[])
    total = 0
    prefix: str | None = None
    try:
        with tarfile.open(path, "r|*") as tar:
            for member in tar:
                if not member.isreg():
                    continue  # links, devices: never followed
                name = safe_relpath(member.name, origin=str(path))
                if prefix is None:
                    prefix = name.split("/", 1)[0] + "/" if "/" in name else ""
                if not name.startswith(prefix):
                    continue
                rel = name[len(prefix):]
                tree.files.append(rel)
                if member.size > DEFAULT_LIMITS.max_member:
                    continue
                total += member.size
                if total > DEFAULT_LIMITS.max_total:
                    raise InputError(f"{path}: more than {DEFAULT_LIMITS.max_total} bytes uncompressed "
                                     "(decompression bomb?)")
                keep = _keep(rel, member.size, header_names)
                listed = rel.startswith(("Modules/", "Lib/", "Include/", "Objects/", "Python/", "Parser/")) \
                    and not rel.startswith(_SKIP)
                if not keep and not listed:
                    continue
                fh = tar.extractfile(member)
                if fh is None:
                    continue
                data = fh.read()
                if keep:
                    tree.data[rel] = data
                if listed:
                    tree.digests[(rel, "sha256")] = _file_digest(data, "sha256")
                    tree.digests[(rel, "sha1")] = _file_digest(data, "sha1")
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: corrupt or unreadable archive ({detail})") from None
    tree.prefix = prefix or ""
    return tree


_WALKED = ("Include", "Modules", "Lib", "Objects", "Python", "Parser", "Misc")


def _walk(root: Path) -> list[str]:
    """The files of a source tree's folders that can hold vendored code or the SBOM (a checkout's
    .git, build output and test data are not walked)."""
    out: list[str] = []
    stack = [(os.path.join(root, top), top) for top in _WALKED]
    while stack:
        folder, rel = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            sub = f"{rel}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if entry.name != ".git" and not (sub + "/").startswith(_SKIP):
                    stack.append((entry.path, sub))
            elif entry.is_file(follow_symlinks=False):
                out.append(sub)
    return sorted(out)


def _open_tree(path: Path) -> _Tree:
    from assay.enrich.bundled.rules import matcher
    from assay.sources.directory import DirectoryResolver

    if path.is_dir():
        resolver = DirectoryResolver(path)
        files = _walk(path)
        tree = _Tree(files=files, resolver=resolver)
        names = set(matcher().by_header)
        tree.load({f for f in files if _keep(f, resolver.size(f) if _scanned(f) else 0, names)})
    else:
        tree = _stream_tarball(path, set(matcher().by_header))
    if "Include/patchlevel.h" not in tree.data:
        tree.close()
        raise InputError(f"{path}: not a CPython source tree (no Include/patchlevel.h)")
    return tree


# -- evidence about one project ------------------------------------------------------------

@dataclass(slots=True)
class _Claim:
    version: str
    evidence: Evidence
    strength: str  # version (the project's own files) | pin (a refresh script) | declared (an SBOM)


@dataclass(slots=True)
class _Found:
    name: str
    kind: str
    paths: list[str]
    project: Project | None = None
    claims: list[_Claim] = field(default_factory=list)
    presence: list[Evidence] = field(default_factory=list)
    sbom_package: dict[str, Any] | None = None

    def names(self) -> set[str]:
        return self.project.names() if self.project else {_norm(self.name)}


def _under(rel: str, folder: str) -> bool:
    return rel == folder or rel.startswith(folder.rstrip("/") + "/")


def _scanned(rel: str) -> bool:
    return rel.startswith(_SCAN_ROOTS) and not rel.startswith(_SKIP)


def _prove(tree: _Tree, prover: Prover) -> _Claim | None:
    data = tree.get(prover.file)
    if data is None:
        return None
    m = prover.regex.search(data[:MAX_HEADER])
    if not m:
        return None
    parts = [g.decode("latin-1") for g in m.groups() if g is not None]
    version = decode_mimalloc(int(parts[0])) if prover.decode == "mimalloc" else ".".join(parts)
    shown = " ".join(m.group().decode("latin-1").split())
    kind = "refresh-script" if prover.proves == "pin" else "source-header"
    detail = f"{shown} (the version the refresh script fetched)" if prover.proves == "pin" else shown
    return _Claim(version, Evidence(kind, prover.file, detail, "version"), prover.proves)


# -- the catalogue ---------------------------------------------------------------------------

def catalog_source(path: Path | str) -> Catalogue:
    path = Path(path)
    tree = _open_tree(path)
    try:
        return _catalog(path, tree)
    finally:
        tree.close()


def _catalog(path: Path, tree: _Tree) -> Catalogue:
    from assay.enrich.bundled.rules import matcher

    m = matcher()
    file_set = set(tree.files)
    wheels = [f for f in tree.files if f.startswith("Lib/ensurepip/_bundled/") and f.endswith(".whl")]
    tree.load({p.file for proj in projects() for p in proj.provers})
    sbom_doc, sbom_files = None, {}
    raw_sbom = tree.get("Misc/sbom.spdx.json")
    if raw_sbom is not None:
        try:
            sbom_doc = json.loads(raw_sbom)
            sbom_files = {f["fileName"]: f for f in sbom_doc.get("files") or () if isinstance(f, dict)
                          and isinstance(f.get("fileName"), str)}
        except (ValueError, AttributeError):
            sbom_doc = None

    version, version_ev = _cpython_version(path, tree)
    graph = Graph(metadata={"target": str(path), "target_kind": "cpython-source", "python_version": version})
    notes: list[str] = []
    root = _root(path, tree, version, version_ev)
    graph.add(root)
    graph.root = root.id

    found = _find_projects(tree, sbom_doc, m)
    unknowns: list[tuple[str, str, str]] = []
    for item in found:
        comp = _component(item, root.id, notes, unknowns, has_sbom=sbom_doc is not None)
        graph.add(comp)
        graph.relate(root.id, comp.id, RelType.CONTAINS)
    if sbom_doc is not None:
        _check_hashes(tree, sbom_files, file_set, graph, notes)
    elif raw_sbom is None:
        graph.metadata["cpython_sbom"] = "absent"
    else:
        graph.unknown("Misc/sbom.spdx.json", "unreadable-sbom", "not valid JSON")

    # ensurepip's wheels: pip, and what pip vendors (vendor.txt and in-file versions)
    if wheels:
        from assay.enrich.bundled import scan_tree

        memory = _Memory({w: tree.data[w] for w in wheels if w in tree.data}, str(path))
        scan_tree(memory, graph, root.id, paths=list(memory.data))
    for subject, reason, detail in unknowns:
        graph.unknown(subject, reason, detail)
    return Catalogue(graph, "cpython-source", notes=notes)


def _cpython_version(path: Path, tree: _Tree) -> tuple[str, Evidence]:
    data = tree.get("Include/patchlevel.h") or b""
    m = _PY_VERSION.search(data)
    if not m:
        raise InputError(f"{path}: Include/patchlevel.h has no PY_VERSION")
    version = m.group(1).decode("latin-1")
    return version, Evidence("source-header", f"{tree.prefix}Include/patchlevel.h",
                             f'#define PY_VERSION "{version}"', "version")


def _root(path: Path, tree: _Tree, version: str, version_ev: Evidence) -> Component:
    evidence = [version_ev]
    hashes: tuple[Hash, ...] = ()
    props = [("assay:artifact-kind", "cpython-source")]
    download = None
    if path.is_file():
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        hashes = (Hash("sha256", h.hexdigest()),)
        evidence.append(Evidence("file", str(path), f"sha256:{hashes[0].value}", "integrity"))
        props.append(("assay:artifact", path.name))
        from assay.catalog.cpython_source import _TARBALL

        tm = _TARBALL.match(path.name)
        if tm:
            release = re.match(r"\d+\.\d+\.\d+", tm.group(1)).group()  # type: ignore[union-attr]
            download = f"https://www.python.org/ftp/python/{release}/{path.name}"
    else:
        props.append(("assay:path", str(path)))
    return Component(
        id=make_id(Kind.INTERPRETER, "cpython", version, "source", path.name),
        kind=Kind.INTERPRETER, name="cpython", version=version, purl=generic_purl("cpython", version),
        cpes=(python_cpe(version),), hashes=hashes, license=License("PSF-2.0", None, "known"),
        supplier="Python Software Foundation", homepage="https://www.python.org/",
        download_location=download or "https://www.python.org/downloads/source/",
        description="CPython source code", evidence=tuple(evidence), found_by=FOUND_BY,
        properties=tuple(sorted(props)))


def _sbom_packages(doc: dict[str, Any]) -> list[tuple[dict[str, Any], list[str]]]:
    """(package, the files it CONTAINS) for every package of the tree's SBOM."""
    files = {f.get("SPDXID"): f.get("fileName") for f in doc.get("files") or () if isinstance(f, dict)}
    contains: dict[str, list[str]] = {}
    for rel in doc.get("relationships") or ():
        if isinstance(rel, dict) and rel.get("relationshipType") == "CONTAINS":
            name = files.get(rel.get("relatedSpdxElement"))
            if isinstance(name, str):
                contains.setdefault(str(rel.get("spdxElementId")), []).append(name)
    return [(p, sorted(contains.get(str(p.get("SPDXID")), []))) for p in doc.get("packages") or ()
            if isinstance(p, dict) and isinstance(p.get("name"), str)]


def _common_dirs(paths: list[str]) -> list[str]:
    """The fewest folders that hold ``paths`` (one per top-level area)."""
    groups: dict[str, list[str]] = {}
    for p in paths:
        parts = p.split("/")
        groups.setdefault("/".join(parts[:2]), []).append(posixpath.dirname(p))
    out = []
    for dirs in groups.values():
        common = posixpath.commonpath(dirs) if dirs else ""
        if common:
            out.append(common)
    return sorted(out)


def _find_projects(tree: _Tree, sbom_doc: dict[str, Any] | None, m) -> list[_Found]:
    found: list[_Found] = []
    files = tree.files
    file_set = set(files)

    def owner(rel: str) -> _Found | None:
        best = None
        for item in found:
            for p in item.paths:
                if _under(rel, p) and (best is None or len(p) > len(best[1])):
                    best = (item, p)
        return best[0] if best else None

    def by_name(name: str) -> _Found | None:
        n = _norm(name)
        return next((f for f in found if n in f.names()), None)

    # 1. the table: a project is there when one of its folders holds files
    folders: set[str] = set()
    for f in files:
        d = posixpath.dirname(f)
        while d and d not in folders:
            folders.add(d)
            d = posixpath.dirname(d)
    for proj in projects():
        present = [p for p in proj.paths if p in folders]
        if not present:
            continue
        item = _Found(proj.name, proj.kind, present, proj)
        prefixes = tuple(p + "/" for p in present)
        n = sum(1 for f in files if f.startswith(prefixes))
        item.presence.append(Evidence("source-tree", present[0], f"{n} files under {', '.join(present)}",
                                      "presence"))
        for prover in proj.provers:
            claim = _prove(tree, prover)
            if claim is not None:
                item.claims.append(claim)
        found.append(item)

    # 2. the official SBOM's packages (and the folders of their files)
    if sbom_doc is not None:
        for package, pfiles in _sbom_packages(sbom_doc):
            item = by_name(package["name"])
            if item is None:
                present = [f for f in pfiles if f in file_set]
                if pfiles and not present:
                    continue  # listed, but none of its files is here: the missing files are reported
                dirs = _common_dirs(present)
                item = _Found(package["name"], "native", dirs or [])
                if dirs:
                    item.presence.append(Evidence("cpython-sbom", "Misc/sbom.spdx.json",
                                                  f"package {package['name']} lists {len(pfiles)} files",
                                                  "presence"))
                found.append(item)
            item.sbom_package = package

    # 3. third-party licence files: a folder with its own COPYING/LICENSE is a vendored project
    for rel in files:
        if not _scanned(rel) or not _LICENCE.match(posixpath.basename(rel)):
            continue
        folder = posixpath.dirname(rel)
        if owner(rel) is None and folder:
            item = _Found(posixpath.basename(folder), "python" if folder.startswith("Lib/") else "native",
                          [folder])
            item.presence.append(Evidence("licence-file", rel, "a third-party licence file", "presence"))
            found.append(item)
        else:
            item = owner(rel)
            if item is not None:
                item.presence.append(Evidence("licence-file", rel, "the project's licence file", "presence"))

    # 3b. README banners: "the files in this directory come from ..." (and "this is version X")
    for rel in files:
        if not _scanned(rel) or not _README.match(posixpath.basename(rel)):
            continue
        head = (tree.get(rel) or b"")[:4096]
        if not _BANNER.search(head):
            continue
        folder = posixpath.dirname(rel)
        item = owner(rel)
        if item is None:
            if not folder or any(p.startswith(folder + "/") for f in found for p in f.paths):
                continue  # the folder holds a known project below it: the README is about that
            item = _Found(posixpath.basename(folder), "python" if folder.startswith("Lib/") else "native",
                          [folder])
            found.append(item)
        item.presence.append(Evidence("readme", rel, " ".join(_BANNER.search(head).group().decode().split())
                                      + " (a README says the code comes from elsewhere)", "presence"))
        vm = _BANNER_VERSION.search(head)
        if vm and not any(c.evidence.location == rel for c in item.claims):
            item.claims.append(_Claim(vm.group(1).decode(), Evidence("readme", rel, vm.group().decode(),
                                                                     "version"), "version"))

    # 4. refresh scripts' pins, in the folder of the project they refresh
    for rel in files:
        if not _scanned(rel) or not _REFRESH.match(posixpath.basename(rel)):
            continue
        data = tree.get(rel) or b""
        for pm in _PIN.finditer(data.decode("latin-1")):
            item = owner(rel) or by_name(pm.group(1))
            if item is None:
                continue
            ev = Evidence("refresh-script", rel, f"{pm.group()} (the version the refresh script fetched)",
                          "version")
            if not any(c.evidence.location == rel and c.version == pm.group(2) for c in item.claims):
                item.claims.append(_Claim(pm.group(2), ev, "pin"))

    # 5. headers: the bundled-library table's, and generic version macros in vendored folders
    for rel in files:
        if not _scanned(rel):
            continue
        base = posixpath.basename(rel)
        item = owner(rel)
        data = tree.get(rel)
        if data is None:
            continue
        if base in m.by_header:
            for lib, header in m.by_header[base]:
                hm = header.regex.search(data[:MAX_HEADER])
                if not hm:
                    continue
                version = _header_version(hm, header)
                if not version:
                    continue
                target = item or by_name(lib.name)
                if target is None:
                    target = _Found(lib.name, "native", [posixpath.dirname(rel)])
                    found.append(target)
                if _norm(lib.name) not in target.names() and target.project is not None:
                    continue  # another library's header shipped inside this project
                ev = Evidence("source-header", rel, " ".join(hm.group().decode("latin-1").split()), "version")
                if not any(c.evidence.location == rel for c in target.claims):
                    target.claims.append(_Claim(version, ev, "version"))
        elif rel.endswith(".h") and item is not None and item.project is None:
            for mm in (*_MACRO_STR.finditer(data[:MAX_HEADER]), *_MACRO_PARTS.finditer(data[:MAX_HEADER])):
                version = ".".join(g.decode() for g in mm.groups()[1:])
                ev = Evidence("source-header", rel, " ".join(mm.group().decode("latin-1").split()), "version")
                item.claims.append(_Claim(version, ev, "version"))
    return found


def _header_version(hm: re.Match[bytes], header) -> str | None:
    from assay.enrich.bundled.decode import format_int

    parts = [g.decode("latin-1") for g in hm.groups() if g is not None]
    if header.fields and len(parts) == 1:
        try:
            return format_int(int(parts[0], 0), list(header.fields))
        except ValueError:
            return None
    return ".".join(parts) or None


def _declared(item: _Found) -> tuple[str | None, Evidence | None]:
    pkg = item.sbom_package
    if not pkg:
        return None, None
    v = pkg.get("versionInfo")
    if not isinstance(v, str) or not v:
        return None, None
    return v, Evidence("cpython-sbom", "Misc/sbom.spdx.json",
                       f"package {pkg.get('name')} versionInfo {v}", "version")


_SOURCES = {"files": "the project's own files", "pin": "the refresh script's pin",
            "declared": "Misc/sbom.spdx.json only (the files carry no version)"}


def _component(item: _Found, parent_id: str, notes: list[str], unknowns: list[tuple[str, str, str]], *,
               has_sbom: bool) -> Component:
    proven = [c for c in item.claims if c.strength == "version"]
    pins = [c for c in item.claims if c.strength == "pin"]
    declared, declared_ev = _declared(item)
    props: list[tuple[str, str]] = [("assay:linkage", "source"), ("assay:path", ", ".join(item.paths))]
    evidence = list(item.presence)
    version: str | None = None
    source = ""
    conflict = ""
    distinct = sorted({c.version for c in proven})
    if len(distinct) > 1:
        conflict = "; ".join(f"{c.evidence.location} says {c.version}" for c in proven)
    elif distinct:
        version, source = distinct[0], "files"
    elif len({c.version for c in pins}) == 1:
        version, source = pins[0].version, "pin"
    elif len({c.version for c in pins}) > 1:
        conflict = "; ".join(f"{c.evidence.location} pins {c.version}" for c in pins)
    elif declared:
        version, source = declared, "declared"
    # a claim that disagrees with the chosen version stays as evidence, but proves nothing
    evidence += [c.evidence if c.version == version else replace(c.evidence, proves="claim")
                 for c in item.claims]
    if declared_ev is not None:
        evidence.append(declared_ev if declared == version else replace(declared_ev, proves="claim"))
        props.append(("assay:cpython-sbom.version", declared or ""))
    if source:
        props.append(("assay:version-source", _SOURCES[source]))
    kind = Kind.VENDORED_PACKAGE if item.kind == "python" else Kind.NATIVE_LIBRARY
    proj = item.project
    cpe = cpe23(*proj.cpe.split(":", 1), version) if proj and proj.cpe and version else None
    if cpe is None and kind is Kind.NATIVE_LIBRARY and version and not proj:
        cpe = _cpe_from_sbom(item, version)
    if proj and proj.purl:
        ptype, _, pname = proj.purl.partition("/")
        ns, _, leaf = pname.rpartition("/")
        the_purl = pypi_purl(leaf, version) if ptype == "pypi" else \
            purl(ptype, leaf, version, namespace=ns or None)
    elif kind is Kind.VENDORED_PACKAGE:
        the_purl = pypi_purl(item.name, version)
    else:
        the_purl = generic_purl(item.name, version)
    comp = Component(
        id=make_id(kind, item.name, version, parent_id, item.paths[0] if item.paths else ""),
        kind=kind, name=item.name, version=version, purl=the_purl, cpes=(cpe,) if cpe else (),
        evidence=tuple(dict.fromkeys(evidence)), found_by=FOUND_BY, supplier=None,
        description=f"vendored in CPython's source tree ({', '.join(item.paths) or 'location unknown'})",
        properties=tuple(sorted(props)))
    if conflict:
        unknowns.append((comp.id, "conflicting-versions", f"{item.name}: {conflict}"))
    elif version is None:
        unknowns.append((comp.id, "unknown-version", f"{item.name} ({', '.join(item.paths)}): no version "
                         "its files prove and none declared"))
    # the official SBOM against the files
    if declared and source in ("files", "pin") and version != declared:
        where = next((c.evidence.location for c in item.claims if c.version == version), "its files")
        msg = (f"Misc/sbom.spdx.json says {item.name} {declared}, but {where} is {version}: "
               "the official SBOM has the wrong version")
        notes.append(msg)
        unknowns.append((comp.id, "cpython-sbom-wrong-version", msg))
    if has_sbom and item.sbom_package is None:
        msg = f"Misc/sbom.spdx.json omits {item.name}, vendored in {', '.join(item.paths)}"
        notes.append(msg)
        unknowns.append((comp.id, "cpython-sbom-omits", msg))
    if source == "files" and pins and any(p.version != version for p in pins):
        msg = (f"{item.name}: {pins[0].evidence.location} pins {pins[0].version} but the files are {version}")
        notes.append(msg)
        unknowns.append((comp.id, "refresh-pin-mismatch", msg))
    return comp


def _cpe_from_sbom(item: _Found, version: str) -> str | None:
    """The official SBOM's CPE vendor:product for a project the table does not know."""
    for ref in (item.sbom_package or {}).get("externalRefs") or ():
        loc = ref.get("referenceLocator") if isinstance(ref, dict) else None
        if isinstance(loc, str) and loc.startswith("cpe:2.3:"):
            parts = loc.split(":")
            if len(parts) > 5:
                return cpe23(parts[3], parts[4], version)
    return None


def _file_digest(data: bytes, alg: str) -> str:
    if b"\x00" not in data:  # as generate_sbom.py hashes text files
        data = data.replace(b"\r\n", b"\n")
    return hashlib.new(alg, data).hexdigest()


def _check_hashes(tree: _Tree, sbom_files: dict[str, dict[str, Any]], file_set: set[str], graph: Graph,
                  notes: list[str]) -> None:
    bad: list[str] = []
    missing: list[str] = []
    checked = 0
    for name, entry in sorted(sbom_files.items()):
        if name not in file_set:
            missing.append(name)
            graph.unknown(name, "cpython-sbom-missing-file",
                          "Misc/sbom.spdx.json lists it; the tree has no such file")
            continue
        sums = {str(c.get("algorithm", "")).lower().replace("-", ""): str(c.get("checksumValue", "")).lower()
                for c in entry.get("checksums") or () if isinstance(c, dict)}
        alg = "sha256" if "sha256" in sums else "sha1" if "sha1" in sums else None
        if alg is None:
            continue
        actual = tree.digest(name, alg)
        if actual is None:
            continue
        checked += 1
        if actual != sums[alg]:
            bad.append(name)
            graph.unknown(name, "cpython-sbom-hash-mismatch",
                          f"Misc/sbom.spdx.json says {alg}:{sums[alg]}, the file is {alg}:{actual}")
    graph.metadata["cpython_sbom_files_checked"] = str(checked)
    if bad:
        notes.append(f"Misc/sbom.spdx.json: {len(bad)} file(s) differ from their listed hash "
                     f"({', '.join(bad[:3])}{', ...' if len(bad) > 3 else ''})")
    if missing:
        notes.append(f"Misc/sbom.spdx.json: {len(missing)} listed file(s) are not in the tree "
                     f"({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''})")


__all__ = ["catalog_source", "decode_mimalloc", "projects"]
