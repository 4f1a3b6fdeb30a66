"""A C extension module's ``<library>_version`` attribute set from what a function of that
library, compiled into the same file, returns: Pillow's Windows wheels link HarfBuzz and libavif
statically into stripped ``.pyd`` files, where no symbol names them and their version texts stand
bare (untuned22's misses); the module's own attribute name ties the text to the library."""

from __future__ import annotations

from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix

# a second binary, pinned by sha256: an earlier Pillow release's Windows wheel, built from other
# HarfBuzz and libavif releases than untuned22's Pillow 13.0.0
OTHER = {
    "pillow-12.0.0-cp313-cp313-win_amd64.whl":
        "4cf7fed4b4580601c4345ceb5d4cbf5a980d030fd5ad07c4d2ec589f95f09905",
}


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(wheel_by_prefix(prefix, "win", ("untuned22.json",), OTHER))


@pytest.mark.slow
def test_version_attribute_set_from_a_compiled_in_function() -> None:
    # _imagingft: harfbuzz_version from hb_version_string() (lea rax, "14.5.0"; ret);
    # _avif: libavif_version from avifVersion()
    assert _versions(_graph("pillow-13.0.0-"), "harfbuzz") == {"14.5.0"}
    assert _versions(_graph("pillow-13.0.0-"), "libavif") == {"1.4.2"}
    assert _versions(_graph("pillow-12.0.0-"), "harfbuzz") == {"12.1.0"}
    assert _versions(_graph("pillow-12.0.0-"), "libavif") == {"1.3.0"}


@pytest.mark.slow
def test_a_literal_the_module_passes_itself_proves_nothing() -> None:
    # raqm_version is set from the text "0.11.0" that _imagingft loads itself (raqm's version
    # function inlined): the header's version, which for a library loaded at run time need not be
    # the one in use; this rule leaves it alone (the wheel's PEP 770 SBOM names raqm: that stays)
    found = _evidence(_graph("pillow-13.0.0-"), "raqm")
    assert [e.kind for e in found] == ["pep770-sbom"]
