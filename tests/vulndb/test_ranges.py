"""OSV ECOSYSTEM range semantics against packaging.specifiers; NVD bounds.

For final releases an OSV range {introduced A, fixed B} must agree with the specifier
``>=A,<B``. With pre/post/dev releases the specifier has PEP 440's extra exclusions
(``<B`` rejects B's own pre-releases) that OSV does not have: there OSV follows the
plain PEP 440 order, which is what those properties compare with.
"""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from assay.vulndb.ranges import CpeRange, osv_affected, sort_events

parts = st.integers(min_value=0, max_value=12)
release = st.builds(lambda a, b, c: f"{a}.{b}.{c}", parts, parts, parts)
version = st.builds(
    lambda a, b, c, pre, post, dev: f"{a}.{b}.{c}{pre}{post}{dev}",
    parts, parts, parts,
    st.sampled_from(["", "", "", "a1", "b2", "rc1"]),
    st.sampled_from(["", "", "", ".post1"]),
    st.sampled_from(["", "", "", ".dev0"]),
)


def spec_contains(spec: str, v: str) -> bool:
    return SpecifierSet(spec).contains(Version(v), prereleases=True)


@given(release, release, release)
def test_introduced_fixed_matches_specifier(lo: str, hi: str, v: str) -> None:
    assume(Version(lo) <= Version(hi))
    events = sort_events([("introduced", lo), ("fixed", hi)])
    assert osv_affected(Version(v), events) == spec_contains(f">={lo},<{hi}", v)


@given(release, release)
def test_introduced_zero_fixed_matches_specifier(hi: str, v: str) -> None:
    events = sort_events([("introduced", "0"), ("fixed", hi)])
    assert osv_affected(Version(v), events) == spec_contains(f"<{hi}", v)


@given(release, release, release)
def test_last_affected_matches_inclusive_specifier(lo: str, last: str, v: str) -> None:
    assume(Version(lo) <= Version(last))
    events = sort_events([("introduced", lo), ("last_affected", last)])
    assert osv_affected(Version(v), events) == spec_contains(f">={lo},<={last}", v)


@given(release, release)
def test_introduced_without_end_matches_specifier(lo: str, v: str) -> None:
    assert osv_affected(Version(v), sort_events([("introduced", lo)])) == spec_contains(f">={lo}", v)


@given(version, version, version)
def test_pre_and_post_releases_follow_pep440_order(lo: str, hi: str, v: str) -> None:
    assume(Version(lo) <= Version(hi))
    events = sort_events([("introduced", lo), ("fixed", hi)])
    assert osv_affected(Version(v), events) == (Version(lo) <= Version(v) < Version(hi))


@given(st.lists(version, min_size=4, max_size=4, unique_by=Version), version)
def test_two_intervals_in_one_range_any_event_order(bounds: list[str], v: str) -> None:
    a, b, c, d = sorted(bounds, key=Version)
    events = sort_events([("fixed", d), ("introduced", c), ("fixed", b), ("introduced", a)])
    pv = Version(v)
    assert osv_affected(pv, events) == (Version(a) <= pv < Version(b) or Version(c) <= pv < Version(d))


def test_limit_caps_the_range() -> None:
    events = sort_events([("introduced", "1.0"), ("limit", "2.0")])
    assert osv_affected(Version("1.5"), events)
    assert not osv_affected(Version("2.0"), events)


def test_nvd_bounds() -> None:
    zlib = CpeRange("zlib", "zlib", start_incl="1.2.2.2", end_excl="1.2.12")
    assert [zlib.contains(v) for v in ("1.2.2", "1.2.2.2", "1.2.11", "1.2.12")] == [False, True, True, False]
    turbo = CpeRange("libjpeg-turbo", "libjpeg-turbo", start_excl="1.5.3", end_incl="2.0.90")
    assert [turbo.contains(v) for v in ("1.5.3", "1.5.4", "2.0.90", "2.0.91")] == [False, True, True, False]
    exact = CpeRange("xmlsoft", "libxml2", exact="2.11.0")
    assert exact.contains("2.11.0") and not exact.contains("2.11.1")
    ossl = CpeRange("openssl", "openssl", start_incl="1.1.1", end_excl="1.1.1l")
    assert [ossl.contains(v) for v in ("1.1.0l", "1.1.1", "1.1.1k", "1.1.1l", "1.1.1t")] == \
        [False, True, True, False, False]
