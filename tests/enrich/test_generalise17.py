"""Rules written against the misses of the seventeenth untuned batch (macOS arm64,
``untuned17.json``), each checked on a second real binary from another project (or said otherwise)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import native as _native
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI: wheels of other projects
OTHER = {
    "grpcio_tools-1.85.1-cp313-cp313-macosx_11_0_universal2.whl":
        "d973718c3fc065097e3d999d7a480a52d4144a088f4870635a66f5b30b2801e6",
    "ai_edge_litert-2.3.0-cp313-cp313-macosx_12_0_arm64.whl":
        "b4c4fa67442c5add9a5a2b672ee885e3be38a8f517d3ec33efb49c3ec57d5261",
    "miniaudio-1.71-cp313-cp313-macosx_11_0_arm64.whl":
        "d9dc15eff711bcfc62a9d05e0c78e4bc34821a455595e049629f2fea7491a523",
    "mysqlclient-2.3.2-cp312-cp312-win_amd64.whl":
        "7d79b7ee8c59d5a0c45db811f4ef6af06d00a88ca31f2b2f73a96d7ec269821f",
}


def _wheel(prefix: str) -> Path:
    """A macOS wheel of untuned17 or an earlier batch, or of OTHER, by name prefix."""
    if prefix.startswith("mysqlclient-"):
        return wheel_by_prefix(prefix, "win", (), OTHER)
    batches = ("untuned17.json", "untuned.json", "untuned4.json", "untuned6.json", "untuned9.json")
    return wheel_by_prefix(prefix, "mac", batches, OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_protobuf_verify_version_of_its_first_argument() -> None:
    # protobuf 22 and later: VerifyVersion(int, const char*) requires its first argument to equal the
    # library's own version; clang compares a large constant in two steps (sub w8, w0, #hi, lsl #12;
    # cmp w8, #lo; b.ne): ortools' libprotobuf 6029312 + 3689 = 6033001 (it was found without a version)
    ortools = _graph("ortools-")
    assert _versions(ortools, "protobuf") == {"6.33.1"}
    assert any("VerifyVersionEiPKc" in e.detail for e in _evidence(ortools, "protobuf"))
    # second binary: grpcio-tools' protoc compiler (universal2; its arm64 slice), 7032832 + 2169
    assert _versions(_graph("grpcio_tools-"), "protobuf") == {"7.35.1"}
    # third: OpenVINO's TensorFlow frontend (untuned9), 5025792 + 208, which that batch's hand
    # reading had listed as unproven ("no version") and now lists as proven
    assert _versions(_graph("openvino-"), "protobuf") == {"5.26.0"}


@pytest.mark.slow
def test_version_functions_of_libraries_the_table_lacked() -> None:
    # TfLiteVersion() and ma_version_string() return constant strings: MediaPipe's static TensorFlow
    # Lite 2.23.0 and miniaudio 0.11.26 were not named at all
    mediapipe = _graph("mediapipe-")
    assert _versions(mediapipe, "tensorflow-lite") == {"2.23.0"}
    assert _versions(mediapipe, "miniaudio") == {"0.11.26"}
    # second binaries: LiteRT's interpreter (ai-edge-litert) and pyminiaudio's extension
    assert _versions(_graph("ai_edge_litert-"), "tensorflow-lite") == {"2.23.0"}
    assert _versions(_graph("miniaudio-"), "miniaudio") == {"0.11.25"}


@pytest.mark.slow
def test_bzip2_version_function_without_a_date() -> None:
    # bzip2's development line returns a bare "1.1.0" from BZ2_bzlibVersion() (no ", 13-Jul-2019"):
    # ortools' libbz2 was found without a version. No second binary of that line was at hand; the
    # released form is still read (netCDF4's bzip2 1.0.8)
    assert _versions(_graph("ortools-"), "bzip2") == {"1.1.0"}
    assert _versions(_graph("netcdf4-"), "bzip2") == {"1.0.8"}


@pytest.mark.slow
def test_aws_lc_banner_is_not_openssl() -> None:
    # AWS-LC defines OpenSSL's names (awscrt's static copy was reported as openssl without a
    # version); its banner "AWS-LC 5.12.0" names and versions it. No second project was found
    # that ships AWS-LC on macOS
    awscrt = _graph("awscrt-")
    assert _versions(awscrt, "aws-lc") == {"5.12.0"}
    assert not any(c.name in ("openssl", "boringssl") for c in _native(awscrt))


@pytest.mark.slow
def test_lua_copyright_without_its_ident_and_lpeg() -> None:
    # pandoc's static Lua (hslua) keeps LUA_COPYRIGHT but not lua_ident's "$LuaVersion: ...", and
    # LPeg's VERSION text; neither was found. No second project with either text alone was at
    # hand; lupa's Lua builds (with lua_ident) keep their versions
    pandoc = _graph("pypandoc_binary-")
    assert _versions(pandoc, "lua") == {"5.4.8"}
    assert _versions(pandoc, "lpeg") == {"1.1.0"}
    assert {"5.4.8", "5.3.6"} <= _versions(_graph("lupa-"), "lua")


@pytest.mark.slow
def test_mariadb_connector_version_from_its_connection_attributes() -> None:
    # MariaDB Connector/C sends _client_name "libmariadb" and _client_version (its package version);
    # the two texts sit side by side: ml-metadata's static 3.0.8 (mysql_get_client_info()'s 10.3.6
    # is the server number it imitates, not its release)
    assert _versions(_graph("ml_metadata-"), "mariadb-connector-c") == {"3.0.8"}
    # second binary: mysqlclient's Windows extension, the texts NUL-padded by MSVC
    assert _versions(_graph("mysqlclient-"), "mariadb-connector-c") == {"3.4.9"}


@pytest.mark.slow
def test_version_text_a_version_function_loads() -> None:
    # libspatialindex's SIDX_Version() streams SIDX_RELEASE_NAME into an ostringstream (no constant
    # return): the one version text its code loads, in rtree's libspatialindex.dylib and
    # libspatialindex_c.dylib (it was found without a version). No second project grafting
    # libspatialindex on macOS was at hand
    rtree = _graph("rtree-")
    assert _versions(rtree, "libspatialindex") == {"2.1.0"}
    assert any("SIDX_Version" in e.detail for e in _evidence(rtree, "libspatialindex"))


@pytest.mark.slow
def test_scip_build_options_text() -> None:
    # SCIP's build options ("VERSION=10.0.0\n API_VERSION=156"): ortools' libscip has no build path
    # naming its release (it was found without a version)
    ortools = _graph("ortools-")
    assert _versions(ortools, "scip") == {"10.0.0"}
    # second binary: pyscipopt's grafted libscip, whose build paths say 10.0.2 too
    pyscipopt = _graph("pyscipopt-")
    assert _versions(pyscipopt, "scip") == {"10.0.2"}
    assert any("API_VERSION" in e.detail for e in _evidence(pyscipopt, "scip"))


@pytest.mark.slow
def test_flatbuffers_version_function() -> None:
    # flatbuffers::FLATBUFFERS_VERSION() returns "25.12.19" in MediaPipe's library (FlatBuffers was
    # not named). No second binary exporting it with a constant return was at hand: ai-edge-litert's
    # copy keeps no such symbol, and executorch's -O0 flatc (Linux) is only found, without a version
    assert _versions(_graph("mediapipe-"), "flatbuffers") == {"25.12.19"}


@pytest.mark.slow
def test_zlib_version_its_own_compress_passes() -> None:
    # ml-metadata's bazel-built static zlib keeps neither banner nor zlibVersion(); its compress() and
    # uncompress2() pass ZLIB_VERSION ("1.3.1") to deflateInit_()/inflateInit_() (it was missed)
    ml = _graph("ml_metadata-")
    assert _versions(ml, "zlib") == {"1.3.1"}
    assert any(e.detail.startswith("compress:") for e in _evidence(ml, "zlib"))
    # second binary: curl_cffi's static zlib, where the text compress() loads agrees with its banners
    curl = _graph("curl_cffi-")
    assert _versions(curl, "zlib") == {"1.3.1"}
    assert any(e.detail == "compress: '1.3.1'" for e in _evidence(curl, "zlib"))
