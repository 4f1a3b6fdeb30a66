"""Generic evidence: what any binary says about the libraries in it, with no entry per library.

The table (``libraries.toml``) names libraries and their own version readers; these rules work
for every library, named in the table or not:

- **version functions**: every defined function or object whose name says version
  (``*_version``, ``*_get_version``, ``*_Linked_Version``, ``*VersionString``...) is read with the
  readers of :mod:`assay.enrich.bundled.decode` (a constant string, a pointer to one, values
  stored through out-parameters, a packed integer). It is tied to a library by its prefix (the
  table's ``prefixes``) or by the file's own name; a packed integer proves a version only when
  exactly one of its usual encodings is also written in the file.
- **build paths**: ``__FILE__`` strings and Rust panic locations keep the source tree's path
  (``.../libfoo-1.2.3/src/x.c``, ``.../registry/src/<index>/serde-1.0.193/src/de.rs``): code
  of that project at that version was compiled into the file.
- **symbol prefixes**: many defined symbols with a known library's prefix (the table's
  ``prefixes``) are a static copy of it.
- **package notes and debug links**: ``.note.package`` (the distribution's package JSON) and an
  RPM ``.gnu_debuglink`` (``libz.so.1.2.7-1.2.7-21.el7_9.x86_64.debug``) give the version the
  distribution built.
- **VERSIONINFO** (Windows): a DLL's own ProductVersion/FileVersion, when its names describe
  the library (never a Python extension's).
- **build-information blocks**: ``NAME: build (ver 1.2.3)`` lines a library keeps to list the
  components compiled into it.

Each claim carries its evidence and a weight (its strength); :mod:`assay.enrich.bundled.native`
decides. A version that no claim proves stays unknown.
"""

from __future__ import annotations

import json
import re
import struct
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, pairwise

from assay.enrich.bundled.binary import BinaryInfo, Symbol, version_resource
from assay.enrich.bundled.decode import (
    _returned,
    _x86_stores,
    aarch64_array_stores,
    aarch64_short_string,
    aarch64_stores,
    cxx_string_object,
    filled_struct_returned,
    null_arg_returned,
    read_symbol,
    x86_array_stores,
    x86_constant_fields,
    x86_field_getter,
    x86_first_call,
    x86_initialised_by,
    x86_object_getter,
    x86_returned_before,
    x86_short_string,
    x86_struct_returned,
    x86_versions_passed_with_size,
)
from assay.enrich.bundled.rules import Library, LibraryMatcher, file_key, generic_library
from assay.model import Evidence

# weights: how strongly a claim backs a version (see native.scan_binary)
W_OWN_API = 1000  # the library's own version function or symbol
W_PACKAGE = 2000  # the distribution's package note / debug link for this very file
W_CORROBORATED = 500  # a packed integer whose one decoding is also written in the file
W_VERSIONINFO = 300
W_BUILD_PATH = 200
W_BUILD_INFO = 300

# a version as libraries write it: 1.2.3, 1.2.3a, 1.11.1_DEV, 2.0.0-rc1, 1.3.0.dev2, 2.5.0-12-gabc1234,
# 4.1+1-1d117be (x265's: one commit after 4.1)
VERSION = (r"[0-9]+\.[0-9]+(?:\.[0-9]+){0,3}[a-z]?"
           r"(?:[-_.~+]?(?:rc|alpha|beta|pre|dev|DEV|post|a|b|p)[0-9]*)?"
           r"(?:-[0-9]+-g[0-9a-f]{6,40}|\+[0-9]+-[0-9a-f]{6,40})?")
_VERSION_ONLY = re.compile(rf"v?({VERSION})")
# "libopus 1.3.1", "LIBTIFF, Version 4.5.1\n...", "expat_2.5.0", "libsndfile-1.2.2", "4.9.2 of Jan 1",
# "0.22.2-Release" (LibRaw's; krb5's "-final": the release itself)
_VERSION_TEXT = re.compile(
    r"(?:\(?(?P<label>[A-Za-z][A-Za-z0-9+.]*(?:[ _-][A-Za-z][A-Za-z0-9+.]*)*?)\)?"
    rf"(?:,? [Vv]ersion |[ _/-]v?)|v)?(?P<v>{VERSION})"
    r"(?=$|[ ,;(\n\t]|-(?:[Rr]elease|RELEASE|[Ff]inal|FINAL)(?:$|[^A-Za-z0-9]))")

# -- version functions ----------------------------------------------------------------------

_VERSION_NEEDLES = (b"ersion", b"ERSION")
_VERSION_NAME = re.compile(
    rb"(?P<pre>[A-Za-z][A-Za-z0-9_]*?)_{0,2}(?:[Gg]et_?|GET_)?(?:[Ll]ib(?:rary)?_?|LIB(?:RARY)?_?)?(?:[Ll]inked_?|LINKED_)?"
    rb"(?:[Vv]ersion|VERSION)(?:_?(?:[Gg]et_)?(?:[Ss]tring|STRING|[Ss]tr|STR|[Nn]umber|NUMBER|[Nn]um|NUM|[Tt]ext|"
    rb"[Ii]nfo|[Ss]hort|SHORT|[Ff]ull|FULL))?")
# "const char *X_check_version(const char *req)": NULL gives the library's version (GNU libraries)
_CHECK_VERSION = re.compile(rb"(?P<pre>[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)??)_check_version")
# a C++ member or namespace function taking no arguments: ns::Class::Version(), ns::GetVersion()
_CXX_VERSION = re.compile(
    rb"_ZN(?P<parts>(?:[0-9]{1,3}[A-Za-z_][A-Za-z0-9_]*){1,3}?)(?P<n>[0-9]{1,2})"
    rb"(?P<fn>(?:[Gg]et_?)?(?P<own>[A-Z][A-Za-z0-9]{1,30}?|[a-z][a-z0-9]{1,30}_)?(?:[Vv]ersion|VERSION)"
    rb"(?:[Ss]tring|[Ss]tr)?)"
    rb"(?:B5cxx11)?Ev")
# (or the namespace's name in lower case: primesieve::primesieve_version())
_CXX_FN = re.compile(r"(?:[Gg]et_?)?(?P<own>[A-Z][A-Za-z0-9]{1,30}?|[a-z][a-z0-9]{1,30}_)?"
                     r"(?:[Vv]ersion|VERSION)(?:[Ss]tring|[Ss]tr)?")
# a C library compiled inside a C++ namespace (DuckDB's duckdb_lz4::LZ4_versionString(), SAP's
# lttc::LZ4_versionString()): its C function under the namespace, taking no arguments
_CXX_WRAPPED = re.compile(rb"_ZN(?P<parts>(?:[0-9]{1,3}[A-Za-z_][A-Za-z0-9_]*){1,2}?)(?P<n>[0-9]{1,2})"
                          rb"(?P<fn>[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*)Ev")
# (a version function's name is short: a long one, a Rust or C++ name of thousands of characters,
# is turned away before the nested parts of the C++ patterns backtrack over it)
_ANY_VERSION = (rb"(?s)(?=.{1,255}\Z)(?:(?:"
                + re.sub(rb"\(\?P<[a-z]+>", b"(", _VERSION_NAME.pattern) + rb")|(?:"
                + re.sub(rb"\(\?P<[a-z]+>", b"(", _CXX_VERSION.pattern) + rb")|(?:"
                + re.sub(rb"\(\?P<[a-z]+>", b"(", _CXX_WRAPPED.pattern) + rb"))")
# names that say version but not the library's release: ABI, API, protocol, file format, minimum or
# required versions, compilers and interpreters, runtime checks with arguments
_NOT_RELEASE = re.compile(
    r"abi|api|proto|format|schema|file|min|max|compat|requir|check|header|python|^py|cython|numpy|"
    r"glibc|gcc|compiler|plugin|driver|cuda|opengl|^gl|shader|encoder|decoder|runtime|os_|"
    r"kernel|firmware|device|struct|module|build|abi|feature|dll|major|minor|patch|micro|unicode|"
    r"ucd|icu|tzdata|cldr|utf(?:8|16|32)?_?ver", re.I)


@dataclass(frozen=True, slots=True)
class Claim:
    library: Library
    version: str | None
    evidence: Evidence
    weight: int = 1
    static: bool = False  # the library's code compiled into this file (not the file itself)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# what may stand between a library's prefix and "version" in its own version function's name:
# anything else names the version of something else (fribidi_unicode_version is Unicode's)
_TAILS = {"", "lib", "library", "get", "get_library", "codec", "access", "release", "package", "pkg",
          "engine"}  # (graphite2's gr_engine_version: the library is its engine)


def _tail_ok(pre: str, key: str) -> bool:
    low, key = pre.lower().rstrip("_"), key.lower().rstrip("_")
    if low == key:
        return True
    # the library's own name may follow its prefix (zip_libzip_version: libzip's release)
    return low.startswith(key + "_") and low[len(key) + 1:].strip("_") in {*_TAILS, key, "lib" + key}


def _tie_prefix(pre: str, m: LibraryMatcher, glued: bool = False) -> Library | None:
    """The table library whose declared prefix is ``pre`` (``hb`` -> harfbuzz, ``png_access`` ->
    libpng via ``png_``). ``glued``: the name goes on without an underscore after ``pre``
    (raylib's rlGetVersion), which a prefix declared with its underscore (readline's ``rl_``)
    does not name."""
    key = f"{pre}\0" if glued else pre
    if key not in m.tied:
        if len(m.tied) > 50_000:
            m.tied.clear()
        m.tied[key] = _tie_prefix_uncached(pre, m, glued)
    return m.tied[key]


def _tie_prefix_uncached(pre: str, m: LibraryMatcher, glued: bool = False) -> Library | None:
    for prefix, lib in m.by_prefix:
        if glued and prefix.endswith("_"):
            continue
        if _tail_ok(pre, prefix):
            return lib
    # a vendored copy's names under a namespace tag glued on (nanoarrow's NANOARROW_NAMESPACE:
    # cudfArrowNanoarrowVersion is ArrowNanoarrowVersion): the tag, lower case, then the prefix
    tagged = _NAMESPACE_TAG.fullmatch(pre)
    if tagged is not None:
        for prefix, lib in m.by_prefix:
            if prefix[:1].isupper() and _tail_ok(tagged.group("rest"), prefix):
                return lib
    return None


_NAMESPACE_TAG = re.compile(r"[a-z][a-z0-9]{1,11}(?P<rest>[A-Z][A-Za-z0-9_]+)")
_RENAME_TAG = re.compile(r"[a-z][a-z0-9]{1,11}(?:_[a-z][a-z0-9]{1,11})?_?")


def _renamed_reader(name: str, info: BinaryInfo, m: LibraryMatcher) -> Library | None:
    """The table library whose API ``name`` belongs to, every name of it renamed (see
    ``_renamed_candidates``), when the file defines at least the library's quota of names under
    the tag (its renamed API), never the one version function alone."""
    for lib, tag in _renamed_candidates(name, m):
        if info.prefix_counts(b"(" + re.escape(tag.encode()) + b")").get(tag, 0) >= max(lib.min_symbols, 8):
            return lib
    return None


def _renamed_candidates(name: str, m: LibraryMatcher) -> Iterator[tuple[Library, str]]:
    """(library, tag) for each reading of ``name`` as a table library's API renamed: a short tag
    glued on in front (MuPDF builds HarfBuzz as fz + hb_*: fzhb_version is hb_version; VTK and ITK
    build vtkexpat_XML_*, itk_expat_XML_*, vtkzlib_*), where the name after the tag starts with a
    prefix the library declares or is a symbol the table reads of it; or a short suffix put on
    the prefix of such a symbol (py-lmdb builds LMDB twice, as mdb09_* and mdb10_*: mdb09_version
    is mdb_version, tag "mdb09_")."""
    for at in range(2, min(len(name), 26)):
        for lib, part in m.rename_parts.get(name[at:at + 3], ()):
            if name.startswith(part, at) and (part in lib.prefixes or at + len(part) == len(name)) \
                    and _RENAME_TAG.fullmatch(tag := name[:at]):
                yield lib, tag
    cut = name.find("_")
    if cut >= 3:
        for lib, part in m.rename_parts.get(name[:3], ()):
            if part in lib.prefixes or "_" not in part:
                continue
            stem, rest = part.split("_", 1)
            if name.startswith(stem) and name[cut + 1:] == rest and \
                    re.fullmatch(r"[a-z0-9]{1,6}", name[len(stem):cut]):
                yield lib, name[:cut + 1]


def renamed_copy_tag(ev: Evidence, lib: Library, m: LibraryMatcher) -> str | None:
    """The tag a renamed copy's own API carries in a piece of evidence read from one of its
    functions or symbols (``vtkzlib_`` in "vtkzlib_zlibVersion() = '1.2.13'", ``itk_expat_`` in
    "itk_expat_XML_ExpatVersionInfo() returns {2, 4, 1}", ``mdb09_`` in "mdb09_version() stores 0, 9,
    36"): copies under different tags are different copies of the library in one file. None for
    anything else."""
    if ev.kind not in ("version-function", "symbol"):
        return None
    name = re.split(r"[(:]", ev.detail, maxsplit=1)[0]
    return next((tag for candidate, tag in _renamed_candidates(name, m) if candidate is lib), None)


def _ties_file(pre: str, key: str) -> bool:
    """Whether a symbol prefix names the file's own library (``GEOS`` ~ ``geos_c``, ``aom_codec``
    ~ ``aom``)."""
    low = pre.lower().rstrip("_").removeprefix("lib")
    key = key.lower()
    bare = _API_LEVEL.sub("", key)  # libpixman-1, libglib-2.0: the name without its API level
    return bool(low) and (_tail_ok(low, key) or key.startswith(low + "_")
                          or _norm(low) in (_norm(key), _norm(bare)))


_API_LEVEL = re.compile(r"-[0-9]+(?:\.[0-9]+)*$")


def version_from_text(text: str, library: Library | None = None) -> str | None:
    """The version a version function's string states, or None when it states something else."""
    text = text.strip()
    m = _VERSION_TEXT.match(text)
    if not m:
        return None
    label = m.group("label")
    if label and library is not None and len(label) > 3:
        names = {_norm(library.name), _norm(library.name).removeprefix("lib"),
                 *(_norm(f) for f in library.files)}
        lab = _norm(label).removeprefix("lib").removesuffix("version")
        if lab and not any(n and (n in lab or lab in n) for n in names):
            return None  # "OtherLib 1.2.3": not this library's version
    dev = _DEV_WORD.match(text, m.end("v"))
    if dev:
        # a development build between releases, kept as written: Dear ImGui's "1.92.6 WIP" is
        # not 1.92.6
        return m.group("v") + dev.group(1)
    return m.group("v")


# a word after the version that says the build is no release
_DEV_WORD = re.compile(r"( (?:WIP|wip|dev|devel|unreleased|snapshot))(?=$|[ ,;(\n\t])")


def _decodings(value: int) -> list[str]:
    """The usual packings of major.minor.patch into one integer."""
    out = []
    if 0 < value < 1 << 32:
        if value >> 24 == 0 and value > 0xFF:
            out.append(f"{value >> 16 & 0xFF}.{value >> 8 & 0xFF}.{value & 0xFF}")  # 0x010301
        else:
            out.append(f"{value >> 24}.{value >> 16 & 0xFF}.{value >> 8 & 0xFF}")  # 0x01030100
        out.append(f"{value // 10000}.{value // 100 % 100}.{value % 100}")  # 10301
        out.append(f"{value // 1000000}.{value // 1000 % 1000}.{value % 1000}")  # 1003001
        out.append(f"{value // 10000000}.{value // 10000 % 1000}.{value // 10 % 1000}")  # xz 50040032
        out.append(f"{value // 1000}.{value // 10 % 100}")  # lcms 2150 -> 2.15
        out.append(f"{value // 100}.{value % 100}")  # 305 -> 3.5
    seen = []
    for v in out:
        if not v.startswith("0.0") and v not in seen and re.fullmatch(r"[0-9]+(?:\.[0-9]+)+", v):
            seen.append(v)
    return seen


def _written(data: bytes, info: BinaryInfo, text: str) -> bool:
    """Whether ``text`` is written in the constant data as a whole version (not part of 1.2.30)."""
    needle = text.encode()
    for lo, hi in info.data_ranges:
        pos = data.find(needle, lo, hi)  # a literal search (memchr), then the boundaries
        while pos >= 0:
            end = pos + len(needle)
            before = data[pos - 1:pos] if pos > 0 else b""
            after = data[end:end + 2]
            if not (before.isdigit() or before == b".") and not after[:1].isdigit() \
                    and not (after[:1] == b"." and after[1:2].isdigit()):
                return True
            pos = data.find(needle, pos + 1, hi)
    return False


def version_functions(path: str, data: bytes, info: BinaryInfo, m: LibraryMatcher,
                      own: Library | None, own_key: str | None, own_generic: bool) -> list[Claim]:
    """Claims from every defined symbol whose name says version."""
    parts = info.slices or [info]
    # one pass over the symbol tables: C names that say version (check_version among them) and
    # C++ ones
    symbols = info.symbols_matching(_ANY_VERSION, _VERSION_NEEDLES)
    api: list[Counter[str]] = []  # the file's API prefixes, counted once if needed
    wrapped_api: list[Counter[str]] = []  # and those of C functions inside C++ namespaces
    claims: list[Claim] = []
    for sym in symbols:
        raw = sym.name.encode("latin-1")
        if (tm := _TRIPLET.fullmatch(raw)) is not None:
            # three constants, one per part (GLib's glib_major_version, glib_minor_version,
            # glib_micro_version): the library the prefix names, or the file's own
            pre = tm.group("pre").decode("latin-1")
            lib = _tie_prefix(pre, m)
            if lib is None and own is not None and own_key and _ties_file(pre, own_key):
                lib = own
            if lib is not None:
                claims += _triplet(path, data, info, pre, lib)
            continue
        cm = _CXX_VERSION.fullmatch(raw)
        if cm is not None and (own_ns := cm.group("own")) and own_ns.endswith(b"_") and \
                own_ns[:-1].decode("latin-1").lower() not in \
                {n.lower() for n in _cxx_names(sym.name[3:-2].removesuffix("B5cxx11"))[:-1]}:
            cm = None  # duckdb::utf8proc_version(): a C library's function inside a namespace
        nm = _CHECK_VERSION.fullmatch(raw) or cm or _VERSION_NAME.fullmatch(raw)
        wrapped = False
        if nm is None and _CXX_WRAPPED.fullmatch(raw):
            # the C name under the namespace, its lengths checked, read as that C function
            names = _cxx_names(sym.name[3:-2])
            nm = _VERSION_NAME.fullmatch(names[-1].encode("latin-1")) if len(names) >= 2 else None
            if nm is None or _NOT_RELEASE.search(names[-1]):
                continue
            wrapped = True
        if nm is None:
            continue
        if nm.re is _CHECK_VERSION:
            pre = nm.group("pre").decode("latin-1")
            if _NOT_RELEASE.search(pre):
                continue
        elif nm.re is _CXX_VERSION:
            # the outermost namespace is the library's (tesseract::TessBaseAPI::Version); a class
            # whose name says format, file, protocol... versions something else ("API" in a class
            # name is the library's interface: TessBaseAPI)
            # (the whole nested name, split by its lengths: "4QPDF11QPDFVersion" is QPDF, QPDFVersion)
            names = _cxx_names(sym.name[3:-2].removesuffix("B5cxx11"))
            fn = _CXX_FN.fullmatch(names[-1]) if len(names) >= 2 else None
            names = names[:-1]
            if fn is None or any(_NOT_RELEASE.search(n.replace("API", "")) for n in names):
                continue
            if fn.group("own") and fn.group("own").lower().rstrip("_") not in {n.lower() for n in names}:
                continue  # QPDF::QPDFVersion() is QPDF's; QPDFWriter::getFinalVersion() is not
            pre = names[0]
        elif wrapped:
            pre = nm.group("pre").decode("latin-1")
        else:
            if _NOT_RELEASE.search(sym.name) or sym.name.startswith("_"):
                continue
            pre = nm.group("pre").decode("latin-1")
        # (a C name whose prefix runs on without an underscore: rlGetVersion is no rl_ function)
        glued = nm.re is _VERSION_NAME and nm.string[nm.end("pre"):nm.end("pre") + 1] != b"_"
        lib = _tie_prefix(pre, m, glued) or \
            (_tie_prefix(pre[4:], m, glued) if pre[:4].lower() == "get_" else None)
        renamed = lib is None and nm.re is _VERSION_NAME and not wrapped
        if renamed:
            lib = _renamed_reader(sym.name, info, m)
        if lib is not None and not lib.prefix_versions and nm.re is not _CXX_VERSION:
            continue  # (a namespace's own version function is no prefixed C one: grpc::Version())
        static = renamed and lib is not None
        if lib is None and own is not None and own_generic and own_key and \
                (_ties_file(pre, own_key) or _related(pre, own_key)):
            lib = own  # a library the table does not name, tied by its own file name
        if lib is None and own is not None and not own_generic and own_key and own.prefix_versions \
                and _ties_file(pre, own_key):
            # a table library without declared prefixes, in its own file: pixman_version_string()
            # in libpixman-1 is pixman's (the table reads no symbol of it itself)
            lib = own
        if lib is None and nm.re is _CXX_VERSION and sym.name not in m.reader_symbols:
            # a namespace's own version function (grpc::Version(), faiss::get_version(),
            # OpenColorIO_v2_5::GetVersion()): the library the namespace names, in the table or,
            # when the file defines enough of its symbols, a static copy named by it (not a
            # function the table reads for its library: Aws::Version::GetVersionString())
            lib = _static_by_namespace(names, info, own_key, m)
            static = lib is not None
        if lib is None and nm.re is _VERSION_NAME:
            # a library the table does not name, compiled into this file: its version function's
            # prefix is the prefix of its API (get_lame_version beside a hundred lame_* functions;
            # inside a namespace, duckdb::utf8proc_version beside duckdb::utf8proc_* ones)
            lib = _static_by_prefix(pre, info, own_key, m, wrapped_api if wrapped else api,
                                    _API_COUNT_WRAPPED if wrapped else _API_COUNT)
            static = lib is not None
        if lib is None and nm.re is _VERSION_NAME and info.machine == "x86_64" and \
                (gm := _GETS_OTHER.fullmatch(pre)) is not None:
            # an API's getter for a library it bundles, named after it (SDL_ttf's
            # TTF_GetHarfBuzzVersion(&major, &minor, &patch) calling hb_version): that library's
            # version, from the function it calls storing through its pointer arguments
            other = m.library_for_source(gm.group("lib"))
            if other is not None and not _ties_file(gm.group("api"), other.name):
                claim = _evaluate_getter(path, data, info, sym, other)
                if claim is not None:
                    claims.append(claim)
            continue
        if lib is None:
            continue
        if any(sym.name == r.symbol for r in lib.symbols):
            continue  # the table reads this one itself, with its own encoding
        for part in parts:
            psym = part.symbol(sym.name) if part is not info else sym
            if psym is None:
                continue
            claim = _evaluate_check(path, data, part, psym, lib) if nm.re is _CHECK_VERSION else \
                _evaluate(path, data, part, psym, lib)
            if claim is not None:
                claims.append(Claim(claim.library, claim.version, claim.evidence, claim.weight, static=True)
                              if static else claim)
    return claims


_TRIPLET = re.compile(rb"(?P<pre>[a-z][a-z0-9]{1,15})_major_version")


def _triplet(path: str, data: bytes, info: BinaryInfo, pre: str, lib: Library) -> list[Claim]:
    for part in info.slices or [info]:
        names = [f"{pre}_major_version", f"{pre}_minor_version", f"{pre}_micro_version"]
        syms = [part.symbol(n) for n in names]
        if syms[2] is None:
            names[2] = f"{pre}_patch_version"
            syms[2] = part.symbol(names[2])
        if any(s is None or (s.is_func and part.format == "elf") or s.size not in (0, 4) for s in syms):
            # (Mach-O symbol tables do not say which names are data)
            continue
        nums = [read_symbol(data, part, s, "int") for s in syms if s is not None]
        if all(isinstance(n, int) and 0 <= n < 1000 for n in nums) and nums[0]:
            v = ".".join(map(str, nums))
            return [Claim(lib, v, Evidence("version-symbol", path, ", ".join(
                f"{n} = {x}" for n, x in zip(names, nums, strict=True)), "version"), W_OWN_API)]
    return []


_API_COUNT = rb"([a-z][a-z0-9]{2,15}_)[A-Za-z0-9]"
_API_COUNT_WRAPPED = rb"_ZN[0-9]{1,3}[A-Za-z_][A-Za-z0-9_]*?[0-9]{1,3}([a-z][a-z0-9]{2,15}_)[A-Za-z0-9]"
_MIN_API = 20  # defined functions sharing a prefix before it is taken for a library's API
_API_PREFIX = re.compile(r"(?:[Gg]et_)?(?P<name>[a-z][a-z0-9]{2,15})")


# an inline namespace's version suffix (OpenColorIO_v2_5, Imf_3_4): the namespace is the library's
_INLINE_VERSION = re.compile(r"_v?[0-9]+(?:_[0-9]+)*$")


def _static_by_namespace(names: list[str], info: BinaryInfo, own_key: str | None,
                         m: LibraryMatcher) -> Library | None:
    """The library whose namespace holds a free version function ``ns::Version()``: only a function
    right under the outermost name (or in its class ``Version``: itk::Version::GetITKVersion()),
    which must be a namespace (lower-case, an inline namespace with a version suffix, or a
    capitalised name the file shows to be no class: a class's version may be its format's) of
    three characters or more (OpenCV's ``cv`` names no library), with at least ``_MIN_API``
    defined symbols in it."""
    if len(names) == 2 and names[1] in ("Version", "version", "VersionInfo"):
        names = names[:1]  # a class that only says the version, right under it (itk::Version)
    if len(names) != 1:
        return None
    ns = names[0]
    base = _INLINE_VERSION.sub("", ns)
    if len(base) < 3 or base.lower() in _TOOLCHAIN or base.lower() == "std" or \
            (own_key and _related(base, own_key)):
        return None
    if not (ns[:1].islower() or base != ns) and _a_class(ns, info) is not False:
        return None
    counts = info.prefix_counts(rb"_ZNK?(" + str(len(ns)).encode() + re.escape(ns.encode()) + rb")[0-9A-Z]")
    if sum(counts.values()) < _MIN_API:
        return None
    lib = m.library_for_source(base)
    return lib if lib is not None else generic_library(base.lower())


def _a_class(name: str, info: BinaryInfo) -> bool | None:
    """Whether the file shows the capitalised outer name ``name`` to be a class rather than a
    namespace (Dear ImGui's ``ImGui::GetVersion()`` is a namespace's): its vtable or type
    information, a constructor or destructor, or a const member function right under it make it a
    class; None when the file defines nothing under the name at all (nothing to tell by)."""
    n = str(len(name)).encode() + re.escape(name.encode())
    if info.prefix_counts(rb"(_ZT[VIS]" + n + rb")(?:\x00|$)") or \
            info.prefix_counts(rb"(_ZN" + n + rb"[CD][0-3])E"):
        return True
    for rest in info.prefix_counts(rb"_ZNK" + n + rb"([0-9]+[A-Za-z_][A-Za-z0-9_]*)"):
        m = re.match(r"([0-9]+)", rest)
        tail = rest[m.end() + int(m.group(1)):] if m else ""
        if tail[:1] in ("E", "I"):
            return True  # name::member() const: a member function of the class name
    if not info.prefix_counts(rb"(_ZN" + n + rb")[0-9]"):
        return None
    return False


def _cxx_names(mangled: str) -> list[str]:
    """``9tesseract11TessBaseAPI`` -> ["tesseract", "TessBaseAPI"] (length-prefixed source names)."""
    out, pos = [], 0
    while pos < len(mangled):
        m = re.match(r"([0-9]+)", mangled[pos:])
        if m is None:
            return []
        n, pos = int(m.group(1)), pos + m.end()
        if n == 0 or pos + n > len(mangled):
            return []
        out.append(mangled[pos:pos + n])
        pos += n
    return out


def _related(pre: str, own_key: str) -> bool:
    """Whether a version function's prefix is a spelling of the file's own name (``fluid`` in
    libfluidsynth, ``get_lame`` in libmp3lame, ``dwfl`` in libdw): its API, not a static copy."""
    pm = _API_PREFIX.fullmatch(pre.rstrip("_"))
    if pm is None:
        return False
    a, b = _norm(pm.group("name")).removeprefix("lib"), _norm(own_key).removeprefix("lib")
    return bool(a and b) and (a in b or b in a or a[:2] == b[:2])


def _static_by_prefix(pre: str, info: BinaryInfo, own_key: str | None, m: LibraryMatcher,
                      api: list[Counter[str]], count: bytes = _API_COUNT) -> Library | None:
    """The unnamed library whose API prefix ``pre`` is, when at least ``_MIN_API`` defined symbols
    carry it (one version function alone names nothing)."""
    pm = _API_PREFIX.fullmatch(pre.rstrip("_"))
    if pm is None:
        return None
    name = pm.group("name")
    if name in _TOOLCHAIN or (own_key and _related(name, own_key)) or _NOT_RELEASE.search(name):
        return None
    if not api:
        api.append(info.prefix_counts(count))
    n = api[0].get(name + "_", 0)
    if n < _MIN_API:
        # an abbreviation of the API's prefix (kastore's kas_version and kas_strerror beside its
        # kastore_* API): the one prefix that starts with it and has enough defined symbols names
        # the library, when the abbreviation prefixes more than the version function itself
        longer = [p for p, k in api[0].items() if k >= _MIN_API and p.startswith(name) and p != name + "_"]
        if len(longer) != 1 or n < 2:
            return None
        name = longer[0].rstrip("_")
        if name in _TOOLCHAIN or (own_key and _related(name, own_key)) or _NOT_RELEASE.search(name):
            return None
    lib = m.library_for_source(name)
    if lib is not None:
        return lib if lib.prefix_versions else None
    return generic_library(name)


def _evaluate(path: str, data: bytes, info: BinaryInfo, sym: Symbol, lib: Library) -> Claim | None:
    try:
        if sym.is_func or info.format == "pe":
            kind, value = _returned(data, info, sym)
            if kind == "addr":
                text = _string_at(data, info, value)
                if text is None and sym.name.startswith("_Z") and info.format == "elf":
                    text = cxx_string_object(data, info, value)
                if text is not None:
                    v = version_from_text(text, lib)
                    if v:
                        return Claim(lib, v, Evidence("version-function", path, f"{sym.name}() = {text!r}",
                                                      "version"), W_OWN_API)
                    return None
            if kind == "int" and value is not None:
                claim = _corroborated(path, data, info, sym, lib, value, f"{sym.name}() = {value:#x}")
                if claim is not None or info.machine not in ("x86_64", "aarch64"):
                    return claim
            if info.machine == "x86_64" and sym.name.startswith("_Z"):
                # a C++ function returning a std::string it builds (libstdc++'s short string; in a
                # PE file, MinGW's, the object in rcx)
                text = x86_short_string(data, sym.offset, sym.vaddr, info, win64=info.format == "pe")
                v = version_from_text(text, lib) if text else None
                if v:
                    return Claim(lib, v, Evidence("version-function", path, f"{sym.name}() = {text!r}",
                                                  "version"), W_OWN_API)
            if info.machine == "x86_64" and info.format == "elf":
                # a struct of three ints returned by value (System V: two in rax, one in edx):
                # kastore's kas_version() -> {2, 1, 1}
                three = x86_struct_returned(data, sym.offset)
                if three is not None and all(0 <= v < 1000 for v in three) and three[0] > 0:
                    return Claim(lib, ".".join(map(str, three)), Evidence(
                        "version-function", path, f"{sym.name}() returns {{{', '.join(map(str, three))}}}",
                        "version"), W_OWN_API)
            if info.machine == "x86_64":
                win64 = info.format == "pe"
                stored = _x86_stores(data, sym.offset, win64=win64)
                how = "stores"
                if not stored or len(stored) < 3:
                    # or through one array argument: SuiteSparse's cholmod_version(int v[3])
                    stored, how = x86_array_stores(data, sym.offset, win64=win64), "stores in its array"
                if stored and len(stored) >= 3 and all(0 <= v < 10000 for v in stored):
                    v = ".".join(str(x) for x in stored)
                    return Claim(lib, v, Evidence("version-function", path,
                                                  f"{sym.name}() {how} {', '.join(map(str, stored))}",
                                                  "version"), W_OWN_API)
            if info.machine == "aarch64" and sym.is_func:
                claim = _evaluate_stores(path, data, info, sym, lib)
                if claim is not None:
                    return claim
                if sym.name.startswith("_Z"):  # a C++ function returning a std::string it builds
                    text = aarch64_short_string(data, sym.offset, sym.vaddr, info)
                    v = version_from_text(text, lib) if text else None
                    if v:
                        return Claim(lib, v, Evidence("version-function", path, f"{sym.name}() = {text!r}",
                                                      "version"), W_OWN_API)
            if sym.is_func and (three := filled_struct_returned(data, info, sym)) is not None \
                    and 0 < three[0] < 100:
                # a static struct of three bytes filled and returned (SDL_image's IMG_Linked_Version)
                shown = ", ".join(map(str, three))
                return Claim(lib, ".".join(map(str, three)), Evidence(
                    "version-function", path, f"{sym.name}() fills and returns {{{shown}}}", "version"),
                    W_OWN_API)
            if sym.is_func and info.format == "elf":
                return None
        # a data object: a string, a pointer to one, or an integer
        # the string itself (an array), then a pointer to one; ELF sizes say which can fit
        for mode, fits, shown in (("str", 2 <= sym.size <= 64, sym.name), ("ptr-str", sym.size in (8, 4),
                                                                         f"*{sym.name}")):
            if fits or info.format != "elf":
                text = read_symbol(data, info, sym, mode)
                if isinstance(text, str) and text:
                    v = version_from_text(text, lib)
                    if v:
                        return Claim(lib, v, Evidence("version-symbol", path, f"{shown} = {text!r}",
                                                      "version"), W_OWN_API)
        if sym.size == 4:
            value = read_symbol(data, info, sym, "int")
            if isinstance(value, int) and value > 0:
                return _corroborated(path, data, info, sym, lib, value, f"{sym.name} = {value:#x}")
    except (struct.error, IndexError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return None


# "TTF_GetHarfBuzz" (of TTF_GetHarfBuzzVersion): an API prefix, then the name of another library
_GETS_OTHER = re.compile(r"(?P<api>[A-Za-z][A-Za-z0-9]{1,15})_[Gg]et_?(?P<lib>[A-Z][A-Za-z0-9]{2,30})")


def _evaluate_getter(path: str, data: bytes, info: BinaryInfo, sym: Symbol, lib: Library) -> Claim | None:
    """The version an x86-64 wrapper's callee stores through its first three pointer arguments
    (``hb_version(&major, &minor, &patch)``: three immediates), the callee nothing but the stores."""
    win64 = info.format == "pe"
    called = x86_first_call(data, sym.offset, sym.vaddr, info)
    if called is None:
        return _evaluate_object_getter(path, data, info, sym, lib)
    stored = _x86_stores(data, called[0], win64=win64)
    if not stored or len(stored) != 3 or not all(0 <= v < 1000 for v in stored):
        return None
    version = ".".join(map(str, stored))
    return Claim(lib, version, Evidence("version-function", path, f"{sym.name}() calls {called[1]:#x}, "
                                        f"which stores {', '.join(map(str, stored))}", "version"), W_OWN_API,
                 static=True)


def _evaluate_object_getter(path: str, data: bytes, info: BinaryInfo, sym: Symbol, lib: Library
                            ) -> Claim | None:
    """The version a wrapper reads from a global object of the library's (SDL_ttf's
    TTF_GetFreeTypeVersion: FT_Library_Version(library, &major, &minor, &patch), which copies three
    fields of the object): the constants a function its initialiser calls stores into those fields
    (FT_Init_FreeType(&library) calls FT_New_Library, which fills them), one version only."""
    win64 = info.format == "pe"
    got = x86_object_getter(data, sym.offset, sym.vaddr, info, win64=win64)
    text = info.sections.get(".text")
    if got is None or text is None:
        return None
    glob, goff, _gaddr = got
    args = x86_field_getter(data, goff, win64=win64)
    if args is None or sorted(args) != [1, 2, 3]:
        return None
    offsets = [args[a] for a in (1, 2, 3)]
    lo, hi = text[0], text[0] + text[1]
    if not lo <= sym.offset < hi:
        return None
    delta = sym.vaddr - sym.offset
    versions: set[tuple[int, ...]] = set()
    for coff, caddr in x86_initialised_by(data, info, lo, hi, delta, glob, win64=win64):
        fields = x86_constant_fields(data, coff, caddr, info)
        values = [set(fields.get(o, [])) for o in offsets]
        if any(len(v) != 1 for v in values) or len({b for v in values for b, _ in v}) != 1:
            continue
        versions.add(tuple(next(iter(v))[1] for v in values))
    if len(versions) != 1:
        return None
    nums = next(iter(versions))
    if not (0 < nums[0] < 1000 and all(0 <= n < 1000 for n in nums)):
        return None
    return Claim(lib, ".".join(map(str, nums)), Evidence(
        "version-function", path, f"{sym.name}() reads fields {', '.join(hex(o) for o in offsets)} of the "
        f"object at {glob:#x}, which its initialiser's callee fills with {', '.join(map(str, nums))}",
        "version"), W_OWN_API, static=True)


def _evaluate_stores(path: str, data: bytes, info: BinaryInfo, sym: Symbol, lib: Library) -> Claim | None:
    """An arm64 version function that answers through its pointer arguments: three or more
    integers (``zmq_version(&major, &minor, &patch)``), the whole function nothing but the stores;
    or a version string's address (``igraph_version(&text, ...)`` stores "1.0.0", then parses it
    into its integer arguments), stored before anything the reader does not model."""
    stores, complete = aarch64_stores(data, sym.offset, sym.vaddr)
    ints = [stores.get(i) for i in range(len(stores))]
    # after the integers, an "extra" text through the last arguments (OpenEXR's
    # exr_get_library_version(&major, &minor, &patch, &extra): "" for a release, "-dev" ...)
    extra = ""
    while complete and len(ints) > 3 and ints[-1] is not None and ints[-1][0] == "addr":
        at = ints.pop()[1]  # type: ignore[index]
        text = _string_at(data, info, at)
        if text is None and (o := info.offset_of(at)) is not None and data[o:o + 1] == b"\x00":
            text = ""
        if text is None or not re.fullmatch(r"(?:[-.~+]?(?:dev|rc|alpha|beta|pre)[0-9]*)?", text):
            return None
        extra = text + extra
    if complete and len(ints) >= 3 and all(v is not None and v[0] == "int" and 0 <= v[1] < 10000
                                           for v in ints):
        nums = [str(v[1]) for v in ints if v is not None]
        shown = ", ".join(nums) + (f" and {extra!r}" if extra else "")
        return Claim(lib, ".".join(nums) + extra, Evidence("version-function", path,
                                                           f"{sym.name}() stores {shown}", "version"),
                     W_OWN_API)
    # or through one array argument (SuiteSparse_version(int v[3]))
    arr = aarch64_array_stores(data, sym.offset, sym.vaddr, info)
    if arr is not None:
        nums = [str(v) for v in arr]
        return Claim(lib, ".".join(nums), Evidence("version-function", path,
                                                   f"{sym.name}() stores in its array {', '.join(nums)}",
                                                   "version"), W_OWN_API)
    texts = {_string_at(data, info, v[1]) for v in stores.values() if v is not None and v[0] == "addr"}
    versions = {version_from_text(t, lib) for t in texts if t}
    if len(texts) == 1 and len(versions) == 1 and None not in versions:
        (text,), (v,) = texts, versions
        return Claim(lib, v, Evidence("version-function", path, f"{sym.name}() stores {text!r}", "version"),
                     W_OWN_API)
    return None


def _evaluate_check(path: str, data: bytes, info: BinaryInfo, sym: Symbol, lib: Library) -> Claim | None:
    """``X_check_version(NULL)`` returns the library's own version string (GnuTLS, libidn2, libtasn1)."""
    try:
        text = _string_at(data, info, null_arg_returned(data, info, sym))
    except (struct.error, IndexError, ValueError):
        return None
    v = _VERSION_ONLY.fullmatch(text or "")
    if v is None:
        return None
    shown = f"{sym.name}(NULL) = {text!r}"
    return Claim(lib, v.group(1), Evidence("version-function", path, shown, "version"), W_OWN_API)


def _string_at(data: bytes, info: BinaryInfo, vaddr: int | None) -> str | None:
    if vaddr is None:
        return None
    off = info.offset_of(vaddr)
    if off is None or off >= len(data):
        return None
    m = re.match(rb"[\x20-\x7e\t\n]{1,200}\x00", data[off:off + 202])
    return m.group()[:-1].decode("ascii") if m else None


def _corroborated(path: str, data: bytes, info: BinaryInfo, sym: Symbol, lib: Library, value: int,
                  shown: str) -> Claim | None:
    hits = [v for v in _decodings(value) if _written(data, info, v)]
    if len(hits) != 1:
        return None
    return Claim(lib, hits[0], Evidence("version-function", path,
                                        f"{shown}, and {hits[0]!r} is written in the file", "version"),
                 W_CORROBORATED)


# -- build paths ----------------------------------------------------------------------------

_NAME = rb"[A-Za-z][A-Za-z0-9_+]*(?:[.-][A-Za-z][A-Za-z0-9_+]*)*"
_PATH = re.compile(
    rb"[/\\](?P<name>" + _NAME + rb")-(?P<ver>v?[0-9]+(?:\.[0-9]+)+[A-Za-z0-9]*(?:[-_.+~][A-Za-z0-9]+)*)[/\\]"
    rb"(?P<rest>[A-Za-z0-9_+.,@~ -]{0,120}(?:[/\\][A-Za-z0-9_+.,@~ -]{1,120}){0,12})")
_CELLAR = re.compile(rb"[/\\]Cellar[/\\](?P<name>[A-Za-z0-9_+.-]+?)(?:@[0-9.]+)?[/\\]"
                     rb"(?P<ver>[0-9][A-Za-z0-9.]*)(?:_[0-9]+)?[/\\](?P<rest>[A-Za-z0-9_+.,@~/\\ -]{1,240})")
# vcpkg extracts each port's source at buildtrees/<port>/src/<git ref>-<10 hex>.clean/ (v3.12.4, url-8_20_0)
_VCPKG = re.compile(rb"[/\\]buildtrees[/\\](?P<name>[A-Za-z0-9_+.-]{1,60})[/\\]src[/\\]"
                    rb"(?P<ver>[A-Za-z0-9_.+-]{1,60}?)-[0-9a-f]{10}\.clean[/\\]"
                    rb"(?P<rest>[A-Za-z0-9_+.,@~ -]{1,120}(?:[/\\][A-Za-z0-9_+.,@~ -]{1,120}){0,12})")
_VCPKG_REF_KEPT = 10  # characters of a git ref vcpkg keeps in a source folder's name (the last ones)
_VCPKG_REF = re.compile(r"(?:[A-Za-z][A-Za-z0-9]*[-_])*v?(?P<v>[0-9]+(?:[._][0-9]+)+)")
_SOURCE = re.compile(r"\.(?:c|cc|cpp|cxx|c\+\+|rs|go|f|f90|f77|s|asm|m|mm|h|hh|hpp|hxx|inl|inc|ipp|tcc)$",
                     re.I)
_SOURCE_SUFFIX = re.compile(r"(?<=[0-9])(?:-Source|\.src)$")
# a Rust crate that vendors a C library and names the library's release in its build metadata:
# libgit2-sys-0.18.8+1.9.7, zstd-sys-2.1.0+zstd.1.5.7, bzip2-sys-0.1.13+1.0.8, curl-sys-0.4.80+curl-8.12.1;
# a git description after the release (tikv-jemalloc-sys-0.6.0+5.3.0-1-ge13ca99...) is no release
_SYS_CRATE = re.compile(r"(?P<crate>[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*?)-(?:sys|src)")
_SYS_META = re.compile(rf"[0-9]+(?:\.[0-9]+)*\+(?:(?P<lib>[A-Za-z][A-Za-z0-9_]*)[.-])?(?P<v>{VERSION})")
_HEADER = re.compile(r"\.(?:h|hh|hpp|hxx|inl|inc|ipp|tcc)$", re.I)
# toolchains and interpreters whose headers every build includes, not libraries in the file
_TOOLCHAIN = {"python", "cpython", "pypy", "gcc", "glibc", "binutils", "devtoolset", "gcc-toolset",
              "clang", "llvm-toolset", "rustc", "rust", "cargo", "msvc", "cmake", "ninja", "meson",
              "setuptools", "pip", "numpy", "include", "lib", "python3", "mingw", "mingw64", "msys",
              "xcode", "macosx", "sdk", "windows", "ucrt", "vc", "tools", "build", "src", "temp", "tmp",
              "opt", "usr", "release", "debug", "x86_64", "manylinux", "manylinux2014", "musllinux"}
_MAX_PATH_HITS = 4096
# a toolchain's runtime library among its sources: gcc-6.5.0/libgfortran/..., or under a target
# triplet (gcc-16.2.0/x86_64-pc-linux-gnu/libgfortran/...); only runtimes a client links statically
# as a whole and never gets from its toolchain's headers
_STATIC_RUNTIME = re.compile(r"(?:[A-Za-z0-9_.+-]+/){0,2}?(?P<lib>libgfortran|libquadmath)/")
# a build folder named for a platform and a Python version, not a project: setuptools'
# build/temp.linux-x86_64-3.9/, scikit-build's _skbuild/linux-x86_64-3.9/, cmake.linux-x86_64-cpython-3.12/
_PLATFORM_DIR = re.compile(
    r"(?:[A-Za-z0-9_]+\.)?(?:linux|win|win32|macosx|darwin|freebsd|openbsd|netbsd|cygwin|msys|mingw|solaris)"
    r"[-_](?:x86_64|x86-64|amd64|aarch64|arm64|armv7l?|i[3-6]86|ppc64le|ppc64|s390x|universal2|win32)"
    r"(?:[-_.][A-Za-z0-9_.-]*)?", re.I)
# (a tag "releases/3.14.20" gives GitHub's archive folder Ipopt-releases-3.14.20)
_TAG_WORD = re.compile(r"[-_](?:version|releases?)$", re.I)
# literal-led seeds, fast to search for; the full patterns are then matched where a seed is
_PATH_SEED = re.compile(rb"-v?[0-9]+\.[0-9]")
_CELLAR_SEED = re.compile(rb"Cellar[/\\]")
_VCPKG_SEED = re.compile(rb"buildtrees[/\\]")
_BUILD_SEED = re.compile(rb"\(ver [0-9]")
_VERSION_LINE_SEED = re.compile(rb": VERSION[ \t]+[0-9]")


def _path_matches(data: bytes, hits: Callable[[re.Pattern[bytes]], Iterable[re.Match[bytes]]]
                  ) -> Iterable[re.Match[bytes]]:
    last = -1
    for seed in hits(_PATH_SEED):
        pos = seed.start()
        if pos < last:
            continue
        lo = max(seed.pos, pos - 100)
        slash = max(data.rfind(b"/", lo, pos), data.rfind(b"\\", lo, pos))
        if slash < 0:
            continue
        m = _PATH.match(data, slash, min(seed.endpos, pos + 2000))
        if m is not None and m.end("name") == pos:
            last = m.end("ver")
            if data[max(0, slash - 7):slash].lower() != b"include":
                yield m
            # else an installed API's include folder (include/libusb-1.0/, include/spa-0.2/,
            # include/vtk-9.3/): the interface level, or a release cut short, never a release
    for seed in hits(_CELLAR_SEED):
        m = _CELLAR.match(data, seed.start() - 1, min(seed.endpos, seed.start() + 600))
        if m is not None:
            yield m
    for seed in hits(_VCPKG_SEED):
        m = _VCPKG.match(data, seed.start() - 1, min(seed.endpos, seed.start() + 1800))
        if m is not None:
            yield m


# a Mach-O debug map: each compilation unit's N_SO stabs put its directory and its file name side
# by side in the string table (".../pcre2-10.44/src/\0pcre2_compile.c\0")
_STAB_SO = re.compile(rb"/\x00(?P<file>[A-Za-z0-9_+.-]{1,120}\.(?:c|cc|cpp|cxx|c\+\+|m|mm|rs|f|f90))\x00")


def _macho_string_tables(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of the symbol string table of each thin file of a Mach-O (LC_SYMTAB)."""
    bases = [0]
    if data[:4] in (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf"):  # fat: one thin file per arch
        (n,) = struct.unpack_from(">I", data, 4)
        wide = data[3] == 0xBF
        bases = [struct.unpack_from(">Q" if wide else ">I", data, 8 + i * (32 if wide else 20) + 8)[0]
                 for i in range(min(n, 8))]
    out = []
    for base in bases:
        magic = data[base:base + 4]
        if magic not in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
            continue
        ncmds = struct.unpack_from("<I", data, base + 16)[0]
        pos = base + (32 if magic[0] == 0xCF else 28)
        for _ in range(min(ncmds, 4096)):
            cmd, size = struct.unpack_from("<II", data, pos)
            if cmd == 0x2:  # LC_SYMTAB: symoff, nsyms, stroff, strsize
                _symoff, _nsyms, stroff, strsize = struct.unpack_from("<IIII", data, pos + 8)
                lo = base + stroff
                out.append((lo, min(lo + strsize, len(data))))
                break
            if size < 8:
                break
            pos += size
    return out


def _stab_matches(data: bytes, info: BinaryInfo) -> Iterable[re.Match[bytes]]:
    """Build paths of a Mach-O's debug map, its directory and file name joined."""
    if info.format != "macho":
        return
    try:
        tables = _macho_string_tables(data)
    except struct.error:
        return
    n = 0
    for lo, hi in tables:
        for hit in _STAB_SO.finditer(data, lo, hi):
            start = data.rfind(b"\x00", max(lo, hit.start() - 1000), hit.start()) + 1
            if start <= 0 or data[start:start + 1] not in (b"/", b"."):
                continue  # a compilation unit's directory is absolute (or relative: "../")
            folder = bytes(data[start:hit.start() + 1])
            if _PATH_SEED.search(folder) is None:
                continue  # no "-1.2" in the folder: no versioned source tree
            yield from _PATH.finditer(folder + hit.group("file"))
            n += 1
            if n > _MAX_PATH_HITS:
                return


_MAX_DEBUG_STR = 16 << 20  # bytes of each DWARF string section read for source paths


def source_paths(path: str, data: bytes, info: BinaryInfo, m: LibraryMatcher,
                 hits: Callable[[re.Pattern[bytes]], Iterable[re.Match[bytes]]]) -> list[Claim]:
    """Static copies named by the source paths compiled into the file (and by a Mach-O's debug
    map)."""
    seen: dict[tuple[str, str, str], list[str]] = {}  # (purl type, name, version) -> source files
    runtimes: dict[tuple[str, str], list[str]] = {}  # a toolchain's static runtime: (library, version)
    vendored: dict[tuple[str, str], list[str]] = {}  # a Rust -sys crate's C library: (library, version)
    headers_only: dict[tuple[str, str, str], bool] = {}
    base = path.rsplit("/", 1)[-1]
    # a toolchain's source tree names nothing inside a client, but it is the own source of the
    # toolchain's runtime libraries (gcc-16.2.0/.../libgfortran/ in libgfortran.5.dylib): the
    # table says which (toolchain = "gcc"), and only the file named so takes the version
    own_tool = {lib.toolchain: lib for lib in m.libraries_for_file(base) if lib.toolchain}
    # an ELF file's DWARF strings: each compilation unit's name, as the compiler was given it
    # (./vendor/miniz-2.2.0/miniz.c), in .debug_str or .debug_line_str
    debug = [info.sections[name] for name in (".debug_str", ".debug_line_str")
             if info.format == "elf" and name in info.sections]

    def debug_hits(rx: re.Pattern[bytes]) -> Iterable[re.Match[bytes]]:
        for off, size in debug:
            yield from rx.finditer(data, off, off + min(size, _MAX_DEBUG_STR))

    n = 0
    for hit in chain(_path_matches(data, hits), _stab_matches(data, info), _path_matches(data, debug_hits)):
        n += 1
        if n > _MAX_PATH_HITS:
            break
        # a tag archive keeps the tag's word: jasper-version-4.2.5/ is JasPer 4.2.5
        name = _TAG_WORD.sub("", hit.group("name").decode("latin-1")) or hit.group("name").decode("latin-1")
        # a source package's own suffix: CMake's CPack names one <name>-<version>-Source
        # (eccodes-2.44.0-Source/src/...), LLVM's tarballs <name>-<version>.src
        version = _SOURCE_SUFFIX.sub("", hit.group("ver").decode("latin-1").removeprefix("v"))
        if hit.re is _VCPKG:
            # a port's git ref: v3.12.4, url-8_20_0, R_2_6_2; a commit hash names no release
            ref = hit.group("ver").decode("latin-1")
            rm = _VCPKG_REF.fullmatch(ref)
            if rm is None:
                continue
            if len(ref) >= _VCPKG_REF_KEPT and rm.start("v") == 0 and \
                    len(rm.group("v").split(".")[0].split("_")[0]) < 8:
                # vcpkg keeps only the last 10 characters of a ref: a version that fills them
                # from the first may have lost its start (folly's v2026.02.23.00 is written
                # 6.02.23.00). A date (20250814.1) cut on the left would no longer be one.
                continue
            version = rm.group("v").replace("_", ".")
        rest = hit.group("rest").decode("latin-1").replace("\\", "/")
        # the source file: the last path component up to its suffix (Rust paths run on)
        fm = re.match(r"((?:[^/]+/){0,12}?[^/]*?\.(?:c\+\+|[A-Za-z0-9]{1,3}))(?![A-Za-z0-9])", rest)
        if fm is None or not _SOURCE.search(fm.group(1)):
            continue
        if name.lower() in _TOOLCHAIN and name.lower() not in own_tool:
            # a toolchain's runtime compiled into a client: gcc-6.5.0/libgfortran/io/read.c is a
            # static libgfortran from GCC 6.5.0 when the file does not load the shared one
            rt = _STATIC_RUNTIME.match(fm.group(1))
            if rt is None or _HEADER.search(fm.group(1)) or not _VERSION_ONLY.fullmatch(version):
                continue
            lib = m.library_for_source(rt.group("lib"))
            if lib is None or lib.toolchain != name.lower() or \
                    any(m.libraries_for_file(n.rsplit("/", 1)[-1])[:1] == [lib] for n in info.needed):
                continue
            files = runtimes.setdefault((lib.name, version), [])
            if len(files) < 3:
                files.append(f"{'.../' if hit.start() else ''}{name}-{version}/{fm.group(1)}")
            continue
        if not _HEADER.search(fm.group(1)) and (crate := _SYS_CRATE.fullmatch(name)) and \
                (meta := _SYS_META.fullmatch(hit.group("ver").decode("latin-1"))):
            # the crate's Rust code (lib.rs) or the C sources it ships (a debug map's
            # zstd-sys-2.1.0+zstd.1.5.7/zstd/lib/common/ + zstd_common.c) are in the file, so is
            # the C library it builds, unless the file loads that library from a shared one
            lib = m.library_for_source(meta.group("lib") or crate.group("crate"))
            if lib is not None and not any(lib in m.libraries_for_file(n.rsplit("/", 1)[-1])
                                           for n in info.needed):
                files = vendored.setdefault((lib.name, meta.group("v")), [])
                if len(files) < 3:
                    files.append(f"{'.../' if hit.start() else ''}{name}-{hit.group('ver').decode('latin-1')}"
                                 f"/{fm.group(1)}")
            continue
        if fm.group(1).endswith(".rs") and (lib := m.by_crate.get(name)) is not None and \
                _VERSION_ONLY.fullmatch(version) and not any(
                    lib in m.libraries_for_file(n.rsplit("/", 1)[-1]) for n in info.needed):
            # a crate that compiles a C library of its own release (the tree-sitter crate is
            # tree-sitter's lib/ folder: its Rust binding and the C runtime): its Rust sources in
            # the file are that C library too, unless the file loads the library from a shared one
            files = vendored.setdefault((lib.name, version), [])
            shown = f"{'.../' if hit.start() else ''}{name}-{version}/{fm.group(1)}"
            if len(files) < 3 and shown not in files:
                files.append(shown)
        if _PLATFORM_DIR.fullmatch(name):
            continue  # a platform's build folder (temp.linux-x86_64-3.9/): no project, no release
        if not _VERSION_ONLY.fullmatch(version):
            continue
        # a crate's sources; a -sys/-src crate's C sources without build metadata naming the C
        # release (aws-lc-sys-0.46.0/aws-lc/crypto/...) are numbered by the crate, not the library
        ptype = "cargo" if fm.group(1).endswith(".rs") or _SYS_CRATE.fullmatch(name) else "generic"
        key = (ptype, name, version)
        files = seen.setdefault(key, [])
        if len(files) < 3:
            ref = hit.group("ver").decode("latin-1")
            where = f"buildtrees/{name}/src/{ref}-*.clean" if hit.re is _VCPKG else f"{name}-{version}"
            files.append(f"{'.../' if hit.start() else ''}{where}/{fm.group(1)}")
        headers_only[key] = headers_only.get(key, True) and bool(_HEADER.search(fm.group(1)))
    claims = []
    key = file_key(base)
    for (ptype, name, version), files in seen.items():
        lib = own_tool.get(name.lower()) if ptype == "generic" else None
        lib = lib or (m.library_for_source(name) if ptype == "generic" else None)
        if lib is None and ptype == "generic" and key and \
                _norm(name).removeprefix("lib") == _norm(key).removeprefix("lib"):
            # the file's own sources (json-c-0.15/ in libjson-c.5.dylib): the file's own library,
            # named as native.scan_binary names a library the table does not know
            lib = generic_library(f"lib{key}" if base.lower().startswith("lib") else key)
        if lib is None:
            lib = generic_library(name.lower() if ptype == "generic" else name, ptype)
        kind = "build-path-header" if headers_only[(ptype, name, version)] else "build-path"
        claims.append(Claim(lib, version, Evidence(kind, path, "; ".join(files), "version"), W_BUILD_PATH,
                            static=True))
    for (name, version), files in chain(runtimes.items(), vendored.items()):
        lib = m.library_for_source(name)
        if lib is not None:
            claims.append(Claim(lib, version, Evidence("build-path", path, "; ".join(files), "version"),
                                W_BUILD_PATH, static=True))
    return claims


# a GCC runtime library's own sources named in a PE file's DWARF (MinGW-w64 builds link libgcc
# statically, with its debugging information: C:/buildroot/src/gcc-15.2.0/libgcc/libgcc2.c)
_DEBUG_RUNTIME = re.compile(rb"[/\\]gcc-(?P<ver>[0-9]+\.[0-9]+\.[0-9]+)[/\\](?:[A-Za-z0-9_.+-]+[/\\]){0,2}?"
                            rb"(?P<lib>libgcc|libgfortran|libquadmath)[/\\]"
                            rb"(?P<file>(?:[A-Za-z0-9_.+-]+[/\\]){0,3}[A-Za-z0-9_.+-]+\.(?:c|S|f90|F90))\x00")


def debug_runtimes(path: str, data: bytes, info: BinaryInfo, m: LibraryMatcher) -> list[Claim]:
    """A GCC runtime library linked statically into a PE file, by its own source files in the
    file's DWARF (not read with the constant data): the GCC release is the runtime's, unless the
    file loads that runtime from its DLL."""
    found: dict[tuple[str, str], list[str]] = {}
    for lo, hi in info.debug_ranges:
        for hit in _DEBUG_RUNTIME.finditer(data, lo, hi):
            key = (hit.group("lib").decode(), hit.group("ver").decode())
            files = found.setdefault(key, [])
            if len(files) < 3:
                files.append(f".../gcc-{key[1]}/{key[0]}/{hit.group('file').decode('latin-1')}")
            if len(found) > 8:
                break
    claims = []
    for (name, version), files in found.items():
        lib = m.library_for_source(name)
        if lib is None or lib.toolchain != "gcc" or \
                any(lib in m.libraries_for_file(n.rsplit("/", 1)[-1]) for n in info.needed):
            continue
        shown = "; ".join(files) + " (debugging information)"
        claims.append(Claim(lib, version, Evidence("build-path", path, shown, "version"), W_BUILD_PATH,
                            static=True))
    return claims


# -- symbol prefixes ------------------------------------------------------------------------

def prefix_presence(path: str, info: BinaryInfo, m: LibraryMatcher, skip: set[str]) -> list[Claim]:
    if m.prefix_pattern is None:
        return []
    counts = info.prefix_counts(m.prefix_pattern)
    claims = []
    for prefix, n in counts.items():
        lib, need = m.prefix_min[prefix]
        if n >= need and lib.name not in skip:
            claims.append(Claim(lib, None, Evidence("symbol-prefix", path, f"{n} defined {prefix}* symbols",
                                                    "presence"), 1, static=True))
    return claims


# -- package notes and debug links ------------------------------------------------------------

_DEBUGLINK = re.compile(r"^(?P<file>.+?)-(?P<ver>[0-9][^-/]*)-(?P<rel>[0-9][^-/]*)\."
                        r"(?:x86_64|aarch64|i686|i386|ppc64le|ppc64|s390x|armv7hl|noarch)\.debug$")


def package_claims(path: str, data: bytes, info: BinaryInfo, own: Library, own_key: str) -> list[Claim]:
    from assay.identity.versions import split_distro

    claims = []
    note = info.section(data, ".note.package", 8192)
    if note and len(note) >= 12:
        namesz, descsz, _ntype = struct.unpack_from("<III", note, 0)
        desc_at = 12 + (namesz + 3) // 4 * 4
        try:
            doc = json.loads(note[desc_at:desc_at + descsz].rstrip(b"\x00").decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            doc = None
        if isinstance(doc, dict) and isinstance(doc.get("version"), str) and split_distro(doc["version"]):
            shown = ", ".join(f"{k}={doc[k]}" for k in ("type", "name", "version", "osVersion") if k in doc)
            claims.append(Claim(own, doc["version"], Evidence("package-note", path, shown, "version"),
                                W_PACKAGE))
    link = info.section(data, ".gnu_debuglink", 512)
    if own.named_release is not None:
        # a library that names its files by its release: the file's own name (auditwheel's hash
        # taken out: libelf-0-3d9de92a.176.so was libelf-0.176.so) or its debug link's
        base = path.rsplit("/", 1)[-1]
        names = [_AUDITWHEEL_INNER.sub("", base)]
        if link:
            names.append(link.split(b"\x00", 1)[0].decode("latin-1", "replace"))
        for name in names:
            nm = own.named_release.fullmatch(name)
            if nm:
                claims.append(Claim(own, nm.group(1), Evidence("file-name", path, f"{name}: named by its "
                                                               f"release", "version"), W_VERSIONINFO))
                break
    if link:
        name = link.split(b"\x00", 1)[0].decode("latin-1", "replace")
        dm = _DEBUGLINK.match(name)
        if dm:
            linked = file_key(dm.group("file"))
            full = f"{dm.group('ver')}-{dm.group('rel')}"
            if linked and _norm(linked) == _norm(own_key) and split_distro(full):
                claims.append(Claim(own, full, Evidence("debuglink", path, name, "version"), W_PACKAGE))
    return claims


# (auditwheel puts its hash before the first ".": libvulkan-687d106d.so.1.3.239, or inside a name
# that has a dot among its digits: libelf-0-3d9de92a.176.so)
_AUDITWHEEL_INNER = re.compile(r"-[0-9a-f]{8}(?=\.(?:[0-9]|so\.))")


# -- Windows VERSIONINFO ---------------------------------------------------------------------

_API_NUMBER = re.compile(r"(?<=[a-z])[0-9]{1,2}(?=[_-]|$)")


def versioninfo_claims(path: str, data: bytes, info: BinaryInfo, own: Library, own_key: str) -> list[Claim]:
    res = version_resource(data, info)
    if not res:
        return []
    if own.versioninfo_text is not None:
        # the table says where the resource's text states the release (its numbers do not)
        for field in ("FileDescription", "ProductName", "ProductVersion"):
            tm = own.versioninfo_text.search(res.get(field, "").strip())
            if tm:
                return [Claim(own, tm.group(1), Evidence("versioninfo", path, f"{field} {res[field].strip()}",
                                                         "version"), W_VERSIONINFO)]
        return []
    names = " ".join(res.get(k, "") for k in ("ProductName", "FileDescription", "InternalName",
                                              "OriginalFilename"))
    keys = {_norm(own.name).removeprefix("lib"), _norm(own_key).removeprefix("lib"),
            *(_norm(f) for f in own.files)}
    # a library named with the API number of the one it extends (SDL2_image.dll) whose resource
    # names it without the number (FileDescription "SDL_image"): the name less that number counts
    # too, when enough of it is left to name one library (not "lz" of lz4, "png" of png16)
    for raw in (own.name, own_key, *own.files):
        bare = _norm(_API_NUMBER.sub("", raw.lower())).removeprefix("lib")
        if len(bare) >= 6:
            keys.add(bare)
    said = _norm(names)
    if not any(k and len(k) >= 2 and k in said for k in keys):
        return []  # the resource describes something else (a product, a Python extension)
    for field in ("ProductVersion", "FileVersion"):
        raw = res.get(field, "").replace(",", ".").replace(" ", "")
        vm = _VERSION_ONLY.fullmatch(raw)
        if not vm:
            continue  # "0.165.x", "4.3+1-e9b8812": not a version this reader can state exactly
        version = vm.group(1)
        parts = version.split(".")
        while len(parts) > own.version_parts and parts[-1] == "0":
            parts.pop()  # 77,1,0,0 is ICU 77.1 (the table says how many parts a release has)
        version = ".".join(parts)
        shown = ", ".join(f"{k} {res[k]}" for k in ("ProductName", "ProductVersion", "FileVersion")
                          if k in res)
        return [Claim(own, version, Evidence("versioninfo", path, shown, "version"), W_VERSIONINFO)]
    return []


# -- a PE file's own PDB path ----------------------------------------------------------------

# the debug directory's CodeView record: "RSDS", the PDB's GUID and age, its path as the linker
# wrote it
_RSDS_PATH = re.compile(rb"RSDS.{20}(?P<path>[\x20-\x7e]{4,260}?\.pdb)\x00", re.S)
_PDB_TREE = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9_+.]*?)-v?(?P<ver>[0-9]+(?:\.[0-9]+){1,3})")
_ARCH_TAIL = re.compile(r"(?:64|32)$")


def pdb_path_claims(path: str, data: bytes, info: BinaryInfo, m: LibraryMatcher) -> list[Claim]:
    """The release a PE file was built from, when the path of its own PDB runs through a source tree
    named with the release of the project the PDB is named for
    (``C:\\WinDivert-2.2.2\\install\\MSVC\\amd64\\WinDivert64.pdb``): the linker's record of this
    very file, not a text its code quotes. A tree named for another project says nothing here."""
    if info.format != "pe":
        return []
    pos, seen = data.find(b"RSDS"), 0
    while pos >= 0 and seen < 8:
        seen += 1
        rm = _RSDS_PATH.match(data, pos, pos + 300)
        if rm is not None:
            pdb = rm.group("path").decode("latin-1")
            parts = re.split(r"[\\/]", pdb)
            stem = _norm(_ARCH_TAIL.sub("", parts[-1][:-4])).removeprefix("lib")
            for part in parts[:-1]:
                dm = _PDB_TREE.fullmatch(part)
                if dm and len(stem) >= 3 and _norm(dm.group("name")).removeprefix("lib") == stem:
                    name = dm.group("name")
                    lib = m.library_for_source(name) or generic_library(name.lower())
                    return [Claim(lib, dm.group("ver"), Evidence("pdb-path", path, pdb, "version"),
                                  W_BUILD_PATH)]
            return []  # the file's own record names no release
        pos = data.find(b"RSDS", pos + 4)
    return []


# -- build-information blocks ---------------------------------------------------------------

_BUILD_LINE = re.compile(
    rb"\n[ \t]+(?P<label>[A-Za-z][A-Za-z0-9 ._/+-]{0,30}):[ \t]+(?P<what>build[A-Za-z0-9_+-]*)[ \t]*"
    rb"\(ver (?P<ver>[0-9][A-Za-z0-9._-]{0,30})\)")


# "TBB: VERSION\t\t2020.3\nTBB: INTERFACE VERSION\t11103\n...": a block in which a library states its
# own release beside its build's other facts, one "NAME: KEY\tvalue" line each
_VERSION_LINE = re.compile(
    rb"[\x00\n](?P<label>[A-Za-z][A-Za-z0-9+_-]{0,30}): VERSION[ \t]+(?P<ver>[0-9][A-Za-z0-9._-]{0,30})"
    rb"[ \t]*\n(?P=label): [A-Z][A-Z_ ]{1,30}[ \t]")


# "BZip2 NONE;expat 2.6.3;Freetype 2.14.3;GIF 5.2.1;...;ZLIB 1.2.11": the dependencies a build
# found, one "Name version" (or "Name NONE": not used) per item (OpenImageIO's library list)
_DEPS_ITEM = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9+_.-]{0,30})(?: (?P<ver>NONE|[0-9]+(?:\.[0-9]+)*))?")
_DEPS_SEED = re.compile(rb" NONE;")
_DEPS_MIN = 6  # items in such a list, at least half of them versioned


def _dependency_list(path: str, data: bytes, m: LibraryMatcher, needed: Iterable[str],
                     hits: Callable[[re.Pattern[bytes]], Iterable[re.Match[bytes]]]) -> list[Claim]:
    """Each versioned item of a build's dependency list: a static copy in this file, unless the file
    loads that library from another file (then the list names the headers it was built against)."""
    linked = {_norm(k) for k in (file_key(n.rsplit("/", 1)[-1]) for n in needed) if k}
    claims: list[Claim] = []
    done: set[int] = set()
    for seed in hits(_DEPS_SEED):
        lo = max(seed.pos, seed.start() - 4000)
        start = data.rfind(b"\x00", lo, seed.start()) + 1
        end = data.find(b"\x00", seed.start(), min(seed.endpos, seed.start() + 4000))
        if start <= 0 or end < 0 or start in done:
            continue
        done.add(start)
        try:
            text = bytes(data[start:end]).decode("ascii")
        except UnicodeDecodeError:
            continue
        items = [_DEPS_ITEM.fullmatch(x) for x in text.split(";")]
        if len(items) < _DEPS_MIN or not all(items) or \
                2 * sum(1 for i in items if i and i.group("ver") not in (None, "NONE")) < len(items):
            continue
        for item in items:
            name, ver = item.group("name"), item.group("ver")
            if ver in (None, "NONE") or "." not in ver or name.lower() in _TOOLCHAIN or \
                    name.lower().rstrip("0123456789") in _TOOLCHAIN:
                continue  # "JPEG 80": an API level, not a release
            lib = m.library_for_source(name)
            keys = {_norm(name).removeprefix("lib"), *(_norm(f) for f in (lib.files if lib else ()))}
            if any(k and any(n.removeprefix("lib").startswith(k) for n in linked) for k in keys):
                continue  # ZLIB 1.2.11 beside a NEEDED libz.so.1: the system's, not in this file
            lib = lib or generic_library(name.lower())
            shown = f"{name} {ver} (in a build's dependency list)"
            claims.append(Claim(lib, ver, Evidence("build-info", path, shown, "version"), W_BUILD_INFO,
                                static=True))
    return claims


# zlib's inflate compiled into the file: its own messages (inflate.c's, perhaps merged as the tail
# of a longer text), which a caller of an imported zlib does not carry
_ZLIB_INFLATE = (re.compile(rb"invalid distance too far back\x00"),
                 re.compile(rb"incorrect header check\x00"))
# a text shaped like a zlib release (1.2.11, 1.3.1, 1.2.13.1): the version its callers pass
_ZLIB_RELEASE = re.compile(rb"\x00(1\.[23]\.[0-9]{1,2}(?:\.[0-9]{1,2})?)\x00")
_ZLIB_FILES = re.compile(r"(?:lib)?z(?:lib)?1?(?:[-.].*)?\.(?:so.*|dylib|dll)$", re.I)


def zlib_passed_version(path: str, data: bytes, info: BinaryInfo, m: LibraryMatcher,
                        hits: Callable[[re.Pattern[bytes]], Iterable[re.Match[bytes]]]) -> list[Claim]:
    """zlib compiled into the file without a banner or version function (dropped as unreferenced
    from a static link: libz-sys in a Rust extension, a C++ engine's private copy): the one release
    its callers pass to its init functions with the stream's size, ``inflateInit2_(strm, 15,
    "1.3.1", 0x70)``. Only where zlib's inflate is compiled in (its own messages) and the file
    imports no zlib (whose callers pass their header's release, whatever the library is)."""
    lib = m.library_for_source("zlib")
    if lib is None or info.machine != "x86_64" or info.format not in ("elf", "pe"):
        return []
    if any(_ZLIB_FILES.match(n.rsplit("/", 1)[-1]) for n in info.needed):
        return []
    if not all(next(iter(hits(rx)), None) is not None for rx in _ZLIB_INFLATE):
        return []
    texts = {h.start(1): h.group(1).decode("ascii") for h in hits(_ZLIB_RELEASE)}
    if not texts or len(texts) > 64:
        return []
    passed = x86_versions_passed_with_size(data, info, texts)
    if len(passed) != 1:
        return []  # none, or callers built with different releases: which is the library's?
    ((version, n),) = passed.items()
    shown = f"'{version}' passed with the stream's size 0x70 to zlib's init ({n} call{'s' if n > 1 else ''})"
    return [Claim(lib, version, Evidence("version-argument", path, shown, "version"), W_BUILD_PATH,
                  static=True)]


def build_info(path: str, data: bytes, m: LibraryMatcher,
               hits: Callable[[re.Pattern[bytes]], Iterable[re.Match[bytes]]],
               needed: Iterable[str] = ()) -> list[Claim]:
    """``JPEG: build-libjpeg-turbo (ver 3.0.1-62)``: a component built into this file, its version;
    ``TBB: VERSION 2020.3`` (then more ``TBB: KEY value`` lines): the library's own release;
    ``expat 2.6.3;Freetype 2.14.3;...``: a build's dependency list."""
    claims = _dependency_list(path, data, m, needed, hits)
    for seed in hits(_VERSION_LINE_SEED):
        lo = max(seed.pos, seed.start() - 33)
        start = max(data.rfind(b"\x00", lo, seed.start()), data.rfind(b"\n", lo, seed.start()))
        hit = _VERSION_LINE.match(data, start, min(seed.endpos, seed.start() + 160)) if start >= 0 else None
        if hit is None:
            continue
        lib = m.library_for_source(hit.group("label").decode("latin-1"))
        vm = _VERSION_ONLY.fullmatch(hit.group("ver").decode("latin-1"))
        if lib is None or vm is None:
            continue
        shown = re.sub(r"\s+", " ", data[hit.start() + 1:hit.end("ver")].decode("latin-1"))
        claims.append(Claim(lib, vm.group(1), Evidence("build-info", path, shown, "version"), W_BUILD_INFO,
                            static=True))
    for seed in hits(_BUILD_SEED):
        nl = data.rfind(b"\n", max(seed.pos, seed.start() - 200), seed.start())
        hit = _BUILD_LINE.match(data, nl, min(seed.endpos, seed.start() + 64)) if nl >= 0 else None
        if hit is None:
            continue
        what = hit.group("what").decode("latin-1").removeprefix("build").lstrip("-")
        label = hit.group("label").decode("latin-1").strip()
        lib = (m.library_for_source(what) if what else None) or m.library_for_source(label)
        if lib is None:
            continue
        raw = hit.group("ver").decode("latin-1")
        vm = _VERSION_ONLY.match(raw)
        if vm is None or (vm.end() < len(raw) and raw[vm.end()] not in "-"):
            continue
        shown = hit.group().decode("latin-1").strip()
        claims.append(Claim(lib, vm.group(1), Evidence("build-info", path, shown, "version"), W_BUILD_INFO,
                            static=True))
    return claims


# a C extension module's attribute that names a library's version ("harfbuzz_version",
# "libavif_version"): its name's end, then the whole name back to the NUL before it
_ATTR_SEED = re.compile(rb"_version\x00")
_PYINIT = rb"PyInit_[A-Za-z0-9_]+"
_ATTR_NAME = re.compile(rb"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*?(?:_runtime)?_version", re.I)


def module_attributes(path: str, data: bytes, info: BinaryInfo, m: LibraryMatcher,
                      hits: Callable[[re.Pattern[bytes]], Iterable[re.Match[bytes]]]) -> list[Claim]:
    """A C extension module that sets an attribute named for a table library's version from what
    a function compiled into the same file returns (Pillow's ``harfbuzz_version`` from
    ``hb_version_string()``, ``libavif_version`` from ``avifVersion()``): that library's code, at
    that version, is in the file. Only a function's returned text counts, never a literal the
    module passes itself (a header's version, which a dynamically linked library need not
    match)."""
    if info.machine != "x86_64" or info.format not in ("pe", "elf") or not info.present(_PYINIT):
        return []  # no x86-64 Python extension module (PyInit_<name> defined): nothing to read
    names: dict[int, Library] = {}
    for seed in hits(_ATTR_SEED):
        start = data.rfind(b"\x00", max(seed.pos, seed.start() - 40), seed.start()) + 1
        if start <= 0:
            continue
        hit = _ATTR_NAME.fullmatch(data, start, seed.start() + 8)
        if hit is None:
            continue
        stem = re.sub(rb"(?i)(?:_runtime)?_version$", b"", hit.group()).decode("latin-1")
        lib = m.library_for_source(stem)
        if lib is not None:
            names[start] = lib
        if len(names) >= 8:
            break
    if not names:
        return []
    claims = []
    for name, offs in x86_returned_before(data, info, sorted(names)).items():
        lib = names[name]
        versions = set()
        for off in offs:
            end = data.find(b"\x00", off, off + 64)
            text = data[off:end].decode("latin-1") if end > off else ""
            version = version_from_text(text, lib) if text and text.isprintable() else None
            if version is not None and _VERSION_ONLY.fullmatch(text.strip()):
                versions.add(version)
        if len(versions) == 1:  # two texts for one name: neither is proven
            version = versions.pop()
            shown = data[name:data.find(b"\x00", name)].decode("latin-1")
            claims.append(Claim(lib, version, Evidence("version-string", path,
                                                       f"module attribute '{shown}' set from a function "
                                                       f"returning '{version}'", "version"),
                                W_CORROBORATED, static=True))
    return claims


__all__ = ["Claim", "build_info", "module_attributes", "package_claims", "pdb_path_claims", "prefix_presence",
           "source_paths", "version_from_text", "version_functions", "versioninfo_claims"]


# -- a nameless version function inside a static copy's own code -------------------------------

_BARE_RELEASE = re.compile(r"[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}")
_MAX_GAP = 4096  # bytes between two of the library's named functions: one object file's code
_X86_LEA_RET = re.compile(rb"\x48\x8d\x05(.{4})\xc3", re.S)


def nameless_version(path: str, data: bytes, info: BinaryInfo, lib: Library) -> Claim | None:
    """A static copy whose version function keeps no name (hidden, the symbol table stripped to
    the exports) though its neighbours in its own object file keep theirs: Grok built into a codec
    plugin exports grk_decompress_create and grk_decompress_buffer_detect_format, and between them
    sits grk_version(), 'lea rax, "11.0.0"; ret' (arm64: adrp, add, ret). Read only between two of
    the library's named functions that are close (one object file's code, which the linker keeps
    together), from whole functions (aligned, nothing but the load and the return) returning a
    bare release text; one version only."""
    if info.format not in ("elf", "macho") or info.machine not in ("x86_64", "aarch64") or not lib.prefixes:
        return None
    alts = b"|".join(re.escape(p.encode()) for p in lib.prefixes)
    syms = info.symbols_matching(rb"(?:_Z[1-9][0-9]{0,2})?(?:" + alts + rb").*",
                                 tuple(p.encode() for p in lib.prefixes))
    starts = sorted({(s.vaddr, s.offset, s.size) for s in syms if s.is_func and s.offset >= 0})
    found: dict[str, int] = {}
    for (va, off, size), (next_va, _next_off, _size) in pairwise(starts):
        gap = next_va - va
        if not 0 < gap <= _MAX_GAP:
            continue
        begin = size if 0 < size < gap else 4
        for at in _function_starts(data, info, off, va, begin, gap):
            target = _loaded_and_returned(data, info, off + at, va + at)
            text = _string_at(data, info, target)
            if text is not None and _BARE_RELEASE.fullmatch(text):
                found[text] = va + at
    if len(found) != 1:
        return None
    (text, where), = found.items()
    shown = f"the nameless function at {where:#x}, between {lib.name}'s own named functions, returns {text!r}"
    return Claim(lib, text, Evidence("version-function", path, shown, "version"), W_CORROBORATED, static=True)


def _function_starts(data: bytes, info: BinaryInfo, off: int, va: int, begin: int, gap: int) -> Iterator[int]:
    """Offsets from ``off`` in [begin, gap) where a function may start: 16-byte aligned x86-64
    addresses after a return or padding; arm64 words after a return, an unconditional branch or
    padding."""
    if info.machine == "x86_64":
        at = begin + (-(va + begin)) % 16
        while at + 8 <= gap:
            if data[off + at - 1] in (0xC3, 0xCC, 0x90, 0x00):
                yield at
            at += 16
        return
    at = (begin + 3) & ~3
    while at + 12 <= gap:
        (prev,) = struct.unpack_from("<I", data, off + at - 4)
        if prev in (0xD65F03C0, 0xD503201F, 0) or prev >> 26 == 0b000101:
            yield at
        at += 4


def _loaded_and_returned(data: bytes, info: BinaryInfo, off: int, va: int) -> int | None:
    """The address a whole function at ``off`` loads into the return register and returns: x86-64
    ``lea rax, [rip + d]; ret``; arm64 ``adrp x0, page; add x0, x0, #lo; ret``."""
    if info.machine == "x86_64":
        hit = _X86_LEA_RET.match(data, off)
        return va + 7 + struct.unpack("<i", hit.group(1))[0] if hit else None
    adrp, add, ret = struct.unpack_from("<III", data, off)
    if adrp & 0x9F00001F != 0x90000000 or add & 0xFFC003FF != 0x91000000 or ret != 0xD65F03C0:
        return None
    immlo, immhi = adrp >> 29 & 3, adrp >> 5 & 0x7FFFF
    page = (immhi << 2 | immlo) << 12
    if page & 1 << 32:
        page -= 1 << 33
    return (va & ~0xFFF) + page + (add >> 10 & 0xFFF)
