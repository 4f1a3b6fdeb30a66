"""Native library version ordering: what a user of OpenSSL, zlib or libwebp expects."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from assay.vulndb.versions import native_compare


@pytest.mark.parametrize(("a", "b"), [
    ("1.1.1", "1.1.1a"),      # OpenSSL letter releases come after the bare number
    ("1.1.1a", "1.1.1t"),
    ("1.1.0l", "1.1.1"),
    ("1.1.1t", "3.0.0"),
    ("1.2.2", "1.2.2.2"),     # zlib's four-part versions
    ("1.2.2.2", "1.2.3"),
    ("1.2.11", "1.2.12"),
    ("1.2.9", "1.2.11"),      # numbers, not strings
    ("2.1.5", "2.1.5.1"),
    ("2.1.5.1", "2.1.6"),
    ("2.0.0-rc1", "2.0.0"),   # pre-releases before the release
    ("3.0.7", "3.0.12"),
    ("v1.3.1", "1.3.2"),
])
def test_native_ordering(a: str, b: str) -> None:
    assert native_compare(a, b) == -1
    assert native_compare(b, a) == 1


@pytest.mark.parametrize(("a", "b"), [("1.2", "1.2.0"), ("1.3.2", "v1.3.2"), ("2.10", "2.10.0.0")])
def test_native_equal(a: str, b: str) -> None:
    assert native_compare(a, b) == 0


release = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts)))


@given(release, release)
def test_native_agrees_with_pep440_on_plain_releases(a: str, b: str) -> None:
    expected = (Version(a) > Version(b)) - (Version(a) < Version(b))
    assert native_compare(a, b) == expected


@given(release, release, release)
def test_native_ordering_is_transitive(a: str, b: str, c: str) -> None:
    if native_compare(a, b) <= 0 and native_compare(b, c) <= 0:
        assert native_compare(a, c) <= 0


def test_sorting_native_versions() -> None:
    from assay.vulndb.versions import native_sort_key

    versions = ["2.0.0", "2.0.0rc1", "1.1.1t", "1.1.1", "1.2.2.2", "1.2.12", "1.1.0l"]
    assert sorted(versions, key=native_sort_key) == [
        "1.1.0l", "1.1.1", "1.1.1t", "1.2.2.2", "1.2.12", "2.0.0rc1", "2.0.0"]
