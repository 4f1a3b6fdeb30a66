"""The one registry of catalogers: every input kind assay reads, and how one is chosen.

Adding an input kind is one module that defines ``CATALOGERS`` (instances of
:class:`~assay.catalog.base.Cataloger`) and one line here. The registry imports those modules
only when an input is classified; each keeps its heavy imports inside its functions.
"""

from __future__ import annotations

import importlib
from functools import cache

from assay.catalog.base import Cataloger, Target
from assay.errors import InputError

MODULES: tuple[str, ...] = (
    "assay.catalog.installed",  # environment, site-packages, interpreter
    "assay.catalog.pip_report",  # pip install --report JSON
    "assay.catalog.sbom",  # SPDX 2.2/2.3, CycloneDX 1.4-1.6, assay JSON
    "assay.catalog.pylock",  # pylock.toml (PEP 751)
    "assay.catalog.uv_lock",  # uv.lock
    "assay.catalog.poetry_lock",  # poetry.lock
    "assay.catalog.pipfile_lock",  # Pipfile.lock
    "assay.catalog.requirements",  # requirements files
    "assay.catalog.artifact",  # wheel, sdist, plain folder
    "assay.catalog.cpython_source",  # CPython source tarballs and trees
    "assay.catalog.cpython_release",  # CPython's Windows embeddable zip and NuGet package
)


@cache
def catalogers() -> tuple[Cataloger, ...]:
    """Every registered cataloger, in registry order."""
    out: list[Cataloger] = []
    for name in MODULES:
        out.extend(importlib.import_module(name).CATALOGERS)
    return tuple(out)


def by_name(name: str) -> Cataloger:
    for c in catalogers():
        if c.name == name:
            return c
    raise InputError(f"no input kind {name!r} (known: {', '.join(c.name for c in catalogers())})")


def choose(target: Target) -> Cataloger:
    """The cataloger that recognises ``target`` most surely (registry order breaks ties)."""
    best: Cataloger | None = None
    best_score = 0
    for cataloger in catalogers():
        score = cataloger.recognise(target)
        if score > best_score:
            best, best_score = cataloger, score
    if best is None:
        kinds = "; ".join(c.description for c in catalogers())
        raise InputError(f"{target.given}: not a recognised input (assay reads {kinds})")
    return best


__all__ = ["MODULES", "by_name", "catalogers", "choose"]
