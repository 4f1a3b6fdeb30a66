"""Version orderings: PEP 440 through :mod:`packaging`, and one for native libraries.

Native libraries (OpenSSL, zlib, libwebp, …) do not follow PEP 440: OpenSSL has
letter suffixes (``1.1.1t`` > ``1.1.1`` > ``1.1.0l``), zlib has four parts
(``1.2.2.2`` < ``1.2.12``), some projects write ``2.1.5.1``. :func:`native_key`
turns such a string into a tuple that sorts the way the project releases it:

* the version is split into dot/dash/underscore separated parts;
* each part is split into runs of digits and letters, so ``1t`` → (1, "t");
* numbers compare as numbers, letters after a number as a suffix that sorts
  *after* the bare number (OpenSSL: ``1.1.1`` < ``1.1.1a`` < ``1.1.1t``),
  except well-known pre-release words (alpha, beta, rc, pre, dev) which sort
  *before* it (``2.0.0-rc1`` < ``2.0.0``);
* missing trailing parts count as zero (``1.2`` == ``1.2.0``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from packaging.version import InvalidVersion, Version

_SPLIT = re.compile(r"[.\-_+~]")
_RUNS = re.compile(r"\d+|[a-zA-Z]+")
_PRE_WORDS = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3, "dev": -1}
# single letters are pre-release markers only when they start a part ("2.0-b1"); glued
# to a number they are OpenSSL-style suffixes ("1.1.1a" after "1.1.1")
_PRE_LETTERS = {"a": 0, "b": 1, "c": 3}

# An element is (rank, number, text): rank 0 = pre-release word (before release),
# 1 = plain number / end, 2 = letter suffix (after release).
_Elem = tuple[int, int, str]


@lru_cache(maxsize=65536)
def pep440(text: str) -> Version | None:
    """``packaging`` Version, or None when ``text`` is not PEP 440 (never guessed)."""
    try:
        return Version(text)
    except InvalidVersion:
        return None


@lru_cache(maxsize=65536)
def native_key(text: str) -> tuple[_Elem, ...]:
    """A sort key for a native library version string (see the module docstring)."""
    text = text.strip().lower()
    if text.startswith("v") and text[1:2].isdigit():
        text = text[1:]
    out: list[_Elem] = []
    for part in _SPLIT.split(text):
        if not part:
            continue
        runs = _RUNS.findall(part)
        for i, run in enumerate(runs):
            if run.isdigit():
                out.append((1, int(run), ""))
            elif out and run in _PRE_WORDS:
                out.append((0, _PRE_WORDS[run], run))
            elif out and i == 0 and run in _PRE_LETTERS:
                out.append((0, _PRE_LETTERS[run], run))
            else:
                out.append((2, 0, run))
    # trailing zeros do not change a version: 1.2 == 1.2.0
    while out and out[-1] == (1, 0, ""):
        out.pop()
    return tuple(out)


def native_compare(a: str, b: str) -> int:
    """-1, 0 or 1 as native version ``a`` sorts before, equal to or after ``b``."""
    ka, kb = _padded(native_key(a), native_key(b))
    return (ka > kb) - (ka < kb)


def _padded(ka: tuple[_Elem, ...], kb: tuple[_Elem, ...]) -> tuple[tuple[_Elem, ...], tuple[_Elem, ...]]:
    # A missing element is "release end" (1, 0, ""): so 1.1.1 < 1.1.1a (rank 2) and
    # 2.0.0rc1 (rank 0) < 2.0.0.
    n = max(len(ka), len(kb))
    end: _Elem = (1, 0, "")
    return ka + (end,) * (n - len(ka)), kb + (end,) * (n - len(kb))


def native_sort_key(text: str) -> NativeVersion:
    """A key for ``sorted``/``min``/``max`` over native versions (compares with padding, so
    ``2.0.0rc1`` < ``2.0.0`` as :func:`native_compare` says; the raw :func:`native_key`
    tuples must not be compared directly)."""
    return NativeVersion(text)


class NativeVersion:
    """A native library version that supports ``<``/``==`` by :func:`native_compare`."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NativeVersion) and native_compare(self.text, other.text) == 0

    def __lt__(self, other: NativeVersion) -> bool:
        return native_compare(self.text, other.text) < 0

    def __le__(self, other: NativeVersion) -> bool:
        return native_compare(self.text, other.text) <= 0

    def __hash__(self) -> int:
        return hash(native_key(self.text))

    def __repr__(self) -> str:
        return f"NativeVersion({self.text!r})"
