"""Resolvers over archives: wheels and zip sdists (:class:`ZipResolver`), tarballs (:class:`TarResolver`).

Members are read into memory, never extracted to disk and never executed. Every
member path goes through :func:`safe_relpath`, so nothing escapes the archive
root. Decompression is bounded three ways against bombs: per member, in total,
and by the ratio of uncompressed to compressed size (zip members; tar streams are
bounded by size only, since their members share one compressed stream).
A corrupt archive raises :class:`InputError` with one line naming the file.
"""

from __future__ import annotations

import io
import os
import tarfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from assay.errors import InputError
from assay.sources.base import Resolver, safe_relpath


@dataclass(frozen=True, slots=True)
class Limits:
    """Decompression bounds. The defaults fit the largest real wheels (a few GB in total)."""

    max_member: int = 1 << 30  # 1 GiB for one member
    max_total: int = 8 << 30  # 8 GiB read from one archive in one scan
    max_ratio: int = 200  # uncompressed/compressed, checked for members above ratio_floor
    # members up to this size may compress arbitrarily well: a manylinux_2_28 library padded to
    # 2 MiB page alignment is mostly zeros (Pillow 13's libXau: 2.1 MB from 9 KB, 223x)
    ratio_floor: int = 16 << 20


DEFAULT_LIMITS = Limits()


class DecompressionBomb(InputError):
    """A member (or the archive in total) would inflate past the limits; nothing was inflated."""


def _corrupt(path: object, exc: BaseException) -> InputError:
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return InputError(f"{path}: corrupt or unreadable archive ({detail})")


class _Budget:
    def __init__(self, limits: Limits, origin: str) -> None:
        self.limits = limits
        self.origin = origin
        self.used = 0
        self._lock = threading.Lock()  # members may be read from two threads

    def charge(self, member: str, size: int) -> None:
        if size > self.limits.max_member:
            raise DecompressionBomb(f"{self.origin}: member {member} is {size} bytes uncompressed, "
                             f"over the {self.limits.max_member}-byte limit (decompression bomb?)")
        with self._lock:
            self.used += size
            used = self.used
        if used > self.limits.max_total:
            raise DecompressionBomb(f"{self.origin}: more than {self.limits.max_total} bytes uncompressed "
                             "(decompression bomb?)")


class ZipResolver(Resolver):
    """A wheel or a zip sdist, read in memory."""

    # zipfile reads each open member through one shared file under a lock; inflating is per member
    concurrent_reads = True

    def __init__(self, path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS,
                 fileobj: BinaryIO | None = None) -> None:
        self.path = Path(path)
        self.description = str(path)
        self.limits = limits
        self._budget = _Budget(limits, self.description)
        try:
            self._zip = zipfile.ZipFile(fileobj if fileobj is not None else self.path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _corrupt(self.path, exc) from None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.is_dir():
                continue
            rel = safe_relpath(info.filename, origin=self.description)
            if rel:
                self._infos.setdefault(rel, info)

    @classmethod
    def from_bytes(cls, data: bytes, *, description: str, limits: Limits = DEFAULT_LIMITS) -> ZipResolver:
        """A zip held in memory (a wheel inside a wheel); ``description`` names it in messages."""
        return cls(description, limits=limits, fileobj=io.BytesIO(data))

    def files(self) -> Iterator[str]:
        return iter(self._infos)

    def info(self, path: str) -> zipfile.ZipInfo:
        try:
            return self._infos[path]
        except KeyError:
            raise FileNotFoundError(f"{self.description}: no member {path}") from None

    def size(self, path: str) -> int:
        return self.info(path).file_size

    def compressed_size(self, path: str) -> int:
        return self.info(path).compress_size

    def _check(self, path: str) -> zipfile.ZipInfo:
        """Charge the member to the budget and refuse a ratio bomb, before inflating anything."""
        info = self.info(path)
        size = info.file_size
        self._budget.charge(path, size)
        if size > self.limits.ratio_floor and size > self.limits.max_ratio * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise DecompressionBomb(f"{self.description}: member {path} inflates {ratio}x, over the "
                             f"{self.limits.max_ratio}x limit (decompression bomb?)")
        return info

    def read_bytes(self, path: str) -> bytes:
        info = self._check(path)
        size = info.file_size
        try:
            with self._zip.open(info) as fh:
                # read one byte more than declared: a lying header cannot inflate past the bound
                data = fh.read(size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError, NotImplementedError) as exc:
            raise _corrupt(f"{self.description}: {path}", exc) from None
        if len(data) > size:
            raise InputError(f"{self.description}: member {path} is larger than its header says")
        return data

    def iter_chunks(self, path: str, size: int = 1 << 20) -> Iterator[bytes]:
        info = self._check(path)
        left = info.file_size + 1  # one byte more than declared, as read_bytes does
        try:
            with self._zip.open(info) as fh:
                while left > 0 and (chunk := fh.read(min(size, left))):
                    left -= len(chunk)
                    if left == 0:
                        raise InputError(f"{self.description}: member {path} is larger than its header says")
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError, NotImplementedError) as exc:
            raise _corrupt(f"{self.description}: {path}", exc) from None

    def read_head(self, path: str, n: int) -> bytes:
        """The first ``n`` bytes of a member (cheap: only that much is inflated)."""
        info = self.info(path)
        try:
            with self._zip.open(info) as fh:
                return fh.read(min(n, info.file_size))
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError, NotImplementedError) as exc:
            raise _corrupt(f"{self.description}: {path}", exc) from None

    def open(self, path: str) -> BinaryIO:
        return io.BytesIO(self.read_bytes(path))

    def close(self) -> None:
        self._zip.close()


class TarResolver(Resolver):
    """A tarball sdist (.tar.gz, .tgz, .tar.bz2, .tar.xz, .tar). Only regular files are members."""

    def __init__(self, path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.description = str(self.path)
        self.limits = limits
        self._budget = _Budget(limits, self.description)
        try:
            self._tar = tarfile.open(self.path, "r:*")  # noqa: SIM115 - closed in close()
            members = self._tar.getmembers()
        except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
            raise _corrupt(self.path, exc) from None
        self._members: dict[str, tarfile.TarInfo] = {}
        for m in members:
            if not m.isreg():
                continue  # links, devices, fifos: never followed
            rel = safe_relpath(m.name, origin=self.description)
            if rel:
                self._members[rel] = m

    def files(self) -> Iterator[str]:
        return iter(self._members)

    def size(self, path: str) -> int:
        try:
            return self._members[path].size
        except KeyError:
            raise FileNotFoundError(f"{self.description}: no member {path}") from None

    def read_bytes(self, path: str) -> bytes:
        size = self.size(path)
        self._budget.charge(path, size)
        try:
            fh = self._tar.extractfile(self._members[path])
            if fh is None:
                raise FileNotFoundError(path)
            with fh:
                data = fh.read(size + 1)
        except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
            raise _corrupt(f"{self.description}: {path}", exc) from None
        if len(data) != size:
            raise InputError(f"{self.description}: member {path} is truncated")
        return data

    def iter_chunks(self, path: str, size: int = 1 << 20) -> Iterator[bytes]:
        total = self.size(path)
        self._budget.charge(path, total)
        got = 0
        try:
            fh = self._tar.extractfile(self._members[path])
            if fh is None:
                raise FileNotFoundError(path)
            with fh:
                while chunk := fh.read(min(size, total - got)):
                    got += len(chunk)
                    yield chunk
        except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
            raise _corrupt(f"{self.description}: {path}", exc) from None
        if got != total:
            raise InputError(f"{self.description}: member {path} is truncated")

    def read_head(self, path: str, n: int) -> bytes:
        size = self.size(path)
        try:
            fh = self._tar.extractfile(self._members[path])
            if fh is None:
                raise FileNotFoundError(path)
            with fh:
                return fh.read(min(n, size))
        except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
            raise _corrupt(f"{self.description}: {path}", exc) from None

    def open(self, path: str) -> BinaryIO:
        return io.BytesIO(self.read_bytes(path))

    def close(self) -> None:
        self._tar.close()


TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar")
ZIP_SUFFIXES = (".whl", ".zip", ".egg")


def open_archive(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Resolver:
    """A Resolver for a wheel, zip or tarball, chosen by its name (then by its content)."""
    p = Path(path)
    name = p.name.lower()
    if name.endswith(ZIP_SUFFIXES):
        return ZipResolver(p, limits=limits)
    if name.endswith(TAR_SUFFIXES):
        return TarResolver(p, limits=limits)
    if zipfile.is_zipfile(p):
        return ZipResolver(p, limits=limits)
    try:
        if tarfile.is_tarfile(p):
            return TarResolver(p, limits=limits)
    except OSError as exc:
        raise _corrupt(p, exc) from None
    raise InputError(f"{p}: not a zip or tar archive")


__all__ = ["DEFAULT_LIMITS", "DecompressionBomb", "Limits", "TarResolver", "ZipResolver", "open_archive"]
