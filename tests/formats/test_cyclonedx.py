"""CycloneDX 1.6 writer: schema-valid (official validator), complete, deterministic."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from assay.formats import cyclonedx
from assay.model import Component, Graph, Hash, Kind, License, make_id

from .graphs import SHA256_B, SHA512_B, findings_for, minimal_graph, rich_graph
from .validators import cyclonedx_errors

CREATED = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def _doc(graph: Graph, findings=()) -> dict:
    text = cyclonedx.dumps(graph, created=CREATED, findings=findings)
    assert cyclonedx_errors(text) is None, cyclonedx_errors(text)
    return json.loads(text)


def _all_components(doc: dict) -> list[dict]:
    out = []

    def walk(items):
        for c in items:
            out.append(c)
            walk(c.get("components", []))

    walk(doc["components"])
    return out


def test_validates_with_findings_minimal_and_empty_graphs():
    g = rich_graph()
    for graph, findings in ((g, findings_for(g)), (minimal_graph(), ()), (Graph(), ())):
        text = cyclonedx.dumps(graph, created=CREATED, findings=findings)
        assert cyclonedx_errors(text) is None


def test_the_validator_used_here_does_reject_invalid_documents():
    doc = json.loads(cyclonedx.dumps(rich_graph(), created=CREATED))
    doc["components"][0]["hashes"] = [{"alg": "SHA-256", "content": "not-hex"}]
    assert cyclonedx_errors(json.dumps(doc)) is not None


def test_root_and_ntia_minimum_elements():
    g = rich_graph()
    doc = _doc(g)
    meta = doc["metadata"]
    assert meta["timestamp"] == "2024-05-01T12:30:00Z"
    assert meta["component"]["bom-ref"] == g.root
    assert meta["tools"]["components"][0]["name"] == "assay"
    assert meta["lifecycles"] == [{"phase": "operations"}]  # an installed environment
    comps = _all_components(doc)
    assert sorted(c["bom-ref"] for c in comps) == sorted(cid for cid in g.components if cid != g.root)
    assert len({c["bom-ref"] for c in comps}) == len(comps)  # unique ids
    for c in comps:
        comp = g.components[c["bom-ref"]]
        assert c["name"] == comp.name
        assert c.get("version") == comp.version
        if comp.supplier:
            assert c["supplier"] == {"name": comp.supplier}
    # a version that could not be proven is said to be unknown, not invented
    weird = next(c for c in comps if c["name"] == "zürich-tools")
    assert "version" not in weird
    assert {"name": "assay:version", "value": "unknown"} in weird["properties"]


def test_every_component_has_a_dependency_entry_and_edges_are_right():
    g = rich_graph()
    doc = _doc(g)
    deps = {d["ref"]: d["dependsOn"] for d in doc["dependencies"]}
    assert set(deps) == set(g.components)
    requests = g.by_name("requests")[0].id
    urllib3 = g.by_name("urllib3")[0].id
    libwebp, sharpyuv = g.by_name("libwebp")[0].id, g.by_name("libsharpyuv")[0].id
    assert deps[requests] == [urllib3]  # the optional dependency is not a dependsOn
    assert deps[libwebp] == [sharpyuv]  # dynamic link
    assert deps[urllib3] == []


def test_contained_components_are_nested_in_their_single_parent():
    g = rich_graph()
    doc = _doc(g)
    top = {c["name"]: c for c in doc["components"]}
    assert "libwebp" not in top and "six" not in top
    assert sorted(c["name"] for c in top["pillow"]["components"]) == ["libsharpyuv", "libwebp"]
    assert [c["name"] for c in top["pip"]["components"]] == ["six"]
    # the root's CONTAINS edges and the optional dependency stay readable as properties
    root_props = doc["metadata"]["component"]["properties"]
    assert {"name": "assay:contains", "value": g.by_name("pip")[0].id} in root_props
    assert {"name": "assay:optional_depends_on", "value": g.by_name("zürich-tools")[0].id} \
        in top["requests"]["properties"]


def test_identifiers_hashes_licenses_and_references():
    g = rich_graph()
    comps = {c["name"]: c for c in _all_components(_doc(g))}
    req = comps["requests"]
    assert req["purl"] == "pkg:pypi/requests@2.32.3"
    assert req["cpe"] == "cpe:2.3:a:python:requests:2.32.3:*:*:*:*:*:*:*"
    assert {"name": "assay:cpe", "value": "cpe:2.3:a:psf:requests:2.32.3:*:*:*:*:*:*:*"} in req["properties"]
    assert req["licenses"] == [{"expression": "Apache-2.0"}]
    assert {"type": "distribution", "url": g.by_name("requests")[0].download_location} \
        in req["externalReferences"]
    assert {"type": "vcs", "url": "https://github.com/psf/requests"} in req["externalReferences"]
    assert {"type": "website", "url": "https://requests.readthedocs.io"} in req["externalReferences"]
    assert req["authors"] == [{"name": "Kenneth Reitz <me@kennethreitz.org>"}]
    assert {"name": "assay:installer", "value": "pip"} in req["properties"]
    assert {"name": "assay:found_by", "value": "installed"} in req["properties"]
    u3 = comps["urllib3"]
    assert u3["hashes"] == [{"alg": "SHA-256", "content": SHA256_B}, {"alg": "SHA-512", "content": SHA512_B},
                            {"alg": "BLAKE2b-256", "content": "ab" * 32}]
    # free text that is no SPDX expression: a named license with the full text
    assert u3["licenses"][0]["license"]["name"] == "Permission is hereby granted, free of charge…"
    assert u3["licenses"][0]["license"]["text"]["content"].endswith("MIT-ish terms")
    weird = comps["zürich-tools"]
    assert weird["licenses"] == [{"expression": "LicenseRef-Proprietary OR MIT"}]
    # not a URL: kept as a property, not put where validators expect an IRI
    assert "externalReferences" not in weird
    assert {"name": "assay:download_location", "value": "not a url at all"} in weird["properties"]


def test_evidence_becomes_occurrences_and_identity():
    comps = {c["name"]: c for c in _all_components(_doc(rich_graph()))}
    ev = comps["libwebp"]["evidence"]
    assert {"location": "pillow.libs/libwebp-2d8b2b6f.so.7.1.8",
            "additionalContext": "version-string; proves version: libwebp 1.3.1"} in ev["occurrences"]
    assert ev["identity"][0]["field"] == "version"
    assert ev["identity"][0]["methods"][0]["technique"] == "binary-analysis"


def test_unknowns_and_metadata_are_document_properties():
    g = rich_graph()
    doc = _doc(g)
    unknowns = [json.loads(p["value"]) for p in doc["properties"] if p["name"] == "assay:unknown"]
    assert {"subject": g.by_name("requests")[0].id, "reason": "unsatisfied-requirement",
            "detail": "chardet<6,>=3.0.2; extra == 'socks'"} in unknowns
    assert len(unknowns) == 2
    assert {"name": "assay:metadata:target", "value": "/srv/app/.venv"} in doc["metadata"]["properties"]


def test_findings_become_vulnerabilities_pointing_at_bom_refs():
    g = rich_graph()
    doc = _doc(g, findings_for(g))
    refs = {c["bom-ref"] for c in _all_components(doc)}
    vulns = {v["id"]: v for v in doc["vulnerabilities"]}
    webp = vulns["CVE-2023-4863"]
    assert webp["affects"][0]["ref"] == g.by_name("libwebp")[0].id
    assert webp["affects"][0]["ref"] in refs
    assert webp["ratings"] == [{"severity": "high", "score": 8.8, "method": "CVSSv31",
                                "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
                                "source": {"name": "nvd"}}]
    assert "1.3.2" in webp["recommendation"]
    assert webp["advisories"] == [{"url": "https://nvd.nist.gov/vuln/detail/CVE-2023-4863"}]
    assert [r["id"] for r in webp["references"]] == ["GHSA-j7hp-h8jx-5ppr"]
    pysec = vulns["PYSEC-2024-60"]
    assert {r["id"] for r in pysec["references"]} == {"CVE-2024-35195", "GHSA-9wx4-h78v-vm56"}
    assert "not using sessions" in pysec["analysis"]["detail"]


def test_output_is_deterministic_and_serial_number_depends_on_content():
    a = cyclonedx.dumps(rich_graph(), created=CREATED)
    assert a == cyclonedx.dumps(rich_graph(), created=CREATED)
    later = cyclonedx.dumps(rich_graph(), created=datetime(2024, 5, 2, tzinfo=UTC))
    g = rich_graph()
    g.add(Component(id=make_id(Kind.PYTHON_PACKAGE, "extra", "1"), kind=Kind.PYTHON_PACKAGE,
                    name="extra", version="1"))
    other = cyclonedx.dumps(g, created=CREATED)
    serials = {json.loads(t)["serialNumber"] for t in (a, later, other)}
    assert len(serials) == 3


def test_unrepresentable_hash_is_kept_as_property():
    g = Graph()
    c = Component(id="x-1", kind=Kind.FILE, name="x", version="1",
                  hashes=(Hash("sha224", "ab" * 28), Hash("sha256", "zz")),
                  license=License(expression="not an expression at all"))
    g.add(c)
    doc = _doc(g)
    comp = doc["components"][0]
    assert "hashes" not in comp
    assert {"name": "assay:hash", "value": "sha224:" + "ab" * 28} in comp["properties"]
    assert comp["licenses"] == [{"license": {"name": "not an expression at all"}}]
    assert comp["type"] == "file"


def test_the_same_advisory_from_two_sources_keeps_bom_refs_unique():
    g = rich_graph()
    first = findings_for(g)[0]
    doc = _doc(g, [first, replace(first, source="osv:pypa")])
    refs = [v["bom-ref"] for v in doc["vulnerabilities"]]
    assert len(set(refs)) == 2
    assert {v["source"]["name"] for v in doc["vulnerabilities"]} == {"nvd", "osv:pypa"}
