"""Rules written in the fifteenth session (from the coverage report's misses and the misses of the
hold-out batches untuned50 to untuned53 after their one measurement), each checked on a second
binary: another project's, or another platform's build."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact

from .native_components import evidence, versions, wheel_by_prefix


@pytest.mark.slow
@pytest.mark.parametrize(("project", "library", "function", "version"), [
    ("zstandard", "zstd", "ZSTD_versionNumber", "1.5.7"),
    ("gevent", "libuv", "uv_version_string", "1.51.0"),
])
def test_a_cffi_modules_inlined_direct_function_is_the_library_function(project: str, library: str,
                                                                       function: str, version: str) -> None:
    # a Windows CFFI module names each wrapped C function in its globals table beside a direct
    # function ('return f();'); MSVC compiled a small leaf into it ('mov eax, 10507; ret') rather
    # than a jump to f: that body is the static copy's own function, read under the table's name
    g = catalog_artifact(wheel_by_prefix(f"corpus:{project}", "win", ()))
    assert versions(g, library) == {version}
    assert any(e.detail.startswith(f"{function}:") for e in evidence(g, library))

