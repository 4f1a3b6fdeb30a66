"""assay's own JSON: lossless round trip of the whole model."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from assay.formats import assay_json as native
from assay.formats import render
from assay.model import Graph

from .graphs import findings_for, minimal_graph, rich_graph

CREATED = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def _normalised(g: Graph) -> Graph:
    """The same graph with relationships and unknowns in the writer's sorted order."""
    return Graph(root=g.root, components=dict(g.components), relationships=g.sorted_relationships(),
                 unknowns=sorted(g.unknowns, key=lambda u: (u.subject, u.reason, u.detail)),
                 metadata=dict(g.metadata))


@pytest.mark.parametrize("make", [rich_graph, minimal_graph, Graph])
def test_round_trip_is_exact(make):
    g = make()
    findings = findings_for(g) if g.root else []
    text = native.dumps(g, created=CREATED, findings=findings)
    back, back_findings = native.loads(text)
    assert back == _normalised(g)
    assert sorted(back_findings, key=lambda f: f.id) == sorted(findings, key=lambda f: f.id)
    # and writing again gives the same bytes
    assert native.dumps(back, created=CREATED, findings=back_findings) == text


def test_document_header_and_readable_fields():
    doc = json.loads(native.dumps(rich_graph(), created=CREATED))
    assert doc["schema"] == "assay-inventory"
    assert doc["schema_version"] == "1"
    assert doc["created"] == "2024-05-01T12:30:00Z"
    req = next(c for c in doc["components"] if c["name"] == "requests")
    assert req["license"] == {"expression": "Apache-2.0", "text": None, "source": "License-Expression"}
    assert req["properties"] == [["assay:installer", "pip"], ["assay:requested", "true"]]
    assert "findings" not in doc


def test_render_is_byte_identical_under_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for fmt in ("json", "cyclonedx-json", "spdx-json"):
        first = render("sbom", fmt, rich_graph())
        assert first == render("sbom", fmt, rich_graph())
        assert "2023-11-14T22:13:20Z" in first
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert render("sbom", "spdx-json", rich_graph(), reproducible=True) == \
        render("sbom", "spdx-json", rich_graph(), reproducible=True)


def test_not_an_assay_document_is_rejected():
    with pytest.raises(ValueError):
        native.loads('{"schema": "something-else"}')
