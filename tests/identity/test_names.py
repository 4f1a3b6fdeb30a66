"""purl, CPE and hash names: one spelling for every input."""

from __future__ import annotations

import pytest

from assay.identity import cpe, hashes, purl
from assay.model import Hash


@pytest.mark.parametrize("written", ["zope.interface", "Zope.Interface", "zope-interface", "zope_interface",
                                     "zope__interface", "ZOPE-.INTERFACE"])
def test_every_spelling_of_a_pypi_name_gives_one_purl(written):
    assert purl.pypi_purl(written, "6.4.post2") == "pkg:pypi/zope-interface@6.4.post2"


def test_purl_encoding_follows_the_spec():
    assert purl.pypi_purl("pkg", "1.0+local.1") == "pkg:pypi/pkg@1.0+local.1"
    assert purl.pypi_purl("pkg", None) == "pkg:pypi/pkg"
    assert purl.purl("generic", "openssl", "3.0.2", qualifiers={"arch": "x86_64"}) == \
        "pkg:generic/openssl@3.0.2?arch=x86_64"
    assert purl.distro_purl("deb", "debian", "libssl3", "3.0.15-1~deb12u1", arch="amd64") == \
        "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64"
    assert purl.purl("generic", "a b", "1") == "pkg:generic/a%20b@1"
    assert purl.purl_type("pkg:PyPI/x@1") == "pypi" and purl.purl_type("nope") == ""


def test_cpe_escaping_is_the_formatted_string_binding():
    assert cpe.cpe23("openssl", "openssl", "1.1.1w") == "cpe:2.3:a:openssl:openssl:1.1.1w:*:*:*:*:*:*:*"
    assert cpe.cpe23("x", "y", "1.0+b:2") == "cpe:2.3:a:x:y:1.0\\+b\\:2:*:*:*:*:*:*:*"
    assert cpe.cpe23("x", "y", None).split(":")[5] == "*"
    assert cpe.vendor_product("cpe:2.3:a:python:python:3.9.2:*:*:*:*:*:*:*") == ("python", "python")
    assert cpe.vendor_product("cpe:2.3:a:x:y\\:z:1:*:*:*:*:*:*:*") == ("x", "y\\:z")
    assert cpe.pypi_cpe("requests", "2.31.0") == "cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*"
    assert cpe.pypi_cpe("no-such-project-xyz", "1") is None


@pytest.mark.parametrize(("written", "name"), [
    ("SHA-256", "sha256"), ("SHA256", "sha256"), ("sha-256", "sha256"), ("sha256", "sha256"),
    ("SHA3-256", "sha3_256"), ("SHA3_256", "sha3_256"), ("BLAKE2b-512", "blake2b"),
    ("BLAKE2b-256", "blake2b_256"), ("MD5", "md5"), ("SHA-1", "sha1"), ("ADLER32", "adler32")])
def test_every_spelling_of_an_algorithm_gives_hashlibs_name(written, name):
    assert hashes.normalise(written) == name


def test_hashes_from_pep610_and_lock_files():
    assert hashes.from_mapping({"SHA256": "AB", "md5": "CD"}, "sha256=ff") == (Hash("md5", "cd"),
                                                                              Hash("sha256", "ab"))
    assert hashes.from_mapping(None, "sha256=FF") == (Hash("sha256", "ff"),)
    assert hashes.parse_prefixed("sha256:AA") == Hash("sha256", "aa")
    assert hashes.parse_prefixed("nonsense") is None
    h = Hash("sha256", "a" * 64)
    assert hashes.cdx_alg(h) == "SHA-256" and hashes.spdx_alg(h) == "SHA256"
    assert hashes.cdx_alg(Hash("blake2b", "a" * 128)) == "BLAKE2b-512"
    assert hashes.cdx_alg(Hash("sha256", "nothex")) is None
