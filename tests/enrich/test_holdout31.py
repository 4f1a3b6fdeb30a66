"""Rules written against the wrong answers of the hold-out batch untuned31 (after its one
measurement on the session's final code), each checked on a second binary."""

from __future__ import annotations

from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import native, wheel_by_prefix

BATCHES = ("untuned31.json", "untuned22.json", "untuned8.json", "untuned.json")


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(wheel_by_prefix(prefix, platform, BATCHES))


def _in_file(graph: Graph, name: str, file: str) -> set[str | None]:
    return {c.version for c in native(graph) if c.name == name
            and any(e.location.endswith(file) for e in c.evidence)}


@pytest.mark.slow
def test_zlib_ng_compatible_version_text_takes_zlibs_banners() -> None:
    # majorsilence-pdf's NativeAOT pdfnative.so links .NET's compression shim statically: zlib-ng in
    # zlib-compatible mode, whose ' inflate 1.3.1 ' banner was reported as zlib 1.3.1 (the truth
    # lists zlib as unproven); its ZLIB_VERSION '1.3.1.zlib-ng' says whose banner it is
    g = _graph("majorsilence_pdf-")
    assert _in_file(g, "zlib", "pdfnative.so") == set()
    assert _in_file(g, "zlib-ng", "pdfnative.so") == {None}
    # second binary: Pillow 13's grafted libpng and libfreetype quote '1.3.1.zlib-ng' (the header
    # they were built against) with no zlib code in them: nothing is claimed for zlib-ng there
    p = _graph("pillow-13.0.0-")
    assert not any(e.location.startswith("pillow.libs/libpng") for e in _evidence(p, "zlib-ng"))


@pytest.mark.slow
def test_source_tree_and_version_text_disagreeing_prove_nothing() -> None:
    # fastddm's FFTW: built from fftw-3.3.10/ (its __FILE__ paths), while the text its CMake build
    # generated still says 'fftw-3.3.9' (the same text on Linux and in the macOS build); the two
    # disagree about the one copy, so no version is reported rather than a possibly wrong one
    for platform in ("linux", "mac"):
        found = [c for c in native(_graph("fastddm-", platform)) if c.name == "fftw"]
        assert found and {c.version for c in found} == {None}
        assert any(e.kind == "conflict" for c in found for e in c.evidence)
    # second binary: pyFFTW's static FFTW, whose text ('fftw-3.3.5-sse2-avx') no source path
    # contradicts, keeps its version
    assert {c.version for c in native(_graph("pyfftw-")) if c.name == "fftw"} == {"3.3.5"}
    # a less precise version text is no disagreement: pillow-jxl-plugin's Windows lcms2 packs 2190
    # ("2.19") beside an lcms2-2.19.1/ tree, and keeps its version
    jxl = native(_graph("pillow_jxl_plugin-", "win"))
    assert {c.version for c in jxl if c.name == "lcms2"} == {"2.19"}
    # nor are two numbering schemes: pyarrow's protobuf is built from protobuf-36.2/ (the
    # release) and states its C++ library's 7.36.2
    arrow = native(_graph("corpus-linux:pyarrow"))
    assert {c.version for c in arrow if c.name == "protobuf"} == {"7.36.2"}
