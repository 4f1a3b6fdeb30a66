"""Resolver: the one way catalogers and enrichers read files.

A Resolver presents a directory, a wheel/zip, a tarball or an environment as a
tree of POSIX relative paths. Catalogers never touch the OS directly, so the
same cataloger works on an installed environment and on an archive, and the
path-safety and decompression bounds live in one place.
"""

from __future__ import annotations

import posixpath
from abc import ABC, abstractmethod
from collections.abc import Iterator
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


class Resolver(ABC):
    """Read-only view of a tree of files."""

    #: a human-readable name for messages and evidence (a path or URL)
    description: str = ""

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
