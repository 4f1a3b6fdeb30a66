"""RECORD files (PEP 376 / the wheel spec): parse rows, hash content the way RECORD does, and
write a RECORD with rows replaced or added. Pure functions over text and bytes."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from assay.identity.hashes import urlsafe_digest


@dataclass(frozen=True, slots=True)
class RecordRow:
    path: str  # as written: relative to the site-packages folder (may start with ../)
    digest: str = ""  # "sha256=<urlsafe b64>" or "" (RECORD itself, .pyc files)
    size: str = ""  # decimal, or ""

    @property
    def algorithm(self) -> str:
        return self.digest.partition("=")[0]

    @property
    def value(self) -> str:
        return self.digest.partition("=")[2].rstrip("=")

    @property
    def size_int(self) -> int | None:
        return int(self.size) if self.size.isdigit() else None


def parse(text: str) -> Iterator[RecordRow]:
    """Every row with a path. Malformed CSV quoting is read as csv reads it; NUL bytes are dropped."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    for row in csv.reader(io.StringIO(text)):
        if not row or not row[0]:
            continue
        yield RecordRow(row[0], row[1] if len(row) > 1 else "", row[2] if len(row) > 2 else "")


def paths(text: str) -> list[str]:
    """The paths a RECORD lists (first column)."""
    return [r.path for r in parse(text)]


def digest_of(data: bytes, algorithm: str = "sha256") -> str:
    """``sha256=<urlsafe base64>`` of ``data``, as a RECORD row writes it."""
    return f"{algorithm}={urlsafe_digest(hashlib.new(algorithm, data).digest())}"


def row_for(path: str, data: bytes) -> RecordRow:
    return RecordRow(path, digest_of(data), str(len(data)))


def matches(expected_digest: str, chunks: Iterable[bytes]) -> tuple[bool | None, int]:
    """Whether the content given as ``chunks`` has the RECORD digest; None when the algorithm is
    unknown to hashlib (cannot judge, never accuse). Returns (verdict, bytes read)."""
    alg, _, value = expected_digest.partition("=")
    try:
        h = hashlib.new(alg)
    except ValueError:
        return None, 0
    n = 0
    for chunk in chunks:
        h.update(chunk)
        n += len(chunk)
    return urlsafe_digest(h.digest()) == value.rstrip("="), n


def with_rows(text: str, rows: Iterable[RecordRow], *, record_path: str | None = None) -> str:
    """The RECORD ``text`` with ``rows`` replacing rows of the same path or added; RECORD's own
    row (``*.dist-info/RECORD``) stays last, and is added as ``record_path`` when missing."""
    new = list(rows)
    replaced = {r.path for r in new}
    kept = [r for r in csv.reader(io.StringIO(text)) if r and r[0] not in replaced]
    own = [r for r in kept if r[0].endswith(".dist-info/RECORD")]
    body = [r for r in kept if not r[0].endswith(".dist-info/RECORD")]
    if not own and record_path:
        own = [[record_path, "", ""]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(body)
    writer.writerows([r.path, r.digest, r.size] for r in new)
    writer.writerows(own)
    return out.getvalue()


__all__ = ["RecordRow", "digest_of", "matches", "parse", "paths", "row_for", "with_rows"]
