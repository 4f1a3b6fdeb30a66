"""Every cataloger gets the license the installed copy gets: wheels, sdists, pip reports.

Real wheels from the adjudicated table (pinned by sha256), installed by pip itself; real
sdists from PyPI (pinned); a real ``pip install --dry-run --report``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from assay.catalog import load
from assay.catalog.artifact import catalog_artifact
from assay.identity.licenses import WARNING, fields_from_metadata, resolve_license
from assay.model import Component, Graph, Kind
from pypi import pypi_file

from .wheels import verdicts, wheel_files

# several shapes: one whole-file match, four declared files with a LicenseRef, an unmatched
# text, PEP 639 expressions with and without contradicting files, a pointer file, a choice
# in the License field, notices next to full texts, platform wheels
WHEELS = ["alabaster", "docutils", "psycopg2-binary", "cryptography", "typing-extensions",
          "python-dateutil", "bleach", "aiohappyeyeballs", "cffi", "requests", "wcwidth", "pynacl"]

SDISTS = {  # file, sha256 (the same releases as the adjudicated wheels)
    "alabaster": ("alabaster-1.0.0.tar.gz",
                  "c00dca57bca26fa62a6d7d0a9fcce65f3e026e9bfe33e9c538fd3fbb2144fd9e"),
    "docutils": ("docutils-0.22.4.tar.gz",
                 "4db53b1fde9abecbb74d91230d32ab626d94f6badfc575d6db9194a49df29968"),
    "six": ("six-1.17.0.tar.gz", "ff70335d468e7eb6ec65b95b99d3a2836546063f63acc5171de367e834932a81"),
}


def _wheel(name: str) -> Path:
    v = verdicts()[name]
    return pypi_file(v["wheel"], v["sha256"])


def _packages(graph: Graph) -> dict[str, Component]:
    return {str(canonicalize_name(c.name)): c for c in graph.components.values()
            if c.kind == Kind.PYTHON_PACKAGE}


def _root(graph: Graph) -> Component:
    assert graph.root is not None
    return graph.components[graph.root]


def _license_evidence(c: Component) -> list[tuple[str, str, str]]:
    """(kind, file inside the metadata folder, detail) of each license evidence."""
    return [(e.kind, e.location.rpartition(".dist-info/")[2] or e.location.rpartition("/")[2], e.detail)
            for e in c.evidence if e.proves == "license"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Component]:
    """The wheels installed by pip (--target: a plain site folder), then catalogued."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--no-compile", "--disable-pip-version-check", "--target", str(site),
                    *(str(_wheel(n)) for n in WHEELS)], check=True)
    return _packages(load(site, bundled=False))


@pytest.mark.slow
@pytest.mark.parametrize("name", WHEELS)
def test_a_wheel_gets_the_license_its_installed_copy_gets(name: str,
                                                          installed: dict[str, Component]) -> None:
    wheel = _root(catalog_artifact(_wheel(name), bundled=False))
    inst = installed[name]
    assert wheel.license is not None and wheel.license.expression
    assert wheel.license == inst.license
    assert _license_evidence(wheel) == _license_evidence(inst)
    assert [p for p in wheel.properties if p[0] == WARNING] == [p for p in inst.properties if p[0] == WARNING]


@pytest.mark.slow
def test_the_wheels_evidence_names_the_file_inside_the_wheel() -> None:
    w = _wheel("docutils")
    root = _root(catalog_artifact(w, bundled=False))
    locations = {e.location for e in root.evidence if e.kind == "license-file"}
    assert f"{w.name}/docutils-0.22.4.dist-info/licenses/licenses/BSD-0-Clause.rst" in locations


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SDISTS))
def test_an_sdist_gets_the_license_of_its_wheel(name: str) -> None:
    """PKG-INFO, the license files beside it and the paths its License-File fields name."""
    sdist = _root(catalog_artifact(pypi_file(*SDISTS[name]), bundled=False))
    wheel = _root(catalog_artifact(_wheel(name), bundled=False))
    assert sdist.license is not None and sdist.license.expression
    assert sdist.license.expression == wheel.license.expression  # type: ignore[union-attr]


@pytest.mark.slow
def test_an_sdist_reads_the_nested_paths_its_license_file_fields_declare() -> None:
    sdist = _root(catalog_artifact(pypi_file(*SDISTS["docutils"]), bundled=False))
    files = {e.location.rpartition("docutils-0.22.4/")[2] for e in sdist.evidence if e.kind == "license-file"}
    assert {"COPYING.rst", "licenses/BSD-0-Clause.rst", "licenses/BSD-2-Clause.rst",
            "licenses/gpl-3-0.txt"} <= files
    assert not [p for p in sdist.properties if p[0] == WARNING]  # every declared file was found


@pytest.mark.slow
def test_a_pip_report_uses_the_metadata_fields(tmp_path: Path) -> None:
    """A pip report has metadata but no files: its licenses are what the fields alone prove."""
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--dry-run", "--ignore-installed",
                    "--no-deps", "--no-index", "--disable-pip-version-check", "--report", str(report),
                    *(str(_wheel(n)) for n in WHEELS)], check=True)
    assert json.loads(report.read_text())["install"]
    got = _packages(load(report, bundled=False))
    for name in WHEELS:
        fields = fields_from_metadata(wheel_files(name)[1]["METADATA"].decode())
        assert got[name].license == resolve_license(fields).license, name
    # a PEP 639 expression is the answer with or without the files
    assert got["cryptography"].license.expression == "Apache-2.0 OR BSD-3-Clause"  # type: ignore[union-attr]
