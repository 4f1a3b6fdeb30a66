"""Core metadata: the header reader gives what the email parser gives, on real files and on
generated ones, and a distribution gets the same identity from every input."""

from __future__ import annotations

import email.parser
import email.policy
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.identity.metadata import dist_component, package_component, parse_headers, parse_metadata

_EMAIL = email.parser.HeaderParser(policy=email.policy.compat32)


def _expected(text: str) -> dict[str, list[str]]:
    msg = _EMAIL.parsestr(text)
    out: dict[str, list[str]] = {}
    for k, v in msg.items():
        out.setdefault(k.lower(), []).append(v)
    return out


def test_real_metadata_files_read_as_the_email_parser_reads_them():
    site = Path(sys.prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    files = sorted(site.glob("*.dist-info/METADATA"))
    assert len(files) > 20
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        assert parse_headers(text) == _expected(text), f


_name = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,12}", fullmatch=True)
_value = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c"
                                        "\x1c\x1d\x1e\x85\u2028\u2029"), max_size=30)
_line = st.one_of(
    st.tuples(_name, _value).map(lambda t: f"{t[0]}: {t[1]}"),
    st.tuples(_name, _value).map(lambda t: f"{t[0]}:{t[1]}"),
    _value.map(lambda v: f"        {v}"),  # continuation
    _value.map(lambda v: f"\t{v}"),
    _value.map(lambda v: f":{v}"),  # no field name
    _value.map(lambda v: f"From {v}"),
    _value,  # anything: may end the headers
    st.just(""),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, max_size=12), st.sampled_from(["\n", "\r\n", "\r"]))
def test_generated_headers_read_as_the_email_parser_reads_them(lines, eol):
    text = eol.join(lines) + eol + "Body text: not a header\n"
    assert parse_headers(text) == _expected(text)


def test_the_same_distribution_has_one_identity_from_metadata_and_from_a_lock_line():
    md = parse_metadata("Metadata-Version: 2.1\nName: Zope.Interface\nVersion: 6.4.post2\n")
    a = dist_component(md, location="x", found_by="t")
    b = package_component("zope-interface", "6.4.post2", found_by="lockfile")
    assert (a.id, a.purl, a.cpes) == (b.id, b.purl, b.cpes)
    assert a.purl == "pkg:pypi/zope-interface@6.4.post2"


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, max_size=12))
def test_generated_headers_with_newlines_only_take_the_fast_path_and_agree(lines):
    text = "\n".join(lines) + "\nBody text: not a header\n"
    assert parse_headers(text) == _expected(text)


_addr_chars = st.sampled_from([*"abcXYZ é.-_,;:<>@\"()\\ \t'", "ü", "Ω"])
_email = st.from_regex(r"[a-z]{1,5}@[a-z]{1,5}(\.[a-z]{2})?", fullmatch=True)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(
    st.tuples(st.text(_addr_chars, max_size=12), _email).map(lambda t: f"{t[0]} <{t[1]}>"),
    st.from_regex(r"[a-z]{1,5}@[a-z]{1,5}", fullmatch=True),
    st.text(_addr_chars, max_size=15)), min_size=1, max_size=3))
def test_author_addresses_read_as_the_email_package_reads_them(items):
    import email.utils

    from assay.identity.metadata import _addresses

    field = ", ".join(items)
    assert _addresses(field) == email.utils.getaddresses([field])
