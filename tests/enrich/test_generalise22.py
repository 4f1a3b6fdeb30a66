"""Rules written against the misses of the twenty-second untuned batch (newer releases of the tuned
projects, ``untuned22.json``: Pillow 13.0.0, whose Windows wheel links every library statically
into stripped ``.pyd`` files), each checked on a second real binary."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import binary, decode
from assay.model import Graph

from .native_components import member, wheel_by_prefix
from .native_components import versions as _versions

# second binaries from PyPI: the tuned set's Pillow 10.0.0 for Windows (an older build of the same
# project, with other releases of its libraries)
OTHER = {
    "Pillow-10.0.0-cp311-cp311-win_amd64.whl":
        "3a82c40d706d9aa9734289740ce26460a11aeec2d9c79b7af87bb35f0073c12f",
}

BATCHES = ("untuned22.json", "untuned10.json", "untuned8.json", "untuned.json")


def _wheel(prefix: str) -> Path:
    """A Windows wheel of untuned22 or an earlier batch, or of OTHER, by name prefix."""
    return wheel_by_prefix(prefix, "win", BATCHES, OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


def _member(prefix: str, pattern: str) -> bytes:
    return member(_wheel(prefix), pattern)


@pytest.mark.slow
def test_openjpeg_version_returned_by_the_call_after_its_comment() -> None:
    # the encoder copies "Created by OpenJPEG version " with 16-byte moves (no lea of it), then
    # calls opj_version(), a lea-and-ret of the version text: Pillow 13's _imaging (2.5.4)
    assert _versions(_graph("pillow-13.0.0-"), "openjpeg") == {"2.5.4"}
    # second binary: Pillow 10.0.0's _imaging (tuned set), a call 76 bytes after the copy (2.5.0)
    assert _versions(_graph("Pillow-10.0.0-"), "openjpeg") == {"2.5.0"}


@pytest.mark.slow
def test_libpng_version_loaded_before_its_mismatch_message() -> None:
    # MSVC loads PNG_LIBPNG_VER_STRING for the comparison with the client's version ahead of the
    # "Application built with libpng-" message: Pillow 13's _imagingft, 131 bytes before
    assert _versions(_graph("pillow-13.0.0-"), "libpng") == {"1.6.58"}
    # second binary: OpenCV 5's cv2.pyd (untuned.json; its banner says 1.6.57), where the two
    # loads of the message have the version 104 and 105 bytes before them
    data = _member("opencv_python_headless-5.0.0.93-", r"cv2/cv2\.pyd$")
    info = binary.parse(data)
    anchor = data.find(b"\0Application built with libpng-\0") + 1
    loads = decode.x86_loads_after(data, info, [(anchor, 96, 160)])[anchor]
    texts = {data[o:data.find(b"\0", o)] for o in loads}
    assert {t for t in texts if re.fullmatch(rb"[0-9]+\.[0-9]+\.[0-9]+", t)} == {b"1.6.57"}
    # without ``before`` only what follows the message is read (as before this fix)
    after = decode.x86_loads_after(data, info, [(anchor, 96)])[anchor]
    assert set(after) <= set(loads)


@pytest.mark.slow
def test_dav1d_version_from_libavif_codec_table() -> None:
    # libavif's codec table {choice, "dav1d", avifCodecVersionDav1d, ...}: the version function is
    # a tail call of dav1d_version(), a lea-and-ret of its text: Pillow 13's _avif (1.5.3)
    assert {v.split("-")[0] for v in _versions(_graph("pillow-13.0.0-"), "dav1d") if v} == {"1.5.3"}
    # second binary: kivy_deps.sdl2's MinGW libavif-16.dll (untuned10), a git build kept as written
    assert _versions(_graph("kivy_deps.sdl2-"), "dav1d") == {"1.2.1-12-g0e6d055"}


@pytest.mark.slow
def test_freetype_version_stored_by_the_call_before_set_default_properties() -> None:
    # FT_Init_FreeType calls FT_New_Library (stores 2, 14, 3 at +8, +12, +16 of the library
    # object) before FT_Set_Default_Properties (loads "FREETYPE_PROPERTIES"): Pillow 13's _imagingft
    assert _versions(_graph("pillow-13.0.0-"), "freetype") == {"2.14.3"}
    # second binary: Pillow 10.0.0's _imagingft (tuned set), whose FT_New_Library stores 2, 13, 1
    assert _versions(_graph("Pillow-10.0.0-"), "freetype") == {"2.13.1"}
    # third: imgui-bundle's _imgui_bundle.pyd (untuned8), whose truth had listed FreeType as present
    # without a version; its FT_New_Library stores 2, 13, 3 (the truth is corrected to 2.13.3)
    assert _versions(_graph("imgui_bundle-"), "freetype") == {"2.13.3"}


@pytest.mark.slow
def test_a_library_padded_to_2_mib_alignment_is_read_not_refused_as_a_bomb() -> None:
    # Pillow 13's manylinux_2_28 libXau is 2.1 MB of mostly zero padding from 9 KB (223x): it was
    # refused as a decompression bomb, so its CentOS build (debuglink, auditwheel SBOM) was lost
    wheel = wheel_by_prefix("pillow-13.0.0-", "linux", BATCHES, {})
    graph = catalog_artifact(wheel)
    assert _versions(graph, "libxau") == {"1.0.9"}
    assert not [u for u in graph.unknowns if u.reason == "skipped-member"]
