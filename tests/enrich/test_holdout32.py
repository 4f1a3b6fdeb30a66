"""Rules written against the misses of the hold-out batches untuned31 and untuned32 (after their
one measurement), each checked on a second binary: another build, another architecture or
another library that the same mechanism reads."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import binary, decode
from assay.model import Graph

from .native_components import member, native, wheel_by_prefix

BATCHES = ("untuned32.json", "untuned31.json")


def _wheel(prefix: str, platform: str = "linux") -> Path:
    return wheel_by_prefix(prefix, platform, BATCHES)


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(_wheel(prefix, platform))


def _in_file(graph: Graph, name: str, file: str) -> set[str | None]:
    return {c.version for c in native(graph) if c.name == name
            and any(e.location.endswith(file) or file in e.location for e in c.evidence)}


@pytest.mark.slow
def test_check_version_through_a_callee_saved_register() -> None:
    # RHEL's GnuTLS, libtasn1 and libidn2 (grafted into gopher-mcp-python-native): each
    # X_check_version(NULL) keeps its VERSION's address in r12 (a REX-prefixed lea and mov), which
    # the NULL-argument reader followed only for rax..rdi
    g = _graph("gopher_mcp_python_native_linux_x64-")
    assert _in_file(g, "gnutls", "libgnutls.so.30") == {"3.6.13"}
    assert _in_file(g, "libtasn1", "libtasn1.so.6") == {"4.16.0"}
    assert _in_file(g, "libidn2", "libidn2.so.0") == {"2.2.0"}


@pytest.mark.slow
def test_sdl_satellites_linked_version_struct() -> None:
    # IMG_Linked_Version(), Mix_Linked_Version(), TTF_Linked_Version(): a static SDL_version filled
    # with three byte constants and returned; arm64 (pyezgame's macOS dylibs)...
    g = _graph("pyezgame-", "mac")
    assert _in_file(g, "sdl2_image", "libSDL2_image-2.0.0.dylib") == {"2.8.12"}
    assert _in_file(g, "sdl2_mixer", "libSDL2_mixer-2.0.0.dylib") == {"2.8.2"}
    assert _in_file(g, "sdl2_ttf", "libSDL2_ttf-2.0.0.dylib") == {"2.24.0"}
    # ... and x86-64 (the Linux wheel's EL8 builds, another release of each: a halfword through ax)
    wheel = _wheel("pyezgame-")
    for file, symbol, want in (("libSDL2_image-", "IMG_Linked_Version", (2, 6, 3)),
                               ("libSDL2_mixer-", "Mix_Linked_Version", (2, 8, 1)),
                               ("libSDL2_ttf-", "TTF_Linked_Version", (2, 20, 2))):
        data = member(wheel, file)
        info = binary.parse(data)
        assert info is not None
        sym = info.symbol(symbol)
        assert sym is not None
        assert decode.filled_struct_returned(data, info, sym) == want
    # SDL2 itself keeps its own reader (its release text)
    assert _in_file(g, "sdl2", "libSDL2-2.0.0.dylib") == {"2.32.10"}


@pytest.mark.slow
def test_library_without_table_version_reader() -> None:
    mac = _graph("pyezgame-", "mac")
    # GLib's three constants glib_major_version, glib_minor_version, glib_micro_version
    assert _in_file(mac, "glib", "libglib-2.0.0.dylib") == {"2.88.1"}
    # graphite2's gr_engine_version(&major, &minor, &bugfix): "engine" between prefix and version
    assert _in_file(mac, "graphite2", "libgraphite2.3.3.1.dylib") == {"1.3.15"}
    # readline's rl_library_version pointer
    assert _in_file(mac, "readline", "libreadline.8.3.dylib") == {"8.3"}
    # WavpackGetLibraryVersionString: "Library" between the prefix and "Version"
    assert _in_file(mac, "libwavpack", "libwavpack.1.dylib") == {"5.9.0"}
    # second binary for graphite2: the Linux wheel's EL8 build stores 1, 3, 10 (x86-64)
    linux = _graph("pyezgame-")
    assert _in_file(linux, "graphite2", "libgraphite2-") == {"1.3.10"}
    assert any(e.kind == "version-function" and "gr_engine_version" in e.detail
               for c in native(linux) if c.name == "graphite2" for e in c.evidence)


@pytest.mark.slow
def test_heimdal_is_not_mit_kerberos() -> None:
    # RHEL 8's Heimdal libkrb5.so.26 (beside MIT's libkrb5.so.3 in one wheel): "Heimdal 7.7.0"
    g = _graph("gopher_mcp_python_native_linux_x64-")
    assert _in_file(g, "heimdal", "libkrb5.so.26") == {"7.7.0"}
    assert _in_file(g, "krb5", "libkrb5.so.26") == set()
    assert _in_file(g, "krb5", "libkrb5.so.3") == {"1.17"}
    # second binary: Heimdal's libwind prints the same text; MIT krb5 in pymeos-cffi stays MIT's
    assert _in_file(g, "heimdal", "libwind.so.0") == {"7.7.0"}
    assert {c.version for c in native(_graph("pymeos_cffi-")) if c.name == "heimdal"} == set()


@pytest.mark.slow
def test_libevent_and_open_mpi_entries() -> None:
    mac = _graph("openorbitaloptimizer_pyscf-", "mac")
    assert _in_file(mac, "libevent", "libevent_core-2.1.7.dylib") == {"2.1.12"}
    assert _in_file(mac, "openmpi", "libopen-pal.80.dylib") == {"5.0.9"}
    assert _in_file(mac, "openmpi", "libmpi.40.dylib") == {"5.0.9"}
    # second binary: RHEL 8's libevent 2.1.11 on Linux, under the same name
    g = _graph("gopher_mcp_python_native_linux_x64-")
    assert _in_file(g, "libevent", "libevent-2.1.so.7") == {"2.1.11"}


@pytest.mark.slow
def test_jbigkit_text_in_three_wheels() -> None:
    for prefix in ("pymeos_cffi-", "libcbdetect-", "pyezgame-"):
        assert {c.version for c in native(_graph(prefix)) if c.name == "jbigkit"} == {"2.1"}, prefix


@pytest.mark.slow
def test_namespace_named_version_function_on_three_platforms() -> None:
    # primesieve::primesieve_version() (lower-case: the namespace's own name) returning a
    # std::string built in place: Linux (libstdc++, rdi), macOS (arm64), Windows (MinGW's
    # libstdc++ under the Windows convention, the object in rcx; a COFF symbol, not an export)
    for platform in ("linux", "mac", "win"):
        found = {c.version for c in native(_graph("primecountpy-", platform)) if c.name == "primesieve"}
        assert found == {"12.11"}, platform


@pytest.mark.slow
def test_sqlcipher_and_dear_imgui() -> None:
    # SQLCipher's sqlcipher_version() loads "4.5.7" (and "community") for its "%s %s" (x86-64
    # Linux, a local symbol); the Windows build of the same project keeps the texts beside the
    # format; both files hold SQLite 3.45.3 too, which stays SQLite's
    for platform in ("linux", "win"):
        g = _graph("mmex_lib-", platform)
        assert {c.version for c in native(g) if c.name == "sqlcipher"} == {"4.5.7"}, platform
        assert {c.version for c in native(g) if c.name == "sqlite"} == {"3.45.3"}, platform
    # Dear ImGui's about text, "Dear ImGui 1.92.6 (19261)", in playarea's macOS and Windows programs
    for platform in ("mac", "win"):
        assert {c.version for c in native(_graph("playarea-", platform)) if c.name == "imgui"} == {"1.92.6"}


@pytest.mark.slow
def test_elfutils_files_named_by_their_release() -> None:
    # elfutils names libelf and libdw by the release (libelf-0.176.so, SONAME libelf.so.1), which
    # auditwheel keeps around its hash (libelf-0-3d9de92a.176.so); CentOS 7's 0.176 in
    # py-zed-open-capture, a newer 0.195 in pystack (another batch's wheel)
    for prefix, batches, want in (("py_zed_open_capture-", BATCHES, "0.176"),
                                  ("pystack-", ("untuned15.json",), "0.195")):
        g = catalog_artifact(wheel_by_prefix(prefix, "linux", batches))
        for name in ("libelf", "libdw"):
            found = {c.version for c in native(g) if name in (c.name, c.prop("assay:also-named"))}
            assert found == {want}, (prefix, name, found)
    # a libdw named only libdw.so.1 keeps its dwfl_version() text (semgrep's, in the corpus: the
    # table entry must not lose what the generic file-tied reader read)
    g = catalog_artifact(wheel_by_prefix("corpus-linux:semgrep", "linux", ()))
    assert {c.version for c in native(g) if c.name == "libdw"} == {"0.194"}


@pytest.mark.slow
def test_libev_and_lmdb_are_not_their_look_alikes() -> None:
    # libev defines a libevent-compatible event_get_version() ("4.24"): libev, never libevent
    g = catalog_artifact(wheel_by_prefix("corpus-linux:cassandra-driver", "linux", ()))
    assert {c.version for c in native(g) if c.name == "libev"} == {"4.24"}
    assert {c.version for c in native(g) if c.name == "libevent"} == set()
    # LMDB's API is mdb_* like MDB Tools' libmdb: py-lmdb's copies are no MDB Tools
    g = catalog_artifact(wheel_by_prefix("corpus-linux:lmdb", "linux", ()))
    assert {c.version for c in native(g) if c.name == "mdbtools"} == set()
