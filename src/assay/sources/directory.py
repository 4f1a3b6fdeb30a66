"""A Resolver over a folder on disk (an environment, an unpacked sdist, a project)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from assay.errors import InputError
from assay.sources.base import Resolver, safe_relpath


def repository_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The top of the git repository holding ``start`` (default: the working folder), else
    ``start`` itself: what reports give file locations relative to."""
    here = Path(os.path.abspath(start if start is not None else os.getcwd()))
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


class DirectoryResolver(Resolver):
    concurrent_reads = True  # every read opens its own file

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise InputError(f"{self.root}: not a folder")
        self.description = str(self.root)
        self._root = str(self.root)

    def path(self, rel: str) -> Path:
        """The real path of a member (never outside the root)."""
        return self.root / safe_relpath(rel, origin=str(self.root))

    def files(self) -> Iterator[str]:
        root = str(self.root)
        stack = [root]
        while stack:
            current = stack.pop()
            try:
                entries = list(os.scandir(current))
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    yield os.path.relpath(entry.path, root).replace(os.sep, "/")

    def listdir(self, rel: str = "") -> list[str]:
        try:
            return sorted(os.listdir(self.path(rel)))
        except OSError:
            return []

    def _real(self, rel: str) -> str:
        return os.path.join(self._root, safe_relpath(rel, origin=self._root))

    def open(self, path: str) -> BinaryIO:
        return open(self._real(path), "rb")

    def size(self, path: str) -> int:
        return os.stat(self._real(path)).st_size

    def local_path(self, path: str) -> str | None:
        return self._real(path)

    def exists(self, path: str) -> bool:
        return os.path.isfile(self._real(path))
