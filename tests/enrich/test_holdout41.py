"""Rules written against the misses and wrong answers of the hold-out batches untuned41 to untuned45
(after their one measurement), each checked on a second binary or against the same bytes
changed."""

from __future__ import annotations

import zipfile

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.native import scan_binary
from assay.enrich.bundled.rules import matcher

from .native_components import native, wheel_by_prefix

BATCH = ("untuned41.json",)
PYIMGUI_WIN = {"imgui-2.0.0-cp311-cp311-win_amd64.whl":
               "c1af2761708c40c852053dd0a7d570ea0241a75ad3c27d7b55430b12003198e0"}


def _member(wheel, suffix: str) -> tuple[str, bytes]:
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(suffix))
        return name, z.read(name)


@pytest.mark.slow
def test_a_camel_case_version_function_is_not_an_underscored_prefix() -> None:
    # raylib's rlgl: rlGetVersion() returns its OpenGL level (4), which the prefix "rl" must not
    # tie to GNU Readline (whose functions are rl_*); raylib's own copies of miniaudio, dr_wav and
    # dr_mp3 stay, in the ELF and in the DLLs of the same wheel
    g = catalog_artifact(wheel_by_prefix("raypyc-", "linux", BATCH))
    found = {(c.name, c.version) for c in native(g)}
    assert not [c for c in native(g) if c.name == "readline"]
    assert {("miniaudio", "0.11.9"), ("miniaudio", "0.11.8"), ("miniaudio", "0.11.12"),
            ("dr_wav", "0.13.4"), ("dr_wav", "0.13.7"), ("dr_mp3", "0.6.31"), ("dr_mp3", "0.6.34")} <= found


@pytest.mark.slow
def test_icu_tail_call_inside_a_frame() -> None:
    # STPyV8's ICU keeps frame pointers: u_getVersion_71 is push rbp; mov rbp, rsp; lea rsi, "71.1";
    # pop rbp; jmp u_versionFromString_71
    wheel = wheel_by_prefix("st_pyv8-", "linux", BATCH)
    assert {c.version for c in native(catalog_artifact(wheel)) if c.name == "icu"} == {"71.1"}
    # without the pop the jump would leave the frame behind: no tail call, no version
    name, data = _member(wheel, ".so")
    framed = b"\x55\x48\x89\xe5\x48\x8d\x35\x51\x67\x8f\x00\x5d\xe9"
    assert data.count(framed) == 1
    scan = scan_binary(name, data.replace(framed, framed[:11] + b"\x90\xe9"), matcher())
    assert scan is not None
    assert not [d for d in scan.detections if d.library.name == "icu" and d.version]


@pytest.mark.slow
def test_vulkan_loader_by_its_file_and_its_package() -> None:
    # the grafted libvulkan-687d106d.so.1.3.239: RHEL's debug link names vulkan-loader 1.3.239.0;
    # without it the file's own full version (auditwheel's hash before ".so") names 1.3.239
    wheel = wheel_by_prefix("python_realesrgan_ncnn_vulkan-", "linux", BATCH)
    assert {c.version for c in native(catalog_artifact(wheel)) if c.name == "vulkan-loader"} == {"1.3.239.0"}
    name, data = _member(wheel, ".so.1.3.239")
    link = b"libvulkan.so.1.3.239-1.3.239.0-1.el8.x86_64.debug"
    assert link in data
    scan = scan_binary(name.rsplit("/", 1)[-1], data, matcher())
    assert scan is not None
    assert [(d.library.name, d.version) for d in scan.detections] == [("vulkan-loader", "1.3.239.0-1.el8")]
    scan = scan_binary(name.rsplit("/", 1)[-1], data.replace(link, b"x" * len(link)), matcher())
    assert scan is not None
    assert [(d.library.name, d.version) for d in scan.detections] == [("vulkan-loader", "1.3.239")]


@pytest.mark.slow
def test_dear_imgui_about_text_formatted_at_run_time() -> None:
    # Dear ImGui 1.82 formats its about line, "Dear ImGui %s (%d)" passed "1.82" and 18200, in
    # pyplotgui's and pyimgui 2.0.0's Windows builds (no symbols)
    for wheel in (wheel_by_prefix("pyplotgui-", "win", BATCH), wheel_by_prefix("imgui-2.0.0", "win", (),
                                                                                PYIMGUI_WIN)):
        imgui = [c for c in native(catalog_artifact(wheel)) if c.name == "imgui"]
        assert [c.version for c in imgui] == ["1.82"], wheel
        assert any("Dear ImGui 1.82 (18200)" in e.detail for e in imgui[0].evidence)


@pytest.mark.slow
def test_leptonica_formatted_version() -> None:
    # getLeptonicaVersion() allocates its text, then formats "leptonica-%d.%d.%d" with constants:
    # read where the code passes the format (pysseract's CentOS build, 1.77.0) and, on arm64, in
    # the function past its first call (x20 = 1 kept across calloc; 87 and 0 stored for the
    # variadic slots: tesserocr's 1.87.0)
    for prefix, platform, batch, want in (("pysseract-", "linux", "untuned43.json", "1.77.0"),
                                          ("tesserocr-2.13.0", "mac", "untuned6.json", "1.87.0")):
        g = catalog_artifact(wheel_by_prefix(prefix, platform, (batch,)))
        assert {c.version for c in native(g) if c.name == "leptonica"} == {want}, prefix


@pytest.mark.slow
def test_ncurses_version_string() -> None:
    # curses_version()'s "ncurses 5.9.20130511" in a grafted libtinfo (pylibtermkey) and "ncurses
    # 6.1.20180224" in RHEL 8's libtinfo beside libncursesw (gtcaca): the release, its patch date
    # dropped
    for prefix, batch, want in (("pylibtermkey-", "untuned43.json", "5.9"),
                                ("gtcaca-", "untuned32.json", "6.1")):
        g = catalog_artifact(wheel_by_prefix(prefix, "linux", (batch,)))
        assert {c.version for c in native(g) if c.name == "ncurses"} == {want}, prefix


@pytest.mark.slow
def test_glew_table_of_its_version_and_parts() -> None:
    # glewGetString(GLEW_VERSION) indexes {NULL, "1.10.0", "1", "10", "0"}: an ELF (pyglui's grafted
    # libGLEW, the table's pointers set by relocations) and a PE (glew32.dll, behind a bounds check)
    g = catalog_artifact(wheel_by_prefix("pyglui-", "linux", ("untuned42.json",)))
    assert {c.version for c in native(g) if c.name == "glew"} == {"1.10.0", "2.0.0"}
    g = catalog_artifact(wheel_by_prefix("pyglui-", "win", ("untuned42.json",)))
    glew = [c for c in native(g) if c.name == "glew"]
    assert [c.version for c in glew] == ["2.0.0"]
    assert any(e.detail == "glewGetString: '2.0.0'" for e in glew[0].evidence)
    # a version text its parts do not spell is no version
    name, data = _member(wheel_by_prefix("pyglui-", "linux", ("untuned42.json",)), ".so.1.10.0")
    assert data.count(b"\x001.10.0\x00") == 1
    scan = scan_binary(name.rsplit("/", 1)[-1], data.replace(b"\x001.10.0\x00", b"\x001.11.0\x00"), matcher())
    assert scan is not None
    assert [(d.library.name, d.version) for d in scan.detections] == [("glew", None)]


@pytest.mark.slow
def test_graphblas_file_named_by_its_release() -> None:
    # SuiteSparse:GraphBLAS's CMake build: libgraphblas.so.3.3.3 and libgraphblas.3.3.3.dylib
    for platform in ("linux", "mac"):
        g = catalog_artifact(wheel_by_prefix("lagraph-", platform, ("untuned42.json",)))
        assert {c.version for c in native(g) if c.name == "graphblas"} == {"3.3.3"}, platform


@pytest.mark.slow
def test_centos7_nss_nspr_libidn_and_cyrus_sasl() -> None:
    # curl-pyo3 grafts CentOS 7's libcurl with NSS ("Version: NSS 3.90" in libnss3, libsmime3 and
    # libssl3, which is NSS's and no OpenSSL), NSPR (PR_GetVersion), Libidn 1.x
    # (stringprep_check_version(NULL)) and Cyrus SASL (sasl_version_info loads "2.1.26" right
    # after "Cyrus SASL")
    g = catalog_artifact(wheel_by_prefix("curl_pyo3-", "linux", ("untuned45.json",)))
    found = {(c.name, c.version) for c in native(g)}
    assert {("nss", "3.90"), ("nspr", "4.35"), ("libidn", "1.28"), ("cyrus-sasl", "2.1.26"),
            ("openssl", "1.0.2k")} <= found
    ssl3 = [c for c in native(g) if any("libssl3-" in e.location for e in c.evidence)]
    assert {c.name for c in ssl3} == {"nss"}
    # Cyrus SASL 2.1.27 in other wheels' grafted libsasl2 (gopher-mcp's, RHEL 8's in pymeos-cffi)
    for prefix in ("gopher_mcp_python_native_linux_x64-", "pymeos_cffi-"):
        g = catalog_artifact(wheel_by_prefix(prefix, "linux", ("untuned31.json",)))
        assert {c.version for c in native(g) if c.name == "cyrus-sasl"} == {"2.1.27"}, prefix


@pytest.mark.slow
def test_a_pascal_port_of_zlib_is_no_zlib() -> None:
    # Free Pascal's paszlib keeps zlib 1.1.2's banner as a short string, its length byte before it
    # ("4 deflate 1.1.2 ...", 0x34 = 52): DSS C-API's Pascal libraries are no C zlib
    g = catalog_artifact(wheel_by_prefix("dss_python_backend-", "linux", ("untuned44.json",)))
    assert not [c for c in native(g) if c.name == "zlib"]
    # the C banner, a NUL before it, stays zlib's; with a length byte put before it, it does not
    wheel = wheel_by_prefix("steptools-", "linux", ("untuned41.json",))
    assert {c.version for c in native(catalog_artifact(wheel)) if c.name == "zlib"} == {"1.2.13"}
    name, data = _member(wheel, "step.abi3.so")
    banner = b" deflate 1.2.13 Copyright 1995-2022 Jean-loup Gailly and Mark Adler \x00"
    at = data.index(banner)
    assert data[at - 1] == 0
    scan = scan_binary(name, data, matcher())
    assert scan is not None
    assert any("deflate 1.2.13" in e.detail for d in scan.detections if d.library.name == "zlib"
               for e in d.evidence)
    pascal = data[:at - 1] + bytes([len(banner) - 1]) + data[at:]
    scan = scan_binary(name, pascal, matcher())
    assert scan is not None
    assert not any("deflate 1.2.13" in e.detail for d in scan.detections if d.library.name == "zlib"
                   for e in d.evidence)


@pytest.mark.slow
def test_suitesparse_amd_printed_through_a_configurable_printf() -> None:
    # amd_control() calls SuiteSparse's printf hook (call *r9) with "\nAMD version %d.%d.%d, %s:
    # ..." and 2, 4, 6, spilling doubles between the integers (movsd to the stack); MSVC put a
    # double's byte right before the format (Windows); a second binary: cvxopt's CentOS libamd
    # (SuiteSparse 4.4.6 ships AMD 2.4.1, its file's name agrees)
    for platform in ("linux", "win"):
        g = catalog_artifact(wheel_by_prefix("dss_python_backend-", platform, ("untuned44.json",)))
        assert {c.version for c in native(g) if c.name == "amd"} == {"2.4.6"}, platform
    g = catalog_artifact(wheel_by_prefix("cvxopt-1.3.3", "linux", ("untuned7.json",)))
    assert {c.version for c in native(g) if c.name == "amd"} == {"2.4.1"}


@pytest.mark.slow
def test_source_paths_in_an_elf_files_dwarf() -> None:
    # pyspng-seunglab keeps its DWARF: the compilation unit ./vendor/miniz-2.2.0/miniz.c in
    # .debug_str names miniz 2.2.0 (its mz_version's "10.2.0" is the zlib API level it claims)
    g = catalog_artifact(wheel_by_prefix("pyspng_seunglab-", "linux", ("untuned44.json",)))
    miniz = [c for c in native(g) if c.name == "miniz"]
    assert [c.version for c in miniz] == ["2.2.0"]
    assert any(e.detail == ".../miniz-2.2.0/miniz.c" for e in miniz[0].evidence)
