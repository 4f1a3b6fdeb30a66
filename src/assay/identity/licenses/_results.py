"""What the license matcher finds in a text: the values the matcher makes and its caches keep."""

from __future__ import annotations

from dataclasses import dataclass

MAX_TEXT = 512 * 1024  # bytes; a larger "license file" is not matched (and is reported as such)


@dataclass(frozen=True, slots=True)
class Hit:
    """One template found in a text."""

    key: str  # an SPDX license id, "ID#header" (its standard notice) or "exception:ID"
    start: int
    end: int
    alternatives: tuple[str, ...] = ()  # other keys matching exactly the same span

    @property
    def license_id(self) -> str:
        return self.key.split("#", 1)[0].removeprefix("exception:")

    @property
    def is_header(self) -> bool:
        return self.key.endswith("#header")

    @property
    def is_exception(self) -> bool:
        return self.key.startswith("exception:")


@dataclass(frozen=True, slots=True)
class TextMatch:
    """What one text was found to contain."""

    hits: tuple[Hit, ...]
    words: int  # words in the text
    other_words: int  # words outside the matches, titles and copyright lines
    terms_left: bool  # the other words read like license terms (grants, conditions)
    closest: tuple[str, float] | None = None  # when nothing matched: best prefilter score
    tags: tuple[str, ...] = ()  # SPDX-License-Identifier expressions found in the text
    note: str = ""  # why a text was not matched (too large, binary)
    relaxed: bool = False  # matched only with a replaceable part worded outside SPDX's pattern

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(h.license_id for h in self.hits if not h.is_exception)

    @property
    def exact(self) -> bool:
        return bool(self.hits) and self.other_words == 0
