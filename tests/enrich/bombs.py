"""Decompression-bomb wheels, built fast and cached: members of hundreds of MiB that deflate about
120:1 (below the ratio limit, so a scanner really inflates them), starting with an ELF header whose
section table lies past the end (so a binary reader falls back to scanning every byte).

The deflate stream of a member is one compressed 1 MiB block repeated: each block is compressed
with a full flush, so the blocks are independent and their concatenation is a valid stream. That
makes a 1000 MiB member a matter of a second instead of half a minute of zlib.
"""

from __future__ import annotations

import os
import random
import struct
import zlib
from pathlib import Path

BLOCK = 1 << 20


def _elf_head() -> bytes:
    hdr = bytearray(64)
    hdr[:4] = b"\x7fELF"
    hdr[4], hdr[5], hdr[6] = 2, 1, 1  # 64-bit, little endian, version 1
    struct.pack_into("<HHI", hdr, 16, 3, 62, 1)  # ET_DYN, x86-64
    struct.pack_into("<QQQ", hdr, 24, 0, 64, 1 << 40)  # entry, phoff, shoff far past the end
    struct.pack_into("<HHHHHH", hdr, 52, 64, 56, 1, 64, 3, 2)
    return bytes(hdr)


def _blocks(seed: int) -> tuple[bytes, bytes]:
    rnd = random.Random(seed)
    body = bytearray(BLOCK)
    for i in range(0, BLOCK, 4096):
        body[i:i + 16] = rnd.randbytes(16)
    first = bytearray(body)
    first[:64] = _elf_head()
    return bytes(first), bytes(body)


def _deflate(block: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)


def _dos_time() -> tuple[int, int]:
    return (12 << 11), ((2024 - 1980) << 9) | (1 << 5) | 1


def build(path: Path, *, members: int, mib: int, seed: int = 7) -> Path:
    """A wheel ``bomb-1.0`` with ``members`` ELF-looking members of ``mib`` MiB each."""
    if path.exists():
        return path
    first, body = _blocks(seed)
    z_first, z_body, z_end = _deflate(first), _deflate(body), zlib.compressobj(6, zlib.DEFLATED, -15).flush()
    crc = zlib.crc32(first)
    for _ in range(mib - 1):
        crc = zlib.crc32(body, crc)
    usize = mib * BLOCK
    csize = len(z_first) + (mib - 1) * len(z_body) + len(z_end)
    small = {
        "bomb-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: bomb\nVersion: 1.0\n",
        "bomb-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: py3-none-any\n",
    }
    t, d = _dos_time()
    central: list[bytes] = []
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as out:
        def entry(name: str, method: int, crc: int, csize: int, usize: int) -> None:
            raw = name.encode()
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, t, d, crc,
                                       csize, usize, len(raw), 0, 0, 0, 0, 0o644 << 16, out.tell()) + raw)
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, t, d, crc, csize, usize,
                                  len(raw), 0) + raw)

        for name, data in small.items():
            entry(name, 0, zlib.crc32(data), len(data), len(data))
            out.write(data)
        for k in range(members):
            entry(f"bomb/lib{k}.so", 8, crc, csize, usize)
            out.write(z_first)
            for _ in range(mib - 1):
                out.write(z_body)
            out.write(z_end)
        record = b"".join(f"{n},,\n".encode() for n in small) + b"bomb-1.0.dist-info/RECORD,,\n"
        entry("bomb-1.0.dist-info/RECORD", 0, zlib.crc32(record), len(record), len(record))
        out.write(record)
        start = out.tell()
        for c in central:
            out.write(c)
        size = out.tell() - start
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, start, 0))
    os.replace(tmp, path)
    return path
