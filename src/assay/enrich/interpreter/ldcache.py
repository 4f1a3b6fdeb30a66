"""``/etc/ld.so.cache``, read from its binary format (glibc's ``glibc-ld.so.cache1.1``).

The cache maps a library's SONAME to the path the dynamic loader will open when no RPATH or
RUNPATH found it first. The file is read as bytes, never by running ``ldconfig -p``. Layout
(glibc ``sysdeps/generic/dl-cache.h``): a 48-byte header (magic, version, entry count,
string-table length, flags, extension offset), then 24-byte entries (flags, key and value
offsets into the string table, an unused OS version, a hwcap word); string offsets count from
the start of that header. Old caches put the new format after an ``ld.so-1.7.0`` section;
only the new section is read.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAGIC = b"glibc-ld.so.cache1.1"
_HEADER = struct.Struct("<20sIIB3xI12x")  # magic+version, nlibs, len_strings, flags, extension_offset
_ENTRY = struct.Struct("<iIIIQ")  # flags, key, value, osversion, hwcap

FLAG_ELF_LIBC6 = 0x0003
# the architecture bits of an entry's flags (glibc FLAG_*_LIB64 and friends)
ARCH_FLAGS = {"x86_64": 0x0300, "aarch64": 0x0A00, "ppc64le": 0x0500, "s390x": 0x0400,
              "x86": 0x0000, "arm": 0x0900, "riscv64": 0x1000}


@dataclass(frozen=True, slots=True)
class Entry:
    soname: str
    path: str
    flags: int
    hwcap: int


def parse(data: bytes) -> list[Entry]:
    """The entries of a cache file; [] when it is not a cache in the new format."""
    start = data.find(MAGIC)
    if start < 0 or start + _HEADER.size > len(data):
        return []
    _magic, nlibs, _len_strings, _flags, _ext = _HEADER.unpack_from(data, start)
    out = []
    base = start + _HEADER.size
    for i in range(min(nlibs, (len(data) - base) // _ENTRY.size)):
        flags, key, value, _os, hwcap = _ENTRY.unpack_from(data, base + i * _ENTRY.size)
        out.append(Entry(_cstr(data, start + key), _cstr(data, start + value), flags, hwcap))
    return out


def _cstr(data: bytes, off: int) -> str:
    if off < 0 or off >= len(data):
        return ""
    end = data.find(b"\x00", off, off + 4096)
    return data[off:end if end >= 0 else off + 4096].decode("utf-8", "replace")


class LdCache:
    """SONAME -> path for one architecture, as the loader would look it up."""

    def __init__(self, entries: list[Entry], machine: str) -> None:
        want = ARCH_FLAGS.get(machine)
        self.by_soname: dict[str, str] = {}
        for e in entries:
            if (e.flags & 0xFF) != FLAG_ELF_LIBC6 or want is None or (e.flags & 0xFF00) != want:
                continue
            if e.hwcap:  # a glibc-hwcaps variant: the loader prefers it only on matching CPUs
                continue
            self.by_soname.setdefault(e.soname, e.path)

    @classmethod
    def load(cls, machine: str, path: str = "/etc/ld.so.cache") -> LdCache:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            data = b""
        return cls(parse(data), machine)

    def lookup(self, soname: str) -> str | None:
        return self.by_soname.get(soname)


__all__ = ["ARCH_FLAGS", "Entry", "LdCache", "parse"]
