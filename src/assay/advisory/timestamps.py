"""RFC 3339 timestamps as advisory records write them (UTC, ``Z``), compared by instant."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

_PLAIN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")


def normalize(text: str) -> str:
    """``text`` as a UTC timestamp ending in ``Z``, its precision kept.

    CVE JSON 5 writes ``2025-06-03T12:58:50.352Z`` and sometimes drops the ``Z``
    (the time is UTC all the same); an explicit offset is converted to UTC.
    """
    text = text.strip()
    if _PLAIN.fullmatch(text):
        return text.rstrip("Z") + "Z"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return text
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S") + (f".{parsed.microsecond // 1000:03d}"
                                                     if parsed.microsecond else "") + "Z"


def parse(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(normalize(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def same_or_earlier(kept: str, other: str) -> bool:
    """Whether ``kept`` is at or before ``other``, at ``kept``'s own precision.

    ``2025-06-03T12:59:02Z`` (a writer that drops milliseconds) is the same
    instant as ``2025-06-03T12:59:02.717Z``.
    """
    a, b = parse(kept), parse(other)
    if a is None or b is None:
        return False
    if a.microsecond == 0 and "." not in kept:
        b = b.replace(microsecond=0)
    return a <= b


def later(a: str, b: str) -> bool:
    """Whether ``a`` is after ``b``, at ``b``'s own precision."""
    pa, pb = parse(a), parse(b)
    if pa is None or pb is None:
        return False
    if pb.microsecond == 0 and "." not in b:
        pa = pa.replace(microsecond=0)
    return pa > pb


def now() -> str:
    """The current time, or ``SOURCE_DATE_EPOCH`` when set (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
