"""Rules written against the misses of the tenth untuned batch (Linux and Windows, ``untuned10.json``),
each checked on a second real binary from another project (or said otherwise)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI: wheels of other projects
OTHER = {
    "pygame-2.6.1-cp312-cp312-win_amd64.whl":
        "3a9e7396be0d9633831c3f8d5d82dd63ba373ad65599628294b7a4f8a5a01a65",
    "nvidia_cuda_runtime_cu12-12.9.79-py3-none-win_amd64.whl":
        "8e018af8fa02363876860388bd10ccb89eb9ab8fb0aa749aaf58430a9f7c4891",
    "tskit-1.0.3-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl":
        "fb07ead500c7e88c69677469b4f489c8997ad944103102b04d724c855b4b980b",
    "mip-1.15.0-py3-none-any.whl":
        "9a48c993ddc9a48591a59e4a1221b400eb1e35fc087052085774360330bb9226",
}


def _wheel(prefix: str, platform: str) -> Path:
    """A wheel of untuned10, of untuned.json or of OTHER, by name prefix."""
    return wheel_by_prefix(prefix, platform, ("untuned10.json", "untuned.json"), OTHER)


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(_wheel(prefix, platform))


@pytest.mark.slow
def test_versioninfo_names_an_extension_library_without_its_api_number() -> None:
    # SDL2_image.dll's VERSIONINFO says FileDescription "SDL_image", ProductName "Simple
    # DirectMedia Layer": the file's library (sdl2_image) is named there without the 2, and its
    # version was not read. IMG_Linked_Version/Mix_Linked_Version/TTF_Linked_Version agree.
    kivy = _graph("kivy_deps.sdl2-", "win")
    assert _versions(kivy, "sdl2_image") == {"2.8.2"}
    assert _versions(kivy, "sdl2_mixer") == {"2.8.0"}
    assert _versions(kivy, "sdl2_ttf") == {"2.22.0"}
    assert any(e.kind == "versioninfo" for e in _evidence(kivy, "sdl2_image"))
    # second binary: pygame's own SDL2_image/SDL2_mixer/SDL2_ttf builds
    pygame = _graph("pygame-2.6.1-cp312-cp312-win_amd64", "win")
    assert _versions(pygame, "sdl2_image") == {"2.0.5"}
    assert _versions(pygame, "sdl2_mixer") == {"2.6.2"}
    assert _versions(pygame, "sdl2_ttf") == {"2.20.1"}


@pytest.mark.slow
def test_x86_64_freetype_library_version_read_from_its_constructor() -> None:
    # FT_Library_Version copies three fields FT_New_Library filled: x86-64 code, the major and
    # minor stored at once from an 8-byte constant in the file, the patch as an immediate. Skia's
    # static FreeType had no version (only the grafted libfreetype's soname said 2.9.1)
    skia = _graph("skia_python-")
    assert _versions(skia, "freetype") == {"2.13.3", "2.9.1"}
    assert any(e.detail == "FT_Library_Version: '2.13.3'" for e in _evidence(skia, "freetype"))
    # second binary: pygame's grafted libfreetype (its soname's libtool version says 2.12.1 too)
    pygame = _graph("pygame-2.6.1-cp313")
    assert _versions(pygame, "freetype") == {"2.12.1"}
    assert any(e.detail == "FT_Library_Version: '2.12.1'" for e in _evidence(pygame, "freetype"))
    # and docling-parse's static FreeType (untuned7), which had no version either
    docling = catalog_artifact(wheel_by_prefix("docling_parse-", "linux", ("untuned7.json",)))
    assert _versions(docling, "freetype") == {"2.14.3"}


@pytest.mark.slow
def test_nanoarrow_version_function() -> None:
    # ArrowNanoarrowVersionInt() returns 900 (0.9.0), named PrivateArrowNanoarrowVersionInt in
    # ADBC's drivers (NANOARROW_NAMESPACE); Foundry Local links it unprefixed
    assert _versions(_graph("adbc_driver_sqlite-"), "nanoarrow") == {"0.9.0"}
    assert _versions(_graph("foundry_local_sdk-"), "nanoarrow") == {"0.9.0"}


@pytest.mark.slow
def test_an_apis_getter_for_a_library_it_bundles() -> None:
    # SDL_ttf links HarfBuzz statically, its symbols gone; it exports TTF_GetHarfBuzzVersion(&major,
    # &minor, &patch), which calls hb_version, three immediate stores through its pointer arguments
    kivy = _graph("kivy_deps.sdl2-", "win")
    assert _versions(kivy, "harfbuzz") == {"8.1.1"}
    assert any("TTF_GetHarfBuzzVersion() calls" in e.detail for e in _evidence(kivy, "harfbuzz"))
    # second binary: pygame's SDL2_ttf build, HarfBuzz 2.9.1 (its hb_version_string's "2.9.1")
    assert _versions(_graph("pygame-2.6.1-cp312-cp312-win_amd64", "win"), "harfbuzz") == {"2.9.1"}


@pytest.mark.slow
def test_cbc_version_function() -> None:
    # libCbcSolver's Cbc_getVersion() returns CBC_VERSION "2.10.13"
    assert _versions(_graph("cylp-"), "cbc") == {None, "2.10.13"}
    # second binary: python-mip's Cbc build from the trunk answers "trunk": no version
    assert _versions(_graph("mip-"), "cbc") == {None}


@pytest.mark.slow
def test_cuda_runtime_release_from_its_versioninfo_text() -> None:
    # cudart64_12.dll's VERSIONINFO numbers are 6,14,11,12000 (the driver model's), reported as the
    # version of a library "cudart64_12"; its FileDescription states "NVIDIA CUDA Runtime, Version
    # 12.0.107"
    nvvc = _graph("pynvvideocodec-", "win")
    assert _versions(nvvc, "cudart") == {"12.0.107"}
    assert not _versions(nvvc, "cudart64_12")
    # second binary: NVIDIA's own redistributable wheel of the runtime, 12.9.79
    assert _versions(_graph("nvidia_cuda_runtime_cu12-", "win"), "cudart") == {"12.9.79"}


@pytest.mark.slow
def test_a_library_renamed_under_a_vendors_prefix() -> None:
    # Microsoft's 1DS telemetry SDK compiles SQLite in with every symbol renamed matsdk_sqlite3_*:
    # sqlite's own readers under that prefix (matsdk_sqlite3_libversion_number() returns 3053001)
    foundry = _graph("foundry_local_sdk-")
    assert _versions(foundry, "sqlite") == {"3.53.1"}
    assert any(e.detail.startswith("matsdk_sqlite3_") for e in _evidence(foundry, "sqlite"))
    # no second binary: none of the wheels of the scored batches, of the tuning set or of the
    # corpus cache renames a table library's version symbols under a prefix of its own (searched
    # for <lower-case prefix>_ before sqlite3_, png_, zlibVersion, TIFFGetVersion, hb_, FT_,
    # XML_, BZ2_, xml, curl_, opj_, WebP, LZ4_, ZSTD_, lzma_, archive_, H5, nc_, OpenSSL_ names).
    # ADBC's SQLite driver links SQLite under its own names: the same version, read directly
    assert _versions(_graph("adbc_driver_sqlite-"), "sqlite") == {"3.53.1"}


@pytest.mark.slow
def test_struct_returned_by_value_and_an_abbreviated_api_prefix() -> None:
    # kastore's kas_version() returns struct {int major, minor, patch} by value (movabs rax with two
    # of them, edx the third); its prefix kas_ abbreviates the API's kastore_* (45 functions)
    assert _versions(_graph("msprime-"), "kastore") == {"2.1.1"}
    # second binary: tskit's own extension links kastore 2.1.2
    assert _versions(_graph("tskit-"), "kastore") == {"2.1.2"}


@pytest.mark.slow
def test_a_getter_over_a_global_object_its_initialiser_fills() -> None:
    # SDL_ttf's TTF_GetFreeTypeVersion(&major, &minor, &patch) loads its FT_Library and jumps to
    # FT_Library_Version, which copies three fields of it; TTF_Init passes the library's address
    # to FT_Init_FreeType, whose callee FT_New_Library fills those fields with FREETYPE_MAJOR,
    # MINOR, PATCH (an 8-byte constant and an immediate). The DLL keeps no FreeType symbol
    kivy = _graph("kivy_deps.sdl2-", "win")
    assert _versions(kivy, "freetype") == {"2.13.2"}
    assert any("TTF_GetFreeTypeVersion() reads fields" in e.detail for e in _evidence(kivy, "freetype"))
    # second binary: pygame's SDL2_ttf (FreeType 2.12.1 inside; pygame's own freetype.dll is 2.11.1)
    pygame = _graph("pygame-2.6.1-cp312-cp312-win_amd64", "win")
    assert _versions(pygame, "freetype") == {"2.11.1", "2.12.1"}
