"""The fast anchor search reports exactly what ``finditer`` of the anchors' trie regex reports.

The search translates the data so that a few rare "core" bytes all read as one byte, and
checks every candidate against the real bytes; words whose rest is made of core bytes only
(``SDL-`` when ``D``, ``L`` and ``-`` are other words' cores) are found by a literal scan of
their own. Either route must neither lose nor invent a hit; these data are built to hold runs
of core bytes, overlapping words and words cut by a range's end.
"""
from __future__ import annotations

import random

from assay.enrich.bundled import native
from assay.enrich.bundled.binary import LiteralSearch
from assay.enrich.bundled.rules import matcher, trie_regex


def _data(words: list[bytes], seed: int, size: int = 200_000) -> bytes:
    rnd = random.Random(seed)
    alphabet = b"-DLSv2 \x00abcdefgABCDEFGhijklmnop0123456789.=:_"
    parts: list[bytes] = []
    n = 0
    while n < size:
        r = rnd.random()
        if r < 0.05:
            part = rnd.choice(words)
        elif r < 0.10:
            part = bytes([rnd.choice(b"-DL=")]) * rnd.randrange(2, 40)  # runs of core bytes
        elif r < 0.12:
            w = rnd.choice(words)
            part = w[: rnd.randrange(1, len(w))]  # a word cut short
        else:
            part = bytes(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 12)))
        parts.append(part)
        n += len(part)
    return b"".join(parts)


def _expected(words: list[bytes], data: bytes, ranges: list[tuple[int, int]]) -> list[tuple[int, int, bytes]]:
    rx = trie_regex(sorted(words))
    return [(h.start(), h.end(), h.group()) for a, e in ranges for h in rx.finditer(data, a, e)]


def test_the_real_anchor_set_is_found_exactly_with_runs_of_core_bytes() -> None:
    m = matcher()
    words = sorted(set(m.by_anchor) | set(m.markers))
    search = LiteralSearch(tuple(words), tuple(sorted(native._LEADS)))
    assert search.weak, "the real anchors hold words whose rest is only core bytes (this test's point)"
    for seed in range(3):
        data = _data(words, seed)
        ranges = [(0, len(data) // 3), (len(data) // 3 + 7, len(data))]
        got = [(a, e, w) for _s, _e, a, e, w in search.hits(data, ranges)]
        assert got == _expected(words, data, ranges)


def test_a_small_made_up_set_with_a_weak_word() -> None:
    words = [b"SDL-", b"-Jan-", b"-Dec-", b"Lua ", b"$Date:: 20", b"LuaJIT ", b"-rusty", b"DL-x"]
    search = LiteralSearch(tuple(words))
    for seed in range(5):
        data = _data(words, seed, 50_000)
        got = [(a, e, w) for _s, _e, a, e, w in search.hits(data, [(0, len(data))])]
        assert got == _expected(words, data, [(0, len(data))])
        assert any(w == b"SDL-" for _a, _e, w in got)
