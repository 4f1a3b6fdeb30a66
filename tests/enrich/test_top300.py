"""Rules written against what the top-300 coverage report (bench/bundled/COVERAGE.md) showed
unread in the fourteenth session: PyMuPDF's MuPDF engine and its private, renamed copies of its
dependencies. Each is checked on a second real binary: another platform's build, or an older
release built years apart."""

from __future__ import annotations

from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph
from pypi import pypi_file

from .native_components import evidence as _evidence
from .native_components import versions as _versions

WHEELS = {
    "pymupdf-2.0-cp311-abi3-manylinux_2_28_x86_64.whl":
        "f92e8a7ae92c7b1cbffcbe8764166ab1234e0a37b07549f5951e7739241d34f0",
    "pymupdf-2.0-cp311-abi3-macosx_11_0_arm64.whl":
        "707594e8de4946445489ca3274943911a505a5cb665adf8751a4edfc4c0fff58",
    "pymupdf-2.0-cp311-abi3-win_amd64.whl":
        "f59f009b1586d56882739189cd3a4f0240efbfae28ebf268a3763ed9a2006270",
    # the tuned wheel set's PyMuPDF binaries, from 2023
    "PyMuPDFb-1.23.7-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl":
        "adb43972f75500fae50279919d589a49b91ed7a74ec03e811c5000727dd63cea",
}


@cache
def _graph(name: str) -> Graph:
    return catalog_artifact(pypi_file(name, WHEELS[name]))


LINUX, MAC, WIN, OLD = sorted(WHEELS, key=lambda n: ("manylinux_2_28" not in n, "macosx" not in n,
                                                      "win" not in n))


@pytest.mark.slow
@pytest.mark.parametrize(("name", "version"), [(LINUX, "1.28.5"), (MAC, "1.28.5"), (WIN, "1.28.5"),
                                               (OLD, "1.23.7")])
def test_mupdf_states_its_release_by_the_version_its_context_checks(name: str, version: str) -> None:
    # fz_new_context_imp() loads its own FZ_VERSION first, to compare with its caller's: on Linux
    # and macOS in libmupdf, on Windows in mupdfcpp64.dll (no file of MuPDF's own name there)
    graph = _graph(name)
    assert _versions(graph, "mupdf") == {version}
    (c,) = [c for c in graph.packages() if c.name == "mupdf"]
    assert c.cpes == (f"cpe:2.3:a:artifex:mupdf:{version}:*:*:*:*:*:*:*",)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "version"), [(LINUX, "13.0.1"), (MAC, "13.0.1"), (OLD, "6.0.0")])
def test_a_copy_renamed_under_a_glued_tag_is_the_library_it_renames(name: str, version: str) -> None:
    # MuPDF renames HarfBuzz's hb_* to fzhb_*: fzhb_version_string() is hb_version_string(), so
    # HarfBuzz, never a library called "fzhb"
    graph = _graph(name)
    assert _versions(graph, "harfbuzz") == {version}
    assert any("fzhb_version_string" in e.detail for e in _evidence(graph, "harfbuzz"))
    assert not [c for c in graph.packages() if "fzhb" in c.name]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "version"), [(LINUX, "10"), (MAC, "10"), (WIN, "10"), (OLD, "9e")])
def test_ijg_libjpeg_two_digit_release(name: str, version: str) -> None:
    # IJG's JVERSION "10  25-Jan-2026" in MuPDF 1.28.5's copy, as "9e  16-Jan-2022" in 1.23.7's
    assert _versions(_graph(name), "libjpeg") == {version}
