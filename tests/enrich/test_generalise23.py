"""Rules written against the misses of the twenty-third untuned batch (Windows and macOS, unranked
projects, ``untuned23.json``), each checked on a second real binary from another project."""

from __future__ import annotations

import re
import zipfile
from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import binary, decode
from assay.model import Graph

from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI, pinned by sha256: humecodec and quickcodec graft FFmpeg's codec
# libraries too (both were on untuned23's candidate list after the project where the walk stopped,
# so neither is in the batch)
OTHER = {
    "humecodec-0.9.0-cp314-cp314-macosx_14_0_arm64.whl":
        "13a0f32dff5f1ffe561f488bcc4eb986364ebac5047a8e547d1db6508085fdc7",
    "humecodec-0.9.0-cp314-cp314-win_amd64.whl":
        "fb9ece5ebc9bf6ee7cb53b4db9b9c90790bef915aa4bfa278fb9e7f0e831aef7",
    "quickcodec-0.0.1-cp313-cp313-macosx_12_0_arm64.whl":
        "bcdf40ee7c809300e81750a406111c1a6d9f63a6903649848a4d6a70e5c3d2c1",
    "quickcodec-0.0.1-cp313-cp313-win_amd64.whl":
        "41bbe902a8324f5316cc1b9ca8d067af9472e5c1fd71ecd4540d710be49dfb6d",
}


def _wheel(prefix: str, platform: str) -> Path:
    return wheel_by_prefix(prefix, platform, ("untuned23.json",),
                           {f: s for f, s in OTHER.items() if ("win_amd64" in f) == (platform == "win")})


@cache
def _graph(prefix: str, platform: str) -> Graph:
    return catalog_artifact(_wheel(prefix, platform))


def _returned_text(prefix: str, platform: str, pattern: str, symbol: str) -> str | None:
    """The text the function ``symbol`` of a wheel member returns, read as a version function is."""
    with zipfile.ZipFile(_wheel(prefix, platform)) as z:
        data = z.read(next(n for n in z.namelist() if re.search(pattern, n)))
    info = binary.parse(data)
    sym = info.symbol(symbol)
    assert sym is not None
    kind, value = decode._returned(data, info, sym)
    assert kind == "addr"
    return decode._str_at(data, info, value)


@pytest.mark.slow
def test_svt_av1_version_function() -> None:
    # svt_av1_get_version() returns "v" and the release: deepcodec's libSvtAv1Enc was named without
    # a version on both platforms
    assert _versions(_graph("deepcodec-", "mac"), "svt-av1") == {"3.0.0"}
    assert _versions(_graph("deepcodec-", "win"), "svt-av1") == {"3.0.0"}
    # second binaries: humecodec's libSvtAv1Enc 3.1.2, macOS and Windows
    assert _versions(_graph("humecodec-", "mac"), "svt-av1") == {"3.1.2"}
    assert _versions(_graph("humecodec-", "win"), "svt-av1") == {"3.1.2"}


@pytest.mark.slow
def test_version_function_returning_a_pointer_loaded_from_data() -> None:
    # x86-64: LAME's get_lame_version() in a MinGW build with a frame pointer, `mov rax, [rip+d]`
    # (the pointer its table holds, relocated); deepcodec's was named without a version
    assert _returned_text("deepcodec-", "win", r"libmp3lame-0-.*\.dll$", "get_lame_version") == "3.100"
    assert _versions(_graph("deepcodec-", "win"), "lame") == {"3.100"}
    # second binary: humecodec's libmp3lame, the same form at another address
    assert _returned_text("humecodec-", "win", r"libmp3lame-0-.*\.dll$", "get_lame_version") == "3.100"
    assert _versions(_graph("humecodec-", "win"), "lame") == {"3.100"}
    # arm64: twolame's get_twolame_version(), `adrp x8; ldr x0, [x8, #off]` (the pointer read
    # through its chained fixup); deepcodec's was named without a version
    assert _returned_text("deepcodec-", "mac", r"libtwolame\.0\.dylib$", "get_twolame_version") == "0.4.0"
    assert _versions(_graph("deepcodec-", "mac"), "libtwolame") == {"0.4.0"}
    # second binary: quickcodec's libtwolame (no other wheel with twolame was found in the time)
    assert _versions(_graph("quickcodec-", "mac"), "libtwolame") == {"0.4.0"}
    # a Windows build whose get_twolame_version() returns "unknown" still proves nothing
    assert _versions(_graph("deepcodec-", "win"), "libtwolame") == {None}


@pytest.mark.slow
def test_libxml2_version_through_its_per_thread_accessor() -> None:
    # a MinGW libxml2-2.dll exports __xmlParserVersion(), which calls xmlIsMainThread() and on the
    # main thread returns the address of the global holding the pointer to "20913": deepcodec's
    # was named without a version
    assert _versions(_graph("deepcodec-", "win"), "libxml2") == {"2.9.13"}
    # second binary: quickcodec's libxml2-2.dll (another wheel of deepcodec's author, the same
    # build of libxml2 grafted under another hash; no other Windows wheel with a libxml2 DLL was
    # found in the time)
    assert _versions(_graph("quickcodec-", "win"), "libxml2") == {"2.9.13"}
    # the form is required whole: a function that returns a pointer it loads (LAME's) is no accessor
    with zipfile.ZipFile(_wheel("deepcodec-", "win")) as z:
        data = z.read(next(n for n in z.namelist() if re.search(r"libmp3lame-0-.*\.dll$", n)))
    info = binary.parse(data)
    sym = info.symbol("get_lame_version")
    assert sym is not None and decode.read_symbol(data, info, sym, "main-ptr-str") is None
