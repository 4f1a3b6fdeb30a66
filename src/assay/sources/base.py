"""Resolver: the one way catalogers and enrichers read files.

A Resolver presents a directory, a wheel/zip, a tarball or an environment as a
tree of POSIX relative paths. Catalogers never touch the OS directly, so the
same cataloger works on an installed environment and on an archive, and the
path-safety and decompression bounds live in one place.
"""

from __future__ import annotations

import mmap
import posixpath
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from assay.errors import InputError


def safe_relpath(path: str, *, origin: str = "") -> str:
    """Normalise an archive/member path; refuse anything that escapes its root."""
    p = path.replace("\\", "/")
    if p.startswith("/") or (len(p) > 1 and p[1] == ":"):
        raise InputError(f"{origin or path}: absolute member path {path!r} refused")
    norm = posixpath.normpath(p)
    if norm == ".." or norm.startswith("../"):
        raise InputError(f"{origin or path}: member path {path!r} escapes the archive root")
    return "" if norm == "." else norm


# members larger than this are never held in memory whole: buffer() spools them to a temporary
# file and maps it, so one huge member costs pages the reader touches, not its size
SPOOL_BYTES = 32 << 20
CHUNK = 1 << 20



class MappedFile(mmap.mmap):
    """A read-only memory map that is also a seekable file (zipfile reads a nested wheel from it)."""

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True


Buffer = bytes | mmap.mmap


class Resolver(ABC):
    """Read-only view of a tree of files."""

    #: a human-readable name for messages and evidence (a path or URL)
    description: str = ""
    #: members may be read from two threads at once (a scan inflates the next while it reads one)
    concurrent_reads: bool = False

    @abstractmethod
    def files(self) -> Iterator[str]:
        """Every regular file, as a POSIX path relative to the root."""

    @abstractmethod
    def open(self, path: str) -> BinaryIO:
        """Open a member for reading; raises FileNotFoundError if absent."""

    @abstractmethod
    def size(self, path: str) -> int:
        """Uncompressed size in bytes."""

    def read_bytes(self, path: str) -> bytes:
        with self.open(path) as fh:
            return fh.read()

    def read_head(self, path: str, n: int) -> bytes:
        """The first ``n`` bytes of a member (archives inflate only that much)."""
        with self.open(path) as fh:
            return fh.read(n)

    def iter_chunks(self, path: str, size: int = CHUNK) -> Iterator[bytes]:
        """The member's bytes in chunks (archives inflate as they go, within their bounds)."""
        with self.open(path) as fh:
            while chunk := fh.read(size):
                yield chunk

    def local_path(self, path: str) -> str | None:
        """The member's path on disk when it is a plain file (folders), else None."""
        return None

    @contextmanager
    def buffer(self, path: str) -> Iterator[Buffer]:
        """The member's bytes for a reader that needs random access (a binary's headers, sections
        and symbols): ``bytes`` for a small member; for a large one a read-only memory map, of
        the file itself or of a temporary file it was inflated into chunk by chunk. Valid only
        inside the ``with`` block."""
        if self.size(path) <= SPOOL_BYTES:
            yield self.read_bytes(path)
            return
        local = self.local_path(path)
        if local is not None:
            with open(local, "rb") as fh, MappedFile(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                yield mm
            return
        import tempfile

        with tempfile.TemporaryFile(prefix="assay-member-") as spool:
            for chunk in self.iter_chunks(path):
                spool.write(chunk)
            spool.flush()
            if spool.tell() == 0:
                yield b""
                return
            with MappedFile(spool.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                yield mm

    def read_text(self, path: str, encoding: str = "utf-8") -> str:
        return self.read_bytes(path).decode(encoding, errors="replace")

    def exists(self, path: str) -> bool:
        try:
            self.size(path)
        except (FileNotFoundError, KeyError):
            return False
        return True

    def glob(self, pattern: str) -> Iterator[str]:
        """Files whose relative path matches a fnmatch pattern (``*`` does not cross ``/``)."""
        import re
        from fnmatch import translate

        rx = re.compile(translate(pattern).replace(".*", "[^/]*"))
        return (f for f in self.files() if rx.match(f))

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (archive handles)."""

    def __enter__(self) -> Resolver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
