"""Rules written against the misses and the wrong version of the fifteenth untuned batch (Linux,
``untuned15.json``), each checked on a second real binary from another project (or said otherwise)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# second binaries from PyPI: Linux wheels of other projects
OTHER = {
    "openbabel_wheel-3.1.1.23-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl":
        "39340af4da11cafabb95542fd110e7ff120e3af085e4e48aa2b8e69cc49b807b",
    "pyhdf-0.11.7-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl":
        "610fd02cd7e5535d932dcd301f2bdf51292a78494691cb4156bfbbc0354f5ed2",
}


def _wheel(prefix: str) -> Path:
    """A Linux wheel of untuned15 or untuned12, of the corpus plan (``corpus-linux:<project>``) or of
    OTHER, by name prefix."""
    return wheel_by_prefix(prefix, "linux", ("untuned15.json", "untuned12.json"), OTHER)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_an_old_libjpeg_turbo_is_not_reported_as_ijg_libjpeg_6b() -> None:
    # CentOS 7's libjpeg.so.62.1.0 (libjpeg-turbo 1.2.90, grafted into pdftopng) keeps IJG's
    # JVERSION '6b  27-Mar-1998' for the API it emulates and states no release of its own: it was
    # reported as IJG libjpeg 6b. Its copyright names the authors of libjpeg-turbo's SIMD code
    # (MIYASAKA Masaru), which no IJG release does: libjpeg-turbo, version unknown
    pdf = _graph("pdftopng-")
    assert not _versions(pdf, "libjpeg"), _versions(pdf, "libjpeg")
    assert _versions(pdf, "libjpeg-turbo") == {None}
    assert any(e.kind == "marker" and "MIYASAKA" in e.detail for e in _evidence(pdf, "libjpeg-turbo"))
    # no other wheel at hand grafts a libjpeg-turbo that old (the corpus and every batch were
    # searched for the copyright line); the marker that now also shadows a versioned IJG text is
    # checked on RHEL 8's libjpeg-turbo 1.5.3 in pyhdf: its release, no 6b beside it
    hdf = _graph("pyhdf-")
    assert _versions(hdf, "libjpeg-turbo") == {"1.5.3"}
    assert not _versions(hdf, "libjpeg"), _versions(hdf, "libjpeg")


@pytest.mark.slow
def test_freetype_sonames_of_the_2_7_and_2_8_releases() -> None:
    # libfreetype.so.6.14.0 is FreeType 2.8 (docs/VERSIONS.TXT); CentOS 7's copy, whose
    # FT_Library_Version() reads the library object, states it nowhere else: pdftopng and
    # openbabel_wheel graft it (it was found without a version in both); openbabel_wheel's auditwheel
    # SBOM agrees (freetype 2.8-14.el7_9.1, reported apart as '2.8')
    assert _versions(_graph("pdftopng-"), "freetype") == {"2.8.0"}
    ob = _graph("openbabel_wheel-")
    assert "2.8.0" in _versions(ob, "freetype")
    assert any(e.kind == "soname" and "release 2.8.0" in e.detail for e in _evidence(ob, "freetype"))
    assert any("2.8-14.el7_9.1" in e.detail for e in _evidence(ob, "freetype"))


@pytest.mark.slow
def test_libbson_is_named_by_its_file_and_versioned_by_its_function() -> None:
    # pymongoarrow's libbson2.so.2 (mongo-c-driver 2.x's file name) was named 'libbson2';
    # bson_get_version() gives 2.0.1. libbson in the table names libbson-1.0.so.0 and libbson2.so.2
    # alike. No second wheel at hand grafts libbson as its own file (arcticdb's static copy is
    # named by its vcpkg port in test_evidence)
    assert _versions(_graph("pymongoarrow-"), "libbson") == {"2.0.1"}
    assert not _versions(_graph("pymongoarrow-"), "libbson2")


@pytest.mark.slow
def test_a_static_openssl_3_without_its_banner_by_its_provider_version_parameter() -> None:
    # Geode-Solutions' libraries link OpenSSL 3.5.5 statically and the linker kept no
    # 'OpenSSL 3.5.5 27 Jan 2026' banner; the provider core's 'openssl-version' parameter gives
    # OPENSSL_VERSION_STR (read where the code loads it after the key, untuned16's reader, which
    # covers these ELF files too). geode-explicit and geode-background are two PyPI projects
    for prefix in ("geode_explicit-", "geode_background-"):
        g = _graph(prefix)
        assert _versions(g, "openssl") == {"3.5.5"}, prefix
        assert any("openssl-version" in e.detail for e in _evidence(g, "openssl")), prefix


@pytest.mark.slow
def test_libcurl_by_its_dict_protocol_greeting() -> None:
    # "CLIENT libcurl 7.83.1\r\n" (lib/dict.c) is libcurl's own code: awslambdaric links
    # libcurl statically with its symbols hidden and no 'libcurl/7.83.1' text
    assert _versions(_graph("awslambdaric-"), "curl") == {"7.83.1"}
    # memray's grafted libcurl 8.7.1 (corpus) has the greeting as its only version text
    memray = _graph("corpus-linux:memray")
    assert _versions(memray, "curl") == {"8.7.1"}
    assert any("CLIENT libcurl 8.7.1" in e.detail for e in _evidence(memray, "curl"))
    # zhinst-core's static libcurl (untuned12, conan build, symbols hidden): 8.6.0, which
    # untuned12's truth had listed as present without a version until this reader showed the text
    assert _versions(_graph("zhinst_core-"), "curl") == {"8.6.0"}
