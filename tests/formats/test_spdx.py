"""SPDX 2.3 writer: valid for spdx-tools, complete, deterministic."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from assay.formats import spdx
from assay.model import Graph

from .graphs import SHA256_B, SHA512_B, findings_for, minimal_graph, rich_graph

CREATED = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def _doc(graph: Graph, validate, findings=()) -> dict:
    text = spdx.dumps(graph, created=CREATED, findings=findings)
    assert validate(text) == []
    return json.loads(text)


def _pkgs(doc: dict) -> dict[str, dict]:
    return {p["name"]: p for p in doc["packages"]}


def test_validates_with_findings_and_minimal_graphs(spdx_validate):
    g = rich_graph()
    assert spdx_validate(spdx.dumps(g, created=CREATED, findings=findings_for(g))) == []
    assert spdx_validate(spdx.dumps(minimal_graph(), created=CREATED)) == []
    # an empty inventory (nothing found) is still a valid document that describes NONE
    empty = spdx.dumps(Graph(), created=CREATED)
    assert spdx_validate(empty) == []
    assert json.loads(empty)["relationships"][0]["relatedSpdxElement"] == "NONE"


def test_the_validator_used_here_does_reject_invalid_documents(spdx_validate):
    doc = json.loads(spdx.dumps(rich_graph(), created=CREATED))
    doc["packages"][0]["licenseDeclared"] = "LicenseRef-not-defined-anywhere"
    assert spdx_validate(json.dumps(doc)) != []


def test_document_creation_info_and_root(spdx_validate):
    g = rich_graph()
    doc = _doc(g, spdx_validate)
    assert doc["spdxVersion"] == "SPDX-2.3"
    assert doc["creationInfo"] == {"created": "2024-05-01T12:30:00Z", "creators": ["Tool: assay-0.1.0"]}
    root = "SPDXRef-" + g.root
    assert doc["documentDescribes"] == [root]
    assert {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
            "relatedSpdxElement": root} in doc["relationships"]
    assert doc["documentNamespace"].startswith("https://spdx.org/spdxdocs/venv-")


def test_ntia_elements_for_every_package(spdx_validate):
    g = rich_graph()
    doc = _doc(g, spdx_validate)
    ids = [p["SPDXID"] for p in doc["packages"]]
    assert sorted(ids) == sorted("SPDXRef-" + cid for cid in g.components)
    for p in doc["packages"]:
        comp = g.components[p["SPDXID"].removeprefix("SPDXRef-")]
        assert p["name"] == comp.name
        assert p.get("versionInfo") == comp.version
        assert p["supplier"] == ("NOASSERTION" if comp.supplier is None else p["supplier"])
    pkgs = _pkgs(doc)
    assert pkgs["requests"]["supplier"] == "Organization: Kenneth Reitz"
    assert pkgs["requests"]["originator"] == "Person: Kenneth Reitz (me@kennethreitz.org)"
    assert pkgs["zürich-tools"]["supplier"] == "Organization: Zürich AG 日本"
    assert "Version unknown" in pkgs["zürich-tools"]["comment"]


def test_relationships_map_every_edge(spdx_validate):
    g = rich_graph()
    doc = _doc(g, spdx_validate)
    ids = {c.name: "SPDXRef-" + c.id for c in g}
    rels = {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
            for r in doc["relationships"]}
    expected = {
        ("SPDXRef-DOCUMENT", "DESCRIBES", ids["venv"]),
        (ids["requests"], "DEPENDS_ON", ids["urllib3"]),
        (ids["zürich-tools"], "OPTIONAL_DEPENDENCY_OF", ids["requests"]),
        (ids["pillow"], "CONTAINS", ids["libwebp"]),
        (ids["pillow"], "CONTAINS", ids["libsharpyuv"]),
        (ids["libwebp"], "DYNAMIC_LINK", ids["libsharpyuv"]),
        (ids["pip"], "CONTAINS", ids["six"]),
    } | {(ids["venv"], "CONTAINS", ids[n]) for n in ("requests", "urllib3", "zürich-tools", "pillow", "pip")}
    assert rels == expected
    dep = next(r for r in doc["relationships"] if r["relationshipType"] == "DEPENDS_ON")
    assert json.loads(dep["comment"].removeprefix("assay:")) == {"requirement": "urllib3<3,>=1.21.1"}


def test_identifiers_checksums_and_locations(spdx_validate):
    g = rich_graph()
    pkgs = _pkgs(_doc(g, spdx_validate, findings_for(g)))
    req = pkgs["requests"]
    refs = {(r["referenceCategory"], r["referenceType"], r["referenceLocator"]) for r in req["externalRefs"]}
    assert ("PACKAGE-MANAGER", "purl", "pkg:pypi/requests@2.32.3") in refs
    assert ("SECURITY", "cpe23Type", "cpe:2.3:a:psf:requests:2.32.3:*:*:*:*:*:*:*") in refs
    assert ("SECURITY", "advisory", "https://osv.dev/vulnerability/PYSEC-2024-60") in refs
    assert req["downloadLocation"] == g.by_name("requests")[0].download_location
    assert req["homepage"] == "https://requests.readthedocs.io"
    assert "https://github.com/psf/requests" in req["sourceInfo"]
    assert pkgs["urllib3"]["checksums"] == [
        {"algorithm": "SHA256", "checksumValue": SHA256_B},
        {"algorithm": "SHA512", "checksumValue": SHA512_B},
        {"algorithm": "BLAKE2b-256", "checksumValue": "ab" * 32}]
    # an invalid location becomes NOASSERTION (and is kept in the assay annotation)
    weird = pkgs["zürich-tools"]
    assert weird["downloadLocation"] == "NOASSERTION"
    assert weird["sourceInfo"] == "installed from: not a url at all"
    extras = json.loads(weird["annotations"][0]["comment"].removeprefix("assay:"))
    assert extras["download_location"] == "not a url at all"
    webp = pkgs["libwebp"]
    assert "pillow.libs/libwebp-2d8b2b6f.so.7.1.8" in webp["comment"]


def test_licenses_valid_expressions_and_free_text(spdx_validate):
    doc = _doc(rich_graph(), spdx_validate)
    pkgs = _pkgs(doc)
    extracted = {e["licenseId"]: e for e in doc["hasExtractedLicensingInfos"]}
    assert pkgs["requests"]["licenseDeclared"] == "Apache-2.0"
    free = pkgs["urllib3"]["licenseDeclared"]
    assert free.startswith("LicenseRef-")
    assert extracted[free]["extractedText"].startswith("Permission is hereby granted")
    assert pkgs["zürich-tools"]["licenseDeclared"] == "LicenseRef-Proprietary OR MIT"
    assert extracted["LicenseRef-Proprietary"]["extractedText"] == "Custom terms © Zürich AG"
    assert pkgs["libwebp"]["licenseDeclared"] == "NOASSERTION"


def test_unknowns_in_document_comment_and_annotation(spdx_validate):
    g = rich_graph()
    doc = _doc(g, spdx_validate)
    assert "unsatisfied-requirement" in doc["comment"]
    extras = json.loads(doc["annotations"][0]["comment"].removeprefix("assay:"))
    assert len(extras["unknowns"]) == 2
    assert extras["metadata"]["target"] == "/srv/app/.venv"


def test_output_is_deterministic_and_namespace_depends_on_time():
    a = spdx.dumps(rich_graph(), created=CREATED)
    assert a == spdx.dumps(rich_graph(), created=CREATED)
    b = spdx.dumps(rich_graph(), created=datetime(2025, 1, 1, tzinfo=UTC))
    assert json.loads(a)["documentNamespace"] != json.loads(b)["documentNamespace"]


def test_graph_without_root_describes_its_top_components(spdx_validate):
    g = rich_graph()
    root = g.root
    g.root = ""
    del g.components[root]
    doc = _doc(g, spdx_validate)
    described = {d.removeprefix("SPDXRef-") for d in doc["documentDescribes"]}
    assert described == {g.by_name(n)[0].id for n in ("requests", "pillow", "pip")}
