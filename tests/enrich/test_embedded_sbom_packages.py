"""An embedded SBOM's distribution packages meet the grafted libraries they were built into.

auditwheel 6 writes a CycloneDX SBOM into the wheel naming the RPM packages its grafted libraries
came from, as the distribution names them (``bzip2-libs``, ``alsa-lib``), not as the files are
named (``libbz2``, ``libasound``). The file built from a package carries the package's
version-release in its debug link, which ties the two; a package version is reported as the
upstream release with the build in the rpm purl.
"""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph
from pypi import pypi_file

from .native_components import native


def _graph(name: str, sha256: str) -> Graph:
    return catalog_artifact(pypi_file(name, sha256))


def _by_name(graph: Graph) -> dict[str, list[tuple[str | None, str]]]:
    out: dict[str, list[tuple[str | None, str]]] = {}
    for c in native(graph):
        out.setdefault(c.name, []).append((c.version, c.purl))
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("wheel", "sha256", "packages"), [
    ("pedalboard-0.9.26-cp313-cp313-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
     "0f138351370b7d146f97937c1cdd156616385c1d79c679afa80cd3074b83893c",
     {"bzip2": "1.0.6-28.el8_10", "alsa-lib": "1.2.10-2.el8"}),
    ("osmium-4.3.2-cp313-cp313-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
     "bb60311add237264e104ea7766a93fecbfb2062038b39297fcbe97a67e531053",
     {"bzip2": "1.0.6-28.el8_10", "lz4": "1.8.3-5.el8_10"}),
])
def test_a_package_named_by_the_distribution_is_the_library_built_from_it(
        wheel: str, sha256: str, packages: dict[str, str]) -> None:
    graph = _graph(wheel, sha256)
    found = _by_name(graph)
    # no second component under the package's name, with the build as its version
    assert not {"bzip2-libs", "lz4-libs", "libasound"} & set(found)
    for name, build in packages.items():
        [(version, _purl)] = found[name]
        assert version == build.split("-")[0]
        [lib] = [c for c in native(graph) if c.name == name]
        sbom = [e.detail for e in lib.evidence if e.kind == "pep770-sbom"]
        assert sbom and build in sbom[0]  # the SBOM's word backs the bytes' version
    # nothing the SBOM lists is left with a distribution build as its version
    assert not [c for c in native(graph) if c.version and ".el8" in c.version]


@pytest.mark.slow
def test_a_library_subpackage_is_its_source_packages_library() -> None:
    # CentOS 7's libraries carry no versioned debug link: psycopg2-binary's SBOM names
    # keyutils-libs 1.5.8-3.el7 and krb5-libs 1.15.1-55.el7_9, the library parts of keyutils and
    # krb5, and cyrus-sasl-lib 2.1.26-24.el7_9 (libsasl2, which the table calls cyrus-sasl). The
    # SBOM's build backs the versions the bytes prove (libkeyutils' keyutils_version_string,
    # krb5's banner, the release sasl_version_info loads after "Cyrus SASL"); a library whose bytes
    # state no version gets upstream's release from it, with the package in the purl (e2fsprogs's
    # libcom_err below).
    graph = _graph("psycopg2_binary-2.9.13-cp315-cp315-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
                   "541a487a9ccd72b5e38f37f27b0ce78cb7eb3e336e7b5277d45463010c03a7a8")
    found = _by_name(graph)
    assert found["libkeyutils"] == [("1.5.8", "pkg:generic/libkeyutils@1.5.8")]
    [keyutils] = [c for c in native(graph) if c.name == "libkeyutils"]
    assert {"version-symbol", "pep770-sbom"} <= {e.kind for e in keyutils.evidence}
    assert "1.15.1" in {v for v, _ in found["krb5"]}
    assert "keyutils-libs" not in found and "krb5-libs" not in found
    assert found["cyrus-sasl"] == [("2.1.26", "pkg:generic/cyrus-sasl@2.1.26")]
    [sasl] = [c for c in native(graph) if c.name == "cyrus-sasl"]
    assert {"version-string", "pep770-sbom"} <= {e.kind for e in sasl.evidence}
    assert "cyrus-sasl-lib" not in found
    # the SBOM names RHEL's libcom_err by its file; the table calls that library e2fsprogs (its
    # project): the claim still backs it, and gives it the build's upstream release
    assert found["e2fsprogs"] == [("1.42.9", "pkg:rpm/centos/libcom_err@1.42.9-19.el7")]
    assert "libcom_err" not in found
