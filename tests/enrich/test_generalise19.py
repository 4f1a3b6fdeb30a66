"""Rules written against the misses of the nineteenth untuned batch (macOS arm64,
``untuned19.json``), each checked on a second real binary from another project (or said otherwise)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI: wheels of other projects (and, where no other project carries the
# library, the same project's Linux build)
OTHER = {
    "pykdtree-1.4.3-cp313-cp313-macosx_14_0_arm64.whl":
        "165bfa54a1a98609bfa1f52ea739f6347a01f5da418512bf8f7fa360cfca979f",
    "pygit2-1.21.0-cp313-cp313-macosx_11_0_arm64.whl":
        "6c3b8c36d696474c03d98cdee6ef3d4c4c6e98f327343391d8a37eef0a744ff4",
    "cramjam-2.14.0-cp313-cp313-macosx_11_0_arm64.whl":
        "a813213ae673621212847336f445cda1bd08a67c2d066a82862eb2a66e254d1e",
    "lets_plot-4.11.0-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl":
        "130c591553e0aa54d1340935c0c1ff9aec5a42b2a8f10f3b5bface8a88e08f82",
    "tmtools-0.3.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl":
        "74bdea863afa4c6c29b95635fa63c6b3f8eac32c996b95e22be1708c5e4e1205",
}


def _wheel(prefix: str) -> Path:
    """A macOS wheel of untuned19, or a wheel of OTHER, by name prefix."""
    if "manylinux" in prefix:
        return wheel_by_prefix(prefix, "linux", (), OTHER)
    return wheel_by_prefix(prefix, "mac", ("untuned19.json",), OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_llvm_openmp_source_release() -> None:
    # libomp's own sources keep LLVM's openmp-<version>.src tarball in their paths: dipy's grafted
    # libomp.dylib (the R project's build, .../omp/19/openmp-19.1.5.src/runtime/src/kmp_*.cpp) was
    # named llvm-openmp without a version beside an "openmp 19.1.5" named after the tree
    dipy = _graph("dipy-")
    assert _versions(dipy, "llvm-openmp") == {"19.1.5"}
    assert _versions(dipy, "openmp") == set()
    # second binary: pykdtree's grafted Homebrew libomp (/private/tmp/libomp-.../openmp-20.1.8.src/)
    assert _versions(_graph("pykdtree-"), "llvm-openmp") == {"20.1.8"}


@pytest.mark.slow
def test_rust_sys_crate_names_the_vendored_c_release() -> None:
    # a Rust -sys crate that builds a C library from the sources it ships names the library's
    # release in its build metadata: git-cliff's libgit2-sys-0.18.8+1.9.7 (lib.rs, a stripped
    # executable with no libgit2 version function left) and statsig's zstd-sys-2.1.0+zstd.1.5.7
    # (the debug map's zstd/lib/*/ C sources; no ZSTD_version* kept) were found without versions
    cliff = _graph("git_cliff-")
    assert _versions(cliff, "libgit2") == {"1.9.7"}
    assert any("libgit2-sys-0.18.8+1.9.7/" in e.detail for e in _evidence(cliff, "libgit2"))
    assert _versions(cliff, "zlib") <= {None}  # the system's libz; its header's 1.2.12 is no copy
    assert _versions(_graph("oai_statsig_python_core-"), "zstd") == {"1.5.7"}
    # another project: cramjam keeps bzip2-sys-0.1.13+1.0.8/lib.rs but imports BZ2_* from the
    # system's /usr/lib/libbz2.1.0.dylib, so the crate's release is not a copy in the file
    assert _versions(_graph("cramjam-"), "bzip2") <= {None}
    # no other project's wheel with a vendoring -sys crate's C sources named in its bytes was at
    # hand; the table's libgit2 is read on pygit2's grafted libgit2 too (git_libgit2_version stores
    # 1, 9, 7), which agrees with git-cliff's crate
    assert _versions(_graph("pygit2-"), "libgit2") == {"1.9.7"}


@pytest.mark.slow
def test_imagemagick_banner() -> None:
    # MagickCore compiled into lets-plot's Kotlin/Native bridge: GetMagickVersion()'s banner
    # "ImageMagick 7.1.1-46 Q16-HDRI aarch64 ..." (the table had no ImageMagick)
    assert _versions(_graph("lets_plot-4.11.0-cp314"), "imagemagick") == {"7.1.1-46"}
    # no other project on PyPI was found to carry MagickCore (Wand and the others load the
    # system's); the second binary is the same release's Linux build (x86_64 banner)
    assert _versions(_graph("lets_plot-4.11.0-cp312-cp312-manylinux"), "imagemagick") == {"7.1.1-46"}


@pytest.mark.slow
def test_tm_align_banner() -> None:
    # TM-align's own banner " * TM-align (Version 20210224): protein structure alignment" in
    # tmtools' bindings (the table had no TM-align). No other project on PyPI bundles TM-align;
    # the second binary is tmtools' Linux build
    assert _versions(_graph("tmtools-0.3.0-cp312-cp312-macosx"), "tm-align") == {"20210224"}
    assert _versions(_graph("tmtools-0.3.0-cp312-cp312-manylinux"), "tm-align") == {"20210224"}
