"""Generic evidence (evidence.py): rules with no entry per library, each checked on two real binaries."""

from __future__ import annotations

import json
import zipfile
from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.evidence import version_from_text
from assay.enrich.bundled.native import scan_binary
from assay.enrich.bundled.rules import matcher
from assay.model import Graph
from pypi import pypi_file

from .bundled_wheelset import ML, WHEELS
from .native_components import evidence as _evidence
from .native_components import native as _native
from .native_components import versions as _versions

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bundled"
UNTUNED = json.loads((BENCH / "untuned.json").read_text())
UNTUNED2 = json.loads((BENCH / "untuned2.json").read_text())
UNTUNED3 = json.loads((BENCH / "untuned3.json").read_text())
UNTUNED4 = json.loads((BENCH / "untuned4.json").read_text())
UNTUNED5 = json.loads((BENCH / "untuned5.json").read_text())
UNTUNED6 = json.loads((BENCH / "untuned6.json").read_text())


def _wheel(platform: str, prefix: str) -> Path:
    for doc in (UNTUNED, UNTUNED2, UNTUNED3, UNTUNED4, UNTUNED5, UNTUNED6):
        for name, w in doc.get(platform, {}).items():
            if name.startswith(prefix):
                return pypi_file(name, w["sha256"])
    raise LookupError(prefix)


@cache
def _graph(platform: str, prefix: str) -> Graph:
    return catalog_artifact(_wheel(platform, prefix))



@pytest.mark.parametrize(("text", "version"), [
    ("(GNU FriBidi) 1.0.13\nCopyright", "1.0.13"), ("libopus 1.4", "1.4"),
    ("LIBTIFF, Version 4.5.1\nCopyright (c) 1988-1996 Sam Leffler", "4.5.1"), ("expat_2.5.0", "2.5.0"),
    ("libsndfile-1.2.2", "1.2.2"), ("4.9.2 of Jan  1 2024 $", "4.9.2"),
    ("1.11.1_DEV", "1.11.1_DEV"), ("2.0.0-rc1", "2.0.0-rc1"), ("1.21.7.dev", "1.21.7.dev"),
    ("1.5.3-0-gb546257", "1.5.3-0-gb546257"), ("v3.8.0", "3.8.0"), ("4.1+1-1d117be", "4.1+1-1d117be"),
    ("3.12.1-CAPI-1.18.1", None), ("n6.1", None), ("2", None), ("", None),
])
def test_version_notations_are_kept_as_written(text: str, version: str | None) -> None:
    assert version_from_text(text) == version


@pytest.mark.slow
def test_version_functions_of_libraries_the_table_does_not_name() -> None:
    # mpc_get_version() -> "1.4.1" (gmpy2's libmpc), vips_version_string() -> "8.18.7" (pyvips'
    # libvips): tied by the symbol's prefix to the file's own name, no table entry
    mpc = [c for c in _native(_graph("linux", "gmpy2-")) if c.name == "libmpc"]
    assert [(c.version, c.purl) for c in mpc] == [("1.4.1", "pkg:generic/libmpc@1.4.1")]
    assert any(e.kind == "version-function" and "mpc_get_version" in e.detail for e in mpc[0].evidence)
    assert not mpc[0].cpes  # no CPE is known for sure
    vips = [c for c in _native(_graph("linux", "pyvips_binary-")) if c.name == "libvips"]
    assert [c.version for c in vips] == ["8.18.7"]


@pytest.mark.slow
def test_a_version_of_something_else_is_not_the_librarys() -> None:
    # fribidi_unicode_version is the Unicode version (14.0.0), not FriBidi's
    name = f"av-12.0.0-cp311-cp311-{ML}.whl"
    graph = catalog_artifact(pypi_file(name, WHEELS[name]))
    assert all(c.version != "14.0.0" for c in _native(graph) if "fribidi" in c.name)


@pytest.mark.slow
def test_versioninfo_describing_the_dll() -> None:
    # the Microsoft runtime DLLs delvewheel copies: their own VERSIONINFO (FileVersion 14.40.33810.0)
    for prefix in ("faiss_cpu-", "sentencepiece-"):
        found = {(c.name, c.version) for c in _native(_graph("win", prefix))}
        assert ("msvcp140", "14.40.33810") in found, found
        assert ("vcomp140", "14.51.36231") in found, found


@pytest.mark.slow
def test_versioninfo_that_is_no_whole_version_or_describes_a_plugin_is_not_used() -> None:
    av = {(c.name, c.version) for c in _native(_graph("win", "av-"))}
    assert not any(n == "x264" and v for n, v in av), av  # FileVersion "0.165.x"
    assert ("ffmpeg", "9.0.2") in av
    cv = {(c.name, c.version) for c in _native(_graph("win", "opencv_python_headless-"))}
    assert ("opencv", "2024.11.0") not in cv  # the FFmpeg wrapper plugin's own numbering
    assert ("opencv", "5.0.0") in cv


@pytest.mark.slow
def test_a_header_macro_in_a_client_is_no_static_copy() -> None:
    # libssh quotes OPENSSL_VERSION_TEXT 3.3.1 from the headers it was built with; it links the
    # wheel's libcrypto (3.6.0), which is the only OpenSSL there
    graph = _graph("mac", "opencv_python_headless-")
    ossl = sorted((c.prop("assay:path"), c.version) for c in _native(graph)
                  if c.name == "openssl" and c.version)
    assert ossl == [("cv2/.dylibs/libcrypto.3.dylib", "3.6.0")]
    # and OpenCV's build information names its own static libjpeg-turbo and libpng
    static = {(c.name, c.version) for c in _native(graph) if c.prop("assay:path") == "cv2/cv2.abi3.so"}
    assert {("libjpeg-turbo", "3.1.2"), ("libpng", "1.6.57")} <= static


@pytest.mark.slow
def test_a_crate_linked_in_two_versions_is_two_components() -> None:
    # Rust links semver-incompatible versions of one crate side by side: ruff's executable has
    # hashbrown 0.14.5 and 0.17.1 (their build paths), not a conflict to leave unknown
    wheel = pypi_file("ruff-0.17.6-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                      "aa3b08254a732acba246891089a152c47c5733dc36b8ecb76ce8602f8326e5e4")
    graph = catalog_artifact(wheel)
    versions = sorted(c.version for c in graph.packages(["cargo-library"]) if c.name == "hashbrown")
    assert versions == ["0.14.5", "0.17.1"]
    assert all(c.purl.startswith("pkg:cargo/hashbrown@") for c in graph.packages(["cargo-library"])
               if c.name == "hashbrown")


@pytest.mark.slow
def test_an_optional_out_parameter_on_arm64() -> None:
    # c-ares' ares_version(int *v): "cbz x0; mov w8, #..; str w8, [x0]" before it returns
    # "1.34.9"; the same code in pycares' extension and inside curl_cffi's
    for prefix in ("pycares-", "curl_cffi-"):
        cares = {(c.name, c.version) for c in _native(_graph("mac", prefix)) if c.name == "c-ares"}
        assert cares == {("c-ares", "1.34.9")}, (prefix, cares)


@pytest.mark.slow
def test_a_static_copy_named_by_its_api_prefix() -> None:
    # libsndfile compiles LAME in: get_lame_version() beside a hundred lame_* functions
    sndfile = [c for c in _native(_graph("mac", "soundfile-")) if c.name == "lame"]
    assert [(c.version, c.prop("assay:path")) for c in sndfile] == \
        [("3.100", "_soundfile_data/libsndfile_arm64.dylib")]
    # Pillow's _imagingft compiles libraqm in, which the table does not name: raqm_version_string()
    # returns "0.10.1" (raqm_version stores 0, 10, 1)
    name = f"Pillow-10.0.1-cp311-cp311-{ML}.whl"
    raqm = [c for c in _native(catalog_artifact(pypi_file(name, WHEELS[name]))) if c.name == "raqm"]
    assert [(c.version, c.prop("assay:path")) for c in raqm] == \
        [("0.10.1", "PIL/_imagingft.cpython-311-x86_64-linux-gnu.so")]
    assert any("raqm_version_string" in e.detail for e in raqm[0].evidence)


@pytest.mark.slow
def test_version_functions_spelled_otherwise() -> None:
    # mbedtls_version_get_number() = 0x03060300 with "3.6.3" written; tesseract's C++
    # tesseract::TessBaseAPI::Version() returns "5.5.1"; LAME's get_lame_version() in its own file
    found = {(c.name, c.version) for c in _native(_graph("mac", "opencv_python_headless-"))}
    assert {("mbedtls", "3.6.3"), ("libtesseract", "5.5.1"), ("lame", "3.100")} <= found, found


@pytest.mark.slow
def test_check_version_functions_read_on_their_null_path() -> None:
    # gnutls_check_version(NULL), idn2_check_version(NULL), asn1_check_version(NULL) return the
    # version string (arm64: adrp/add into x19, cbz x0, mov x0, x19); x86-64 (test rdi, rdi; je)
    found = {(c.name, c.version) for c in _native(_graph("mac", "opencv_python_headless-"))}
    assert {("gnutls", "3.8.9"), ("libidn2", "2.3.8"), ("libtasn1", "4.20.0")} <= found, found
    pycurl = pypi_file("pycurl-7.49.0-cp315-cp315-manylinux_2_28_x86_64.whl",
                       "684747cca0e1a8d045c4a3b9a4db3e604bedfbc932955377a58998491c7d29e8")
    idn2 = [c for c in _native(catalog_artifact(pycurl)) if c.name == "libidn2"]
    assert [c.version for c in idn2] == ["2.3.7"]
    assert any("idn2_check_version(NULL)" in e.detail for e in idn2[0].evidence)


@pytest.mark.slow
def test_vcpkg_build_trees_name_the_ports_and_their_versions() -> None:
    # buildtrees/gdal/src/v3.12.4-ae01cc4ed9.clean/gcore/...: GDAL, whose bytes state no other
    # version, in pyogrio's libgdal; curl's ref is url-8_20_0
    gdal = {(c.name, c.version) for c in _native(_graph("mac", "pyogrio-"))}
    assert {("gdal", "3.12.4"), ("curl", "8.20.0"), ("libtiff", "4.7.1")} <= gdal, gdal
    ev = next(c for c in _native(_graph("mac", "pyogrio-")) if c.name == "gdal").evidence
    assert any(e.kind == "build-path" and "buildtrees/gdal/src/v3.12.4-" in e.detail for e in ev), ev
    # tiledb's libtiledb (Linux) links abseil and the AWS C libraries from vcpkg ports
    tiledb = {(c.name, c.version) for c in _native(_graph("linux", "tiledb-"))}
    assert {("abseil", "20250814.1"), ("aws-c-common", "0.12.6"), ("curl", "8.18.0")} <= tiledb, tiledb


ARCTICDB_LINUX = ("arcticdb-6.28.2-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
                  "1a34657be9a22b79b8940d5c989dd3a277524f164a7cd3efeed40f7f3d2bb165")


@pytest.mark.slow
def test_a_vcpkg_ref_cut_to_its_last_ten_characters_proves_no_version() -> None:
    # vcpkg names a port's source folder after the last 10 characters of its git ref: arcticdb's
    # folly (tag v2026.02.23.00) is at buildtrees/folly/src/6.02.23.00-*.clean, which is no
    # folly release; url-8_20_0 (curl-8_20_0) lost only letters and still proves curl 8.20.0,
    # as tiledb's 10-character abseil ref 20250814.1 (a date cut on the left would not be one)
    found = {(c.name, c.version) for c in _native(catalog_artifact(pypi_file(*ARCTICDB_LINUX)))}
    assert not {v for n, v in found if n == "folly"} - {None}, found
    assert {("curl", "8.20.0"), ("libbson", "1.30.3"), ("aws-c-io", "0.26.3")} <= found, found




@pytest.mark.slow
def test_a_macho_debug_map_names_the_sources_compiled_in() -> None:
    # N_SO stabs: ".../pcre2-10.44/src/" then "pcre2_compile.c" side by side in the string table;
    # pcre2's bytes state its version nowhere else readable (fiona's libpcre2-8.0.dylib)
    fiona = _graph("mac", "fiona-")
    assert _versions(fiona, "pcre2") == {"10.44"}
    assert any(e.kind == "build-path" and "pcre2-10.44/src/pcre2_compile.c" in e.detail
               for e in _evidence(fiona, "pcre2"))
    # the file's own sources name the file's own library, not a second component beside it
    assert [c.version for c in _native(fiona) if c.name in ("libjson-c", "json-c")] == ["0.15"]
    # a second project: soundfile's libsndfile links libvorbis, whose debug map says 1.3.7
    sndfile = _graph("mac", "soundfile-")
    assert any(e.kind == "build-path" and "libvorbis-1.3.7/lib/" in e.detail
               for e in _evidence(sndfile, "libvorbis"))


PROPHET_LINUX = ("prophet-1.5.0-py3-none-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
                 "391029e357b1584440cebca73415c5767af3a98db9ab1d32b3f07ef3a1a29487")


@pytest.mark.slow
def test_a_version_block_of_name_value_lines() -> None:
    # "TBB: VERSION\t\t2020.3\nTBB: INTERFACE VERSION\t11103\n..." in prophet's libtbb, macOS arm64
    # (libtbbmalloc_proxy states no version: one component of version unknown beside it) and the
    # auditwheel-grafted libtbb-<hash>.so.2 of its Linux wheel
    for graph in (_graph("mac", "prophet-"), catalog_artifact(pypi_file(*PROPHET_LINUX))):
        assert _versions(graph, "tbb") - {None} == {"2020.3"}
        assert any(e.kind == "build-info" and e.detail == "TBB: VERSION 2020.3"
                   for e in _evidence(graph, "tbb"))


AVIF_LINUX = ("pillow_avif_plugin-1.6.0-cp314-cp314-manylinux_2_28_x86_64.whl",
              "e5e018d43cf07118aa8610d7dcf3c34ff66347a0acb7896840a05316a4c9e24e")


@pytest.mark.slow
def test_short_version_functions_and_codec_interface_names() -> None:
    # libavif links rav1e (rav1e_version_short() -> "0.8.1") and libaom with its symbols stripped
    # ("AOMedia Project AV1 Encoder 3.14.1", the encoder interface's name); macOS arm64 and Linux x86-64
    for graph in (_graph("mac", "pillow_avif_plugin-"), catalog_artifact(pypi_file(*AVIF_LINUX))):
        found = {(c.name, c.version) for c in _native(graph)}
        assert {("rav1e", "0.8.1"), ("libaom", "3.14.1")} <= found, found
        assert any("rav1e_version_short()" in e.detail for e in _evidence(graph, "rav1e"))


@pytest.mark.slow
def test_a_cxx_version_function_named_after_its_class() -> None:
    # QPDF::QPDFVersion() returns a constant libc++ string "12.4.2" (pikepdf's libqpdf, macOS);
    # QPDFWriter::getFinalVersion() beside it is a PDF version, not qpdf's release
    qpdf = [c for c in _native(_graph("mac", "pikepdf-")) if c.name == "qpdf"]
    assert [c.version for c in qpdf] == ["12.4.2"]
    assert any("_ZN4QPDF11QPDFVersionEv" in e.detail for e in qpdf[0].evidence)
    assert not any("getFinalVersion" in e.detail for e in qpdf[0].evidence)


NETCDF_LINUX = ("netcdf4-1.7.5.1.post1-cp311-abi3-manylinux_2_28_x86_64.whl",
                "fde13b1fc71bf2b0f684a272fe279fa7d01ee45e6098b4711840a4ab6ae42130")
RDKIT_LINUX = ("rdkit-2026.9.1-cp312-cp312-manylinux_2_28_x86_64.whl",
               "c700cb37954d84bb864d8e02a55cff8b0f5ee6daff6d79a53a1cfe12459fa8c0")


@pytest.mark.slow
def test_readers_added_after_the_fourth_batch() -> None:
    # written after untuned4's first measurement (so that batch is tuned for them now), each checked
    # on the same project's Linux wheel: nc_inq_libvers() -> "4.10.1 of <date> $" (netCDF-C), and
    # "InChI version 1, Software 1.07.3 (API Library)" in RDKit's InChI wrapper
    for graph in (_graph("mac", "netcdf4-"), catalog_artifact(pypi_file(*NETCDF_LINUX))):
        assert _versions(graph, "netcdf") == {"4.10.1"}
    for graph in (_graph("mac", "rdkit-"), catalog_artifact(pypi_file(*RDKIT_LINUX))):
        assert _versions(graph, "inchi") == {"1.07.3"}
    # zip_libzip_version(): the library's own name after its prefix (one binary: no second libzip
    # was found); libarchive's archive_libzstd_version() in OpenCV's dylibs names zstd, not libarchive
    assert _versions(_graph("mac", "netcdf4-"), "libzip") == {"1.12.1"}
    ev = [e for c in _native(_graph("mac", "opencv_python_headless-")) for e in c.evidence]
    assert not any("archive_lib" in e.detail for e in ev)


PILLOW_MAC = ("pillow-13.0.0-cp315-cp315-macosx_11_0_arm64.whl",
              "04a63720f79e22fd54d897c233a68314c50ca0603360f54ce2bd5db8f0f43782")


@pytest.mark.slow
def test_arm64_functions_read_on_every_path() -> None:
    # nghttp2_version(int least_version) returns NULL or &{age, version_num, ...}: "cmp w0, w9;
    # csel x0, xzr, x8, gt" (netcdf4's grafted libnghttp2, and the copy inside curl_cffi's
    # extension), or -O0 code that stores the address in a stack slot and loads it back before
    # ret (fiona's; no second -O0 build of a version function was found in the cached wheels)
    for platform, prefix, version in (("mac", "netcdf4-", "1.68.1"), ("mac", "curl_cffi-", "1.63.0"),
                                      ("mac", "fiona-", "1.46.0")):
        found = _versions(_graph(platform, prefix), "nghttp2")
        assert found == {version}, (prefix, found)
        assert any(e.kind == "symbol" and e.detail.startswith("nghttp2_version:")
                   for e in _evidence(_graph(platform, prefix), "nghttp2"))
    # a frame record pushed and popped around the answer (stp x29, x30 / ldp): Pillow's static
    # libraqm, raqm_version_string() -> "0.11.0", read in the extension itself
    raqm = [c for c in _native(catalog_artifact(pypi_file(*PILLOW_MAC))) if c.name == "raqm"
            and c.prop("assay:path", "").startswith("PIL/_imagingft")]
    assert [c.version for c in raqm] == ["0.11.0"]
    assert any("raqm_version_string() = '0.11.0'" in e.detail for e in raqm[0].evidence)


PYHDF_LINUX = ("pyhdf-0.11.7-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
               "610fd02cd7e5535d932dcd301f2bdf51292a78494691cb4156bfbbc0354f5ed2")


@pytest.mark.slow
def test_a_version_joined_from_several_groups() -> None:
    # HDF4's "HDF Version 4.2 Release 15, November 28, 2019" is 4.2.15 (the table's version
    # template "{1}.{2}.{3}"): netcdf4's libdf on macOS arm64, and pyhdf's RHEL libdf (4.2.14)
    for graph, version in ((_graph("mac", "netcdf4-"), "4.2.15"),
                           (catalog_artifact(pypi_file(*PYHDF_LINUX)), "4.2.14")):
        assert _versions(graph, "hdf4") - {None} == {version}
        assert any(e.kind == "version-string" and e.detail.startswith(f"HDF Version {version[:3]} Release")
                   for e in _evidence(graph, "hdf4"))


@pytest.mark.slow
def test_a_file_name_two_projects_share_names_neither() -> None:
    # RHEL's libcom_err.so.2 is e2fsprogs' (its debug link says 1.45.6-7.el8_10): no Kerberos
    # release, while the libkrb5 beside it is krb5 1.18.2
    found = {(c.name, c.version) for c in _native(catalog_artifact(pypi_file(*PYHDF_LINUX)))}
    assert ("krb5", "1.18.2") in found, found
    assert ("e2fsprogs", "1.45.6") in found, found
    assert not any(n == "krb5" and v != "1.18.2" for n, v in found), found


NUMCODECS_LINUX = ("numcodecs-0.17.1-cp314-cp314-manylinux2014_x86_64.manylinux_2_17_x86_64."
                   "manylinux_2_28_x86_64.whl",
                   "6c0bdf72039d55538c774ac2f695146ab6e36392660664904bfcce1731f0a862")
BLOSC2_LINUX = ("blosc2-4.14.1-cp311-abi3-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
                "d5e65efe80740651c3b39a9fd98478f073c57bed51f7eebe1fdfe248dc259e37")


@pytest.mark.slow
def test_blosc_development_builds_and_blosc2_3() -> None:
    # blosc_get_version_string() -> "1.21.7.dev": a development build, kept as written (the blosc
    # wheel's libblosc, numcodecs' static copy); c-blosc2 3.3.5 (imagecodecs' libblosc2, and
    # python-blosc2's extension)
    for graph in (_graph("linux", "blosc-"), catalog_artifact(pypi_file(*NUMCODECS_LINUX))):
        assert _versions(graph, "blosc") == {"1.21.7.dev"}
    for graph in (_graph("linux", "imagecodecs-"), catalog_artifact(pypi_file(*BLOSC2_LINUX))):
        assert _versions(graph, "blosc2") == {"3.3.5"}


PYCURL = {"linux": ("pycurl-7.49.0-cp315-cp315-manylinux_2_28_x86_64.whl",
                    "684747cca0e1a8d045c4a3b9a4db3e604bedfbc932955377a58998491c7d29e8"),
          "mac": ("pycurl-7.49.0-cp315-cp315-macosx_11_0_arm64.whl",
                  "4c2c6059651ef9859a350877001c2155810def14fcca1e7ad88f6e845251e930")}


@pytest.mark.slow
def test_a_development_mark_from_a_release_tags_tree_is_the_release() -> None:
    # libssh2 built by vcpkg from its release tag's git tree: "SSH-2.0-libssh2_1.11.1_DEV" and
    # libssh2_version() say "1.11.1_DEV" (libssh2 keeps the mark in git, its release tarball drops
    # it), and the build path is vcpkg's folder for the tag libssh2-1.11.1 (pycurl's grafted
    # libssh2, Linux x86-64 and macOS arm64): the code is the release 1.11.1, both texts kept as
    # evidence (a development build with no release tree behind it keeps its mark: see
    # test_holdout33.py, bgen-limix's curl 8.12.1-DEV)
    for platform in ("linux", "mac"):
        graph = catalog_artifact(pypi_file(*PYCURL[platform]))
        assert _versions(graph, "libssh2") == {"1.11.1"}, platform
        details = {e.detail for e in _evidence(graph, "libssh2")}
        assert "SSH-2.0-libssh2_1.11.1_DEV" in details
        assert any("/buildtrees/libssh2/src/" in d for d in details)
    assert _versions(_graph("mac", "netcdf4-"), "libssh2") == {"1.11.1"}


DUCKDB_LINUX = ("duckdb-2.0.1-cp312-abi3-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
                "39ffeb136abed770a496e5592a464f18a07b1543e7ddb1ff6453215e179f1647")
HDBCLI_MAC = ("hdbcli-2.30.27-cp310-abi3-macosx_13_0_arm64.whl",
              "2a95a20cba24a67955531c85c755bdf22b0dbd56c2dca28072de4e6bc71c8ad8")
PYARROW_MAC = ("pyarrow-26.0.1-cp315-cp315-macosx_12_0_arm64.whl",
               "2c118754a0abe0bf20ef17432f95534ebb0ded37a48b6e8690cdd02625a86d97")


# written after untuned5's first measurement (so that batch is tuned for them now)

@pytest.mark.slow
def test_c_version_functions_inside_a_cxx_namespace() -> None:
    # DuckDB compiles its copies in namespaces: duckdb_lz4::LZ4_versionString() -> "1.9.4",
    # duckdb_zstd::ZSTD_versionString() -> "1.5.6", duckdb::utf8proc_version() -> "2.9.0" (beside
    # duckdb::utf8proc_* functions), duckdb_yyjson::yyjson_version() = 0x900 with "0.9.0" written;
    # macOS arm64 and Linux x86-64; SAP's hdbcli: lttc::LZ4_versionString() -> "1.10.0"
    want = {("lz4", "1.9.4"), ("zstd", "1.5.6"), ("utf8proc", "2.9.0"), ("yyjson", "0.9.0")}
    for graph in (_graph("mac", "duckdb-"), catalog_artifact(pypi_file(*DUCKDB_LINUX))):
        found = {(c.name, c.version) for c in _native(graph)}
        assert want <= found, found
        assert any("_ZN10duckdb_lz417LZ4_versionStringEv" in e.detail for e in _evidence(graph, "lz4"))
    # miniz's mz_version() says "10.0.3", the zlib API level it imitates: no two-letter prefix
    # names a library
    assert "10.0.3" not in {c.version for c in _native(_graph("mac", "duckdb-"))}
    hdb = {(c.name, c.version) for c in _native(catalog_artifact(pypi_file(*HDBCLI_MAC)))}
    assert ("lz4", "1.10.0") in hdb, hdb


@pytest.mark.slow
def test_utf8proc_is_a_library_not_a_unicode_version() -> None:
    # utf8proc_version() is the library's ("2.7.0" in ddtrace's libddwaf, "2.12.0" in pyarrow's
    # libarrow_compute); utf8proc_unicode_version() ("14.0.0") is Unicode's and never read
    for graph, version in ((_graph("mac", "ddtrace-"), "2.7.0"),
                           (catalog_artifact(pypi_file(*PYARROW_MAC)), "2.12.0")):
        assert _versions(graph, "utf8proc") == {version}
        assert not any("unicode" in e.detail for e in _evidence(graph, "utf8proc"))


@pytest.mark.slow
def test_fontconfig_and_x265_versions() -> None:
    # FcGetVersion() returns major * 10000 + minor * 100 + revision: 21600 in imageio-ffmpeg's
    # static ffmpeg and OpenCV's grafted libfontconfig (Homebrew's Cellar/fontconfig/2.16.0 beside),
    # 21500 in RDKit's static copy
    ffmpeg = _graph("mac", "imageio_ffmpeg-")
    cv = _graph("mac", "opencv_python_headless-")
    for graph, version in ((ffmpeg, "2.16.0"), (cv, "2.16.0"), (_graph("mac", "rdkit-"), "2.15.0")):
        assert _versions(graph, "fontconfig") == {version}
    # x265_version_str points to "4.1+1-1d117be" (one commit after 4.1, kept as written): in the
    # ffmpeg executable the pointer is a chained fixup holding an offset from the image base
    # 0x100000000 (no second executable with such a pointer was found); in OpenCV's libx265 dylib
    # the same notation
    for graph in (ffmpeg, cv):
        assert {c.version for c in _native(graph) if "x265" in c.name} == {"4.1+1-1d117be"}


LIBUSB_LINUX = ("libusb_package-1.0.30.0-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64."
                "manylinux_2_28_x86_64.whl",
                "f502ad5a0527b8c0431de817662325c88a1bba2cc334173665b04ad168d7b6d3")
LIBUSB_MAC = ("libusb_package-1.0.30.0-py3-none-macosx_11_0_arm64.whl",
              "4ad25f8d254bbbdd234446d5580b24d62d59bb0e690d8090457dac347f044437")
HIDAPI_LINUX = ("hidapi-0.15.0-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
                "cfdbc74d5c4b5fdeef58a246d80f7dbf4ca33fe741c889505a4a350dd2eb54fb")


@pytest.mark.slow
def test_a_version_function_returning_a_struct_of_uint16s() -> None:
    # libusb_get_version() returns &{major, minor, micro, nano, rc, describe}: x86-64 (lea; ret,
    # the rc pointer set by a RELATIVE relocation) and arm64 (adrp/add, a chained-fixup pointer)
    for wheel in (LIBUSB_LINUX, LIBUSB_MAC):
        usb = [c for c in _native(catalog_artifact(pypi_file(*wheel))) if c.name == "libusb"]
        assert [c.version for c in usb] == ["1.0.30"], wheel
        assert any("libusb_get_version" in e.detail for e in usb[0].evidence)
    # a second project: hidapi grafts CentOS 7's libusb (libusbx 1.0.21-1.el7 in its own SBOM)
    hidapi = catalog_artifact(pypi_file(*HIDAPI_LINUX))
    assert _versions(hidapi, "libusb") == {"1.0.21"}


@pytest.mark.slow
def test_auditwheel_hashes_and_release_numbers_are_not_part_of_a_library_name() -> None:
    # auditwheel puts its hash before the first dot: libdw-0.176.so -> libdw-0-780627ce.176.so
    hidapi = catalog_artifact(pypi_file(*HIDAPI_LINUX))
    # (libelf and libdw, one elfutils release, are one component that keeps both files' names)
    also = ",".join(c.prop("assay:also-named") or "" for c in _native(hidapi))
    names = {c.name for c in _native(hidapi)} | {n.strip() for n in also.split(",") if n.strip()}
    assert {"libdw", "libelf", "libudev"} <= names, names
    assert not [n for n in names if "780627ce" in n or "3d9de92a" in n or n.endswith(".176")], names
    assert _versions(hidapi, "libdw") == {"0.176"}  # dwfl_version(), not the file name


NASSL_LINUX = ("nassl-5.4.0-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
               "8c4a1ac2bcef693573f100013113b0a5041c0a4bac2687efce166eef2526affb")
OPENBABEL_LINUX = ("openbabel_wheel-3.1.1.23-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
                   "39340af4da11cafabb95542fd110e7ff120e3af085e4e48aa2b8e69cc49b807b")


@pytest.mark.slow
def test_openssl_cms_code_is_no_little_cms() -> None:
    # OpenSSL's CMS code defines cms_* functions (nassl links OpenSSL 1.0.2e and 1.1.1w
    # statically): no lcms2, whose API is cmsOpenProfile..., is in the file
    nassl = catalog_artifact(pypi_file(*NASSL_LINUX))
    assert _versions(nassl, "openssl") == {"1.0.2e", "1.1.1w"}
    assert not _versions(nassl, "lcms2")
    # MuPDF's copy of lcms2 (cmsOpenProfile...) still counts, by its 257 cms* symbols
    name = "PyMuPDFb-1.23.7-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
    mupdf = catalog_artifact(pypi_file(name, WHEELS[name]))
    assert any(e.kind == "symbol-prefix" and "cms*" in e.detail for e in _evidence(mupdf, "lcms2"))


@pytest.mark.slow
def test_a_file_name_that_goes_on_after_a_library_name_is_not_that_library() -> None:
    # openbabel's format plugin png2format.so is no libpng; its grafted libpng15 is (1.5.13)
    ob = catalog_artifact(pypi_file(*OPENBABEL_LINUX))
    assert _versions(ob, "libpng") == {"1.5.13"}
    assert not any(e.location.endswith("png2format.so") for e in _evidence(ob, "libpng"))


# -- written after untuned6's first measurement (its misses), each checked on a second binary --

SCIPY_MAC = ("scipy-1.18.1-cp315-cp315-macosx_12_0_arm64.whl",
             "30f464bee641fa8e282577c7dce027308403213c6ca8270bba73285c91024bc5")
PYZMQ_MAC = ("pyzmq-27.3.0-pp310-pypy310_pp73-macosx_11_0_arm64.whl",
             "0867cd8f8811339d2be83bcdb3fa710099e88fc7b1f1458b1f1b79e91fc3f16e")
DDTRACE_LINUX = ("ddtrace-4.16.0-cp314-cp314-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
                 "8b89b06a7513db54f00a94f87f4c8d9298dc70a378b4a88064d29042de19bff8")
PYSCIPOPT_LINUX = ("pyscipopt-6.3.0-cp314-cp314-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
                   "0a6e33a62b477a5ed78393784a0b6f78d04a004f2bcfda9cb56058407ee9ba84")
EMBREEX_LINUX = ("embreex-4.4.0.post1-cp314-cp314-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
                 "cb799b02e9b140b6e64a6e5a4caf476494ea12c67828d92709effcec990fc47f")
IGRAPH_MAC = ("igraph-1.0.0-cp39-abi3-macosx_11_0_arm64.whl",
              "1a27753cd80680a8f676c2d5a467aaa4a95e510b30748398ec4e4aeb982130e8")


@pytest.mark.slow
def test_a_toolchain_runtime_named_by_its_own_source_tree() -> None:
    # GCC's runtime libraries are built in GCC's tree: pyscipopt's grafted libgfortran, libquadmath
    # and libgcc_s name gcc-16.2.0/build/aarch64-apple-darwin24/<library>/...; av's MinGW
    # libstdc++-6.dll gcc-16.1.0/libstdc++-v3/src/...
    scip = _graph("mac", "pyscipopt-")
    gcc = [c for c in _native(scip) if c.name == "libgcc"]
    assert [c.version for c in gcc] == ["16.2.0"]
    assert {n.strip() for n in gcc[0].prop("assay:also-named").split(",")} == {"libgfortran", "libquadmath"}
    assert _versions(_graph("win", "av-"), "libstdc++") == {"16.1.0"}
    # scipy's come from a "gcc-12-branch" tree: no release, no version
    sci = catalog_artifact(pypi_file(*SCIPY_MAC))
    assert _versions(sci, "libgcc") == {None}
    # in any other file a toolchain's tree is only headers: libscip names no GCC
    assert not any("gcc" in c.name for c in _native(scip) if "libscip" in (c.prop("assay:path") or ""))


@pytest.mark.slow
def test_arm64_versions_stored_through_pointer_arguments() -> None:
    # zmq_version(int *, int *, int *) stores 4, 3, 5 (pyzmq's grafted libzmq on macOS arm64);
    # Ipopt::IpoptApplication::Version(int&, int&, int&) stores 3, 14, 19 inside pyscipopt's libscip,
    # arm64 and (the x86-64 reader) Linux
    assert _versions(catalog_artifact(pypi_file(*PYZMQ_MAC)), "libzmq") == {"4.3.5"}
    for graph in (_graph("mac", "pyscipopt-"), catalog_artifact(pypi_file(*PYSCIPOPT_LINUX))):
        assert _versions(graph, "ipopt") == {"3.14.19"}
    # igraph_version(const char **text, int *, int *, int *) stores "1.0.0" through its first
    # argument, then parses it into the others with a call: leidenalg's grafted libigraph, and the
    # static copy in python-igraph's extension (a project's own name is not reported for its own
    # wheel, so that file is scanned alone)
    assert _versions(_graph("mac", "leidenalg-"), "libigraph") == {"1.0.0"}
    with zipfile.ZipFile(pypi_file(*IGRAPH_MAC)) as z:
        data = z.read("igraph/_igraph.abi3.so")
    scan = scan_binary("igraph/_igraph.abi3.so", data, matcher())
    assert scan is not None
    got = {(d.library.name, d.version) for d in scan.detections}
    assert ("igraph", "1.0.0") in got, got


@pytest.mark.slow
def test_solver_and_kernel_banners() -> None:
    # SCIP's libscip carries SoPlex ("SoPlex 8.0.2") and its symmetry code ("Nauty 2.8.8"), macOS
    # and Linux; MUMPS' "MUMPS 5.8.2" is written out on macOS; the Linux build assembles the text
    # in code, a short std::string from immediates, read since untuned25 (test_generalise25)
    mac, linux = _graph("mac", "pyscipopt-"), catalog_artifact(pypi_file(*PYSCIPOPT_LINUX))
    for graph in (mac, linux):
        assert _versions(graph, "soplex") == {"8.0.2"}
        assert _versions(graph, "nauty") == {"2.8.8"}
    assert _versions(mac, "mumps") == {"5.8.2"}
    assert _versions(linux, "mumps") == {"5.8.2"}
    # Embree's banner pieces side by side: "Embree Ray Tracing Kernels ", "4.4.0", its commit hash
    for graph in (_graph("mac", "embreex-"), catalog_artifact(pypi_file(*EMBREEX_LINUX))):
        assert _versions(graph, "embree") == {"4.4.0"}


@pytest.mark.slow
def test_source_package_suffixes_in_build_paths() -> None:
    # CPack's <name>-<version>-Source (pygrib's libeccodes: eccodes-2.44.0-Source/src/...) and
    # LLVM's <name>-<version>.src (ddtrace's Linux libddwaf: libc++abi and libunwind compiled from
    # llvm-project-21.1.2.src/)
    assert _versions(_graph("mac", "pygrib-"), "eccodes") == {"2.44.0"}
    assert _versions(catalog_artifact(pypi_file(*DDTRACE_LINUX)), "llvm-project") == {"21.1.2"}



AIOTIEBA_LINUX = ("aiotieba-4.8.2-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64."
                  "manylinux_2_28_x86_64.whl",
                  "3ca8520de49565019af44ed2eb5de3f5254d683c4a2617acf17bcdf0e4bde7be")
TLS_CLIENT_LINUX = ("tls_client-2.0.0-py3-none-manylinux_2_17_x86_64.whl",
                    "c7d5f44160d2991fdde017e5e2f951138c2896c4e0fba58750932fae8ebafff3")


@pytest.mark.slow
def test_a_shared_object_not_named_lib_is_not_a_library_by_its_name() -> None:
    # aiotieba's helper crypto.so is no OpenSSL libcrypto; tls-client's Go library
    # tls-client-linux-ubuntu-amd64.so is no LibreSSL libtls
    for wheel in (AIOTIEBA_LINUX, TLS_CLIENT_LINUX):
        names = {c.name for c in _native(catalog_artifact(pypi_file(*wheel)))}
        assert not names & {"openssl", "libressl"}, (wheel[0], names)


@pytest.mark.slow
def test_an_installed_apis_include_folder_names_no_release() -> None:
    # include/spa-0.2/spa/pod/iter.h in pygame-ce's SDL2 is PipeWire's plugin API, level 0.2, in
    # the folder pkg-config installs it to (as libusb-1.0/, glib-2.0/): no project at a release.
    # The SDL2 sources beside it (SDL2-2.32.10/src/...) still are. One binary: none of the corpora
    # (about 2000 wheels) has another include/<name>-<version>/ path.
    graph = catalog_artifact(pypi_file(
        "pygame_ce-2.5.8-cp313-cp313-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
        "5bb966b610e161a8f6d908b4c62ef3a1f3e922bc7bed73bd70a3e15dc780b90e"))
    assert not [c for c in _native(graph) if c.name == "spa"]
    assert _versions(graph, "sdl2") == {"2.32.10"}


@pytest.mark.slow
@pytest.mark.parametrize(("wheel", "sha256", "version"), [
    # libpixman-1.0.42.2.dylib: pixman_version_string() is adr x0, "0.42.2"; ret
    ("rdkit_pypi-2022.9.5-cp311-cp311-macosx_11_0_arm64.whl",
     "6a82ee606af360cc55e4fdd04f64a08f92ed716b172c7eee6bbb866e46c0ea63", "0.42.2"),
    # libpixman-1-<hash>.so.0.34.0 (CentOS 7's) and pixman-1-0-<hash>.dll
    ("rdkit_pypi-2022.9.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
     "35ed0bff871c871999433a94ca8115285c2910cfad3b98763590311db4129afa", "0.34.0"),
    ("rdkit_pypi-2022.9.5-cp311-cp311-win_amd64.whl",
     "ca2a566b19a57d20b050ddf3a2c7700902e3bc59fa70f8686a5a6d4d081f30de", "0.42.2"),
])
def test_a_table_librarys_own_version_function_in_its_own_file(wheel: str, sha256: str, version: str) -> None:
    # pixman is in the table by its file name only (no prefixes, no readers): its own file's
    # pixman_version_string() is its release; the file key's API level (pixman-1) is no part of
    # the name the prefix is compared with
    graph = catalog_artifact(pypi_file(wheel, sha256))
    assert _versions(graph, "pixman") == {version}
    assert any(e.kind == "version-function" for e in _evidence(graph, "pixman"))


@pytest.mark.parametrize(("text", "version"), [
    ("21504", "2.15.4"),  # a release's xmlParserVersion
    ("21504-GITv2.15.4", "2.15.4"),  # a git build at the release's tag (nixl-cu12's grafted libxml2)
    ("21504-GITv2.15.4-12-g1a2b3c4", "2.15.4-12-g1a2b3c4"),  # commits after the tag: as git says
    ("21504-GITv2.15.3", None),  # the number and the tag disagree
    ("21504-custom", None),  # an extra that says nothing
])
def test_a_packed_version_with_its_builds_extra(text: str, version: str | None) -> None:
    from assay.enrich.bundled.native import packed_text_version

    [libxml2] = [lib for lib in matcher().libraries if lib.name == "libxml2"]
    [reader] = [r for r in libxml2.symbols if r.symbol == "xmlParserVersion"]
    assert packed_text_version(reader, text) == version
