"""SBOM documents as input: assay's own documents round-trip; third-party ones are read fully."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from assay import catalog
from assay.catalog.sbom import catalog_sbom
from assay.errors import InputError
from assay.formats import assay_json as native
from assay.formats import cyclonedx, spdx
from assay.model import Component, Evidence, Graph, Hash, Kind, License, RelType, make_id
from pypi import make_venv

from ..formats.graphs import findings_for, minimal_graph, rich_graph
from ..formats.validators import cyclonedx_errors, spdx_errors

CREATED = datetime(2024, 5, 1, tzinfo=UTC)
WRITERS = {"cyclonedx-json": cyclonedx, "spdx-json": spdx, "json": native}


def _write(tmp_path: Path, fmt: str, graph: Graph, findings=()) -> Path:
    path = tmp_path / f"sbom.{fmt}.json"
    path.write_text(WRITERS[fmt].dumps(graph, created=CREATED, findings=findings), encoding="utf-8")
    return path


def _edges(graph: Graph) -> set[tuple[str, str, RelType]]:
    return {(r.source, r.target, r.type) for r in graph.relationships}


# -- assay's own documents ----------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize("make", [rich_graph, minimal_graph])
def test_own_documents_give_back_the_same_graph(tmp_path, fmt, make):
    g = make()
    back = catalog_sbom(_write(tmp_path, fmt, g, findings_for(g) if g.root else ()))
    assert back.root == g.root
    # every field of every component, including evidence, license text and properties
    assert back.components == g.components
    assert _edges(back) == _edges(g)
    assert sorted(back.unknowns, key=repr) == sorted(g.unknowns, key=repr)
    assert back.metadata == g.metadata
    # edge details too (the requirement as written), which CycloneDX keeps in assay:edge properties
    assert set(back.relationships) == set(g.relationships)


@pytest.mark.parametrize("fmt", ["cyclonedx-json", "spdx-json"])
def test_reading_and_writing_again_gives_the_same_document(tmp_path, fmt):
    first = _write(tmp_path, fmt, rich_graph())
    assert WRITERS[fmt].dumps(catalog_sbom(first), created=CREATED) == first.read_text(encoding="utf-8")


def test_catalog_load_dispatches_sbom_documents(tmp_path):
    g = rich_graph()
    for fmt in WRITERS:
        loaded = catalog.load(_write(tmp_path, fmt, g))
        assert {c.name for c in loaded} == {c.name for c in g}


# -- malformed input ---------------------------------------------------------------

@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "not an SBOM"),
    ('{"hello": 1}', "not an SPDX, CycloneDX or assay JSON document"),
    ('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {"type": "library"}}',
     "malformed CycloneDX document (components is not a list)"),
    ('{"bomFormat": "CycloneDX", "specVersion": "2.0"}', "CycloneDX 2.0 is not supported"),
    ('{"spdxVersion": "SPDX-3.0", "packages": []}', "SPDX-3.0 is not supported"),
    ('{"spdxVersion": "SPDX-2.3", "packages": [{"name": "x"}]}', "missing field 'SPDXID'"),
    ('{"spdxVersion": "SPDX-2.3", "packages": "oops"}', "malformed SPDX document"),
    ('{"schema": "assay-inventory", "components": [{"id": "a", "kind": "spaceship", "name": "a"}]}',
     "malformed assay JSON document"),
])
def test_malformed_documents_give_one_line_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        catalog_sbom(path)
    message = info.value.message
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        catalog_sbom(tmp_path / "nope.json")


# -- hand-checked CycloneDX 1.4 and 1.5 documents ---------------------------------------

CDX_14 = {
    "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
    "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
    "metadata": {"timestamp": "2023-01-01T00:00:00Z",
                 "tools": [{"vendor": "example", "name": "handmade", "version": "1"}],
                 "component": {"type": "application", "bom-ref": "app", "name": "myapp", "version": "0.1"}},
    "components": [
        {"type": "library", "bom-ref": "pkg:pypi/flask@3.0.0", "name": "Flask", "version": "3.0.0",
         "author": "Armin Ronacher", "purl": "pkg:pypi/flask@3.0.0",
         "licenses": [{"license": {"id": "BSD-3-Clause"}}],
         "hashes": [{"alg": "SHA-256", "content": "b" * 64}],
         "externalReferences": [{"type": "distribution", "url": "https://files.example.org/flask.whl"},
                                {"type": "vcs", "url": "https://github.com/pallets/flask"}]},
        {"type": "library", "bom-ref": "werkzeug", "name": "Werkzeug", "version": "3.0.1",
         "purl": "pkg:pypi/werkzeug@3.0.1", "supplier": {"name": "Pallets"},
         "licenses": [{"license": {"name": "Custom Pallets License"}}],
         "components": [{"type": "library", "bom-ref": "zlib", "name": "zlib", "version": "1.3",
                         "purl": "pkg:generic/zlib@1.3",
                         "cpe": "cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*"}]},
    ],
    "dependencies": [{"ref": "app", "dependsOn": ["pkg:pypi/flask@3.0.0"]},
                     {"ref": "pkg:pypi/flask@3.0.0", "dependsOn": ["werkzeug"]},
                     {"ref": "werkzeug", "dependsOn": []}, {"ref": "zlib", "dependsOn": []}],
}

CDX_15 = {
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "metadata": {"tools": {"components": [{"type": "application", "name": "handmade", "version": "2"}]}},
    "components": [
        {"type": "library", "bom-ref": "numpy", "name": "numpy", "version": "1.26.4",
         "purl": "pkg:pypi/numpy@1.26.4",
         "licenses": [{"expression": "BSD-3-Clause AND 0BSD"}],
         "evidence": {"identity": {"field": "purl", "confidence": 1.0},
                      "occurrences": [{"location": "site-packages/numpy-1.26.4.dist-info/METADATA"}]},
         "components": [{"type": "library", "bom-ref": "openblas", "name": "libopenblas",
                         "version": "0.3.23", "hashes": [{"alg": "SHA-1", "content": "c" * 40}]}]},
        {"type": "library", "name": "no-ref-no-version"},
    ],
    "dependencies": [{"ref": "numpy", "dependsOn": ["openblas"]}],
}


@pytest.mark.parametrize(("doc", "version"), [(CDX_14, "1.4"), (CDX_15, "1.5")])
def test_hand_written_documents_are_valid_for_their_version(doc, version):
    assert cyclonedx_errors(json.dumps(doc), version) is None


def test_cyclonedx_1_4(tmp_path):
    path = tmp_path / "bom14.json"
    path.write_text(json.dumps(CDX_14))
    g = catalog_sbom(path)
    by = {c.name: c for c in g}
    assert g.root_component is not None and g.root_component.name == "myapp"
    assert g.root_component.kind is Kind.APPLICATION
    flask = by["Flask"]
    assert (flask.kind, flask.version, flask.purl) == (Kind.PYTHON_PACKAGE, "3.0.0", "pkg:pypi/flask@3.0.0")
    assert flask.author == "Armin Ronacher"
    assert flask.license == License(expression="BSD-3-Clause", source="cyclonedx")
    assert flask.hashes == (Hash("sha256", "b" * 64),)
    assert flask.download_location == "https://files.example.org/flask.whl"
    assert flask.source_url == "https://github.com/pallets/flask"
    assert flask.found_by == "sbom-input"
    assert flask.evidence[0].kind == "sbom-input" and flask.evidence[0].location == str(path)
    werkzeug = by["Werkzeug"]
    assert werkzeug.supplier == "Pallets"
    assert werkzeug.license == License(text="Custom Pallets License", source="cyclonedx")
    zlib = by["zlib"]
    assert zlib.kind is Kind.NATIVE_LIBRARY
    assert zlib.cpes == ("cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*",)
    assert _edges(g) == {
        (g.root, flask.id, RelType.DEPENDS_ON), (flask.id, werkzeug.id, RelType.DEPENDS_ON),
        (werkzeug.id, zlib.id, RelType.CONTAINS)}
    assert g.metadata["source.format"] == "CycloneDX 1.4"
    assert g.metadata["source.creators"] == "handmade 1"
    assert g.metadata["source.created"] == "2023-01-01T00:00:00Z"
    # ids are derived from content: reading twice gives the same ids
    assert set(catalog_sbom(path).components) == set(g.components)


def test_cyclonedx_1_5(tmp_path):
    path = tmp_path / "bom15.json"
    path.write_text(json.dumps(CDX_15))
    g = catalog_sbom(path)
    by = {c.name: c for c in g}
    assert g.root == ""
    numpy = by["numpy"]
    assert numpy.license == License(expression="BSD-3-Clause AND 0BSD", source="cyclonedx")
    assert numpy.evidence[1].location == "site-packages/numpy-1.26.4.dist-info/METADATA"
    blas = by["libopenblas"]
    assert blas.hashes == (Hash("sha1", "c" * 40),)
    assert (numpy.id, blas.id, RelType.CONTAINS) in _edges(g)
    assert (numpy.id, blas.id, RelType.DEPENDS_ON) in _edges(g)
    assert by["no-ref-no-version"].version is None


def test_third_party_document_converts_to_valid_sboms(tmp_path):
    path = tmp_path / "bom14.json"
    path.write_text(json.dumps(CDX_14))
    g = catalog_sbom(path)
    assert cyclonedx_errors(cyclonedx.dumps(g, created=CREATED)) is None
    assert spdx_errors(spdx.dumps(g, created=CREATED), tmp_path) == []


# -- property: any graph survives every writer and reader --------------------------------

_names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
_versions = st.one_of(st.none(), st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}", fullmatch=True))
_licenses = st.one_of(
    st.none(),
    st.sampled_from(["MIT", "Apache-2.0 OR MIT", "GPL-2.0-only WITH Classpath-exception-2.0"]).map(
        lambda e: License(expression=e, source="License-Expression")),
    _names.map(lambda t: License(text=t + " terms", source="License")),
)
_hashes = st.lists(st.sampled_from([Hash("sha256", "1" * 64), Hash("sha512", "2" * 128),
                                    Hash("md5", "3" * 32)]), unique=True, max_size=3).map(tuple)


_maybe_text = st.one_of(st.none(), _names)
_evidence = st.lists(st.builds(Evidence, kind=st.sampled_from(["metadata", "record", "soname", "odd kind"]),
                               location=st.text(max_size=10), detail=st.text(max_size=10),
                               proves=st.sampled_from(["presence", "version", "license"])), max_size=2)
_props = st.lists(st.tuples(st.sampled_from(["assay:installer", "assay:requested", "x:y"]),
                            st.text(max_size=8)), max_size=2)


_rel_types = st.sampled_from([RelType.DEPENDS_ON, RelType.OPTIONAL_DEPENDS_ON, RelType.CONTAINS,
                              RelType.DYNAMIC_LINK])
_edge_props = st.dictionaries(st.sampled_from(["requirement", "extra"]), _names, max_size=1)


@st.composite
def graphs(draw) -> Graph:
    g = Graph(metadata=draw(st.dictionaries(st.sampled_from(["target", "python", "x"]), st.text(max_size=8))))
    n = draw(st.integers(min_value=1, max_value=6))
    ids = []
    for i in range(n):
        name = draw(_names)
        version = draw(_versions)
        kind = draw(st.sampled_from(list(Kind)))
        comp = Component(
            id=make_id(kind, name, version, str(i)), kind=kind, name=name, version=version,
            purl=f"pkg:pypi/p{i}@{version}" if version and kind is Kind.PYTHON_PACKAGE else None,
            cpes=tuple(draw(st.lists(st.sampled_from(["cpe:2.3:a:v:p:1:*:*:*:*:*:*:*", "cpe:/a:v:q:2"]),
                                     unique=True, max_size=2))),
            hashes=draw(_hashes), license=draw(_licenses), supplier=draw(_maybe_text),
            author=draw(_maybe_text), description=draw(_maybe_text),
            download_location=draw(st.one_of(_maybe_text, st.just("https://example.org/p.whl"))),
            homepage=draw(st.one_of(_maybe_text, st.just("https://example.org/"))),
            source_url=draw(st.one_of(_maybe_text, st.just("git+https://example.org/r.git"))),
            evidence=tuple(draw(_evidence)), found_by=draw(st.sampled_from(["", "installed", "bundled.elf"])),
            properties=tuple(draw(_props)),
        )
        g.add(comp)
        ids.append(comp.id)
    g.root = draw(st.sampled_from([ids[0], ""]))
    for src in ids:
        for dst in ids:
            if src != dst and draw(st.booleans()):
                g.relate(src, dst, draw(_rel_types), **draw(_edge_props))
    for _ in range(draw(st.integers(0, 2))):
        g.unknown(draw(st.sampled_from([*ids, "/some/path"])), "unsatisfied-requirement", draw(_names))
    return g


@settings(max_examples=20, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(g=graphs())
def test_any_graph_round_trips_and_validates(tmp_path, g):
    for fmt in WRITERS:
        text = WRITERS[fmt].dumps(g, created=CREATED)
        if fmt == "cyclonedx-json":
            assert cyclonedx_errors(text) is None
        if fmt == "spdx-json":
            assert spdx_errors(text, tmp_path) == []
        path = tmp_path / f"{fmt}.json"
        path.write_text(text, encoding="utf-8")
        back = catalog_sbom(path)
        assert back.components == g.components, fmt
        assert _edges(back) == _edges(g), fmt
        assert back.root == g.root
        assert back.metadata == g.metadata
        assert sorted(back.unknowns, key=repr) == sorted(g.unknowns, key=repr)
        assert set(back.relationships) == set(g.relationships), fmt


# -- real third-party documents, generated in the test session ----------------------------

def _distributions(venv: Path) -> dict[str, str]:
    """name -> version of every distribution in ``venv``, asked from its own interpreter."""
    code = ("import importlib.metadata as m, json; "
            "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))")
    out = subprocess.run([str(venv / "bin" / "python"), "-I", "-c", code], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.mark.slow
@pytest.mark.parametrize("spec", ["1.4", "1.5", "1.6"])
def test_cyclonedx_py_environment_documents(tmp_path, spec):
    venv = make_venv("cyclonedx-bom-7.5.0", "cyclonedx-bom==7.5.0")
    out = tmp_path / f"cdx-{spec}.json"
    subprocess.run([str(venv / "bin" / "cyclonedx-py"), "environment", str(venv / "bin" / "python"),
                    "--spec-version", spec, "--output-format", "JSON", "-o", str(out)],
                   check=True, capture_output=True)
    g = catalog_sbom(out)
    installed = _distributions(venv)
    got = {c.name: c.version for c in g}
    # every distribution cyclonedx-py saw (all but pip/setuptools, which it leaves out) with its version
    missing = {n for n in installed if n not in got} - {"pip", "setuptools", "wheel"}
    assert not missing
    for name, version in got.items():
        assert installed[name] == version
    assert all(c.purl and c.purl.startswith("pkg:pypi/") for c in g)
    assert all(c.kind is Kind.PYTHON_PACKAGE for c in g)
    # the dependency graph comes across edge for edge
    doc = json.loads(out.read_text())
    expected_edges = sum(len(d.get("dependsOn", [])) for d in doc["dependencies"])
    assert expected_edges > 10
    assert len([r for r in g.relationships if r.type is RelType.DEPENDS_ON]) == expected_edges
    lib = g.by_name("cyclonedx-python-lib")[0]
    lib_deps = {g.components[r.target].name for r in g.outgoing(lib.id)}
    assert lib_deps >= {"packageurl-python", "sortedcontainers"}
    # and it can be written again as valid documents
    assert cyclonedx_errors(cyclonedx.dumps(g, created=CREATED)) is None
    assert spdx_errors(spdx.dumps(g, created=CREATED), tmp_path) == []


@pytest.mark.slow
def test_sbom4python_spdx_document(tmp_path):
    venv = make_venv("sbom4python-0.12.6", "sbom4python==0.12.6")
    out = tmp_path / "s4p.spdx.json"
    subprocess.run([str(venv / "bin" / "sbom4python"), "-m", "sbom4python", "--sbom", "spdx",
                    "--format", "json", "-o", str(out)], check=True, capture_output=True)
    doc = json.loads(out.read_text())
    g = catalog_sbom(out)
    installed = {canonicalize_name(n): v for n, v in _distributions(venv).items()}
    assert len(g) == len(doc["packages"]) > 5
    for comp in g:
        assert installed[canonicalize_name(comp.name)] == comp.version
        assert comp.purl == f"pkg:pypi/{comp.name.lower()}@{comp.version}"
    root = g.root_component
    assert root is not None and root.name == "sbom4python"
    assert root.supplier == "Anthony Harrison <anthony.p.harrison@gmail.com>"
    assert root.license == License(expression="Apache-2.0", source="spdx:licenseDeclared")
    assert any(c.startswith("cpe:2.3:a:") for c in root.cpes)
    assert g.metadata["source.format"] == "SPDX-2.3"
    assert "sbom4python" in g.metadata["source.creators"]
    depends = [r for r in doc["relationships"] if r["relationshipType"] == "DEPENDS_ON"]
    assert len([r for r in g.relationships if r.type is RelType.DEPENDS_ON]) == len(depends) > 0


# -- a hand-checked SPDX 2.3 document in the shape other tools write (files, reversed edges) --------

SPDX_23 = {
    "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "svc",
    "documentNamespace": "https://example.org/spdx/svc-1",
    "creationInfo": {"created": "2024-02-02T00:00:00Z", "creators": ["Tool: handmade-1"]},
    "packages": [
        {"SPDXID": "SPDXRef-svc", "name": "svc", "versionInfo": "2.0", "downloadLocation": "NOASSERTION",
         "filesAnalyzed": True, "packageVerificationCode": {"packageVerificationCodeValue": "f" * 40},
         "primaryPackagePurpose": "APPLICATION",
         "licenseConcluded": "NOASSERTION", "licenseDeclared": "LicenseRef-Internal"},
        {"SPDXID": "SPDXRef-jinja2", "name": "Jinja2", "versionInfo": "3.1.4", "filesAnalyzed": False,
         "downloadLocation": "https://files.example.org/Jinja2-3.1.4.tar.gz",
         "supplier": "Person: Armin Ronacher (armin@example.org)",
         "checksums": [{"algorithm": "SHA1", "checksumValue": "d" * 40}],
         "licenseConcluded": "BSD-3-Clause", "licenseDeclared": "NOASSERTION",
         "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                           "referenceLocator": "pkg:pypi/jinja2@3.1.4"}]},
        {"SPDXID": "SPDXRef-markupsafe", "name": "MarkupSafe", "versionInfo": "2.1.5", "filesAnalyzed": False,
         "downloadLocation": "NONE", "supplier": "NOASSERTION", "licenseDeclared": "BSD-3-Clause",
         "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
                           "referenceLocator": "pkg:pypi/markupsafe@2.1.5"}]},
    ],
    "files": [{"SPDXID": "SPDXRef-file-app", "fileName": "./app.py",
               "checksums": [{"algorithm": "SHA1", "checksumValue": "e" * 40}]}],
    "hasExtractedLicensingInfos": [{"licenseId": "LicenseRef-Internal",
                                    "extractedText": "Internal use only."}],
    "relationships": [
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
         "relatedSpdxElement": "SPDXRef-svc"},
        {"spdxElementId": "SPDXRef-svc", "relationshipType": "CONTAINS",
         "relatedSpdxElement": "SPDXRef-file-app"},
        {"spdxElementId": "SPDXRef-jinja2", "relationshipType": "DEPENDENCY_OF",
         "relatedSpdxElement": "SPDXRef-svc"},
        {"spdxElementId": "SPDXRef-markupsafe", "relationshipType": "RUNTIME_DEPENDENCY_OF",
         "relatedSpdxElement": "SPDXRef-jinja2"},
    ],
}


def test_hand_written_spdx_document(tmp_path):
    text = json.dumps(SPDX_23)
    assert spdx_errors(text, tmp_path) == []
    path = tmp_path / "svc.spdx.json"
    path.write_text(text)
    g = catalog_sbom(path)
    by = {c.name: c for c in g}
    assert set(by) == {"svc", "Jinja2", "MarkupSafe"}  # the file is not a component
    assert g.root == by["svc"].id and by["svc"].kind is Kind.APPLICATION
    assert by["svc"].license == License(expression="LicenseRef-Internal", text="Internal use only.",
                                        source="spdx:licenseDeclared")
    jinja = by["Jinja2"]
    assert jinja.supplier == "Armin Ronacher <armin@example.org>"
    assert jinja.license == License(expression="BSD-3-Clause", source="spdx:licenseConcluded")
    assert jinja.hashes == (Hash("sha1", "d" * 40),)
    assert jinja.download_location == "https://files.example.org/Jinja2-3.1.4.tar.gz"
    assert by["MarkupSafe"].download_location is None and by["MarkupSafe"].supplier is None
    assert by["MarkupSafe"].purl == "pkg:pypi/markupsafe@2.1.5"
    # reversed SPDX relationships become the model's direction; the SPDX type is kept
    assert _edges(g) == {(by["svc"].id, jinja.id, RelType.DEPENDS_ON),
                         (jinja.id, by["MarkupSafe"].id, RelType.DEPENDS_ON)}
    runtime = next(r for r in g.relationships if r.source == jinja.id)
    assert runtime.prop("spdx.relationship") == "RUNTIME_DEPENDENCY_OF"
