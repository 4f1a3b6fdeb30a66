"""Rules written against the misses of the hold-out batch untuned36 (after its one measurement),
each checked on a second binary."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.rules import openssl_number

from .native_components import native, wheel_by_prefix


def test_openssl_version_numbers() -> None:
    assert openssl_number(0x1010115F) == "1.1.1u"
    assert openssl_number(0x101010BF) == "1.1.1k"
    assert openssl_number(0x1000214F) == "1.0.2t"
    assert openssl_number(0x30600030) == "3.6.3"
    # BoringSSL and AWS-LC answer with a fixed 0x1010107f, LibreSSL with 0x20000000; a beta or
    # development number (status nibble not 0xf) is no release either
    assert openssl_number(0x1010107F) is None
    assert openssl_number(0x1010007F) is None  # older BoringSSL (TensorFlow's, in the corpus)
    assert openssl_number(0x20000000) is None
    assert openssl_number(0x10101150) is None


@pytest.mark.slow
def test_openssl_version_num_of_a_vendored_libcrypto() -> None:
    # pysqlx-core's Rust extension links openssl-src's OpenSSL 1.1.1u in, local symbols only and
    # no "OpenSSL 1.1.1u" text: OpenSSL_version_num() returns 0x1010115f (x86-64 and arm64)
    for platform in ("linux", "mac"):
        g = catalog_artifact(wheel_by_prefix("pysqlx_core-", platform, ("untuned36.json",)))
        assert {c.version for c in native(g) if c.name == "openssl"} == {"1.1.1u"}, platform


@pytest.mark.slow
def test_boringssl_number_is_no_openssl_release() -> None:
    # TensorFlow's GCS filesystem plugin links an older BoringSSL, whose OpenSSL_version_num()
    # answers 0x1010007f: BoringSSL, with no OpenSSL version (the corpus rescan showed 1.1.0g)
    g = catalog_artifact(wheel_by_prefix("corpus-linux:tensorflow-io-gcs-filesystem", "linux", ()))
    assert {c.version for c in native(g) if c.name == "openssl"} == set()
    assert {c.version for c in native(g) if c.name == "boringssl"} == {None}
