"""Rules written in the fifteenth session (from the coverage report's misses and the misses of the
hold-out batches untuned50 to untuned53 after their one measurement), each checked on a second
binary: another project's, or another platform's build."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact

from .native_components import evidence, native, versions, wheel_by_prefix


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


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "batch"), [("blosc2_j2k-0.4.0-", "untuned46.json"),
                                               ("blosc2_htj2k-0.4.2-", "untuned48.json")])
@pytest.mark.parametrize("platform", ["linux", "mac"])
def test_a_hidden_version_function_between_the_librarys_own_named_functions(prefix: str, batch: str,
                                                                            platform: str) -> None:
    # Grok built into blosc2's codec plugins (two projects, two releases) exports part of its API
    # (grk_decompress_create, grk_decompress_buffer_detect_format) but not grk_version(), which sits
    # between them in Grok's object code: 'lea rax, "11.0.0"; ret' (arm64: adrp, add, ret)
    g = catalog_artifact(wheel_by_prefix(prefix, platform, (batch,)))
    assert versions(g, "grok") == {"11.0.0"}
    assert any("nameless function" in e.detail and "'11.0.0'" in e.detail for e in evidence(g, "grok"))


@pytest.mark.slow
def test_no_nameless_version_in_a_stripped_pe() -> None:
    # the Windows build exports no grk_* name at all: nothing bounds Grok's code, nothing is read
    g = catalog_artifact(wheel_by_prefix("blosc2_j2k-0.4.0-", "win", ("untuned46.json",)))
    assert versions(g, "grok") <= {None}


@pytest.mark.slow
def test_mit_kerberos_for_windows_dlls_are_krb5_without_their_kfw_number() -> None:
    # MySQL's connector ships MIT Kerberos for Windows: krb5_64.dll says 'KRB5_BRAND: krb5-1.22-final';
    # gssapi64.dll, k5sprt64.dll and the others say only FileVersion 4.1 (the KfW release), which is
    # no krb5 release; its libsasl.dll is Cyrus SASL's (VERSIONINFO 2.1.28, as its plugins say)
    g = catalog_artifact(wheel_by_prefix("corpus:mysql-connector-python", "win", ()))
    assert versions(g, "krb5") == {"1.22", None}
    assert any(e.detail == "gssapi64.dll" for e in evidence(g, "krb5"))
    assert versions(g, "cyrus-sasl") == {"2.1.28"}
    assert not versions(g, "libsasl")


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["linux", "mac"])
def test_mimalloc_22s_banner_without_its_option_lines(platform: str) -> None:
    # lucisearch's Rust extension compiles mimalloc 2.2.4 (libmimalloc-sys) with its symbols kept
    # but no mi_version: _mi_options_print passes "v%i.%i.%i%s%s (built on %s, %s)\n" 2, 2, 4, and
    # since 2.2 no "debug level" line follows the format; on macOS the numbers go on the stack
    g = catalog_artifact(wheel_by_prefix("lucisearch-0.9.1-", platform, ("untuned53.json",)))
    assert "2.2.4" in versions(g, "mimalloc")  # (the Linux wheel also carries a stray macOS dSYM)
    assert any(e.detail == "'v%i.%i.%i%s%s' passed constants: v2.2.4" for e in evidence(g, "mimalloc"))


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "batches", "version", "packed"), [
    ("corpus:pyarrow", (), "3.4.1", "30401"),
    ("mosek-11.2.7-", ("untuned11.json",), "1.9.4", "194"),
])
def test_arm64_printf_constants_agree_with_the_version_function(prefix: str, batches: tuple[str, ...],
                                                                version: str, packed: str) -> None:
    # the arm64 reading of a printf call's constants (Apple's convention: variadic integers stored
    # to [sp], [sp + 8]...) renders the release mi_version() returns, in two other projects' builds
    g = catalog_artifact(wheel_by_prefix(prefix, "mac", batches))
    assert versions(g, "mimalloc") == {version}
    details = {e.detail for e in evidence(g, "mimalloc")}
    assert f"'v%i.%i.%i%s%s' passed constants: v{version}" in details
    assert f"mi_version: {packed}" in details


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["linux", "mac"])
def test_cfitsio_3s_two_digit_minor_from_its_float(platform: str) -> None:
    # fitscube-rs compiles CFITSIO 3.49 (the fitsio crate's C library): ffvers() stores and returns
    # the float 3.49, which is release 3.49 (3.x numbered its minor with two digits), not 3.49.0;
    # on arm64 the float's bits are built with mov/movk and moved to s0
    g = catalog_artifact(wheel_by_prefix("fitscube_rs-2.1.1-", platform, ("untuned52.json",)))
    assert versions(g, "cfitsio") == {"3.49"}
    assert any(e.detail == "ffvers: 349" for e in evidence(g, "cfitsio"))


B51 = ("untuned51.json",)


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["linux", "win", "mac"])
def test_vtks_renamed_freetype_and_gl2ps_in_a_vtk_fork(platform: str) -> None:
    # cvista (a VTK fork) grafts VTK's vtkfreetype and vtkgl2ps: FreeType's renamed getter
    # vtkfreetype_FT_Library_Version copies what vtkfreetype_FT_New_Library stores (MSVC: the
    # fields loaded first, a short jump over the NULL object's zeros); GL2PS's header line is
    # printed with its three version constants (x86-64 with a stack argument pushed from memory
    # between them, arm64 stored to the stack); the files named for them are those libraries
    g = catalog_artifact(wheel_by_prefix("cvista_rendering-9.7.0.5-", platform, B51))
    assert versions(g, "freetype") == {"2.14.3"}
    assert any(e.detail == "vtkfreetype_FT_Library_Version: '2.14.3'" for e in evidence(g, "freetype"))
    assert versions(g, "gl2ps") == {"1.4.2"}
    named = {c.name.removeprefix("lib") for c in native(g)}
    assert not named & {"vtkfreetype-cvista", "vtkgl2ps-cvista"}


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "platform", "batch", "version"), [
    ("fimage_python-0.1.2-", "linux", "untuned51.json", "1.3.0"),
    ("fimage_python-0.1.2-", "mac", "untuned51.json", "1.3.0"),
    ("iris_codec-2025.3.1-", "mac", "untuned44.json", "1.2.0"),
])
def test_libdicom_by_its_own_version_function(prefix: str, platform: str, batch: str, version: str) -> None:
    # libdicom (not DCMTK) under its table name, not a library "dcm" named by its prefix
    g = catalog_artifact(wheel_by_prefix(prefix, platform, (batch,)))
    assert versions(g, "libdicom") == {version}
    assert not versions(g, "dcm")


@pytest.mark.slow
def test_a_function_table_filled_by_symbol_relocations() -> None:
    # Aspose OCR's static ONNX Runtime exports OrtApis' functions, so OrtGetApiBase's table
    # {GetApi, GetVersionString} is filled by R_X86_64_64 relocations against those symbols (not
    # RELATIVE ones): GetVersionString is read through them
    g = catalog_artifact(wheel_by_prefix("aspose_ocr_python_cpp-25.2.0-", "linux", B51))
    assert versions(g, "onnxruntime") == {"1.11.1"}
    assert any(e.detail == "OrtGetApiBase: '1.11.1'" for e in evidence(g, "onnxruntime"))


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "platform", "batch"), [
    ("libroadrunner-2.11.0-", "mac", "untuned51.json"),
    ("python_libsbml-5.21.2-", "linux", "untuned12.json"),
])
def test_libsbml_by_its_dotted_and_packed_versions(prefix: str, platform: str, batch: str) -> None:
    g = catalog_artifact(wheel_by_prefix(prefix, platform, (batch,)))
    assert versions(g, "libsbml") == {"5.21.2"}
    details = {e.detail for e in evidence(g, "libsbml")}
    assert {"getLibSBMLDottedVersion: '5.21.2'", "getLibSBMLVersion: 52102"} <= details


@pytest.mark.slow
def test_poco_by_its_packed_library_version() -> None:
    # Poco::Environment::libraryVersion() returns POCO_VERSION 0x010E0200, in each of
    # libRoadRunner's modules that link Poco
    g = catalog_artifact(wheel_by_prefix("libroadrunner-2.11.0-", "mac", B51))
    assert versions(g, "poco") == {"1.14.2"}
    assert len({e.location for e in evidence(g, "poco")}) >= 2


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "platform", "batches", "version", "also"), [
    ("clang_include_cleaner-22.1.7-", "linux", ("untuned53.json",), "22.1.7", None),
    ("corpus-linux:libclang", "linux", (), "18.1.1", "llvm-mc (based on LLVM 18.1.1)"),
    ("warp_lang-1.19.0-", "mac", ("untuned9.json",), "22.1.8", "LLVM version 22.1.8"),
])
def test_llvm_by_clangs_cc1_banner(prefix: str, platform: str, batches: tuple[str, ...], version: str,
                                   also: str | None) -> None:
    # clang-include-cleaner's version printer stores its pieces from immediates; Clang's own
    # "clang -cc1 version X" (then " based upon LLVM ") is its LLVM's release, as the other texts
    # say where they are kept (libclang, warp's libwarp-clang)
    g = catalog_artifact(wheel_by_prefix(prefix, platform, batches))
    assert versions(g, "llvm") == {version}
    details = {e.detail for e in evidence(g, "llvm")}
    assert f"clang -cc1 version {version}  based upon LLVM" in details
    assert also is None or also in details


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "batches", "platform", "where", "version"), [
    ("python_mbedtls-2.10.1-", ("untuned50.json",), "win", "mbedtls/version.cp312-win_amd64.pyd", "2.28.8"),
    ("corpus:opencv-python", (), "mac", "cv2/.dylibs/libmbedcrypto.3.6.3.dylib", "3.6.3"),
])
def test_mbedtls_by_its_full_version_text(prefix: str, batches: tuple[str, ...], platform: str, where: str,
                                          version: str) -> None:
    # python-mbedtls links Mbed TLS statically into its Windows modules, no names kept:
    # MBEDTLS_VERSION_STRING_FULL, "Mbed TLS 2.28.8", which mbedtls_version_get_string_full()
    # copies; opencv's grafted libmbedcrypto keeps the same text beside its version function
    g = catalog_artifact(wheel_by_prefix(prefix, platform, batches))
    assert version in versions(g, "mbedtls")
    assert any(e.detail == f"Mbed TLS {version}" and e.location == where for e in evidence(g, "mbedtls"))


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["linux", "win"])
def test_nspr_renamed_under_a_vendor_prefix_of_several_parts(platform: str) -> None:
    # rex-tls ships NSS/NSPR with every export renamed rex_nss_3128_*: the Windows DLL keeps only
    # the exports (rex_nss_3128_PR_GetVersion, 'lea "4.39"; ret'), the Linux build its own names too
    g = catalog_artifact(wheel_by_prefix("rex_tls-2.27.0-", platform, ("untuned50.json",)))
    assert versions(g, "nspr") == {"4.39"}
    assert versions(g, "nss") == {"3.128"}


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "batches"), [("geoai_GDAL-3.4.3-", ("untuned54.json",)),
                                                 ("corpus-linux:fiona", ())])
def test_an_unoptimised_at_least_version_check(prefix: str, batches: tuple[str, ...]) -> None:
    # two GDAL stacks graft a libnghttp2 built -O0: nghttp2_version(least) spills its argument,
    # compares it in the frame, returns NULL through 'mov eax, 0; jmp' or the record's address
    g = catalog_artifact(wheel_by_prefix(prefix, "linux", batches))
    assert versions(g, "nghttp2") == {"1.46.0"}
    assert any(e.detail == "nghttp2_version: 0x12e00" for e in evidence(g, "nghttp2"))


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["linux", "win", "mac"])
def test_readers_under_a_tag_glued_onto_every_name(platform: str) -> None:
    # cvista-io (a VTK fork) grafts VTK's vtklibxml2 and vtknetcdf: the table's readers
    # xmlParserVersion (a pointer to "21406") and nc_inq_libvers() under the tag, which some
    # hundred other names of each library carry
    g = catalog_artifact(wheel_by_prefix("cvista_io-9.7.0.5-", platform, ("untuned55.json",)))
    assert versions(g, "libxml2") == {"2.14.6"}
    assert any(e.detail == "vtklibxml2_xmlParserVersion: '21406'" for e in evidence(g, "libxml2"))
    assert versions(g, "netcdf") == {"4.9.3"}
    assert any(e.detail.startswith("vtknetcdf_nc_inq_libvers: '4.9.3 of ") for e in evidence(g, "netcdf"))


@pytest.mark.slow
def test_a_tagged_reader_in_another_vtk_build() -> None:
    # picsl-greedy's VTK 9.3 lz4 dylib carries LZ4's xxHash under VTK's tag:
    # vtklz4_XXH_versionNumber() = 605, the xxHash 0.6.5 that LZ4 1.9.3 bundles
    g = catalog_artifact(wheel_by_prefix("picsl_greedy-1.4.0.3-", "mac", ("untuned48.json",)))
    assert "0.6.5" in versions(g, "xxhash")
    assert any(e.detail == "vtklz4_XXH_versionNumber: 605" for e in evidence(g, "xxhash"))
    assert "1.9.3" in versions(g, "lz4")


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["linux", "mac"])
def test_libnuml_by_its_dotted_and_packed_versions(platform: str) -> None:
    g = catalog_artifact(wheel_by_prefix("python_libsedml-2.0.34-", platform, ("untuned55.json",)))
    assert versions(g, "libnuml") == {"1.1.7"}
    assert versions(g, "libsbml") == {"5.21.1"}


@pytest.mark.slow
def test_another_apis_prefix_is_no_tag() -> None:
    # genomicsdb's TileDB dylib carries htslib: bgzf_compress() is BGZF's, not zlib's compress()
    # under a tag "bgzf_" (htslib's many bgzf_* names are no zlib API); zlib is unproven there
    g = catalog_artifact(wheel_by_prefix("genomicsdb-0.1.6-", "mac", ("untuned39.json",)))
    assert not versions(g, "zlib") - {None}
    assert not any(e.detail.startswith("bgzf_") for e in evidence(g, "zlib"))


@pytest.mark.slow
def test_a_rust_dylib_with_thousands_of_long_version_names_scans_quickly() -> None:
    # phantom-lang's macOS module (Rust with LLVM linked in) names ~2,000 functions whose long
    # mangled names contain "version": each was looked up by copying the symbol tables (8 minutes
    # for one wheel), and the C++ patterns backtracked over names thousands of characters long
    import time

    wheel = wheel_by_prefix("phantom_lang-0.2.0-", "mac", ("untuned55.json",))
    start = time.perf_counter()
    g = catalog_artifact(wheel)
    assert time.perf_counter() - start < 60
    assert versions(g, "llvm") == {"21.1.8"}


@pytest.mark.slow
def test_a_file_with_a_version_of_its_own_keeps_its_name() -> None:
    # faiss-cpu grafts RHEL's libopenblaso-r0.3.15.so, whose package note names its own build
    # (0.3.15-6.el8, upstream 0.3.15): the file keeps its name, OpenBLAS is reported in it besides,
    # as before
    g = catalog_artifact(wheel_by_prefix("corpus-linux:faiss-cpu", "linux", ()))
    assert "0.3.15" in versions(g, "openblas")
    assert versions(g, "libopenblaso-r0.3.15") == {"0.3.15"}
