r"""The normalisation license texts and SPDX templates share, and the words matching sees.

The SPDX matching guidelines say what differences never matter: case, white space,
punctuation and markup around words, quote and dash styles, bullets and numbering,
equivalent spellings ("licence"/"license"), ``http``/``https``, the copyright symbol, and
the copyright notice itself. Templates are compiled into *programs* that apply those rules
when the data is built (:mod:`assay.identity.licenses._compile`); this module normalises
text the same way, for the builder and for the matcher at run time:

- input and template text: NFKC, lower case, quotes and dashes folded, ``©`` → ``(c)``,
  hyphenated compounds joined ("non-infringement" = "noninfringement"), white space
  collapsed (a newline kept where there was one); then compared as words
  (``[^\W_]+``, equivalent spellings mapped to one), so punctuation and markup between
  words never matter;
- list markers in the text ("1.", "(a)", "iv)" opening a line) are found here
  (:func:`bullet_flags`): matching skips them where a template has none.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from itertools import accumulate, pairwise

# Spellings the SPDX guidelines treat as the same word (US/UK, hyphenation, http/https).
# Written here from the guideline's rule, not copied from its list; each group is one word.
_EQUIVALENT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("license", "licence"), ("licenses", "licences"), ("licensed", "licenced"),
    ("licensing", "licencing"), ("licensor", "licencor"), ("licensee", "licencee"),
    ("sublicense", "sublicence"), ("acknowledgment", "acknowledgement"),
    ("acknowledgments", "acknowledgements"), ("analyze", "analyse"), ("artifact", "artefact"),
    ("authorization", "authorisation"), ("authorized", "authorised"), ("canceled", "cancelled"),
    ("catalog", "catalogue"), ("center", "centre"), ("favor", "favour"), ("fulfill", "fulfil"),
    ("fulfillment", "fulfilment"), ("initialize", "initialise"), ("judgment", "judgement"),
    ("labeling", "labelling"), ("labor", "labour"), ("maximize", "maximise"),
    ("modeled", "modelled"), ("modeling", "modelling"), ("offense", "offence"),
    ("optimize", "optimise"), ("organization", "organisation"), ("organize", "organise"),
    ("practice", "practise"), ("program", "programme"), ("realize", "realise"),
    ("recognize", "recognise"), ("signaling", "signalling"), ("utilization", "utilisation"),
    ("while", "whilst"), ("willful", "wilful"), ("noncommercial", "non-commercial"),
    ("percent", "per cent"), ("copyright", "copyrights"), ("http", "https"),
    ("merchantability", "merchantibility"),
)
EQUIVALENTS: dict[str, tuple[str, ...]] = {}
for _group in _EQUIVALENT_GROUPS:
    for _w in _group:
        EQUIVALENTS[_w] = _group
# The canonical form of a word for the prefilter (first of its group).
CANONICAL: dict[str, str] = {w: g[0] for g in _EQUIVALENT_GROUPS for w in g if " " not in w
                             and "-" not in w}
_VARIANTS = frozenset(w for w, c in CANONICAL.items() if w != c)

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": "'", "\u201d": "'", "\u201e": "'", "\u201f": "'", "\u00ab": "'",
    "\u00bb": "'", '"': "'", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00a9": "(c)", "\u24b8": "(c)", "\u24d2": "(c)",
    "\u00a0": " ", "\u200b": "",
})
_FOLD_RX = re.compile("[" + re.escape("".join(chr(c) for c in _FOLD)) + "]")
_WS = re.compile(r"[\t\r\f\v][ \t\r\f\v]*| [ \t\r\f\v]+")  # runs other than one space
_NL = re.compile(r"\n{2,}")
# white space that str.split() splits on besides [ \t\n\r\f\v] (what is left of it after NFKC)
_ODD_SPACE = "\x1c\x1d\x1e\x1f\x85\u1680\u2028\u2029"
WORD = re.compile(r"[^\W_]+")
_SPLIT = re.compile(r"([^\W_]+)")
_ASCII_SPLIT = re.compile(r"([a-z0-9]+)")  # WORD on lower-case ASCII text, several times faster


def _fold(m: re.Match[str]) -> str:
    return _FOLD[ord(m.group())]  # type: ignore[return-value]


def _letter(c: str) -> bool:
    """``[^\\W\\d_]`` for one character (re's \\w is isalnum or "_", its \\d isdecimal)."""
    return c.isalnum() and not c.isdecimal()


def _join_compounds(text: str) -> str:
    """Drop a hyphen between two letters when the word before it is letters only
    ("non-infringement" = "noninfringement", "x86-64" and "utf-8" unchanged)."""
    parts = text.split("-")
    out = [parts[0]]
    for prev, nxt in pairwise(parts):
        join = bool(nxt) and _letter(nxt[0])
        if join:
            k = len(prev) - 1
            while k >= 0 and (prev[k].isalnum() or prev[k] == "_"):
                if not _letter(prev[k]):
                    join = False
                    break
                k -= 1
            join = join and k < len(prev) - 1
        if not join:
            out.append("-")
        out.append(nxt)
    return "".join(out)


def normalize(text: str) -> str:
    """Input text as the templates are matched against it (lines kept, spacing collapsed)."""
    if text.isascii():  # NFKC leaves ASCII alone; of the folds only the quotes apply
        if '"' in text:
            text = text.replace('"', "'")
        if "`" in text:
            text = text.replace("`", "'")
        text = text.lower()
    else:
        text = _FOLD_RX.sub(_fold, unicodedata.normalize("NFKC", text)).lower()
    if "-" in text:
        text = _join_compounds(text)  # "non-infringement" = "noninfringement"
    if not any(c in text for c in _ODD_SPACE):  # str.split's white space is then [ \t\r\f\v]
        return "\n".join(filter(None, map(" ".join, map(str.split, text.split("\n")))))
    text = _WS.sub(" ", text)
    if "\n " in text or " \n" in text:
        text = text.replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n" in text:
        text = _NL.sub("\n", text)
    return text.strip()


def words(text: str) -> list[str]:
    """The words of normalised text as the matcher sees them (see :func:`tokens`)."""
    return tokens(text)[0]


SHINGLE = 3


def shingles(ws: list[str]) -> set[tuple[str, str, str]]:
    return set(zip(ws, ws[1:], ws[2:], strict=False))


# -- templates -------------------------------------------------------------------------
_BULLET = re.compile(r"[^\w\n]*(\d{1,2}|[a-z]|[ivx]{2,5})[.)]")  # at the start of a line
_BULLET_NL = re.compile(r"\n[^\w\n]*(\d{1,2}|[a-z]|[ivx]{2,5})[.)]")


def split_words(norm: str) -> tuple[list[str], list[str], list[int]]:
    """Words of normalised text: (canonical spelling, as written, ``cum``) where word ``i``
    spans ``cum[2 * i]`` to ``cum[2 * i + 1]`` in the text."""
    parts = (_ASCII_SPLIT if norm.isascii() else _SPLIT).split(norm)  # sep, word, sep, ..., sep
    written = parts[1::2]
    ws = written
    if not _VARIANTS.isdisjoint(written):
        canon = CANONICAL
        ws = [canon.get(w, w) for w in written]
    return ws, written, list(accumulate(map(len, parts)))


def bullet_flags(norm: str, cum: list[int], n: int) -> list[bool]:
    """Per word: is it a list marker ("1." or "(a)" opening a line)?"""
    bullets = [False] * n
    found = [m for m in (_BULLET.match(norm),) if m]
    if "\n" in norm:
        found += _BULLET_NL.finditer(norm)
    for m in found:
        pos = m.start(1)
        k = bisect_left(cum, pos)
        if k < len(cum) and k % 2 == 0 and cum[k] == pos and k // 2 < n:
            bullets[k // 2] = True
    return bullets


# every ASCII character but [a-z0-9] and the line break to a space: str.split() then gives
# the words of lower-case ASCII text, line by line
_ASCII_BLANKS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum() and c != "\n"})


def line_words(norm: str) -> tuple[list[str], list[list[str]]]:
    """The lines of normalised text and the words of each, as written (:data:`WORD`)."""
    lines = norm.split("\n")
    if norm.isascii():
        return lines, list(map(str.split, norm.translate(_ASCII_BLANKS).split("\n")))
    return lines, list(map(WORD.findall, lines))


def bullet_lines(norm: str, line_starts: list[int]) -> list[int]:
    """The lines that open with a list marker ("1.", "(a)", "iv)"): its first word is the marker."""
    found = [m for m in (_BULLET.match(norm),) if m]
    if "\n" in norm:
        found += _BULLET_NL.finditer(norm)
    return [bisect_right(line_starts, m.start(1)) - 1 for m in found]


def canonical(written: list[str]) -> list[str]:
    """Words in their canonical spelling ("licence" → "license"); the same list when none differs."""
    if _VARIANTS.isdisjoint(written):
        return written
    canon = CANONICAL
    return [canon.get(w, w) for w in written]


def tokens(norm: str) -> tuple[list[str], list[int], list[int], list[bool]]:
    """Words of normalised text (canonical spelling), their character spans, and whether each
    is a list marker ("1." or "(a)" opening a line)."""
    ws, _, cum = split_words(norm)
    return ws, cum[0:-1:2], cum[1::2], bullet_flags(norm, cum, len(ws))
