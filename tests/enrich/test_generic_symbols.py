"""A version reader's symbol that was defined but read to no version identifies its library only
when its name says so: zlib's ``compress`` is also what python-lz4 calls its own function."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact

from .native_components import versions, wheel_by_prefix


@pytest.mark.parametrize("platform", ["linux", "mac"])
def test_a_generic_function_name_is_no_library(platform: str) -> None:
    # python-lz4's block and frame modules define `compress` (their own code, no zlib in them):
    # it was reported as a zlib of unknown version on both platforms
    graph = catalog_artifact(wheel_by_prefix("corpus:lz4", platform, ()))
    assert versions(graph, "zlib") == set()
    # lz4 itself is still found there, with its version (the library the wheel compiles in)
    assert any(v for v in versions(graph, "lz4"))
