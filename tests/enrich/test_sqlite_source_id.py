"""SQLite copies with no version symbol, versioned by their source id's release check-in (the
table in libraries.toml, read from apsw's and pysqlite3-binary's builds by
bench/bundled/sqlite_source_ids.py)."""

from __future__ import annotations

import zipfile

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.native import scan_binary
from assay.enrich.bundled.rules import matcher

from .native_components import evidence, versions, wheel_by_prefix


@pytest.mark.slow
@pytest.mark.parametrize(("prefix", "platform", "batch", "version"), [
    # rusqlite's bundled SQLite inside a Rust extension (macOS arm64)
    ("chromadb-1.5.9-", "mac", "untuned5.json", "3.46.0"),
    # a static copy inside the slide reader's own library (Linux)
    ("openslide_bin-", "linux", "untuned.json", "3.53.2"),
    # Qt's SQL driver plugin (macOS arm64)
    ("pyqt5_qt5-", "mac", "untuned9.json", "3.49.1"),
    # an older release, known by pysqlite3-binary's build of it, inside CPLEX's DLL (Windows)
    ("cplex-", "win", "untuned14.json", "3.33.0"),
])
def test_a_stripped_static_sqlite_is_versioned_by_its_source_id(prefix, platform, batch, version):
    graph = catalog_artifact(wheel_by_prefix(prefix, platform, (batch,)))
    assert versions(graph, "sqlite") == {version}
    assert any(f"the release check-in of {version}" in e.detail for e in evidence(graph, "sqlite"))


@pytest.mark.slow
def test_a_check_in_the_table_does_not_list_proves_nothing():
    # the same bytes with the hash's first digits changed: a snapshot no release was cut from
    wheel = wheel_by_prefix("openslide_bin-", "linux", ("untuned.json",))
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read("openslide_bin/libopenslide.so.1")
    real = b"2026-06-03 19:12:13 d6e03d8c"
    assert real in data
    scan = scan_binary("libopenslide.so.1", data.replace(real, b"2026-06-03 19:12:13 00000000"), matcher())
    assert scan is not None
    assert not [d for d in scan.detections if d.library.name == "sqlite" and d.version]
