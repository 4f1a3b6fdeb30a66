"""CPython source tarballs and trees: the real 3.13.5 tarball (tuned on) and Debian's 3.9.2 and
3.11.2 upstream tarballs (measured on). Every expected version is read here from the tarball's
own bytes, independently of assay."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from assay import catalog
from assay.catalog._cpython_source import decode_mimalloc
from assay.formats import render
from assay.model import Kind, RelType

from ..formats.validators import cyclonedx_errors, spdx_errors
from .cpython_fixtures import member, members, tarball

pytestmark = pytest.mark.slow


def _expat(data: bytes) -> str:
    parts = [re.search(rb"#define XML_%s_VERSION (\d+)" % k, data).group(1).decode()  # type: ignore[union-attr]
             for k in (b"MAJOR", b"MINOR", b"MICRO")]
    return ".".join(parts)


def _truth(path: Path) -> dict[str, str]:
    """What the tarball's own files say, read here with tarfile and regexes."""
    out = {"expat": _expat(member(path, "Modules/expat/expat.h"))}
    mpd = re.search(rb'#define MPD_VERSION "([0-9.]+)"',
                    member(path, "Modules/_decimal/libmpdec/mpdecimal.h"))
    out["mpdecimal"] = mpd.group(1).decode()  # type: ignore[union-attr]
    mach = re.search(rb"__version__ = '([0-9.]+)'", member(path, "Lib/ctypes/macholib/__init__.py"))
    out["macholib"] = mach.group(1).decode()  # type: ignore[union-attr]
    try:
        mi = re.search(rb"#define MI_MALLOC_VERSION (\d+)",
                       member(path, "Include/internal/mimalloc/mimalloc.h"))
        out["mimalloc"] = decode_mimalloc(int(mi.group(1)))  # type: ignore[union-attr]
    except KeyError:
        pass
    try:
        rev = re.search(rb"expected_hacl_star_rev=([0-9a-f]{40})", member(path, "Modules/_hacl/refresh.sh"))
        out["hacl-star"] = rev.group(1).decode()  # type: ignore[union-attr]
    except KeyError:
        pass
    return out


def _flat(components: list[dict]) -> list[dict]:
    out = []
    for c in components:
        out.append(c)
        out += _flat(c.get("components") or [])
    return out


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def t3135() -> Path:
    return tarball("3.13.5")


@pytest.fixture(scope="module")
def cdx3135(t3135: Path) -> tuple[dict, str]:
    proc = _cli("sbom", str(t3135), "-f", "cyclonedx-json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr


def test_recognised_by_name_and_shape(t3135: Path, tmp_path: Path) -> None:
    assert catalog.classify(t3135) == "cpython-source"
    assert catalog.classify(t3135.with_name("Python-3.13.5.tar.xz")) == "cpython-source"
    tree = tmp_path / "cpython"
    (tree / "Include").mkdir(parents=True)
    (tree / "Modules").mkdir()
    (tree / "Lib").mkdir()
    (tree / "Include" / "patchlevel.h").write_text('#define PY_VERSION "3.14.0a1+"\n')
    assert catalog.classify(tree) == "cpython-source"
    g = catalog.load(tree)
    assert g.root_component.version == "3.14.0a1+"  # a development checkout: not a release


def test_tarball_cyclonedx_lists_cpython_and_every_vendored_project(t3135: Path, cdx3135) -> None:
    doc, stderr = cdx3135
    assert cyclonedx_errors(json.dumps(doc)) is None
    root = doc["metadata"]["component"]
    assert (root["name"], root["version"]) == ("cpython", "3.13.5")
    assert root["cpe"] == "cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*"
    assert root["hashes"][0]["content"] == "93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640"
    everything = _flat(doc["components"])
    found = {c["name"]: c for c in everything}
    truth = _truth(t3135)
    assert truth["expat"] == "2.7.1"  # what expat.h says (the official SBOM says 2.6.3)
    for name, version in truth.items():
        assert found[name]["version"] == version, name
    assert found["expat"]["cpe"] == "cpe:2.3:a:libexpat_project:libexpat:2.7.1:*:*:*:*:*:*:*"
    assert found["hacl-star"]["purl"] == f"pkg:github/hacl-star/hacl-star@{truth['hacl-star']}"
    # libb2's files carry no version: the official SBOM's claim, said to be only that
    props = {p["name"]: p["value"] for p in found["libb2"].get("properties", [])}
    assert found["libb2"]["version"] == "0.98.1"
    assert "only" in props["assay:version-source"]
    # ensurepip's pip, and every project pip vendors, at the versions its vendor.txt pins
    wheels = members(t3135, r"Lib/ensurepip/_bundled/pip-.*\.whl")
    (wheel_name, wheel), = wheels.items()
    assert found["pip"]["version"] == wheel_name.split("-")[1]
    with zipfile.ZipFile(io.BytesIO(wheel)) as zf:
        vendor = zf.read("pip/_vendor/vendor.txt").decode()
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", vendor, re.M))
    versions = {(c["name"].lower().replace("_", "-"), c["version"]) for c in everything}
    for name, version in pins.items():
        assert (name.lower().replace("_", "-"), version) in versions, name
    # the official SBOM is checked, not trusted
    assert "says expat 2.6.3, but Modules/expat/expat.h is 2.7.1" in stderr
    assert "omits mimalloc" in stderr
    unknowns = [json.loads(p["value"]) for p in doc.get("properties", []) if p["name"] == "assay:unknown"]
    reasons = {u["reason"] for u in unknowns}
    assert {"cpython-sbom-wrong-version", "cpython-sbom-omits"} <= reasons
    assert "cpython-sbom-hash-mismatch" not in reasons  # every listed file matches in the release
    # no build-time external (Windows' OpenSSL, Tcl/Tk...) is claimed as tarball content
    assert not {"openssl", "sqlite", "tcl", "tk", "xz", "bzip2", "libffi", "zlib"} & set(found)


def test_tarball_spdx_validates(t3135: Path, tmp_path: Path) -> None:
    g = catalog.load(t3135)
    text = render("sbom", "spdx-json", g)
    assert spdx_errors(text, tmp_path) == []
    doc = json.loads(text)
    names = {p["name"]: p.get("versionInfo") for p in doc["packages"]}
    assert names["cpython"] == "3.13.5" and names["expat"] == "2.7.1" and names["mimalloc"] == "2.1.2"


def test_tree_and_tampered_file(t3135: Path, tmp_path: Path) -> None:
    with tarfile.open(t3135) as tar:
        wanted = [m for m in tar.getmembers() if m.isreg() and m.name.split("/", 1)[-1].startswith(
            ("Include/", "Modules/", "Lib/ctypes/", "Lib/ensurepip/", "Misc/sbom", "Objects/mimalloc/"))]
        tar.extractall(tmp_path, members=wanted, filter="data")
    tree = next(tmp_path.iterdir())
    (tree / "Lib").mkdir(exist_ok=True)
    shutil.rmtree(tree / "Lib" / "ctypes" / "macholib")  # a checkout without macholib: simply absent
    target = tree / "Modules" / "expat" / "xmlparse.c"
    target.write_bytes(target.read_bytes().replace(b"XML_Parse", b"XML_Parze", 1))
    result = catalog.run(tree)
    assert result.kind == "cpython-source"
    g = result.graph
    assert {c.name: c.version for c in g.packages(["native-library"])}["expat"] == "2.7.1"
    assert not g.by_name("macholib")
    bad = [u for u in g.unknowns if u.reason == "cpython-sbom-hash-mismatch"]
    assert [u.subject for u in bad] == ["Modules/expat/xmlparse.c"]
    assert any("differ from their listed hash" in n for n in result.notes)


@pytest.mark.parametrize("version", ["3.9.2", "3.11.2"])
def test_other_releases(version: str) -> None:
    """Measured, not tuned: every project the table knows that the tarball holds, at the version
    its files say; nothing without a proof gets a version."""
    path = tarball(version)
    g = catalog.load(path)
    root = g.root_component
    assert root is not None and root.kind is Kind.INTERPRETER and root.version == version
    found = {c.name: c for c in g.packages()}
    for name, expected in _truth(path).items():
        assert found[name].version == expected, name
    for comp in g.packages(["native-library"]):
        if comp.version is not None:
            assert any(e.proves == "version" for e in comp.evidence), comp.name
        else:
            assert any(u.subject == comp.id and u.reason == "unknown-version" for u in g.unknowns)
    contained = {r.target for r in g.outgoing(root.id, RelType.CONTAINS)}
    assert {c.id for c in g.packages(["native-library"])} <= contained
    pip = [c for c in found.values() if c.name == "pip"]
    assert pip and pip[0].version


def test_not_a_cpython_tarball(tmp_path: Path) -> None:
    fake = tmp_path / "Python-3.12.0.tgz"
    with tarfile.open(fake, "w:gz") as tar:
        data = b"print('hi')\n"
        info = tarfile.TarInfo("Python-3.12.0/setup.py")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    proc = _cli("sbom", str(fake))
    assert proc.returncode == 2
    assert "not a CPython source tree" in proc.stderr


def test_mechanisms_find_what_no_table_names(tmp_path: Path) -> None:
    """A vendored project nobody listed: found by its licence file and version macro, or by a
    README saying where its files come from; the tree's own SBOM is told it omits them."""
    tree = tmp_path / "cpython"
    for folder in ("Include", "Lib", "Misc", "Modules/_bar", "Modules/_foo"):
        (tree / folder).mkdir(parents=True)
    (tree / "Include" / "patchlevel.h").write_text('#define PY_VERSION "3.99.0"\n')
    (tree / "Modules" / "_bar" / "LICENSE").write_text("Copyright (c) Bar authors\n")
    (tree / "Modules" / "_bar" / "bar.h").write_text('#define BAR_VERSION "4.5.6"\n')
    (tree / "Modules" / "_foo" / "README").write_text(
        "The files in this directory come from libfoo.\nThis is version 1.2.3, from 2020.\n")
    (tree / "Modules" / "_foo" / "foo.c").write_text("int foo(void) { return 0; }\n")
    (tree / "Misc" / "sbom.spdx.json").write_text(json.dumps(
        {"SPDXID": "SPDXRef-DOCUMENT", "spdxVersion": "SPDX-2.3", "packages": [], "files": [],
         "relationships": []}))
    result = catalog.run(tree)
    found = {c.name: c.version for c in result.graph.packages()}
    assert found == {"_bar": "4.5.6", "_foo": "1.2.3"}
    assert any("omits _bar" in n for n in result.notes) and any("omits _foo" in n for n in result.notes)
