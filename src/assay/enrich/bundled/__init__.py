"""What distributions carry inside: native libraries, vendored Python projects, JS libraries, PEP 770 SBOMs.

Entry points:
- :func:`scan_tree` adds what a Resolver's files contain to a graph, as components
  CONTAINed by ``parent_id`` (used for wheels, sdists, folders);
- :func:`enrich_installed` does the same for every installed distribution of an
  environment graph, reading the files its RECORD lists.

Every member is read as bytes and classified; nothing is imported or executed.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from packaging.utils import canonicalize_name

from assay.enrich.bundled import pep770, vendored
from assay.enrich.bundled.binary import sniff
from assay.enrich.bundled.native import BinaryScan, Detection, scan_binary
from assay.enrich.bundled.rules import Library, LibraryMatcher, file_key, matcher
from assay.errors import InputError
from assay.identity.purl import distro_purl
from assay.identity.versions import split_distro
from assay.model import Component, Evidence, Graph, Kind, RelType, make_id
from assay.sources.archive import DecompressionBomb
from assay.sources.base import Buffer, Resolver, safe_relpath
from assay.sources.layout import InstalledLayout

_BINARY_NAME = re.compile(r"\.(?:so(?:\.[0-9][0-9a-z.]*)?|dylib|dll|pyd|exe|bundle)$", re.I)
_TEXT_SUFFIX = re.compile(
    r"\.(?:py|pyi|pyc|pyx|pxd|c|h|cc|cpp|hpp|txt|md|rst|json|toml|cfg|ini|yaml|yml|html|css|js|map|svg|"
    r"png|jpg|jpeg|gif|ico|ttf|otf|woff2?|pem|typed|csv|xml|xsl|xsd|dtd|mo|po|tcl|afm|pfb|dat|npy|npz|"
    r"zip|gz|whl|a|lib|pdb|def|exp|ipynb|sh|bat|ps1|fish|csh|cmake|pc|in|mako|jinja|j2|rb|pl|pm|"
    r"license|record|metadata|wheel)$", re.I)
_JS = re.compile(r"\.m?js$", re.I)
_JS_HEAD = 16384  # banners are at the top; a few keep the version near it
MAX_NESTED = 2


@dataclass(slots=True)
class ScanStats:
    members: int = 0
    binaries: int = 0
    bytes_scanned: int = 0
    components: list[str] = field(default_factory=list)


# a binary at least this large is inflated ahead on another thread; a smaller one inflates in less
# time than the two threads would spend handing the interpreter's lock back and forth
PREFETCH_BYTES = 1 << 20
# at most this many binaries are held inflated ahead of the one being read, by two threads: while
# the scan waits for a binary one thread inflates, the other inflates the next (measured on the
# bench wheel set: one thread saved about 5%, two about 12%)
PREFETCH_AHEAD = 4
PREFETCH_THREADS = 2


class _Prefetch:
    """Inflates a wheel's large binaries on two threads, in the order the scan reads them and a few
    ahead of it, while the scan reads the others. Inflating (zlib) runs without the GIL, so a
    wheel's inflation overlaps its scan, which is Python and regex work. Only where the resolver's
    members can be read from two threads (zip archives, folders), on a machine with more than one
    core; ``ASSAY_PREFETCH=0`` turns it off (the benchmark times both ways)."""

    def __init__(self, resolver: Resolver, planned: list[str]) -> None:
        self.resolver = resolver
        on = (resolver.concurrent_reads and (os.cpu_count() or 1) > 1
              and os.environ.get("ASSAY_PREFETCH", "1") != "0")
        self.planned = planned if on and len(planned) > 1 else []  # one binary: nothing to overlap
        self.next = 0  # the next planned binary to hand to the thread
        self.pool: ThreadPoolExecutor | None = None
        self.pending: dict[str, Future[tuple[AbstractContextManager[Buffer], Buffer]]] = {}

    def _open(self, path: str) -> tuple[AbstractContextManager[Buffer], Buffer]:
        ctx = self.resolver.buffer(path)
        return ctx, ctx.__enter__()

    def _fill(self) -> None:
        while self.next < len(self.planned) and len(self.pending) < PREFETCH_AHEAD:
            if self.pool is None:
                self.pool = ThreadPoolExecutor(PREFETCH_THREADS, thread_name_prefix="assay-inflate")
            path = self.planned[self.next]
            self.next += 1
            self.pending[path] = self.pool.submit(self._open, path)

    @contextmanager
    def buffer(self, path: str) -> Iterator[Buffer]:
        """``path``'s bytes (as :meth:`Resolver.buffer`), inflated ahead when it was planned."""
        self._fill()
        ahead = self.pending.pop(path, None)
        ctx, data = ahead.result() if ahead is not None else self._open(path)
        self._fill()
        try:
            yield data
        finally:
            ctx.__exit__(None, None, None)

    def __enter__(self) -> _Prefetch:
        self._fill()  # the first large binaries inflate while the small members before them are read
        return self

    def __exit__(self, *exc: object) -> None:
        self.next = len(self.planned)
        for ahead in self.pending.values():  # read ahead but not used (the scan stopped early)
            try:
                ctx, _data = ahead.result()
            except (InputError, OSError, KeyError):
                continue  # its error belongs to a member the scan did not reach
            ctx.__exit__(None, None, None)
        self.pending.clear()
        if self.pool is not None:
            self.pool.shutdown()


def _is_binary_candidate(path: str, head: Callable[[], bytes] | None) -> bool:
    base = path.rsplit("/", 1)[-1]
    if _BINARY_NAME.search(base):
        return True
    if _TEXT_SUFFIX.search(base):
        return False
    if head is None:
        return False
    return sniff(head()) is not None


def scan_tree(resolver: Resolver, graph: Graph, parent_id: str, *, paths: Iterable[str] | None = None,
              location_prefix: str = "", depth: int = 0, sources: bool = False) -> ScanStats:
    """Add the bundled components of ``paths`` (default: every file) under ``parent_id``.

    ``sources``: also read vendored C sources' headers (sdists, source folders). Off for
    built artifacts, whose shipped headers describe the compiled library already found."""
    m = matcher()
    stats = ScanStats()
    parent = graph.components.get(parent_id)
    exclude = frozenset({_norm(parent.name)} if parent is not None and parent.name else ())
    deferred: list[tuple[Detection, BinaryScan]] = []  # static copies, added once every file is read
    files = list(paths if paths is not None else resolver.files())
    stats.members = len(files)
    binaries: list[BinaryScan] = []
    comp_of_file: dict[str, list[str]] = {}
    claimed: list[pep770.Claimed] = []

    def loc(path: str) -> str:
        return f"{location_prefix}{path}"

    def head_of(path: str) -> Callable[[], bytes]:
        return lambda: resolver.read_head(path, 8)

    kinds: dict[int, str | None] = {}

    def kind(i: int) -> str | None:
        """What files[i] is to this scan (decided once: a binary's head is read to decide)."""
        if i not in kinds:
            path = files[i]
            base = path.rsplit("/", 1)[-1]
            if _JS.search(base):
                kinds[i] = "js"
            elif pep770.is_sbom_path(path):
                kinds[i] = "sbom"
            elif sources and base in m.by_header:
                kinds[i] = "header"
            elif base.endswith(".whl") and depth < MAX_NESTED:
                kinds[i] = "wheel"
            else:
                try:
                    binary = _is_binary_candidate(path, None if resolver.size(path) < 64 else head_of(path))
                except (OSError, KeyError):
                    binary = True  # read as a binary, where the error is reported for the file
                kinds[i] = "binary" if binary else None
        return kinds[i]

    def planned() -> list[str]:
        """The binaries large enough to be worth inflating on other threads, in scan order."""
        if not resolver.concurrent_reads or os.environ.get("ASSAY_PREFETCH", "1") == "0":
            return []
        out = []
        for i, path in enumerate(files):
            try:
                large = resolver.size(path) >= PREFETCH_BYTES
            except (OSError, KeyError):
                continue
            if large and kind(i) == "binary":
                out.append(path)
        return out

    with _Prefetch(resolver, planned()) as prefetch:
        for i, path in enumerate(files):
            base = path.rsplit("/", 1)[-1]
            try:
                what = kind(i)
                if what == "js":
                    _scan_js(resolver, path, graph, parent_id, loc(path), m)
                    continue
                if what == "sbom":
                    items, error = pep770.read_sbom(loc(path), resolver.read_bytes(path))
                    if error:
                        graph.unknown(loc(path), "unreadable-sbom", error)
                    claimed.extend(items)
                    continue
                if what == "header":
                    for comp in _scan_header(resolver, path, parent_id, loc(path), m):
                        graph.add(comp)
                        graph.relate(parent_id, comp.id, RelType.CONTAINS)
                        stats.components.append(comp.id)
                    continue
                if what == "wheel":
                    _scan_nested_wheel(resolver, path, graph, parent_id, loc(path), depth)
                    continue
                if what != "binary":
                    continue
                # a large member is memory-mapped (spooled from an archive), never held whole;
                # large binaries are inflated ahead on other threads while this one is read
                with prefetch.buffer(path) as data:
                    stats.binaries += 1
                    stats.bytes_scanned += len(data)
                    result = scan_binary(loc(path), data, m, exclude=exclude)
                    if result is not None:
                        result.info.release()  # keep the summary, not the bytes
            except (OSError, KeyError) as exc:
                graph.unknown(loc(path), "unreadable-member", str(exc))
                continue
            except DecompressionBomb as exc:
                graph.unknown(loc(path), "skipped-member", exc.message)  # the rest is still scanned
                continue
            if result is None:
                continue
            binaries.append(result)
            if result.own is None and file_key(base) is not None:
                graph.unknown(loc(path), "unidentified-library",
                              f"{base}: a shared library that no name, version function, build path "
                              "or note identifies")
            for det in result.detections:
                if det.library is not result.own:
                    deferred.append((det, result))
                    continue
                comp = _native_component(det.library, det.version, parent_id, loc(path), result,
                                         tuple(det.evidence))
                graph.add(comp)
                graph.relate(parent_id, comp.id, RelType.CONTAINS)
                stats.components.append(comp.id)
                if det.library is result.own:
                    comp_of_file.setdefault(base, []).append(comp.id)
                    if result.info.soname:
                        comp_of_file.setdefault(result.info.soname.rsplit("/", 1)[-1], []).append(comp.id)
                if comp.version is None:
                    graph.unknown(comp.id, "unknown-version",
                                  f"{det.library.name} in {loc(path)}: no version the bytes prove")

    # static copies; one that only headers name is dropped when the library is a file of its own here
    own_names = {graph.components[c].name for ids in comp_of_file.values() for c in ids}
    for det, result in deferred:
        if det.library.name in own_names and all(e.kind in ("build-path-header", "symbol-prefix")
                                                 for e in det.evidence):
            continue
        comp = _native_component(det.library, det.version, parent_id, result.path, result,
                                 tuple(det.evidence))
        graph.add(comp)
        graph.relate(parent_id, comp.id, RelType.CONTAINS)
        stats.components.append(comp.id)
        if comp.version is None:
            graph.unknown(comp.id, "unknown-version",
                          f"{det.library.name} in {result.path}: no version the bytes prove")

    # bundled libraries linking bundled libraries
    for result in binaries:
        sources = [cid for d in result.detections if d.library is result.own
                   for cid in comp_of_file.get(result.path.rsplit("/", 1)[-1], [])]
        for needed in result.info.needed:
            for target in comp_of_file.get(needed.rsplit("/", 1)[-1], []):
                for source in sources:
                    if source != target:
                        graph.relate(source, target, RelType.DYNAMIC_LINK)

    # vendored Python projects
    for item in vendored.find_vendored(resolver.read_bytes, vendored.candidates(files)):
        comp = _with_vendored_license(_vendored_component(item, parent_id, location_prefix), item,
                                      resolver, files, location_prefix)
        graph.add(comp)
        graph.relate(parent_id, comp.id, RelType.CONTAINS)
        stats.components.append(comp.id)

    _one_per_library(graph, stats)
    _merge_claims(graph, parent_id, claimed, stats)
    return stats


def _library_key(comp: Component) -> tuple[str, str | None]:
    """What makes two detections one library: the CPE vendor:product (libwebp, libwebpmux and
    libwebpdemux are all webmproject:libwebp), else the name; and the version."""
    for cpe in comp.cpes:
        parts = cpe.split(":")
        if len(parts) > 4:
            return f"cpe:{parts[3]}:{parts[4]}", comp.version
    kind = comp.purl.split(":", 1)[-1].split("/", 1)[0]  # a Rust crate is never the C library of its name
    return f"name:{kind}:{comp.name.lower()}", comp.version


def _one_per_library(graph: Graph, stats: ScanStats) -> None:
    """One native library found in several files of one distribution (libwebp's libwebp,
    libwebpmux and libwebpdemux; OpenSSL's libssl and libcrypto) is one component, with every
    file as evidence, so its advisories are listed once. The component keeps the name that is
    the CPE product (libwebp), else the shortest."""
    groups: dict[tuple[str, str | None], list[Component]] = {}
    for cid in dict.fromkeys(stats.components):
        comp = graph.components.get(cid)
        if comp is not None and comp.kind is Kind.NATIVE_LIBRARY:
            groups.setdefault(_library_key(comp), []).append(comp)
    mapping: dict[str, str] = {}
    for (key, _version), comps in groups.items():
        if len(comps) < 2:
            continue
        product = key.rsplit(":", 1)[-1] if key.startswith("cpe:") else ""
        keep = min(comps, key=lambda c: (_norm(c.name) != _norm(product), len(c.name), c.name))
        evidence = list(keep.evidence)
        for other in comps:
            evidence.extend(e for e in other.evidence if e not in evidence)
        names = sorted({c.name for c in comps} - {keep.name})
        props = keep.properties + ((("assay:also-named", ", ".join(names)),) if names else ())
        graph.components[keep.id] = replace(keep, evidence=tuple(evidence), properties=tuple(sorted(props)))
        mapping.update({c.id: keep.id for c in comps if c.id != keep.id})
    if mapping:
        graph.redirect(mapping)
        stats.components = [mapping.get(cid, cid) for cid in stats.components]


def _native_component(lib: Library, version: str | None, parent_id: str, location: str,
                      result: BinaryScan, evidence: tuple[Evidence, ...]) -> Component:
    props = [("assay:path", location)]
    if lib is result.own and result.info.soname:
        props.append(("assay:soname", result.info.soname))
    if lib is not result.own:
        props.append(("assay:linkage", "static"))
    purl = lib.purl(version)
    distro = split_distro(version)
    if distro is not None:
        # a distribution's build (1.33.0-6.el8_10.2): advisories and CPEs speak of upstream 1.33.0;
        # the build stays in an rpm/deb purl and in the evidence
        purl = distro_purl(distro.kind, distro.distro, lib.purl_name, distro.full)
        evidence = (*evidence, Evidence("distro-release", location,
                                        f"{distro.full} is the {distro.distro} build of upstream "
                                        f"{distro.upstream}", "version"))
        props.append(("assay:distro-version", distro.full))
        version = distro.upstream
    cpe = lib.cpe23(version)
    kind = Kind.CARGO_LIBRARY if lib.purl_type == "cargo" else Kind.NATIVE_LIBRARY  # crates: build paths
    return Component(
        id=make_id(kind, lib.name, version, parent_id, location),
        kind=kind, name=lib.name, version=version, purl=purl,
        cpes=(cpe,) if cpe else (), evidence=evidence, found_by=f"bundled.{result.info.format}",
        description=lib.description or None, properties=tuple(sorted(props)),
    )


def _scan_js(resolver: Resolver, path: str, graph: Graph, parent_id: str, location: str,
             m: LibraryMatcher) -> None:
    if m.js_anchors is None:
        return
    head = resolver.read_head(path, _JS_HEAD)  # inflate only the top of a large bundle
    seen: set[tuple[str, str]] = set()
    for hit in m.js_anchors.finditer(head):
        for lib, reader in m.js_by_anchor.get(hit.group(), ()):
            vm = reader.regex.match(head, hit.start(), hit.start() + 256)
            if not vm:
                continue
            version = vm.group(1).decode("latin-1")
            if (lib.name, version) in seen:
                continue
            seen.add((lib.name, version))
            cpe = lib.cpe23(version)
            comp = Component(
                id=make_id(Kind.JAVASCRIPT_LIBRARY, lib.name, version, parent_id, location),
                kind=Kind.JAVASCRIPT_LIBRARY, name=lib.name, version=version, purl=lib.purl(version),
                cpes=(cpe,) if cpe else (),
                evidence=(Evidence("version-string", location, vm.group().decode("latin-1"), "version"),),
                found_by="bundled.javascript", properties=(("assay:path", location),),
            )
            graph.add(comp)
            graph.relate(parent_id, comp.id, RelType.CONTAINS)


_HEADER_HEAD = 262144


def _scan_header(resolver: Resolver, path: str, parent_id: str, location: str,
                 m: LibraryMatcher) -> list[Component]:
    """A vendored C library's version from its header's #defines (sdists and source folders)."""
    from assay.enrich.bundled.decode import format_int

    text = resolver.read_head(path, _HEADER_HEAD)
    out = []
    for lib, header in m.by_header[path.rsplit("/", 1)[-1]]:
        hm = header.regex.search(text)
        if not hm:
            continue
        parts = [g.decode("latin-1") for g in hm.groups() if g is not None]
        if header.fields and len(parts) == 1:
            try:
                version = format_int(int(parts[0], 0), list(header.fields))
            except ValueError:
                continue
        else:
            version = ".".join(parts)
        if not version:
            continue
        cpe = lib.cpe23(version)
        out.append(Component(
            id=make_id(Kind.NATIVE_LIBRARY, lib.name, version, parent_id, location),
            kind=Kind.NATIVE_LIBRARY, name=lib.name, version=version, purl=lib.purl(version),
            cpes=(cpe,) if cpe else (), found_by="bundled.source",
            evidence=(Evidence("source-header", location, " ".join(hm.group().decode("latin-1").split()),
                               "version"),),
            properties=(("assay:linkage", "source"), ("assay:path", location)),
        ))
    return out


def _vendored_component(item: vendored.Vendored, parent_id: str, prefix: str) -> Component:
    from assay.identity.metadata import cpe_for, pypi_purl

    location = f"{prefix}{item.vendor_dir}"
    cpe = cpe_for(item.name, item.version)
    return Component(
        id=make_id(Kind.VENDORED_PACKAGE, canonicalize_name(item.name), item.version, parent_id, location),
        kind=Kind.VENDORED_PACKAGE, name=item.name, version=item.version,
        purl=pypi_purl(item.name, item.version), cpes=(cpe,) if cpe else (),
        evidence=tuple(item.evidence), found_by="bundled.vendored",
        properties=(("assay:path", location),),
    )


def _with_vendored_license(comp: Component, item: vendored.Vendored, resolver: Resolver,
                           files: list[str], prefix: str) -> Component:
    """The vendored project's license, resolved as an installed distribution's is: from its own
    copied metadata and license files, or from the files the vendoring project keeps for it."""
    from assay.identity.licenses import fields_from_metadata, resolve_license, with_license

    found = vendored.license_folder(item, files)
    if found is None:
        return comp
    folder, names = found

    def read(name: str) -> bytes | None:
        try:
            return resolver.read_bytes(f"{folder}/{name}")
        except (OSError, KeyError, InputError):
            return None

    fields: dict[str, list[str]] = {}
    if item.dist_info and folder == item.dist_info and "METADATA" in names:
        data = read("METADATA")
        fields = fields_from_metadata(data.decode("utf-8", "replace")) if data else {}
        names = [n for n in names if n not in ("METADATA", "RECORD", "WHEEL", "INSTALLER")]
    return with_license(comp, resolve_license(fields, read, names, where=f"{prefix}{folder}/"))


def _scan_nested_wheel(resolver: Resolver, path: str, graph: Graph, parent_id: str, location: str,
                       depth: int) -> None:
    """A wheel inside a distribution (ensurepip's bundled pip): a vendored package with its own contents."""
    from assay.sources.archive import ZipResolver

    with resolver.buffer(path) as data:
        try:
            inner = ZipResolver(location, fileobj=io.BytesIO(data) if isinstance(data, bytes) else data)
        except InputError as exc:
            graph.unknown(location, "unreadable-member", exc.message)
            return
        with inner:
            _scan_wheel_contents(inner, graph, parent_id, location, depth)


def _scan_wheel_contents(inner: Resolver, graph: Graph, parent_id: str, location: str, depth: int) -> None:
    from assay.identity.metadata import dist_component

    meta = [f for f in inner.files() if re.fullmatch(r"[^/]+\.dist-info/METADATA", f)]
    if not meta:
        return
    try:
        comp = dist_component(inner.read_text(meta[0]), location=f"{location}!/{meta[0]}",
                              found_by="bundled.wheel", kind=Kind.VENDORED_PACKAGE,
                              id_qualifier=f"{parent_id}/{location}",
                              properties=(("assay:path", location),))
    except ValueError:
        graph.unknown(location, "unreadable-metadata", meta[0])
        return
    graph.add(comp)
    graph.relate(parent_id, comp.id, RelType.CONTAINS)
    scan_tree(inner, graph, comp.id, location_prefix=f"{location}!/", depth=depth + 1)


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()).removeprefix("lib")


def _merge_claims(graph: Graph, parent_id: str, claimed: list[pep770.Claimed], stats: ScanStats) -> None:
    """Embedded SBOM claims: add their evidence to what detection found, or add what it did not find."""
    if not claimed:
        return
    from assay.identity.metadata import pypi_purl

    detected = [graph.components[cid] for cid in dict.fromkeys(stats.components)]
    libraries = {lib.name: lib for lib in matcher().libraries}
    for claim in claimed:
        # a crate is not the library it wraps: openssl-sys 0.9 or the crate openssl 0.10 never
        # lend their version to the OpenSSL 3.x the bytes show; a crate claim meets only the crates
        # the build paths named
        crate = claim.kind_hint == "cargo"
        # (or a file name the library's entry knows: auditwheel's SBOM names RHEL's libcom_err,
        # which the table names e2fsprogs)
        same = [c for c in detected if (c.kind is Kind.CARGO_LIBRARY) == crate and (
                _norm(c.name) == _norm(claim.name) or (not crate and c.name in libraries and _norm(claim.name)
                                                       in {_norm(f) for f in libraries[c.name].files}))]
        # (an SBOM's distribution build, 4.4.6-11.el8, is the upstream 4.4.6 the bytes proved)
        split = split_distro(claim.version) if claim.version else None
        upstream = split.upstream if split else claim.version
        if not same and split is not None and not crate:
            # a distribution package is named as the distribution names it (bzip2-libs, alsa-lib),
            # not as its file (libbz2, libasound); the build it names is the one whose debug link
            # or package note carries the same version-release, when exactly one file does, else
            # the library its source package is named after (bzip2-libs is bzip2's library part)
            same = _built_from(detected, split.full) or [
                c for c in detected if c.kind is Kind.NATIVE_LIBRARY
                and _norm(c.name) == _norm(_SUBPACKAGE.sub("", claim.name))
                and c.version in (None, split.upstream)]
        exact = [c for c in same if c.version in (claim.version, upstream)]
        unproven = [c for c in same if c.version is None]
        if exact or unproven:
            # the SBOM backs what the bytes proved; it proves a version itself only where the
            # bytes proved none and no copy of that library has a proven version
            fill = claim.version if claim.version and not [c for c in same if c.version] else None
            for c in exact or unproven:
                merged = replace(c, evidence=c.evidence + tuple(e for e in claim.evidence
                                                                if e not in c.evidence))
                if fill and c.version is None:
                    lib = libraries.get(c.name)
                    version, purl, cpes = fill, lib.purl(fill) if lib else claim.purl, claim.cpes
                    distro = split_distro(fill)
                    if distro is not None:
                        # an SBOM's distribution build (2.4.46-21.el8_10) is upstream 2.4.46, as for
                        # the builds the bytes name (_native_component)
                        # the package the SBOM names (keyutils-libs), else the library's name
                        purl = claim.purl if claim.purl and claim.purl.startswith(("pkg:rpm/", "pkg:deb/")) \
                            else distro_purl(distro.kind, distro.distro, lib.purl_name if lib else c.name,
                                             distro.full)
                        version, cpes = distro.upstream, ()
                        said = Evidence("distro-release", dict(c.properties).get("assay:path", ""),
                                        f"{distro.full} is the {distro.distro} build of upstream "
                                        f"{distro.upstream}", "version")
                        merged = replace(merged, evidence=(*merged.evidence, said), properties=tuple(
                            sorted((*c.properties, ("assay:distro-version", distro.full)))))
                    cpe = lib.cpe23(version) if lib else None
                    merged = replace(merged, version=version, purl=purl, cpes=(cpe,) if cpe else cpes)
                    graph.unknowns[:] = [u for u in graph.unknowns
                                         if not (u.subject == c.id and u.reason == "unknown-version")]
                graph.components[c.id] = merged
            continue
        kind = {"python": Kind.VENDORED_PACKAGE, "javascript": Kind.JAVASCRIPT_LIBRARY,
                "cargo": Kind.CARGO_LIBRARY}.get(claim.kind_hint, Kind.NATIVE_LIBRARY)
        generic = f"pkg:generic/{claim.name}" + (f"@{claim.version}" if claim.version else "")
        purl = claim.purl or (pypi_purl(claim.name, claim.version) if kind is Kind.VENDORED_PACKAGE
                              else generic)
        location = claim.evidence[0].location if claim.evidence else ""
        version, evidence, props = claim.version, tuple(claim.evidence), [("assay:path", location)]
        if split is not None and kind is Kind.NATIVE_LIBRARY:
            # a distribution's build the bytes did not name is still upstream's release for
            # advisories; the build stays in the rpm/deb purl, as for detected libraries
            version = split.upstream
            purl = claim.purl or distro_purl(split.kind, split.distro, claim.name, split.full)
            evidence += (Evidence("distro-release", location, f"{split.full} is the {split.distro} "
                                  f"build of upstream {split.upstream}", "version"),)
            props.append(("assay:distro-version", split.full))
        comp = Component(
            id=make_id(kind, claim.name, version, parent_id, location),
            kind=kind, name=claim.name, version=version, purl=purl, cpes=claim.cpes,
            evidence=evidence, found_by="bundled.pep770", properties=tuple(sorted(props)),
        )
        graph.add(comp)
        graph.relate(parent_id, comp.id, RelType.CONTAINS)


# the library part of a distribution's source package: bzip2-libs, cyrus-sasl-lib, krb5-libs
_SUBPACKAGE = re.compile(r"-libs?$")


def _built_from(detected: list[Component], full: str) -> list[Component]:
    """The one detected native library built as distribution release ``full`` (1.0.6-28.el8_10):
    its debug link (libbz2.so.1.0.6-1.0.6-28.el8_10.x86_64.debug) or package note says so."""
    found = [c for c in detected if c.kind is Kind.NATIVE_LIBRARY and (
        dict(c.properties).get("assay:distro-version") == full
        or any((e.kind == "debuglink" and f"-{full}." in e.detail)
               or (e.kind == "package-note" and f"version={full}" in e.detail) for e in c.evidence))]
    return found if len(found) == 1 else []


# -- installed environments ----------------------------------------------------

def record_paths(record_text: str) -> list[str]:
    """The paths a RECORD lists (first CSV column)."""
    from assay.identity.record import paths

    return paths(record_text)


def _scan_ensurepip(graph: Graph, interpreter: Component, base_prefix: str) -> None:
    """The wheels CPython bundles for ensurepip (pip, setuptools), inside the interpreter."""
    from assay.sources.directory import DirectoryResolver

    base = Path(base_prefix)
    for bundled in [*base.glob("lib/python3*/ensurepip/_bundled"), base / "Lib" / "ensurepip" / "_bundled"]:
        if not bundled.is_dir():
            continue
        try:
            resolver = DirectoryResolver(bundled)
        except InputError:
            continue
        wheels = [f for f in resolver.files() if f.endswith(".whl") and "/" not in f]
        for wheel in wheels:
            _scan_nested_wheel(resolver, wheel, graph, interpreter.id, f"{bundled}/{wheel}", 0)


def _egg_installed_files(text: str, meta: str) -> list[str]:
    """An .egg-info's installed-files.txt (paths relative to the .egg-info), as site-relative paths."""
    return [posixpath.normpath(f"{meta}/{line.strip()}") for line in text.splitlines() if line.strip()]


def enrich_installed(graph: Graph, layout: InstalledLayout) -> None:
    """Scan the files of every installed distribution (from its RECORD) for bundled components."""
    jobs: list[tuple[str, str, list[str]]] = []
    for comp in list(graph.components.values()):
        if comp.kind is Kind.INTERPRETER and layout.base_prefix:
            _scan_ensurepip(graph, comp, layout.base_prefix)
    for comp_id, dist in layout.dists.items():
        comp = graph.components.get(comp_id)
        if comp is None or comp.kind is not Kind.PYTHON_PACKAGE:
            continue
        resolver = layout.resolver(dist.site)
        if resolver is None:
            continue
        record = dist.member("RECORD")
        text = layout.read_text(dist, "RECORD") if dist.is_dir else None
        if text is not None:
            listed = record_paths(text)
        else:
            files_txt = layout.read_text(dist, "installed-files.txt") if dist.is_dir else None
            if files_txt is None:
                graph.unknown(comp.id, "no-record",
                              f"{resolver.root / record}: cannot list the installed files")
                continue
            listed = _egg_installed_files(files_txt, dist.meta)
        paths = []
        for raw in listed:
            try:
                rel = safe_relpath(raw, origin=str(resolver.root / record))
            except InputError:
                continue  # ../../bin/tool: outside site-packages (scripts), not a bundled file
            if rel and posixpath.basename(rel) != "RECORD" and resolver.exists(rel):
                paths.append(rel)
        jobs.append((dist.site, comp.id, paths))
    _run_jobs(graph, jobs)


# Environments with many distributions are scanned in worker processes (the matcher is
# CPU-bound Python); each worker returns the sub-graph of one distribution.
PARALLEL_MIN_JOBS = 40


def _scan_job(job: tuple[str, str, list[str]]) -> Graph:
    from assay.sources.directory import DirectoryResolver

    site, parent_id, paths = job
    sub = Graph()
    scan_tree(DirectoryResolver(site), sub, parent_id, paths=paths, location_prefix=f"{site}/")
    return sub


def _run_jobs(graph: Graph, jobs: list[tuple[str, str, list[str]]]) -> None:
    workers = min(4, os.cpu_count() or 1)
    if len(jobs) < PARALLEL_MIN_JOBS or workers < 2 or "fork" not in mp.get_all_start_methods():
        for job in jobs:
            graph.merge(_scan_job(job))
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
        for sub in pool.map(_scan_job, jobs):
            graph.merge(sub)


__all__ = ["PREFETCH_BYTES", "ScanStats", "enrich_installed", "record_paths", "scan_tree"]
