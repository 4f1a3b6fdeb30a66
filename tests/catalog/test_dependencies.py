"""Requires-Dist parsing done lazily gives packaging's answer exactly."""

from __future__ import annotations

import sys
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement

from assay.catalog.dependencies import _Req
from assay.identity import pep508
from assay.identity.metadata import parse_metadata


def _real_requirements() -> list[str]:
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    roots = [Path(sys.prefix) / "lib" / version / "site-packages"]
    out: list[str] = []
    for root in roots:
        for f in sorted(root.glob("*.dist-info/METADATA")):
            out.extend(parse_metadata(f.read_text(encoding="utf-8", errors="replace")).requires_dist)
    return out


CRAFTED = [
    'a>=1; extra == "x"', "b (>=1.0) ; python_version < '3.8'", "c[sec,dev]==2.*;sys_platform=='win32'",
    'd @ https://example.invalid/d.whl ; extra == "y"', "e", "f;", ";g", "h>=1; extra ==",
    'i~=1.4; extra == "Socks_Proxy" or extra == "other"', "j>=1,<2 ;python_full_version>='3.9.1'",
]


def test_lazy_parse_equals_packaging_on_real_and_crafted_requirements():
    texts = _real_requirements() + CRAFTED
    assert len(texts) > 200
    for text in texts:
        try:
            want = Requirement(text)
        except InvalidRequirement:
            try:
                _Req(text).get()
            except pep508.InvalidRequirement:
                continue
            raise AssertionError(f"{text!r} parsed lazily but packaging refuses it") from None
        got = _Req(text).get()
        assert (got.name, got.url, got.extras, str(got.specifier), str(got)) == \
            (want.name, want.url, want.extras, str(want.specifier), str(want)), text
        assert str(_Req(text).marker) == str(want.marker), text
