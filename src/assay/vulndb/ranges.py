"""Range semantics: OSV ``ECOSYSTEM`` events for PyPI, NVD ``cpeMatch`` bounds for native libraries.

OSV (https://ossf.github.io/osv-schema/#evaluation): a version is affected by a
range when, walking the events in version order, the last event at or below it
is an ``introduced`` (``fixed`` and ``limit`` end the range at their version,
``last_affected`` ends it just after). A version in the explicit ``versions``
list is affected too. PyPI versions compare by PEP 440 (``packaging``).

NVD: a ``cpeMatch`` entry is either an exact version in the CPE string's version
field, or ``*`` with optional versionStart/End Including/Excluding bounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from packaging.version import Version

from assay.vulndb.versions import native_compare, pep440

# An event as stored: (kind, version) with kind in introduced/fixed/last_affected/limit.
Event = tuple[str, str]


def sort_events(events: Iterable[Event]) -> list[Event]:
    """Events in PEP 440 order; "introduced 0" first. Unparseable versions are dropped
    (the caller records that the range is partial)."""
    keyed: list[tuple[tuple[int, Version | None], int, Event]] = []
    order = {"introduced": 0, "fixed": 1, "last_affected": 2, "limit": 3}
    for kind, ver in events:
        if kind == "introduced" and ver == "0":
            keyed.append(((0, None), order[kind], (kind, ver)))
            continue
        parsed = pep440(ver)
        if parsed is None:
            continue
        keyed.append(((1, parsed), order.get(kind, 4), (kind, ver)))
    keyed.sort(key=lambda item: (item[0][0], item[0][1] or Version("0"), item[1]))
    return [event for _, _, event in keyed]


# Parsed events: (code, version) with 0 introduced, 1 fixed, 2 last_affected, 3 limit;
# version None stands for "introduced 0".
ParsedEvents = tuple[tuple[int, Version | None], ...]
_CODES = {"introduced": 0, "fixed": 1, "last_affected": 2, "limit": 3}


@lru_cache(maxsize=65536)
def parse_events(events: tuple[Event, ...]) -> ParsedEvents:
    out = []
    for kind, text in events:
        code = _CODES.get(kind)
        if code is None:
            continue
        if code == 0 and text == "0":
            out.append((0, None))
            continue
        parsed = pep440(text)
        if parsed is not None:
            out.append((code, parsed))
    return tuple(out)


def osv_affected(version: Version, events: Sequence[Event]) -> bool:
    """Whether ``version`` falls in one OSV ECOSYSTEM range (events already sorted)."""
    return osv_affected_parsed(version, parse_events(tuple(events)))


def osv_affected_parsed(version: Version, events: ParsedEvents) -> bool:
    affected = False
    limited = False
    for code, bound in events:
        if code == 0:
            if bound is None or version >= bound:
                affected = True
        elif code == 1:
            if version >= bound:  # type: ignore[operator]
                affected = False
        elif code == 2:
            if version > bound:  # type: ignore[operator]
                affected = False
        else:
            limited = True
    if affected and limited:
        affected = any(version < bound for code, bound in events if code == 3)  # type: ignore[operator]
    return affected


def osv_fixed_versions(events: Sequence[Event]) -> list[str]:
    return [v for kind, v in events if kind == "fixed"]


@dataclass(frozen=True, slots=True)
class CpeRange:
    """One vulnerable ``cpeMatch`` of a library: an exact version or bounds."""

    vendor: str
    product: str
    exact: str | None = None  # version from the CPE string when not "*" / "-"
    start_incl: str | None = None
    start_excl: str | None = None
    end_incl: str | None = None
    end_excl: str | None = None

    def contains(self, version: str) -> bool:
        if self.exact is not None:
            return native_compare(version, self.exact) == 0
        if self.start_incl is not None and native_compare(version, self.start_incl) < 0:
            return False
        if self.start_excl is not None and native_compare(version, self.start_excl) <= 0:
            return False
        if self.end_incl is not None and native_compare(version, self.end_incl) > 0:
            return False
        return not (self.end_excl is not None and native_compare(version, self.end_excl) >= 0)

    def describe(self) -> str:
        if self.exact is not None:
            return f"= {self.exact}"
        parts = []
        if self.start_incl:
            parts.append(f">= {self.start_incl}")
        if self.start_excl:
            parts.append(f"> {self.start_excl}")
        if self.end_incl:
            parts.append(f"<= {self.end_incl}")
        if self.end_excl:
            parts.append(f"< {self.end_excl}")
        return ", ".join(parts) or "all versions"


def split_cpe(cpe: str) -> tuple[str, str, str, str] | None:
    """(part, vendor, product, version) of a CPE 2.3 formatted string, or None.

    Handles escaped colons (``\\:``) in fields.
    """
    if not cpe.startswith("cpe:2.3:"):
        return None
    fields: list[str] = []
    cur: list[str] = []
    escaped = False
    for ch in cpe[8:]:
        if escaped:
            cur.append(ch)
            escaped = False
        elif ch == "\\":
            cur.append(ch)
            escaped = True
        elif ch == ":":
            fields.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    fields.append("".join(cur))
    if len(fields) < 4:
        return None
    return fields[0], fields[1].lower(), fields[2].lower(), fields[3].replace("\\", "")
