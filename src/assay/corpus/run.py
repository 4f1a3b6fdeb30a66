"""The client side of a corpus scan: a cluster, a bounded window of tasks, batches written.

Tasks are submitted a window at a time (a few per worker thread), so a plan of 500,000
files never floods the scheduler; results are written to the store in batches (every
``batch_size`` results or ``batch_seconds``, whichever comes first). A task whose worker
died more often than the scheduler allows (``KilledWorker``) or that failed outside
assay's own code is recorded as that distribution's error and the scan goes on. Ctrl-C
cancels what is in flight, writes what has finished, and leaves a readable store.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assay.corpus import require
from assay.corpus.plan import Item
from assay.corpus.rows import error_rows
from assay.corpus.store import CorpusStore
from assay.corpus.task import Options
from assay.errors import ConfigError, NetworkError


@dataclass(slots=True)
class Summary:
    planned: int = 0
    skipped: int = 0  # already in the store with status ok
    scanned: int = 0
    ok: int = 0
    errors: int = 0
    components: int = 0
    findings: int = 0
    batches: int = 0
    write_s: float = 0.0
    elapsed_s: float = 0.0
    tasks_s: float = 0.0  # first task submitted to last result: the scan without cluster start-up
    workers: int = 0
    threads: int = 0
    interrupted: bool = False
    error_samples: list[str] = field(default_factory=list)


# Imported (and the bundled-library matcher compiled) on every worker before the first task,
# so that cost is paid once per worker, in parallel, and not inside one distribution's timing.
_WARM = ("assay.corpus.task", "assay.catalog", "assay.catalog.artifact", "assay.catalog.metadata",
         "assay.enrich.bundled", "assay.sources.archive")


def _probe() -> dict[str, str]:
    """Run on every worker before the scan: can it import what the tasks need? Then warm up."""
    import contextlib
    import importlib

    import assay
    import assay.corpus.task  # what every task needs: a failure here stops the scan

    for name in _WARM:  # best effort: a module the lead moved only costs the first task time
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    with contextlib.suppress(Exception):
        from assay.enrich.bundled.rules import matcher

        matcher()
    return {"assay": assay.__version__}


def connect(scheduler: str | None, workers: int, threads: int) -> tuple[Any, Any]:
    """A dask Client on ``scheduler``, or on a new LocalCluster of ``workers`` processes."""
    require("dask", "distributed")
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise NetworkError(f"{scheduler}: no dask scheduler answers there ({exc})") from None
        return client, None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=threads, processes=True,
                           host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def check_workers(client: Any, wait_s: float = 60.0) -> tuple[int, int]:
    """(workers, threads) once at least one worker is there and every worker can run assay."""
    import assay

    try:
        client.wait_for_workers(1, timeout=wait_s)
    except TimeoutError:
        raise NetworkError(f"no dask worker joined the scheduler within {wait_s:.0f} s "
                           "(start some with `dask worker tcp://HOST:PORT`)") from None
    try:
        versions = client.run(_probe)
    except Exception as exc:
        raise ConfigError(f"a dask worker cannot run assay's tasks ({type(exc).__name__}: {exc})",
                          hint="install assay with the scale extra on every worker") from None
    other = {addr: v["assay"] for addr, v in versions.items() if v["assay"] != assay.__version__}
    if other:
        addr, version = next(iter(other.items()))
        raise ConfigError(f"dask worker {addr} runs assay {version}, this client {assay.__version__}",
                          hint="the same assay on the client and every worker gives one store")
    info = client.scheduler_info()["workers"]
    return len(info), sum(int(w.get("nthreads", 1)) for w in info.values())


def run(items: list[Item], store: CorpusStore, client: Any, opts: Options, *,
        batch_size: int = 256, batch_seconds: float = 30.0, window: int | None = None,
        on_start: Callable[[int], None] | None = None,
        on_result: Callable[[dict[str, Any]], None] | None = None) -> Summary:
    """Scan ``items`` not yet stored; see the module docstring. ``store`` must be locked."""
    from distributed import as_completed

    started = time.perf_counter()
    _quiet_cancel_noise()
    summary = Summary(planned=len(items))
    done = store.done()
    todo = [i for i in items if i.sha256 not in done]
    summary.skipped = len(items) - len(todo)
    if on_start:
        on_start(len(todo))
    if not todo:
        summary.elapsed_s = time.perf_counter() - started
        return summary
    summary.workers, summary.threads = check_workers(client)
    from assay.corpus.task import scan as scan_task

    limit = window or max(8, 4 * summary.threads)
    pending: list[dict[str, Any]] = []
    last_flush = time.perf_counter()
    by_key: dict[str, Item] = {}
    live: dict[str, Any] = {}  # key -> future, everything submitted and not yet collected
    queue = iter(todo)

    def submit(item: Item) -> Any:
        key = f"assay-corpus-{item.sha256}"
        by_key[key] = item
        live[key] = client.submit(scan_task, item, opts, key=key, pure=False, retries=0)
        return live[key]

    def flush() -> None:
        nonlocal last_flush, pending
        if pending:
            t = time.perf_counter()
            with _held_interrupts():  # a batch is stored and forgotten together, or neither
                store.write_batch(pending)
                summary.write_s += time.perf_counter() - t
                summary.batches += 1
                pending = []
        last_flush = time.perf_counter()

    first_submit = time.perf_counter()
    futures = [submit(item) for _, item in zip(range(limit), queue, strict=False)]
    ac = as_completed(futures)
    try:
        for future in ac:
            item = by_key.pop(future.key)
            live.pop(future.key, None)
            try:
                result = future.result()
            except Exception as exc:  # KilledWorker, a failure outside assay's code, ...
                if isinstance(exc, CancelledError):
                    # the user's Ctrl-C reached the client while it waited for this result: the
                    # distribution was not scanned, so it is no failure to record (a rerun scans it);
                    # distributed raises its FutureCancelledError, a concurrent.futures.CancelledError
                    raise KeyboardInterrupt from exc
                why = " ".join((str(exc) or type(exc).__name__).split())[:1000]
                result = error_rows(item, f"worker: {type(exc).__name__}: {why}", worker="",
                                    started=datetime.now(UTC))
            future.release()
            nxt = next(queue, None)
            if nxt is not None:
                ac.add(submit(nxt))
            _count(summary, result)
            summary.tasks_s = time.perf_counter() - first_submit
            pending.append(result)
            if on_result:
                on_result(result["distribution"])
            if len(pending) >= batch_size or time.perf_counter() - last_flush >= batch_seconds:
                flush()
    except KeyboardInterrupt:
        summary.interrupted = True
        client.cancel(list(live.values()), force=True)
        try:
            ac.clear()
        except Exception:  # noqa: S110 (best effort while stopping)
            pass
    finally:
        try:
            flush()  # what finished is kept, interrupted or not
        except KeyboardInterrupt:  # held while the last batch was written, which it was
            summary.interrupted = True
        summary.elapsed_s = time.perf_counter() - started
    return summary


class _CancelNoise(logging.Filter):
    """Drops the traceback distributed's ``sync`` logs when Ctrl-C reaches the client before its
    coroutine started: its ``cancel`` callback then reads an unassigned ``future`` (NameError),
    which tornado logs as an error. The interrupt itself is handled and reported; the traceback
    told the user nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (isinstance(exc, NameError) and "sync.<locals>.cancel" in record.getMessage())


def _quiet_cancel_noise() -> None:
    log = logging.getLogger("tornado.application")
    if not any(isinstance(f, _CancelNoise) for f in log.filters):
        log.addFilter(_CancelNoise())


@contextmanager
def _held_interrupts() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, then raise KeyboardInterrupt.

    An interrupt between a batch's rename into the store and the client forgetting its rows
    stored the batch twice (the rerun's "already stored" then disagreed with the store); one
    between the batch folder's creation and its write left a half-written folder behind.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    signals = [signal.SIGINT, signal.SIGTERM]
    before = {s: signal.signal(s, lambda signum, _frame: held.append(signum)) for s in signals}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
    if held:
        raise KeyboardInterrupt


def _count(summary: Summary, result: dict[str, Any]) -> None:
    dist = result["distribution"]
    summary.scanned += 1
    if dist["status"] == "ok":
        summary.ok += 1
    else:
        summary.errors += 1
        if len(summary.error_samples) < 10:
            summary.error_samples.append(f"{dist['filename']}: {dist['error']}")
    summary.components += len(result["components"])
    summary.findings += len(result["findings"])
