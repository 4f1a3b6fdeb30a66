"""The issue's headline on real wheels: Pillow 10.0.0 is flagged by PYSEC-2023-175 and, through
its bundled libwebp 1.3.1, by CVE-2023-4863; Pillow 10.0.1 is clear.

The wheels come from PyPI through tests/pypi.py (pinned by sha256, cached once).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assay import catalog
from assay.audit import audit_graph
from assay.model import Kind

WHEELS = {
    "10.0.0": ("Pillow-10.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
               "0b6eb5502f45a60a3f411c63187db83a3d3107887ad0d036c13ce836f8a36f1d"),
    "10.0.1": ("Pillow-10.0.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
               "93139acd8109edcdeffd85e3af8ae7d88b258b3a1e13a038f542b79b6d255c54"),
}


def cached(version: str) -> Path:
    from pypi import pypi_file

    return pypi_file(*WHEELS[version])


@pytest.mark.slow
def test_pillow_wheels(shared_db: Path) -> None:
    old = audit_graph(catalog.load(cached("10.0.0")), db=shared_db)
    pairs = {(f.component_name.lower(), f.id) for f in old.findings}
    assert ("pillow", "PYSEC-2023-175") in pairs
    assert ("libwebp", "CVE-2023-4863") in pairs
    webp = next(f for f in old.findings if f.id == "CVE-2023-4863" and f.component_name == "libwebp")
    assert webp.component_version == "1.3.1"
    assert "Pillow.libs/libwebp" in webp.evidence  # where the version was read
    new_graph = catalog.load(cached("10.0.1"))
    assert any(c.kind == Kind.NATIVE_LIBRARY and c.name == "libwebp" for c in new_graph)
    new = audit_graph(new_graph, db=shared_db)
    assert not [f for f in new.findings if f.id in ("CVE-2023-4863", "PYSEC-2023-175")]
