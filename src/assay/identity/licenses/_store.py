"""The layout of ``assay/data/licenses/spdx.dat`` (written by :mod:`.builddata`, read by
:mod:`._match`): ``MAGIC``, the header's length as 8 big-endian bytes, the zlib-compressed JSON
header, then the templates' entries compressed in chunks."""

from __future__ import annotations

import json
import zlib

DATA = "licenses/spdx.dat"  # in the assay.data package
MAGIC = b"assay-spdx-licenses 2\n"
CHUNK = 64 * 1024  # templates are compressed in chunks of about this size (zlib's window is 32 KiB)


def read_header(blob: bytes) -> dict:
    """The header of a data file built here (see the module doc)."""
    if not blob.startswith(MAGIC):
        raise ValueError("not an assay SPDX license data file")
    size = int.from_bytes(blob[len(MAGIC):len(MAGIC) + 8], "big")
    start = len(MAGIC) + 8
    header = json.loads(zlib.decompress(blob[start:start + size]))
    header["base"] = start + size
    return header


def read_chunk(blob: bytes, header: dict, index: int) -> bytes:
    """One decompressed chunk of template entries."""
    offset, length = header["chunks"][index]
    base = header["base"] + offset
    return zlib.decompress(blob[base:base + length])


def read_entry(blob: bytes, header: dict, key: str) -> dict:
    """One template's entry: name, osi, weight, program (see ``dump_program``)."""
    index, start, end = header["entries"][key]
    return json.loads(read_chunk(blob, header, index)[start:end])


__all__ = ["CHUNK", "DATA", "MAGIC", "read_chunk", "read_entry", "read_header"]
