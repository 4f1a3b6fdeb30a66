"""Rules written against the misses of the hold-out batch untuned35 (after its one measurement),
each checked on a second binary: another platform's build, or another copy."""

from __future__ import annotations

from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import native, versions_at, wheel_by_prefix

BATCHES = ("untuned35.json",)


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(wheel_by_prefix(prefix, platform, BATCHES))


_at = versions_at


@pytest.mark.slow
def test_protobuf_c_is_not_protobuf() -> None:
    # psqlparse2's libpg_query links protobuf-c in: protobuf_c_version() -> "1.4.0" (x86-64 and
    # arm64), reported as protobuf-c, never as Google's protobuf
    for platform in ("linux", "mac"):
        g = _graph("psqlparse2-", platform)
        assert _at(g, "protobuf-c", "pg_query") == {"1.4.0"}, platform
        assert _at(g, "protobuf", "pg_query") == set(), platform


@pytest.mark.slow
def test_libsndfile_texts_of_an_msvc_build() -> None:
    # a static libsndfile in two MSVC extension modules: no "libsndfile-1.2.2" text of its own
    # ends there, but its MAT5 writer's banner and a space-padded header field hold it
    g = _graph("pyaudiotoolslib-", "win")
    assert _at(g, "libsndfile", "utils.cp313-win_amd64.pyd") == {"1.2.2"}
    assert _at(g, "libsndfile", "wavfile.cp313-win_amd64.pyd") == {"1.2.2"}
    # the Linux build of the same release agrees
    assert {c.version for c in native(_graph("pyaudiotoolslib-")) if c.name == "libsndfile"} == {"1.2.2"}
