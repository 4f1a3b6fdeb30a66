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
     {"bzip2": "1.0.6-28.el8_10", "libasound": "1.2.10-2.el8"}),
    ("osmium-4.3.2-cp313-cp313-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
     "bb60311add237264e104ea7766a93fecbfb2062038b39297fcbe97a67e531053",
     {"bzip2": "1.0.6-28.el8_10", "lz4": "1.8.3-5.el8_10"}),
])
def test_a_package_named_by_the_distribution_is_the_library_built_from_it(
        wheel: str, sha256: str, packages: dict[str, str]) -> None:
    graph = _graph(wheel, sha256)
    found = _by_name(graph)
    # no second component under the package's name, with the build as its version
    assert not {"bzip2-libs", "lz4-libs", "alsa-lib"} & set(found)
    for name, build in packages.items():
        [(version, _purl)] = found[name]
        assert version == build.split("-")[0]
        [lib] = [c for c in native(graph) if c.name == name]
        sbom = [e.detail for e in lib.evidence if e.kind == "pep770-sbom"]
        assert sbom and build in sbom[0]  # the SBOM's word backs the bytes' version
    # nothing the SBOM lists is left with a distribution build as its version
    assert not [c for c in native(graph) if c.version and ".el8" in c.version]
