"""Rules written against the misses of the hold-out batches untuned39 and untuned40 (after their
one measurement)."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact

from .native_components import native, wheel_by_prefix


@pytest.mark.slow
def test_freetype_fields_copied_by_an_unoptimised_getter() -> None:
    # fontconfig-py's FreeType was built without optimisation: FT_Library_Version spills its
    # arguments to the frame and copies the library's fields through locals, and FT_New_Library
    # reloads the new object from the frame before each store of 2, 13, 3 -> 2.13.3; the same in
    # the x86-64 slice of the universal2 build
    for platform in ("linux", "mac"):
        g = catalog_artifact(wheel_by_prefix("fontconfig_py-", platform, ("untuned39.json",)))
        assert {c.version for c in native(g) if c.name == "freetype"} == {"2.13.3"}, platform


@pytest.mark.slow
def test_libcom_err_so_2_is_e2fsprogs() -> None:
    # RHEL's libcom_err.so.2, grafted beside krb5: its package release is e2fsprogs 1.45.6
    g = catalog_artifact(wheel_by_prefix("geant4_pybind-", "linux", ("untuned40.json",)))
    found = {(c.name, c.version) for c in native(g)}
    assert ("e2fsprogs", "1.45.6") in found
    assert ("krb5", "1.18.2") in found


@pytest.mark.slow
def test_gtk_by_its_version_constants_and_graphite2_through_r8() -> None:
    # gwyddion's GTK 2 stack: gtk_major/minor/micro_version in libgtk (x11, quartz, win32) name
    # GTK's release, one component with the GDK backend beside it
    want = {"linux": "2.24.32", "mac": "2.24.33", "win": "2.24.33"}
    for platform, version in want.items():
        g = catalog_artifact(wheel_by_prefix("gwyddionpy_converter-", platform, ("untuned40.json",)))
        assert {c.version for c in native(g) if c.name == "gtk"} - {None} == {version}, platform
        if platform == "win":
            # the MinGW libgraphite2.dll's gr_engine_version checks each pointer before its store,
            # the third one in r8: 1, 3, 15
            assert {c.version for c in native(g) if c.name == "graphite2"} == {"1.3.15"}


@pytest.mark.slow
def test_htslib_and_protobufs_constant_after_rex_moves_and_an_orr() -> None:
    # genomicsdb's TileDB library links HTSlib (hts_version() '1.10.2') and protobuf 3.21.7: on
    # x86-64 VerifyVersion saves its arguments first (mov r14, rdx; mov r12d, edi) and then
    # compares esi with 3021007; on arm64 clang builds the constant as (3021000 | 7)
    from assay.enrich.bundled.decode import _bitmask

    assert (_bitmask(0, 2, 0, 32), _bitmask(0, 0b111100, 0, 32), _bitmask(1, 7, 56, 64)) == (
        7, 0x55555555, 0xFF00)
    for platform in ("linux", "mac"):
        g = catalog_artifact(wheel_by_prefix("genomicsdb-", platform, ("untuned39.json",)))
        found = {(c.name, c.version) for c in native(g)}
        assert {("htslib", "1.10.2"), ("protobuf", "3.21.7")} <= found, platform


@pytest.mark.slow
def test_libtorrent_openpgm_and_dcmtk() -> None:
    # libtorrent's default user agent "libtorrent/2.0.12.0" in aria2-next's static executables
    # (three platforms), and the same text in the libtorrent project's own module (2.1.1)
    for platform in ("linux", "win", "mac"):
        g = catalog_artifact(wheel_by_prefix("aria2_next_bin-", platform, ("untuned40.json",)))
        assert {c.version for c in native(g) if c.name == "libtorrent-rasterbar"} == {"2.0.12"}, platform
    g = catalog_artifact(wheel_by_prefix("libtorrent-2.1.1-", "win", ("untuned10.json",)))
    assert {c.version for c in native(g) if c.name == "libtorrent-rasterbar"} == {"2.1.1"}
    # OpenPGM's pgm_major/minor/micro_version data (a CentOS 7 ZeroMQ's dependency)
    g = catalog_artifact(wheel_by_prefix("behaviortreepy-", "linux", ("untuned39.json",)))
    assert {c.version for c in native(g) if c.name == "openpgm"} == {"5.2.122"}
    # DCMTK's implementation version name "OFFIS_DCMTK_369" in dcmdata.dll; its other DLLs are
    # DCMTK too (no version of their own)
    g = catalog_artifact(wheel_by_prefix("octdata4python-", "win", ("untuned39.json",)))
    assert {c.version for c in native(g) if c.name == "dcmtk"} - {None} == {"3.6.9"}


@pytest.mark.slow
def test_libjpeg_turbo_line_naming_the_host_project() -> None:
    # built as a CMake subproject, libjpeg-turbo's jcmaster.c names the top project: alosg's
    # extension says "alosg version 2.1.5 (build 20260815)" beside libjpeg-turbo's copyright; the
    # same line names OpenCV in octdata4python's opencv_world (3.0.3, which OpenCV's build
    # information also states)
    import zipfile

    from assay.enrich.bundled.native import scan_binary
    from assay.enrich.bundled.rules import matcher

    path = wheel_by_prefix("alosg-", "win", ("untuned39.json",))
    assert {c.version for c in native(catalog_artifact(path)) if c.name == "libjpeg-turbo"} - {None} \
        == {"2.1.5"}
    g = catalog_artifact(wheel_by_prefix("octdata4python-", "win", ("untuned39.json",)))
    jpeg = [c for c in native(g) if c.name == "libjpeg-turbo"]
    assert [c.version for c in jpeg] == ["3.0.3"]
    assert any("OpenCV version 3.0.3 (build" in e.detail for e in jpeg[0].evidence)
    # without libjpeg-turbo's copyright text in the file, the same line proves nothing
    with zipfile.ZipFile(path) as z:
        data = z.read("alosg/alosg.pyd")
    marker = b"The libjpeg-turbo Project and many others"
    assert marker in data
    scan = scan_binary("alosg.pyd", data.replace(marker, b"x" * len(marker)), matcher())
    assert scan is not None
    assert not [d for d in scan.detections if d.library.name == "libjpeg-turbo" and d.version]
    scan = scan_binary("alosg.pyd", data, matcher())
    assert scan is not None
    assert [d.version for d in scan.detections if d.library.name == "libjpeg-turbo"] == ["2.1.5"]
