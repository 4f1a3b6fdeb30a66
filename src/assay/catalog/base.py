"""The cataloger interface: how an input kind is recognised and turned into a Graph.

A cataloger is one module's ``CATALOGERS`` entry (see :mod:`assay.catalog.registry`). It
declares how it recognises its input from what the :class:`Target` offers cheaply (the file
name, whether it is a folder, its first bytes, its parsed JSON: each read at most once and
shared by every cataloger that asks), and turns the target into a :class:`Catalogue`,
reading files only through a :class:`~assay.sources.base.Resolver`.

Recognition returns a score, not a yes/no, so that the most specific cataloger wins whatever
the registry order: an exact file name (``uv.lock``) beats a suffix (``*.txt``), a parsed JSON
shape beats a ``.json`` suffix. 0 means "not mine".
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from assay.errors import InputError
from assay.model import Graph
from assay.sources.layout import InstalledLayout

# recognition scores
EXACT_NAME = 100  # the file name says it all (uv.lock, Pipfile.lock)
SHAPE = 80  # the content's structure proves it (an SPDX document's spdxVersion)
SUFFIX = 50  # the name's form (a .whl, a pylock.*.toml)
WEAK = 10  # a fallback (any *.txt is read as requirements)
NO = 0


@dataclass(frozen=True, slots=True)
class Options:
    """What the user asked of the catalogue (shared by every cataloger)."""

    bundled: bool = True  # look inside distributions (native libraries, vendored projects)
    allow_includes_outside: bool = False  # requirements: -r/-c may leave the file's folder


class Target:
    """What the user named: a file, a folder, or nothing (the running interpreter).

    Offers cheap, cached looks at it for recognition; nothing here executes anything.
    """

    HEAD = 4096

    def __init__(self, given: str | os.PathLike[str] | None) -> None:
        self.given = None if given is None else str(given)
        self.path: Path | None = None if given is None else Path(given)
        self._head: bytes | None = None
        self._json: tuple[Any, bytes] | None = None
        self._json_error: InputError | None = None
        if self.path is not None and not os.path.lexists(self.path):
            raise InputError(f"{self.path}: no such file or folder")

    def __repr__(self) -> str:
        return f"Target({self.given!r})"

    @property
    def is_dir(self) -> bool:
        return self.path is not None and self.path.is_dir()

    @property
    def is_file(self) -> bool:
        return self.path is not None and self.path.is_file()

    @property
    def name(self) -> str:
        """The file or folder name, lower case ("" for the running interpreter)."""
        return self.path.name.lower() if self.path is not None else ""

    @property
    def executable(self) -> bool:
        return self.is_file and os.access(self.path, os.X_OK)  # type: ignore[arg-type]

    def head(self) -> bytes:
        """The first bytes of a file target (b"" for folders and unreadable files)."""
        if self._head is None:
            self._head = b""
            if self.is_file:
                try:
                    with open(self.path, "rb") as fh:  # type: ignore[arg-type]
                        self._head = fh.read(self.HEAD)
                except OSError:
                    pass
        return self._head

    def looks_like_json(self) -> bool:
        return self.head().lstrip()[:1] in (b"{", b"[")

    def json(self) -> Any:
        """The parsed JSON document (read and parsed once); InputError when it is not JSON."""
        if self._json_error is not None:
            raise self._json_error
        if self._json is None:
            from assay.jsonio import read_json

            try:
                self._json = read_json(self.path)  # type: ignore[arg-type]
            except InputError as exc:
                self._json_error = exc
                raise
        return self._json[0]

    def take_json(self) -> Any:
        """:meth:`json`, handed over: the target forgets the document (a later call parses the file
        again), so its reader may let each part go once read."""
        doc = self.json()
        self._json = None
        return doc

    def raw(self) -> bytes:
        """The file's bytes as read for :meth:`json` (parsing it first when needed)."""
        self.json()
        assert self._json is not None
        return self._json[1]

    def json_object(self) -> dict[str, Any] | None:
        """The parsed JSON when the target is a JSON object, else None (never raises)."""
        if not self.is_file or not (self.name.endswith(".json") or self.looks_like_json()):
            return None
        try:
            doc = self.json()
        except InputError:
            return None
        return doc if isinstance(doc, dict) else None


@dataclass(slots=True)
class Catalogue:
    """What a cataloger produced: the graph, and for installed environments where their files are."""

    graph: Graph
    kind: str  # the cataloger's name
    layout: InstalledLayout | None = None
    notes: list[str] = field(default_factory=list)  # said once to the user (e.g. "interpreter not run")


class Cataloger(ABC):
    """One input kind. Subclasses set the class attributes and implement the two methods."""

    name: ClassVar[str]  # short machine name: "wheel", "uv.lock", "environment"
    description: ClassVar[str]  # for messages and --help: "a wheel (.whl)"
    installed: ClassVar[bool] = False  # the graph describes installed files (integrity applies)

    @abstractmethod
    def recognise(self, target: Target) -> int:
        """How surely ``target`` is this kind: 0 (no) .. 100 (certain)."""

    @abstractmethod
    def catalog(self, target: Target, options: Options) -> Catalogue:
        """The inventory of ``target``. Bad input raises InputError naming the file."""


__all__ = ["EXACT_NAME", "NO", "SHAPE", "SUFFIX", "WEAK", "Cataloger", "Catalogue", "Options", "Target"]
