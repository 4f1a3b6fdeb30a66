"""Rules written against what the top-300 coverage report (bench/bundled/COVERAGE.md) showed
unread in the fourteenth session (PyMuPDF's MuPDF engine and its private, renamed copies of its
dependencies; opencv-python's FFmpeg stack on macOS) and against misses of earlier hold-out sets
of the same kind (Speex, Theora). Each is checked on a second real binary: another platform's
build, another project's, or an older release built years apart."""

from __future__ import annotations

from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# the tuned wheel set's PyMuPDF binaries, from 2023
OTHER = {
    "PyMuPDFb-1.23.7-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl":
        "adb43972f75500fae50279919d589a49b91ed7a74ec03e811c5000727dd63cea",
}
BATCHES = {"linux": ("untuned25.json",), "win": ("untuned23.json",),
           "mac": ("untuned23.json", "untuned2.json")}


@cache
def _graph(prefix: str, platform: str) -> Graph:
    """A wheel of the top-300 corpus plan (``corpus:<project>``), of a batch, or of OTHER."""
    return catalog_artifact(wheel_by_prefix(prefix, platform, BATCHES[platform], OTHER))


MUPDF = [("corpus:pymupdf", "linux"), ("corpus:pymupdf", "mac"), ("corpus:pymupdf", "win"),
         ("PyMuPDFb-1.23.7-", "linux")]


@pytest.mark.slow
@pytest.mark.parametrize(("where", "version"), list(zip(MUPDF, ["1.28.5", "1.28.5", "1.28.5", "1.23.7"],
                                                        strict=True)))
def test_mupdf_states_its_release_by_the_version_its_context_checks(where: tuple[str, str],
                                                                     version: str) -> None:
    # fz_new_context_imp() loads its own FZ_VERSION first, to compare with its caller's: on Linux
    # and macOS in libmupdf, on Windows in mupdfcpp64.dll (no file of MuPDF's own name there)
    graph = _graph(*where)
    assert _versions(graph, "mupdf") == {version}
    (c,) = [c for c in graph.packages() if c.name == "mupdf"]
    assert c.cpes == (f"cpe:2.3:a:artifex:mupdf:{version}:*:*:*:*:*:*:*",)


@pytest.mark.slow
@pytest.mark.parametrize(("where", "version"), [(MUPDF[0], "13.0.1"), (MUPDF[1], "13.0.1"),
                                               (MUPDF[3], "6.0.0")])
def test_a_copy_renamed_under_a_glued_tag_is_the_library_it_renames(where: tuple[str, str],
                                                                     version: str) -> None:
    # MuPDF renames HarfBuzz's hb_* to fzhb_*: fzhb_version_string() is hb_version_string(), so
    # HarfBuzz, never a library called "fzhb"
    graph = _graph(*where)
    assert _versions(graph, "harfbuzz") == {version}
    assert any("fzhb_version_string" in e.detail for e in _evidence(graph, "harfbuzz"))
    assert not [c for c in graph.packages() if "fzhb" in c.name]


@pytest.mark.slow
@pytest.mark.parametrize(("where", "version"), list(zip(MUPDF, ["10", "10", "10", "9e"], strict=True)))
def test_ijg_libjpeg_two_digit_release(where: tuple[str, str], version: str) -> None:
    # IJG's JVERSION "10  25-Jan-2026" in MuPDF 1.28.5's copy, as "9e  16-Jan-2022" in 1.23.7's
    assert _versions(_graph(*where), "libjpeg") == {version}


@pytest.mark.slow
@pytest.mark.parametrize("where", [("deepcodec-0.0.8-", "win"), ("deepcodec-0.0.8-", "mac"),
                                   ("corpus:opencv-python", "mac")])
def test_speex_by_the_one_text_its_control_function_loads(where: tuple[str, str]) -> None:
    # speex_lib_ctl() answers SPEEX_LIB_GET_VERSION_STRING with "1.2.1" behind a jump table: on
    # Windows (MinGW) past its first ret, bounded by the exception table's entry for the function;
    # on macOS loaded with a single adr (Apple's linker), no adrp/add pair
    graph = _graph(*where)
    assert _versions(graph, "speex") == {"1.2.1"}
    assert any(e.detail == "speex_lib_ctl: '1.2.1'" for e in _evidence(graph, "speex"))


@pytest.mark.slow
def test_theora_release_from_its_vendor_text_and_never_the_two_part_one() -> None:
    # libtheora 1.2.0 says "Xiph.Org libtheora 1.2.0 20250329 (Ptalarbvorm)"; 1.1.x says "1.1" for
    # every patch release (opencv-python's Homebrew build), which names no release: unknown
    assert _versions(_graph("ffpyplayer-4.5.4-", "linux"), "libtheora") == {"1.2.0"}
    assert _versions(_graph("corpus:opencv-python", "mac"), "libtheora") == {None}


@pytest.mark.slow
def test_libbluray_by_its_version_function_tied_to_its_prefix() -> None:
    graph = _graph("corpus:opencv-python", "mac")
    assert _versions(graph, "libbluray") == {"1.3.4"}
    assert any(e.detail == "bd_get_version() stores 1, 3, 4" for e in _evidence(graph, "libbluray"))


@pytest.mark.slow
@pytest.mark.parametrize("where", [("corpus:pikepdf", "linux"), ("pikepdf-10.18.0-", "mac")])
def test_qpdf_by_the_string_object_its_version_function_returns(where: tuple[str, str]) -> None:
    # QPDF::QPDFVersion() returns QPDF::qpdf_version: on Linux a libstdc++ std::string initialised
    # in place (pointer to its own buffer, length 6, "12.4.2"), no C text the address points at
    graph = _graph(*where)
    assert _versions(graph, "qpdf") == {"12.4.2"}
    (c,) = [c for c in graph.packages() if c.name == "qpdf"]
    assert c.cpes == ("cpe:2.3:a:qpdf_project:qpdf:12.4.2:*:*:*:*:*:*:*",)


@pytest.mark.slow
@pytest.mark.parametrize(("where", "name", "version", "cpe"), [
    (("corpus:av", "linux"), "gnutls", "3.8.13", "gnu:gnutls"),
    (("corpus:opencv-python", "mac"), "gnutls", "3.8.9", "gnu:gnutls"),
    (("corpus:av", "linux"), "x265", "4.3+1-e9b8812", "multicorewareinc:x265"),
    (("corpus:opencv-python", "mac"), "x265", "4.1+1-1d117be", "multicorewareinc:x265"),
    (("corpus:rasterio", "linux"), "json-c", "0.18", "json-c:json-c"),
    (("corpus:fiona", "linux"), "json-c", "0.15", "json-c:json-c"),
    (("corpus:pymssql", "linux"), "freetds", "1.5.19", "freetds:freetds"),
    (("corpus:pymssql", "win"), "freetds", "1.5.19", "freetds:freetds"),
    (("corpus:pylibsrtp", "linux"), "libsrtp", "2.7.0", "cisco:libsrtp"),
])
def test_libraries_read_generically_get_their_names_and_cpes(where: tuple[str, str], name: str,
                                                             version: str, cpe: str) -> None:
    # versions these files' own functions or build paths already proved under names taken from
    # the files (libgnutls, libx265, libjson-c): the table names them for the NVD
    (c,) = [c for c in _graph(*where).packages() if c.name == name]
    assert c.version == version
    bound = version.replace("+", "\\+")  # CPE 2.3's formatted string quotes a "+"
    assert c.cpes == (f"cpe:2.3:a:{cpe}:{bound}:*:*:*:*:*:*:*",)


@pytest.mark.slow
@pytest.mark.parametrize(("where", "version"), [(("corpus:shapely", "linux"), "3.14.1"),
                                               (("corpus:shapely", "mac"), "3.14.1"),
                                               (("corpus:fiona", "linux"), "3.11.2")])
def test_geos_cxx_core_is_named_by_its_release(where: tuple[str, str], version: str) -> None:
    # libgeos.so.3.14.1 (libgeos.3.14.1.dylib; fiona's libgeos-fiona.so.3.11.2) proves its own
    # release, as the C API beside it does by GEOSversion(); libgeos_c.so.1.20.5 is no release
    graph = _graph(*where)
    assert _versions(graph, "geos") == {version}
    named = [e for e in _evidence(graph, "geos") if e.detail.endswith(": named by its release")]
    assert named and all("libgeos_c" not in e.location for e in named)
