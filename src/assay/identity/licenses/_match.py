"""Which SPDX licenses a text contains: prefilter, template match, what is left over.

The SPDX data (``assay/data/licenses/spdx.json.xz``) is loaded on the first text
that needs matching, never at import. For one text:

1. normalise it (:func:`assay.identity.licenses._template.normalize`);
2. prefilter: count the template anchors (rare word 3-grams) present; only templates
   with all of their anchors are candidates (a handful per file);
3. run each candidate's template program (:mod:`assay.identity.licenses._template`) over the
   text's words, at every place its first required words occur;
4. keep the longest non-overlapping matches (a full text over a notice inside it; two
   templates matching the same span are alternatives, e.g. GPL-3.0-only/-or-later,
   whose texts are identical: the notice decides, see :mod:`assay.identity.licenses._resolve`);
5. if nothing matched, once more with replaceable text unconstrained (the fixed text must
   still match exactly): a BSD-3-Clause whose third clause is worded in a way SPDX's
   pattern does not list is still BSD-3-Clause, flagged ``relaxed`` in the evidence;
6. account for the rest: copyright lines, titles and blank markup are expected; other
   words are counted, and when at least 40 of them read like license terms (grants,
   conditions, disclaimers) the resolver adds a LicenseRef for the file.

Results are cached by the sha256 of the text in this process and on disk
(``$XDG_CACHE_HOME/assay/licenses-<version>.json``, keyed by the data and this code).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import lzma
import os
import re
import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from assay.identity.licenses._template import (
    Gap,
    Item,
    Opt,
    Run,
    normalize,
    original_words,
    program,
    shingles,
    tokens,
)

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


@dataclass
class _Data:
    version: str
    release: str
    licenses: dict[str, dict]
    exceptions: dict[str, dict]
    anchors: dict[str, list[str]]
    index: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    compiled: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    weight: dict[str, int] = field(default_factory=dict)


_LOCK = threading.Lock()


@cache
def data() -> _Data:
    """The SPDX License List data shipped with assay (loaded once, on first use)."""
    blob = resources.files("assay.data").joinpath("licenses/spdx.json.xz").read_bytes()
    raw = json.loads(lzma.decompress(blob))
    d = _Data(raw["licenseListVersion"], raw["releaseDate"], raw["licenses"], raw["exceptions"],
              raw["anchors"])
    for key, anchors in d.anchors.items():
        for a in anchors:
            d.index.setdefault(tuple(a.split(" ")), []).append(key)
    return d


def list_version() -> str:
    return data().version


def _template(key: str) -> str:
    d = data()
    if key.startswith("exception:"):
        return d.exceptions[key.removeprefix("exception:")]["template"]
    lid, _, header = key.partition("#")
    return d.licenses[lid]["header" if header else "template"]


def _compiled(key: str) -> tuple[Item, ...]:
    d = data()
    prog = d.compiled.get(key)
    if prog is None:
        with _LOCK:
            prog = d.compiled.get(key)
            if prog is None:
                prog = program(_template(key))
                d.compiled[key] = prog
                d.weight[key] = original_words(_template(key))
    return prog


class _Text:
    """One normalised text as words, for running template programs over it."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.words, self.starts, self.ends, self.bullets = tokens(norm)
        self.n = len(self.words)
        self._where: dict[str, list[int]] = {}
        self.relaxed = False
        self.steps = 0

    def where(self, word: str) -> list[int]:
        """Positions of a word (the index is built on first use)."""
        if not self._where:
            index: dict[str, list[int]] = {}
            for i, w in enumerate(self.words):
                index.setdefault(w, []).append(i)
            self._where = index
        return self._where.get(word, [])

    def run(self, ws: tuple[str, ...], i: int) -> int:
        """Index after ``ws`` matched at ``i`` (list markers in the text skipped), or -1."""
        n = len(ws)
        if self.words[i:i + n] == list(ws):
            return i + n
        j = i
        for w in ws:
            while j < self.n and self.bullets[j] and self.words[j] != w:
                j += 1
            if j >= self.n or self.words[j] != w:
                return -1
            j += 1
        return j

    def gap_text(self, i: int, j: int) -> str:
        a = self.ends[i - 1] if i > 0 else 0
        b = self.starts[j] if j < self.n else len(self.norm)
        return self.norm[a:b]

    def gap_ok(self, gap: Gap, i: int, j: int) -> bool:
        raw = self.gap_text(i, j)
        text = raw.strip()
        limit = max(gap.max_chars, 2 * len(gap.original), 60) if self.relaxed else gap.max_chars
        if len(text) > limit + 8:
            text = _DECORATION.sub(" ", raw).strip()  # boxes of "*", rules of "-" are markup
            if len(text) > limit + 8:
                return False
        if self.relaxed:  # the fixed text decides; replaceable text only has to be short
            return True
        return bool(gap.rx.fullmatch(text.strip(_STRIP)) or gap.rx.fullmatch(text))

    def seq(self, items: tuple[Item, ...], k: int, i: int, depth: int = 0) -> int:
        """Match ``items[k:]`` at word ``i``; the index after the match, or -1 (first success)."""
        while k < len(items):
            item = items[k]
            if isinstance(item, Run):
                if i >= self.n:
                    return -1
                i = self.run(item.words, i)
                if i < 0:
                    return -1
            elif isinstance(item, Opt):
                j = self.seq(item.items, 0, i, depth + 1) if i < self.n else -1
                if j >= 0:
                    i = j
            else:  # replaceable text: up to where the rest matches, first place that works
                if k + 1 == len(items):
                    return i
                limit = (self.starts[i] + 2 * item.max_chars + 200) if i < self.n else len(self.norm)
                nxt = items[k + 1]
                if isinstance(nxt, Run):
                    cands = self.where(nxt.words[0])
                    lo = bisect_left(cands, i)
                    positions = list(cands[lo:lo + 64])
                    if i < self.n and self.bullets[i] and i not in positions:
                        positions.insert(0, i)  # a list marker may stand before the next words
                else:
                    positions = list(range(i, min(self.n, i + 64)))
                for j in positions:
                    if j < self.n and self.starts[j] > limit:
                        break
                    self.steps += 1
                    if self.steps > _BUDGET:
                        return -1
                    if isinstance(nxt, Run) and self.run(nxt.words, j) < 0:
                        continue
                    if not self.gap_ok(item, i, j):
                        continue
                    r = self.seq(items, k + 1, j, depth + 1)
                    if r >= 0:
                        return r
                return -1
            k += 1
        return i

    def find(self, prog: tuple[Item, ...]) -> list[tuple[int, int]]:
        """Every non-overlapping match of a program, as character spans."""
        lead, body = _split_lead(prog)
        if not body:
            return []
        out = []
        last = 0
        for p in self.where(body[0].words[0]):
            if p < last:
                continue
            self.steps = 0
            r = self.seq(body, 0, p)
            if r > p:
                start = p
                while start > last and self.bullets[start - 1]:  # "1." before "Definitions"
                    start -= 1
                for alt in lead:  # a title or preamble the template allows before the text
                    n = len(alt)
                    if n and start - n >= last and self.words[start - n:start] == list(alt):
                        start -= n
                        break
                else:
                    start = p
                out.append((self.starts[start], self.ends[r - 1]))
                last = r
        return out


def _split_lead(prog: tuple[Item, ...]) -> tuple[list[tuple[str, ...]], tuple[Item, ...]]:
    """Leading optional parts (as word sequences, longest first) and the program from its first
    required words."""
    k = 0
    while k < len(prog) and not isinstance(prog[k], Run):
        k += 1
    alts: set[tuple[str, ...]] = {()}
    for item in prog[:k]:
        if isinstance(item, Opt):
            alts = {a + b for a in alts for b in _opt_words(item)}
    return sorted(alts, key=lambda a: (-len(a), a)), prog[k:]


def _opt_words(opt: Opt) -> set[tuple[str, ...]]:
    """The word sequences an optional part can stand for (vars make it unusable here)."""
    seqs: set[tuple[str, ...]] = {()}
    for item in opt.items:
        if isinstance(item, Run):
            seqs = {s + item.words for s in seqs}
        elif isinstance(item, Opt):
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
    counts: dict[str, int] = {}
    found = shingles(ws)
    if alt is not None:
        found |= shingles(alt)
    for s in found:
        for key in d.index.get(s, ()):
            counts[key] = counts.get(key, 0) + 1
    out = []
    for key, n in counts.items():
        total = len(d.anchors[key])
        out.append((key, n / total))
    out.sort(key=lambda kv: (-kv[1], kv[0]))
    return out


_COPYRIGHT_LINE = re.compile(
    r"^[\W_]*(?:copyright\b|\(c\)|portions copyright|all rights reserved|author[s]?\b|"
    r"written by|maintained by|contributors?\b|spdx-)", re.I)
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
    count = 0
    kept = []
    for line in rest.split("\n"):
        ws = re.findall(r"[^\W_]+", line)
        if not ws or _COPYRIGHT_LINE.match(line):
            continue
        if len(ws) <= 12 and all(w in _TITLE_WORDS or w.isdigit() for w in ws):
            continue  # "BSD 3-Clause License", "Version 2.0, January 2004"
        count += len(ws)
        kept.append(line)
    return count, count >= 40 and bool(_TERMS.search("\n".join(kept)))


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


_CACHE: dict[str, TextMatch] = {}
_BODIES: dict[str, TextMatch] = {}
_DISK: dict[str, list] | None = None
_DIRTY = False


def _disk_path() -> Path | None:
    """``$XDG_CACHE_HOME/assay/licenses-<data and matcher version>.json``; ASSAY_LICENSE_CACHE=0
    turns it off, any other value is the file to use."""
    setting = os.environ.get("ASSAY_LICENSE_CACHE", "")
    if setting == "0":
        return None
    if setting:
        return Path(setting)
    h = hashlib.sha256(resources.files("assay.data").joinpath("licenses/spdx.json.xz").read_bytes())
    for mod in ("_match.py", "_template.py"):
        h.update(resources.files("assay.identity.licenses").joinpath(mod).read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "assay" / f"licenses-{h.hexdigest()[:16]}.json"


def _disk() -> dict[str, list]:
    global _DISK
    if _DISK is None:
        _DISK = {}
        path = _disk_path()
        if path is not None:
            try:
                _DISK = json.loads(path.read_text())
            except (OSError, ValueError):
                _DISK = {}
            atexit.register(_flush, path)
    return _DISK


def _flush(path: Path) -> None:
    """Write the results of this run for the next one (atomically; best effort)."""
    if not _DIRTY or _DISK is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
        tmp.write_text(json.dumps(_DISK, separators=(",", ":")))
        tmp.replace(path)
    except OSError:
        pass


def _to_row(m: TextMatch) -> list:
    return [[[h.key, h.start, h.end, list(h.alternatives)] for h in m.hits], m.words, m.other_words,
            m.terms_left, list(m.closest) if m.closest else None, list(m.tags), m.note, m.relaxed]


def _from_row(r: list) -> TextMatch:
    hits = tuple(Hit(k, a, b, tuple(alts)) for k, a, b, alts in r[0])
    return TextMatch(hits, r[1], r[2], r[3], tuple(r[4]) if r[4] else None, tuple(r[5]), r[6], r[7])


def match_text(text: str) -> TextMatch:
    """Every SPDX license (full text, standard notice, exception) found in ``text``.

    Cached by the text's sha256 in this process and on disk (see :func:`_disk_path`), so a
    license file is matched once per SPDX data and matcher version."""
    global _DIRTY
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    disk = _disk()
    row = disk.get(key)
    if row is not None:
        try:
            result = _from_row(row)
        except (TypeError, ValueError, IndexError):
            row = None
    if row is None:
        # the same license body under another copyright line: matched once per process
        norm = normalize(text) if len(text) <= MAX_TEXT else ""
        body = hashlib.sha256("\n".join(
            line for line in norm.split("\n") if not _COPYRIGHT_LINE.match(line)).encode()).hexdigest()
        result = _BODIES.get(body) if norm else None
        if result is None:
            result = _match(text, norm or None)
            if norm:
                _BODIES[body] = result
        disk[key] = _to_row(result)
        _DIRTY = True
    _CACHE[key] = result
    return result


def _match(text: str, norm: str | None = None) -> TextMatch:
    tags = _tags(text) if "spdx-license-identifier" in text.lower() else ()
    if len(text) > MAX_TEXT:
        return TextMatch((), 0, 0, False, None, tags, f"larger than {MAX_TEXT // 1024} KiB: not matched")
    norm = normalize(text) if norm is None else norm
    doc = _Text(norm)
    ws = doc.words
    if not ws:
        return TextMatch((), 0, 0, False, None, tags)
    cands = candidates(ws, [w for w, b in zip(ws, doc.bullets, strict=True) if not b]
                       if any(doc.bullets) else None)
    found: list[Hit] = []
    for key, share in cands:
        if share < 1.0:  # every anchor of a template that matches is in the text
            break
        found += [Hit(key, a, b) for a, b in doc.find(_compiled(key))]
    relaxed = False
    if not found:  # the fixed text all there, a replaceable part worded outside SPDX's pattern?
        doc.relaxed = relaxed = True
        for key, share in cands:
            if share < 1.0:
                break
            found += [Hit(key, a, b) for a, b in doc.find(_compiled(key))]
    hits = _resolve_overlaps(found)
    other, terms = _other_words(norm, hits)
    closest = None
    if not hits and cands:
        best = next((c for c in cands if not c[0].startswith("exception:")), cands[0])
        closest = (best[0].split("#", 1)[0], round(best[1], 2))
    return TextMatch(tuple(hits), len(ws), other, terms, closest, tags, "", relaxed and bool(hits))


def clear_cache() -> None:
    _CACHE.clear()
    _BODIES.clear()
