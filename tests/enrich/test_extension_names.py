"""A Python extension module's own internal name (a PE export directory's DLL name, an install
name) is the module's, never a third-party library's: uuid-utils' Rust ``_uuid_utils.pyd`` calls
itself ``uuid_utils.dll``, which the file-name rules read as libuuid (the top-100 Windows
coverage report listed it so). A grafted DLL's internal name still names its library."""

from __future__ import annotations

from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import native, wheel_by_prefix


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(wheel_by_prefix(prefix, "win", ()))


@pytest.mark.slow
def test_an_extension_modules_internal_name_names_no_library() -> None:
    assert "libuuid" not in {c.name for c in native(_graph("corpus:uuid-utils"))}


@pytest.mark.slow
def test_a_grafted_dlls_internal_name_still_names_it() -> None:
    # shapely's delvewheel-grafted geos-<hash>.dll, whose export directory calls it geos.dll
    kinds = {e.kind for e in _evidence(_graph("corpus:shapely"), "geos")}
    assert "soname" in kinds
