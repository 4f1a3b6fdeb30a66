"""Rules written against the misses of the hold-out batches untuned46 to untuned49 (after their one
measurement), each checked on a second binary: another project's, or another platform's build."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact

from .native_components import evidence, versions, wheel_by_prefix


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "platform", "batch", "version"), [
    ("docling_rs-2.52.7-", "win", "untuned46.json", "1.31.0"),
    ("kreuzberg-4.10.4-", "mac", "untuned17.json", "1.24.2"),
])
def test_onnxruntime_by_the_release_branch_its_build_information_names(prefix: str, platform: str,
                                                                       batch: str, version: str) -> None:
    # a stripped static ONNX Runtime (in a Rust extension: a Windows .pyd, a macOS .so) keeps
    # "ORT Build Info: git-branch=rel-1.31.0, git-commit-id=..."; no OrtGetApiBase to call
    g = catalog_artifact(wheel_by_prefix(prefix, platform, (batch,)))
    assert versions(g, "onnxruntime") == {version}
    assert any(e.detail == f"ORT Build Info: git-branch=rel-{version}," for e in evidence(g, "onnxruntime"))


@pytest.mark.slow
def test_official_onnxruntime_builds_from_head_state_no_branch_release() -> None:
    # the official wheels say git-branch=HEAD: their release comes from OrtGetApiBase alone
    g = catalog_artifact(wheel_by_prefix("corpus:onnxruntime", "linux", ()))
    assert "1.32.0" in versions(g, "onnxruntime")
    assert not any("git-branch" in e.detail for e in evidence(g, "onnxruntime"))


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["linux", "mac"])
def test_a_c_api_compiled_as_cxx_counts_by_its_prefix(platform: str) -> None:
    # blosc2-j2k's Grok exports its grk_* C API with C++ linkage (_Z21grk_decompress_create...):
    # Grok is there; grk_version() keeps no symbol, so its version stays unknown
    g = catalog_artifact(wheel_by_prefix("blosc2_j2k-0.4.0-", platform, ("untuned46.json",)))
    assert versions(g, "grok") == {None}
    assert any(e.detail == "10 defined grk_* symbols" for e in evidence(g, "grok"))
