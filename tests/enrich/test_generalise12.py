"""Rules written against the misses of the twelfth untuned batch (Linux and Windows,
``untuned12.json``), each checked on a second real binary from another project (or said
otherwise)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix


def _wheel(prefix: str, platform: str = "linux") -> Path:
    """A wheel of untuned12 or of an earlier batch, by platform and name prefix."""
    return wheel_by_prefix(prefix, platform, ("untuned12.json", "untuned9.json", "untuned8.json",
                                              "untuned7.json", "untuned5.json", "untuned.json"))


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(_wheel(prefix, platform))


@pytest.mark.slow
def test_pcre2_version_text_without_its_function() -> None:
    # pcre2_config(PCRE2_CONFIG_VERSION) copies a constant "10.44 2024-06-07"; where the function is
    # not read (a grafted libpcre2-8 whose config switch is no simple return, a DLL) the constant is:
    # uWSGI's grafted copy, LCM's vcpkg pcre2-8.dll (both were "version unknown")
    uwsgi = _graph("pyuwsgi-")
    assert _versions(uwsgi, "pcre2") == {"10.44"}
    assert any(e.detail == "10.44 2024-06-07" for e in _evidence(uwsgi, "pcre2"))
    assert _versions(_graph("lcm-", "win"), "pcre2") == {"10.47"}
    # second project: Qt 5's QtCore (pyqt5-qt5, macOS arm64) links PCRE2 10.45 statically
    assert _versions(_graph("pyqt5_qt5-", "mac"), "pcre2") == {"10.45"}


@pytest.mark.slow
def test_codec_interface_names_keep_a_git_build() -> None:
    # libvpx and libaom name each codec interface with their version text; a build after the tag
    # says "v1.16.0-187-g01a78fbc3": libvpx was reported as 1.16.0 (wrong), libaom not at all
    daily = _graph("daily_python-")
    assert _versions(daily, "libvpx") == {"1.16.0-187-g01a78fbc3"}
    assert _versions(daily, "libaom") == {"3.14.1-152-g0006e96cdb"}
    # second project: imageio-ffmpeg's static ffmpeg (macOS), whose interface names now agree with
    # aom_codec_version_str(); a release stays a release (decord's grafted libvpx 1.10.0)
    ffmpeg = _graph("imageio_ffmpeg-", "mac")
    assert any(e.kind == "version-string" and e.detail.endswith("Encoder 3.12.1-211-g16b9fe32fc")
               for e in _evidence(ffmpeg, "libaom"))
    assert _versions(ffmpeg, "libaom") == {"3.12.1-211-g16b9fe32fc"}
    assert _versions(_graph("decord-"), "libvpx") == {"1.10.0"}


@pytest.mark.slow
def test_nlohmann_json_by_its_versioned_namespace() -> None:
    # JSON for Modern C++ is headers only; since 3.11.0 its types live in json_abi_v3_11_3: the
    # mangled length bounds the patch ("16json_abi_v3_11_3" then "10basic_json")
    assert _versions(_graph("executorch-"), "nlohmann-json") == {"3.12.0", "3.11.3"}
    # second project: OpenVINO GenAI
    assert _versions(_graph("openvino_genai-"), "nlohmann-json") == {"3.11.3"}


@pytest.mark.slow
def test_libxcrypt_named_by_its_package() -> None:
    # a grafted libcrypt.so.1 built by RHEL/AlmaLinux from libxcrypt (debug link
    # libcrypt.so.1.1.0-4.1.1-6.el8): named "libcrypt" before, now libxcrypt 4.1.1
    assert _versions(_graph("pyuwsgi-"), "libxcrypt") == {"4.1.1"}
    # second and third projects: klayout and eckitlib graft the same package's library
    assert _versions(_graph("klayout-"), "libxcrypt") == {"4.1.1"}
    assert _versions(_graph("eckitlib-"), "libxcrypt") == {"4.1.1"}


@pytest.mark.slow
def test_gettext_libintl_version() -> None:
    # GNU libintl exports LIBINTL_VERSION as libintl_version (0x001605: 0.22.5): LCM's vcpkg
    # intl-8.dll was reported as a library "intl" by its VERSIONINFO
    lcm = _graph("lcm-", "win")
    assert _versions(lcm, "gettext") == {"0.22.5"}
    assert not _versions(lcm, "intl")
    # second project: OpenCV's delocated Homebrew libintl.8.dylib (its locale path names gettext 0.25)
    opencv = _graph("opencv_python_headless-5.0.0.93-cp37-abi3-macosx", "mac")
    assert _versions(opencv, "gettext") == {"0.25.0"}


@pytest.mark.slow
def test_libpcap_banner_in_a_static_copy() -> None:
    # pcap_lib_version()'s text "libpcap version 1.10.5 (with TPACKET_V3)" in icsneopy's extension,
    # which links libpcap statically. No second wheel of another project with a static libpcap is
    # known to the batches; the reader rests on this one
    assert _versions(_graph("icsneopy-"), "libpcap") == {"1.10.5"}


@pytest.mark.slow
def test_glslang_release_banner() -> None:
    # GetGlslVersionString(): "4.60 glslang Khronos. 16.5.0" in ncnn's extension (glslang::GetVersion()
    # loads 16 and 5 and stores 0: the same release). No second binary with glslang is in the
    # batches; the reader rests on this one
    assert _versions(_graph("ncnn-"), "glslang") == {"16.5.0"}


@pytest.mark.slow
def test_torchvision_by_its_source_tree() -> None:
    # torchvision's C++ operators linked into pnnx: build paths /project/vision-0.29.0/torchvision/...
    # were read as a library "vision". No second binary: torchvision's own wheels are CUDA builds
    # far over the batches' size bound
    pnnx = _graph("pnnx-")
    assert _versions(pnnx, "torchvision") == {"0.29.0"}
    assert not _versions(pnnx, "vision")


@pytest.mark.slow
def test_openssl_copy_with_its_build_block_outweighs_a_banner_alone() -> None:
    # shioaji's extension holds two OpenSSL banners: Solace's static 1.1.1s, followed by its
    # OpenSSL_version() build block ("built on: ..."), and openssl-sys' 1.1.1w with none beside it.
    # Equally backed they left OpenSSL unknown; the build block now says which copy is compiled in
    # with its own build information (1.1.1w stays unreported, not guessed)
    shioaji = _graph("shioaji-", "win")
    assert _versions(shioaji, "openssl") == {"1.1.1s"}
    assert any(e.detail == "OpenSSL 1.1.1s  1 Nov 2022 built on:" for e in _evidence(shioaji, "openssl"))
    # second project: zhinst-core's static OpenSSL 3.x, whose short version text stands between the
    # banner and the build block
    zhinst = _graph("zhinst_core-")
    assert _versions(zhinst, "openssl") == {"3.2.1"}
    assert any(e.detail == "OpenSSL 3.2.1 30 Jan 2024 3.2.1 built on:" for e in _evidence(zhinst, "openssl"))
