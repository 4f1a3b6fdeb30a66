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


def test_a_version_text_a_function_writes_into_its_own_buffer() -> None:
    # GEOSversion() copies 16 bytes of "3.14.1-CAPI-1.20" from read-only data into a static
    # buffer, stores the tail ".5" and the NUL as immediates, and returns the buffer: the whole
    # text is in no place of the file. shapely's grafted libgeos_c (movl of ".5\0" and a
    # movaps) ...
    shapely = catalog_artifact(wheel_by_prefix("corpus-linux:shapely", "linux", ()))
    assert versions(shapely, "geos") == {"3.14.1"}  # (libgeos, the C++ core, by its file's release name)
    assert any("GEOSversion: '3.14.1-CAPI-1.20.5'" in e.detail
               for c in shapely.components.values() if c.name == "geos" for e in c.evidence)
    # ... and, built by another compiler run in another order (the tail through ax, the NUL by
    # movb, the lea before the 16-byte store), the static GEOS inside pyogrio's grafted libgdal
    pyogrio = catalog_artifact(wheel_by_prefix("corpus-linux:pyogrio", "linux", ()))
    assert versions(pyogrio, "geos") == {"3.14.1"}
