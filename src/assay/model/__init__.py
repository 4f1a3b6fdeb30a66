"""assay's model: pure data at the centre. Sources feed it; writers read it."""

from assay.model.component import Component, Evidence, Hash, Kind, License, make_id
from assay.model.finding import Finding, Severity
from assay.model.graph import Graph, Relationship, RelType, Unknown

__all__ = [
    "Component",
    "Evidence",
    "Finding",
    "Graph",
    "Hash",
    "Kind",
    "License",
    "RelType",
    "Relationship",
    "Severity",
    "Unknown",
    "make_id",
]
