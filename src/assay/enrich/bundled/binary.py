"""Small struct-based readers for ELF, PE and Mach-O: enough to classify bundled libraries.

What a reader gives (:class:`BinaryInfo`): the format and machine, the library's own
name (ELF DT_SONAME, Mach-O LC_ID_DYLIB, PE export name), what it links (DT_NEEDED,
LC_LOAD_DYLIB, PE imports), the byte ranges that hold constant data (where version
strings live, so code is not scanned), and a symbol lookup (name -> file offset) for
the decoders in :mod:`assay.enrich.bundled.decode`. Nothing is executed; malformed
input gives an empty or partial answer, never an exception.
"""

from __future__ import annotations

import functools
import itertools
import mmap
import re
import struct
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

ELF_MAGIC = b"\x7fELF"
MACHO_MAGICS = {b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xfe\xed\xfa\xce"}
FAT_MAGICS = {b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf"}

# sections that hold constant data and strings (ELF, PE, Mach-O section names)
_DATA_SECTIONS_ELF = (".rodata", ".data", ".comment", ".lrodata", ".ldata")
_DATA_SECTIONS_PE = (".rdata", ".data")
_DATA_SECTIONS_MACHO = ("__cstring", "__const", "__data", "__rodata")


@dataclass(frozen=True, slots=True)
class Symbol:
    name: str
    offset: int  # file offset of the symbol's bytes, -1 if not in the file
    vaddr: int
    size: int
    is_func: bool


@dataclass(slots=True)
class BinaryInfo:
    format: str  # "elf", "pe", "macho"
    machine: str  # "x86_64", "aarch64", "x86", "arm", "ppc64le", "s390x", "other"
    soname: str | None = None
    needed: list[str] = field(default_factory=list)
    rpath: list[str] = field(default_factory=list)  # ELF DT_RPATH, Mach-O LC_RPATH (search folders)
    runpath: list[str] = field(default_factory=list)  # ELF DT_RUNPATH
    interp: str | None = None  # ELF PT_INTERP: the program's dynamic loader
    data_ranges: list[tuple[int, int]] = field(default_factory=list)  # (start, end) file offsets
    debug_ranges: list[tuple[int, int]] = field(default_factory=list)  # PE debugging sections (DWARF)
    _names: frozenset[bytes] | None = None  # every symbol name, for a cheap "is it there?"
    _lookup: Callable[[str], Symbol | None] | None = None
    _v2o: Callable[[int], int | None] | None = None  # virtual address -> file offset
    _o2v: Callable[[int], int | None] | None = None  # file offset -> virtual address (Mach-O)
    _ptr: Callable[[int], int | None] | None = None  # address of a pointer -> address it holds
    # sections by name: (file offset, size); ELF and PE names, Mach-O section names
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)
    slices: list[BinaryInfo] = field(default_factory=list)  # the thin files of a fat Mach-O
    # defined symbols whose names match a pattern; defined symbols counted by a pattern's group 1
    _matching: Callable[[bytes, tuple[bytes, ...]], list[Symbol]] | None = None
    _counting: Callable[[bytes], Counter[str]] | None = None
    _present: Callable[[bytes], set[str]] | None = None
    _spelled: Callable[[tuple[str, ...]], set[str] | None] | None = None

    def symbol(self, name: str) -> Symbol | None:
        if self._lookup is None:
            return None
        if self._names is not None and name.encode() not in self._names:
            return None
        return self._lookup(name)

    def offset_of(self, vaddr: int) -> int | None:
        if self._v2o is None:
            return None
        return self._v2o(vaddr)

    def vaddr_of(self, offset: int) -> int | None:
        """The virtual address of a file offset (Mach-O; None where not known)."""
        return self._o2v(offset) if self._o2v is not None else None

    def pointer_at(self, vaddr: int) -> int | None:
        if self._ptr is None:
            return None
        return self._ptr(vaddr)

    def symbols_matching(self, pattern: bytes, needles: tuple[bytes, ...]) -> list[Symbol]:
        """Defined symbols whose whole name contains one of ``needles`` and matches ``pattern`` (a
        regex over the bare name, no Mach-O underscore); imports never count."""
        if self._matching is None:
            return []
        return self._matching(pattern, needles)

    def present(self, pattern: bytes) -> set[str] | None:
        """The names matching ``pattern`` (whole names) anywhere in the symbol string tables, defined
        or not: a cheap filter before :meth:`symbol`. None when the format cannot tell."""
        if self._present is None:
            return None
        return self._present(pattern)

    def spelled(self, names: tuple[str, ...]) -> set[str] | None:
        """Those of ``names`` that a symbol string table spells, NUL-terminated and anywhere (an ELF
        string table shares tails: "foo" may be the end of "__foo"): a name not spelled is one
        :meth:`symbol` does not find. None when the format cannot tell."""
        if self._spelled is None:
            return None
        return self._spelled(names)

    def prefix_counts(self, pattern: bytes) -> Counter[str]:
        """How many defined symbols match ``pattern`` (anchored at the name's start), per the text
        of its group 1: what prefixes a binary defines (``hb_`` 412, ``FT_`` 230)."""
        if self._counting is None:
            return Counter()
        return self._counting(pattern)

    def section(self, data: bytes, name: str, limit: int = 1 << 20) -> bytes | None:
        """The bytes of a named section (at most ``limit``), or None."""
        where = self.sections.get(name)
        if where is None:
            return None
        off, size = where
        return bytes(data[off:off + min(size, limit)])

    def release(self) -> None:
        """Drop the lookups (they hold the binary's bytes): what stays is the summary above, so a
        scan of many binaries keeps none of their bytes alive."""
        self._names = self._lookup = self._v2o = self._ptr = None
        self._o2v = None
        self._matching = self._counting = self._present = self._spelled = None
        for part in self.slices:
            part.release()


# constant data is searched in windows: a huge member (memory-mapped, see Resolver.buffer) then
# costs the pages of one window at a time, which are given back to the system after each
_WINDOW = 16 << 20


def give_back(release: Callable[..., None], pos: int, stop: int) -> Callable[..., None] | None:
    """Give a memory-mapped member's pages of ``[pos, stop)`` back once a pass has read them
    (``release`` is the map's madvise); None when the system refuses, so callers stop asking."""
    first = pos - pos % mmap.PAGESIZE
    try:
        release(mmap.MADV_DONTNEED, first, stop - first)
    except (OSError, ValueError):
        return None
    return release
_OVERLAP = 4096  # longer than any anchor: a hit that starts in a window ends inside its overlap


# How often each byte value occurs in the constant data of native libraries, per 10,000 bytes
# (measured once on the 124 MB of data sections of bench/bundled's wheels). Only the speed of the
# anchor search depends on it: it picks the rare bytes the search stops at.
_BYTE_FREQUENCY = (
    2443, 157, 94, 71, 59, 57, 66, 65, 57, 35, 102, 43, 38, 41, 54, 69,
    100, 27, 29, 25, 25, 52, 26, 28, 24, 22, 24, 24, 22, 27, 28, 31,
    314, 23, 24, 36, 19, 30, 28, 34, 31, 29, 20, 17, 33, 35, 47, 23,
    43, 37, 34, 43, 25, 37, 26, 29, 22, 19, 37, 18, 22, 26, 27, 36,
    36, 36, 23, 32, 26, 35, 23, 21, 20, 27, 15, 16, 25, 21, 26, 31,
    31, 15, 28, 32, 34, 21, 19, 15, 18, 15, 15, 16, 14, 16, 13, 86,
    25, 142, 45, 86, 85, 216, 54, 50, 56, 140, 18, 27, 93, 66, 140, 136,
    76, 16, 133, 121, 176, 74, 34, 31, 32, 46, 21, 15, 14, 15, 13, 16,
    36, 14, 14, 12, 13, 13, 14, 13, 16, 13, 15, 14, 16, 14, 15, 14,
    18, 14, 14, 15, 16, 13, 14, 13, 14, 14, 13, 12, 13, 12, 12, 12,
    17, 12, 11, 11, 13, 11, 11, 11, 12, 11, 12, 10, 11, 10, 10, 10,
    13, 10, 10, 10, 10, 10, 10, 9, 11, 10, 10, 10, 12, 12, 14, 18,
    18, 10, 10, 9, 10, 9, 9, 10, 10, 9, 9, 9, 10, 9, 12, 13,
    17, 11, 8, 8, 10, 8, 9, 8, 10, 8, 8, 8, 9, 8, 8, 8,
    16, 11, 10, 8, 9, 10, 9, 10, 13, 12, 9, 9, 11, 9, 10, 12,
    14, 11, 11, 10, 10, 9, 10, 57, 22, 14, 12, 54, 22, 22, 24, 186,
)


class LiteralSearch:
    """Every occurrence of a set of literal words, as ``finditer`` of their trie regex reports them
    (left to right, the longest word at a position, none overlapping the previous), found faster.

    The regex engine scans a pattern that starts with one of several bytes one byte at a time
    through a set test (about 100 MB/s); it scans for one literal byte several times faster. So
    each word gets a *core* byte, chosen so that few, rare byte values cover every word; the data
    is translated so that those bytes all read as 0x01, and one regex, 0x01 followed (lookahead)
    by the translated rest of some word, finds the candidates. Each is then checked against the
    real bytes, so the translation can only add candidates, never lose an occurrence."""

    def __init__(self, words: tuple[bytes, ...], silent: tuple[bytes, ...] = ()) -> None:
        """``silent``: words whose occurrences are only recorded (see :meth:`hits`), not reported."""
        from assay.enrich.bundled.rules import trie_regex  # rules reads binaries through decode

        def eligible(w: bytes) -> range:
            return range(max(1, len(w) - 3))  # a core with three bytes after it, when possible

        everything = set(words) | set(silent)
        # greedy weighted set cover: the byte values that cover every word at least cost
        uncovered = set(everything)
        keys: set[int] = set()
        while uncovered:
            cover: dict[int, int] = {}
            for w in uncovered:
                for b in {w[i] for i in eligible(w)}:
                    cover[b] = cover.get(b, 0) + 1
            best = min(cover, key=lambda b: (_BYTE_FREQUENCY[b] / cover[b], b))
            keys.add(best)
            uncovered = {w for w in uncovered if best not in {w[i] for i in eligible(w)}}
        table = bytearray(b if b != 1 else 0 for b in range(256))
        for b in keys:
            table[b] = 1
        self.table = bytes(table)
        # core byte -> (core offset, word, reported, recorded)
        self.by_byte: dict[int, list[tuple[int, bytes, bool, bool]]] = {}
        for w in sorted(everything):
            k = min((i for i in eligible(w) if w[i] in keys), key=lambda i: (_BYTE_FREQUENCY[w[i]], i))
            self.by_byte.setdefault(w[k], []).append((k, w, w in words, w in silent))
        self.lead = max(entry[0] for entries in self.by_byte.values() for entry in entries)
        # a word whose rest, translated, is all core bytes (b"SDL-" when "D", "L" and "-" are
        # cores of other words) would make every run of core bytes ("-----") a candidate: such
        # words are found by a literal scan of their own (below), which costs less (in the bench
        # wheel set b"SDL-" alone made 131,000 of the 190,000 candidates)
        weak: dict[int, set[bytes]] = {}
        for key, entries in self.by_byte.items():
            for k, w, _r, _s in entries:
                rest = w[k + 1:].translate(self.table)
                if rest.count(1) == len(rest) and len(keys) > 2:
                    weak.setdefault(key, set()).add(w[k + 1:])
        rests = {w[k + 1:].translate(self.table) for entries in self.by_byte.values()
                 for k, w, _r, _s in entries if w[k + 1:] not in weak.get(w[k], ())}
        self.weak: list[re.Pattern[bytes]] = [
            re.compile(re.escape(bytes([key])) + b"(?=" + trie_regex(sorted(tails)).pattern + b")")
            for key, tails in sorted(weak.items())]
        # the set of bytes that may follow first: one bitmap test turns most candidates away
        # before the alternatives of the rests are tried one by one
        follow = re.escape(bytes(sorted({r[0] for r in rests if r})))
        self.rx = None if not rests else re.compile(
            b"\x01" if b"" in rests else
            b"\x01(?=[" + follow + b"])(?=" + trie_regex(sorted(rests)).pattern + b")")
        # one or two core bytes (a set of names that all say "version"): a literal scan per byte
        # costs less than translating the data first
        self.direct: list[re.Pattern[bytes]] = []
        if len(keys) <= 2:
            for key, entries in sorted(self.by_byte.items()):
                tails = sorted({w[k + 1:] for k, w, _r, _s in entries})
                self.direct.append(re.compile(re.escape(bytes([key])) + (
                    b"" if b"" in tails else b"(?=" + trie_regex(tails).pattern + b")")))

    def hits(self, data: bytes | mmap.mmap, ranges: list[tuple[int, int]],
             record: dict[bytes, list[list[int]]] | None = None,
             ) -> Iterator[tuple[int, int, int, int, bytes]]:
        """(range start, range end, start, end, word) per reported hit; ``record`` gets, for every
        silent word, the start of each of its occurrences, per range (all of them, overlapping or
        not), once the generator is exhausted."""
        release = getattr(data, "madvise", None) if isinstance(data, mmap.mmap) else None
        by_byte, lead = self.by_byte, self.lead
        if record is not None:
            for entries in by_byte.values():
                for _k, w, _reported, recorded in entries:
                    if recorded:
                        record[w] = [[] for _ in ranges]
        for index, (start, end) in enumerate(ranges):
            pending: list[tuple[int, int, bytes]] = []  # (start, -length, word), not yet reported
            resume = start  # finditer never reports a hit overlapping the previous one
            pos = start
            while pos < end:
                stop = min(end, pos + _WINDOW)
                for q in self._candidates(data, pos, stop, min(end, stop + _OVERLAP)):
                    for k, w, reported, recorded in by_byte[data[q]]:
                        at = q - k
                        if at >= start and at + len(w) <= end and data[at:at + len(w)] == w:
                            if reported:
                                pending.append((at, -len(w), w))
                            if recorded and record is not None:
                                record[w][index].append(at)
                if release is not None and stop - pos >= _WINDOW:
                    release = give_back(release, pos, stop)
                pos = stop
                # a word whose core is in a later window starts at or after pos - lead
                ready = end if pos >= end else pos - lead
                pending.sort()
                keep = 0
                for at, neg, w in pending:
                    if at >= ready:
                        break
                    keep += 1
                    if at >= resume:
                        resume = at - neg
                        yield start, end, at, resume, w
                del pending[:keep]


    def _candidates(self, data: bytes | mmap.mmap, pos: int, stop: int, upto: int) -> list[int]:
        """The positions in [pos, stop) where a core byte is followed by the rest of its word (in
        the translated data: possibly a different core byte, or the translated rest), in order."""
        if self.direct:
            found: list[int] = []
            for rx in self.direct:
                for cand in rx.finditer(data, pos, upto):
                    if cand.start() >= stop:
                        break  # the next window's
                    found.append(cand.start())
            return sorted(found) if len(self.direct) > 1 else found
        out = []
        if self.rx is not None:
            for cand in self.rx.finditer(data[pos:upto].translate(self.table)):
                if cand.start() >= stop - pos:
                    break  # the next window's
                out.append(pos + cand.start())
        if self.weak:
            more = {cand.start() for rx in self.weak for cand in rx.finditer(data, pos, upto)
                    if cand.start() < stop}
            out = sorted(more.union(out))
        return out


@functools.lru_cache(maxsize=8)
def literal_search(words: tuple[bytes, ...], silent: tuple[bytes, ...] = ()) -> LiteralSearch:
    """The search for ``words`` (and ``silent`` ones, see :class:`LiteralSearch`), built once per set."""
    return LiteralSearch(words, silent)


def sniff(head: bytes) -> str | None:
    """The binary format from the first bytes of a file, or None."""
    magic = head[:4]
    if magic == ELF_MAGIC:
        return "elf"
    if head[:2] == b"MZ":
        return "pe"
    if magic in MACHO_MAGICS:
        return "macho"
    if magic in FAT_MAGICS and len(head) >= 8 and struct.unpack(">I", head[4:8])[0] < 32:
        return "macho"  # fat/universal (a Java class file shares the magic, with a large second word)
    return None


def parse(data: bytes) -> BinaryInfo | None:
    kind = sniff(data[:8])
    try:
        if kind == "elf":
            return _parse_elf(data)
        if kind == "pe":
            return _parse_pe(data)
        if kind == "macho":
            return _parse_macho(data)
    except (struct.error, IndexError, ValueError, OverflowError, UnicodeDecodeError):
        # an offset past what an index can hold (struct raises OverflowError) is damage like any other
        return BinaryInfo(format=kind, machine="other", data_ranges=[(0, len(data))])
    return None


def _cstr(data: bytes, off: int, limit: int = 4096) -> str:
    if off < 0 or off >= len(data):
        return ""
    end = data.find(b"\x00", off, off + limit)
    if end < 0:
        end = min(len(data), off + limit)
    return data[off:end].decode("utf-8", "replace")


# byte maps for reading symbol tables a column at a time: 1 where the entry counts, else 0
_NONZERO = bytes([0]) + bytes([1]) * 255
_NOT_STAB = bytes(int(not b & 0xE0) for b in range(256))

# -- ELF ---------------------------------------------------------------------

_ELF_MACHINES = {3: "x86", 62: "x86_64", 183: "aarch64", 40: "arm", 21: "ppc64le", 22: "s390x"}


def _parse_elf(data: bytes) -> BinaryInfo:
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        (e_machine,) = struct.unpack_from(end + "H", data, 18)
        e_phoff, e_shoff = struct.unpack_from(end + "QQ", data, 32)
        e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx = struct.unpack_from(end + "HHHHH", data, 54)
    else:
        (e_machine,) = struct.unpack_from(end + "H", data, 18)
        e_phoff, e_shoff = struct.unpack_from(end + "II", data, 28)
        e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx = struct.unpack_from(end + "HHHHH", data, 42)
    info = BinaryInfo(format="elf", machine=_ELF_MACHINES.get(e_machine, "other"))

    # program headers: PT_LOAD for address -> offset, PT_DYNAMIC
    loads: list[tuple[int, int, int]] = []  # vaddr, filesz, offset
    dynamic: tuple[int, int] | None = None
    interp: tuple[int, int] | None = None
    for i in range(min(e_phnum, 256)):
        base = e_phoff + i * e_phentsize
        if is64:
            p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(
                end + "IIQQQQ", data, base)
        else:
            p_type, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(end + "IIIII", data, base)
        if p_type == 1:
            loads.append((p_vaddr, p_filesz, p_offset))
        elif p_type == 2:
            dynamic = (p_offset, p_filesz)
        elif p_type == 3:  # PT_INTERP
            interp = (p_offset, p_filesz)

    def v2o(vaddr: int) -> int | None:
        for va, sz, off in loads:
            if va <= vaddr < va + sz:
                return vaddr - va + off
        return None

    info._v2o = v2o
    if interp is not None:
        info.interp = _cstr(data, interp[0], min(interp[1], 4096)) or None

    # section headers
    # name, type, addr, offset, size, link, entsize
    sections: list[tuple[str, int, int, int, int, int, int]] = []
    if e_shoff and e_shnum and e_shoff + e_shnum * e_shentsize <= len(data):
        raw = []
        for i in range(e_shnum):
            base = e_shoff + i * e_shentsize
            if is64:
                sh_name, sh_type, _fl, sh_addr, sh_off, sh_size, sh_link, _inf, _al, sh_ent = \
                    struct.unpack_from(end + "IIQQQQIIQQ", data, base)
            else:
                sh_name, sh_type, _fl, sh_addr, sh_off, sh_size, sh_link, _inf, _al, sh_ent = \
                    struct.unpack_from(end + "IIIIIIIIII", data, base)
            raw.append((sh_name, sh_type, sh_addr, sh_off, sh_size, sh_link, sh_ent))
        if e_shstrndx < len(raw):
            stroff = raw[e_shstrndx][3]
            sections = [(_cstr(data, stroff + r[0], 64), *r[1:]) for r in raw]
    for name, s_type, _addr, off, size, _link, _ent in sections:
        if s_type != 8 and name.startswith(_DATA_SECTIONS_ELF) and size:  # 8 = NOBITS (.bss)
            info.data_ranges.append((off, min(off + size, len(data))))
        if s_type != 8 and name and size and off < len(data):
            info.sections.setdefault(name, (off, min(size, len(data) - off)))
    if not sections:
        info.data_ranges.append((0, len(data)))

    # dynamic section: SONAME, NEEDED
    if dynamic:
        entries = []
        fmt, step = (end + "qQ", 16) if is64 else (end + "iI", 8)
        strtab_va = None
        for i in range(min(dynamic[1] // step, 4096)):
            tag, val = struct.unpack_from(fmt, data, dynamic[0] + i * step)
            if tag == 0:
                break
            if tag == 5:
                strtab_va = val
            entries.append((tag, val))
        stroff = v2o(strtab_va) if strtab_va is not None else None
        if stroff is not None:
            for tag, val in entries:
                if tag == 1:
                    info.needed.append(_cstr(data, stroff + val))
                elif tag == 14:
                    info.soname = _cstr(data, stroff + val)
                elif tag in (15, 29):  # DT_RPATH, DT_RUNPATH
                    dirs = [d for d in _cstr(data, stroff + val).split(":") if d]
                    (info.rpath if tag == 15 else info.runpath).extend(dirs)

    # symbols: lazily, by name, in .dynsym then .symtab
    tables = [(s[3], s[4], sections[s[5]][3], sections[s[5]][4]) for s in sections
              if s[1] in (11, 2) and s[5] < len(sections)]  # DYNSYM, SYMTAB
    symsize = 24 if is64 else 16

    def lookup(name: str) -> Symbol | None:
        needle = name.encode() + b"\x00"
        for symtab, strtab in _once(tables_bytes):
            pos = strtab.find(needle)
            while pos >= 0:
                # a string table may share tails ("foo" inside "barfoo"): any offset spelling name counts
                hit = _find_sym_in(symtab, symsize, pos, end, is64)
                if hit is not None:
                    value, size, _shndx, st_type = hit
                    off = v2o(value)
                    return Symbol(name, off if off is not None else -1, value, size, st_type == 2)
                pos = strtab.find(needle, pos + 1)
        return None

    info._lookup = lookup

    def tables_bytes() -> list[tuple[bytes, bytes]]:
        return [(bytes(data[so:so + ss]), bytes(data[to:to + ts])) for so, ss, to, ts in tables]

    def matching(pattern: bytes, needles: tuple[bytes, ...]) -> list[Symbol]:
        rx = re.compile(pattern)
        out: dict[str, Symbol] = {}
        for symtab, strtab in _once(tables_bytes):
            for off, raw in _names_with(strtab, needles, rx, b"").items():
                name = raw.decode("latin-1")
                if name in out:
                    continue
                found = _find_sym_in(symtab, symsize, off, end, is64)
                if found is not None:
                    value, size, _shndx, st_type = found
                    foff = v2o(value)
                    out[name] = Symbol(name, foff if foff is not None else -1, value, size, st_type == 2)
        return list(out.values())

    defined_by_table: dict[int, set[int]] = {}  # each table's defined names, found once

    def counting(pattern: bytes) -> Counter[str]:
        rx = _name_starts(pattern, b"")
        counts: Counter[str] = Counter()
        for i, (symtab, strtab) in enumerate(_once(tables_bytes)):
            hits = list(rx.finditer(strtab))
            if not hits:
                continue
            defined = defined_by_table.get(i)
            if defined is None:
                defined = defined_by_table[i] = _elf_defined(symtab, is64, end)
            _count_defined(hits, defined, counts)
        return counts

    def spelled(names: tuple[str, ...]) -> set[str] | None:
        words = tuple(sorted({n.encode() + b"\x00" for n in names}))
        if not words or max(map(len, words)) > _OVERLAP:
            return None
        search = literal_search(words)
        found: set[bytes] = set()
        for _symtab, strtab in _once(tables_bytes):
            found.update(hit[4] for hit in search.hits(strtab, [(0, len(strtab))]))
        # a spelling inside a reported one is its tail (both end at that one NUL), not reported itself
        return {n for n in names for w in found if w.endswith(n.encode() + b"\x00")}

    # (no "present" filter by pattern: ELF string tables share tails, "foo" may be the end of "__foo";
    # "spelled" searches the tails too)
    info._matching = matching
    info._spelled = spelled
    info._counting = counting

    # SHT_RELA: (offset, size, the symbol table its symbol relocations index)
    rela = [(s[3], s[4], sections[s[5]][3] if s[5] < len(sections) else None) for s in sections if s[1] == 4]

    def pointer_at(vaddr: int) -> int | None:
        # a pointer in a shared object is 0 in the file and set by a RELATIVE relocation, or by a
        # symbol's (R_X86_64_64, R_AARCH64_ABS64: an exported function's address, which a
        # table of the library's own functions holds when they may be interposed: ONNX Runtime's
        # OrtApiBase {GetApi, GetVersionString})
        if is64:
            key = struct.pack(end + "Q", vaddr)
            for off, size, symtab in rela:
                blob = data[off:off + size]
                pos = blob.find(key)
                while pos >= 0:
                    if pos % 24 == 0:
                        _r_off, r_info, addend = struct.unpack_from(end + "QQq", blob, pos)
                        if r_info & 0xFFFFFFFF in (8, 1027):  # R_X86_64_RELATIVE, R_AARCH64_RELATIVE
                            return addend
                        if r_info & 0xFFFFFFFF in (1, 257) and symtab is not None and r_info >> 32:
                            at = symtab + 24 * (r_info >> 32)
                            if at + 24 <= len(data):
                                shndx, value = struct.unpack_from(end + "HQ", data, at + 6)
                                if shndx and value:  # defined here
                                    return value + addend
                    pos = blob.find(key, pos + 1)
        off = v2o(vaddr)
        if off is None:
            return None
        (raw,) = struct.unpack_from(end + ("Q" if is64 else "I"), data, off)
        return raw or None

    info._ptr = pointer_at
    return info


@functools.lru_cache(maxsize=256)
def _name_starts(pattern: bytes, lead: bytes) -> re.Pattern[bytes]:
    """``pattern`` at the start of a NUL-terminated name in a string table (after ``lead``)."""
    return re.compile(b"\x00" + re.escape(lead) + b"(?:" + pattern + b")")


@functools.lru_cache(maxsize=64)
def _whole(pattern: bytes, lead: bytes) -> re.Pattern[bytes]:
    """``pattern`` as a whole NUL-terminated name (group 1) in a string table, after ``lead``."""
    return re.compile(b"\x00" + re.escape(lead) + b"(" + pattern + b")(?=\x00)")


@functools.lru_cache(maxsize=64)
def _compiled(pattern: bytes) -> re.Pattern[bytes]:
    return re.compile(pattern)


def _fullmatch(pattern: bytes, name: str) -> bool:
    return _compiled(pattern).fullmatch(name.encode("latin-1", "replace")) is not None


_FULLMATCHES: dict[tuple[bytes, int, bytes], bool] = {}


def _fullmatches(rx: re.Pattern[bytes], name: bytes) -> bool:
    """``rx.fullmatch(name)``, remembered: one name is in a file's dynamic and full symbol tables,
    and in many files (a library's API), and a pattern with lazy parts is slow on long names."""
    key = (rx.pattern, rx.flags, name)
    answer = _FULLMATCHES.get(key)
    if answer is None:
        if len(_FULLMATCHES) >= 1 << 16:
            _FULLMATCHES.clear()
        answer = _FULLMATCHES[key] = rx.fullmatch(name) is not None
    return answer


def _names_with(strtab: bytes, needles: tuple[bytes, ...], rx: re.Pattern[bytes],
                lead: bytes) -> dict[int, bytes]:
    """{offset: name} of the names in ``strtab`` that contain a needle and fullmatch ``rx``
    (``lead``, Mach-O's underscore, is not part of the name; the offset points at it)."""
    out: dict[int, bytes] = {}
    for needle in needles:
        pos = strtab.find(needle)
        while pos >= 0:
            start = strtab.rfind(b"\x00", 0, pos) + 1
            stop = strtab.find(b"\x00", pos)
            if stop < 0:
                break
            if start not in out and strtab.startswith(lead, start):
                name = strtab[start + len(lead):stop]
                if _fullmatches(rx, name):
                    out[start] = name
            pos = strtab.find(needle, stop)
    return out


def _once(fn: Callable[[], list[tuple[bytes, bytes]]]) -> list[tuple[bytes, bytes]]:
    cached = getattr(fn, "_value", None)
    if cached is None:
        cached = fn()
        fn._value = cached  # type: ignore[attr-defined]
    return cached


def _elf_defined(symtab: bytes, is64: bool, end: str) -> set[int]:
    """The string-table offsets of the names of defined symbols (st_shndx != 0)."""
    step = 24 if is64 else 16
    n = len(symtab) // step
    if end == "<" and n:
        view = memoryview(symtab)[:n * step]
        words = view.cast("I")
        halves = view.cast("H")
        names = words[0::step // 4]
        shndx = halves[3::12] if is64 else halves[7::8]
        return set(itertools.compress(names, shndx))
    out = set()
    for i in range(n):
        base = i * step
        if is64:
            name, _inf, _oth, sec = struct.unpack_from(end + "IBBH", symtab, base)
        else:
            (name,) = struct.unpack_from(end + "I", symtab, base)
            (sec,) = struct.unpack_from(end + "H", symtab, base + 14)
        if sec:
            out.add(name)
    return out


def _count_defined(hits: list[re.Match[bytes]], defined: set[int], counts: Counter[str]) -> None:
    """Count the hits (at the NUL before a name) whose name is defined, per the text of group 1, in
    the order first seen."""
    for text, n in Counter([hit.group(1) for hit in hits if hit.start() + 1 in defined]).items():
        counts[text.decode("latin-1")] += n


def _find_sym_in(table: bytes, symsize: int, name_off: int, end: str,
                 is64: bool) -> tuple[int, int, int, int] | None:
    key = struct.pack(end + "I", name_off)
    pos = table.find(key)
    while pos >= 0:
        if pos % symsize == 0:
            if is64:
                _n, st_info, _o, shndx, value, size = struct.unpack_from(end + "IBBHQQ", table, pos)
            else:
                _n, value, size, st_info, _o, shndx = struct.unpack_from(end + "IIIBBH", table, pos)
            if shndx != 0:
                return value, size, shndx, st_info & 0xF
        pos = table.find(key, pos + 1)
    return None


# -- PE ----------------------------------------------------------------------

_PE_MACHINES = {0x8664: "x86_64", 0x14C: "x86", 0xAA64: "aarch64"}


def _parse_pe(data: bytes) -> BinaryInfo | None:
    (pe_off,) = struct.unpack_from("<I", data, 0x3C)
    if data[pe_off:pe_off + 4] != b"PE\x00\x00":
        return None
    machine, nsect, _ts, sym_ptr, nsym, opt_size, _ch = struct.unpack_from("<HHIIIHH", data, pe_off + 4)
    opt = pe_off + 24
    (magic,) = struct.unpack_from("<H", data, opt)
    pe32plus = magic == 0x20B
    image_base = struct.unpack_from("<Q" if pe32plus else "<I", data, opt + (24 if pe32plus else 28))[0]
    dd = opt + (112 if pe32plus else 96)
    (ndirs,) = struct.unpack_from("<I", data, dd - 4)
    dirs = [struct.unpack_from("<II", data, dd + 8 * i) for i in range(min(ndirs, 16))]
    info = BinaryInfo(format="pe", machine=_PE_MACHINES.get(machine, "other"))
    secs = []
    sbase = opt + opt_size
    for i in range(nsect):
        raw = struct.unpack_from("<8sIIII", data, sbase + 40 * i)
        name = raw[0].rstrip(b"\x00").decode("ascii", "replace")
        vsize, va, rsize, roff = raw[1:]
        secs.append((name, va, max(vsize, rsize), roff, rsize))
        if rsize and roff < len(data):
            info.sections.setdefault(name, (roff, min(rsize, len(data) - roff)))
        if name.startswith(_DATA_SECTIONS_PE) and rsize:
            info.data_ranges.append((roff, min(roff + rsize, len(data))))
        elif name.startswith((".debug", "/")) and rsize and roff < len(data):
            # DWARF of a MinGW-w64 build (".debug_line_str" is written "/4": a string-table name)
            info.debug_ranges.append((roff, min(roff + rsize, len(data))))
    if not secs:
        info.data_ranges.append((0, len(data)))

    def rva2o(rva: int) -> int | None:
        for _n, va, vs, roff, rsize in secs:
            if va <= rva < va + vs and rva - va < rsize:
                return rva - va + roff
        return None

    info._v2o = lambda vaddr: rva2o(vaddr - image_base) if vaddr >= image_base else rva2o(vaddr)

    # imports
    if len(dirs) > 1 and dirs[1][0]:
        off = rva2o(dirs[1][0])
        while off is not None and off + 20 <= len(data):
            _ilt, _ts2, _fwd, name_rva, iat = struct.unpack_from("<IIIII", data, off)
            if not name_rva and not iat:
                break
            noff = rva2o(name_rva)
            if noff is not None:
                info.needed.append(_cstr(data, noff, 256))
            off += 20
            if len(info.needed) > 512:
                break
    # exports
    exports: dict[str, int] = {}
    if dirs and dirs[0][0]:
        eoff = rva2o(dirs[0][0])
        if eoff is not None:
            (_c, _ts3, _ma, _mi, name_rva, _base, nfuncs, nnames, funcs_rva, names_rva, ords_rva) = \
                struct.unpack_from("<IIHHIIIIIII", data, eoff)
            noff = rva2o(name_rva)
            if noff is not None:
                info.soname = _cstr(data, noff, 256)
            fo, no, oo = rva2o(funcs_rva), rva2o(names_rva), rva2o(ords_rva)
            if fo is not None and no is not None and oo is not None:
                for i in range(min(nnames, 65536)):
                    (nrva,) = struct.unpack_from("<I", data, no + 4 * i)
                    (ordinal,) = struct.unpack_from("<H", data, oo + 2 * i)
                    if ordinal < nfuncs:
                        nmo = rva2o(nrva)
                        if nmo is not None:
                            (frva,) = struct.unpack_from("<I", data, fo + 4 * ordinal)
                            exports[_cstr(data, nmo, 256)] = frva

    # a MinGW-w64 build that was not stripped keeps its COFF symbol table: its global functions
    # are looked up by name too (an export wins), as an ELF file's .symtab is
    coff = _coff_functions(data, sym_ptr, nsym, secs) if sym_ptr and nsym else {}
    # a CFFI extension module names every C function it wraps in its globals table: those that
    # jump to code of this file (a static copy) are looked up by name too, as exports are
    if pe32plus and any(data.find(b"_cffi_backend\x00", lo, hi) != -1 for lo, hi in info.data_ranges):
        for name, rva in _cffi_functions(data, secs, image_base, rva2o).items():
            coff.setdefault(name, rva)
    info._names = frozenset(n.encode() for n in itertools.chain(exports, coff))

    def lookup(name: str) -> Symbol | None:
        rva = exports.get(name, coff.get(name))
        if rva is None:
            return None
        off = rva2o(rva)
        return Symbol(name, off if off is not None else -1, image_base + rva, 0, True)

    info._lookup = lookup

    def matching(pattern: bytes, needles: tuple[bytes, ...]) -> list[Symbol]:
        rx = re.compile(pattern)
        # (a MinGW file's COFF symbol table too: its C++ functions, primesieve::primesieve_version())
        names = [n for n in dict.fromkeys(itertools.chain(exports, coff))
                 if any(x.decode("latin-1") in n for x in needles)
                 and rx.fullmatch(n.encode("latin-1", "replace"))]
        return [sym for sym in map(lookup, names) if sym]

    def counting(pattern: bytes) -> Counter[str]:
        rx = re.compile(pattern)
        counts: Counter[str] = Counter()
        for n in dict.fromkeys(itertools.chain(exports, coff)):
            hit = rx.match(n.encode("latin-1", "replace"))
            if hit:
                counts[hit.group(1).decode("latin-1")] += 1
        return counts

    info._matching = matching
    info._counting = counting
    info._present = lambda pattern: {n for n in itertools.chain(exports, coff) if _fullmatch(pattern, n)}

    def pointer_at(vaddr: int) -> int | None:
        off = info.offset_of(vaddr)
        if off is None:
            return None
        return struct.unpack_from("<Q" if pe32plus else "<I", data, off)[0] or None

    info._ptr = pointer_at
    return info


# a CFFI module's _cffi_globals record (64-bit): {const char *name; void *address; op; void
# *direct_fn}, whose op's low byte says "function" (_CFFI_OP_CPYTHON_BLTN_V/_N/_O: 23, 25, 27)
_CFFI_RECORD = re.compile(rb"(?=(.{16})[\x17\x19\x1b].{3}\x00{4}(.{8}))", re.S)
_C_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]{0,200}")


def _cffi_functions(data: bytes | mmap.mmap, secs: list[tuple[str, int, int, int, int]], image_base: int,
                    rva2o: Callable[[int], int | None]) -> dict[str, int]:
    """{name: RVA} of the C functions a CFFI module's globals table names whose direct function
    (``return name(args);``, compiled to ``jmp rel32``) jumps to code in this file: the function
    itself, linked in statically. A jump through the import table (a DLL's function) is not
    counted, so only code the file carries is named."""
    text = [(va, va + vs) for n, va, vs, _ro, _rs in secs if n == ".text"]
    if not text:
        return {}
    lo_text, hi_text = text[0]
    found: dict[str, int] = {}
    for name, _va, _vs, roff, rsize in secs:
        if not name.startswith(_DATA_SECTIONS_PE) or not rsize:
            continue
        end = min(roff + rsize, len(data))
        for hit in _CFFI_RECORD.finditer(data, roff, end):
            at = hit.start()
            if (at - roff) % 8:
                continue
            name_va, _wrapper = struct.unpack_from("<QQ", data, at)
            (direct_va,) = struct.unpack_from("<Q", data, at + 24)
            direct = direct_va - image_base
            if not lo_text <= direct < hi_text:
                continue
            doff = rva2o(direct)
            noff = rva2o(name_va - image_base) if name_va > image_base else None
            if doff is None or noff is None:
                continue
            if data[doff] == 0xE9:
                target = direct + 5 + struct.unpack_from("<i", data, doff + 1)[0]
                toff = rva2o(target) if lo_text <= target < hi_text else None
                if toff is None or data[toff:toff + 2] == b"\xff\x25":  # an import's jump stub
                    continue
            elif _inlined_leaf(data, doff):
                # the callee compiled into the direct function (a leaf: zstandard's
                # ZSTD_versionNumber is 'mov eax, 10507; ret' there): the function's own code
                target = direct
            else:
                continue
            word = _C_NAME.match(data, noff)
            if word and data[word.end():word.end() + 1] == b"\x00":
                found.setdefault(word.group().decode("ascii"), target)
    return found


# the return that ends an inlined leaf's body (what a constant getter compiles to)
_LEAF_RET = 0xC3


def _inlined_leaf(data: bytes | mmap.mmap, off: int) -> bool:
    """Whether the code at ``off`` is a short leaf ending in ``ret`` within 16 bytes, with no call or
    jump before it (so nothing of another file's: an import is reached only by call or jump)."""
    body = bytes(data[off:off + 16])
    end = body.find(_LEAF_RET)
    if end <= 0:
        return False
    head = body[:end]
    return not any(op in head for op in (b"\xe8", b"\xe9", b"\xeb", b"\xff\x15", b"\xff\x25"))


def _coff_functions(data: bytes, ptr: int, nsym: int, secs: list[tuple[str, int, int, int, int]]
                    ) -> dict[str, int]:
    """{name: RVA} of the global functions in a PE file's COFF symbol table (18-byte records, the
    string table after them): storage class EXTERNAL, type "function", defined in a section."""
    end = ptr + 18 * nsym
    if nsym > 4_000_000 or end + 4 > len(data):
        return {}
    strtab = end
    found: dict[str, int] = {}
    i = 0
    while i < nsym:
        base = ptr + 18 * i
        raw, value, secno, typ, sclass, naux = struct.unpack_from("<8sIhHBB", data, base)
        i += 1 + naux
        if sclass != 2 or typ & 0x30 != 0x20 or not 0 < secno <= len(secs):
            continue
        if raw[:4] == b"\x00\x00\x00\x00":
            name = _cstr(data, strtab + int.from_bytes(raw[4:], "little"), 512)
        else:
            name = raw.rstrip(b"\x00").decode("latin-1")
        found.setdefault(name, secs[secno - 1][1] + value)
    return found


# -- Mach-O ------------------------------------------------------------------

_MACHO_CPUS = {0x01000007: "x86_64", 0x0100000C: "aarch64", 7: "x86", 12: "arm"}


def _parse_macho(data: bytes) -> BinaryInfo:
    magic = data[:4]
    if magic in FAT_MAGICS:
        (n,) = struct.unpack_from(">I", data, 4)
        slices = []
        wide = magic == b"\xca\xfe\xba\xbf"
        for i in range(min(n, 8)):
            if wide:
                _cpu, _sub, off, size, _al, _r = struct.unpack_from(">iiQQII", data, 8 + 32 * i)
            else:
                _cpu, _sub, off, size, _al = struct.unpack_from(">iiIII", data, 8 + 20 * i)
            slices.append((off, size))
        infos = [_parse_thin_macho(data, off, off + size) for off, size in slices]
        if len(infos) == 1:
            return infos[0]
        first = infos[0] if infos else BinaryInfo(format="macho", machine="other")
        fat = BinaryInfo(format="macho", machine="universal", soname=first.soname,
                         needed=list(first.needed), rpath=list(first.rpath), slices=infos)
        for thin in infos:
            fat.data_ranges.extend(thin.data_ranges)
            fat.needed.extend(n for n in thin.needed if n not in fat.needed)
        # lookups answer from the first slice that has the symbol (each slice is read on its own
        # by the version readers, which need its machine)
        fat._lookup = first._lookup
        fat._v2o = first._v2o
        fat._o2v = first._o2v
        fat._ptr = first._ptr
        fat._matching = first._matching
        fat._counting = first._counting

        def present(pattern: bytes) -> set[str] | None:  # a name any slice has (each is read)
            found = [thin.present(pattern) for thin in infos]
            return None if any(f is None for f in found) else set().union(*found)

        fat._present = present
        return fat
    return _parse_thin_macho(data, 0, len(data))


def _parse_thin_macho(data: bytes, base: int, limit: int) -> BinaryInfo:
    magic = data[base:base + 4]
    end = "<" if magic in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe") else ">"
    is64 = magic in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf")
    cputype, _sub, _ft, ncmds, _sizeofcmds, _flags = struct.unpack_from(end + "iiIIII", data, base + 4)
    info = BinaryInfo(format="macho", machine=_MACHO_CPUS.get(cputype, "other"))
    off = base + (32 if is64 else 28)
    segs: list[tuple[int, int, int]] = []  # vmaddr, filesize, fileoff
    symtab: tuple[int, int, int, int] | None = None
    for _ in range(min(ncmds, 4096)):
        cmd, cmdsize = struct.unpack_from(end + "II", data, off)
        if cmd in (0x19, 0x1):  # LC_SEGMENT_64 / LC_SEGMENT
            if cmd == 0x19:
                _seg, vmaddr, _vms, fileoff, filesize, _mp, _ip, nsects, _fl = \
                    struct.unpack_from(end + "16sQQQQiiII", data, off + 8)
                sec_base, sec_size = off + 72, 80
            else:
                _seg, vmaddr, _vms, fileoff, filesize, _mp, _ip, nsects, _fl = \
                    struct.unpack_from(end + "16sIIIIiiII", data, off + 8)
                sec_base, sec_size = off + 56, 68
            segs.append((vmaddr, filesize, base + fileoff))
            for j in range(min(nsects, 256)):
                sb = sec_base + j * sec_size
                sectname = data[sb:sb + 16].rstrip(b"\x00").decode("ascii", "replace")
                if is64:
                    _a, size, sec_off = struct.unpack_from(end + "QQI", data, sb + 32)
                else:
                    _a, size, sec_off = struct.unpack_from(end + "III", data, sb + 32)
                if sectname in _DATA_SECTIONS_MACHO and size and sec_off:
                    info.data_ranges.append((base + sec_off, min(base + sec_off + size, limit)))
                if size and sec_off and base + sec_off < limit:
                    info.sections.setdefault(sectname, (base + sec_off, min(size, limit - base - sec_off)))
        elif cmd in (0xC, 0x80000018, 0x1F, 0x80000023):  # LOAD_DYLIB, LOAD_WEAK, REEXPORT, LAZY
            (name_off,) = struct.unpack_from(end + "I", data, off + 8)
            info.needed.append(_cstr(data, off + name_off, 1024))
        elif cmd == 0x8000001C:  # LC_RPATH
            (name_off,) = struct.unpack_from(end + "I", data, off + 8)
            info.rpath.append(_cstr(data, off + name_off, 1024))
        elif cmd == 0xD:  # LC_ID_DYLIB
            (name_off,) = struct.unpack_from(end + "I", data, off + 8)
            info.soname = _cstr(data, off + name_off, 1024)
        elif cmd == 0x2:  # LC_SYMTAB
            symtab = struct.unpack_from(end + "IIII", data, off + 8)
        off += cmdsize
        if cmdsize == 0:
            break
    if not info.data_ranges:
        info.data_ranges.append((base, limit))

    def v2o(vaddr: int) -> int | None:
        for va, size, fo in segs:
            if va <= vaddr < va + size:
                return vaddr - va + fo
        return None

    def o2v(off: int) -> int | None:
        for va, size, fo in segs:
            if fo <= off < fo + size:
                return off - fo + va
        return None

    info._v2o = v2o
    info._o2v = o2v

    looked = [0]
    index: dict[int, int] = {}

    def lookup(name: str) -> Symbol | None:
        if symtab is None:
            return None
        # (the tables copied once per file, not per name: a Rust dylib's tables are megabytes)
        ((table, strtab),) = _once(tables_bytes)
        needle = b"\x00_" + name.encode() + b"\x00"
        pos = strtab.find(needle)
        if pos < 0:
            return None
        esize = 16 if is64 else 12
        looked[0] += 1
        if looked[0] > 16:
            # many names looked up (a version pattern matching hundreds of Rust names): the
            # defined entries indexed by their name's offset once, rather than searched each time
            if looked[0] == 17:
                entries = struct.iter_unpack(end + ("IBBHQ" if is64 else "IBBHI"),
                                             table[:len(table) // esize * esize])
                for strx, _n_type, n_sect, _desc, value in entries:
                    if n_sect and strx not in index:
                        index[strx] = value
            value = index.get(pos + 1)
            if value is None:
                return None
            fo = v2o(value)
            return Symbol(name, fo if fo is not None else -1, value, 0, True)
        key = struct.pack(end + "I", pos + 1)
        p = table.find(key)
        while p >= 0:
            if p % esize == 0:
                if is64:
                    _strx, _n_type, n_sect, _desc, value = struct.unpack_from(end + "IBBHQ", table, p)
                else:
                    _strx, _n_type, n_sect, _desc, value = struct.unpack_from(end + "IBBHI", table, p)
                if n_sect:
                    fo = v2o(value)
                    return Symbol(name, fo if fo is not None else -1, value, 0, True)
            p = table.find(key, p + 1)
        return None

    info._lookup = lookup

    def tables_bytes() -> list[tuple[bytes, bytes]]:
        if symtab is None:
            return []
        symoff, nsyms, stroff, strsize = symtab
        esize = 16 if is64 else 12
        return [(bytes(data[base + symoff:base + symoff + nsyms * esize]),
                 bytes(data[base + stroff:base + stroff + strsize]))]

    def defined(table: bytes) -> set[int]:
        """The string offsets of the names of entries in a section and not debugging (stab) ones."""
        esize = 16 if is64 else 12
        n = len(table) // esize
        if end == "<" and n:
            strx = memoryview(table[:n * esize]).cast("I")[0::esize // 4]
            wanted = table[4:n * esize:esize].translate(_NOT_STAB)  # n_type
            in_sect = table[5:n * esize:esize].translate(_NONZERO)  # n_sect
            both = int.from_bytes(wanted, "little") & int.from_bytes(in_sect, "little")
            both = both.to_bytes(n, "little")
            return set(itertools.compress(strx, both))
        out = set()
        for i in range(n):
            strx, n_type, n_sect = struct.unpack_from(end + "IBB", table, i * esize)
            if n_sect and not n_type & 0xE0:  # in a section, not a debugging (stab) entry
                out.add(strx)
        return out

    defined_by_table: dict[int, set[int]] = {}  # each table's defined names, found once

    def matching(pattern: bytes, needles: tuple[bytes, ...]) -> list[Symbol]:
        rx = re.compile(pattern)
        out: dict[str, Symbol] = {}
        for _table, strtab in _once(tables_bytes):
            for raw in _names_with(strtab, needles, rx, b"_").values():
                name = raw.decode("latin-1")
                if name not in out:
                    sym = lookup(name)
                    if sym is not None:
                        out[name] = sym
        return list(out.values())

    def counting(pattern: bytes) -> Counter[str]:
        rx = _name_starts(pattern, b"_")
        counts: Counter[str] = Counter()
        for i, (table, strtab) in enumerate(_once(tables_bytes)):
            hits = list(rx.finditer(strtab))
            if hits:
                names = defined_by_table.get(i)
                if names is None:
                    names = defined_by_table[i] = defined(table)
                _count_defined(hits, names, counts)
        return counts

    def present(pattern: bytes) -> set[str]:
        rx = _whole(pattern, b"_")
        return {hit.group(1).decode("latin-1") for _table, strtab in _once(tables_bytes)
                for hit in rx.finditer(strtab)}

    info._matching = matching
    info._counting = counting
    info._present = present

    def pointer_at(vaddr: int) -> int | None:
        fo = v2o(vaddr)
        if fo is None:
            return None
        raw = struct.unpack_from(end + ("Q" if is64 else "I"), data, fo)[0]
        # chained fixups keep the target in the low bits of a rebase entry: an address, or (the
        # 64_OFFSET format of executables) an offset from the image's base, 0x100000000
        target = raw & 0xFFFFFFFFF
        if target and v2o(target) is None and image_base and v2o(image_base + target) is not None:
            return image_base + target
        return target or None

    # the image's base: the segment that maps the file's start (__TEXT)
    image_base = min((va for va, size, fo in segs if size and fo == base), default=0)
    info._ptr = pointer_at
    return info


# -- PE VERSIONINFO ------------------------------------------------------------

_VS_KEY = "VS_VERSION_INFO".encode("utf-16-le")
_FIXED_SIG = struct.pack("<I", 0xFEEF04BD)
_VS_STRINGS = ("ProductVersion", "FileVersion", "ProductName", "FileDescription", "InternalName",
               "OriginalFilename", "CompanyName")


def version_resource(data: bytes, info: BinaryInfo) -> dict[str, str]:
    """A PE file's VERSIONINFO: ``FixedFileVersion``/``FixedProductVersion`` and the StringFileInfo
    values named in ``_VS_STRINGS``; {} when there is none (searched in ``.rsrc`` only)."""
    where = info.sections.get(".rsrc")
    if info.format != "pe" or where is None:
        return {}
    lo, size = where
    return version_info_in(data, lo, lo + size)


def version_info_in(data: bytes, lo: int = 0, hi: int | None = None) -> dict[str, str]:
    """The first VERSIONINFO resource in ``data[lo:hi]`` (the fixed versions and the StringFileInfo
    values named in ``_VS_STRINGS``), read from its bytes alone: {} when there is none."""
    hi = len(data) if hi is None else min(hi, len(data))
    start = data.find(_VS_KEY, lo, hi)
    if start < 0:
        return {}
    out: dict[str, str] = {}
    sig = data.find(_FIXED_SIG, start, min(start + 128, hi))
    if sig >= 0 and sig + 24 <= hi:
        _sig, _struc, fms, fls, pms, pls = struct.unpack_from("<IIIIII", data, sig)
        out["FixedFileVersion"] = f"{fms >> 16}.{fms & 0xFFFF}.{fls >> 16}.{fls & 0xFFFF}"
        out["FixedProductVersion"] = f"{pms >> 16}.{pms & 0xFFFF}.{pls >> 16}.{pls & 0xFFFF}"
    block = bytes(data[start:min(start + 16384, hi)])
    for key in _VS_STRINGS:
        pos = block.find(key.encode("utf-16-le") + b"\x00\x00")
        if pos < 0 or pos % 2:
            continue
        pos += 2 * len(key) + 2
        while pos + 1 < len(block) and block[pos:pos + 2] == b"\x00\x00":
            pos += 2
        stop = pos
        while stop + 1 < len(block) and block[stop:stop + 2] != b"\x00\x00":
            stop += 2
        value = block[pos:stop].decode("utf-16-le", "replace").strip()
        if value and len(value) < 200:
            out[key] = value
    return out
