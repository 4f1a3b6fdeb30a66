"""Rules written against the misses of the twentieth untuned batch (Windows x64,
``untuned20.json``), each checked on a second real binary from another project (or said otherwise)."""

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

# second binaries from PyPI: wheels of other projects, pinned by sha256
OTHER = {
    # tokenizers' extension exports Oniguruma's API, onig_version() among it
    "tokenizers-0.23.3-cp310-abi3-win_amd64.whl":
        "1f0823bb00c5fdc98e487354d54dd55a03848d61a1a0bf29a68c77f24f3b26c3",
    # ruff.exe links mimalloc (stripped: no mi_version symbol)
    "ruff-0.17.6-py3-none-win_amd64.whl":
        "9cd2fd9923e9806b8b6b67a3469e2258e84bd4d21e45d5a1a690afdfb9c8e57d",
    # uv.exe compiles AWS-LC from aws-lc-sys-0.44.0's C sources
    "uv-0.13.9-py3-none-win_amd64.whl":
        "6a44b2ed8111d2f60d2b92627c5dccda3f7ed7570b18ce115e569cd68c28246b",
}


def _wheel(prefix: str) -> Path:
    """A Windows wheel of untuned20 (or of an earlier Windows batch), or a wheel of OTHER."""
    return wheel_by_prefix(prefix, "win", ("untuned20.json", "untuned16.json"), OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_onig_version_formats_constants() -> None:
    # onig_version() formats ONIGURUMA_VERSION_MAJOR/MINOR/TEENY into a static buffer:
    # onig_snprintf(s, 12, "%d.%d.%d", 6, 9, 8) (Win64: r9d, [rsp+32], [rsp+40]); Oniguruma was
    # found without a version in two Rust extensions of the batch
    assert _versions(_graph("pyVRL-"), "oniguruma") == {"6.9.8"}
    assert _versions(_graph("semantic_text_splitter-"), "oniguruma") == {"6.9.10"}
    assert any("onig_version: '6.9.8'" in e.detail for e in _evidence(_graph("pyVRL-"), "oniguruma"))
    # another project: Hugging Face tokenizers' extension passes 6, 9, 10 the same way
    assert _versions(_graph("tokenizers-"), "oniguruma") == {"6.9.10"}


@pytest.mark.slow
def test_mimalloc_banner_constants() -> None:
    # a stripped Rust extension keeps no mi_version, but mimalloc's options banner is printed from
    # constants: _mi_fprintf(NULL, NULL, "v%i.%i.%i%s%s (built on %s, %s)\n", 3, 3, 2, ...) in
    # wreq, _mi_message("v%i...", 2, 3, 2, ...) in kglite, "v%i.%i.%i%s%s" with 3, 6, 0 in h2corn
    assert _versions(_graph("wreq-"), "mimalloc") == {"3.3.2"}
    assert _versions(_graph("kglite-"), "mimalloc") == {"2.3.2"}
    assert _versions(_graph("h2corn-"), "mimalloc") == {"3.6.0"}
    assert any("passed constants: v3.3.2" in e.detail for e in _evidence(_graph("wreq-"), "mimalloc"))
    # another project: ruff.exe's mimalloc passes 2, 3, 2 to _mi_message
    assert _versions(_graph("ruff-"), "mimalloc") == {"2.3.2"}


@pytest.mark.slow
def test_nlohmann_json_msvc_decorated_names() -> None:
    # MSVC's RTTI names carry the versioned namespace innermost first:
    # ".?AVexception@detail@json_abi_v3_12_0@nlohmann@@" (bitHuman's onnxruntime.dll, pyAgrum's
    # modules); only GCC's mangled form was read
    assert _versions(_graph("bithuman-"), "nlohmann-json") == {"3.12.0"}
    assert _versions(_graph("pyagrum_nightly-"), "nlohmann-json") == {"3.12.0"}
    # another project (untuned16): onnxruntime-openvino's DLLs, 3.11.3 by its release stamp before,
    # now by the decorated names too
    ov = _graph("onnxruntime_openvino-")
    assert _versions(ov, "nlohmann-json") == {"3.11.3"}
    assert any("@json_abi_v3_11_3@nlohmann@@" in e.detail for e in _evidence(ov, "nlohmann-json"))


@pytest.mark.slow
def test_tag_archive_folder_with_releases() -> None:
    # GitHub's archive of a tag "releases/3.14.20" unpacks to Ipopt-releases-3.14.20/: the build
    # path named a component "Ipopt-releases" 3.14.20 beside the ipopt the banner names
    gekko = _graph("gekko-")
    assert _versions(gekko, "ipopt") == {"3.14.20"}
    assert not [c for c in _native(gekko) if "releases" in c.name.lower()]
    # apm.exe's own paths (C:\\fippr\\solvers\\ipopt\\Ipopt-releases-3.14.20\\src\\...) now give ipopt,
    # written without the tag's word
    assert any(e.location.endswith("apm.exe") and e.kind == "build-path" and "Ipopt-3.14.20/" in e.detail
               for e in _evidence(gekko, "ipopt"))
    # no second binary with a "-releases-<version>" source folder was found among the earlier
    # batches' wheels (a search of their binaries); the word's other forms are unchanged


@pytest.mark.slow
def test_sys_crate_sources_without_c_release_are_the_crate() -> None:
    # aws-lc-sys-0.46.0/aws-lc/crypto/*.c names the crate's release, not AWS-LC's (no build
    # metadata "+<release>"): it was a native component "aws-lc-sys" 0.46.0 in h2corn (0.39.1 in
    # openviking); it is the Rust crate it is
    for prefix, crate in (("h2corn-", "0.46.0"), ("openviking-", "0.39.1"), ("uv-", "0.44.0")):
        g = _graph(prefix)
        assert not [c for c in _native(g) if c.name.startswith("aws-lc")], prefix
        assert crate in {c.version for c in g.packages(["cargo-library"]) if c.name == "aws-lc-sys"}, prefix


@pytest.mark.slow
def test_static_libgcc_named_in_pe_debugging_information() -> None:
    # MinGW-w64 links libgcc statically with its DWARF: openviking's engine modules name
    # C:/buildroot/src/gcc-15.2.0/libgcc/libgcc2.c (and unwind-seh.c, emutls.c) in .debug_line_str /
    # .debug_info, which are not read with the constant data; libgcc was not reported
    ov = _graph("openviking-")
    assert _versions(ov, "libgcc") == {"15.2.0"}
    assert any("gcc-15.2.0/libgcc/libgcc2.c" in e.detail for e in _evidence(ov, "libgcc"))
    # another project (untuned.json): faiss-cpu's grafted libopenblas.dll, built by MinGW-w64's
    # GCC 9.3.0, names gcc-9.3.0/libgcc/libgcc2.c and config/i386/cygwin.S in its DWARF
    faiss = catalog_artifact(wheel_by_prefix("faiss_cpu-1.15.1-cp314-cp314-win", "win", ("untuned.json",)))
    assert _versions(faiss, "libgcc") == {"9.3.0"}
    # a module that loads GCC's runtime from libgcc_s_seh-1.dll (deepsearch-glm's) claims no copy
    assert _versions(_graph("deepsearch_glm-"), "libgcc") <= {None}
