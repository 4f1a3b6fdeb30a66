"""Rules written against the misses of the twenty-eighth untuned batch (macOS arm64, unranked
projects, ``untuned28.json``), each checked on a second real binary from another project."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import binary, decode
from assay.model import Graph

from .native_components import member, wheel_by_prefix
from .native_components import versions as _versions

# untuned28's own wheels, then the earlier batches the second binaries come from; "corpus-linux:"
# names a project's Linux wheel in the corpus plan
BATCHES = ("untuned28.json", "untuned23.json", "untuned.json")


def _wheel(prefix: str, platform: str = "mac") -> Path:
    return wheel_by_prefix(prefix, platform, BATCHES)


@cache
def _graph(prefix: str, platform: str = "mac") -> Graph:
    return catalog_artifact(_wheel(prefix, platform))


@pytest.mark.slow
def test_mpg123_distversion_text_and_stores() -> None:
    # mpg123_distversion() (1.32 on) stores the release's parts through its pointer arguments and
    # returns its text: cast-sender's grafted libmpg123.0.dylib and cyfaust's static copy (1.33.7)
    # were named without a version
    assert _versions(_graph("cast_sender-"), "mpg123") == {"1.33.7"}
    assert _versions(_graph("cyfaust-"), "mpg123") == {"1.33.7"}
    # second binaries: soundfile's libsndfile carries a static mpg123 1.32.3, on macOS arm64 (the
    # returned text; untuned.json) and on Linux x86-64, where each store is guarded by a null test
    # of its pointer (test rdi, rdi; je; mov dword [rdi], 1) and only the stores are read
    assert _versions(_graph("soundfile-"), "mpg123") == {"1.32.3"}
    linux = _wheel("corpus-linux:soundfile", "linux")
    assert _versions(catalog_artifact(linux), "mpg123") == {"1.32.3"}
    data = member(linux, r"libsndfile_x86_64\.so$")
    info = binary.parse(data)
    sym = info.symbol("mpg123_distversion")
    assert sym is not None
    assert decode._x86_stores(data, sym.offset) == [1, 32, 3]


def test_guarded_stores_need_the_guard_to_skip_exactly_the_store() -> None:
    # test rdi, rdi; je +6; mov dword [rdi], 1 / test rsi, rsi; je +6; mov dword [rsi], 2; ret
    code = (b"\x48\x85\xff\x74\x06\xc7\x07\x01\x00\x00\x00"
            b"\x48\x85\xf6\x74\x06\xc7\x06\x02\x00\x00\x00\xc3")
    assert decode._x86_stores(code, 0) == [1, 2]
    # a test of one register guarding a store through another is not this form
    other = code.replace(b"\x48\x85\xf6", b"\x48\x85\xd2")
    assert decode._x86_stores(other, 0) is None
    # nor is a jump that goes further than the store
    assert decode._x86_stores(code.replace(b"\x74\x06", b"\x74\x08", 1), 0) is None


@pytest.mark.slow
def test_nghttp3_and_ngtcp2_info_structs() -> None:
    # nghttp3_version() and ngtcp2_version() return &{age, version_num, version_str} like
    # nghttp2_version(): curl-cffi-patch's static curl-impersonate (nghttp3 1.15.0, ngtcp2 1.20.0)
    # had neither reported
    g = _graph("curl_cffi_patch-")
    assert (_versions(g, "nghttp3"), _versions(g, "ngtcp2")) == ({"1.15.0"}, {"1.20.0"})
    # second binaries: cycurl's macOS libcurl-impersonate (untuned23: 1.9.0 and 1.11.0, which the
    # generic reader of *_version functions already gave) and pycurl's grafted Linux x86-64
    # libnghttp3 and libngtcp2 (1.18.0 and 1.25.0: their functions compare with 0x11200 and
    # 0x11900; nghttp3 was named without a version before)
    g = _graph("cycurl-")
    assert (_versions(g, "nghttp3"), _versions(g, "ngtcp2")) == ({"1.9.0"}, {"1.11.0"})
    g = catalog_artifact(_wheel("corpus-linux:pycurl", "linux"))
    assert (_versions(g, "nghttp3"), _versions(g, "ngtcp2")) == ({"1.18.0"}, {"1.25.0"})


@pytest.mark.slow
def test_libsamplerate_version_text() -> None:
    # src_get_version() returns 'libsamplerate-0.2.2 (c) 2002-2008 Erik de Castro Lopo': cyfaust's
    # static copy was not reported at all
    assert _versions(_graph("cyfaust-"), "libsamplerate") == {"0.2.2"}
    # second binary: opencv-python-headless's grafted libsamplerate.0.2.2.dylib (untuned.json)
    assert _versions(_graph("opencv_python_headless-"), "libsamplerate") == {"0.2.2"}
