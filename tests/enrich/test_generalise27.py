"""Rules written against the misses of the twenty-seventh untuned batch (Windows, unranked projects,
``untuned27.json``), each checked on a second real binary from another project."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import versions as _versions
from .native_components import wheel_by_prefix

BATCHES = ("untuned27.json", "untuned.json")


def _wheel(prefix: str) -> Path:
    """A Windows wheel of untuned27 or an earlier batch, by name prefix."""
    return wheel_by_prefix(prefix, "win", BATCHES)


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


@pytest.mark.slow
def test_lame_very_short_version_text() -> None:
    # get_lame_very_short_version()'s 'LAME3.100 ' in a stripped static LAME: cycsound's Csound DLL
    # (vcpkg) had LAME reported without a version
    assert _versions(_graph("cycsound-"), "lame") == {"3.100"}
    # second binary: soundfile's libsndfile_x64.dll (untuned.json), the same miss on main
    assert _versions(_graph("soundfile-"), "lame") == {"3.100"}
