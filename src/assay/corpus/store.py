"""The corpus store: Parquet files, one folder per batch, appended by renaming a folder.

    STORE/
      corpus.json                      format version, created
      batches/<batch>/distributions.parquet
                     /components.parquet
                     /unknowns.parquet
                     /findings.parquet
      .tmp/                            batches being written (never read)
      .lock                            one scan at a time

A batch is written whole under ``.tmp/`` and then renamed into ``batches/`` (one atomic
``rename``): a reader sees all of a batch or none of it, and a scan killed at any point
loses at most the batch it was writing. Batch names sort by time, so when a
distribution was scanned twice (a failure retried) its newest rows win
(:mod:`assay.corpus.query`). Every table is written even when empty, with a fixed schema.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assay.corpus import require
from assay.errors import InputError

FORMAT = "assay-corpus"
FORMAT_VERSION = 1
TABLES = ("distributions", "components", "unknowns", "findings")


def schemas() -> dict[str, Any]:
    import pyarrow as pa

    evidence = pa.list_(pa.struct([("kind", pa.string()), ("location", pa.string()),
                                   ("detail", pa.string()), ("proves", pa.string())]))
    props = pa.list_(pa.struct([("key", pa.string()), ("value", pa.string())]))
    strings = pa.list_(pa.string())
    return {
        "distributions": pa.schema([
            ("sha256", pa.string()), ("filename", pa.string()), ("project", pa.string()),
            ("version", pa.string()), ("size", pa.int64()), ("kind", pa.string()), ("tags", strings),
            ("source", pa.string()), ("url", pa.string()), ("status", pa.string()),
            ("error", pa.string()), ("components", pa.int32()), ("unknowns", pa.int32()),
            ("findings", pa.int32()), ("fetch_s", pa.float64()), ("scan_s", pa.float64()),
            ("audit_s", pa.float64()), ("worker", pa.string()),
            ("scanned_at", pa.timestamp("us", tz="UTC")), ("assay_version", pa.string()),
            ("batch", pa.string()),
        ]),
        "components": pa.schema([
            ("sha256", pa.string()), ("filename", pa.string()), ("project", pa.string()),
            ("dist_version", pa.string()), ("id", pa.string()), ("name", pa.string()),
            ("version", pa.string()), ("kind", pa.string()), ("purl", pa.string()), ("cpes", strings),
            ("path", pa.string()), ("parent", pa.string()), ("found_by", pa.string()),
            ("evidence", evidence), ("properties", props), ("batch", pa.string()),
        ]),
        "unknowns": pa.schema([
            ("sha256", pa.string()), ("filename", pa.string()), ("subject", pa.string()),
            ("reason", pa.string()), ("detail", pa.string()), ("batch", pa.string()),
        ]),
        "findings": pa.schema([
            ("sha256", pa.string()), ("filename", pa.string()), ("project", pa.string()),
            ("dist_version", pa.string()), ("advisory", pa.string()), ("aliases", strings),
            ("component_id", pa.string()), ("component_name", pa.string()),
            ("component_version", pa.string()), ("component_purl", pa.string()),
            ("severity", pa.string()), ("score", pa.float64()), ("fixed_versions", strings),
            ("source", pa.string()), ("summary", pa.string()), ("evidence", pa.string()),
            ("batch", pa.string()),
        ]),
    }


def new_batch_name() -> str:
    return f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"


class CorpusStore:
    """A store folder. ``create``: make it when missing (a scan); else it must exist (a query)."""

    def __init__(self, root: str | os.PathLike[str], *, create: bool = False) -> None:
        self.root = Path(root)
        marker = self.root / "corpus.json"
        if create:
            if self.root.exists() and not self.root.is_dir():
                raise InputError(f"{self.root}: the store must be a folder, and this is a file")
            if self.root.is_dir() and not marker.exists() and any(self.root.iterdir()):
                raise InputError(f"{self.root}: folder exists, is not empty and is not a corpus store "
                                 "(give a new or empty folder)")
            (self.root / "batches").mkdir(parents=True, exist_ok=True)
            if not marker.exists():
                from assay.output import write_atomic

                write_atomic(marker, json.dumps({"format": FORMAT, "version": FORMAT_VERSION}) + "\n")
        elif not marker.is_file():
            raise InputError(f"{self.root}: not a corpus store (no corpus.json; "
                             "make one with `assay corpus scan ... --out {self.root}`)")
        else:
            try:
                meta = json.loads(marker.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(f"{marker}: unreadable ({exc})") from None
            if meta.get("format") != FORMAT or meta.get("version") != FORMAT_VERSION:
                raise InputError(f"{marker}: not a version {FORMAT_VERSION} corpus store")
        self._lock_fd: int | None = None

    # -- one writer at a time ----------------------------------------------
    def lock(self) -> None:
        import fcntl

        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError(f"{self.root}: another scan is writing to this store") from None
        self._lock_fd = fd
        # batches half-written by a killed scan: never renamed into place, never read
        shutil.rmtree(self.root / ".tmp", ignore_errors=True)

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- reading -------------------------------------------------------------
    def batches(self) -> list[Path]:
        d = self.root / "batches"
        if not d.is_dir():
            return []
        return sorted(p for p in d.iterdir() if p.is_dir() and not p.name.startswith("."))

    def files(self, table: str) -> list[Path]:
        return [b / f"{table}.parquet" for b in self.batches() if (b / f"{table}.parquet").is_file()]

    def done(self) -> set[str]:
        """sha256 of every distribution stored with status ok (skipped by a rerun)."""
        import pyarrow.parquet as pq

        done: set[str] = set()
        for f in self.files("distributions"):
            t = pq.read_table(f, columns=["sha256", "status"])
            for sha, status in zip(t.column("sha256").to_pylist(), t.column("status").to_pylist(),
                                   strict=True):
                if status == "ok":
                    done.add(sha)
        return done

    # -- writing ---------------------------------------------------------------
    def write_batch(self, results: Iterable[dict[str, Any]]) -> tuple[str, int]:
        """Write one batch of task results atomically; returns (batch name, distributions)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        name = new_batch_name()
        rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        for r in results:
            rows["distributions"].append({**r["distribution"], "batch": name})
            for t in ("components", "unknowns", "findings"):
                rows[t].extend({**row, "batch": name} for row in r[t])
        if not rows["distributions"]:
            return name, 0
        tmp = self.root / ".tmp" / name
        tmp.mkdir(parents=True)
        try:
            for table, schema in schemas().items():
                pq.write_table(pa.Table.from_pylist(rows[table], schema=schema), tmp / f"{table}.parquet",
                               compression="zstd")
            for f in tmp.iterdir():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
            os.rename(tmp, self.root / "batches" / name)
            _fsync_dir(self.root / "batches")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return name, len(rows["distributions"])


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_store(root: str | os.PathLike[str], *, create: bool = False) -> CorpusStore:
    require("pyarrow")
    return CorpusStore(root, create=create)
