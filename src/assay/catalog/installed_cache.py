"""What reading an installed distribution gave, remembered between runs.

Reading a distribution's metadata folder (METADATA's headers, PEP 610/710 files, INSTALLER,
license files matched against SPDX) is most of what ``assay sbom`` of an environment costs, and
an environment rarely changes between two runs. The installed cataloger keeps, per site
folder, what each distribution gave (its component, Requires-Dist and extras) with the identity
of every file and folder the reading looked at: device, inode, size, and modification and change
times in nanoseconds, as git's index remembers what it hashed. A distribution is read again when
any of them differs (a file rewritten, added to or removed from its folder), when assay's own
files differ (its version, code or data), or when it was never seen. A change time cannot be set
back by a user, so an edit in place that restores the modification time is still seen. What
changed less than two seconds before it was read is not remembered (its times may not move again
on the next write: git's "racily clean" case), nor is a reading that raised an unknown.

The file is ``$XDG_CACHE_HOME/assay/installed/<site folder digest>.json``;
``ASSAY_INSTALLED_CACHE=0`` turns it off and any other value is the folder to use. Output never
depends on it: a run with it and one without write the same document.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from assay import __version__
from assay.model import Component, Evidence, Hash, Kind, License

_SETTLED_NS = 2_000_000_000  # a file changed less than this before it is read is not remembered
_STALE = 30 * 24 * 3600  # seconds: a site's file unwritten this long is removed by a later write
_FORMAT = 1
_CODE: str | None = None


def folder() -> Path | None:
    """Where the per-site files live (None: the cache is off)."""
    setting = os.environ.get("ASSAY_INSTALLED_CACHE", "")
    if setting == "0":
        return None
    if setting:
        return Path(setting)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "assay" / "installed"


def _code_key() -> str:
    """assay's version, the interpreter's, and the size and modification time of every file of
    the assay package (code and data): a changed reader or table never answers from a file
    written by another."""
    global _CODE
    if _CODE is None:
        parts = [__version__, sys.version, str(_FORMAT)]
        stack = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
        while stack:
            here = stack.pop()
            try:
                entries = sorted(os.scandir(here), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    with contextlib.suppress(OSError):
                        st = entry.stat()
                        parts.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
        _CODE = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return _CODE


def signature(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


# -- rows: a Component as plain JSON data and back, losslessly ---------------------------

def component_row(c: Component) -> list[Any]:
    lic = c.license
    return [
        c.id, c.kind.value, c.name, c.version, c.purl, list(c.cpes),
        [[h.alg, h.value] for h in c.hashes],
        None if lic is None else [lic.expression, lic.text, lic.source, [list(e) for e in lic.extracted]],
        c.supplier, c.author, c.description, c.download_location, c.homepage, c.source_url,
        [[e.kind, e.location, e.detail, e.proves] for e in c.evidence],
        c.found_by, [list(p) for p in c.properties],
    ]


def component_from_row(r: list[Any]) -> Component:
    lic = r[7]
    return Component(
        r[0], Kind(r[1]), r[2], r[3], r[4], tuple(r[5]), tuple(Hash(a, v) for a, v in r[6]),
        None if lic is None else License(lic[0], lic[1], lic[2], tuple((i, t) for i, t in lic[3])),
        r[8], r[9], r[10], r[11], r[12], r[13],
        tuple(Evidence(k, loc, d, p) for k, loc, d, p in r[14]),
        r[15], tuple((k, v) for k, v in r[16]),
    )


class SiteMemo:
    """The remembered readings of one site folder, loaded once per run and written back when
    anything was added or changed."""

    def __init__(self, site: str) -> None:
        self.site = site
        self.path: Path | None = None
        self.entries: dict[str, Any] = {}
        self.kept: dict[str, Any] = {}  # what this run found valid or read anew
        self.dirty = False
        base = folder()
        if base is None:
            return
        self.path = base / f"{hashlib.sha256(site.encode()).hexdigest()[:24]}.json"
        try:
            doc = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(doc, dict) and doc.get("code") == _code_key() and doc.get("site") == site \
                and isinstance(doc.get("dists"), dict):
            self.entries = doc["dists"]

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def get(self, meta: str) -> Any | None:
        """The remembered value of ``meta`` when every file and folder it was read from is as it
        was then, else None."""
        entry = self.entries.get(meta)
        if not isinstance(entry, dict):
            return None
        site = self.site
        try:
            for rel, sig in entry["seen"]:
                st = os.stat(os.path.join(site, rel))
                if [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns] != sig:
                    return None
        except (OSError, KeyError, TypeError, ValueError):
            return None
        self.kept[meta] = entry
        return entry["value"]

    def put(self, meta: str, seen: dict[str, os.stat_result], value: Any) -> None:
        """Remember ``value`` for ``meta``, read from the files and folders ``seen`` (paths
        relative to the site folder, each stat taken before its content was read)."""
        if self.path is None:
            return
        now = time.time_ns()
        if any(now - max(st.st_mtime_ns, st.st_ctime_ns) < _SETTLED_NS for st in seen.values()):
            return
        self.kept[meta] = {"seen": [[rel, signature(st)] for rel, st in sorted(seen.items())],
                           "value": value}
        self.dirty = True

    def flush(self) -> None:
        """Write what this run kept (atomically; best effort: a cache that cannot be written is
        no error). Distributions no longer present are forgotten."""
        if self.path is None or not (self.dirty or set(self.kept) != set(self.entries)):
            return
        doc = {"code": _code_key(), "site": self.site, "dists": self.kept}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.part")
            tmp.write_text(json.dumps(doc, separators=(",", ":")))
            tmp.replace(self.path)
        except OSError:
            return
        month_ago = time.time() - _STALE
        for old in self.path.parent.glob("*.json"):
            with contextlib.suppress(OSError):
                if old != self.path and old.stat().st_mtime < month_ago:
                    old.unlink()


__all__ = ["SiteMemo", "component_from_row", "component_row", "folder"]
