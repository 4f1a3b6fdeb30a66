"""The issue's headline on real wheels: Pillow 10.0.0 is flagged by PYSEC-2023-175 and, through
its bundled libwebp 1.3.1, by CVE-2023-4863; Pillow 10.0.1 is clear.

The wheels are read from the test cache that tests/pypi.py fills; this test never downloads
(no network here), so it skips when they are not cached yet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assay import catalog
from assay.audit import audit_graph
from assay.model import Kind

WHEELS = {
    "10.0.0": "Pillow-10.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "10.0.1": "Pillow-10.0.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
}


def cached(name: str) -> Path:
    from pypi import CACHE

    path = CACHE / "files" / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the wheel cache (tests/pypi.py fetches it; this test does not)")
    return path


@pytest.mark.slow
def test_pillow_wheels(shared_db: Path) -> None:
    old = audit_graph(catalog.load(cached(WHEELS["10.0.0"])), db=shared_db)
    pairs = {(f.component_name.lower(), f.id) for f in old.findings}
    assert ("pillow", "PYSEC-2023-175") in pairs
    assert ("libwebp", "CVE-2023-4863") in pairs
    webp = next(f for f in old.findings if f.id == "CVE-2023-4863" and f.component_name == "libwebp")
    assert webp.component_version == "1.3.1"
    assert "Pillow.libs/libwebp" in webp.evidence  # where the version was read
    new_graph = catalog.load(cached(WHEELS["10.0.1"]))
    assert any(c.kind == Kind.NATIVE_LIBRARY and c.name == "libwebp" for c in new_graph)
    new = audit_graph(new_graph, db=shared_db)
    assert not [f for f in new.findings if f.id in ("CVE-2023-4863", "PYSEC-2023-175")]
