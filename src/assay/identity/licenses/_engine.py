"""The matcher itself (imported on the first text no cache knows): data, prefilter, programs.

For one text (see :mod:`assay.identity.licenses._match` for the caches in front of it):

1. normalise it (:func:`assay.identity.licenses._template.normalize`);
2. prefilter (:func:`full_candidates`): only templates all of whose anchors (rare word
   3-grams) the text contains are candidates, a handful per file;
3. run each candidate's program (:mod:`assay.identity.licenses._compile`, shipped in the
   data) over the text's words, at every place its first required words occur;
4. keep the longest non-overlapping matches (a full text over a notice inside it; two
   templates matching the same span are alternatives, e.g. GPL-3.0-only/-or-later,
   whose texts are identical: the notice decides, see :mod:`assay.identity.licenses._resolve`);
5. if nothing matched, once more with replaceable text unconstrained (the fixed text must
   still match exactly): a BSD-3-Clause whose third clause is worded in a way SPDX's
   pattern does not list is still BSD-3-Clause, flagged ``relaxed`` in the evidence;
6. account for the rest: copyright lines, titles and blank markup are expected; other
   words are counted, and when at least 40 of them read like license terms (grants,
   conditions, disclaimers) the resolver adds a LicenseRef for the file.

The SPDX data (``assay/data/licenses/spdx.dat``, :mod:`assay.identity.licenses._store`) is
loaded on the first text that needs matching: its header (prefilter), then each template's
program as a candidate needs it.
"""

from __future__ import annotations

import gc
import json
import re
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, chain, compress, count
from operator import add, not_

from assay.identity.licenses._results import MAX_TEXT, Hit, TextMatch
from assay.identity.licenses._store import DATA, read_chunk, read_header
from assay.identity.licenses._template import bullet_lines, canonical, line_words, normalize


class _Run:
    """Words that must follow each other (a template's fixed text)."""

    __slots__ = ("first", "n", "words")

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.first = words[0]
        self.n = len(words)


_ANY_TEXT = re.compile(r"\.(?:(?P<star>\*)|(?P<plus>\+)|\{(?P<exact>\d+)\}|\{(?P<lo>\d*),(?P<hi>\d+)\})")


class _Gap:
    """Replaceable text (see :class:`assay.identity.licenses._template.Gap`); its regex is
    compiled on first use."""

    __slots__ = ("_rx", "any_length", "max_chars", "original", "pattern")

    def __init__(self, pattern: str, max_chars: int, original: str) -> None:
        self.pattern = pattern
        self.max_chars = max_chars
        self.original = original
        self._rx: re.Pattern[str] | None = None
        # ".{0,20}", ".+", ".*" (most vars: list numbering, names): with re.S any text of a
        # length in these bounds, so the length decides and no expression is compiled
        self.any_length: tuple[int, float] | None = None
        m = _ANY_TEXT.fullmatch(pattern)
        if m:
            if m["star"]:
                self.any_length = (0, float("inf"))
            elif m["plus"]:
                self.any_length = (1, float("inf"))
            elif m["exact"]:
                self.any_length = (int(m["exact"]), int(m["exact"]))
            else:
                self.any_length = (int(m["lo"] or 0), int(m["hi"]))

    def accepts(self, text: str) -> bool:
        """The var's expression matches the whole of ``text`` (case-insensitive, "." any char)."""
        bounds = self.any_length
        if bounds is not None:
            return bounds[0] <= len(text) <= bounds[1]
        return self.rx.fullmatch(text) is not None

    @property
    def rx(self) -> re.Pattern[str]:
        if self._rx is None:
            self._rx = re.compile(self.pattern, re.I | re.S)
        return self._rx


class _Opt:
    """Omissible text, taken when it is there."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[_Item, ...]) -> None:
        self.items = items


_Item = _Run | _Gap | _Opt


def _load_program(raw: list) -> tuple[_Item, ...]:
    out: list[_Item] = []
    for item in raw:
        if item[0] == "r":
            out.append(_Run(item[1].split(" ")))
        elif item[0] == "g":
            out.append(_Gap(item[1], item[2], item[3]))
        else:
            out.append(_Opt(_load_program(item[1])))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Program:
    lead: list[list[str]]  # word sequences a leading optional part (a title) can stand for
    body: tuple[_Item, ...]  # from the first required words on
    weight: int  # words in the template's own rendition
    firsts: frozenset[str]  # the first word of every run (the words matching looks up)


def _firsts(items: tuple[_Item, ...]) -> set[str]:
    out: set[str] = set()
    for item in items:
        if type(item) is _Run:
            out.add(item.first)
        elif type(item) is _Opt:
            out |= _firsts(item.items)
    return out


@dataclass
class _Data:
    version: str
    release: str
    blob: bytes
    header: dict
    anchors: dict[str, list[str]]
    need: dict[str, list[str]]  # per template: the rarest word of each of its anchors, rarest first
    posting: dict[str, list[str]] = field(default_factory=dict)  # its 2 rarest words -> templates
    need_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    places: dict[str, list[tuple[list[str], str, int]]] = field(default_factory=dict)
    index: dict[tuple[str, ...], list[str]] = field(default_factory=dict)  # anchor -> templates
    anchor_set: frozenset[tuple[str, ...]] = frozenset()
    chunks: dict[int, bytes] = field(default_factory=dict)
    compiled: dict[str, _Program] = field(default_factory=dict)
    weight: dict[str, int] = field(default_factory=dict)


_LOCK = threading.Lock()
_POSTED = 2  # need-words per template in the posting lists (the rest is one subset test)


@cache
def data() -> _Data:
    """The SPDX License List data shipped with assay (its header loaded once, on first use;
    templates as they are needed, see :mod:`assay.identity.licenses.builddata`)."""
    blob = data_bytes()
    header = read_header(blob)
    d = _Data(header["licenseListVersion"], header["releaseDate"], blob, header,
              header["anchors"], header["need"])
    posting = d.posting
    for key, words in d.need.items():
        for w in words[:_POSTED]:
            posting.setdefault(w, []).append(key)
    return d


def data_bytes() -> bytes:
    """The shipped data file (a file beside the package, or a package resource)."""
    from assay.data import read_bytes

    return read_bytes(*DATA.split("/"))


def _compiled(key: str) -> _Program:
    d = data()
    prog = d.compiled.get(key)
    if prog is None:
        with _LOCK:
            prog = d.compiled.get(key)
            if prog is None:
                index, start, end = d.header["entries"][key]
                chunk = d.chunks.get(index)
                if chunk is None:
                    chunk = d.chunks[index] = read_chunk(d.blob, d.header, index)
                entry = json.loads(chunk[start:end])
                items = _load_program(entry["program"])
                lead, body = _split_lead(items)
                prog = _Program(lead, body, entry["weight"], frozenset(_firsts(body)))
                d.weight[key] = entry["weight"]
                d.compiled[key] = prog
    return prog


class _Text:
    """One normalised text as words, for running template programs over it."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self._lines, self._line_words = line_words(norm)
        self._written = list(chain.from_iterable(self._line_words))
        self.words = canonical(self._written)
        self.n = n = len(self.words)
        # line k: its first word, its first character; a word's span is found when asked for
        self._first = list(accumulate(map(len, self._line_words), initial=0))
        self._line_start = list(map(add, accumulate(map(len, self._lines), initial=0), count()))
        self._start: list[int | None] = [None] * n
        self._end: list[int | None] = [None] * n
        self.bullets = [False] * n
        for k in bullet_lines(norm, self._line_start):
            self.bullets[self._first[k]] = True
        self._where: dict[str, list[int]] = {}
        self._chars: list[int] | None = None
        self._relaxed = False
        self._memo: dict[tuple[int, int, int], tuple[int, int]] = {}
        self.steps = 0

    @property
    def relaxed(self) -> bool:
        return self._relaxed

    @relaxed.setter
    def relaxed(self, value: bool) -> None:
        if value != self._relaxed:
            self._memo.clear()
        self._relaxed = value

    def expect(self, words: set[str]) -> None:
        """Find the places of these words in one pass (the first words of the runs of the
        programs about to be run: every word :meth:`where` will be asked for)."""
        words = words - self._where.keys()
        if not words:
            return
        index: dict[str, list[int]] = {w: [] for w in words}
        ws = self.words
        for i in compress(range(self.n), map(words.__contains__, ws)):
            index[ws[i]].append(i)
        self._where.update(index)

    def where(self, word: str) -> list[int]:
        """Positions of a word (see :meth:`expect`; any other word is looked for on first use)."""
        found = self._where.get(word)
        if found is None:
            found = []
            index = self.words.index
            i = -1
            try:
                while True:
                    i = index(word, i + 1)
                    found.append(i)
            except ValueError:
                pass
            self._where[word] = found
        return found

    def word_chars(self, i: int, j: int) -> int:
        """Characters of the words i..j-1 (their spans in the text)."""
        chars = self._chars
        if chars is None:
            chars = self._chars = list(accumulate(map(len, self._written), initial=0))
        return chars[j] - chars[i]

    def run(self, run: _Run, i: int) -> int:
        """Index after the run's words matched at ``i`` (list markers in the text skipped), or -1."""
        words = self.words
        if words[i] != run.first and not self.bullets[i]:
            return -1
        rw, n = run.words, run.n
        bullets, size = self.bullets, self.n
        # the usual miss: the first word agrees, the second differs (no list marker around)
        if n > 1 and i + 1 < size and words[i + 1] != rw[1] and not bullets[i + 1] and not bullets[i]:
            return -1
        if words[i:i + n] == rw:
            return i + n
        j, m = i, 0
        while m < n:
            agree = _common(words, j, rw, m, min(size - j, n - m))
            j += agree
            m += agree
            if m == n:
                break
            w = rw[m]  # a list marker in the text where the template has none: skipped
            while j < size and bullets[j] and words[j] != w:
                j += 1
            if j >= size or words[j] != w:
                return -1
            j += 1
            m += 1
        return j

    def _spans(self, i: int) -> None:
        """The character spans of the words on word ``i``'s line."""
        k = bisect_right(self._first, i) - 1
        line, base, first = self._lines[k], self._line_start[k], self._first[k]
        start, end = self._start, self._end
        pos = 0
        for x, w in enumerate(self._line_words[k], first):
            pos = line.find(w, pos)  # only separators stand between one word and the next
            start[x] = base + pos
            pos += len(w)
            end[x] = base + pos

    def start(self, i: int) -> int:
        s = self._start[i]
        if s is None:
            self._spans(i)
            s = self._start[i]
        return s  # type: ignore[return-value]

    def end(self, i: int) -> int:
        e = self._end[i]
        if e is None:
            self._spans(i)
            e = self._end[i]
        return e  # type: ignore[return-value]

    def gap_text(self, i: int, j: int) -> str:
        a = self.end(i - 1) if i > 0 else 0
        b = self.start(j) if j < self.n else len(self.norm)
        return self.norm[a:b]

    def gap_limit(self, gap: _Gap) -> int:
        return max(gap.max_chars, 2 * len(gap.original), 60) if self.relaxed else gap.max_chars

    def gap_ok(self, gap: _Gap, i: int, j: int) -> bool:
        raw = self.gap_text(i, j)
        text = raw.strip()
        limit = self.gap_limit(gap)
        if len(text) > limit + 8:
            text = _DECORATION.sub(" ", raw).strip()  # boxes of "*", rules of "-" are markup
            if len(text) > limit + 8:
                return False
        if self.relaxed:  # the fixed text decides; replaceable text only has to be short
            return True
        return gap.accepts(text.strip(_STRIP)) or gap.accepts(text)

    def seq(self, items: tuple[_Item, ...], k: int, i: int) -> int:
        """Match ``items[k:]`` at word ``i``; the index after the match, or -1 (first success).

        Gap placements are tried depth first and counted against a budget per match attempt
        (``steps``). The answer from a given (items, k, i) and the placements it tries are the
        same wherever it is asked, so both are remembered and a repeated question costs its
        count without the search; only when that count would cross the budget is the search
        run again, to stop where the first search would have stopped."""
        key = (id(items), k, i)
        memo = self._memo.get(key)
        if memo is not None:
            r, cost = memo
            if cost == 0 or self.steps + cost <= _BUDGET:
                self.steps += cost
                return r
        before = self.steps
        r = self._seq(items, k, i)
        if self.steps <= _BUDGET:
            self._memo[key] = (r, self.steps - before)
        return r

    def _seq(self, items: tuple[_Item, ...], k: int, i: int) -> int:
        n = self.n
        while k < len(items):
            item = items[k]
            if type(item) is _Run:
                if i >= n:
                    return -1
                i = self.run(item, i)
                if i < 0:
                    return -1
            elif type(item) is _Opt:
                j = self.seq(item.items, 0, i) if i < n else -1
                if j >= 0:
                    i = j
            else:  # replaceable text: up to where the rest matches, first place that works
                if k + 1 == len(items):
                    return i
                assert isinstance(item, _Gap)
                start = self.start
                limit = (start(i) + 2 * item.max_chars + 200) if i < n else len(self.norm)
                nxt = items[k + 1]
                if type(nxt) is _Run:
                    cands = self.where(nxt.first)
                    lo = bisect_left(cands, i)
                    positions = cands[lo:lo + 64]
                    if i < n and self.bullets[i] and i not in positions:
                        positions.insert(0, i)  # a list marker may stand before the next words
                else:
                    positions = list(range(i, min(n, i + 64)))
                # every word of the gap stays in it, markup or not: once they alone are longer
                # than the gap may be, so is every later place (their count is kept for the budget)
                most = self.gap_limit(item) + 8
                for x, j in enumerate(positions):
                    if j < n and start(j) > limit:
                        break
                    if self.word_chars(i, j) > most:
                        for j2 in positions[x:]:
                            if j2 < n and start(j2) > limit:
                                break
                            self.steps += 1
                        return -1
                    self.steps += 1
                    if self.steps > _BUDGET:
                        return -1
                    if type(nxt) is _Run and self.run(nxt, j) < 0:
                        continue
                    if not self.gap_ok(item, i, j):
                        continue
                    r = self.seq(items, k + 1, j)
                    if r >= 0:
                        return r
                return -1
            k += 1
        return i

    def find(self, prog: _Program) -> list[tuple[int, int]]:
        """Every non-overlapping match of a program, as character spans."""
        body = prog.body
        if not body:
            return []
        out = []
        last = 0
        words = self.words
        for p in self.where(body[0].first):  # type: ignore[union-attr]
            if p < last:
                continue
            self.steps = 0
            r = self.seq(body, 0, p)
            if r > p:
                start = p
                while start > last and self.bullets[start - 1]:  # "1." before "Definitions"
                    start -= 1
                for alt in prog.lead:  # a title or preamble the template allows before the text
                    n = len(alt)
                    if n and start - n >= last and words[start - n:start] == alt:
                        start -= n
                        break
                else:
                    start = p
                out.append((self.start(start), self.end(r - 1)))
                last = r
        return out

    def without_bullets(self) -> list[str]:
        return list(compress(self.words, map(not_, self.bullets)))


def _common(a: list[str], i: int, b: list[str], j: int, limit: int) -> int:
    """How many words ``a[i:]`` and ``b[j:]`` have in common at their start (at most ``limit``),
    compared 32 at a time."""
    k = 0
    while k + 32 <= limit and a[i + k:i + k + 32] == b[j + k:j + k + 32]:
        k += 32
    end = min(limit, k + 32)
    while k < end and a[i + k] == b[j + k]:
        k += 1
    return k


def _split_lead(prog: tuple[_Item, ...]) -> tuple[list[list[str]], tuple[_Item, ...]]:
    """Leading optional parts (as word sequences, longest first) and the program from its first
    required words."""
    k = 0
    while k < len(prog) and type(prog[k]) is not _Run:
        k += 1
    alts: set[tuple[str, ...]] = {()}
    for item in prog[:k]:
        if isinstance(item, _Opt):
            alts = {a + b for a in alts for b in _opt_words(item)}
    return [list(a) for a in sorted(alts, key=lambda a: (-len(a), a))], prog[k:]


def _opt_words(opt: _Opt) -> set[tuple[str, ...]]:
    """The word sequences an optional part can stand for (vars make it unusable here)."""
    seqs: set[tuple[str, ...]] = {()}
    for item in opt.items:
        if isinstance(item, _Run):
            seqs = {s + tuple(item.words) for s in seqs}
        elif isinstance(item, _Opt):
            seqs = {s + t for s in seqs for t in _opt_words(item)} | seqs
        else:
            return {()}
        if len(seqs) > 16:
            return {()}
    return seqs | {()}


_DECORATION = re.compile(r"[^\w\s]{2,}[\W_]*|\s[^\w\s]\s")
_BUDGET = 20000  # gap placements tried per match attempt: bounds any pathological template
_STRIP = " \n\t.,;:'\"()[]{}<>-*#/=_|!?"


def candidates(ws: list[str], alt: list[str] | None = None) -> list[tuple[str, float]]:
    """Templates whose anchors the words (or ``alt``: the same without list markers) contain,
    best first, with the share found."""
    d = data()
    if not d.index:
        with _LOCK:
            if not d.index:
                index: dict[tuple[str, ...], list[str]] = {}
                for key, anchors in d.anchors.items():
                    for a in anchors:
                        index.setdefault(tuple(a.split(" ")), []).append(key)
                d.anchor_set = frozenset(index)
                d.index = index
    found = set(zip(ws, ws[1:], ws[2:], strict=False))
    if alt is not None:
        found |= set(zip(alt, alt[1:], alt[2:], strict=False))
    counts: dict[str, int] = {}
    for s in found & d.anchor_set:
        for key in d.index[s]:
            counts[key] = counts.get(key, 0) + 1
    out = []
    for key, n in counts.items():
        total = len(d.anchors[key])
        out.append((key, n / total))
    out.sort(key=lambda kv: (-kv[1], kv[0]))
    return out


def full_candidates(doc: _Text) -> list[str]:
    """The templates all of whose anchors the text contains (as :func:`candidates` with share
    1.0, in the same order), found without counting every 3-gram of the text: a template is
    considered only when its two rarest need-words are in the text (posting lists), then all
    of them (a subset test); then each of its anchors is looked for where its need-word
    stands in the text (the places of every need-word found in one pass)."""
    d = data()
    ws = doc.words
    present = set(ws)
    counts: dict[str, int] = {}
    posting = d.posting
    for w in posting.keys() & present:
        for key in posting[w]:
            counts[key] = counts.get(key, 0) + 1
    need, need_sets = d.need, d.need_sets
    keys = []
    for key, c in counts.items():
        if c < min(len(need[key]), _POSTED):
            continue
        words = need_sets.get(key)
        if words is None:
            words = need_sets[key] = frozenset(need[key])
        if words <= present:
            keys.append(key)
    if not keys:
        return []
    keys.sort()
    doc.expect(set().union(*(need_sets[k] for k in keys)))
    out = []
    alt: str | None = None
    for key in keys:
        for anchor, word, offset in _anchor_places(d, key):
            if any(ws[p - offset:p - offset + 3] == anchor for p in doc.where(word)):
                continue
            if alt is None:  # list markers left out ("1. Redistributions" reads as one run)
                alt = " " + " ".join(doc.without_bullets()) + " " if any(doc.bullets) else ""
            if not alt or " " + " ".join(anchor) + " " not in alt:
                break
        else:
            out.append(key)
    return out


def _anchor_places(d: _Data, key: str) -> list[tuple[list[str], str, int]]:
    """Per anchor of a template: its words, the need-word in it, and that word's place in it."""
    places = d.places.get(key)
    if places is None:
        need = d.need_sets[key]
        places = []
        for a in d.anchors[key]:
            words = a.split(" ")
            offset = next(i for i, w in enumerate(words) if w in need)
            places.append((words, words[offset], offset))
        d.places[key] = places
    return places


_COPYRIGHT_WORDS = (r"(?:copyright\b|\(c\)|portions copyright|all rights reserved|author[s]?\b|"
                    r"written by|maintained by|contributors?\b|spdx-)")
_COPYRIGHT_LINE = re.compile(r"^[\W_]*" + _COPYRIGHT_WORDS, re.I)
# the same lines found in a whole text at once, each with the line break before it (the text
# gets one in front): removed with re.sub; starting with a literal, the search skips fast
# (normalised text is lower case already: no re.I, which would cost the fast skip)
_COPYRIGHT_LINES = re.compile(r"\n(?:[^\w\n]|_)*" + _COPYRIGHT_WORDS + r".*")
# Language that grants, conditions or disclaims (not prose *about* a license: "X is licensed
# under the BSD license" or a GPL-compatibility footnote are not further terms).
_TERMS = re.compile(
    r"\b(?:is hereby granted|hereby grants?|redistribution and use|provided that|must retain|"
    r"must reproduce|without warranty|warranties of|shall not be liable|be liable for|"
    r"subject to the following conditions|you may not|you must|permission to use|"
    r"terms and conditions of this|in no event shall)\b")
_TITLE_WORDS = {"license", "licence", "licenses", "licences", "version", "the", "terms", "and",
                "conditions", "of", "for", "agreement", "software", "notice", "copying",
                "text", "full", "a", "an", "this", "is", "under", "v", "clause", "new", "or",
                "revised", "simplified", "bsd", "mit", "apache", "isc", "gnu", "general",
                "public", "lesser", "library", "affero", "mozilla", "python", "foundation",
                "zero", "2", "3", "1", "0", "2.0", "expat", "x11", "psf", "unlicense", "zlib",
                "libpng", "boost", "historical", "permission", "and/or"}
_WORDS = re.compile(r"[^\W_]+")
# every ASCII character but [a-z0-9] to a space: then str.split() gives _WORDS of lower-case ASCII
_ASCII_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
# A line of at most 12 words, each a title word or a number ("BSD 3-Clause License"), in
# lower-case ASCII text, with the line break before it: what the per-line loop skips as a title.
_TITLE_LINES = re.compile(
    r"\n(?:[^\w\n]|_)*(?:(?:"
    + "|".join(sorted((w for w in _TITLE_WORDS if w.isalnum()), key=lambda w: (-len(w), w)))
    + r"|[0-9]+)(?![a-z0-9])(?:[^\w\n]|_)*){1,12}$", re.M)
_TAG = re.compile(r"SPDX-License-Identifier:\s*([^\n\r*#]+?)\s*(?:\*/|-->|$)", re.M)


def _other_words(norm: str, hits: list[Hit]) -> tuple[int, bool]:
    """Words outside the hits that are not titles or copyright lines; do they read as terms?"""
    spans = sorted((h.start, h.end) for h in hits)
    pieces = []
    pos = 0
    for s, e in spans:
        if s > pos:
            pieces.append(norm[pos:s])
        pos = max(pos, e)
    pieces.append(norm[pos:])
    rest = "\n".join(pieces)
    if rest.isascii():  # the lines below, found by regular expressions over the whole rest
        kept = _TITLE_LINES.sub("", _COPYRIGHT_LINES.sub("", "\n" + rest))
        count = len(kept.translate(_ASCII_SEPARATORS).split())
        return count, count >= 40 and bool(_TERMS.search(kept))
    count = 0
    lines = []
    for line in rest.split("\n"):
        ws = _WORDS.findall(line)
        if not ws or _COPYRIGHT_LINE.match(line):
            continue
        if len(ws) <= 12 and all(w in _TITLE_WORDS or w.isdigit() for w in ws):
            continue  # "BSD 3-Clause License", "Version 2.0, January 2004"
        count += len(ws)
        lines.append(line)
    return count, count >= 40 and bool(_TERMS.search("\n".join(lines)))


def _tags(text: str) -> tuple[str, ...]:
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    out = []
    for m in _TAG.finditer(text):
        try:
            out.append(str(canonicalize_license_expression(m.group(1).strip())))
        except InvalidLicenseExpression:
            continue
    return tuple(dict.fromkeys(out))


def _resolve_overlaps(found: list[Hit]) -> list[Hit]:
    d = data()
    # longest first; on equal spans the more specific template (more words) first
    found.sort(key=lambda h: (-(h.end - h.start), h.is_header, -d.weight.get(h.key, 0), h.key))
    kept: list[Hit] = []
    for h in found:
        same = next((k for k in kept if k.start == h.start and k.end == h.end
                     and k.is_header == h.is_header and k.is_exception == h.is_exception), None)
        if same is not None:
            if d.weight.get(h.key, 0) == d.weight.get(same.key, 0) or _same_family(same.key, h.key):
                kept[kept.index(same)] = Hit(same.key, same.start, same.end,
                                             (*same.alternatives, h.key))
            continue
        if any(h.start < k.end and k.start < h.end for k in kept):
            continue
        kept.append(h)
    kept.sort(key=lambda h: h.start)
    return kept


def _same_family(a: str, b: str) -> bool:
    base = re.compile(r"-(only|or-later)(#header)?$")
    return base.sub("", a) == base.sub("", b)


def body_key(norm: str) -> str:
    """Normalised text without its copyright lines: texts with the same body are matched once.
    A line that goes on to license terms ("Copyright 2020 X. This program is free software ...
    either version 3 of the License, or (at your option) any later version", one paragraph
    normalised into one line) is body, not a copyright line: without it a bare GPL text would
    take the result of a copy that grants "or later" (and which text came first would decide)."""
    return _COPYRIGHT_LINES.sub(_copyright_only, "\n" + norm)[1:]


_STATEMENT = re.compile(r"licen|permi|free software|version|warrant|redistribut|terms|public domain")


def _copyright_only(line: re.Match[str]) -> str:
    text = line.group()
    return "" if len(text) <= 200 and not _STATEMENT.search(text) else text


def match(text: str, norm: str | None = None) -> TextMatch:
    """What ``text`` (normalised: ``norm``) contains; no cache (see ``_match.match_text``).

    Matching allocates many small lists and no reference cycles: the cyclic garbage
    collector is paused meanwhile (it would otherwise walk the heap several times a text)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _match(text, norm)
    finally:
        if enabled:
            gc.enable()


def _match(text: str, norm: str | None) -> TextMatch:
    tags = _tags(text) if "SPDX-License-Identifier" in text else ()  # the tag is matched as written
    if len(text) > MAX_TEXT:
        return TextMatch((), 0, 0, False, None, tags, f"larger than {MAX_TEXT // 1024} KiB: not matched")
    norm = normalize(text) if norm is None else norm
    doc = _Text(norm)
    ws = doc.words
    if not ws:
        return TextMatch((), 0, 0, False, None, tags)
    full = full_candidates(doc)
    if full:
        doc.expect(set().union(*(_compiled(key).firsts for key in full)))
    found: list[Hit] = []
    for key in full:
        found += [Hit(key, a, b) for a, b in doc.find(_compiled(key))]
    relaxed = False
    if not found:  # the fixed text all there, a replaceable part worded outside SPDX's pattern?
        doc.relaxed = relaxed = True
        for key in full:
            found += [Hit(key, a, b) for a, b in doc.find(_compiled(key))]
    hits = _resolve_overlaps(found)
    other, terms = _other_words(norm, hits)
    closest = None
    if not hits:
        cands = candidates(ws, doc.without_bullets() if any(doc.bullets) else None)
        if cands:
            best = next((c for c in cands if not c[0].startswith("exception:")), cands[0])
            closest = (best[0].split("#", 1)[0], round(best[1], 2))
    return TextMatch(tuple(hits), len(ws), other, terms, closest, tags, "", relaxed and bool(hits))
