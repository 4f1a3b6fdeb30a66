"""SBOM documents as input: SPDX 2.2/2.3 JSON, CycloneDX 1.4-1.6 JSON and assay's own JSON.

A thin adapter over the readers in :mod:`assay.formats` (one module per document format reads
and writes it): the document is read back into the model so later steps (``assay audit
sbom.json``) work on it as on a scan. Documents assay wrote itself give back the original ids,
kinds, evidence and edge details; third-party documents get content-derived ids, the kind
their purl and type imply, and an ``sbom-input`` evidence pointing at the document.
"""

from __future__ import annotations

from assay.catalog.base import SHAPE, Cataloger, Catalogue, Options, Target
from assay.model import Graph


class SbomCataloger(Cataloger):
    name = "sbom"
    description = "an SPDX 2.2/2.3, CycloneDX 1.4-1.6 or assay JSON document"

    def recognise(self, target: Target) -> int:
        doc = target.json_object()
        if doc is None:
            return 0
        from assay.formats.documents import recognise

        return SHAPE if recognise(doc) else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return Catalogue(catalog_sbom(target), self.name)


CATALOGERS = (SbomCataloger(),)


def catalog_sbom(target: Target | str) -> Graph:
    """Read the SBOM at ``target`` into a Graph."""
    from assay.formats.documents import read_document

    t = target if isinstance(target, Target) else Target(target)
    graph, _fmt = read_document(t.take_json(), str(t.path), consume=True)
    return graph
