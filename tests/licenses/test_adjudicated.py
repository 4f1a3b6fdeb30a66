"""assay against the adjudicated table: real wheels, verdicts from reading their files."""

from __future__ import annotations

import re

import pytest

from .wheels import resolve_wheel, verdicts


def _terms(expr: str | None) -> list[str]:
    """Top-level AND terms, sorted: "B AND A" and "A AND B" are the same answer."""
    if not expr:
        return []
    depth, start, out = 0, 0, []
    for i, ch in enumerate(expr):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and expr.startswith(" AND ", i):
            out.append(expr[start:i])
            start = i + 5
    out.append(expr[start:])
    return sorted(re.sub(r"\s+", " ", t.strip()) for t in out)


# entries without a wheel are verdicts on ScanCode disagreements, used by the bench only
CASES = [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=v["why"]))
         if v.get("known_miss") else name for name, v in sorted(verdicts().items()) if "wheel" in v]


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_verdict(name: str) -> None:
    v = verdicts()[name]
    result = resolve_wheel(name)
    got = result.license.expression if result.license else None
    assert _terms(got) == _terms(v["expression"]), f"{name}: assay {got!r}, verdict {v['expression']!r}"
    if got:  # every id in the answer has evidence saying where it came from
        for lid in re.findall(r"[A-Za-z0-9.+\-]+", got):
            if lid in ("AND", "OR", "WITH"):
                continue
            assert any(lid in e.detail for e in result.evidence), f"{name}: no evidence for {lid}"


def test_table_is_big_enough() -> None:
    tested = [v for v in verdicts().values() if "wheel" in v]
    assert len(tested) >= 40
    assert sum(1 for v in tested if not v.get("known_miss")) >= 40
