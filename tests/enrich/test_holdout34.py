"""Rules written against the misses of the hold-out batches untuned33 and untuned34 (after their
one measurement), each checked on a second binary: an older batch's wheel, another platform, or
another library the same mechanism reads."""

from __future__ import annotations

from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import versions_at, wheel_by_prefix

BATCHES = ("untuned34.json", "untuned33.json", "untuned31.json", "untuned9.json")


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(wheel_by_prefix(prefix, platform, BATCHES))


_at = versions_at


@pytest.mark.slow
def test_hwloc_version_loaded_beside_its_key() -> None:
    # hwloc_obj_add_info(root, "hwlocVersion", HWLOC_VERSION): MSVC loads the value before the key
    # (and the text "2.11.2rc2-git" is a pre-release's tag run on into a build mark)
    assert _at(_graph("pyplanc-", "win"), "hwloc", "hwloc-15") == {"2.11.2rc2-git"}
    # arm64: the key's and the value's adrp/add pairs (Homebrew's 2.13.0, OpenVINO's 2.9.3rc2-git)
    assert _at(_graph("openorbitaloptimizer_pyscf-", "mac"), "hwloc", "libhwloc") == {"2.13.0"}
    assert _at(_graph("openvino-", "mac"), "hwloc", "libhwloc") == {"2.9.3rc2-git"}


@pytest.mark.slow
def test_cpp_httplib_user_agent_in_two_literals() -> None:
    # "cpp-httplib/" and CPPHTTPLIB_VERSION joined at run time: MSVC keeps the version before the
    # prefix (gks's llama.cpp server), clang after it (kuzu's macOS extension)
    assert _at(_graph("gks-", "win"), "cpp-httplib", "gguf-server.exe") == {"0.51.0"}
    assert _at(_graph("kuzu-", "mac"), "cpp-httplib", "_kuzu") == {"0.14.2"}


@pytest.mark.slow
def test_frameworks_named_like_their_library() -> None:
    # pysdl2-dll's macOS frameworks: wavpack.framework/Versions/A/wavpack is libwavpack (its
    # WavpackGetLibraryVersionString), SDL2_gfx.framework is SDL2_gfx and not SDL2
    g = _graph("pysdl2_dll-", "mac")
    assert _at(g, "libwavpack", "wavpack.framework") == {"5.6.0"}
    assert _at(g, "sdl2", "SDL2_gfx.framework") == set()
    assert _at(g, "sdl2", "SDL2.framework") == {"2.32.10"}
    # second binary: the Windows wheel's SDL2_gfx.dll is SDL2_gfx too, not SDL2
    assert _at(_graph("pysdl2_dll-", "win"), "sdl2", "SDL2_gfx.dll") == set()


@pytest.mark.slow
def test_sdl_ttf_harfbuzz_getter_under_msvc() -> None:
    # TTF_GetHarfBuzzVersion zeroes its out-values on the stack (xor eax, eax; mov [rsp+d], eax)
    # before calling hb_version, which stores 8, 1, 1
    assert _at(_graph("pysdl2_dll-", "win"), "harfbuzz", "SDL2_ttf.dll") == {"8.1.1"}
    # and the macOS build of the same release agrees (its own reader)
    assert _at(_graph("pysdl2_dll-", "mac"), "harfbuzz", "SDL2_ttf") == {"8.1.1"}


@pytest.mark.slow
def test_namespaced_nanoarrow_and_mdbtools() -> None:
    # nanoarrow under NANOARROW_NAMESPACE (cudfArrowNanoarrowVersion)
    assert _at(_graph("pylibcudf_cu13-"), "nanoarrow", "libnanoarrow_shared") == {"0.8.0"}
    # MDB Tools' libmdb (mdb_get_version): the Linux x86-64 copy and the macOS arm64 copy beside it
    g = _graph("abet_converter-")
    assert _at(g, "mdbtools", "linux/x64/libmdb.so") == {"1.0.1"}
    assert _at(g, "mdbtools", "macos/arm64/libmdb.3.dylib") == {"1.0.1"}
