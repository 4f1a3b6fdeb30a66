"""catalog_artifact on wheels, sdists and folders; enrich_installed on installed distributions."""

from __future__ import annotations

import io
import shutil
import tarfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.catalog import load
from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import enrich_installed
from assay.errors import InputError
from assay.model import Component, Graph, Kind, RelType, make_id
from assay.sources.layout import InstalledDist, InstalledLayout
from pypi import make_venv, pypi_file

from ..enrich.bundled_wheelset import ML, WHEELS

PILLOW = f"Pillow-10.0.0-cp311-cp311-{ML}.whl"
JQUERY = (b"/*! jQuery v3.6.0 | (c) OpenJS Foundation and other contributors | jquery.org/license */\n"
          b"!function(){}")


def _sdist(tmp_path: Path) -> Path:
    path = tmp_path / "demo-1.2.tar.gz"
    members = {
        "demo-1.2/PKG-INFO": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.2\nLicense: MIT\n",
        "demo-1.2/src/demo/__init__.py": b"__version__ = '1.2'\n",
        "demo-1.2/src/demo/_vendor/vendor.txt": b"attrs==23.1.0\n# comment\n",
        "demo-1.2/src/demo/_vendor/attr/__init__.py": b'__version__ = "23.1.0"\n',
        "demo-1.2/src/demo/_vendor/six.py": b'__version__ = "1.16.0"\n',
        "demo-1.2/src/demo/static/jquery.min.js": JQUERY,
    }
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def test_sdist_root_vendored_and_javascript(tmp_path: Path) -> None:
    sdist = _sdist(tmp_path)
    graph = load(sdist)
    root = graph.root_component
    assert root is not None and (root.name, root.version, root.kind) == ("demo", "1.2", Kind.PYTHON_PACKAGE)
    assert root.hashes and root.hashes[0].alg == "sha256"
    by_name = {c.name: c for c in graph.packages()}
    assert by_name["attrs"].version == "23.1.0" and by_name["attrs"].kind is Kind.VENDORED_PACKAGE
    assert {e.kind for e in by_name["attrs"].evidence} == {"vendor.txt", "__version__"}
    assert by_name["six"].purl == "pkg:pypi/six@1.16.0"
    jq = by_name["jquery"]
    assert (jq.kind, jq.version, jq.purl) == (Kind.JAVASCRIPT_LIBRARY, "3.6.0", "pkg:npm/jquery@3.6.0")
    assert jq.cpes == ("cpe:2.3:a:jquery:jquery:3.6.0:*:*:*:*:*:*:*",)
    assert jq.prop("assay:path") == "demo-1.2/src/demo/static/jquery.min.js"
    for comp in graph.packages():
        assert any(r.source == graph.root and r.target == comp.id and r.type is RelType.CONTAINS
                   for r in graph.relationships)


def test_folder_is_an_application_with_its_bundled_parts(tmp_path: Path) -> None:
    with zipfile.ZipFile(pypi_file(PILLOW, WHEELS[PILLOW])) as zf:
        zf.extract("Pillow.libs/libpng16-36a62686.so.16.40.0", tmp_path / "app")
    (tmp_path / "app" / "static").mkdir()
    (tmp_path / "app" / "static" / "jquery.js").write_bytes(JQUERY)
    graph = load(tmp_path / "app")
    assert graph.root_component.kind is Kind.APPLICATION and graph.root_component.name == "app"
    found = {(c.name, c.version) for c in graph.packages()}
    assert found == {("libpng", "1.6.40"), ("jquery", "3.6.0")}


def test_ensurepip_style_bundled_wheel_is_scanned_inside(tmp_path: Path) -> None:
    bundled = tmp_path / "cpython" / "Lib" / "ensurepip" / "_bundled"
    bundled.mkdir(parents=True)
    name = "pip-21.3.1-py3-none-any.whl"
    shutil.copy(pypi_file(name, WHEELS[name]), bundled / name)
    graph = load(tmp_path / "cpython")
    (pip,) = [c for c in graph.packages() if c.name == "pip"]
    assert (pip.kind, pip.version, pip.purl) == (Kind.VENDORED_PACKAGE, "21.3.1", "pkg:pypi/pip@21.3.1")
    inside = {graph.components[r.target].name: graph.components[r.target]
              for r in graph.outgoing(pip.id, RelType.CONTAINS)}
    assert inside["requests"].version == "2.26.0"
    assert inside["requests"].prop("assay:path") == f"Lib/ensurepip/_bundled/{name}!/pip/_vendor"


def test_wheel_without_metadata_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "x-1.0-py3-none-any.whl"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("x.py", "")
    with pytest.raises(InputError, match="METADATA"):
        catalog_artifact(bad)


def _unpacked_site(tmp_path: Path, filename: str) -> tuple[Path, Path]:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(pypi_file(filename, WHEELS[filename])) as zf:
        zf.extractall(site)
    dist_info = next(site.glob("*.dist-info"))
    return site, dist_info


def test_enrich_installed_reads_record(tmp_path: Path) -> None:
    site, dist_info = _unpacked_site(tmp_path, f"lxml-4.9.3-cp311-cp311-{ML}.manylinux_2_24_x86_64.whl")
    (site / "stray.so").write_bytes((site / "lxml" / "etree.cpython-311-x86_64-linux-gnu.so").read_bytes())
    graph = Graph()
    dist = Component(id=make_id(Kind.PYTHON_PACKAGE, "lxml", "4.9.3"), kind=Kind.PYTHON_PACKAGE, name="lxml",
                     version="4.9.3")
    graph.add(dist)
    graph.root = dist.id
    layout = InstalledLayout(prefix=str(site))
    layout.dists[dist.id] = InstalledDist(dist.id, str(site), dist_info.name)
    enrich_installed(graph, layout)
    libs = {(c.name, c.version) for c in graph.packages()}
    assert {("libxml2", "2.10.3"), ("libxslt", "1.1.38")} <= libs
    paths = {c.prop("assay:path") for c in graph.packages()}
    assert all(p.startswith(str(site)) for p in paths)
    assert not any(p.endswith("stray.so") for p in paths)  # not in RECORD: not lxml's
    assert all(any(r.source == dist.id and r.target == c.id for r in graph.relationships)
               for c in graph.packages())


@pytest.mark.slow
def test_environment_sbom_includes_bundled_libraries_and_validates(tmp_path: Path) -> None:
    from assay.formats.cyclonedx import dumps as cdx_dumps
    from assay.formats.spdx import dumps as spdx_dumps

    from ..formats.validators import cyclonedx_errors, spdx_errors

    wheel = pypi_file(PILLOW, WHEELS[PILLOW])
    venv = make_venv("bundled-pillow-v1", "--no-deps", "--no-index", str(wheel))
    graph = load(venv)
    pillow = graph.by_name("Pillow")[0]
    contained = {graph.components[r.target].name: graph.components[r.target]
                 for r in graph.outgoing(pillow.id, RelType.CONTAINS)}
    assert contained["libwebp"].version == "1.3.1"
    assert contained["libjpeg-turbo"].version == "2.1.5.1"
    # CPython's own ensurepip wheels, inside the interpreter, with what they vendor
    (interp,) = [c for c in graph if c.kind is Kind.INTERPRETER]
    bundled = sorted(Path(interp.prop("assay:base_prefix")).glob("lib/python3*/ensurepip/_bundled/pip-*.whl"))
    if bundled:
        pip_version = bundled[0].name.split("-")[1]
        inside = [graph.components[r.target] for r in graph.outgoing(interp.id, RelType.CONTAINS)]
        assert ("pip", pip_version) in {(c.name, c.version) for c in inside}
    created = datetime(2024, 1, 1, tzinfo=UTC)
    assert cyclonedx_errors(cdx_dumps(graph, created=created)) is None
    assert spdx_errors(spdx_dumps(graph, created=created), tmp_path) == []


def test_wheel_sbom_documents_validate(tmp_path: Path) -> None:
    from assay.formats.cyclonedx import dumps as cdx_dumps
    from assay.formats.spdx import dumps as spdx_dumps

    from ..formats.validators import cyclonedx_errors, spdx_errors

    shutil.copy(pypi_file(PILLOW, WHEELS[PILLOW]), tmp_path / PILLOW)
    graph = catalog_artifact(tmp_path / PILLOW)
    created = datetime(2024, 1, 1, tzinfo=UTC)
    cdx = cdx_dumps(graph, created=created)
    assert cyclonedx_errors(cdx) is None
    assert '"cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*"' in cdx
    assert spdx_errors(spdx_dumps(graph, created=created), tmp_path) == []


def test_sdist_with_vendored_c_sources(tmp_path: Path) -> None:
    # the lines as they stand in zstandard-0.22.0's zstd/zstd.h and pycares-4.4.0's ares_version.h
    members = {
        "demo-2.0/PKG-INFO": b"Metadata-Version: 2.1\nName: demo\nVersion: 2.0\n",
        "demo-2.0/zstd/zstd.h": b"/* ... */\n#define ZSTD_VERSION_MAJOR    1\n"
                                b"#define ZSTD_VERSION_MINOR    5\n"
                                b"#define ZSTD_VERSION_RELEASE  5\n#define ZSTD_VERSION_NUMBER  (...)\n",
        "demo-2.0/deps/c-ares/include/ares_version.h": b'#define ARES_VERSION_STR "1.18.1"\n',
        "demo-2.0/deps/brotli/c/common/version.h": b"#define BROTLI_VERSION 0x1001000\n",
        "demo-2.0/src/version.h": b"#define DEMO_VERSION 3\n",  # a version.h of no known library
    }
    path = tmp_path / "demo-2.0.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    graph = catalog_artifact(path)
    found = {(c.name, c.version, c.found_by, c.prop("assay:linkage")) for c in graph.packages()}
    assert found == {("zstd", "1.5.5", "bundled.source", "source"),
                     ("c-ares", "1.18.1", "bundled.source", "source"),
                     ("brotli", "1.1.0", "bundled.source", "source")}


def test_enrich_installed_egg_info_uses_installed_files(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(pypi_file(PILLOW, WHEELS[PILLOW])) as zf:
        zf.extract("Pillow.libs/libpng16-36a62686.so.16.40.0", site)
    egg = site / "demo-1.0-py3.11.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: demo\nVersion: 1.0\n")
    (egg / "installed-files.txt").write_text("../Pillow.libs/libpng16-36a62686.so.16.40.0\nPKG-INFO\n")
    graph = Graph()
    dist = Component(id="demo", kind=Kind.PYTHON_PACKAGE, name="demo", version="1.0")
    graph.add(dist)
    layout = InstalledLayout(prefix=str(site))
    layout.dists[dist.id] = InstalledDist(dist.id, str(site), egg.name)
    enrich_installed(graph, layout)
    assert {(c.name, c.version) for c in graph.packages() if c.id != "demo"} == {("libpng", "1.6.40")}


SDISTS = {
    "pycares-4.4.0.tar.gz": "f47579d508f2f56eddd16ce72045782ad3b1b3b678098699e2b6a1b30733e1c2",
    "zstandard-0.22.0.tar.gz": "8226a33c542bcb54cd6bd0a366067b610b41713b64c9abec1bc4533d69f51e70",
}


def _sdist_file(filename: str) -> Path:
    """pypi_file, else pip download with build isolation (these sdists' metadata needs build deps)."""
    import hashlib
    import subprocess
    import sys

    from pypi import CACHE

    try:
        return pypi_file(filename, SDISTS[filename])
    except (RuntimeError, subprocess.CalledProcessError):
        pass
    dest = CACHE / "files" / filename
    name, _, version = filename.removesuffix(".tar.gz").rpartition("-")
    tmp_dir = CACHE / "files" / f".sdist-{name}"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary=:all:", "-q",
                    "--disable-pip-version-check", "-d", str(tmp_dir), f"{name}=={version}"],
                   check=True, capture_output=True)
    got = tmp_dir / filename
    assert hashlib.sha256(got.read_bytes()).hexdigest() == SDISTS[filename]
    got.replace(dest)
    return dest


@pytest.mark.slow
@pytest.mark.parametrize(("filename", "library", "version", "member"), [
    ("pycares-4.4.0.tar.gz", "c-ares", "1.18.1", "pycares-4.4.0/deps/c-ares/include/ares_version.h"),
    ("zstandard-0.22.0.tar.gz", "zstd", "1.5.5", "zstandard-0.22.0/zstd/zstd.h"),
])
def test_real_sdists_vendoring_c_libraries(filename: str, library: str, version: str, member: str) -> None:
    graph = load(_sdist_file(filename))
    found = [c for c in graph.packages() if c.name == library]
    assert [(c.version, c.prop("assay:path")) for c in found] == [(version, member)]
