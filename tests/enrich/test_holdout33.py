"""Rules written against the misses and wrong answers of the hold-out batch untuned33 (after its
one measurement), each checked on a second binary where one exists in the scored batches."""

from __future__ import annotations

from functools import cache

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.model import Graph

from .native_components import native, wheel_by_prefix

BATCHES = ("untuned33.json", "untuned31.json", "untuned26.json")


@cache
def _graph(prefix: str, platform: str = "linux") -> Graph:
    return catalog_artifact(wheel_by_prefix(prefix, platform, BATCHES))


def _found(graph: Graph, name: str) -> list[tuple[str | None, str]]:
    return [(c.version, c.prop("assay:path") or "") for c in native(graph) if c.name == name]


@pytest.mark.slow
def test_libusb_version_record_in_stripped_pe() -> None:
    # asphodel.dll links libusb in with no symbols: its static libusb_version record holds the
    # parts as uint16 before its pointer to "http://libusb.info"
    assert {v for v, _ in _found(_graph("asphodel-", "win"), "libusb")} == {"1.0.26"}
    # second binary: coincellhell's MinGW DLL, whose record ("https://libusb.info", 1.0.29)
    # agrees with its libusb_get_version symbol
    coin = [c for c in native(_graph("coincellhell-", "win")) if c.name == "libusb"]
    assert {c.version for c in coin} == {"1.0.29"}
    assert any("held as uint16" in e.detail for c in coin for e in c.evidence)
    # and where no record is left (a Rust extension), its debug banner's constants: 1.0.30
    assert {v for v, _ in _found(_graph("pyflorid-", "win"), "libusb")} == {"1.0.30"}


@pytest.mark.slow
def test_dev_mark_of_a_release_tags_git_tree() -> None:
    # vcpkg builds curl and libssh2 from their release tags' git trees, which keep the "-DEV" /
    # "_DEV" mark that only the release tarballs drop: the build path names the tag's folder
    assert {v for v, _ in _found(_graph("holder_kit-", "win"), "libssh2")} == {"1.11.1"}
    assert {v for v, _ in _found(_graph("rustac_duckdb_extensions-", "mac"), "curl")} == {"8.17.0"}
    # a development build with no release tree behind it stays a development build
    assert {v for v, _ in _found(_graph("bgen_limix-"), "curl")} == {"8.12.1-DEV"}


@pytest.mark.slow
def test_protobuf_msvc_verify_version() -> None:
    # vcpkg's libprotobuf.dll: VerifyVersion(int, const char*) compares ecx with 6033004; the
    # release's own number (33.4, in the build path) is the same release in its other scheme
    found = {v for v, _ in _found(_graph("protowire_python-", "win"), "protobuf")}
    assert found == {"6.33.4"}
    # the macOS build (Homebrew's, arm64) reads the same function's constant
    assert {v for v, _ in _found(_graph("protowire_python-", "mac"), "protobuf")} == {"7.34.1"}
