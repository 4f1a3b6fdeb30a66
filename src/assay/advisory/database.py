"""An advisory-database folder laid out like the PSF's: ``advisories/<product>/<ID>.json``.

``advisories/python/PSF-2025-9.json`` holds CPython advisories, ``advisories/pip/``
pip's. Ids are ``<PREFIX>-<year>-<N>``; a record not yet numbered carries the
placeholder ``<PREFIX>-0000-<anything>`` (what the PSF's importer writes before
its id-assigning workflow runs). Reserved ids live in ``advisories/.reserved``,
one a line (``PSF-2026-3 CVE-2026-1234``), so two people drafting at once never
get the same id.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.errors import InputError
from assay.output import write_atomic

RESERVED_FILE = ".reserved"


@dataclass(slots=True)
class Entry:
    path: Path
    text: str
    doc: dict[str, Any]

    @property
    def id(self) -> str:
        value = self.doc.get("id")
        return value if isinstance(value, str) else ""

    @property
    def aliases(self) -> list[str]:
        return [a for a in self.doc.get("aliases") or () if isinstance(a, str)]


class Database:
    """One advisory-database folder. ``root`` is the repository (holding ``advisories/``)
    or the ``advisories`` folder itself."""

    def __init__(self, root: Path, *, prefix: str = "PSF", create: bool = False) -> None:
        root = Path(root)
        if (root / "advisories").is_dir() or (root.name != "advisories" and not _has_products(root)):
            self.advisories = root / "advisories"
        else:
            self.advisories = root
        if not self.advisories.is_dir():
            if not create:
                raise InputError(f"{root}: not an advisory database (no advisories/ folder)")
            self.advisories.mkdir(parents=True)
        self.prefix = prefix
        self.id_pattern = re.compile(rf"{re.escape(prefix)}-(\d{{4}})-(\d+)")
        self._entries: dict[Path, Entry] | None = None

    # -- reading ---------------------------------------------------------------

    def files(self) -> list[Path]:
        return sorted(p for p in self.advisories.glob("*/*.json") if p.is_file())

    def entries(self) -> list[Entry]:
        if self._entries is None:
            self._entries = {}
            for path in self.files():
                self._entries[path] = self._read(path)
        return list(self._entries.values())

    @staticmethod
    def _read(path: Path) -> Entry:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(doc, dict):
            raise InputError(f"{path}: not an OSV record (not a JSON object)")
        return Entry(path, text, doc)

    def by_alias(self, alias: str) -> list[Entry]:
        return [e for e in self.entries() if alias in e.aliases]

    def product_dir(self, product: str) -> Path:
        return self.advisories / product

    def is_placeholder(self, adv_id: str) -> bool:
        return adv_id.startswith(f"{self.prefix}-0000-")

    # -- ids ---------------------------------------------------------------------

    def _reserved_path(self) -> Path:
        return self.advisories / RESERVED_FILE

    def reservations(self) -> list[tuple[str, str]]:
        """(id, note) for each reserved id."""
        path = self._reserved_path()
        if not path.is_file():
            return []
        out = []
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            adv_id, _, note = line.partition(" ")
            if not self.id_pattern.fullmatch(adv_id):
                raise InputError(f"{path}:{lineno}: {adv_id!r} is not a {self.prefix}-YYYY-N id")
            out.append((adv_id, note.strip()))
        return out

    def used_ids(self) -> set[str]:
        ids = {p.stem for p in self.files()}
        ids |= {e.id for e in self.entries() if e.id}
        ids |= {adv_id for adv_id, _ in self.reservations()}
        return ids

    def next_id(self, year: int) -> str:
        """The next free ``PREFIX-year-N``: one more than the highest N of that year used
        by a file, a record or a reservation (gaps are never refilled: a withdrawn id
        stays withdrawn)."""
        highest = 0
        for adv_id in self.used_ids():
            m = self.id_pattern.fullmatch(adv_id)
            if m and int(m[1]) == year:
                highest = max(highest, int(m[2]))
        return f"{self.prefix}-{year}-{highest + 1}"

    def reserved_for(self, alias: str) -> str | None:
        for adv_id, note in self.reservations():
            if alias and alias in note.split():
                return adv_id
        return None

    def reserve(self, year: int, note: str = "") -> str:
        adv_id = self.next_id(year)
        path = self._reserved_path()
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        if old and not old.endswith("\n"):
            old += "\n"
        line = f"{adv_id} {' '.join(note.split())}".rstrip()
        write_atomic(path, old + line + "\n")
        return adv_id

    def release(self, adv_id: str) -> None:
        """Drop a reservation once a record with that id is written."""
        path = self._reserved_path()
        if not path.is_file():
            return
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [ln for ln in lines if ln.split("#", 1)[0].split()[:1] != [adv_id]]
        if kept != lines:
            write_atomic(path, "".join(kept))

    def wrote(self, path: Path, text: str, doc: dict[str, Any], *, removed: Path | None = None) -> None:
        """Keep the index in step with a file just written (and one removed), without re-reading."""
        if self._entries is None:
            return
        if removed is not None:
            self._entries.pop(removed, None)
        self._entries[path] = Entry(path, text, doc)


def _has_products(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_dir() and any(p.glob("*.json")) for p in folder.iterdir())
