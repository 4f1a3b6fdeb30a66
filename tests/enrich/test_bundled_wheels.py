"""Bundled libraries in real wheels from PyPI: exact versions proven from the bytes, and no wrong ones."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph, Kind, RelType
from pypi import pypi_file

from .bundled_wheelset import EXPECTED, ML, UNPROVEN, WHEELS

NAMED = [  # the examples: small, always run
    f"Pillow-10.0.0-cp311-cp311-{ML}.whl",
    f"Pillow-10.0.1-cp311-cp311-{ML}.whl",
    f"cryptography-41.0.3-cp37-abi3-{ML}.whl",
    f"lxml-4.9.3-cp311-cp311-{ML}.manylinux_2_24_x86_64.whl",
]


@cache
def scanned(filename: str) -> Graph:
    return catalog_artifact(pypi_file(filename, WHEELS[filename]))


def found(graph: Graph) -> dict[str, set[str | None]]:
    """Library name -> versions proven. A library found in several files is one component that
    keeps the other files' library names (libwebp also-named libwebpmux, libwebpdemux)."""
    out: dict[str, set[str | None]] = defaultdict(set)
    for c in graph.packages([Kind.NATIVE_LIBRARY.value]):
        if c.purl.startswith("pkg:cargo/"):  # a Rust crate is not the C library of that name
            continue
        out[c.name].add(c.version)
        for other in filter(None, (c.prop("assay:also-named") or "").split(", ")):
            out[other].add(c.version)
    return out


def check(filename: str) -> None:
    graph = scanned(filename)
    got = found(graph)
    expected = EXPECTED[filename]
    missing = {(n, v) for n, v in expected if v not in got.get(n, set())}
    assert not missing, f"{filename}: not proven: {sorted(missing)}; found {dict(got)}"
    # no wrong version: a library we know the truth of shows no other version
    truth: dict[str, set[str]] = defaultdict(set)
    for n, v in expected:
        truth[n].add(v)
    wrong = {(n, v) for n, vs in got.items() if n in truth for v in vs if v is not None and v not in truth[n]}
    assert not wrong, f"{filename}: wrong versions {sorted(wrong)}"
    guessed = {(n, v) for n in UNPROVEN.get(filename, ()) for v in got.get(n, set()) if v is not None}
    assert not guessed, f"{filename}: versions the bytes do not prove: {sorted(guessed)}"


@pytest.mark.parametrize("filename", NAMED)
def test_named_wheels(filename: str) -> None:
    check(filename)


@pytest.mark.slow
@pytest.mark.parametrize("filename", sorted(set(EXPECTED) - set(NAMED)))
def test_more_wheels(filename: str) -> None:
    check(filename)


def test_pillow_components_carry_purl_cpe_evidence_and_contains() -> None:
    graph = scanned(NAMED[0])
    root = graph.root_component
    assert root is not None and root.name == "Pillow" and root.version == "10.0.0"
    assert any(h.alg == "sha256" and h.value == WHEELS[NAMED[0]] for h in root.hashes)
    webp = [c for c in graph.packages() if c.name == "libwebp"]
    assert len(webp) == 1
    (c,) = webp
    assert c.kind is Kind.NATIVE_LIBRARY
    assert c.purl == "pkg:generic/libwebp@1.3.1"
    assert c.cpes == ("cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*",)
    assert c.found_by == "bundled.elf"
    assert c.prop("assay:path") == "Pillow.libs/libwebp-74f033ac.so.7.1.7"
    version_ev = [e for e in c.evidence if e.proves == "version"]
    assert version_ev and version_ev[0].kind == "symbol" and "0x10301" in version_ev[0].detail
    assert any(e.kind == "file-name" for e in c.evidence)
    assert any(r.source == graph.root and r.target == c.id and r.type is RelType.CONTAINS
               for r in graph.relationships)
    lcms = next(c for c in graph.packages() if c.name == "lcms2")
    assert lcms.cpes == ("cpe:2.3:a:littlecms:little_cms_color_engine:2.15:*:*:*:*:*:*:*",)
    # one library in several files (libwebp, libwebpmux, libwebpdemux: one CPE, one version) is one
    # component with every file as evidence, so its advisories are listed once
    files = {e.location.split("/")[-1].split("-")[0] for e in c.evidence}
    assert files == {"libwebp", "libwebpmux", "libwebpdemux"}
    assert c.prop("assay:also-named") == "libwebpdemux, libwebpmux"
    # bundled libraries linking bundled libraries (DT_NEEDED → dynamic_link)
    ids = {c.name: c.id for c in graph.packages()}
    assert any(r.source == ids["libwebp"] and r.target == ids["libsharpyuv"]
               and r.type is RelType.DYNAMIC_LINK for r in graph.relationships)


def test_unprovable_version_is_unknown_not_guessed() -> None:
    graph = scanned(NAMED[0])
    xcb = [c for c in graph.packages() if c.name == "libxcb"]
    assert xcb and all(c.version is None for c in xcb)
    assert all(c.purl == "pkg:generic/libxcb" for c in xcb)
    assert any(u.subject == xcb[0].id and u.reason == "unknown-version" for u in graph.unknowns)


def test_static_copies_are_found_in_every_file() -> None:
    graph = scanned(NAMED[3])  # lxml: libxml2 linked into two extension modules
    (c,) = [c for c in graph.packages() if c.name == "libxml2"]  # one library, one version: one component
    files = sorted({e.location for e in c.evidence if e.proves == "version"})
    assert files == ["lxml/etree.cpython-311-x86_64-linux-gnu.so",
                     "lxml/objectify.cpython-311-x86_64-linux-gnu.so"]
    assert c.prop("assay:linkage") == "static"
    crypto = scanned(NAMED[2])
    (ossl,) = [c for c in crypto.packages() if c.name == "openssl" and c.purl.startswith("pkg:generic/")]
    # the Rust crate of that name is a component of its own (its purl says so)
    (crate,) = [c for c in crypto.packages() if c.name == "openssl" and c.purl.startswith("pkg:cargo/")]
    assert crate.version == "0.10.54" and crate.prop("assay:linkage") == "static"
    assert ossl.version == "3.1.2" and ossl.prop("assay:path") == "cryptography/hazmat/bindings/_rust.abi3.so"
    assert any(e.kind == "version-string" and e.detail.startswith("OpenSSL 3.1.2") for e in ossl.evidence)


def test_pip_vendored_projects() -> None:
    graph = catalog_artifact(pypi_file("pip-21.3.1-py3-none-any.whl", WHEELS["pip-21.3.1-py3-none-any.whl"]))
    vendored = {c.name: c for c in graph.packages([Kind.VENDORED_PACKAGE.value])}
    assert vendored["requests"].version == "2.26.0"
    assert vendored["urllib3"].version == "1.26.7"
    assert vendored["requests"].purl == "pkg:pypi/requests@2.26.0"
    kinds = {e.kind for e in vendored["requests"].evidence}
    assert {"vendor.txt", "__version__"} <= kinds
    assert all(c.prop("assay:path") == "pip/_vendor" for c in vendored.values())
    assert not graph.packages([Kind.NATIVE_LIBRARY.value])


PIP_26 = ("pip-26.3-py3-none-any.whl", "f3b60b20ffaadd4415ed7957212a38ac63fa4c5fa375bd0f4a797777940fad13")
SETUPTOOLS_84 = ("setuptools-84.2.1-py3-none-any.whl",
                 "ca140b45d5325a9478f880e351484f62fef15f336462e449ca0c03c873d589c2")


def test_vendored_projects_get_the_license_their_files_prove() -> None:
    # pip keeps each vendored project's license files where PEP 639 puts them, under their
    # source path: pip-26.3.dist-info/licenses/src/pip/_vendor/certifi/LICENSE
    pip = {c.name: c for c in catalog_artifact(pypi_file(*PIP_26)).packages([Kind.VENDORED_PACKAGE.value])}
    assert pip["certifi"].license.expression == "MPL-2.0"
    assert pip["packaging"].license.expression == "Apache-2.0 OR BSD-2-Clause"  # LICENSE's choice
    assert pip["CacheControl"].license.expression == "Apache-2.0"
    assert any(e.proves == "license" and "licenses/src/pip/_vendor/certifi/LICENSE" in e.location
               for e in pip["certifi"].evidence)
    # setuptools vendors whole metadata folders: their License-Expression, else their files
    st = {c.name: c for c in catalog_artifact(pypi_file(*SETUPTOOLS_84)).packages(
        [Kind.VENDORED_PACKAGE.value])}
    assert st["zipp"].license.expression == "MIT" and st["zipp"].license.source == "License-Expression"
    assert st["backports.tarfile"].license.expression == "MIT"
    assert all(c.license is not None for c in st.values()), [n for n, c in st.items() if c.license is None]


def test_no_bundled_flag_gives_only_the_root() -> None:
    graph = catalog_artifact(pypi_file(NAMED[0], WHEELS[NAMED[0]]), bundled=False)
    assert list(graph.components) == [graph.root]
