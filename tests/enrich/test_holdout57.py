"""Rules written in the sixteenth session (from the coverage report's misses and the misses of the
hold-out batches untuned57 to untuned59 after their one measurement), each checked on a second
binary: another project's, or another platform's build."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact

from .native_components import evidence, native, versions, wheel_by_prefix


@pytest.mark.slow
@pytest.mark.parametrize(("platform", "function"), [
    ("linux", "_ZN5arrow12GetBuildInfoEv"),
    ("win", "?GetBuildInfo@arrow@@YAAEBUBuildInfo@1@XZ"),
])
def test_arrow_cxx_version_from_its_build_info_record(platform: str, function: str) -> None:
    # pyarrow's Arrow C++ library: arrow::GetBuildInfo() returns its static BuildInfo, whose first
    # field is ARROW_VERSION (26000001: 26.0.1); GCC's ELF and MSVC's DLL both keep it as constant data
    g = catalog_artifact(wheel_by_prefix("corpus:pyarrow", platform, ()))
    assert versions(g, "arrow") == {"26.0.1", None}  # the other arrow_* files say no version
    assert any(e.detail.startswith(f"{function}: ") for e in evidence(g, "arrow"))


@pytest.mark.slow
def test_arrow_build_info_built_at_load_time_proves_nothing() -> None:
    # clang for macOS builds the same record at load time (it sits in __bss, all zeros in the file):
    # no version, rather than a wrong one
    g = catalog_artifact(wheel_by_prefix("corpus:pyarrow", "mac", ()))
    assert versions(g, "arrow") == {None}
    assert native(g)
