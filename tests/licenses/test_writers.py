"""The license of a component in SPDX and CycloneDX: every LicenseRef with its own text, the
warnings of license resolution where SPDX keeps license remarks; documents validated."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.formats.cyclonedx import dumps as cdx_dumps
from assay.formats.documents import read_document
from assay.formats.spdx import dumps as spdx_dumps
from assay.identity.licenses import WARNING, resolve_license, with_license
from assay.model import Component, Graph, Kind, make_id
from pypi import pypi_file

from ..formats.validators import cyclonedx_errors, spdx_errors
from .wheels import verdicts, wheel_files

CREATED = datetime(2024, 5, 1, tzinfo=UTC)


def _two_unmatched_texts() -> tuple[Component, dict[str, bytes]]:
    """A distribution shipping two license texts no SPDX template matches (real texts: the
    psycopg2 LICENSE and docutils' COPYING.rst), resolved as a cataloger resolves them."""
    files = {"licenses/LICENSE": wheel_files("psycopg2-binary")[1]["licenses/LICENSE"],
             "licenses/COPYING.rst": wheel_files("docutils")[1]["licenses/COPYING.rst"]}
    result = resolve_license({"License-File": ["LICENSE", "COPYING.rst"]}, files.get, sorted(files),
                             where="demo-1.0.dist-info/")
    comp = Component(id=make_id(Kind.PYTHON_PACKAGE, "demo", "1.0"), kind=Kind.PYTHON_PACKAGE,
                     name="demo", version="1.0", purl="pkg:pypi/demo@1.0", found_by="installed")
    return with_license(comp, result), files


def _graph(*components: Component) -> Graph:
    graph = Graph(metadata={"target": "demo"})
    for c in components:
        graph.add(c)
    graph.root = components[0].id
    return graph


def _ref(name: str, data: bytes) -> str:
    return f"LicenseRef-{name}-{hashlib.sha256(data).hexdigest()[:12]}"


@pytest.mark.slow
def test_the_resolver_keeps_each_licenseref_text() -> None:
    comp, files = _two_unmatched_texts()
    lic = comp.license
    assert lic is not None
    a, b = _ref("COPYING.rst", files["licenses/COPYING.rst"]), _ref("LICENSE", files["licenses/LICENSE"])
    assert set(lic.expression.split(" AND ")) == {a, b}  # type: ignore[union-attr]
    assert dict(lic.extracted) == {a: files["licenses/COPYING.rst"].decode(),
                                   b: files["licenses/LICENSE"].decode()}
    assert lic.text is None  # never the two texts run together


@pytest.mark.slow
def test_spdx_extracts_every_licenseref_with_its_own_text(tmp_path: Path) -> None:
    comp, files = _two_unmatched_texts()
    text = spdx_dumps(_graph(comp), created=CREATED)
    assert spdx_errors(text, tmp_path) == []
    doc = json.loads(text)
    extracted = {e["licenseId"]: e["extractedText"] for e in doc["hasExtractedLicensingInfos"]}
    assert extracted == dict(comp.license.extracted)  # type: ignore[union-attr]
    assert extracted[_ref("LICENSE", files["licenses/LICENSE"])] == files["licenses/LICENSE"].decode()
    (pkg,) = doc["packages"]
    assert "licenseComments" not in pkg  # no warning, and no text repeated there
    # assay reads its own document back whole; another tool's reading of the same document
    # (no assay annotation) still gets each LicenseRef's text from hasExtractedLicensingInfos
    graph, _ = read_document(doc, "demo.spdx.json")
    assert graph.components[comp.id].license == comp.license
    del pkg["annotations"]
    (foreign,) = read_document(doc, "demo.spdx.json")[0].components.values()
    assert foreign.license.extracted == comp.license.extracted  # type: ignore[union-attr]


@pytest.mark.slow
def test_cyclonedx_gives_every_licenseref_its_text() -> None:
    comp, _files = _two_unmatched_texts()
    text = cdx_dumps(_graph(comp), created=CREATED)
    assert cyclonedx_errors(text) is None
    doc = json.loads(text)
    (c,) = doc.get("components") or [doc["metadata"]["component"]]
    assert c["licenses"] == [{"expression": comp.license.expression}]  # type: ignore[union-attr]
    named = {e["license"]["name"]: e["license"]["text"]["content"] for e in c["evidence"]["licenses"]}
    assert named == dict(comp.license.extracted)  # type: ignore[union-attr]
    graph, _ = read_document(json.loads(text), "demo.cdx.json")
    assert graph.components[comp.id].license == comp.license


@pytest.mark.slow
def test_one_licenseref_is_written_as_before(tmp_path: Path) -> None:
    """psycopg2-binary: one LicenseRef, its text extracted once, read back whole."""
    v = verdicts()["psycopg2-binary"]
    graph = catalog_artifact(pypi_file(v["wheel"], v["sha256"]), bundled=False)
    root = graph.components[graph.root]  # type: ignore[index]
    lic = root.license
    assert lic is not None and len(lic.extracted) == 1 and lic.text == lic.extracted[0][1]
    spdx = spdx_dumps(graph, created=CREATED)
    assert spdx_errors(spdx, tmp_path) == []
    infos = json.loads(spdx)["hasExtractedLicensingInfos"]
    assert [(i["licenseId"], i["extractedText"]) for i in infos] == list(lic.extracted)
    cdx = cdx_dumps(graph, created=CREATED)
    assert cyclonedx_errors(cdx) is None
    doc = json.loads(cdx)
    c = next(c for c in [doc["metadata"]["component"], *doc.get("components", ())]
             if c["bom-ref"] == root.id)
    assert "licenses" not in c.get("evidence", {})  # the one text is assay:license.text, named:
    assert {"name": "assay:license.ref", "value": lic.extracted[0][0]} in c["properties"]
    for text in (spdx, cdx):
        back, _ = read_document(json.loads(text), "x")
        assert back.components[root.id].license == lic


@pytest.mark.slow
def test_resolution_warnings_are_spdx_license_comments(tmp_path: Path) -> None:
    """typing-extensions: PEP 639 says PSF-2.0, a license file holds 0BSD as well."""
    v = verdicts()["typing-extensions"]
    graph = catalog_artifact(pypi_file(v["wheel"], v["sha256"]), bundled=False)
    root = graph.components[graph.root]  # type: ignore[index]
    warnings = [w for k, w in root.properties if k == WARNING]
    assert warnings and any("0BSD" in w for w in warnings)
    text = spdx_dumps(graph, created=CREATED)
    assert spdx_errors(text, tmp_path) == []
    pkg = next(p for p in json.loads(text)["packages"] if p["name"] == root.name)
    assert pkg["licenseDeclared"] == "PSF-2.0"
    for w in warnings:
        assert w in pkg["licenseComments"]
    back, _ = read_document(json.loads(text), "x")
    assert back.components[root.id].license == root.license
    back_warnings = [w for k, w in back.components[root.id].properties if k == WARNING]
    assert back_warnings == warnings


def test_a_license_without_extracted_texts_keeps_its_one_text(tmp_path: Path) -> None:
    """Licenses from other sources (another SBOM, metadata) hold a LicenseRef's text in ``text``."""
    from assay.model import License

    comp = Component(id="x", kind=Kind.PYTHON_PACKAGE, name="x", version="1",
                     license=License("LicenseRef-Own AND MIT", "own terms", "License-Expression"))
    doc = json.loads(spdx_dumps(_graph(comp), created=CREATED))
    assert doc["hasExtractedLicensingInfos"] == [
        {"extractedText": "own terms", "licenseId": "LicenseRef-Own", "name": "Own"}]
    assert spdx_errors(json.dumps(doc), tmp_path) == []
    two = replace(comp, license=License("LicenseRef-A AND LicenseRef-B", None, "x",
                                        (("LicenseRef-A", "a terms"),)))
    doc = json.loads(spdx_dumps(_graph(two), created=CREATED))
    texts = {e["licenseId"]: e["extractedText"] for e in doc["hasExtractedLicensingInfos"]}
    assert texts == {"LicenseRef-A": "a terms",
                     "LicenseRef-B": "LicenseRef-B: the text is not known to assay"}
