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


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "batch", "version"), [
    ("itk_bsplinegradient-0.3.0-", "untuned57.json", "5.3.0"),
    ("picsl_greedy-1.4.0.3-", "untuned48.json", "5.4.7"),
])
def test_itk_source_version_text_in_a_stripped_windows_module(prefix: str, batch: str, version: str) -> None:
    # ITK compiled into a Python module (an ITK remote module; a registration tool): the Windows
    # builds keep no itk::Version names, but GetITKSourceVersion()'s whole text "itk version X.Y.Z";
    # the object factory's "Running itk version :" beside it is no version
    g = catalog_artifact(wheel_by_prefix(prefix, "win", (batch,)))
    assert versions(g, "itk") == {version}
    assert any(e.detail == f"itk version {version}" for e in evidence(g, "itk"))


@pytest.mark.slow
@pytest.mark.parametrize(("platform", "symbol"), [("linux", "_ZN2FX9fxversionE"),
                                                  ("win", "?fxversion@FX@@3QBEB")])
def test_fox_toolkit_version_bytes(platform: str, symbol: str) -> None:
    # the FOX GUI toolkit that Eclipse SUMO's libtraci grafts (CentOS 7's libFOX-1.6 on Linux,
    # FOXDLL-1.6.dll on Windows): the exported data FX::fxversion = {1, 6, 57}
    g = catalog_artifact(wheel_by_prefix("libtraci-", platform, ("untuned58.json",)))
    assert versions(g, "fox-toolkit") == {"1.6.57"}
    assert any(e.detail.startswith(f"{symbol}: ") for e in evidence(g, "fox-toolkit"))


@pytest.mark.slow
def test_centos_libxft_and_proj4_release_text() -> None:
    # one binary each (no second build of either was found in any corpus): XftGetVersion() = 20302,
    # and PROJ 4's day-first release text "Rel. 4.8.0, 6 March 2012" (PROJ 5 and later write
    # "March 1st, 2022", as the Windows build of the next libtraci release does: proj 9.0.0)
    g = catalog_artifact(wheel_by_prefix("libtraci-", "linux", ("untuned58.json",)))
    assert versions(g, "libxft") == {"2.3.2"}
    assert versions(g, "proj") == {"4.8.0"}
    win = catalog_artifact(wheel_by_prefix("libtraci-", "win", ("untuned58.json",)))
    assert versions(win, "proj") == {"9.0.0"}


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "batch", "version", "functions"), [
    ("aiouring-0.1.2-", "untuned57.json", "2.2", False),
    ("nixl_cu13-1.5.1-", "untuned18.json", "2.14", True),
])
def test_liburing_named_by_its_release(prefix: str, batch: str, version: str, functions: bool) -> None:
    # liburing 2.x names its file by its release (auditwheel's liburing-39bf6bbd.so.2.2 was
    # liburing.so.2.2); before 2.4 no version function exists, from 2.4 on the functions agree
    g = catalog_artifact(wheel_by_prefix(prefix, "linux", (batch,)))
    assert versions(g, "liburing") == {version}
    details = [e.detail for e in evidence(g, "liburing")]
    assert any(d.endswith("named by its release") for d in details)
    assert any(d.startswith("io_uring_major_version") for d in details) == functions


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "batch", "version"), [
    ("libtraci-1.19.0-", "untuned58.json", "2.9.3"),
    ("deepcodec-0.0.8-", "untuned23.json", "2.9.13"),
])
def test_libxml2_main_thread_accessor_either_shape(prefix: str, batch: str, version: str) -> None:
    # __xmlParserVersion() returns the global's address on the main thread: MSVC's build tests the
    # answer at once ('test eax, eax; je other; lea rax, global'), MinGW's keeps it in a register
    # first ('mov edx, eax; lea rax, global; test edx, edx; je'); the global points to '20903'
    g = catalog_artifact(wheel_by_prefix(prefix, "win", (batch,)))
    assert versions(g, "libxml2") == {version}


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "batch", "version", "check_in"), [
    ("pysqlite_binary-0.5.1.3380300-", "untuned57.json", "3.38.3", "2022-04-27 12:03:15 9547e2c3"),
    ("duckdb_ext_sqlite-1.4.4.20260205-", "untuned46.json", "3.38.1", "2022-03-12 13:37:29 38c210fd"),
])
def test_sqlite_check_in_between_two_known_releases(prefix: str, batch: str, version: str,
                                                    check_in: str) -> None:
    # two stripped Windows builds whose source ids the release table lacks (3.38.1 to 3.38.5 were
    # never built by the projects it is read from): each id is dated between 3.38.0's and 3.39.0's
    # check-ins, and the file holds exactly one whole release text between those releases, its
    # sqlite3_version; the database header text "SQLite format 3" says the copy is there
    g = catalog_artifact(wheel_by_prefix(prefix, "win", (batch,)))
    assert versions(g, "sqlite") == {version}
    assert any(e.detail.startswith(f"{check_in}: a check-in between 3.38.0's and 3.39.0's")
               for e in evidence(g, "sqlite"))


@pytest.mark.slow
def test_sqlites_file_header_alone_is_no_sqlite() -> None:
    # DuckDB's core module names SQLite's file header ("SQLite format 3") to tell SQLite files
    # apart, and holds no SQLite: the header text only lets the source-id reader look
    g = catalog_artifact(wheel_by_prefix("corpus:duckdb", "linux", ()))
    assert "sqlite" not in {c.name for c in native(g)}
