"""Catalogers: one module per input kind, chosen through one registry
(:mod:`assay.catalog.registry`), each turning its input into a Graph.

Library entry points::

    from assay import catalog
    graph = catalog.load("dist/pkg-1.0-py3-none-any.whl")      # the Graph
    result = catalog.run(".venv", catalog.Options(bundled=True)) # Graph + how it was read
    catalog.classify("uv.lock")                                  # "uv.lock"
"""

from __future__ import annotations

import os

from assay.catalog.base import Cataloger, Catalogue, Options, Target
from assay.model import Graph


def classify(target: str | os.PathLike[str] | None) -> str:
    """The name of the input kind TARGET is (``environment``, ``wheel``, ``uv.lock``, ...)."""
    from assay.catalog.registry import choose

    return choose(Target(target)).name


def cataloger_for(target: str | os.PathLike[str] | None) -> tuple[Target, Cataloger]:
    """The target and the cataloger that would read it (nothing is catalogued yet)."""
    from assay.catalog.registry import choose

    t = Target(target)
    return t, choose(t)


def run(target: str | os.PathLike[str] | None, options: Options | None = None) -> Catalogue:
    """Catalogue TARGET with the cataloger that recognises it."""
    from assay.catalog.registry import choose

    t = Target(target)
    return choose(t).catalog(t, options or Options())


def load(target: str | os.PathLike[str] | None, *, bundled: bool = True) -> Graph:
    """The inventory of TARGET. ``bundled`` adds native libraries and vendored projects."""
    return run(target, Options(bundled=bundled)).graph


__all__ = ["Cataloger", "Catalogue", "Options", "Target", "cataloger_for", "classify", "load", "run"]
