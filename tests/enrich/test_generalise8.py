"""The rules written against the misses of the eighth untuned batch (bench/bundled/untuned8.json,
Linux and Windows wheels of odd-ranked projects beyond the corpus), each checked on a second binary
from another project where one was found (the others say so)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import native as _native
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI that are in no batch
OTHER = {
    "espeakng_loader-0.2.4-py3-none-macosx_11_0_arm64.whl":
        "d27cdca31112226e7299d8562e889d3e38a1e48055c9ee381b45d669072ee59f",
    "glfw-2.11.0-py2.py3-none-win_amd64.whl":
        "bd39c1adb57b7273813e33b9768bed88d1ea656abfc914b4a6424ec0c5d62674",
}


def _wheel(prefix: str, platform: str = "linux") -> Path:
    """A wheel of untuned8, untuned7, the corpus plan (``corpus:<project>``) or OTHER, by name prefix."""
    return wheel_by_prefix(prefix, platform, ("untuned8.json", "untuned7.json"), OTHER)


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(_wheel(prefix, platform))


def test_a_platform_build_folder_is_no_library() -> None:
    # scikit-build compiled piper-tts's espeak-ng under _skbuild/linux-x86_64-3.9/: that folder was
    # reported as a library "linux-x86_64" 3.9. (The one other binary seen with such a folder,
    # triton's libtriton.so, cmake.linux-x86_64-cpython-3.12/, is a 286 MB wheel: checked by hand.)
    graph = _graph("piper_tts-")
    platform = re.compile(r"(?:^|\.)(?:linux|win|macosx)[-_](?:x86_64|amd64|arm64|aarch64)", re.I)
    assert not [c.name for c in _native(graph) if platform.search(c.name)]
    assert not [c for c in _native(graph) if c.version == "3.9"]


def test_alsa_lib_from_its_version_function() -> None:
    # the grafted libasound.so.2 was found without a version: snd_asoundlib_version() returns it
    assert _versions(_graph("sherpa_onnx-"), "alsa-lib") == {"1.2.12"}
    assert any("snd_asoundlib_version" in e.detail for e in _evidence(_graph("sherpa_onnx-"), "alsa-lib"))
    # second binary: av's grafted copy (its own function, called by hand, says 1.2.14)
    assert _versions(_graph("corpus:av"), "alsa-lib") == {"1.2.14"}


def test_a_dll_named_with_its_api_number_takes_its_product_name() -> None:
    # glfw3.dll, VERSIONINFO ProductName "GLFW": the library is GLFW, not "glfw3"
    for graph, version in ((_graph("imgui_bundle-", "win"), "3.5.1"),
                           (_graph("glfw-2.11.0", "win"), "3.4.0")):
        assert _versions(graph, "glfw") == {version}
        assert not _versions(graph, "glfw3")


def test_a_static_fortran_runtime_is_named_by_its_gcc_tree() -> None:
    # gmsh links GCC 6.5.0's libgfortran into libgmsh.so (gcc-6.5.0/libgfortran/io/read.c ...);
    # a toolchain's paths elsewhere stay its headers
    graph = _graph("gmsh-")
    assert _versions(graph, "libgfortran") == {"6.5.0"}
    assert all(e.location.endswith("libgmsh.so.4.11") for e in _evidence(graph, "libgfortran"))
    # second binary: a MinGW OpenBLAS DLL (qiskit-aer), GCC 10.1.0's runtime linked in
    graph = _graph("qiskit_aer-", "win")
    assert _versions(graph, "libgfortran") == {"10.1.0"}
    assert all(e.location.endswith("libopenblas.dll") for e in _evidence(graph, "libgfortran"))


def test_a_builds_dependency_list_names_its_static_copies() -> None:
    # libOpenImageIO.so hides its static dependencies' symbols; its dependency list
    # ("...;Freetype 2.14.3;GIF 5.2.1;...;ZLIB 1.2.11;zstd 1.5.7") names them and their releases.
    # No second binary with such a list was found in the cached corpora (one project).
    graph = _graph("openimageio-")
    for name, version in (("freetype", "2.14.3"), ("giflib", "5.2.1"), ("libjxl", "0.12.0"),
                          ("openexr", "3.5.2"), ("opencolorio", "2.5.1"), ("libultrahdr", "2.0.2"),
                          ("libwebp", "1.5.0"), ("zstd", "1.5.7"), ("openjpeg", "2.5.4")):
        assert _versions(graph, name) == {version}, name
    # ZLIB 1.2.11 is in the list, but the file loads the system's libz.so.1: no zlib in the wheel;
    # "JPEG 80" is the IJG API libjpeg-turbo emulates; "Python3 3.12.13" the interpreter built for
    assert not _versions(graph, "zlib")
    assert _versions(graph, "libjpeg-turbo") == {"3.1.2"} and not _versions(graph, "libjpeg")
    assert not [c for c in _native(graph) if c.name.lower().startswith("python")]


def test_espeak_ng_from_espeak_info() -> None:
    # espeak_Info() returns eSpeak NG's version_string; piper-tts links it statically into
    # espeakbridge.so as -O0 code (the optional out-parameter spilled, tested, stored through)
    graph = _graph("piper_tts-")
    assert _versions(graph, "espeak-ng") == {"1.52.0.1"}
    # second binary: espeakng-loader's grafted macOS arm64 libespeak-ng (of untuned9, measured
    # first by the macOS batch before this rule; its espeak_Info returns '1.52.0')
    assert _versions(_graph("espeakng_loader-", "mac"), "espeak-ng") == {"1.52.0"}


def test_7zip_and_ggml_are_table_libraries() -> None:
    # table data resting on one project each (no second wheel shipping 7-Zip or ggml was found):
    # 7z.dll/7z.exe were reported as "7z", ggml's ggml-base.dll as "ggml-base"
    graph = _graph("extractcode_7z-", "win")
    assert _versions(graph, "7-zip") == {"16.04"}
    cpes = [list(c.cpes) for c in _native(graph) if c.name == "7-zip"]
    assert cpes == [["cpe:2.3:a:7-zip:7-zip:16.04:*:*:*:*:*:*:*"]]
    graph = _graph("pywhispercpp-", "win")
    assert "0.13.1" in _versions(graph, "ggml") and not _versions(graph, "ggml-base")


def test_protobuf_and_blake3_from_their_own_functions() -> None:
    # protobuf-lite inside sentencepiece's code: its VerifyVersion compares with 3014000
    assert _versions(_graph("curated_tokenizers-"), "protobuf") == {"3.14.0"}
    # second binary: tensorflow-io-gcs-filesystem's -O0 copy (a local symbol; the argument spilled
    # to the frame, then cmpl $3021009 against it)
    assert _versions(_graph("corpus:tensorflow-io-gcs-filesystem"), "protobuf") == {"3.21.9"}
    # BLAKE3's C library inside onnxsim, blake3_version() returning "1.8.6" (one binary: no second
    # wheel with BLAKE3's C API was found; LLVM's copy is llvm_blake3_*)
    assert _versions(_graph("onnxsim-"), "blake3") == {"1.8.6"}
