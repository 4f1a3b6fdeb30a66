"""Rules written against the misses of the sixteenth untuned batch (Windows, ``untuned16.json``),
each checked on a second real binary from another project."""

from __future__ import annotations

import re
import zipfile
from functools import cache
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled.binary import parse
from assay.enrich.bundled.decode import x86_loads_after
from assay.enrich.bundled.native import scan_binary
from assay.enrich.bundled.rules import matcher
from assay.model import Graph

from .native_components import evidence as _evidence
from .native_components import versions as _versions
from .native_components import wheel_by_prefix


def _wheel(prefix: str) -> Path:
    """A Windows wheel of untuned16 or of an earlier batch, or of the corpus plan
    (``corpus:<project>``), by name prefix."""
    return wheel_by_prefix(prefix, "win", ("untuned16.json", "untuned12.json"))


@cache
def _graph(prefix: str) -> Graph:
    return catalog_artifact(_wheel(prefix))


def _member_openssl(prefix: str, member: str) -> tuple[set[str | None], list[str]]:
    """The OpenSSL versions that scanning one file of a wheel gives, and what the code loads after
    each of its "openssl-version" keys, read by the table's own reader. The scan itself skips that
    reader where a banner already gave the version (a cost with no new answer), so it is run here
    directly, to check it agrees with the banner on other projects' code."""
    data = zipfile.ZipFile(_wheel(prefix)).read(member)
    scan = scan_binary(member, data, matcher())
    assert scan is not None
    found = {d.version for d in scan.detections if d.library.name == "openssl"}
    (reader,) = [r for lib, r in matcher().by_anchor[b"openssl-version"]
                      if lib.name == "openssl"]
    info = parse(data)
    assert info is not None
    keys = [m.start() for m in re.finditer(re.escape(reader.anchor), data)]
    loads = x86_loads_after(data, info, [(at, reader.beside) for at in keys])
    loaded = []
    for at in keys:
        for off in loads.get(at, ()):
            if vm := reader.regex.match(data, off, off + 64):
                loaded.append(f"loaded after 'openssl-version': {vm.group(1).decode()}")
                break
    return found, loaded


@pytest.mark.slow
def test_openssl_core_version_the_code_loads() -> None:
    # OpenSSL 3 linked statically into Geode-solutions' DLLs keeps no "OpenSSL 3.5.5 <date>"
    # banner; provider_core.c still sets the core's "openssl-version" parameter to
    # OPENSSL_VERSION_STR, loaded right after the key. Both wheels were reported without OpenSSL
    for prefix in ("geode_implicit-", "geode_conversion-"):
        graph = _graph(prefix)
        assert _versions(graph, "openssl") == {"3.5.5"}
        assert any("loaded after 'openssl-version': 3.5.5" in e.detail for e in _evidence(graph, "openssl"))
    # other projects': the same code beside the banner, and agreeing with it, in cryptography's
    # Rust module (the corpus' Windows wheel, OpenSSL 4.0.3) and in InterSystems' grafted
    # libcrypto DLL (untuned12, OpenSSL 3.5.6)
    found, loaded = _member_openssl("corpus:cryptography", "cryptography/hazmat/bindings/_rust.pyd")
    assert "4.0.3" in found and loaded == ["loaded after 'openssl-version': 4.0.3"]
    found, loaded = _member_openssl(
        "intersystems_irispython-",
        "intersystems_irispython.libs/libcrypto-3-x64-79fdf5f4195ab281993ae1001226baf5.dll")
    assert found == {"3.5.6"} and loaded == ["loaded after 'openssl-version': 3.5.6"]
