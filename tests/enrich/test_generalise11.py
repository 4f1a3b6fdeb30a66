"""Rules written against the misses of the eleventh untuned batch (macOS arm64, ``untuned11.json``),
each checked on a second real binary from another project (or said otherwise)."""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.binary import parse
from assay.enrich.bundled.evidence import _a_class
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI: macOS arm64 wheels of other projects
OTHER = {
    "cmeel_mimalloc-3.4.3-0-py3-none-macosx_11_0_arm64.whl":
        "51f88d1c7b6087936b01b119958f3d04c88ee42044db29d5ab79e4ad6be48a58",
}


def _wheel(prefix: str) -> Path:
    """A macOS wheel of untuned11 or untuned9, of the corpus plan (``corpus:<project>``) or of
    OTHER, by name prefix."""
    return wheel_by_prefix(prefix, "mac", ("untuned11.json", "untuned9.json"), OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_arm64_protobuf_verify_version() -> None:
    # google::protobuf::internal::VerifyVersion(header, required, file) compares its second argument
    # with GOOGLE_PROTOBUF_VERSION: on arm64 built as mov/movk plus an add, then cmp w1, w8; b.le.
    # onnxruntime-extensions' static protobuf (3021000 + 12) and tensorflow-decision-forests' op
    # libraries (3021000 + 9): both were unknown
    ortx = _graph("onnxruntime_extensions-")
    assert _versions(ortx, "protobuf") == {"3.21.12"}
    assert any("VerifyVersion" in e.detail for e in _evidence(ortx, "protobuf"))
    assert _versions(_graph("tensorflow_decision_forests-"), "protobuf") == {"3.21.9"}


@pytest.mark.slow
def test_onnxruntime_version_from_its_api_base_table() -> None:
    # OrtGetApiBase() returns ONNX Runtime's {GetApi, GetVersionString} table: the second entry
    # returns ORT_VERSION. The Azure Speech SDK's keyword-spotting extension carries a static ORT
    # 1.23.2 (was not found at all); onnxruntime's own wheel, in both its libonnxruntime dylib and
    # the pybind11 module that links ORT in statically (a local OrtGetApiBase), 1.32.0
    azure = _graph("azure_cognitiveservices_speech-")
    assert _versions(azure, "onnxruntime") == {"1.23.2"}
    assert any("OrtGetApiBase" in e.detail for e in _evidence(azure, "onnxruntime"))
    ort = _graph("corpus:onnxruntime")
    assert _versions(ort, "onnxruntime") == {"1.32.0"}
    assert any(e.detail == "OrtGetApiBase: '1.32.0'" and "pybind11_state" in e.location
               for e in _evidence(ort, "onnxruntime"))


@pytest.mark.slow
def test_a_capitalised_namespace_that_is_no_class() -> None:
    # ImGui::GetVersion() returns IMGUI_VERSION: ImGui is a namespace (no vtable, type information,
    # constructor or const member under it, hundreds of functions), so it names the library. Two
    # projects' static Dear ImGui: polyscope's development snapshot "1.92.6 WIP" (kept as written:
    # it is not 1.92.6) and dearpygui's release 1.92.5; both were not found
    polyscope = _graph("polyscope-")
    assert _versions(polyscope, "imgui") == {"1.92.6 WIP"}
    assert any("_ZN5ImGui10GetVersionEv" in e.detail for e in _evidence(polyscope, "imgui"))
    assert _versions(_graph("dearpygui-"), "imgui") == {"1.92.5"}
    # what tells them apart, on the binaries themselves: GDAL's TABFile (fiona's grafted libgdal) has
    # a vtable, constructors and const members, so TABFile::GetVersion() is a class's (a file
    # format's version); ImGui has none of them
    gdal = zipfile.ZipFile(wheel_by_prefix("fiona-", "mac", ("untuned3.json",))).read(
        "fiona/.dylibs/libgdal.35.3.9.2.dylib")
    assert _a_class("TABFile", parse(gdal)) is True
    imgui = zipfile.ZipFile(_wheel("polyscope-")).read("polyscope_bindings.cpython-314-darwin.so")
    assert _a_class("ImGui", parse(imgui)) is False


@pytest.mark.slow
def test_static_glfw() -> None:
    # GLFW compiled into a GUI extension (128 glfw* functions): glfwGetVersionString()'s text starts
    # with the release, then the window system ("3.3.9 Cocoa NSGL EGL OSMesa"). polyscope's 3.3.9 and
    # dearpygui's 3.3.7 were not found
    polyscope = _graph("polyscope-")
    assert _versions(polyscope, "glfw") == {"3.3.9"}
    assert any(e.detail.startswith("3.3.9 Cocoa NSGL") for e in _evidence(polyscope, "glfw"))
    assert _versions(_graph("dearpygui-"), "glfw") == {"3.3.7"}
    # the grafted DLL of another project keeps its release ("3.5.1 Win32 WGL ...")
    bundle = catalog_artifact(wheel_by_prefix("imgui_bundle-", "win", ("untuned8.json",)))
    assert _versions(bundle, "glfw") == {"3.5.1"}


@pytest.mark.slow
def test_pcre2_version_text() -> None:
    # pcre2_config(PCRE2_CONFIG_VERSION)'s text "10.45 2025-02-05" (the library's own, from
    # PCRE2_MAJOR, PCRE2_MINOR and PCRE2_DATE). swig's universal executable is stripped: PCRE2 is
    # known there by one of its error texts only; manimpango's static copy defines pcre2_* functions.
    # Both were without a version (swig's not found at all)
    swig = _graph("swig-")
    assert _versions(swig, "pcre2") == {"10.45"}
    assert any(e.detail == "10.45 2025-02-05" for e in _evidence(swig, "pcre2"))
    assert _versions(_graph("manimpango-"), "pcre2") == {"10.48"}
    # another project's: Qt 5's bundled PCRE2 in pyqt5-qt5 (untuned9, was without a version)
    assert _versions(_graph("pyqt5_qt5-"), "pcre2") == {"10.45"}


@pytest.mark.slow
def test_mimalloc_both_version_encodings() -> None:
    # mi_version() returns MI_MALLOC_VERSION: three digits before mimalloc 3 (MOSEK's static copy in
    # libmosek64: 194, 1.9.4; was not found), major*10000 + minor*100 + patch since (cmeel-mimalloc's
    # libmimalloc: 30403, 3.4.3)
    mosek = _graph("mosek-")
    assert _versions(mosek, "mimalloc") == {"1.9.4"}
    assert any(e.detail == "mi_version: 194" for e in _evidence(mosek, "mimalloc"))
    cmeel = _graph("cmeel_mimalloc-")
    assert _versions(cmeel, "mimalloc") == {"3.4.3"}
    assert any(e.detail == "mi_version: 30403" for e in _evidence(cmeel, "mimalloc"))


@pytest.mark.slow
def test_evalresp() -> None:
    # IRIS's evalresp vendored by ObsPy: "EVALRESP V%s" and its REVNUM, 3.3.3 (was not found). No
    # second binary: no other PyPI project known to the session ships evalresp's code
    obspy = _graph("obspy-")
    assert _versions(obspy, "evalresp") == {"3.3.3"}
