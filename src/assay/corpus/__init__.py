"""Corpus scans: many distributions catalogued on dask.distributed into a Parquet store.

    plan      SOURCEs (a folder, a spec file, a ranking) -> the distributions to scan
    index     PyPI's JSON API: which file of a release, its URL and sha256
    task      what a worker does with one distribution: fetch (sha256-checked), catalogue
              with the code ``assay sbom`` uses, optionally audit; plain rows back
    store     the Parquet store: one folder per batch, renamed into place (atomic)
    run       the client: a LocalCluster or a scheduler address, a bounded window of tasks,
              batches written as results arrive, Ctrl-C and dead workers handled
    query     DuckDB views over the store (latest row per artifact)
    report    the first tables a person wants, to the terminal and as one HTML page

dask, pyarrow and duckdb are imported only inside these modules (the ``scale`` extra);
:func:`require` turns their absence into a usage error naming the extra.
"""

from __future__ import annotations

import importlib.util

from assay.errors import ConfigError

EXTRA_HINT = "pip install 'assay[scale]'"


class MissingExtra(ConfigError):
    """An optional dependency of ``assay corpus`` is not installed (exit 2)."""


def require(*modules: str) -> None:
    """Raise :class:`MissingExtra` unless every module can be imported."""
    missing = [m for m in modules if not _importable(m)]
    if missing:
        raise MissingExtra(f"assay corpus needs {', '.join(missing)}, which is not installed",
                           hint=EXTRA_HINT)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken install, or a module blocked in sys.modules
        return False
