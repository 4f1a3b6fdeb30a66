"""assay's vulnerability database: import advisories into SQLite, match components exactly.

Public API::

    from assay.vulndb import Store, import_paths, default_path
    with Store(default_path()) as store:              # or Store("/tmp/v.sqlite")
        import_paths(store, ["../shared/data"])       # OSV/PSF/NVD/CVE 5 + commit table
        print(store.status())

Modules: ``records`` (parsers → Record), ``importer`` (files, folders, zips),
``store`` (SQLite), ``ranges`` / ``versions`` (OSV and NVD semantics, orderings),
``cpython`` (PSF GIT ranges → releases), ``match`` (components → hits),
``update`` (``assay db update``: the remote sources, through :mod:`assay.net`).
"""

from __future__ import annotations

from typing import Any

from assay.vulndb.store import ImportStats, Store, default_path

__all__ = ["ImportStats", "Store", "default_path", "import_path", "import_paths"]


def __getattr__(name: str) -> Any:
    # the importer pulls in zipfile and process pools: load it only for imports, not audits
    if name in ("import_path", "import_paths"):
        from assay.vulndb import importer

        return getattr(importer, name)
    raise AttributeError(name)
