"""The writers on a real venv built from PyPI, checked against the official validators and
against what cyclonedx-py reports for the same venv."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from assay.catalog.sbom import catalog_sbom
from assay.formats import assay_json as native
from assay.formats import cyclonedx, spdx, table
from assay.model import Graph, Kind, RelType
from pypi import make_venv

from .validators import cyclonedx_errors, spdx_errors

pytestmark = pytest.mark.slow

CREATED = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def venv() -> Path:
    # cyclonedx-bom brings ~35 real distributions and the peer tool to compare with
    return make_venv("cyclonedx-bom-7.5.0", "cyclonedx-bom==7.5.0")


@pytest.fixture(scope="module")
def graph(venv) -> Graph:
    from assay.catalog import load

    return load(venv, bundled=False)


@pytest.fixture(scope="module")
def peer(venv, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("peer") / "cdx.json"
    subprocess.run([str(venv / "bin" / "cyclonedx-py"), "environment", str(venv / "bin" / "python"),
                    "--output-format", "JSON", "-o", str(out)], check=True, capture_output=True)
    return json.loads(out.read_text())


def _purl_key(purl: str | None) -> tuple[str, str]:
    assert purl is not None and purl.startswith("pkg:pypi/")
    name, _, version = purl.removeprefix("pkg:pypi/").partition("@")
    return canonicalize_name(name), version


def test_documents_validate_and_read_back(graph, tmp_path):
    assert len(graph.packages()) > 30
    for name, writer in (("cyclonedx-json", cyclonedx), ("spdx-json", spdx), ("json", native)):
        text = writer.dumps(graph, created=CREATED)
        if writer is cyclonedx:
            assert cyclonedx_errors(text) is None
        if writer is spdx:
            assert spdx_errors(text, tmp_path) == []
        path = tmp_path / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        back = catalog_sbom(path)
        assert back.components == graph.components, name
        assert set(back.relationships) == set(graph.relationships), name


def test_every_distribution_cyclonedx_py_lists_is_there_with_the_same_version_and_edges(venv, graph, peer):
    ours = {canonicalize_name(c.name): c for c in graph.packages([Kind.PYTHON_PACKAGE.value])}
    theirs = {canonicalize_name(c["name"]): c for c in peer["components"]}
    assert set(theirs) <= set(ours)
    for name, comp in theirs.items():
        assert ours[name].version == comp["version"]
        # same package: purl names compared canonicalised (the purl spec keeps dots, PEP 503 does not)
        assert _purl_key(ours[name].purl) == _purl_key(comp["purl"])
    by_ref = {c["bom-ref"]: canonicalize_name(c["name"]) for c in peer["components"]}
    peer_edges = {(by_ref[d["ref"]], by_ref[t]) for d in peer["dependencies"] for t in d.get("dependsOn", [])}
    our_edges = {(canonicalize_name(graph.components[r.source].name),
                  canonicalize_name(graph.components[r.target].name))
                 for r in graph.relationships if r.type is RelType.DEPENDS_ON and r.source != graph.root}
    assert len(our_edges) > 30
    # cyclonedx-py also counts requirements behind extras nobody asked for (packageurl-python's
    # "setuptools; extra == 'build'"); those are the only edges assay may leave out
    site = next((venv / "lib").glob("python3*/site-packages"))
    for source, target in peer_edges - our_edges:
        dist = next(importlib.metadata.distributions(name=source, path=[str(site)]))
        reqs = [Requirement(r) for r in dist.requires or ()]
        gating = [r for r in reqs if canonicalize_name(r.name) == target]
        assert gating and all(r.marker is not None and "extra" in str(r.marker) for r in gating), \
            (source, target)


def test_ntia_fields_in_cyclonedx_for_every_distribution(graph):
    doc = json.loads(cyclonedx.dumps(graph, created=CREATED))
    deps = {d["ref"] for d in doc["dependencies"]}
    for comp in doc["components"]:
        assert comp["name"] and comp["version"] and comp["bom-ref"] in deps
        assert comp["purl"].startswith(("pkg:pypi/", "pkg:generic/cpython@"))
    with_supplier = [c for c in doc["components"] if "supplier" in c]
    assert len(with_supplier) >= len(doc["components"]) * 0.8
    assert doc["metadata"]["timestamp"] == "2024-05-01T00:00:00Z"


def test_table_lists_every_distribution(graph):
    text = table.dumps(graph, created=CREATED, color=False)
    names = {line.split()[0] for line in text.splitlines()[1:-1] if line.strip()}
    assert {c.name for c in graph.packages()} <= names


def test_cli_output_is_byte_identical_when_reproducible(venv, tmp_path):
    outputs = []
    for i in range(2):
        out = tmp_path / f"sbom{i}.json"
        subprocess.run([sys.executable, "-m", "assay", "sbom", str(venv), "--no-bundled",
                        "-f", "spdx-json", "--reproducible", "-o", str(out)], check=True, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"created": "1970-01-01T00:00:00Z"' in outputs[0]


def test_ntia_conformance_checker_finds_every_minimum_element(graph, tmp_path):
    """The independent ntia-conformance-checker on assay's SPDX: every element is there, except
    a supplier or version the scanned metadata does not state (NOASSERTION, never invented)."""
    checker = make_venv("ntia-conformance-checker-6.0.0", "ntia-conformance-checker==6.0.0")
    path = tmp_path / "env.spdx.json"
    path.write_text(spdx.dumps(graph, created=CREATED), encoding="utf-8")
    run = subprocess.run([str(checker / "bin" / "ntia-checker"), str(path), "-r", "json"],
                         capture_output=True, text=True)
    report = json.loads(run.stdout)
    assert report["parsingError"] == []
    assert report["validationMessages"] == []
    for field in ("authorNameProvided", "timestampProvided", "dependencyRelationshipsProvided"):
        assert report[field] is True, field
    assert report["componentNames"]["allProvided"] is True
    assert report["componentIdentifiers"]["allProvided"] is True
    assert report["totalNumberComponents"] == len(graph)
    assert report["graphValidation"]["floatingComponents"]["floatingComponentCount"] == 0
    no_supplier = {c.name for c in graph if c.supplier is None}
    no_version = {c.name for c in graph if c.version is None}
    assert set(report["componentSuppliers"]["nonconformantComponents"]) == no_supplier
    assert set(report["componentVersions"]["nonconformantComponents"]) == no_version
    assert len(no_supplier) <= 3  # the environment itself and distributions without Author metadata
