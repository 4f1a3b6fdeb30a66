"""Which SPDX licenses a text contains, remembered: the caches in front of the matcher.

:func:`match_text` answers from this process's cache (by the sha256 of the text), then
from the disk cache (``$XDG_CACHE_HOME/assay/licenses-<version>.json``, keyed by the data
and the matcher's code), then from a text with the same body seen in this run (the same
license under another copyright line), and only then runs the matcher
(:mod:`assay.identity.licenses._engine`, imported on that first need, with the SPDX data).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import time
import zlib
from pathlib import Path
from typing import Any

from assay import __version__
from assay.identity.licenses._results import MAX_TEXT, Hit, TextMatch

_CACHE: dict[str, TextMatch] = {}
_BODIES: dict[str, TextMatch] = {}
_DISK: dict[str, Any] | None = None
_DIRTY = False
_STALE = 30 * 24 * 3600  # seconds: another version's cache file unwritten this long is removed


def _disk_path() -> Path | None:
    """``$XDG_CACHE_HOME/assay/licenses-<data and matcher version>.json``; ASSAY_LICENSE_CACHE=0
    turns it off, any other value is the file to use."""
    setting = os.environ.get("ASSAY_LICENSE_CACHE", "")
    if setting == "0":
        return None
    if setting:
        return Path(setting)
    from assay.data import read_bytes
    from assay.identity.licenses._store import DATA

    # the files' bytes, read directly: importing the matcher and importlib.resources to find
    # them cost a warm run more than matching from the cache does. They are assay's own files,
    # not scanned input, so a checksum tells one version from another: CRC-32 and the length of
    # each (hashing the 1 MB data file with SHA-256 cost every run about 30 M instructions)
    key = [__version__]
    for blob in (read_bytes(*DATA.split("/")),
                 *(Path(__file__).with_name(mod).read_bytes()
                   for mod in ("_match.py", "_results.py", "_engine.py", "_template.py"))):
        key.append(f"{len(blob)}:{zlib.crc32(blob):08x}")
    digest = hashlib.sha256("/".join(key).encode()).hexdigest()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "assay" / f"licenses-{digest[:16]}.json"


def _disk() -> dict[str, Any]:
    global _DISK
    if _DISK is None:
        _DISK = {}
        path = _disk_path()
        if path is not None:
            try:
                _DISK = json.loads(path.read_text())
            except (OSError, ValueError):
                _DISK = {}
            atexit.register(_flush, path)
    return _DISK


def _flush(path: Path) -> None:
    """Write the results of this run for the next one (atomically; best effort)."""
    if not _DIRTY or _DISK is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
        tmp.write_text(json.dumps(_DISK, separators=(",", ":")))
        tmp.replace(path)
    except OSError:
        return
    if not os.environ.get("ASSAY_LICENSE_CACHE"):
        # in assay's own cache folder, the files of other data or matcher versions: an upgrade
        # leaves one behind, removed once it has not been written for a month (deleting every
        # other one at once would make two installed versions of assay, a pipx one and a
        # project's, delete each other's cache on every run)
        import time

        month_ago = time.time() - _STALE
        for old in path.parent.glob("licenses-*.json"):
            with contextlib.suppress(OSError):
                if old.name != path.name and old.stat().st_mtime < month_ago:
                    old.unlink()


_FILES = "files"  # the disk cache's entry remembering license files' SHA-256 (never a digest)
_FILES_MAX = 100_000
_SETTLED_NS = 2_000_000_000  # a file changed less than this before it is read is not remembered


def file_sha256(data: bytes, st: os.stat_result | None) -> str:
    """The SHA-256 (hex) of a license file's ``data``, remembered across runs by the file's
    identity: device, inode, size, and modification and change times in nanoseconds, as git's
    index remembers what it hashed. ``st`` is the stat of the open file the bytes were read from
    (None: hash). The change time cannot be set back by a user, so a file written since gets a
    new key; a file changed within the last two seconds is hashed and not remembered (its
    timestamps may not move again on the next write, git's "racily clean" case)."""
    if st is None or st.st_size != len(data):
        return hashlib.sha256(data).hexdigest()
    global _DIRTY
    key = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
    disk = _disk()
    memo = disk.get(_FILES)
    if not isinstance(memo, dict):
        memo = disk[_FILES] = {}
    known = memo.get(key)
    if isinstance(known, str):
        return known
    digest = hashlib.sha256(data).hexdigest()
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) >= _SETTLED_NS:
        if len(memo) >= _FILES_MAX:  # the oldest half goes
            for old in list(memo)[:_FILES_MAX // 2]:
                del memo[old]
        memo[key] = digest
        _DIRTY = True
    return digest


def _to_row(m: TextMatch) -> list:
    return [[[h.key, h.start, h.end, list(h.alternatives)] for h in m.hits], m.words, m.other_words,
            m.terms_left, list(m.closest) if m.closest else None, list(m.tags), m.note, m.relaxed]


def _from_row(r: list) -> TextMatch:
    hits = tuple(Hit(k, a, b, tuple(alts)) for k, a, b, alts in r[0])
    return TextMatch(hits, r[1], r[2], r[3], tuple(r[4]) if r[4] else None, tuple(r[5]), r[6], r[7])


def match_text(text: str, sha256: str | None = None) -> TextMatch:
    """Every SPDX license (full text, standard notice, exception) found in ``text``.

    Cached by the text's sha256 in this process and on disk (see :func:`_disk_path`), so a
    license file is matched once per SPDX data and matcher version. A caller that has already
    hashed the text's UTF-8 bytes passes that hex digest as ``sha256``."""
    global _DIRTY
    key = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    disk = _disk()
    row = disk.get(key)
    if row is not None:
        try:
            result = _from_row(row)
        except (TypeError, ValueError, IndexError):
            row = None
    if row is None:
        from assay.identity.licenses._engine import body_key, match, normalize

        # the same license body under another copyright line: matched once per process
        norm = normalize(text) if len(text) <= MAX_TEXT else ""
        body = body_key(norm) if norm else ""
        result = _BODIES.get(body) if norm else None
        if result is None:
            result = match(text, norm or None)
            if norm and result.exact:
                # only a whole match is shared: a partial one may hang on the very line the key
                # leaves out (a GPL whose FSF line the template does not take, found only by its
                # "or later" notice, must not become every GPL text's result)
                _BODIES[body] = result
        disk[key] = _to_row(result)
        _DIRTY = True
    _CACHE[key] = result
    return result


def list_version() -> str:
    from assay.identity.licenses._engine import data

    return data().version


def clear_cache() -> None:
    _CACHE.clear()
    _BODIES.clear()
