"""Rules written against the misses of the thirtieth untuned batch (all three platforms, ``untuned30.json``),
after the final-code measurement of that hold-out batch, each checked on a second real binary from another
project."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import binary, decode
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import member, wheel_by_prefix
from .native_components import versions as _versions

BATCHES = ("untuned30.json",)

# second binaries from PyPI, pinned by sha256 (Linux): pyminiaudio's extension compiles miniaudio
# 0.11.25 with its ma_dr_* decoders (ctypes: ma_dr_flac_version_string() '0.13.3',
# ma_dr_mp3_version_string() '0.7.3', ma_dr_wav_version_string() '0.14.5'); pywhispercpp grafts
# libwhisper (ctypes: whisper_version() '1.8.5')
OTHER = {
    "miniaudio-1.71-cp312-cp312-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl":
        "19be6f0a1e601c2237433e579734cfaf6469191b224c20c9e5f73c32ef9ee2b9",
    "pywhispercpp-1.5.1-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl":
        "973eafb3c27f4bc67f5e13f92491f91cee4ae0dd2d50c1b19c610f34c9ded9d8",
}


def _wheel(prefix: str, platform: str) -> Path:
    return wheel_by_prefix(prefix, platform, BATCHES, OTHER)


@cache
def _graph(prefix: str, platform: str) -> Graph:
    return catalog_artifact(_wheel(prefix, platform))


@pytest.mark.slow
def test_libaec_is_its_own_library() -> None:
    # libaec and its SZIP-compatible libsz were reported under the name of the HDF Group's SZIP,
    # with libaec's versions (EL8's debug link, the build path libaec-1.1.4/src, vcpkg's
    # buildtrees/libaec/src/v1.1.7-...)
    for prefix, platform, version in (("nusquids-", "linux", "1.0.2"), ("nusquids-", "mac", "1.1.4"),
                                      ("pyqes-", "win", "1.1.7")):
        graph = _graph(prefix, platform)
        assert _versions(graph, "libaec") == {version}
        assert _versions(graph, "szip") == set()
    # second binaries (the corpus, Linux): h5py's and rasterio's grafted libaec/libsz, whose build
    # paths name libaec-1.1.4 and libaec-1.1.7 (sonames libaec.so.0.1.4, .0.1.7)
    h5py = catalog_artifact(wheel_by_prefix("corpus-linux:h5py", "linux", ()))
    assert _versions(h5py, "libaec") == {"1.1.4"} and _versions(h5py, "szip") == set()
    rasterio = catalog_artifact(wheel_by_prefix("corpus-linux:rasterio", "linux", ()))
    assert _versions(rasterio, "libaec") == {"1.1.7"}
    # pygrib's libaec.0.dylib (untuned6, macOS; libaec unproven there) states no version: libaec
    # stays unversioned
    pygrib = catalog_artifact(wheel_by_prefix("pygrib-", "mac", ("untuned6.json",)))
    assert _versions(pygrib, "libaec") == {None}


@pytest.mark.slow
def test_lua51_ident() -> None:
    # Lua 5.1's lua_ident is "$Lua: Lua 5.1.5 Copyright (C) 1994-2012 Lua.org, PUC-Rio $" (5.2 on
    # write "$LuaVersion: "): randovania-lupa's three Lua 5.1 modules were reported without Lua
    assert _versions(_graph("randovania_lupa-", "linux"), "lua") == {"5.1.5"}
    assert _versions(_graph("randovania_lupa-", "mac"), "lua") == {"5.1.5"}
    # second binary: lupa's own wheel (the corpus, Linux), whose lua51 module was missed beside
    # its 5.2-5.5 modules
    lupa = catalog_artifact(wheel_by_prefix("corpus-linux:lupa", "linux", ()))
    assert "5.1.5" in _versions(lupa, "lua")
    assert any("$Lua: Lua 5.1.5" in e.detail for e in _evidence(lupa, "lua"))
    # and its macOS wheel (untuned.json), whose truth first left lua51's 5.1.5 out (corrected from
    # its _lua_ident)
    mac = catalog_artifact(wheel_by_prefix("lupa-", "mac", ("untuned.json",)))
    assert _versions(mac, "lua") == {"5.1.5", "5.2.4", "5.3.6", "5.4.8", "5.5.1"}


@pytest.mark.slow
def test_dr_libs_and_whisper_version_functions() -> None:
    # sqlite-ai's extension exports miniaudio's ma_dr_{flac,mp3,wav}_version_string and
    # whisper_version: only ggml and miniaudio were reported
    for platform in ("linux", "mac"):
        graph = _graph("sqlite_ai-", platform)
        assert _versions(graph, "dr_flac") == {"0.13.3"}
        assert _versions(graph, "dr_mp3") == {"0.7.3"}
        assert _versions(graph, "dr_wav") == {"0.14.5"}
        assert _versions(graph, "whisper.cpp") == {"1.8.3"}
    # second binaries: pyminiaudio's extension and pywhispercpp's libwhisper (see OTHER)
    audio = _graph("miniaudio-", "linux")
    assert (_versions(audio, "dr_flac"), _versions(audio, "dr_mp3"), _versions(audio, "dr_wav")) == (
        {"0.13.3"}, {"0.7.3"}, {"0.14.5"})
    assert _versions(_graph("pywhispercpp-", "linux"), "whisper.cpp") == {"1.8.5"}


@pytest.mark.slow
def test_llvm_version_printer_and_mc_producer() -> None:
    # static LLVM tools whose version printer's pieces no reader found: MSVC pads them
    # ("LLVM (http://llvm.org/):\n  ", "LLVM", " version ", "20.1.0", each NUL-aligned), GCC's
    # clang-format keeps "20.1.0" only as the tail of another text (read where the printer loads
    # it), and clang-tidy on Linux has MC's "llvm-mc (based on LLVM 20.1.0)"
    for prefix in ("cformat-", "ctidy-"):
        for platform in ("linux", "win"):
            assert _versions(_graph(prefix, platform), "llvm") == {"20.1.0"}, (prefix, platform)
    # second binaries (the corpus): llvmlite's Windows DLL, read from the padded printer and MC's
    # text as well as "LLVM version 22.1.0"; libclang's Linux library, unversioned before, from
    # MC's text
    llvmlite = catalog_artifact(wheel_by_prefix("corpus:llvmlite", "win", ()))
    assert _versions(llvmlite, "llvm") == {"22.1.0"}
    details = {e.detail for e in _evidence(llvmlite, "llvm")}
    assert "llvm-mc (based on LLVM 22.1.0)" in details
    assert any(d.startswith("LLVM (http://llvm.org/):") for d in details)
    libclang = catalog_artifact(wheel_by_prefix("corpus-linux:libclang", "linux", ()))
    assert _versions(libclang, "llvm") == {"18.1.1"}
    # llvmlite's Linux library (GCC): the printer loads "LLVM", " version ", then "22.1.0" (its
    # version, which LLVMGetVersion() gives too)
    wheel = wheel_by_prefix("corpus-linux:llvmlite", "linux", ())
    data = member(wheel, r"libllvmlite\.so$")
    at = data.find(b"\x00LLVM (http://llvm.org/):\n  \x00") + 1
    loads = decode.x86_loads_after(data, binary.parse(data), [(at, 64, 0)])[at]
    assert data[loads[2]:loads[2] + 7] == b"22.1.0\x00"
    # tosa-tools (untuned21, Linux) names LLVM but proves no release: still none
    tosa = catalog_artifact(wheel_by_prefix("tosa_tools-", "linux", ("untuned21.json",)))
    assert all(v is None for v in _versions(tosa, "llvm"))
