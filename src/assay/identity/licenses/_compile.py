r"""SPDX matching templates → word-level matching programs (used when the data is built).

The SPDX License List gives every license a *matching template*: its text with
``<<var;name=...;original=...;match=REGEX>>`` for replaceable text and
``<<beginOptional>> ... <<endOptional>>`` for omissible text. A template becomes a
*program* over the words of normalised text (:mod:`assay.identity.licenses._template`):

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

:mod:`assay.identity.licenses.builddata` ships the programs (:func:`dump_program`), so a
run never parses a template. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assay.identity.licenses._template import WORD, normalize, tokens

# Unbounded wildcards in replaceable text are bounded to this many characters.
VAR_LIMIT = 1200


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


def dump_program(items: tuple[Item, ...]) -> list:
    """A program as JSON data: ``["r", "word word ..."]``, ``["g", regex, max_chars, original]``,
    ``["o", items]`` (the data builder ships programs; the matcher loads them)."""
    out: list = []
    for item in items:
        if isinstance(item, Run):
            out.append(["r", " ".join(item.words)])
        elif isinstance(item, Gap):
            out.append(["g", item.rx.pattern, item.max_chars, item.original])
        else:
            out.append(["o", dump_program(item.items)])
    return out


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
