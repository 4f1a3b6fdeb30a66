"""Rules written against the misses and the wrong answer of the twenty-sixth untuned batch (Linux,
unranked projects, ``untuned26.json``), each checked on a second real binary from another
project."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import binary, decode
from assay.model import Graph

from .native_components import member, read_member_symbol, wheel_by_prefix
from .native_components import versions as _versions

BATCHES = ("untuned26.json", "untuned23.json", "untuned21.json", "untuned7.json", "untuned.json")

# second binaries from PyPI, pinned by sha256: DIPlib's macOS arm64 wheel (no other project's wheel
# with libics compiled in was found in the corpus caches; this one is another compiler's build for
# another format, Mach-O arm64, of the same release)
OTHER = {
    "diplib-3.6.1-cp314-cp314-macosx_14_0_arm64.whl":
        "7639d12ffa8048d18d039391f9a48e5b3e70074c2d075b9d92ef75695603cf69",
}


def _wheel(prefix: str, platform: str = "linux") -> Path:
    return wheel_by_prefix(prefix, platform, BATCHES, OTHER)


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(_wheel(prefix, platform))


def _read(prefix: str, pattern: str, symbol: str, how: str) -> int | str | None:
    return read_member_symbol(_wheel(prefix), pattern, symbol, how)


@pytest.mark.slow
def test_curl_development_build_is_not_its_release() -> None:
    # bgen-limix's static libcurl: curl_version() says "libcurl/8.12.1-DEV ..." at run time, but the
    # file keeps "libcurl/8.12.1-D" as a 16-byte constant followed by unrelated bytes; the
    # "libcurl/" reader took 8.12.1 out of it (a wrong answer). A number that goes on into a
    # longer token now gives nothing, and curl_version_info()'s record {age, "8.12.1-DEV",
    # 0x080c01, ...} gives the build as written, its packed number agreeing with the text
    assert _versions(_graph("bgen_limix-"), "curl") == {"8.12.1-DEV"}
    assert _read("bgen_limix-", r"_core\.abi3\.so$", "curl_version_info", "record-str") == "8.12.1-DEV"
    # second binaries: eckitlib's grafted libcurl (untuned7, 7.61.1) and libcurl-ct's Linux
    # libcurl.so.4 (8.11.1; curl is named like that project) read through the same record, and
    # their released versions are still reported as before
    assert _read("eckitlib-", r"libcurl[^/]*\.so", "curl_version_info", "record-str") == "7.61.1"
    assert _read("libcurl_ct-", r"_linux/x64/libcurl\.so\.4$", "curl_version_info", "record-str") == "8.11.1"
    assert _versions(_graph("eckitlib-"), "curl") == {"7.61.1"}
    assert _versions(_graph("runai_model_streamer_gcs-"), "curl") == {"7.69.1"}


@pytest.mark.slow
def test_version_record_needs_its_packed_number() -> None:
    # the record reader is the same for nghttp2_version()'s {age, version_num, version_str, ...}
    # (the number before the text): libcurl-ct's libnghttp2.so.14, 1.43.0 (0x012b00)
    nghttp2 = _read("libcurl_ct-", r"_linux/x64/libnghttp2\.so\.14$", "nghttp2_version", "record-str")
    assert nghttp2 == "1.43.0"
    # a function that returns the bare text and no record gives nothing (libpsl's
    # psl_get_version())
    assert _read("libcurl_ct-", r"_linux/x64/libpsl\.so\.5$", "psl_get_version", "record-str") is None


@pytest.mark.slow
def test_blis_version_function() -> None:
    # bli_info_get_version_str() returns BLIS_VERSION_STRING: cython-blas's static BLIS, 3.0 (BLIS
    # was not in the table)
    assert _versions(_graph("cython_blas-"), "blis") == {"3.0"}
    # second binary: the blis project's own Linux wheel (cython-blis 1.3.4 compiles BLIS 0.7.0 in;
    # BLIS is named like that project, and reporting it is right)
    assert _versions(_graph("corpus-linux:blis"), "blis") == {"0.7.0"}


@pytest.mark.slow
def test_libics_version_function() -> None:
    # IcsGetLibVersion() returns ICSLIB_VERSION: DIPlib's static libics in diplib's libDIP.so, 1.6.5
    # (local symbol; libics was not in the table)
    assert _versions(_graph("diplib-"), "libics") == {"1.6.5"}
    # second binary: the macOS arm64 libDIP.dylib of the same release (adrp/add of the text)
    assert _versions(_graph("diplib-3.6.1-cp314-cp314-macosx", "mac"), "libics") == {"1.6.5"}


@pytest.mark.slow
def test_nghttp2_record_found_by_its_proto_text_in_a_stripped_dll() -> None:
    # libcurl-ct's Windows DLLs (curl-for-win 8.12.1, no symbols) carry nghttp2's record {1,
    # 0x014100, "1.65.0", "h2"}: read through curl's "nghttp2/%s", the record's getter followed
    # from the call that passes its text (a reader anchored on the proto text "h2" itself found
    # the same versions, but its three-byte anchor doubled the anchor pass's candidates in the
    # bench wheel set, so it went); nghttp2 was named there without a version
    assert "1.65.0" in _versions(_graph("libcurl_ct-"), "nghttp2")
    # second binaries: curl-impersonate's DLLs in cycurl (untuned23) and curl_cffi (untuned), both
    # with nghttp2 1.63.0 (record {1, 0x013f00, "1.63.0", "h2"}), not reported before
    assert _versions(_graph("cycurl-0.13.0-cp313-cp313-win", "win"), "nghttp2") == {"1.63.0"}
    assert _versions(_graph("curl_cffi-0.17.0-cp310-abi3-win", "win"), "nghttp2") == {"1.63.0"}


@pytest.mark.slow
def test_records_named_by_the_format_that_prints_them() -> None:
    # curl's "ngtcp2/%s nghttp3/%s" is passed ngtcp2_version(0)->version_str and
    # nghttp3_version(0)->version_str: in libcurl-ct's stripped x64 DLL the two getters are
    # followed to records {1, 0x010b00, "1.11.0"} and {1, 0x010800, "1.8.0"}, which no tag names;
    # ngtcp2 and nghttp3 were not in the table
    found = _graph("libcurl_ct-")
    assert "1.11.0" in _versions(found, "ngtcp2")
    assert "1.8.0" in _versions(found, "nghttp3")
    # second binary: curl-impersonate's DLL in cycurl (untuned23: ngtcp2 1.11.0, nghttp3 1.9.0,
    # missed there), its format right after a jump table rather than a NUL
    cycurl = _graph("cycurl-0.13.0-cp313-cp313-win", "win")
    assert _versions(cycurl, "ngtcp2") == {"1.11.0"}
    assert _versions(cycurl, "nghttp3") == {"1.9.0"}
    # a libcurl that imports nghttp2 calls a PLT stub, which loads no record: nothing from its
    # "nghttp2/%s" (libcurl-ct's Linux libcurl.so.4)
    data = member(_wheel("libcurl_ct-"), r"_linux/x64/libcurl\.so\.4$")
    at = data.find(b"nghttp2/%s\0")
    assert at > 0
    assert not decode.x86_format_records(data, binary.parse(data), [(at, 1)])
