"""Rules written against the misses of the ninth untuned batch (macOS arm64, ``untuned9.json``), each
checked on a second real binary from another project (or said otherwise)."""

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

# second binaries from PyPI: macOS arm64 wheels of other projects
OTHER = {
    "espeak_english-0.1.1-py3-none-macosx_11_0_arm64.whl":
        "28e71ada7fe479aa918e6387cd54ef4ce492310ff2e3a90a9ecf4992c4b2f4f7",
    "osqp-1.1.3-cp314-cp314-macosx_11_0_arm64.whl":
        "e730047c4cba86ad97ca73c03ea4c3cca765b22fa79c3fbefff11b3cce317742",
    "faiss_cpu-1.15.1-cp310-abi3-macosx_14_0_arm64.whl":
        "ea9e12d540ca8ac0347b831d034c0f6d7ff5eed20523a247db44b3543ad2aad4",
}


def _wheel(prefix: str) -> Path:
    """A macOS wheel of untuned9, of untuned.json, of the corpus plan (``corpus:<project>``, or
    ``corpus-linux:<project>`` for its Linux wheel) or of OTHER, by name prefix."""
    return wheel_by_prefix(prefix, "mac", ("untuned9.json", "untuned.json"), OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_grpc_is_versioned_by_its_cxx_release_not_its_core_number() -> None:
    # grpc_version_string() is gRPC core's own number (9.0.0, "guantao"; 54.0.0 in gRPC 1.81.1): it
    # was reported as gRPC's version. grpc::Version() returns the release as a std::string it builds
    # in place (arm64: "1.27.0-dev" from an 8-byte load and a halfword, its length in byte 23)
    tfdf = _graph("tensorflow_decision_forests-")
    assert _versions(tfdf, "grpc") == {"1.27.0-dev"}
    assert any("_ZN4grpc7VersionEv" in e.detail for e in _evidence(tfdf, "grpc"))
    # pyarrow's libarrow_flight: "1.81.1" built from immediates (it was reported as 54.0.0)
    assert _versions(_graph("corpus:pyarrow"), "grpc") == {"1.81.1"}


@pytest.mark.slow
def test_namespaced_version_functions_name_their_library() -> None:
    # faiss::get_version() (a libc++ short string built from immediates) and
    # OpenColorIO_v2_5::GetVersion() (an inline namespace with a version suffix) inside pycolmap's
    # extension: libraries the table does not name, named by their namespaces
    colmap = _graph("pycolmap-")
    assert _versions(colmap, "faiss") == {"1.14.1"}
    assert _versions(colmap, "opencolorio") == {"2.5.2"}
    # second binary: faiss-cpu's own libfaiss (faiss::get_version() -> "1.15.1")
    assert _versions(_graph("faiss_cpu-"), "libfaiss") == {"1.15.1"}
    # a namespace of two letters names no library: OpenCV's cv::getVersionString() (OpenCV itself,
    # by its banner) is no library "cv"
    opencv = _graph("opencv_python_headless-5.0.0.93-cp37-abi3-macosx")
    assert not any(c.name == "cv" for c in _native(opencv))
    assert _versions(opencv, "opencv") == {"5.0.0"}


@pytest.mark.slow
def test_arm64_version_stored_into_an_array() -> None:
    # SuiteSparse_version(int v[3]): two integers stored at once from an 8-byte constant (ldr d0;
    # str d0, [x0]) and the third apart: pycolmap's static SuiteSparse 7.13.0, osqp's 4.5.3
    for prefix, version in (("pycolmap-", "7.13.0"), ("osqp-", "4.5.3")):
        graph = _graph(prefix)
        assert _versions(graph, "suitesparse") == {version}
        assert any("stores in its array" in e.detail for e in _evidence(graph, "suitesparse"))


@pytest.mark.slow
def test_stored_integers_and_an_extra_text() -> None:
    # OpenEXR's exr_get_library_version(&major, &minor, &patch, &extra): pycolmap's static OpenEXR
    # stores 3, 4, 14 and "" (a release); OpenCV's grafted libOpenEXRCore stores 3, 3, 4 and "-dev"
    # (a development build, kept as written)
    assert _versions(_graph("pycolmap-"), "openexr") == {"3.4.14"}
    opencv = _graph("opencv_python_headless-5.0.0.93-cp37-abi3-macosx")
    assert "3.3.4-dev" in _versions(opencv, "openexr")
    assert any("stores 3, 3, 4 and '-dev'" in e.detail for e in _evidence(opencv, "openexr"))


@pytest.mark.slow
def test_freetype_version_from_the_library_object() -> None:
    # FreeType keeps its version only in the library object: FT_Library_Version(lib, &major, &minor,
    # &patch) copies three fields that FT_New_Library fills with constants (an 8-byte constant for
    # major and minor, then the patch). OpenCV's grafted libfreetype.6.dylib (2.13.3), matplotlib's
    # static copy in ft2font (2.14.3); both were "version unknown"
    opencv = _graph("opencv_python_headless-5.0.0.93-cp37-abi3-macosx")
    assert _versions(opencv, "freetype") == {"2.13.3"}
    assert any("FT_Library_Version" in e.detail for e in _evidence(opencv, "freetype"))
    assert _versions(_graph("corpus:matplotlib"), "freetype") == {"2.14.3"}


@pytest.mark.slow
def test_espeak_ng() -> None:
    # eSpeak NG's espeak_Info(&path) returns its version text: espeakng-loader's libespeak-ng
    # (three copies of one file) is 1.52.0; espeak-english's copy is identified by its name and its
    # espeak_ng_* API, but its espeak_Info() returns a pointer loaded from data (not read): unknown.
    # The version reader rests on one binary
    assert _versions(_graph("espeakng_loader-"), "espeak-ng") == {"1.52.0"}
    assert _versions(_graph("espeak_english-"), "espeak-ng") == {None}


@pytest.mark.slow
def test_libstdcxx_short_string_built_in_place() -> None:
    # the same functions on x86-64 Linux, where libstdc++'s std::string keeps its characters at +16
    # and its length at +8 (grpc::Version[abi:cxx11](): "1.81.1"; faiss::get_version(): "1.15.1"):
    # tensorstore's static gRPC (was 54.0.0, gRPC core's number) and faiss-cpu's libfaiss (unknown)
    tensorstore = _graph("corpus-linux:tensorstore")
    assert _versions(tensorstore, "grpc") == {"1.81.1"}
    assert any("_ZN4grpc7VersionB5cxx11Ev" in e.detail for e in _evidence(tensorstore, "grpc"))
    assert _versions(_graph("corpus-linux:faiss-cpu"), "libfaiss") == {"1.15.1"}
