"""What a worker does with one distribution; plain rows come back to the client.

1. get the bytes: a local file is read where it is; a URL is streamed by :mod:`assay.net`
   into the worker's scratch folder and checked against the index's sha256 (nothing
   unchecked is ever scanned); the file is removed afterwards unless ``keep`` names a folder;
2. catalogue it with the code ``assay sbom`` runs (:func:`assay.catalog.load`, bundled
   libraries, vendored projects, PEP 770 SBOMs); nothing in it is executed;
3. with ``audit``: :func:`assay.audit.audit_graph` against the advisory store, opened once
   per worker thread.

Any exception inside becomes the distribution's ``error`` (status ``error``): one broken
artifact never stops the scan. A worker process that dies is handled by the client.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assay.corpus.plan import Item, sha256_file

_local = threading.local()


@dataclass(frozen=True, slots=True)
class Options:
    audit_db: str | None = None  # path of the advisory store (SQLite) when auditing
    keep: str | None = None  # keep fetched files here (and reuse them on reruns)
    offline: bool = False
    timeout: float = 120.0  # per HTTP read


def _store(path: str):
    """One advisory store per worker thread (SQLite connections stay in their thread)."""
    stores = getattr(_local, "stores", None)
    if stores is None:
        stores = _local.stores = {}
    if path not in stores:
        from assay.vulndb.store import Store

        stores[path] = Store(Path(path), create=False)
    return stores[path]


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"pid:{os.getpid()}"


def _scratch() -> Path:
    d = getattr(_local, "scratch", None)
    if d is None or not Path(d).is_dir():
        d = _local.scratch = tempfile.mkdtemp(prefix="assay-corpus-")
    return Path(d)


def fetch(item: Item, opts: Options) -> tuple[Path, bool]:
    """The local path of ``item``'s bytes and whether to delete it afterwards."""
    if item.path:
        return Path(item.path), False
    if not item.url:
        raise ValueError(f"{item.filename}: neither a path nor a URL")
    from assay import net

    if opts.keep:
        keep = Path(opts.keep)
        keep.mkdir(parents=True, exist_ok=True)
        dest = keep / item.filename
        if dest.is_file() and sha256_file(dest) == item.sha256:
            return dest, False
        net.download(item.url, dest, sha256=item.sha256, timeout=opts.timeout)
        return dest, False
    folder = Path(tempfile.mkdtemp(prefix="f-", dir=_scratch()))
    try:
        dest = net.download(item.url, folder / item.filename, sha256=item.sha256, timeout=opts.timeout)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return dest, True


def scan(item: Item, opts: Options) -> dict[str, Any]:
    """Scan one distribution; never raises for a problem of the distribution itself."""
    from assay import net

    if opts.offline:
        net.set_offline(True)
    started = datetime.now(UTC)
    times = {"fetch_s": 0.0, "scan_s": 0.0, "audit_s": 0.0}
    graph = None
    findings: list[Any] = []
    error = None
    path: Path | None = None
    delete = False
    stage = "fetch"
    try:
        t = time.perf_counter()
        path, delete = fetch(item, opts)
        times["fetch_s"] = time.perf_counter() - t
        stage = "catalogue"
        t = time.perf_counter()
        from assay import catalog

        graph = catalog.load(path, bundled=True)
        times["scan_s"] = time.perf_counter() - t
        if opts.audit_db:
            stage = "audit"
            t = time.perf_counter()
            from assay.audit import audit_graph

            findings = list(audit_graph(graph, store=_store(opts.audit_db)).findings)
            times["audit_s"] = time.perf_counter() - t
    except Exception as exc:  # the distribution's problem, recorded as its error
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        error = f"{stage}: {type(exc).__name__}: {' '.join(message.split())}"[:2000]
    finally:
        if delete and path is not None:
            shutil.rmtree(path.parent, ignore_errors=True)
    from assay.corpus.rows import rows_for

    return rows_for(item, graph, findings, error=error, times=times, worker=_worker_name(),
                    started=started)
