"""ICU4C in wheels: its version function passes the release text on in a tail call, its symbols
carry the major version, its DLLs' VERSIONINFO pads the release with zeros."""

from __future__ import annotations

import pytest

from assay.catalog.artifact import catalog_artifact
from pypi import pypi_file

from .native_components import evidence, native, versions


@pytest.mark.slow
@pytest.mark.parametrize(("wheel", "sha256", "version"), [
    # u_getVersion_77: lea rdi, [rip + "77.1"]; jmp u_versionFromString_77 (x86-64)
    ("pyicu_wheels-2.15.2-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
     "d788588b9f64b6bb7e32941781d0232f7aca1694e8638a44d7354cb0757a57fe", "77.1"),
    # adrp x1, page; add x1, x1, off; b u_versionFromString_77 (arm64)
    ("pyicu_wheels-2.15.2-cp312-cp312-macosx_15_0_arm64.whl",
     "e3f3c9f3cbda6d40299fd2f08600d7a51e5fb8d6d05cdcbb15672dac71f4d172", "77.1"),
    # another project, another release: PyICU-binary's grafted ICU 69
    ("PyICU_binary-2.7.4-cp39-cp39-manylinux_2_24_x86_64.whl",
     "f4ec16b9e36fa4c9955a07f9c5c15f30b318917a69dbd2c04267668f8301ec9f", "69.1"),
])
def test_icu_version_from_its_tail_call(wheel: str, sha256: str, version: str) -> None:
    graph = catalog_artifact(pypi_file(wheel, sha256))
    assert versions(graph, "icu") - {None} == {version}
    assert any(e.kind == "symbol" and e.detail.startswith(f"u_getVersion_{version.split('.')[0]}:")
               for e in evidence(graph, "icu"))
    [c] = [c for c in native(graph) if c.name == "icu" and c.version]
    assert c.cpes == (f"cpe:2.3:a:icu-project:international_components_for_unicode:{version}"
                      ":*:*:*:*:*:*:*",)


@pytest.mark.slow
def test_icu_dll_versioninfo_is_the_two_part_release() -> None:
    # MSVC inlines u_versionFromString into u_getVersion; the DLLs' VERSIONINFO says 77,1,0,0:
    # ICU 77.1 (its releases have two parts), not 77.1.0
    graph = catalog_artifact(pypi_file("pyicu_wheels-2.15.2-cp312-cp312-win_amd64.whl",
                                       "4a4b881fd4c647a5871bc0277232a5ed93a0b278dba224a305f5ec2f040aa5c7"))
    assert versions(graph, "icu") - {None} == {"77.1"}
