"""Classify one binary (ELF, PE, Mach-O): which known libraries it is or contains, and their versions.

Three kinds of proof, all from the bytes:
- the file's own name / SONAME matches a library (presence; a SONAME libtool version
  may map to exactly one release, listed in the data file);
- a version string in the constant data (version);
- an exported or internal symbol whose code or constant yields the version (version).
A library whose code is statically linked into a binary (OpenSSL in a Rust extension,
libxml2 in lxml) is found by the same strings and symbols.
"""

from __future__ import annotations

import bisect
import functools
import mmap
import re
import struct
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from assay.enrich.bundled import evidence as generic
from assay.enrich.bundled.binary import (
    _OVERLAP,
    _WINDOW,
    BinaryInfo,
    LiteralSearch,
    Symbol,
    give_back,
    literal_search,
    parse,
    version_resource,
)
from assay.enrich.bundled.decode import (
    aarch64_loads_after,
    aarch64_printf_texts,
    pe_tagged_records,
    pe_u16_records,
    read_symbol,
    x86_format_records,
    x86_immediate_text,
    x86_loads_after,
    x86_printf_texts,
    x86_sibling_stores,
    x86_table_texts,
)
from assay.enrich.bundled.rules import (
    Library,
    LibraryMatcher,
    StringReader,
    SymbolReader,
    file_key,
    fill_template,
    generic_library,
    int_version,
    is_extension_module,
    trie_regex,
)
from assay.identity.versions import split_distro
from assay.model import Evidence

# a release, with one extra (1.2.1-dev, 3.0.0rc1), or a build git describes after its tag
# (1.16.0-187-g01a78fbc3)
# (a pre-release's tag may run on into a build mark: hwloc's "2.11.2rc2-git")
_VERSIONISH = re.compile(r"^[0-9]+(?:\.[0-9]+)*(?:[a-z]|(?:rc|alpha|beta|pre)[0-9]+)?"
                         r"(?:[-.+~_][0-9A-Za-z.]+)?(?:-g[0-9a-f]{6,40})?$")
_MAX_PER_ANCHOR = 64  # a string repeated thousands of times proves nothing more


@dataclass(slots=True)
class Detection:
    library: Library
    path: str
    version: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class BinaryScan:
    path: str
    info: BinaryInfo
    detections: list[Detection]
    own: Library | None  # the library this file *is* (by name), if any


_MALFORMED = (struct.error, IndexError, ValueError, OverflowError, UnicodeDecodeError)
_SYMBOL_WEIGHT = 1000  # a library's own version API outweighs any number of strings


# folders where wheel repair tools put the libraries they graft (auditwheel, delvewheel, delocate)
_GRAFTED = re.compile(r"(?:^|/)(?:[^/]+\.libs|\.dylibs|\.libs)/[^/]+$")
_FRAMEWORK = re.compile(r"(?:^|/)(?P<name>[A-Za-z0-9_+-]+)\.framework/(?:Versions/[^/]+/)?(?P=name)$")


def scan_binary(path: str, data: bytes | mmap.mmap, m: LibraryMatcher, *,
                exclude: frozenset[str] = frozenset()) -> BinaryScan | None:
    """``exclude``: normalised names that are the scanned project itself (its own build paths)."""
    info = parse(data)
    if info is None:
        return None
    basename = path.rsplit("/", 1)[-1]
    # a macOS framework's binary is named like its framework, without "lib" or ".dylib"
    # (SDL2_mixer.framework/Versions/A/Frameworks/wavpack.framework/Versions/A/wavpack): the
    # library's file name, for naming it, is the framework's
    fw = _FRAMEWORK.search(path) if info.format == "macho" else None
    libname = f"lib{fw.group('name')}.dylib" if fw else basename
    # library -> version (None = presence only) -> evidence; and how strongly each version is backed
    found: dict[str, dict[str | None, list[Evidence]]] = {}
    weight: dict[tuple[str, str], int] = {}
    libs: dict[str, Library] = {}

    def add(lib: Library, version: str | None, ev: Evidence, w: int = 1) -> None:
        k = _key(lib)
        libs[k] = lib
        bucket = found.setdefault(k, {})
        evs = bucket.setdefault(version, [])
        if ev not in evs:
            evs.append(ev)
        if version is not None:
            weight[(k, version)] = weight.get((k, version), 0) + w

    # what the file name / SONAME says it is (decided below, once the content has spoken)
    named: list[tuple[Library, Evidence]] = []
    for lib in m.libraries_for_file(libname):
        named.append((lib, Evidence("file-name", path, basename, "presence")))
    if info.soname and not is_extension_module(basename):
        # (a Python extension module's internal name is the module's own: uuid-utils'
        # _uuid_utils.pyd calls itself uuid_utils.dll, which is no libuuid)
        so_base = info.soname.rsplit("/", 1)[-1]
        for lib in m.libraries_for_file(so_base):
            named.append((lib, Evidence("soname", path, info.soname, "presence")))

    # version strings and markers in constant data: one pass per range finds every anchor
    counts: dict[bytes, int] = {}
    beside: list[tuple[Library, StringReader, int]] = []  # readers of what the code loads after an anchor
    printf: list[tuple[Library, StringReader, int]] = []  # formats whose call sites pass the version
    entries: list[tuple[Library, StringReader, int]] = []  # names whose table entry's function gives it
    records: list[tuple[Library, StringReader, int]] = []  # tags of static records holding the version
    formats: list[tuple[Library, StringReader, int]] = []  # formats passed a record's version text
    siblings: list[tuple[Library, StringReader, int]] = []  # texts whose loader's caller calls a setter
    u16s: list[tuple[Library, StringReader, int]] = []  # texts a record with uint16 parts points to
    seen: dict[bytes, list[list[int]]] = {}  # where the seeds' literal leads start, per range
    marked: set[str] = set()  # libraries one of whose markers the file holds
    gated: list[tuple[Library, str, Evidence]] = []  # versions that count only beside a marker
    gate_only: dict[str, Library] = {}  # libraries whose markers only let a reader look
    if m.anchors is not None:
        for start, end, at, stop, anchor in _anchor_hits(m, data, info.data_ranges, seen):
            n = counts.get(anchor, 0)
            if n >= _MAX_PER_ANCHOR:
                continue
            counts[anchor] = n + 1
            marker_lib = m.markers.get(anchor)
            if marker_lib is not None and not marker_lib.marker_presence:
                gate_only[_key(marker_lib)] = marker_lib
            elif marker_lib is not None:
                marked.add(_key(marker_lib))
                add(marker_lib, None, Evidence("marker", path, anchor.decode("latin-1"), "presence"))
            for lib, reader in m.by_anchor.get(anchor, ()):
                if reader.beside:
                    beside.append((lib, reader, at))
                    continue
                if reader.sibling_stores:
                    # a whole text: NUL before it, and the regex (its rest, its NUL) matching at it
                    if data[at - 1:at] == b"\0" and reader.regex.match(data, at, min(end, stop + 256)):
                        siblings.append((lib, reader, at))
                    continue
                if reader.format_arg:
                    # the format ends with its NUL; what precedes it may be anything (a jump table),
                    # since the code must load this very address
                    if anchor.endswith(b"\0"):
                        formats.append((lib, reader, at))
                    continue
                if reader.record:
                    if data[at - 1:at] == b"\0" and anchor.endswith(b"\0"):
                        records.append((lib, reader, at))
                    continue
                if reader.u16_before:
                    if data[at - 1:at] == b"\0" and anchor.endswith(b"\0") and len(u16s) < 4:
                        u16s.append((lib, reader, at))
                    continue
                if reader.entry:
                    # a whole name (the anchor ends with its NUL)
                    if data[at - 1:at] == b"\0" and anchor.endswith(b"\0"):
                        entries.append((lib, reader, at))
                    continue
                if reader.printf is not None:
                    # (a whole text: NUL before it, or a line break starting it, which no other text
                    # runs into: MSVC put a double's last byte before amd_control's "\nAMD version")
                    if reader.regex.match(data, at, min(end, stop + 256)) and \
                            (data[at - 1:at] == b"\0" or reader.anchor[:1] == b"\n"):
                        printf.append((lib, reader, at))
                    continue
                lo = max(start, at - reader.window)
                hi = min(end, stop + 256)
                vm = reader.regex.search(data, lo, hi) if reader.window else \
                    reader.regex.match(data, at, hi)
                if vm is None or vm.start() > at or _pascal_string(data, at, start, vm.start()):
                    continue
                shown = _shown(vm.group())
                if reader.table is not None:
                    version = reader.table.get(vm.group(1).decode("latin-1"))
                    shown = f"{shown}: the release check-in of {version}"
                else:
                    version = _group(vm, reader.template)
                if version and reader.with_marker:
                    ev = Evidence("version-string", path, f"{shown} (beside its marker)", "version")
                    gated.append((lib, version, ev))
                elif version:
                    add(lib, version, Evidence("version-string", path, shown, "version"))

    # a version text no string stands beside, that the library's code loads right after its anchor
    # (libpng's mismatch message, hwloc's "hwlocVersion" info): read where the code loads it
    beside = [(lib, reader, at) for lib, reader, at in beside
              if not any(v is not None for v in found.get(_key(lib), ()))][:8]  # not read already
    loads_after = aarch64_loads_after if info.machine == "aarch64" else x86_loads_after
    loads = loads_after(data, info, [(at, reader.beside, reader.before) for _lib, reader, at in beside])
    for lib, reader, at in beside:
        shown = reader.anchor.decode("latin-1").strip()
        for off in loads.get(at, ()):
            vm = reader.regex.match(data, off, off + 64)
            version = _group(vm, reader.template) if vm else None
            if version:
                add(lib, version, Evidence("version-string", path, f"loaded after '{shown}': "
                                           f"{vm.group().decode('latin-1').strip(chr(0))}", "version"))
                break

    # a version text that a function returns, which a table names beside a text (libavif's codec
    # table: {"dav1d", the version function, ...}): read where the function points
    entries = [(lib, reader, at) for lib, reader, at in entries
               if not any(v is not None for v in found.get(_key(lib), ()))][:4]
    texts = x86_table_texts(data, info, [(at, r.entry) for _lib, r, at in entries]) if entries else {}
    for lib, reader, at in entries:
        shown = reader.anchor.decode("latin-1").strip()
        for off in texts.get(at, ()):
            vm = reader.regex.match(data, off, off + 64)
            version = _group(vm, reader.template) if vm else None
            if version:
                add(lib, version, Evidence("version-string", path, f"returned by the function a table names "
                                           f"beside '{shown}': {vm.group().decode('latin-1').strip(chr(0))}",
                                           "version"))
                break

    # a version text that a static record points to beside a tag text the record also points to
    # (nghttp2's {age, version_num, version_str, "h2"}), where no symbol names the function
    records = [(lib, reader, at) for lib, reader, at in records
               if not any(v is not None for v in found.get(_key(lib), ()))][:8]
    held = pe_tagged_records(data, info, [(at, r.record) for _lib, r, at in records]) if records else {}
    for lib, reader, at in records:
        shown = reader.anchor.decode("latin-1").strip("\0")
        for off in held.get(at, ()):
            vm = reader.regex.match(data, off, off + 64)
            version = _group(vm, reader.template) if vm else None
            if version:
                text = vm.group().decode("latin-1").strip(chr(0))
                add(lib, version, Evidence("version-string", path, f"held by a record beside '{shown}', "
                                           f"with its packed number: {text}", "version"))
                break

    # the version's parts as uint16 in a static record pointing to a text of the library's (PE)
    for lib, reader, at in u16s:
        if any(v is not None for v in found.get(_key(lib), ())):
            continue
        triples = pe_u16_records(data, info, at, reader.u16_before)
        if len(triples) == 1 and (t := next(iter(triples)))[0] and all(n < 1000 for n in t):
            version = ".".join(map(str, t))
            shown = reader.anchor.decode("latin-1").strip("\0")
            add(lib, version, Evidence("version-string", path, f"held as uint16 by a record pointing to "
                                       f"'{shown}': {version}", "version"))

    # a version text whose record's getter the code calls to fill a format naming the library
    # (curl's "ngtcp2/%s nghttp3/%s"), where no symbol names the getter
    formats = [(lib, reader, at) for lib, reader, at in formats
               if not any(v is not None for v in found.get(_key(lib), ()))][:8]
    passed = x86_format_records(data, info, [(at, r.format_arg) for _lib, r, at in formats]) \
        if formats else {}
    for lib, reader, at in formats:
        shown = reader.anchor.decode("latin-1").strip("\0")
        for off in passed.get((at, reader.format_arg), ()):
            vm = reader.regex.match(data, off, off + 64)
            version = _group(vm, reader.template) if vm else None
            if version:
                text = vm.group().decode("latin-1").strip(chr(0))
                add(lib, version, Evidence("version-string", path, f"the record's text passed to '{shown}' "
                                           f"(argument {reader.format_arg}), with its packed number: {text}",
                                           "version"))
                break

    # the version's parts that a function stores, which the caller of the function loading the
    # anchor calls a little before (FT_Init_FreeType: FT_New_Library, then FT_Set_Default_Properties)
    siblings = [(lib, reader, at) for lib, reader, at in siblings
                if not any(v is not None for v in found.get(_key(lib), ()))][:2]
    for lib, reader, at in siblings:
        shown = reader.anchor.decode("latin-1").strip()
        try:
            stored = x86_sibling_stores(data, info, at, reader.sibling_stores)
        except _MALFORMED:
            continue
        versions = {".".join(map(str, parts)) for parts in stored}
        versions = {v for v in versions if reader.value is None or reader.value.fullmatch(v)}
        if len(versions) == 1:  # two sets of parts: no single version is proven
            version = versions.pop()
            add(lib, version, Evidence("version-string", path, f"stored by the function called before the "
                                       f"one that loads '{shown}': {version}", "version"))

    # a version message the library formats from constants (mimalloc's "v%i.%i.%i%s%s"): the
    # text rendered at the call sites that pass the format
    printf = [(lib, reader, at) for lib, reader, at in printf
              if not any(v is not None for v in found.get(_key(lib), ()))][:4]
    printf_texts = aarch64_printf_texts if info.machine == "aarch64" else x86_printf_texts
    rendered = printf_texts(data, info, [at for _lib, _reader, at in printf]) if printf else {}
    for lib, reader, at in printf:
        for text in rendered.get(at, ()):
            vm = reader.printf.search(text)
            if vm:
                shown = reader.anchor.decode("latin-1").strip()
                add(lib, vm.group(1), Evidence("version-string", path,
                                               f"'{shown}' passed constants: {text.strip()}", "version"))
                break

    # symbols whose code or constant yields the version (each slice of a universal binary)
    named_libs = {lib.name for lib, _ev in named}
    parts = info.slices or [info]
    present = info.present(m.symbol_pattern) if m.symbol_pattern else None
    if present is None and m.with_symbols:
        present = info.spelled(tuple(sorted({r.symbol for lib in m.with_symbols for r in lib.symbols})))
    for lib in m.with_symbols:
        for reader in lib.symbols:
            if present is not None and reader.symbol not in present:
                continue
            for part in parts:
                try:
                    sym = part.symbol(reader.symbol)
                    if sym is None:
                        continue
                    version, shown = _symbol_version(data, part, sym, reader)
                except _MALFORMED:
                    continue  # a damaged symbol table or code: this reader proves nothing
                if version:
                    add(lib, version, Evidence("symbol", path, f"{reader.symbol}: {shown}", "version"),
                        _SYMBOL_WEIGHT)
                elif lib.name not in found and lib.name not in named_libs \
                        and _names_itself(reader.symbol, lib):
                    add(lib, None, Evidence("symbol", path, f"defines {reader.symbol}", "presence"))

    # a library compiled in with every symbol renamed under a vendor's prefix (the 1DS telemetry
    # SDK's matsdk_sqlite3_*): its symbol readers under that prefix, when enough of its API is there
    if m.vendor_pattern is not None:
        try:
            renamed = info.prefix_counts(m.vendor_pattern)
        except _MALFORMED:
            renamed = Counter()
        for whole, n in renamed.items():
            for prefix, (lib, need) in m.prefix_min.items():
                vendor = whole[:-len(prefix)]
                if not whole.endswith(prefix) or n < need or not vendor or vendor in m.prefix_min:
                    continue
                for reader in lib.symbols:
                    if not reader.symbol.startswith(prefix):
                        continue
                    for part in parts:
                        try:
                            sym = part.symbol(vendor + reader.symbol)
                            if sym is None:
                                continue
                            version, shown = _symbol_version(data, part, sym, reader)
                        except _MALFORMED:
                            continue
                        if version:
                            add(lib, version, Evidence("symbol", path, f"{vendor}{reader.symbol}: {shown}",
                                                       "version"), _SYMBOL_WEIGHT)

    # a copy with a short tag glued onto every name (VTK's vtklibxml2_xmlParserVersion,
    # vtknetcdf_nc_inq_libvers): the table's readers under that tag, when enough names carry it
    if m.with_symbols and m.symbol_pattern:
        try:
            for reader_lib, reader, sym, part in _tagged_readers(info, parts, m, present):
                version, shown = _symbol_version(data, part, sym, reader)
                if version:
                    add(reader_lib, version, Evidence("symbol", path, f"{sym.name}: {shown}", "version"),
                        _SYMBOL_WEIGHT)
        except _MALFORMED:
            pass

    # generic evidence (no entry per library): version functions, build paths, symbol prefixes,
    # package notes, VERSIONINFO, build-information blocks
    key = file_key(libname) or (file_key(info.soname.rsplit("/", 1)[-1]) if info.soname else None)
    own_lib = named[0][0] if named else (generic_library(_generic_name(libname, info.soname, key,
                                                                       _product_name(data, info)))
                                         if key else None)

    def hits(rx: re.Pattern[bytes]):
        for _start, _end, hit in _hits(rx, data, info.data_ranges, seen):
            yield hit

    claims: list[generic.Claim] = []
    try:
        claims += generic.version_functions(path, data, info, m, own_lib, key, not named)
        claims += generic.source_paths(path, data, info, m, hits)
        claims += generic.debug_runtimes(path, data, info, m)
        claims += generic.prefix_presence(path, info, m, named_libs)
        claims += generic.build_info(path, data, m, hits, info.needed)
        claims += generic.pdb_path_claims(path, data, info, m)
        claims += generic.module_attributes(path, data, info, m, hits)
        if own_lib is not None and key:
            claims += generic.package_claims(path, data, info, own_lib, key)
        if not any(v for v in found.get("zlib", {}) if v is not None):
            claims += generic.zlib_passed_version(path, data, info, m, hits)
    except _MALFORMED:
        pass  # damaged tables: what was read so far stands
    for claim in claims:
        if _norm_name(claim.library.name) in exclude and \
                not generic.renamed_copy_tag(claim.evidence, claim.library, m):
            continue  # the project's own sources (a renamed copy is a vendored library's: py-lmdb's mdb09_*)
        if claim.static and own_lib is not None and claim.library.name == own_lib.name:
            claim = generic.Claim(claim.library, claim.version, claim.evidence, claim.weight)
        add(claim.library, claim.version, claim.evidence, claim.weight)
    # versions that count only beside their library's code: its marker, its API's symbols, or the
    # file named as it (OpenSSL's libssl keeps SSL_version_str, not OpenSSL_version()'s texts)
    for lib, version, ev in gated:
        if _key(lib) in marked or lib.name in named_libs or \
                any(e.kind == "symbol-prefix" for evs in found.get(_key(lib), {}).values() for e in evs):
            add(lib, version, ev)
    if own_lib is not None:
        _package_against_api(found, weight, _key(own_lib))
    # VERSIONINFO only where nothing in the bytes said the file's version: a resource is written
    # by whoever packaged the DLL (a plugin's date, a wrapper's own numbering)
    if own_lib is not None and key and info.format == "pe" and own_lib.versioninfo and \
            not any(v is not None for v in found.get(_key(own_lib), {})):
        try:
            for claim in generic.versioninfo_claims(path, data, info, own_lib, key):
                add(claim.library, claim.version, claim.evidence, claim.weight)
        except _MALFORMED:
            pass
    if not named and own_lib is not None and (own_lib.name in found or _GRAFTED.search(path)):
        # a library the table does not name: its file name (and SONAME) say which, its own
        # version functions, package notes or VERSIONINFO its version; but a file named for a
        # table library found in it with its version, under a vendor's tag, is that library
        # (VTK's vtkfreetype-cvista.dll is FreeType, no library "vtkfreetype-cvista" of its own)
        mine = _norm_name(own_lib.name)
        tagged = [lib for k, lib in libs.items() if k in found and len(k) > 3 and lib is not own_lib
                  and (lib.files or lib.prefixes or lib.symbols or lib.strings)  # a table library
                  and _norm_name(k) != mine and _norm_name(k) in mine
                  and any(v is not None for v in found[k])]
        # (not where the file's own name has a version of its own: a distro package's note)
        versioned = any(v is not None for v in found.get(_key(own_lib), {}))
        file_lib = tagged[0] if len(tagged) == 1 and not versioned else own_lib
        named.append((file_lib, Evidence("file-name", path, basename, "presence")))
        if info.soname:
            named.append((file_lib, Evidence("soname", path, info.soname, "presence")))

    # the file is the first named candidate whose version its content proves, else the first named
    own: Library | None = None
    if named:
        proven = [lib for lib, _ev in named if any(v is not None for v in found.get(lib.name, {}))]
        own = proven[0] if proven else named[0][0]
        for lib, ev in named:
            if lib is own:
                add(lib, None, ev)
    # own-version soname maps (libtool versions that one release always had)
    if own is not None:
        for smap in own.sonames:
            for name in filter(None, (info.soname, basename)):
                sm = smap.pattern.search(name)
                if sm and sm.group(1) in smap.table:
                    add(own, smap.table[sm.group(1)],
                        Evidence("soname", path, f"{name}: libtool version {sm.group(1)} is release "
                                 f"{smap.table[sm.group(1)]} ({smap.source})", "version"), _SYMBOL_WEIGHT)
                    break

    # a library that imitates another takes its look-alike strings and file names: when its
    # version is proven, when the file is it (MPIR's loader mpir.dll defines GMP's names too), or
    # when its marker is there and the other's version is not
    for lib in list(libs.values()):
        evidence = found.get(_key(lib), {})
        versioned = any(v is not None for v in evidence)
        marked = any(e.kind == "marker" for evs in evidence.values() for e in evs)
        for shadowed in lib.shadows:
            other_versioned = any(v is not None for v in found.get(shadowed, {}))
            if shadowed in libs and any(generic.renamed_copy_tag(e, libs[shadowed], m)
                                        for evs in found.get(shadowed, {}).values() for e in evs):
                continue  # a renamed copy of the imitated library itself (VTK's vtkzlib_zlibVersion)
            if versioned or (lib is own and not other_versioned) or \
                    (marked and (lib.marker_shadows or not other_versioned)):
                found.pop(shadowed, None)

    # an imitation's own version of the imitated API in the file: the imitated library's version
    # texts are the imitation's (zlib-ng's banners beside "1.3.1.zlib-ng" where zlib-ng's own
    # text was not kept): the imitated library is not reported; the imitation is, without a version
    for lib in m.imitations:
        taken = [name for name in lib.shadows if any(v is not None for v in found.get(name, {}))]
        if not taken or any(v is not None for v in found.get(_key(lib), {})):
            continue
        at = next((i for lo, hi in info.data_ranges if (i := data.find(lib.imitation_text, lo, hi)) >= 0), -1)
        if at < 0:
            continue
        for name in taken:
            found.pop(name, None)
        shown = data[max(0, data.rfind(b"\0", max(0, at - 24), at) + 1):at + len(lib.imitation_text) - 1]
        add(lib, None, Evidence("marker", path, shown.decode("latin-1"), "presence"))

    # the file's own library, or a static copy found in it, without a version, whose version text
    # its code writes from immediates (a strcpy of a constant compiled into 8-byte stores:
    # OpenBLAS's config string in MinGW DLLs, a static libcurl's curl_version())
    if info.machine == "x86_64":
        unversioned = [own] if own is not None else []
        unversioned += [lib for lib in libs.values() if lib is not own and _key(lib) in found]
        for lib in unversioned:
            if lib.strings and not any(v is not None for v in found.get(_key(lib), {})):
                for version, shown in _immediate_versions(data, lib):
                    add(lib, version, Evidence("version-string", path, f"written from immediates: {shown}",
                                               "version"))

    # a check-in the library's release table lacks, between two it lists, with the one release
    # text in the file between theirs (SQLite 3.38.3's source id, a release the table misses)
    for lib in [*libs.values(), *(g for k, g in gate_only.items() if k not in libs)]:
        reader = next((r for r in lib.strings if r.between), None)
        if reader is not None and not any(v is not None for v in found.get(_key(lib), {})):
            try:
                got = _between_releases(data, info, reader)
            except _MALFORMED:
                got = None
            if got is not None:
                add(lib, got[0], Evidence("version-string", path, got[1], "version"))

    # a static copy found by its API's names whose version function keeps no name, between two of
    # its named functions (Grok's hidden grk_version() in a codec plugin)
    # (a copy that exports hundreds of its names exports its version function too: not looked for)
    for lib in list(libs.values()):
        evidence = found.get(_key(lib), {})
        counts = [int(e.detail.split(" ", 1)[0]) for evs in evidence.values() for e in evs
                  if e.kind == "symbol-prefix" and e.location == path]
        if lib.prefix_versions and not any(v is not None for v in evidence) and counts and min(counts) <= 200:
            for part in parts:
                try:
                    claim = generic.nameless_version(path, data, part, lib)
                except _MALFORMED:
                    claim = None
                if claim is not None:
                    add(lib, claim.version, claim.evidence, claim.weight)
                    break

    # a library this file links dynamically is not also copied into it: its version strings here
    # are the headers it was built against (libssh quoting OpenSSL's), not code
    linked = {_key(lib) for n in info.needed for lib in m.libraries_for_file(n.rsplit("/", 1)[-1])
              if lib.quoted_by_clients}
    for name in list(found):
        if name in linked and (own is None or name != _key(own)):
            del found[name]

    detections = []
    for name, by_version in found.items():
        lib = libs[name]
        _fold_distro(name, by_version, weight)
        _fold_development(by_version, weight, name)
        presence = by_version.get(None, [])
        versions = [v for v in by_version if v is not None]
        if lib.purl_type != "cargo":
            versions = _refined(name, versions, by_version, weight)
        if lib.purl_type == "cargo" and len(versions) > 1:
            # Rust links semver-incompatible versions of one crate side by side: each is a crate
            for v in sorted(versions):
                detections.append(Detection(lib, path, v, presence + by_version[v]))
            continue
        tags = {v: {t for e in by_version[v] if (t := generic.renamed_copy_tag(e, lib, m))} for v in versions}
        if len(versions) > 1 and all(tags.values()) and \
                sum(len(t) for t in tags.values()) == len(set().union(*tags.values())):
            # copies renamed under different tags, each read from its own functions (ITK's
            # itk_expat_* and VTK's vtkexpat_* in one module): one detection per copy
            for v in sorted(versions):
                detections.append(Detection(lib, path, v, presence + by_version[v]))
            continue
        if len(versions) > 1:
            # one binary links one copy: the best-backed version is the library's, the rest are
            # mentions (RHEL's libcrypto quotes older OpenSSL releases for old ABIs)
            ranked = sorted(versions, key=lambda v: weight.get((name, v), 0), reverse=True)
            # the library's own source tree compiled into the file names another release than its
            # version text (FFTW 3.3.10's CMake build still says "fftw-3.3.9"): the bytes disagree
            # about the copy itself, so neither is proven
            # (a less precise text is no disagreement: lcms2's packed 2190 is "2.19" beside an
            # lcms2-2.19.1/ tree)
            tree = [v for v in ranked[1:] if any(e.kind == "build-path" for e in by_version[v])
                    and not _one_refines(v, ranked[0])]
            if tree and not any(e.kind == "build-path" for e in by_version[ranked[0]]):
                listed = ", ".join(sorted([ranked[0], *tree]))
                conflict = Evidence("conflict", path, f"versions {listed}: the version text and the "
                                    "library's own source tree disagree", "presence")
                detections.append(Detection(lib, path, None, [*presence, conflict]))
                continue
            if weight[(name, ranked[0])] > weight[(name, ranked[1])]:
                versions = ranked[:1]
            else:
                listed = ", ".join(sorted(versions))
                conflict = Evidence("conflict", path, f"versions {listed} equally backed", "presence")
                detections.append(Detection(lib, path, None, [*presence, conflict]))
                continue
        if not versions:
            detections.append(Detection(lib, path, None, list(presence)))
            continue
        v = versions[0]
        detections.append(Detection(lib, path, v, presence + by_version[v]))
    return BinaryScan(path, info, detections, own)


_TAG = re.compile(r"[a-z][a-z0-9]{1,11}_")


def _tagged_readers(info: BinaryInfo, parts: list[BinaryInfo], m: LibraryMatcher, present: set[str] | None
                    ) -> Iterator[tuple[Library, SymbolReader, Symbol, BinaryInfo]]:
    """(library, reader, symbol, slice) for each reader symbol defined here only under a short
    tag glued on (``vtklibxml2_`` + ``xmlParserVersion``), the tag carried by at least 8 defined
    names (a renamed copy's API, not one wrapper named like the library's function)."""
    readers = {r.symbol: (lib, r) for lib in m.with_symbols for r in lib.symbols}
    if info.format == "elf":
        # (an ELF string table spells a tagged name's tail: the readers spelled but not defined)
        tails = sorted(s for s in (present or ())
                       if s in readers and all(p.symbol(s) is None for p in parts))[:8]
        if not tails:
            return
        pattern = rb"[a-z][a-z0-9]{1,11}_(?:" + b"|".join(re.escape(t.encode()) for t in tails) + rb")"
        names = {(s.name, i) for i, p in enumerate(parts)
                 for s in p.symbols_matching(pattern, tuple(t.encode() for t in tails))}
    else:
        pattern = rb"[a-z][a-z0-9]{1,11}_(?:" + m.symbol_pattern + rb")"
        names = {(n, i) for i, p in enumerate(parts) for n in (p.present(pattern) or ())}
    checked: dict[str, bool] = {}
    for name, i in sorted(names):
        cut = _TAG.match(name)
        if cut is None or name[cut.end():] not in readers:
            continue
        tag, bare = name[:cut.end()], name[cut.end():]
        lib, reader = readers[bare]
        if lib.prefixes:
            # the library's own API under the tag (vtklibxml2_xmlXPath*), not another API whose
            # prefix looks like a tag (htslib's bgzf_compress is no zlib compress())
            key = tag + "\0" + lib.name
            if key not in checked:
                alts = b"|".join(re.escape(p.encode()) for p in lib.prefixes)
                counts = info.prefix_counts(b"(" + re.escape(tag.encode()) + b"(?:" + alts + b"))")
                checked[key] = sum(counts.values()) >= 8
        else:
            # no prefix to check: a distinctive name (nc_inq_libvers, zlibVersion; not compress)
            key = tag
            if not re.search(r"[A-Z_]", bare):
                continue
            if key not in checked:
                checked[key] = info.prefix_counts(b"(" + re.escape(tag.encode()) + b")").get(tag, 0) >= 8
        if not checked[key]:
            continue
        sym = parts[i].symbol(name)
        if sym is not None:
            yield lib, reader, sym, parts[i]


def _pascal_string(data: bytes | mmap.mmap, at: int, lo: int, match: int) -> bool:
    """Whether the text around ``at`` (the anchor; ``match``: where the version regex matched) is
    a Pascal short string: a length byte that counts the printable run after it up to the run's
    NUL, either a control character before the run (not a line break or tab, which a multi-line
    text has) or a printable one (32 to 126) that starts the run outside the matched text, a NUL
    before it (Free Pascal's paszlib, a Pascal port of zlib 1.1.2, keeps zlib's banner as "4
    deflate 1.1.2 ...", 0x34 = 52, the regex matching from "deflate"); C keeps a NUL or other data
    before a text."""
    first = at
    while first > max(lo, at - 64) and 0x20 <= data[first - 1] < 0x7F:
        first -= 1
    if first <= lo:
        return False
    last = at
    while last < min(len(data), at + 256) and 0x20 <= data[last] < 0x7F:
        last += 1
    if last >= len(data) or data[last] != 0:
        return False
    run = last - first
    n = data[first - 1]
    if 0 < n < 0x20 and n not in (9, 10, 13):
        return n == run
    return n == 0 and first < min(match, at) and data[first] == run - 1


def _one_refines(a: str, b: str) -> bool:
    """Whether two versions need not contradict each other: one's dotted parts start the other's
    (2.19 and 2.19.1), or they are written in different schemes (protobuf's release 36.2 and its
    C++ library's 7.36.2: another count of parts or another major). Only two releases of one
    series (3.3.9 and 3.3.10) do."""
    pa, pb = a.split("."), b.split(".")
    n = min(len(pa), len(pb))
    return pa[:n] == pb[:n] or len(pa) != len(pb) or pa[0] != pb[0]


def _immediate_versions(data: bytes | mmap.mmap, lib: Library) -> Iterator[tuple[str, str]]:
    """(version, text) from the text the code writes as 8-byte immediates, read with ``lib``'s
    string readers whose anchor has at least 5 bytes (its first 8 are the first immediate; a
    shorter anchor is the start of it: "MUMPS " in ``movabs rcx, "MUMPS 5."``)."""
    for reader in lib.strings:
        needle = reader.anchor[:8]
        if len(needle) < 5:
            continue
        pos, seen = data.find(needle), 0
        while pos >= 2 and seen < 16:
            seen += 1
            if data[pos - 2] in (0x48, 0x49) and 0xB8 <= data[pos - 1] <= 0xBF:
                lead = bytes(data[pos:pos + 8])
                text = x86_immediate_text(data, pos - 2, lead)
                vm = reader.regex.search(text + b"\x00") if text else None
                version = _group(vm, reader.template) if vm and reader.table is None else None
                if version:
                    yield version, text.decode("latin-1")
                    return
            pos = data.find(needle, pos + 1)


_PACKAGE_KINDS = ("debuglink", "package-note")
_API_KINDS = ("version-function", "version-symbol", "symbol")


def _package_against_api(found: dict[str, dict[str | None, list[Evidence]]],
                         weight: dict[tuple[str, str], int], name: str) -> None:
    """A distribution package's version (its debug link, its package note) that the library's own
    version function contradicts is a suite's: SuiteSparse 4.4.6's RPM builds libcholmod, whose
    cholmod_version() says 3.0.6. The library's own word stands; a package that agrees with it
    (OpenSSL 1.1.1k's libcrypto) keeps backing it."""
    by_version = found.get(name)
    if not by_version:
        return
    api = {v for v, evs in by_version.items() if v is not None and any(e.kind in _API_KINDS for e in evs)}
    if not api:
        return
    for v in [v for v, evs in by_version.items() if v is not None and v not in api
              and all(e.kind in _PACKAGE_KINDS for e in evs)]:
        split = split_distro(v)
        if (split.upstream if split else v) not in api:
            by_version.pop(v)
            weight.pop((name, v), None)


def _fold_distro(name: str, by_version: dict[str | None, list[Evidence]],
                 weight: dict[tuple[str, str], int]) -> None:
    """A distribution's build (1.2.7-21.el7_9) and the upstream version it says (1.2.7) are one
    version: the build's, backed by both."""
    for v in [v for v in by_version if v is not None]:
        split = split_distro(v)
        if split is None or split.upstream not in by_version:
            continue
        by_version[v] = by_version[v] + [e for e in by_version.pop(split.upstream) if e not in by_version[v]]
        weight[(name, v)] = weight.get((name, v), 0) + weight.pop((name, split.upstream), 0)


# what a version text adds to a release number when the build is no release
_DEV_MARK = re.compile(r"(?P<base>[0-9]+(?:\.[0-9]+)+)"
                       r"(?:-motley|-audit| (?:WIP|wip|dev|devel|unreleased|snapshot))")


def _fold_development(by_version: dict[str | None, list[Evidence]], weight: dict[tuple[str, str], int],
                      name: str) -> None:
    """A development build's version text (zlib's "1.2.13.1-motley", "1.3.1.2-audit") and the bare
    number its other texts give (the banners' "1.2.13.1") are one version: the marked one, backed
    by both. The bare number alone would pass for a release."""
    for v in [v for v in by_version if v is not None]:
        dm = _DEV_MARK.fullmatch(v)
        if dm is None or dm.group("base") not in by_version:
            continue
        base = dm.group("base")
        by_version[v] = by_version[v] + [e for e in by_version.pop(base) if e not in by_version[v]]
        weight[(name, v)] = weight.get((name, v), 0) + weight.pop((name, base), 0)


def _refined(name: str, versions: list[str], by_version: dict[str | None, list[Evidence]],
             weight: dict[tuple[str, str], int]) -> list[str]:
    """A version's bare numbers and a text of the same file that goes on past them with a suffix
    (LLVMGetVersion() stores 24, 0, 0 where LLVM's banner says "24.0.0git", a snapshot before
    24.0.0; libpng's 10643 beside "1.6.43.git") are one version: the text's, which says more,
    backed by both. Only when exactly one text goes on past the numbers (a further number is no
    suffix: "1.6.43.1" is another release)."""
    for v in sorted(versions, key=len):
        longer = [w for w in versions if len(w) > len(v) and w.startswith(v) and not w[len(v)].isdigit()
                  and (w[len(v)] != "." or w[len(v) + 1:len(v) + 2].isalpha())]
        if len(longer) != 1 or v not in by_version:
            continue
        w = longer[0]
        if _GIT_DEV.fullmatch(w[len(v):]) and any(e.kind == "build-path" and _TAG_TREE.search(e.detail)
                                                  for e in by_version[v]):
            # a "-DEV"/"_DEV" text from the git tree of the release's own tag, which vcpkg fetched
            # (buildtrees/curl/src/url-8_17_0-<hash>.clean): curl and libssh2 keep the mark in git
            # and drop it only in their release tarballs, so the code is the release
            by_version[v] = by_version[v] + [e for e in by_version.pop(w) if e not in by_version[v]]
            weight[(name, v)] = weight.get((name, v), 0) + weight.pop((name, w), 0)
            continue
        by_version[w] = by_version[w] + [e for e in by_version.pop(v) if e not in by_version[w]]
        weight[(name, w)] = weight.get((name, w), 0) + weight.pop((name, v), 0)
    return [v for v in versions if v in by_version]


_GIT_DEV = re.compile(r"[-_]DEV")
# vcpkg's source folder, fetched from a git ref (the release's tag): buildtrees/<port>/src/<ref>-<hash>
_TAG_TREE = re.compile(r"/buildtrees/[^/]+/src/")


def _names_itself(symbol: str, lib: Library) -> bool:
    """Whether a version reader's symbol, defined but read to no version, still says the library
    is there: its name says version or carries the library's name (``zlibVersion``,
    ``cJSON_Version``, ``git_libgit2_version``). A generic name (zlib's ``compress``, which
    python-lz4 defines for itself) proves nothing on its own."""
    low = re.sub(r"[^a-z0-9]", "", symbol.lower())
    stem = _norm_name(lib.name)
    return "ver" in low or (len(stem) >= 3 and stem[:4] in low)


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def _between_releases(data: bytes | mmap.mmap, info: BinaryInfo, reader: StringReader
                      ) -> tuple[str, str] | None:
    """(version, what was seen) for a table reader keyed by check-in date and time: the file's one
    key, absent from the table, lies between two keys, and the file holds exactly one whole release
    text (NUL on both sides) between those keys' releases; else None."""
    assert reader.table is not None
    keys: set[str] = set()
    for lo, hi in info.data_ranges:
        for vm in reader.regex.finditer(data, lo, hi):
            keys.add(vm.group(1).decode("latin-1"))
            if len(keys) > 1:
                return None
    if len(keys) != 1:
        return None
    (key,) = keys
    ordered = sorted(reader.table)
    at = bisect.bisect(ordered, key)
    if key in reader.table or at == 0 or at == len(ordered):
        return None  # read by the table itself, or outside the span it covers
    before, after = reader.table[ordered[at - 1]], reader.table[ordered[at]]
    low, high = _release(before), _release(after)
    texts: set[str] = set()
    for major in sorted({low[0], high[0]}):
        lead = b"\x00" + str(major).encode() + b"."
        for lo, hi in info.data_ranges:
            i = data.find(lead, lo, hi)
            while i != -1:
                tm = _RELEASE_TEXT.match(data, i, min(hi, i + 16))
                if tm and low < _release(tm.group(1).decode()) < high:
                    texts.add(tm.group(1).decode())
                    if len(texts) > 1:
                        return None
                i = data.find(lead, i + 1, hi)
    if len(texts) != 1:
        return None
    (version,) = texts
    return version, (f"{key}: a check-in between {before}'s and {after}'s, beside the text '{version}'")


_RELEASE_TEXT = re.compile(rb"\x00([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})\x00")


def _key(lib: Library) -> str:
    """Libraries by name, a Rust crate apart from the C library of the same name (openssl)."""
    return lib.name if lib.purl_type != "cargo" else f"cargo:{lib.name}"


def _norm_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()).removeprefix("lib")


def _product_name(data: bytes | mmap.mmap, info: BinaryInfo) -> str | None:
    """A PE file's VERSIONINFO ProductName, if it has one."""
    if info.format != "pe":
        return None
    try:
        return version_resource(data, info).get("ProductName") or None
    except _MALFORMED:
        return None


def _generic_name(basename: str, soname: str | None, key: str, product: str | None = None) -> str:
    """A library's name from its SONAME or file name: ``libgeotiff``, ``geos_c``, ``zmq``."""
    # a file named with its release or API version names the library without it: libdw-0.176.so
    # is libdw, libusb-1.0.so is libusb, avcodec-61.dll is avcodec (the number proves nothing)
    name = _RELEASE_TAIL.sub("", key) or key
    # a DLL named with its API number run on (glfw3.dll) whose VERSIONINFO names the product
    # without it (ProductName "GLFW"): the library is the product
    bare = _API_DIGITS.sub("", name)
    if product and bare != name and len(bare) >= 3 and \
            re.sub(r"[^a-z0-9]", "", product.lower()) == re.sub(r"[^a-z0-9]", "", bare):
        name = bare
    for candidate in filter(None, ((soname or "").rsplit("/", 1)[-1], basename)):
        if file_key(candidate) == key:
            low = candidate.lower()
            return f"lib{name}" if low.startswith("lib") else name
    return name


_RELEASE_TAIL = re.compile(r"-[0-9]+(?:\.[0-9]+)*$")
_API_DIGITS = re.compile(r"(?<=[a-z])[0-9]{1,2}$")


# the literal leads of the regexes _hits was asked for (the generic evidence's seeds): the anchor
# pass of the next binaries records where they are, so _hits skips the windows without them
_LEADS: dict[bytes, None] = {}


def _hits(rx: re.Pattern[bytes], data: bytes | mmap.mmap, ranges: list[tuple[int, int]],
          seen: dict[bytes, list[list[int]]] | None = None) -> Iterator[tuple[int, int, re.Match[bytes]]]:
    """(range start, range end, hit) for every hit of ``rx`` in the data ranges, in order, exactly
    as one ``finditer`` per range finds them. ``seen``: where literal words start, per range (from
    the anchor pass)."""
    release = getattr(data, "madvise", None) if isinstance(data, mmap.mmap) else None
    lead = _literal_prefix(rx)
    if lead and lead not in _LEADS and len(_LEADS) < 16:
        _LEADS[lead] = None
    where = seen.get(lead) if lead and seen else None
    for index, (start, end) in enumerate(ranges):
        pos = start
        resume = start  # finditer never reports a hit overlapping the previous one
        while pos < end:
            stop = min(end, pos + _WINDOW)
            # a window without the text every hit starts with has no hit: known from the anchor
            # pass, else one memchr-speed find instead of the regex engine's byte-by-byte scan
            upto = min(end, stop + _OVERLAP)
            absent = False
            if lead:
                if where is not None:
                    starts = where[index]
                    i = bisect.bisect_left(starts, pos)
                    absent = i == len(starts) or starts[i] + len(lead) > upto
                else:
                    absent = data.find(lead, pos, upto) < 0
            for hit in () if absent else rx.finditer(data, pos, upto):
                if hit.start() >= stop:
                    break
                if hit.start() < resume:
                    continue
                resume = hit.end()
                yield start, end, hit
            # (the find read the window too: its pages are given back like the regex's)
            if release is not None and stop - pos >= _WINDOW:
                release = give_back(release, pos, stop)
            pos = stop


@functools.lru_cache(maxsize=64)
def _literal_prefix(rx: re.Pattern[bytes]) -> bytes:
    """The bytes every match of ``rx`` starts with, when there are at least three of them (b""
    otherwise, or when the pattern cannot be read so)."""
    if rx.flags & re.IGNORECASE:
        return b""
    try:
        from re import _parser  # the parser re compiles with (CPython 3.11+)

        out = bytearray()
        for op, arg in _parser.parse(rx.pattern, rx.flags):
            if op is not _parser.LITERAL:
                break
            out.append(arg)
    except Exception:  # only a speed-up: without it every window is searched
        return b""
    return bytes(out) if len(out) >= 3 else b""


def _anchor_hits(m: LibraryMatcher, data: bytes | mmap.mmap, ranges: list[tuple[int, int]],
                 seen: dict[bytes, list[list[int]]]) -> Iterator[tuple[int, int, int, int, bytes]]:
    """(range start, range end, hit start, hit end, anchor) for every hit of the matcher's anchor
    regex in the data ranges, exactly as one ``m.anchors.finditer`` per range reports them; and in
    ``seen``, where the leads of ``_LEADS`` start (once the generator is exhausted)."""
    search = _literal_search(tuple(sorted(set(m.by_anchor) | set(m.markers))), tuple(sorted(_LEADS)),
                             m.anchors)
    if search is None:
        for start, end, hit in _hits(m.anchors, data, ranges):
            yield start, end, hit.start(), hit.end(), hit.group()
        return
    yield from search.hits(data, ranges, seen)


@functools.lru_cache(maxsize=4)
def _literal_search(words: tuple[bytes, ...], silent: tuple[bytes, ...],
                    compiled: re.Pattern[bytes] | None) -> LiteralSearch | None:
    """The fast search for ``words`` (and ``silent`` ones, only recorded), when ``compiled`` is
    exactly their trie regex (else None: the regex is used as it is)."""
    if not words or compiled is None or compiled.pattern != trie_regex(list(words)).pattern or \
            max(map(len, words + silent)) > _OVERLAP:
        return None
    return literal_search(words, silent)


def _shown(text: bytes) -> str:
    """A matched text as evidence shows it: the strings it spans (a banner and the build block
    after it) joined by one space, not by their NUL terminators."""
    return re.sub(rb"\x00+", b" ", text).decode("latin-1").strip(" \n")


def _group(vm: re.Match[bytes], template: str | None = None) -> str | None:
    if template is not None:
        text = fill_template(template, vm.groups())
        return text if text and _VERSIONISH.match(text) else None
    try:
        raw = vm.group("v")
    except IndexError:
        raw = vm.group(1)
    if raw is None:
        return None
    text = raw.decode("latin-1").strip()
    return text if _VERSIONISH.match(text) else None


def packed_text_version(reader: SymbolReader, text: str) -> str | None:
    """The version a packed number written as text states, with the build's extra after it
    (libxml2's xmlParserVersion "21504-GITv2.15.4"): a git build at exactly the release's tag is
    the release; commits after the tag are kept as git describes them (2.15.4-12-g1a2b3c4); any
    other extra proves nothing."""
    dm = _PACKED_EXTRA.fullmatch(text)
    if dm is None:
        return None
    packed = int_version(reader, int(dm.group("n")))
    if packed is None or (dm.group("tag") is not None and dm.group("tag") != packed):
        return None
    return packed + (dm.group("after") or "")


_PACKED_EXTRA = re.compile(r"(?P<n>[0-9]+)(?:-GITv?(?P<tag>[0-9]+(?:\.[0-9]+)+)"
                           r"(?P<after>-[0-9]+-g[0-9a-f]{4,40})?)?")


def _symbol_version(data: bytes, info: BinaryInfo, sym: Symbol,
                    reader: SymbolReader) -> tuple[str | None, str]:
    value = read_symbol(data, info, sym, reader.read)
    if value is None:
        return None, ""
    if reader.then:
        # one part per function (major, then minor...): each a small constant its function returns
        nums = [value]
        for name in reader.then:
            nxt = info.symbol(name)
            nums.append(read_symbol(data, info, nxt, "ret-int") if nxt is not None else None)
        if not all(isinstance(n, int) and 0 <= n < 1000 for n in nums):
            return None, ""
        text = ".".join(map(str, nums))
        return text, text
    if isinstance(value, int):
        return int_version(reader, value), f"{value:#x}" if value > 0xFFFF else str(value)
    if reader.regex is not None:
        vm = reader.regex.fullmatch(value)
        if not vm:
            return None, value
        value_v = vm.group(1)
    else:
        value_v = value
    if reader.fields and value_v.isdigit():
        return int_version(reader, int(value_v)), repr(value)
    if reader.fields and value_v[:1].isdigit() and "." not in value_v.partition("-")[0]:
        return packed_text_version(reader, value_v), repr(value)  # a packed number, not 1.1.39
    if reader.major is not None and value_v.split(".")[0] != str(reader.major):
        return None, repr(value)  # u_getVersion_69 answering "70.1": not this build's
    return (value_v if _VERSIONISH.match(value_v) else None), repr(value)
