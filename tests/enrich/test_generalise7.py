"""The rules written against the misses of the seventh untuned batch (bench/bundled/untuned7.json,
Linux and Windows wheels beyond the corpus), each checked on a second binary where one was found
(the others say so)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.evidence import version_from_text
from assay.enrich.bundled.rules import file_key
from assay.model import Graph
from pypi import pypi_file

from .native_components import evidence as _evidence
from .native_components import native as _native
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries, from PyPI (wheels of the batch's projects for another platform, or a wheel the
# batch's walk passed over)
OTHER = {
    "rawpy-0.28.0-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl":
        "68f3f4a74973f0d27d15531653b0be8e4f3ec220225a5baace6de353163ff4a2",
    "dukpy-0.6.0-cp312-cp312-macosx_11_0_arm64.whl":
        "9184105b2fd1cf17d4842611cf8aee88649c4105c58dfe7f8e0d5519034e8e9e",
    "vosk-0.3.45-py3-none-win_amd64.whl":
        "6994ddc68556c7e5730c3b6f6bad13320e3519b13ce3ed2aa25a86724e7c10ac",
    "fitsio-1.4.2-cp312-cp312-manylinux_2_28_x86_64.whl":
        "430932e6f684fb5e669c1b6e4d4164c52a055eb04af1a18dfa086f343491f9a2",
}


def _wheel(prefix: str, platform: str = "linux") -> Path:
    """A wheel of untuned7, of the corpus plan (``corpus:<project>``) or of OTHER, by name prefix."""
    return wheel_by_prefix(prefix, platform, ("untuned7.json",), OTHER)


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(_wheel(prefix, platform))





@pytest.mark.parametrize(("text", "version"), [
    ("0.22.2-Release", "0.22.2"), ("krb5-1.18.2-final", "1.18.2"),
    ("0.22.2-Beta1", None), ("1.2.3-Releases", None), ("2.0.0-rc1", "2.0.0-rc1"),
])
def test_a_release_word_after_the_version_is_the_release(text: str, version: str | None) -> None:
    assert version_from_text(text) == version


@pytest.mark.parametrize(("name", "key"), [
    # auditwheel puts its hash before the first dot of the SONAME: libldap-2.4.so.2 -> libldap-2-<hash>.4.so
    ("libldap-2-cea2a960.4.so.2.10.9", "ldap-2.4"), ("libldap-2.4.so.2.10.9", "ldap-2.4"),
    ("libelf-0-61754c0b.191.so", "elf-0.191"), ("libz-eb09ad1d.so.1.2.3", "z"),
    # a MinGW DLL's ABI number after a dash is no part of its name
    ("flint-23.dll", "flint"), ("libmpc-3.dll", "mpc"), ("libwinpthread-1.dll", "winpthread"),
    ("libpcre2-8-516f4c9d.so.0.7.1", "pcre2-8"),
])
def test_file_keys_without_repair_hashes_and_dll_abi_numbers(name: str, key: str) -> None:
    assert file_key(name) == key


@pytest.mark.slow
def test_libraw_states_its_release_with_a_word() -> None:
    # libraw_version() = "0.22.2-Release": on Windows behind an MSVC jump thunk (raw_r.dll), on
    # Linux as the C++ LibRaw::version() (libraw_r.so)
    win = _graph("rawpy-", "win")
    assert _versions(win, "libraw") == {"0.22.2"}
    assert any(e.kind == "version-function" and "0.22.2-Release" in e.detail
               for e in _evidence(win, "libraw"))
    assert _versions(_graph("rawpy-0.28.0-cp312-cp312-manylinux"), "libraw") == {"0.22.2"}


@pytest.mark.slow
def test_libjpeg_turbo_emulating_the_ijg_api_is_no_ijg_libjpeg() -> None:
    # "...The libjpeg-turbo Project and many others\0" then "8d  15-Jan-2012": the jpeg8 API that
    # libjpeg-turbo emulates. raw_r.dll states no libjpeg-turbo version; rawpy's Linux libjpeg.so does
    win = _graph("rawpy-", "win")
    assert _versions(win, "libjpeg") == set()
    assert _versions(win, "libjpeg-turbo") == {None}
    linux = _graph("rawpy-0.28.0-cp312-cp312-manylinux")
    assert _versions(linux, "libjpeg-turbo") == {"3.1.3"}
    assert _versions(linux, "libjpeg") == set()


@pytest.mark.slow
def test_mpir_is_not_gmp() -> None:
    # MPIR's DLLs define __gmp_version = "6.0.0", the GMP interface MPIR 3.0.0 follows; its loader
    # mpir.dll defines GMP's names too. (One wheel: chiavdf's nine MPIR builds; no second project
    # shipping MPIR was found.)
    chiavdf = _graph("chiavdf-", "win")
    assert "3.0.0" in _versions(chiavdf, "mpir")
    assert _versions(chiavdf, "gmp") == set()
    # GMP itself is still GMP (symengine's libgmp-10.dll)
    assert _versions(_graph("symengine-", "win"), "gmp") == {"6.3.0"}


@pytest.mark.slow
def test_mingw_dlls_are_named_without_their_abi_number() -> None:
    symengine = _graph("symengine-", "win")
    assert _versions(symengine, "flint") == {"3.5.0"}
    assert _versions(symengine, "libmpc") == {"1.4.0"}
    # winpthreads' VERSIONINFO is 1,0,0,0 in every mingw-w64 release: no version
    assert _versions(symengine, "libwinpthread") == {None}
    vosk = _graph("vosk-", "win")
    assert _versions(vosk, "libwinpthread") == {None}
    assert not any(c.name.endswith("-1") for c in _native(vosk))


@pytest.mark.slow
def test_auditwheel_names_with_an_inner_hash_keep_their_debug_link() -> None:
    # liblber-2-d20824ef.4.so.2.10.9 is liblber-2.4.so.2.10.9 of its RHEL debug link: OpenLDAP
    # 2.4.46, RHEL's build of it in the purl
    eckit = _graph("eckitlib-")
    assert _versions(eckit, "openldap") == {"2.4.46"}
    ldap = next(c for c in _native(eckit) if c.name == "openldap")
    assert ldap.purl == "pkg:rpm/redhat/openldap@2.4.46-21.el8_10"
    assert any(e.kind == "debuglink" and e.detail.startswith("libldap-2.4.so") for e in ldap.evidence)
    # memray's elfutils: libelf-0-61754c0b.191.so is libelf-0.191.so, named libelf (the release in
    # a file name proves nothing and is no part of the name), not after the hash
    names = {c.name for c in _native(_graph("corpus:memray"))}
    assert "libelf" in names and not any("61754c0b" in n or n.endswith(".191") for n in names)


@pytest.mark.slow
def test_a_version_stored_through_an_array_beats_a_suites_package() -> None:
    # cholmod_version(int v[3]) stores 3, 0, 6 (two at a time: movq $3, (%rdi)); its RHEL debug link
    # names the SuiteSparse 4.4.6 package that built it: CHOLMOD is 3.0.6. SuiteSparse_version()
    # (movabs, then mov [rdi], rax) agrees with its package: SuiteSparse 4.4.6
    cvxopt = _graph("cvxopt-")
    assert _versions(cvxopt, "libcholmod") == {"3.0.6"}
    assert any(e.kind == "version-function" and "stores in its array 3, 0, 6" in e.detail
               for e in _evidence(cvxopt, "libcholmod"))
    assert _versions(cvxopt, "suitesparse") == {"4.4.6"}
    assert any(e.kind == "version-function" and "SuiteSparse_version" in e.detail
               for e in _evidence(cvxopt, "suitesparse"))


@pytest.mark.slow
def test_xxhash_version_number() -> None:
    # XXH_versionNumber() = major*10000 + minor*100 + release: pglast's static copy (800) and
    # python-xxhash's (804)
    assert _versions(_graph("pglast-"), "xxhash") == {"0.8.0"}
    assert _versions(_graph("corpus:xxhash"), "xxhash") == {"0.8.4"}


@pytest.mark.slow
def test_quickjs_ng_version_function() -> None:
    # JS_GetVersion() exists only in QuickJS-ng: dukpy's extension on x86-64 Linux and arm64 macOS
    assert _versions(_graph("dukpy-"), "quickjs-ng") == {"0.11.0"}
    assert _versions(_graph("dukpy-0.6.0-cp312-cp312-macosx"), "quickjs-ng") == {"0.11.0"}


@pytest.mark.slow
def test_llvm_version_banner() -> None:
    # "LLVM version 16.0.6": LLVM compiled into symengine's extension; llvmlite's DLL (LLVM 22.1.0)
    symengine = _graph("symengine-", "win")
    assert _versions(symengine, "llvm") == {"16.0.6"}
    assert _versions(_graph("corpus:llvmlite", "win"), "llvm") == {"22.1.0"}
    # "LLVM version 23.0.0git" (NVIDIA's tileiras.exe) is a snapshot of main before 23.0.0: as written
    tileiras = catalog_artifact(pypi_file(
        "nvidia_cuda_tileiras-13.5.37-py3-none-win_amd64.whl",
        "fc7fa9d276e5fab1f754201aaa4c5e77edc97d1aebaca2e8fdd8a38b7bff097b"))
    assert _versions(tileiras, "llvm") == {"23.0.0git"}


@pytest.mark.slow
def test_a_tag_archive_word_is_no_part_of_the_name() -> None:
    # .../jasper-version-4.2.5/src/libjasper/...: JasPer 4.2.5's sources (GitHub's archive of the tag
    # version-4.2.5), the file's own library (one binary: rawpy's Linux libjasper)
    rawpy = _graph("rawpy-0.28.0-cp312-cp312-manylinux")
    assert not any(c.name.startswith("jasper-version") for c in _native(rawpy))
    assert _versions(rawpy, "libjasper") == {"4.2.5"}


@pytest.mark.slow
def test_an_embedded_sboms_distribution_build_is_upstream() -> None:
    # auditwheel's SBOM names the CentOS 7 packages memray's grafted libraries came from; where the
    # bytes prove no version, the SBOM's build 2.5-15.el7 is upstream 2.5 (the build in the purl),
    # as for the builds the bytes name
    memray = _graph("corpus:memray")
    selinux = [c for c in _native(memray) if c.name == "libselinux"]
    assert [(c.version, c.purl) for c in selinux] == [("2.5", "pkg:rpm/centos/libselinux@2.5-15.el7")]
    kinds = {e.kind for e in selinux[0].evidence}
    assert {"pep770-sbom", "distro-release"} <= kinds


@pytest.mark.slow
def test_cfitsio_float_version() -> None:
    # ffvers() returns 4.0603 (major + minor/100 + micro/10000): healpy's grafted libcfitsio (-O2,
    # the constant stored through the out-parameter) and fitsio's static copy (-O0, 4.0604; its
    # build path says cfitsio-4.6.4)
    assert _versions(_graph("healpy-"), "cfitsio") == {"4.6.3"}
    assert _versions(_graph("fitsio-"), "cfitsio") == {"4.6.4"}


@pytest.mark.slow
def test_a_version_text_written_from_immediates() -> None:
    # MinGW compiles OpenBLAS's strcpy of its config string into 8-byte immediates ("OpenBLAS",
    # " 0.3.10 ", "DYNAMIC_" ... stored in order); no such text is in the DLL's data: qiskit-aer's
    # libopenblas.dll and scipy's libscipy_openblas (0.3.31.dev, read as the table reads that notation)
    qiskit = _graph("qiskit_aer-", "win")
    assert _versions(qiskit, "openblas") == {"0.3.10"}
    assert any("written from immediates: OpenBLAS 0.3.10" in e.detail for e in _evidence(qiskit, "openblas"))
    assert _versions(_graph("corpus:scipy", "win"), "openblas") == {"0.3.31"}
