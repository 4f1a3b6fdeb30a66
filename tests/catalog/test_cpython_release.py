"""CPython's Windows release artifacts.

No registry reachable here (PyPI, Debian, npm) carries python.org's embeddable zip or the
``python`` NuGet package, so these tests run on what is obtainable: real Windows DLLs from
pinned PyPI wheels. The VERSIONINFO reader is tested on DLLs whose stamped versions are known;
the cataloger on a zip laid out as the embeddable zip is (DLLs and .pyd files at its top, beside
``python3XX.dll``), assembled here from those real binaries. The ``python311.dll`` in it is a
real DLL of another project under that name: the test asserts that its VERSIONINFO is not
taken for CPython's and that the version then comes from the artifact's name alone.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from assay import catalog
from assay.catalog.cpython_release import version_info
from assay.formats import render

from ..formats.validators import cyclonedx_errors
from ..pypi import pypi_file
from .cpython_fixtures import PYZMQ_WIN, embed_zip, wheel_member


def test_versioninfo_of_real_dlls() -> None:
    wheel = pypi_file(*PYZMQ_WIN)
    _n, zmq = wheel_member(wheel, "libzmq-v141-mt-4_3_4")
    info = version_info(zmq)
    assert info["ProductName"] == "ZeroMQ" and info["FixedFileVersion"] == "4.3.4.0"
    _n, sodium = wheel_member(wheel, "libsodium-")
    assert version_info(sodium)["ProductVersion"] == "1.0.18.0"
    _n, pyd = wheel_member(wheel, "_version.cp311-win_amd64.pyd")
    assert version_info(pyd) == {}  # a file without the resource says nothing


@pytest.fixture(scope="module")
def embed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return embed_zip(tmp_path_factory.mktemp("embed"))


def test_embeddable_zip_lists_what_it_bundles(embed: Path) -> None:
    assert catalog.classify(embed) == "cpython-release"
    result = catalog.run(embed)
    g = result.graph
    root = g.root_component
    assert root is not None and (root.name, root.version) == ("cpython", "3.11.9")
    assert root.cpes == ("cpe:2.3:a:python:python:3.11.9:*:*:*:*:*:*:*",)
    assert [e.kind for e in root.evidence if e.proves == "version"] == ["file-name"]
    found = {(c.name, c.version) for c in g.packages()}
    assert ("libzmq", "4.3.4") in found and ("libsodium", "1.0.18") in found
    assert ("openssl", "3.1.2") in found  # built into _rust.pyd
    doc = render("sbom", "cyclonedx-json", g)
    assert cyclonedx_errors(doc) is None
    assert json.loads(doc)["metadata"]["component"]["version"] == "3.11.9"


def test_not_an_embeddable_zip(tmp_path: Path) -> None:
    fake = tmp_path / "python-3.12.0-embed-amd64.zip"
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("readme.txt", "hello")
    from assay.errors import InputError

    with pytest.raises(InputError, match=r"no python3XX\.dll"):
        catalog.load(fake)
