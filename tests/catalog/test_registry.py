"""Every input kind is reached through the one registry, and every kind names the same
distribution with the same purl (zope.interface: a dotted name that lock files write
normalised, zope-interface)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assay import catalog
from assay.catalog import registry
from assay.catalog.base import Target
from assay.errors import InputError
from assay.model import Kind
from pypi import CACHE, make_venv, pypi_file

from .cpython_fixtures import embed_zip, tarball

VERSION = "6.4.post2"
WHEEL = ("zope.interface-6.4.post2-cp311-cp311-manylinux_2_5_x86_64.manylinux1_x86_64."
         "manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
WHEEL_SHA256 = "47654177e675bafdf4e4738ce58cdc5c6d6ee2157ac0a78a3fa460942b9d64a8"
SDIST = "zope.interface-6.4.post2.tar.gz"
SDIST_SHA256 = "1c207e6f6dfd5749a26f5a5fd966602d6b824ec00d2df84a7e9a924e8933654e"
PURL = f"pkg:pypi/zope-interface@{VERSION}"
KEY = "registry-zope-v1"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """One real file (or folder) of every kind the registry knows, each naming zope.interface."""
    wheel = pypi_file(WHEEL, WHEEL_SHA256)
    report = CACHE / "venvs" / f"{KEY}.report.json"
    env = make_venv(KEY, "--report", str(report), str(wheel), "setuptools==75.1.0")
    site = next(env.glob("lib/python*/site-packages"))
    d = tmp_path_factory.mktemp("inputs")
    (d / "requirements.txt").write_text(f"zope.interface=={VERSION}\n")
    (d / "pylock.toml").write_text(
        f'lock-version = "1.0"\ncreated-by = "test"\n\n[[packages]]\nname = "zope.interface"\n'
        f'version = "{VERSION}"\n')
    (d / "uv.lock").write_text(
        'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "zope-interface"\n'
        f'version = "{VERSION}"\nsource = {{ registry = "https://pypi.org/simple" }}\n')
    (d / "poetry.lock").write_text(
        f'[[package]]\nname = "zope-interface"\nversion = "{VERSION}"\n'
        'description = ""\noptional = false\npython-versions = ">=3.7"\nfiles = []\n')
    (d / "Pipfile.lock").write_text(json.dumps(
        {"_meta": {"hash": {"sha256": "0" * 64}, "pipfile-spec": 6, "requires": {}, "sources": []},
         "default": {"zope.interface": {"version": f"=={VERSION}"}}, "develop": {}}))
    sbom = d / "env.cdx.json"
    subprocess.run([sys.executable, "-m", "assay", "sbom", str(env), "--no-bundled", "-o", str(sbom)],
                   check=True, capture_output=True)
    third_party = d / "third-party.spdx.json"
    third_party.write_text(json.dumps({
        "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "x", "dataLicense": "CC0-1.0",
        "documentNamespace": "https://example.invalid/x",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: hand"]},
        "packages": [{"SPDXID": "SPDXRef-z", "name": "zope.interface", "versionInfo": VERSION,
                      "downloadLocation": "NOASSERTION",
                      "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                        "referenceLocator": PURL}]}]}))
    folder = d / "project"
    shutil.copytree(site / "zope", folder / "zope")
    return {
        "environment": env, "site-packages": site, "interpreter": env / "bin" / "python",
        "pip-report": report, "sbom": sbom, "pylock": d / "pylock.toml", "uv.lock": d / "uv.lock",
        "poetry.lock": d / "poetry.lock", "Pipfile.lock": d / "Pipfile.lock",
        "requirements": d / "requirements.txt", "wheel": wheel, "sdist": pypi_file(SDIST, SDIST_SHA256),
        "folder": folder, "sbom (third party)": third_party,
        # CPython itself (names no zope.interface): its source tarball and a Windows artifact
        "cpython-source": tarball("3.13.5"), "cpython-release": embed_zip(d),
    }


def test_every_registered_kind_is_fed_its_real_input(inputs):
    names = {c.name for c in registry.catalogers()}
    assert names <= {k.split(" ")[0] for k in inputs}, f"no test input for {names - set(inputs)}"
    for kind, path in inputs.items():
        assert catalog.classify(path) == kind.split(" ")[0], path


def test_every_input_gives_the_same_purl_for_the_same_distribution(inputs):
    for kind, path in inputs.items():
        if kind == "folder" or kind.startswith("cpython"):
            continue  # a folder of sources, CPython itself: they name no such distribution
        graph = catalog.load(path, bundled=False)
        found = [c for c in graph if c.name.lower().replace("-", ".").replace("_", ".") == "zope.interface"
                 and c.kind in (Kind.PYTHON_PACKAGE,)]
        assert found, f"{kind}: zope.interface not listed"
        assert {c.purl for c in found} == {PURL}, kind


def test_classification_reads_each_json_file_once(inputs, monkeypatch):
    reads = []
    import assay.jsonio as jsonio

    real = jsonio.read_json

    def counting(path, **kw):
        reads.append(path)
        return real(path, **kw)

    monkeypatch.setattr(jsonio, "read_json", counting)
    catalog.load(inputs["pip-report"], bundled=False)
    assert len(reads) == 1


def test_unrecognised_input_names_what_assay_reads(tmp_path):
    odd = tmp_path / "notes.bin"
    odd.write_bytes(b"\x00\x01")
    with pytest.raises(InputError, match=r"notes\.bin: not a recognised input.*wheel"):
        catalog.classify(odd)
    with pytest.raises(InputError, match="no such file or folder"):
        Target(tmp_path / "absent")


def test_pipfile_lock_by_its_real_name_is_accepted(inputs, tmp_path):
    # the name is case-sensitive on disk: "Pipfile.lock" was refused before the registry
    r = subprocess.run([sys.executable, "-m", "assay", "sbom", str(inputs["Pipfile.lock"]), "-f", "json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert PURL in r.stdout
