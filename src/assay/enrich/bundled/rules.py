"""The library table (``assay/data/bundled/libraries.toml``) and the one matcher compiled from it.

Every library is data: file base names, version readers (a regex over constant
data, or a symbol whose code/constant is read), NVD ``vendor:product`` and purl.
:func:`matcher` compiles all string readers into one byte regex (a trie of their
literal anchors, so each binary's constant data is scanned once) and indexes file
base names for a longest-prefix lookup. Adding a library is adding an entry.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field

from assay.data import read_text
from assay.enrich.bundled.decode import format_int


@dataclass(frozen=True, slots=True)
class StringReader:
    anchor: bytes
    regex: re.Pattern[bytes]  # group "v" (or group 1) is the version
    window: int  # bytes before the anchor that the regex may start at
    template: str | None = None  # the version from several groups: "{1}.{2}.{3}"
    # group 1 is a key, the version is its release by this table (a source id's check-in), and
    # a key not in it proves nothing
    table: dict[str, str] | None = None
    beside: int = 0  # >0: the regex reads a constant the code loads within this many bytes after the anchor
    before: int = 0  # with beside: or one it loads within this many bytes before the anchor's load
    # >0: the anchor is a whole name (NUL before it, and its own NUL ending it) that a table of
    # pointers names, and the pointer this many bytes after the name's is a function returning the
    # version text, which the regex reads (x86-64 PE)
    entry: int = 0
    # >0: the anchor is a whole text (NUL before it, its own NUL ending it) that a static record
    # points to, and the record's pointer this many bytes before that one points to the version
    # text, which the regex reads, when a uint32 of the record's 8 bytes before it packs the same
    # version as 0xMMmmpp (64-bit PE)
    record: int = 0
    # >0: the anchor is a whole printf format, and the version is the text its n-th variadic
    # argument points to where the code passes the version-text field (+8) of the record a
    # function called just before returns, that function loading a record which holds the text
    # and the same version packed as 0xMMmmpp (x86-64: curl's "ngtcp2/%s nghttp3/%s")
    format_arg: int = 0
    # the dword fields (byte offsets) that a function stores the version's parts into, which the
    # caller of the function loading the anchor (a whole text: NUL before it, the regex matching
    # at it) calls a little before it (x86-64 PE); ``value`` is a regex the parts joined by "."
    # must fullmatch
    sibling_stores: tuple[int, ...] = ()
    value: re.Pattern[str] | None = None
    # the anchor starts a printf format whose integers the code passes as constants: this regex
    # reads the version (group 1) in the text rendered at a call site; the regex above only
    # checks the data at the anchor (the format and what surrounds it)
    printf: re.Pattern[str] | None = None
    # >0: the anchor is a whole text (NUL before it, its own NUL ending it) that a static record
    # points to, and the record holds the version as three uint16 (major, minor, micro) this many
    # bytes before that pointer (64-bit PE: libusb's {1, 0, 26, nano, rc, "http://libusb.info"}
    # where no symbol names libusb_get_version); the regex only checks the text at the anchor
    u16_before: int = 0
    # the text proves the version only in a file that also holds one of the library's markers
    # (libjpeg-turbo's version line names CMake's top project, the host's name when it is built
    # as a subproject: "alosg version 2.1.5 (build 20260815)")
    with_marker: bool = False
    # with a table keyed by check-in date and time (SQLite's source ids): a key the table lacks,
    # whose date lies between two of its keys, proves the one release text in the file that lies
    # between their releases (3.38.3's check-in falls between 3.38.0's and 3.39.0's)
    between: bool = False


@dataclass(frozen=True, slots=True)
class SymbolReader:
    symbol: str
    read: str  # ret-int | ret-str | int | str | ptr-str
    fields: tuple[str, ...] = ()  # for integers: how to unpack major.minor.patch
    regex: re.Pattern[str] | None = None  # for strings: what the value must look like (group 1 = version)
    min: int | None = None  # integers outside [min, max) are another encoding or a fork: no version
    max: int | None = None
    major: int | None = None  # a symbol renamed with the major version (ICU's u_getVersion_69)
    # further functions returning the next parts of the version, in order, when the library
    # gives each part by a function of its own (liburing's io_uring_major_version() and
    # io_uring_minor_version()): read as ret-int, joined with "."
    then: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HeaderReader:
    """A version in a vendored C source tree (sdists): a header's #defines."""

    file: str  # the header's base name, e.g. "zlib.h"
    regex: re.Pattern[bytes]  # groups joined with "." (or one integer unpacked with fields)
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SonameMap:
    """The libtool version in a SONAME/file name that one upstream release always had."""

    pattern: re.Pattern[str]  # over the soname/file name; group 1 = libtool version
    table: dict[str, str]
    source: str


@dataclass(frozen=True, slots=True)
class Library:
    name: str
    kind: str  # "native" | "javascript"
    cpe: str | None  # NVD vendor:product
    purl_type: str
    purl_name: str
    files: tuple[str, ...]
    strings: tuple[StringReader, ...]
    symbols: tuple[SymbolReader, ...]
    sonames: tuple[SonameMap, ...]
    markers: tuple[bytes, ...]
    description: str = ""
    shadows: tuple[str, ...] = ()  # libraries this one imitates (zlib-ng's zlib-compatible strings)
    # its marker alone proves the imitated library's version texts in the file are its look-alikes
    # (libjpeg-turbo keeps IJG's JVERSION; one file cannot hold both, as both define jpeg_*)
    marker_shadows: bool = False
    # its markers say the copy is there (false: they only let its between-releases reader look,
    # as a text that a client of the library may quote too, DuckDB naming SQLite's file header)
    marker_presence: bool = True
    # a text only the imitation's version of the imitated API has (zlib-ng's compatible
    # ZLIB_VERSION, "1.3.1.zlib-ng"): with it, the imitated library's version texts in the same
    # file are the imitation's (the banners zlib-ng keeps), never the imitated library's
    imitation_text: bytes | None = None
    headers: tuple[HeaderReader, ...] = ()
    prefixes: tuple[str, ...] = ()  # symbol prefixes only its code defines ("hb_", "FT_")
    min_symbols: int = 8  # defined symbols with a prefix that make a static copy
    prefix_versions: bool = True  # its prefixed version functions state the release (not ffmpeg's)
    quoted_by_clients: bool = False  # its version text is a header macro its clients print too
    versioninfo: bool = True  # its Windows VERSIONINFO numbers its releases (not a fixed 1,0,0,0)
    version_parts: int = 3  # a release's parts at most: VERSIONINFO's zeros beyond them are padding
    # its VERSIONINFO numbers are no release but its text states one: a regex over the
    # FileDescription and ProductName (group 1 = the version; NVIDIA's "CUDA Runtime, Version 12.0.107")
    versioninfo_text: re.Pattern[str] | None = None
    prefix_then_upper: bool = False  # its prefixes count only before a capital (cmsOpen..., not cms_)
    sources: tuple[str, ...] = ()  # source-tree names (freetype, libjpeg-turbo, tiff) besides name/files
    toolchain: str | None = None  # a toolchain runtime's own source tree (gcc for libgfortran)
    crates: tuple[str, ...] = ()  # Rust crates that compile this C library, numbered by its release
    # its files are named with its release (elfutils' libelf-0.176.so, whose SONAME is libelf.so.1):
    # a regex over the file's own name (an auditwheel hash taken out) and its debug link, group 1
    named_release: re.Pattern[str] | None = None
    # its files' SONAME major versions, where another project ships a library of the same name
    # (e2fsprogs' libcom_err.so.2; MIT krb5 builds its own libcom_err.so.3): a file with another
    # major, or none in its name (a DLL), is not this library by its name
    file_majors: tuple[str, ...] = ()

    def purl(self, version: str | None) -> str:
        from assay.identity.purl import purl

        return purl(self.purl_type, self.purl_name, version)

    def cpe23(self, version: str | None) -> str | None:
        if not self.cpe:
            return None
        from assay.identity.cpe import cpe23

        vendor, product = self.cpe.split(":")
        return cpe23(vendor, product, version)


@dataclass(slots=True)
class LibraryMatcher:
    libraries: list[Library]
    native: list[Library] = field(default_factory=list)
    javascript: list[Library] = field(default_factory=list)
    anchors: re.Pattern[bytes] | None = None
    js_anchors: re.Pattern[bytes] | None = None
    by_anchor: dict[bytes, list[tuple[Library, StringReader]]] = field(default_factory=dict)
    js_by_anchor: dict[bytes, list[tuple[Library, StringReader]]] = field(default_factory=dict)
    by_file: dict[str, list[Library]] = field(default_factory=dict)
    file_rx: re.Pattern[str] | None = None
    with_symbols: list[Library] = field(default_factory=list)
    imitations: list[Library] = field(default_factory=list)  # libraries with an imitation_text
    markers: dict[bytes, Library] = field(default_factory=dict)
    by_header: dict[str, list[tuple[Library, HeaderReader]]] = field(default_factory=dict)
    by_prefix: list[tuple[str, Library]] = field(default_factory=list)  # longest prefix first
    prefix_pattern: bytes | None = None  # group 1 = a declared prefix, at a symbol name's start
    prefix_min: dict[str, tuple[Library, int]] = field(default_factory=dict)
    # group 1 = a vendor's prefix then a declared prefix of a library with version symbols under it
    # ("matsdk_sqlite3_"): a copy of the library whose symbols the vendor renamed
    vendor_pattern: bytes | None = None
    # symbol prefix -> the table library it ties to (evidence._tie_prefix, asked per version symbol)
    tied: dict[str, Library | None] = field(default_factory=dict)
    by_source: dict[str, Library] = field(default_factory=dict)  # normalised source-tree name -> library
    by_crate: dict[str, Library] = field(default_factory=dict)  # a crate that builds the library -> it
    symbol_pattern: bytes | None = None  # every symbol the table's readers read, as one trie
    reader_symbols: frozenset[str] = frozenset()  # the same symbols, as a set
    # first three characters -> (library, part): the parts a renamed copy's names may go on with
    # (declared prefixes that end in "_", symbols the table reads of the library)
    rename_parts: dict[str, list[tuple[Library, str]]] = field(default_factory=dict)

    def library_for_source(self, name: str) -> Library | None:
        """The table library a source tree or build label names (``libpng``, ``tiff``, ``zlib-ng``)."""
        key = _source_key(name)
        return self.by_source.get(key) or self.by_source.get(key.removeprefix("lib"))

    def libraries_for_file(self, basename: str) -> list[Library]:
        """The libraries a shared-library file name may be (auditwheel/delocate/delvewheel names too).

        Several when implementations share a name (libjpeg: libjpeg-turbo or IJG's); the
        file's content decides, else the first listed in the data file."""
        stem = _file_stem(basename)
        if stem is None or self.file_rx is None:
            return []
        if not basename.lower().startswith("lib") and not basename.lower().endswith(".dll"):
            # a shared object that is no "lib..." is a plugin or a module loaded by path
            # (aiotieba's crypto.so, tls-client's tls-client-linux-ubuntu-amd64.so): its name
            # is the project's, not OpenSSL's or LibreSSL's; Windows DLLs go without "lib"
            return []
        m = self.file_rx.match(stem)
        if not m:
            return []
        libs = self.by_file.get(m.group(1), [])
        if any(lib.file_majors for lib in libs):
            major = _MAJOR.search(basename)
            libs = [lib for lib in libs if not lib.file_majors
                    or (major is not None and (major.group(1) or major.group(2)) in lib.file_majors)]
        return libs


# a shared library's major version in its name: libfoo.so.2.1, libfoo-1a2b3c4d.so.2, libfoo.2.dylib
_MAJOR = re.compile(r"\.so\.([0-9]+)|\.([0-9]+)(?:\.[0-9]+)*\.dylib$")
_PYEXT = re.compile(r"\.(cpython-|abi3\.|cp\d+-win|pypy)|\.pyd$", re.I)
_SHLIB = re.compile(r"^(?P<stem>.+?)(?:\.so(?:\.[0-9][0-9a-z.]*)?|(?:\.[0-9]+)*\.dylib|\.dll)$", re.I)
_HASH = re.compile(r"-[0-9a-f]{8}$|-[0-9a-f]{32}$")
# auditwheel puts its hash before the first dot: libldap-2.4.so.2 -> libldap-2-cea2a960.4.so.2.10.9
_INNER_HASH = re.compile(r"-[0-9a-f]{8}(?=\.[0-9])")
# a MinGW/libtool DLL carries its ABI number after a dash: libmpc-3.dll, flint-23.dll, libgmp-10.dll
_DLL_ABI = re.compile(r"-[0-9]{1,3}$")


def _source_key(name: str) -> str:
    return re.sub(r"[^a-z0-9+]", "", name.lower())


def file_key(basename: str) -> str | None:
    """What a shared library's file name says it is: ``libgeotiff-5a7d2b.so.5.2.0`` -> ``geotiff``;
    None for a Python extension module or a file that is no shared library."""
    return _file_stem(basename)


_GENERIC: dict[tuple[str, str], Library] = {}


def generic_library(name: str, purl_type: str = "generic") -> Library:
    """A library the table does not name (from a file name, a build path, a version function):
    its name and a purl, no CPE (none is known for sure)."""
    key = (name, purl_type)
    lib = _GENERIC.get(key)
    if lib is None:
        lib = _GENERIC[key] = Library(name=name, kind="native", cpe=None, purl_type=purl_type, purl_name=name,
                                      files=(), strings=(), symbols=(), sonames=(), markers=())
    return lib


def is_extension_module(basename: str) -> bool:
    """Whether a file name is a Python extension module's (``x.cpython-312-x86_64-linux-gnu.so``,
    ``x.cp312-win_amd64.pyd``, ``x.abi3.so``, ``x.pyd``)."""
    return bool(_PYEXT.search(basename))


def _file_stem(basename: str) -> str | None:
    if _PYEXT.search(basename):
        return None  # a Python extension module is named after the module, not a library
    m = _SHLIB.match(basename)
    if not m:
        return None
    stem = _INNER_HASH.sub("", _HASH.sub("", m.group("stem").lower()), count=1)
    if basename.lower().endswith(".dll"):
        stem = _DLL_ABI.sub("", stem)
    return stem.removeprefix("lib")


def _load_table() -> dict:
    text = read_text("bundled", "libraries.toml")
    return tomllib.loads(text)


_TEMPLATE_GROUP = re.compile(r"\{([0-9])\}")


def fill_template(template: str, groups: tuple[bytes | None, ...]) -> str | None:
    """``"{1}.{2}.{3}"`` filled with a match's groups (1-based); None when one of them is missing."""
    parts = []
    pos = 0
    for m in _TEMPLATE_GROUP.finditer(template):
        g = groups[int(m.group(1)) - 1]
        if g is None:
            return None
        parts.append(template[pos:m.start()])
        parts.append(g.decode("latin-1"))
        pos = m.end()
    parts.append(template[pos:])
    return "".join(parts)


def _compile_library(entry: dict, kind: str) -> Library:
    name = entry["name"]
    strings = []
    symbols = []
    sonames = []
    for v in entry.get("versions", []):
        if "regex" in v:
            rx = re.compile(v["regex"].encode("latin-1"), re.S)
            if rx.groups < 1:
                raise ValueError(f"{name}: version regex needs a group: {v['regex']}")
            template = v.get("version")
            if template is not None:
                used = {int(g) for g in _TEMPLATE_GROUP.findall(template)}
                if not used or max(used) > rx.groups or _TEMPLATE_GROUP.sub("", template).strip(".-_"):
                    raise ValueError(f"{name}: version template {template!r} needs groups of {v['regex']}")
            table = {str(k): str(t) for k, t in v["table"].items()} if "table" in v else None
            if table is not None and (template is not None or "window" in v):
                raise ValueError(f"{name}: a version table reads group 1 at the anchor, alone")
            # a table's keys are its anchors: each one is where its match starts
            anchors = v["anchor"] if "anchor" in v else list(table or ())
            if not anchors:
                raise ValueError(f"{name}: version regex needs an anchor (or a table): {v['regex']}")
            for anchor in anchors if isinstance(anchors, list) else [anchors]:
                strings.append(StringReader(anchor.encode("latin-1"), rx, int(v.get("window", 0)), template,
                                            table, int(v.get("beside", 0)),
                                            before=int(v.get("before", 0)), entry=int(v.get("entry", 0)),
                                            record=int(v.get("record", 0)),
                                            format_arg=int(v.get("format_arg", 0)),
                                            sibling_stores=tuple(v.get("sibling_stores", ())),
                                            value=re.compile(v["value"]) if "value" in v else None,
                                            printf=re.compile(v["printf"]) if "printf" in v else None,
                                            u16_before=int(v.get("u16_before", 0)),
                                            with_marker=bool(v.get("with_marker", False)),
                                            between=bool(v.get("between", False)) and table is not None))
        elif "symbol" in v:
            vrx = re.compile(v["value"]) if "value" in v else None
            symbols.append(SymbolReader(v["symbol"], v["read"], tuple(v.get("fields", ())), vrx,
                                        v.get("min"), v.get("max"), then=tuple(v.get("then", ()))))
            lo, hi = v.get("renamed", (0, -1))
            for major in range(int(lo), int(hi) + 1):
                # the library renames its symbols with its major version (u_getVersion_69): the
                # version read must then start with that major
                symbols.append(SymbolReader(f"{v['symbol']}_{major}", v["read"], tuple(v.get("fields", ())),
                                            vrx, v.get("min"), v.get("max"), major))
        elif "soname" in v:
            sonames.append(SonameMap(re.compile(v["soname"]), dict(v["table"]), v.get("source", "")))
        else:
            raise ValueError(f"{name}: unknown version reader {v}")
    purl = entry.get("purl", f"generic/{name}")
    ptype, _, pname = purl.partition("/")
    return Library(
        name=name, kind=kind, cpe=entry.get("cpe"), purl_type=ptype, purl_name=pname,
        files=tuple(f.lower() for f in entry.get("files", ())), strings=tuple(strings),
        symbols=tuple(symbols), sonames=tuple(sonames),
        markers=tuple(m.encode("latin-1") for m in entry.get("markers", ())),
        description=entry.get("description", ""), shadows=tuple(entry.get("shadows", ())),
        marker_shadows=bool(entry.get("marker_shadows", False)),
        marker_presence=bool(entry.get("marker_presence", True)),
        imitation_text=entry["imitation_text"].encode("latin-1") if "imitation_text" in entry else None,
        prefixes=tuple(entry.get("prefixes", ())), min_symbols=int(entry.get("min_symbols", 8)),
        prefix_versions=bool(entry.get("prefix_versions", True)),
        quoted_by_clients=bool(entry.get("quoted_by_clients", False)),
        versioninfo=bool(entry.get("versioninfo", True)),
        version_parts=int(entry.get("version_parts", 3)),
        versioninfo_text=re.compile(entry["versioninfo_text"]) if "versioninfo_text" in entry else None,
        prefix_then_upper=bool(entry.get("prefix_then_upper", False)),
        sources=tuple(entry.get("sources", ())),
        toolchain=entry.get("toolchain"),
        crates=tuple(entry.get("crates", ())),
        named_release=re.compile(entry["named_release"]) if "named_release" in entry else None,
        file_majors=tuple(str(v) for v in entry.get("file_majors", ())),
        headers=tuple(HeaderReader(h["file"], re.compile(h["regex"].encode("latin-1"), re.S),
                                   tuple(h.get("fields", ()))) for h in entry.get("headers", ())),
    )


def trie_regex(words: list[bytes]) -> re.Pattern[bytes]:
    """One regex matching any of ``words``, factored as a trie so each position tries one branch."""
    trie: dict = {}
    for w in words:
        node = trie
        for b in w:
            node = node.setdefault(b, {})
        node[None] = {}

    def build(node: dict) -> bytes:
        end = None in node
        keys = sorted(k for k in node if k is not None)
        if not keys:
            return b""
        alts = [re.escape(bytes([k])) + build(node[k]) for k in keys]
        if len(alts) == 1 and not end:
            return alts[0]
        out = b"(?:" + b"|".join(alts) + b")"
        return out + b"?" if end else out

    return re.compile(build(trie))


@functools.cache
def matcher() -> LibraryMatcher:
    table = _load_table()
    libs = [_compile_library(e, "native") for e in table.get("library", [])]
    libs += [_compile_library(e, "javascript") for e in table.get("javascript", [])]
    m = LibraryMatcher(libraries=libs)
    m.native = [lib for lib in libs if lib.kind == "native"]
    m.javascript = [lib for lib in libs if lib.kind == "javascript"]
    for lib in m.native:
        for reader in lib.strings:
            m.by_anchor.setdefault(reader.anchor, []).append((lib, reader))
        for marker in lib.markers:
            m.markers[marker] = lib
        for f in lib.files:
            m.by_file.setdefault(f, []).append(lib)
        if lib.symbols:
            m.with_symbols.append(lib)
        if lib.imitation_text and lib.shadows:
            m.imitations.append(lib)
        for header in lib.headers:
            m.by_header.setdefault(header.file, []).append((lib, header))
        for prefix in lib.prefixes:
            m.by_prefix.append((prefix, lib))
            m.prefix_min[prefix] = (lib, lib.min_symbols)
        for source in (lib.name, *lib.files, *lib.sources):
            m.by_source.setdefault(_source_key(source), lib)
        for crate in lib.crates:
            m.by_crate[crate] = lib
    m.by_prefix.sort(key=lambda pl: -len(pl[0]))
    m.reader_symbols = frozenset(r.symbol for lib in m.with_symbols for r in lib.symbols)
    names = sorted(s.encode() for s in m.reader_symbols)
    if names:
        m.symbol_pattern = trie_regex(names).pattern
    for lib in m.native:
        for part in {*[p for p in lib.prefixes if p.endswith("_")], *(r.symbol for r in lib.symbols)}:
            if len(part) >= 3:
                m.rename_parts.setdefault(part[:3], []).append((lib, part))
    if m.prefix_min:
        upper = sorted(p for p, (lib, _n) in m.prefix_min.items() if lib.prefix_then_upper)
        rest = sorted(p.encode() for p in m.prefix_min if p not in upper)
        alts = [re.escape(p).encode() + b"(?=[A-Z])" for p in upper] + [trie_regex(rest).pattern]
        # a prefix and a bare number is no API name (FFTW's halfcomplex codelets hb_2 ... hb_32, and
        # their source files hb_2.c ..., are not HarfBuzz's hb_*): the names counted go on with a word;
        # a C API compiled as C++ without extern "C" keeps its free functions' names after "_Z" and
        # their length (Grok's _Z21grk_decompress_createP11_grk_object)
        m.prefix_pattern = rb"(?:_Z[1-9][0-9]{0,2})?(" + b"|".join(alts) + rb")(?![0-9]+(?:\.[^\x00]*)?\x00)"
        renamed = sorted({p.encode() for p, (lib, _n) in m.prefix_min.items() if not lib.prefix_then_upper
                          and any(r.symbol.startswith(p) for r in lib.symbols)})
        if renamed:
            # (a vendor's prefix of up to three parts: matsdk_, rex_nss_3128_)
            vendor = rb"[a-z][a-z0-9]{1,11}_(?:[a-z0-9]{1,11}_){0,2}"
            m.vendor_pattern = b"(" + vendor + b"(?:" + trie_regex(renamed).pattern + b"))"
    m.anchors = trie_regex(sorted(set(m.by_anchor) | set(m.markers)))
    js = sorted({r.anchor for lib in m.javascript for r in lib.strings})
    m.js_anchors = trie_regex(js) if js else None
    for lib in m.javascript:
        for reader in lib.strings:
            m.js_by_anchor.setdefault(reader.anchor, []).append((lib, reader))
    names = sorted(m.by_file, key=len, reverse=True)  # longest first: webpmux before webp
    # after the name: the end, a separator, or a number that ends there (png16, ssl3, avcodec-58);
    # not a word that goes on (openbabel's png2format.so is no libpng)
    m.file_rx = re.compile("(" + "|".join(re.escape(n) for n in names) + r")(?:$|[-_.]|[0-9]+(?:$|[-_.]))")
    return m


def int_version(reader: SymbolReader, value: int) -> str | None:
    if (reader.min is not None and value < reader.min) or (reader.max is not None and value >= reader.max):
        return None
    if reader.fields == ("openssl",):
        return openssl_number(value)
    return format_int(value, list(reader.fields)) if reader.fields else str(value)


def openssl_number(value: int) -> str | None:
    """OPENSSL_VERSION_NUMBER as a release: 0x30600030 is 3.6.3 (3.x: MNN00PP0), 0x1010115f is
    1.1.1u (before 3.0: MNNFFPPS, the patch a letter, S 0xf for a release); None for a
    development or beta number, BoringSSL's, AWS-LC's or LibreSSL's fixed numbers, or anything
    else."""
    major = value >> 28
    if major >= 3:
        if value & 0xF or (value >> 12) & 0xFF:
            return None
        return f"{major}.{(value >> 20) & 0xFF}.{(value >> 4) & 0xFF}"
    if major != 1 or value & 0xF != 0xF or value in (0x1010007F, 0x1010107F):
        # (0x1010007f and 0x1010107f are also the fixed numbers BoringSSL, older and newer, and
        # AWS-LC answer with: no proof of 1.1.0g or 1.1.1g)
        return None
    patch = (value >> 4) & 0xFF
    if patch > 26:
        return None
    letter = chr(ord("a") + patch - 1) if patch else ""
    return f"1.{(value >> 20) & 0xFF}.{(value >> 12) & 0xFF}{letter}"
