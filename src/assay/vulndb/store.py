"""The advisory store: one SQLite file (stdlib :mod:`sqlite3`), offline once filled.

Tables (schema version in ``meta``):

* ``advisories`` — one row per (source, id): modified, withdrawn, aliases, summary,
  severity/score/vector, references.
* ``packages`` — OSV ``affected`` entries, indexed by (ecosystem, name); ranges
  are stored already sorted in PEP 440 order, ``versions`` normalised.
* ``cpes`` — vulnerable CPE matches from NVD / CVE 5, indexed by (vendor, product).
* ``files`` — digest of every file (or archive member) imported, so a re-import
  skips unchanged files without parsing them.
* ``imports`` — one row per import: source, time, digest and counts.

Re-imports are incremental: a record replaces the stored one only when its
``modified`` is newer. A withdrawn advisory keeps its row (so ``db status`` can
count it) but no affected rows, so it never matches.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import urllib.parse
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assay.errors import InputError, NetworkError
from assay.vulndb.records import Record, Rows

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS advisories (
    source TEXT NOT NULL, id TEXT NOT NULL, modified TEXT NOT NULL, published TEXT NOT NULL,
    withdrawn TEXT NOT NULL, aliases TEXT NOT NULL, summary TEXT NOT NULL,
    severity INTEGER NOT NULL, score REAL, vector TEXT NOT NULL, refs TEXT NOT NULL,
    PRIMARY KEY (source, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS packages (
    source TEXT NOT NULL, advisory TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL,
    ranges TEXT NOT NULL, versions TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS advisories_by_id ON advisories (id);
CREATE INDEX IF NOT EXISTS packages_by_name ON packages (ecosystem, name);
CREATE INDEX IF NOT EXISTS packages_by_advisory ON packages (source, advisory);
CREATE TABLE IF NOT EXISTS cpes (
    source TEXT NOT NULL, advisory TEXT NOT NULL, vendor TEXT NOT NULL, product TEXT NOT NULL,
    exact TEXT, start_incl TEXT, start_excl TEXT, end_incl TEXT, end_excl TEXT
);
CREATE INDEX IF NOT EXISTS cpes_by_product ON cpes (vendor, product);
CREATE INDEX IF NOT EXISTS cpes_by_advisory ON cpes (source, advisory);
CREATE TABLE IF NOT EXISTS commit_tags (
    repo TEXT NOT NULL, commit_id TEXT NOT NULL, tags TEXT NOT NULL, PRIMARY KEY (repo, commit_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, digest TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY, location TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
    digest TEXT NOT NULL, added INTEGER NOT NULL, updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL, withdrawn INTEGER NOT NULL, errors INTEGER NOT NULL
);
"""
# Read caches shared by every Store open on the same file, valid for one data generation
# (a counter bumped by each write): warm audits in one process skip decoding rows again.
_CACHES: dict[str, tuple[str, dict[str, Any]]] = {}

_INSERT_IMPORT = ("INSERT INTO imports (location, kind, at, digest, added, updated, unchanged, withdrawn,"
                  " errors) VALUES (?,?,?,?,?,?,?,?,?)")


def default_path() -> Path:
    """``$ASSAY_DB``, else ``$XDG_CACHE_HOME/assay/vulndb.sqlite`` (``~/.cache`` by default)."""
    env = os.environ.get("ASSAY_DB")
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "assay" / "vulndb.sqlite"


@dataclass(slots=True)
class ImportStats:
    location: str = ""
    kind: str = ""
    digest: str = ""
    files: int = 0
    skipped_files: int = 0  # unchanged since the last import (same digest)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return self.added + self.updated + self.unchanged


@dataclass(frozen=True, slots=True)
class AdvisoryRow:
    source: str
    id: str
    modified: str
    aliases: tuple[str, ...]
    summary: str
    severity: int
    score: float | None
    vector: str
    references: tuple[str, ...]


# SQLite result codes (the primary code: the low byte of sqlite_errorcode)
_BUSY, _LOCKED, _READONLY, _CANTOPEN, _NOTADB, _CORRUPT, _PERM = 5, 6, 8, 14, 26, 11, 3


class DatabaseLocked(NetworkError):
    """Another process holds the database (an import); exit 4, as for a busy service."""


def database_error(path: Path, exc: sqlite3.Error, doing: str = "read") -> InputError:
    """The one-line error that says what happened to the database at ``path``: locked by another
    process, read-only, unreadable, or not an advisory database at all."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    text = str(exc)
    if code in (_BUSY, _LOCKED) or "locked" in text or "busy" in text:
        return DatabaseLocked(f"{path}: the advisory database is locked by another process "
                              f"(an import or update still running?); could not {doing} it",
                              hint="try again when it has finished")
    if code in (_READONLY, _PERM) or "readonly" in text or "read-only" in text:
        return InputError(f"{path}: the advisory database is read-only here (no write permission on "
                          f"the file or its folder); cannot {doing} it",
                          hint="audits only read it; imports need a writable copy or --db elsewhere")
    if code == _CANTOPEN or "unable to open" in text:
        return InputError(f"{path}: cannot open the advisory database ({text})")
    if code in (_NOTADB, _CORRUPT) or "not a database" in text or "malformed" in text:
        return InputError(f"{path}: not an assay advisory database ({text})")
    return InputError(f"{path}: advisory database error ({text})")


class Store:
    """An open advisory database. Use as a context manager or call :meth:`close`.

    ``readonly``: open it for reading only (what audits do): nothing is created or changed,
    and a database the user may not write to can still be read.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True,
                 readonly: bool = False) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.readonly = readonly
        if (readonly or not create) and not self.path.is_file():
            raise InputError(f"{self.path}: no advisory database here",
                             hint="run `assay db import PATH` or `assay db update` first")
        try:
            if readonly:
                self.db = _connect_readonly(self.path)
            else:
                if create:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                          timeout=_busy_timeout())
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.Error as exc:
            raise database_error(self.path, exc, "read" if readonly else "open") from None
        except OSError as exc:
            raise InputError(f"{self.path}: cannot open the advisory database "
                             f"({exc.strerror or exc})") from None
        if row is None:
            if readonly:
                raise InputError(f"{self.path}: not an assay advisory database (no schema)")
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            raise InputError(f"{self.path}: advisory database schema {row[0]}, this assay reads "
                             f"{SCHEMA_VERSION}", hint="delete the file and import again")

    # -- who is writing -------------------------------------------------------
    @contextmanager
    def importing(self, what: str) -> Iterator[None]:
        """Mark the database as being filled while the block runs, so that a reader can say "an
        import is running" rather than "empty" (the rows only appear at its commit)."""
        mark = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "what": what,
                           "since": datetime.now(UTC).isoformat(timespec="seconds")})
        self._meta_write("INSERT OR REPLACE INTO meta VALUES ('importing', ?)", (mark,))
        try:
            yield
        finally:
            try:
                self.db.execute("DELETE FROM meta WHERE key='importing' AND value=?", (mark,))
            except sqlite3.Error:
                pass

    def _meta_write(self, sql: str, params: tuple[Any, ...]) -> None:
        try:
            self.db.execute(sql, params)
        except sqlite3.Error as exc:
            raise database_error(self.path, exc, "write to") from None

    def import_running(self) -> dict[str, Any] | None:
        """The import now filling this database (pid, what, since), if one is alive."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key='importing'").fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            mark = json.loads(row[0])
            pid = int(mark["pid"])
        except (ValueError, KeyError, TypeError):
            return None
        if mark.get("host") == socket.gethostname():
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return None  # it died without clearing its mark
            except PermissionError:
                pass  # alive, someone else's
        return mark

    @property
    def cache(self) -> dict[str, Any]:
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        generation = row[0] if row else "0"
        key = str(self.path.resolve())
        held = _CACHES.get(key)
        if held is None or held[0] != generation:
            held = (generation, {})
            _CACHES[key] = held
        return held[1]

    def _bump(self, cur: sqlite3.Cursor) -> None:
        # a random token, not a counter: a database deleted and imported again must not
        # look like the one the cache was filled from
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (uuid.uuid4().hex,))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- writing ------------------------------------------------------------
    def known_files(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT path, digest FROM files"))

    def _begin(self) -> sqlite3.Cursor:
        """A write transaction; a locked or read-only database is one line saying so."""
        if self.readonly:
            raise InputError(f"{self.path}: opened read-only; cannot write to it")
        cur = self.db.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise database_error(self.path, exc, "write to") from None
        return cur

    def write(self, records: Iterable[Record | Rows], stats: ImportStats,
              files: Sequence[tuple[str, str]] = ()) -> None:
        """Store records incrementally (newer ``modified`` wins) in one transaction."""
        cur = self._begin()
        try:
            existing = {(s, i): m for s, i, m in cur.execute("SELECT source, id, modified FROM advisories")}
            adv_rows: list[tuple[Any, ...]] = []
            pkg_rows: list[tuple[Any, ...]] = []
            cpe_rows: list[tuple[Any, ...]] = []
            stale: list[tuple[str, str]] = []
            for rec in records:
                adv, pkgs, cpes = rec.rows() if isinstance(rec, Record) else rec
                key = (adv[0], adv[1])
                modified = adv[2]
                old = existing.get(key)
                if old is not None:
                    if old >= modified:
                        stats.unchanged += 1
                        continue
                    stale.append(key)
                    stats.updated += 1
                else:
                    stats.added += 1
                existing[key] = modified
                if adv[4]:
                    stats.withdrawn += 1
                adv_rows.append(adv)
                pkg_rows.extend(pkgs)
                cpe_rows.extend(cpes)
            if stale:
                cur.executemany("DELETE FROM packages WHERE source=? AND advisory=?", stale)
                cur.executemany("DELETE FROM cpes WHERE source=? AND advisory=?", stale)
            cur.executemany("INSERT OR REPLACE INTO advisories VALUES (?,?,?,?,?,?,?,?,?,?,?)", adv_rows)
            cur.executemany("INSERT INTO packages VALUES (?,?,?,?,?,?)", pkg_rows)
            cur.executemany("INSERT INTO cpes VALUES (?,?,?,?,?,?,?,?,?)", cpe_rows)
            self._bump(cur)
            cur.executemany("INSERT OR REPLACE INTO files VALUES (?,?)", files)
            cur.execute(
                _INSERT_IMPORT,
                (stats.location, stats.kind, datetime.now(UTC).isoformat(timespec="seconds"),
                 stats.digest, stats.added, stats.updated, stats.unchanged, stats.withdrawn,
                 len(stats.errors)))
            cur.execute("COMMIT")
        except BaseException as exc:
            cur.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise database_error(self.path, exc, "write to") from None
            raise

    def write_commit_tags(self, repo: str, table: dict[str, list[str]], stats: ImportStats,
                          files: Sequence[tuple[str, str]] = ()) -> None:
        """Replace the commit → first release tags table of ``repo`` (e.g. github.com/python/cpython)."""
        cur = self._begin()
        try:
            cur.execute("DELETE FROM commit_tags WHERE repo=?", (repo,))
            cur.executemany("INSERT INTO commit_tags VALUES (?,?,?)",
                            [(repo, c, json.dumps(t)) for c, t in table.items()])
            self._bump(cur)
            cur.executemany("INSERT OR REPLACE INTO files VALUES (?,?)", files)
            cur.execute(
                _INSERT_IMPORT,
                (stats.location, "commit-tags", datetime.now(UTC).isoformat(timespec="seconds"),
                 stats.digest, len(table), 0, 0, 0, 0))
            cur.execute("COMMIT")
        except BaseException as exc:
            cur.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise database_error(self.path, exc, "write to") from None
            raise

    def commit_tags(self, repo: str) -> dict[str, list[str]]:
        cache = self.cache
        key = f"commit_tags:{repo}"
        if key not in cache:
            cache[key] = {c: json.loads(t) for c, t in
                          self.db.execute("SELECT commit_id, tags FROM commit_tags WHERE repo=?", (repo,))}
        return cache[key]

    # -- reading ------------------------------------------------------------
    def packages_for(self, ecosystem: str, names: Sequence[str]) -> list[tuple[str, str, str, str, str]]:
        """(source, advisory, name, ranges-json, versions-json) for those names."""
        out: list[tuple[str, str, str, str, str]] = []
        for chunk in _chunks(sorted(set(names)), 500):
            marks = ",".join("?" * len(chunk))
            out.extend(self.db.execute(
                f"SELECT source, advisory, name, ranges, versions FROM packages "  # noqa: S608 - marks only
                f"WHERE ecosystem=? AND name IN ({marks})", (ecosystem, *chunk)))
        return out

    def cpes_for(self, products: Sequence[tuple[str, str]]) -> list[tuple[Any, ...]]:
        """(source, advisory, vendor, product, exact, start_incl, start_excl, end_incl, end_excl)."""
        out: list[tuple[Any, ...]] = []
        for vendor, product in sorted(set(products)):
            out.extend(self.db.execute(
                "SELECT source, advisory, vendor, product, exact, start_incl, start_excl, end_incl, end_excl"
                " FROM cpes WHERE vendor=? AND product=?", (vendor, product)))
        return out

    def advisories(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], AdvisoryRow]:
        """Advisory rows (not withdrawn) for (source, id) keys; absent keys are left out."""
        cached: dict[tuple[str, str], AdvisoryRow | None] = self.cache.setdefault("advisories", {})
        out: dict[tuple[str, str], AdvisoryRow] = {}
        wanted = []
        for key in set(keys):
            if key in cached:
                row = cached[key]
                if row is not None:
                    out[key] = row
            else:
                wanted.append(key)
        wanted.sort()
        fetched = self._advisories(wanted)
        for key in wanted:
            cached[key] = fetched.get(key)
        out.update(fetched)
        return out

    def _advisories(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], AdvisoryRow]:
        out: dict[tuple[str, str], AdvisoryRow] = {}
        for chunk in _chunks(wanted, 400):
            where = ",".join("(?,?)" for _ in chunk)
            params = [v for key in chunk for v in key]
            for row in self.db.execute(
                    "SELECT source, id, modified, aliases, summary, severity, score, vector, refs "  # noqa: S608
                    f"FROM advisories WHERE withdrawn='' AND (source, id) IN (VALUES {where})", params):
                out[(row[0], row[1])] = AdvisoryRow(row[0], row[1], row[2], tuple(json.loads(row[3])),
                                                    row[4], row[5], row[6], row[7],
                                                    tuple(json.loads(row[8])))
        return out

    def best_severities(self, ids: Sequence[str]) -> dict[str, tuple[int, float | None, str] | None]:
        """For each advisory id, the highest (severity, score, vector) any source gives it (None when
        no source rates it). Cached per data generation."""
        known: dict[str, tuple[int, float | None, str] | None] = \
            self.cache.setdefault("alias_severity", {})
        missing = sorted(set(ids) - known.keys())
        for chunk in _chunks(missing, 500):
            marks = ",".join("?" * len(chunk))
            for adv_id in chunk:
                known.setdefault(adv_id, None)
            sql = f"SELECT id, severity, score, vector FROM advisories WHERE withdrawn='' AND id IN ({marks})"  # noqa: S608
            for adv_id, sev, score, vector in self.db.execute(sql, list(chunk)):
                best = known.get(adv_id)
                if sev and (best is None or sev > best[0]):
                    known[adv_id] = (sev, score, vector)
        return {i: known.get(i) for i in ids}

    def summary(self) -> dict[str, Any]:
        """Path and counts per source (cached per data generation)."""
        cache = self.cache
        if "summary" not in cache:
            status = self.status()
            cache["summary"] = {"path": status["path"], "sources": status["sources"]}
        return cache["summary"]

    def status(self) -> dict[str, Any]:
        """Counts per source and the recent imports (what ``assay db status`` shows)."""
        sources = {}
        for source, total, withdrawn, newest in self.db.execute(
                "SELECT source, COUNT(*), SUM(withdrawn != ''), MAX(modified) FROM advisories "
                "GROUP BY source ORDER BY source"):
            sources[source] = {"advisories": total, "withdrawn": withdrawn or 0, "newest_modified": newest}
        imports = [
            {"location": loc, "kind": kind, "at": at, "digest": digest, "added": a, "updated": u,
             "unchanged": n, "withdrawn": w, "errors": e}
            for loc, kind, at, digest, a, u, n, w, e in self.db.execute(
                "SELECT location, kind, at, digest, added, updated, unchanged, withdrawn, errors "
                "FROM imports ORDER BY id DESC LIMIT 20")
        ]
        tables = {repo: n for repo, n in self.db.execute(
            "SELECT repo, COUNT(*) FROM commit_tags GROUP BY repo")}
        return {"path": str(self.path), "schema": SCHEMA_VERSION, "sources": sources,
                "commit_tables": tables, "imports": imports}

    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM advisories LIMIT 1").fetchone() is None


def _busy_timeout() -> float:
    """How long to wait for another process's write lock: ASSAY_DB_TIMEOUT seconds, else 60."""
    try:
        return max(0.0, float(os.environ.get("ASSAY_DB_TIMEOUT", "60")))
    except ValueError:
        return 60.0


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL database in a folder the reader cannot write to (no -shm
    file can be made) is opened as immutable: nothing can be writing to it either."""
    uri = "file:" + urllib.parse.quote(str(path.resolve()))
    try:
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False,
                             timeout=_busy_timeout())
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
        return db
    except sqlite3.OperationalError as exc:
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        # a WAL database needs its -shm file even to read; a reader who may not create it
        # (SQLITE_READONLY / SQLITE_CANTOPEN) reads the file as immutable
        if code not in (_CANTOPEN, _READONLY) and "unable to open" not in str(exc) \
                and "readonly" not in str(exc):
            raise
        if os.access(path.parent, os.W_OK) and os.access(path, os.W_OK):
            raise
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None,
                           check_same_thread=False)


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
