"""The writers on a real venv with native libraries bundled in a wheel (Pillow) and pip's
vendored projects: what `assay sbom` produces for such an environment validates, shows the
containment, and reads back without loss."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay import catalog
from assay.catalog.sbom import catalog_sbom
from assay.formats import assay_json as native
from assay.formats import cyclonedx, spdx
from assay.model import Graph, Kind, RelType
from pypi import make_venv

from .validators import cyclonedx_errors, spdx_errors

pytestmark = pytest.mark.slow

CREATED = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def graph() -> Graph:
    venv = make_venv("formats-bundled-v1", "pillow==11.0.0", "--only-binary=:all:")
    return catalog.load(str(venv), bundled=True)


def test_bundled_graph_documents_validate_and_read_back(graph, tmp_path):
    natives = [c for c in graph if c.kind is Kind.NATIVE_LIBRARY]
    vendored = [c for c in graph if c.kind is Kind.VENDORED_PACKAGE]
    assert len(natives) >= 10 and len(vendored) >= 10
    for name, writer in (("cyclonedx-json", cyclonedx), ("spdx-json", spdx), ("json", native)):
        text = writer.dumps(graph, created=CREATED)
        if writer is cyclonedx:
            assert cyclonedx_errors(text) is None
        if writer is spdx:
            assert spdx_errors(text, tmp_path) == []
        path = Path(tmp_path) / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        back = catalog_sbom(path)
        assert back.components == graph.components, name
        assert set(back.relationships) == set(graph.relationships), name


def test_cyclonedx_nests_bundled_libraries_in_their_wheel(graph):
    doc = json.loads(cyclonedx.dumps(graph, created=CREATED))
    pillow = next(c for c in doc["components"] if c["name"] == "pillow")
    inside = {c["name"] for c in pillow.get("components", [])}
    assert {"libjpeg-turbo", "libpng", "libwebp", "freetype"} <= inside
    webp = next(c for c in pillow["components"] if c["name"] == "libwebp")
    assert webp["version"] == "1.4.0"
    assert webp["evidence"]["occurrences"][0]["location"].endswith(".so") or \
        ".so." in webp["evidence"]["occurrences"][0]["location"]
    pip = next(c for c in doc["components"] if c["name"] == "pip")
    assert len(pip.get("components", [])) >= 10  # pip's _vendor projects
    # every component, nested or not, has its dependency entry
    refs: list[str] = []

    def walk(items: list[dict]) -> None:
        for c in items:
            refs.append(c["bom-ref"])
            walk(c.get("components", []))

    walk(doc["components"])
    assert {d["ref"] for d in doc["dependencies"]} >= set(refs)


def test_spdx_relationships_show_containment_and_links(graph):
    doc = json.loads(spdx.dumps(graph, created=CREATED))
    names = {p["SPDXID"]: p["name"] for p in doc["packages"]}
    rels = {(names.get(r["spdxElementId"]), r["relationshipType"], names.get(r["relatedSpdxElement"]))
            for r in doc["relationships"]}
    assert ("pillow", "CONTAINS", "libwebp") in rels
    links = [r for r in graph.relationships if r.type is RelType.DYNAMIC_LINK]
    assert links
    assert len([r for r in doc["relationships"] if r["relationshipType"] == "DYNAMIC_LINK"]) == len(links)
    unknown_version = [p for p in doc["packages"] if "versionInfo" not in p]
    assert all("Version unknown" in p["comment"] for p in unknown_version)
