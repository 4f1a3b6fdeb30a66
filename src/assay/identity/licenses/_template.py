r"""SPDX matching templates → word-level matching programs, and the normalisation both sides share.

The SPDX License List gives every license a *matching template*: its text with
``<<var;name=...;original=...;match=REGEX>>`` for replaceable text and
``<<beginOptional>> ... <<endOptional>>`` for omissible text. The SPDX matching
guidelines then say what differences never matter: case, white space, punctuation
and markup around words, quote and dash styles, bullets and numbering, equivalent
spellings ("licence"/"license"), ``http``/``https``, the copyright symbol, and the
copyright notice itself. This module turns a template into a *program* that applies
those rules, and normalises input text the same way:

- input and template text: NFKC, lower case, quotes and dashes folded, ``©`` → ``(c)``,
  hyphenated compounds joined ("non-infringement" = "noninfringement"), white space
  collapsed (a newline kept where there was one); then compared as words
  (``[^\W_]+``, equivalent spellings mapped to one), so punctuation and markup between
  words never matter;
- ``Run``: words that must follow each other; list markers in the text ("1.", "(a)",
  "iv)" opening a line) are skipped where the template has none;
- ``Gap``: replaceable text, any text up to where the next words appear that the var's
  own regex accepts (case-insensitive), bounded in length (unbounded ``.*`` to
  ``VAR_LIMIT`` characters) so one template cannot swallow the next license in a file;
- ``Opt``: omissible text, taken when it is there;
- a var that stands for arbitrary text at the very start or end of a template (a
  copyright line) is dropped, as are bare copyright notices there: matching searches
  for the license inside a file, and the text around a match is accounted for by the
  caller (:mod:`assay.identity.licenses._match`).

Pure functions, no I/O; used by the runtime matcher and by the data builder alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Unbounded wildcards in replaceable text are bounded to this many characters.
VAR_LIMIT = 1200

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

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": "'", "\u201d": "'", "\u201e": "'", "\u201f": "'", "\u00ab": "'",
    "\u00bb": "'", '"': "'", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00a9": "(c)", "\u24b8": "(c)", "\u24d2": "(c)",
    "\u00a0": " ", "\u200b": "",
})
_COMPOUND = re.compile(r"\b([^\W\d_]+)-(?=[^\W\d_])")
_NL = re.compile(r"\n{2,}")
_WS = re.compile(r"[ \t\r\f\v]+")
WORD = re.compile(r"[^\W_]+")


def normalize(text: str) -> str:
    """Input text as the templates are matched against it (lines kept, spacing collapsed)."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    if "-" in text:
        text = _COMPOUND.sub(r"\1", text)  # "non-infringement" = "noninfringement"
    text = _WS.sub(" ", text)
    if "\n " in text or " \n" in text:
        text = text.replace(" \n", "\n").replace("\n ", "\n")
    return _NL.sub("\n", text).strip()


def words(text: str) -> list[str]:
    """The words of normalised text as the matcher sees them (see :func:`tokens`)."""
    return tokens(text)[0]


SHINGLE = 3


def shingles(ws: list[str]) -> set[tuple[str, str, str]]:
    return set(zip(ws, ws[1:], ws[2:], strict=False))


# -- templates -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Var:
    name: str
    original: str
    match: str


@dataclass(frozen=True, slots=True)
class Optional:
    parts: tuple[str | Var | Optional, ...]


_TAG = re.compile(r"<<(beginOptional|endOptional|var)(.*?)>>", re.S)


def _parse_var(body: str) -> Var:
    name = re.search(r'name="([^"]*)"', body)
    orig = re.search(r'original="(.*?)";\s*match=', body, re.S)
    mpos = body.find('match="')
    match = body[mpos + 7:body.rstrip().rfind('"')] if mpos >= 0 else f".{{0,{VAR_LIMIT}}}"
    return Var(name.group(1) if name else "", orig.group(1) if orig else "", match)


def parse(template: str) -> tuple[str | Var | Optional, ...]:
    """A template as a sequence of text, Var and (nested) Optional parts."""
    stack: list[list[str | Var | Optional]] = [[]]
    pos = 0
    for m in _TAG.finditer(template):
        if m.start() > pos:
            stack[-1].append(template[pos:m.start()])
        kind = m.group(1)
        if kind == "beginOptional":
            stack.append([])
        elif kind == "endOptional":
            if len(stack) > 1:
                parts = stack.pop()
                stack[-1].append(Optional(tuple(parts)))
        else:
            stack[-1].append(_parse_var(m.group(2)))
        pos = m.end()
    if pos < len(template):
        stack[-1].append(template[pos:])
    while len(stack) > 1:  # an unclosed optional closes at the end
        parts = stack.pop()
        stack[-1].append(Optional(tuple(parts)))
    return tuple(stack[0])


_ANY_VAR = re.compile(r"^\(?\.(?:\*|\+|\{\d*,?\d*\})\)?\??$")
_NOTICE_WORDS = {"copyright", "c", "copyrights", "all", "rights", "reserved"}


def _is_filler(part: str | Var | Optional) -> bool:
    """Arbitrary text or a bare copyright notice: meaningless at the edge of a template."""
    if isinstance(part, Var):
        return bool(_ANY_VAR.match(part.match.strip()))
    if isinstance(part, Optional):
        return False  # kept: it matches when present (a title, Apache's appendix)
    ws = WORD.findall(normalize(part))
    return not ws or set(ws) <= _NOTICE_WORDS


def trim(parts: tuple[str | Var | Optional, ...]) -> tuple[str | Var | Optional, ...]:
    """Drop arbitrary-text vars and copyright notices at both ends (see the module doc)."""
    items = list(parts)
    for _ in range(2):  # the start, then (reversed) the end
        i = 0
        while i < len(items) and (isinstance(items[i], Optional) or _is_filler(items[i])):
            if isinstance(items[i], Optional):
                i += 1  # kept (a title), but what stands between it and the text goes
            else:
                items.pop(i)
        items.reverse()
    return tuple(items)


# -- templates as programs over words ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Run:
    """Words that must appear in this order (punctuation and markup between them ignored)."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    """Replaceable text: any text of at most ``max_chars`` that the var's regex accepts."""

    rx: re.Pattern[str]
    max_chars: int
    original: str


@dataclass(frozen=True, slots=True)
class Opt:
    """Omissible text: taken when it is there."""

    items: tuple[Run | Gap | Opt, ...]


Item = Run | Gap | Opt

_STRIP = " \n\t.,;:'\"()[]{}<>-*#/=_|!?"


_BULLET = re.compile(r"(?m)^[^\w\n]*(\d{1,2}|[a-z]|[ivx]{2,5})[.)]")


def tokens(norm: str) -> tuple[list[str], list[int], list[int], list[bool]]:
    """Words of normalised text (canonical spelling), their character spans, and whether each
    is a list marker ("1." or "(a)" opening a line)."""
    spans = [m.span() for m in WORD.finditer(norm)]
    canon = CANONICAL
    ws = [canon.get(w, w) for w in WORD.findall(norm)]
    starts = [a for a, _ in spans]
    ends = [b for _, b in spans]
    marks = {m.start(1) for m in _BULLET.finditer(norm)}
    bullets = [st in marks for st in starts] if marks else [False] * len(ws)
    return ws, starts, ends, bullets


def _var_max(rx: str, original: str) -> int:
    """An upper bound on the characters a var's regex can accept (VAR_LIMIT if unbounded)."""
    if re.search(r"(?<!\\)(?:[*+]|\{\d*,\})", rx.replace(".{", "")):
        return VAR_LIMIT
    if not re.search(r"(?<!\\)\.", rx):
        return max(len(rx), len(original)) + 8
    bounds = [int(b) for b in re.findall(r"(?<!\\)\.\{\d*,(\d+)\}", rx)]
    if re.search(r"(?<!\\)\.[*+]", rx) or not bounds:
        return VAR_LIMIT
    return min(VAR_LIMIT * 4, sum(bounds) + len(original) + 8)


def var_regex(var: Var) -> str:
    rx = var.match.replace('"', "'").replace(" ", r"\s")
    try:
        re.compile(rx)
    except re.error:
        rx = f".{{0,{len(var.original) + 40}}}"
    return rx


def _items(parts: tuple[str | Var | Optional, ...]) -> tuple[Item, ...]:
    out: list[Item] = []
    pending = ""
    for part in (*parts, None):
        if isinstance(part, str):
            pending += " " + part
            continue
        if pending.strip():
            ws = tuple(tokens(normalize(pending))[0])
            if ws:
                out.append(Run(ws))
        pending = ""
        if isinstance(part, Var):
            rx = var_regex(part)
            out.append(Gap(re.compile(rx, re.I | re.S), _var_max(rx, part.original), part.original))
        elif isinstance(part, Optional):
            inner = _items(part.parts)
            if inner:
                out.append(Opt(inner))
    return tuple(out)


def program(template: str) -> tuple[Item, ...]:
    """A template as a matching program: starts with its first required words, edges trimmed."""
    items = list(_items(trim(parse(template))))
    while items and isinstance(items[0], Gap):  # a match starts at required words (or a title)
        items.pop(0)
    return tuple(items)


def required_words(template: str) -> list[list[str]]:
    """Runs of words every match must contain (outside optionals), canonicalised."""
    return [list(i.words) for i in program(template) if isinstance(i, Run)]


def original_words(template: str) -> int:
    """How many words the template's own rendition has (optionals included)."""
    def walk(parts: tuple[str | Var | Optional, ...]) -> int:
        n = 0
        for p in parts:
            if isinstance(p, str):
                n += len(WORD.findall(normalize(p)))
            elif isinstance(p, Var):
                n += len(WORD.findall(normalize(p.original)))
            else:
                n += walk(p.parts)
        return n
    return walk(parse(template))
