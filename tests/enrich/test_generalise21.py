"""Rules written against the misses of the twenty-first untuned batch (Linux, ``untuned21.json``),
each checked on a second real binary from another project where one was found (or said otherwise)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import binary, decode
from assay.enrich.bundled.rules import matcher
from assay.model import Graph

from .native_components import member, read_member_symbol, wheel_by_prefix
from .native_components import versions as _versions

# second binaries from PyPI: Linux wheels of other projects (confluent-kafka is in the tuned set)
OTHER = {
    "confluent_kafka-2.3.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl":
        "e9b42bf1b75fdd9aa20c77b27f166f6289440ac649f70622a0117a8e7aa6169d",
    "Pillow-10.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl":
        "0b6eb5502f45a60a3f411c63187db83a3d3107887ad0d036c13ce836f8a36f1d",
}

BATCHES = ("untuned21.json", "untuned18.json", "untuned12.json", "untuned.json", "untuned7.json",
           "untuned8.json")


def _wheel(prefix: str) -> Path:
    """A Linux wheel of untuned21 or an earlier batch, or of OTHER, by name prefix."""
    return wheel_by_prefix(prefix, "linux", BATCHES, OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


def _member(prefix: str, pattern: str) -> bytes:
    return member(_wheel(prefix), pattern)


def _read(prefix: str, pattern: str, symbol: str, how: str) -> int | str | None:
    return read_member_symbol(_wheel(prefix), pattern, symbol, how)


@pytest.mark.slow
def test_protobuf_verify_version_behind_a_stack_protector() -> None:
    # both VerifyVersion forms with the stack protector's canary loaded and stored before the
    # compare: the 22+ form (cmp edi) in runai-model-streamer-gcs's static protobuf 5.27.0, the
    # pre-22 form (cmp esi) in livekit's noise-cancellation plugin (3.21.12); both were reported
    # without a version
    assert _versions(_graph("runai_model_streamer_gcs-"), "protobuf") == {"5.27.0"}
    assert _versions(_graph("livekit_plugins_noise_cancellation-"), "protobuf") == {"3.21.12"}
    # no binary of another project with a canary before the compare was found in the time: the
    # forms without one are still read (NIXL's libprotobuf 6.31.0, curated-tokenizers' 3.14.0)
    assert _versions(_graph("nixl_cu13-"), "protobuf") == {"6.31.0"}
    assert _read("curated_tokenizers-", r"_spp.*\.so$", "_ZN6google8protobuf8internal13VerifyVersionEiiPKc",
                 "cmp-arg2") == 3014000


@pytest.mark.slow
def test_liburing_version_from_its_major_and_minor_functions() -> None:
    # io_uring_major_version() and io_uring_minor_version(): one part each (memcache-hybrid's three
    # copies of liburing.so.2.6); liburing was not reported at all
    assert _versions(_graph("memcache_hybrid-"), "liburing") == {"2.6"}
    # second binary: NIXL's grafted liburing 2.14 (untuned18), missed there before
    assert _versions(_graph("nixl_cu13-"), "liburing") - {None} == {"2.14"}


@pytest.mark.slow
def test_static_curl_version_written_from_immediates() -> None:
    # curl_version() of a static libcurl writes "libcurl/7.69.1" from immediates ("libcurl/" in a
    # movabs, "7.69" in a dword store, ".1" through a 32-bit register and a word store): curl was
    # found in runai-model-streamer-gcs without a version
    gcs = _graph("runai_model_streamer_gcs-")
    assert _versions(gcs, "curl") == {"7.69.1"}
    # (since untuned26, curl_version_info()'s record gives the same 7.69.1 first; the text is still
    # built from the immediates as before)
    gcs_data = _member("runai_model_streamer_gcs-", r"\.so$")
    gcs_at = re.search(rb"[\x48\x49][\xb8-\xbf]libcurl/", gcs_data)
    assert gcs_at is not None
    assert decode.x86_immediate_text(gcs_data, gcs_at.start(), b"libcurl/").startswith(b"libcurl/7.69.1")
    # second binary: eckitlib's grafted libcurl (untuned7) writes its 7.61.1 the same way, with
    # leas to other addresses between the stores; its version was already read from DICT's greeting
    data = _member("eckitlib-", r"libcurl[^/]*\.so")
    at = re.search(rb"[\x48\x49][\xb8-\xbf]libcurl/", data)
    assert at is not None
    assert decode.x86_immediate_text(data, at.start(), b"libcurl/").startswith(b"libcurl/7.61.1")
    assert _versions(_graph("eckitlib-"), "curl") == {"7.61.1"}


@pytest.mark.slow
def test_cjson_version_formatted_from_immediates() -> None:
    # cJSON_Version() formats "%i.%i.%i" with three immediates (__snprintf_chk with 1 in r9d and
    # 7, 18 pushed): the AWS SDK's cJSON in runai-model-streamer-s3; the table had no cJSON
    assert _versions(_graph("runai_model_streamer_s3-"), "cjson") == {"1.7.18"}
    # second binaries: TileDB's libtiledb (snprintf, all three in registers: 1.7.19, untuned.json)
    # and librdkafka in confluent-kafka (sprintf: 1.7.14)
    assert _versions(_graph("tiledb-"), "cjson") == {"1.7.19"}
    assert _read("confluent_kafka-", r"librdkafka[^/]*\.so", "cJSON_Version", "printf-str") == "1.7.14"


@pytest.mark.slow
def test_aws_crt_cpp_version_from_the_api_handle() -> None:
    # ApiHandle::GetCrtVersion() returns three 16-bit fields the constructor stored (a movabs for the
    # first two, a word store for the patch): runai-model-streamer-s3's 0.32.8; no reader before
    assert _versions(_graph("runai_model_streamer_s3-"), "aws-crt-cpp") == {"0.32.8"}
    # second binaries: TileDB's static SDK (0.37.2, its user agent's "0.37.2" agrees) and NIXL's
    # grafted libaws-crt-cpp (0.37.3, untuned18's truth, missed there)
    assert _versions(_graph("tiledb-"), "aws-crt-cpp") == {"0.37.2"}
    assert _versions(_graph("nixl_cu13-"), "aws-crt-cpp") - {None} == {"0.37.3"}


@pytest.mark.slow
def test_version_function_behind_a_stack_protector() -> None:
    # openEuler's libboundscheck: GetHwSecureCVersion(&n) stores n, checks the canary and returns
    # "1.1.16"; it was reported without a version (the reader stopped at the canary)
    assert _versions(_graph("memcache_hybrid-"), "libboundscheck") == {"1.1.16"}
    # second binary: memfabric-hybrid's grafted copy (untuned12, its truth; missed there before)
    assert _versions(_graph("memfabric_hybrid-"), "libboundscheck") == {"1.1.16"}


@pytest.mark.slow
def test_wiredtiger_version() -> None:
    # WiredTiger's wiredtiger_version() and its text "WiredTiger 11.2.0: (November 10, 2022)"
    # (secantusdb's SWIG module); the table had no WiredTiger. No other wheel on PyPI carries it
    # (the wiredtiger project publishes no wheel): one binary only
    assert _versions(_graph("secantusdb-"), "wiredtiger") == {"11.2.0"}


@pytest.mark.slow
def test_numbered_codelets_are_no_api_prefix() -> None:
    # FFTW's halfcomplex codelets hb_2 ... hb_64 (and their source files hb_2.c ...), renamed under
    # krisp_ in livekit's plugin, were counted as HarfBuzz's hb_* API: a HarfBuzz without a version
    livekit = _graph("livekit_plugins_noise_cancellation-")
    assert not _versions(livekit, "harfbuzz")
    assert _versions(livekit, "fftw") == {"3.3.9"}
    # second binary: Pillow's grafted libharfbuzz (tuned set) still counts its hb_* API, hundreds of
    # names that go on with a word
    data = _member("Pillow-10.0.0-", r"libharfbuzz[^/]*\.so")
    assert binary.parse(data).prefix_counts(matcher().prefix_pattern)["hb_"] > 400
