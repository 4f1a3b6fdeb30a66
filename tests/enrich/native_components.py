"""What a scan reports of native libraries, as the bundled-library tests read it."""

from __future__ import annotations

from assay.model import Component, Evidence, Graph


def native(graph: Graph) -> list[Component]:
    """The native-library components of ``graph`` (Rust crates apart: they carry a cargo purl)."""
    return [c for c in graph.packages(["native-library"]) if not c.purl.startswith("pkg:cargo/")]


def versions(graph: Graph, name: str) -> set[str | None]:
    """The versions reported for the native library ``name`` (None: found, version unknown)."""
    return {c.version for c in native(graph) if c.name == name}


def evidence(graph: Graph, name: str) -> list[Evidence]:
    """Every piece of evidence behind the native library ``name``."""
    return [e for c in native(graph) if c.name == name for e in c.evidence]
