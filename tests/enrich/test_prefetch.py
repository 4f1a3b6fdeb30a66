"""Inflating a wheel's large binaries on other threads ahead of the scan (``ASSAY_PREFETCH``) changes
how fast a wheel is read, never what is found in it, what is reported of a bad member, or where."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assay.catalog.artifact import catalog_artifact
from assay.enrich.bundled import PREFETCH_BYTES
from assay.errors import InputError

from ..pypi import pypi_file
from .bundled_wheelset import ML, WHEELS

# wheels with three to six binaries of at least PREFETCH_BYTES: each is read while the next inflate
REAL = ["pyproj-3.6.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "Pillow-10.0.0-cp311-cp311-macosx_10_10_x86_64.whl",
        "pymssql-2.2.11-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"]


def _scan(path: Path, monkeypatch: pytest.MonkeyPatch, prefetch: str) -> tuple[list, list]:
    monkeypatch.setenv("ASSAY_PREFETCH", prefetch)
    graph = catalog_artifact(path)
    found = sorted((c.name, c.version or "", tuple(sorted(e.location or "" for e in c.evidence)))
                   for c in graph.components.values())
    unknowns = sorted((u.subject, u.reason, u.detail) for u in graph.unknowns)
    return found, unknowns


@pytest.mark.parametrize("name", REAL)
def test_real_wheels_give_the_same_inventory_either_way(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = pypi_file(name, WHEELS[name])
    with zipfile.ZipFile(path) as zf:
        large = [i for i in zf.infolist() if i.file_size >= PREFETCH_BYTES
                 and (".so" in i.filename or i.filename.endswith((".dylib", ".pyd")))]
    assert len(large) >= 3  # so that the second thread really reads ahead here
    alone, alone_unknowns = _scan(path, monkeypatch, "0")
    ahead, ahead_unknowns = _scan(path, monkeypatch, "1")
    assert any(v for _n, v, _l in alone)  # versions were found at all
    assert ahead == alone
    assert ahead_unknowns == alone_unknowns


def _pillow_png() -> bytes:
    pillow = f"Pillow-10.0.0-cp311-cp311-{ML}.whl"
    with zipfile.ZipFile(pypi_file(pillow, WHEELS[pillow])) as zf:
        return zf.read("Pillow.libs/libpng16-36a62686.so.16.40.0")


def _wheel(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


_META = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"


@pytest.mark.parametrize("prefetch", ["0", "1"])
def test_a_bomb_read_ahead_is_reported_on_its_own_member(prefetch: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # the bomb (32 MiB of zeros, over the ratio bound) is read ahead while the padded libpng is scanned
    png = _pillow_png()
    wheel = _wheel(tmp_path / "demo-1.0-py3-none-any.whl", {
        "demo-1.0.dist-info/METADATA": _META,
        "demo.libs/libpng16-36a62686.so.16.40.0": png + b"\0" * PREFETCH_BYTES,
        "demo.libs/libzeros.so": b"\0" * (32 << 20),
        "demo.libs/libpng16-copy.so.16.40.0": png,
    })
    monkeypatch.setenv("ASSAY_PREFETCH", prefetch)
    graph = catalog_artifact(wheel)
    assert {(c.name, c.version) for c in graph.packages()} == {("libpng", "1.6.40")}
    skipped = [u.subject for u in graph.unknowns if u.reason == "skipped-member"]
    assert skipped == ["demo.libs/libzeros.so"]


@pytest.mark.parametrize("prefetch", ["0", "1"])
def test_a_corrupt_member_read_ahead_fails_in_one_line_naming_it(prefetch: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    png = _pillow_png()
    noise = bytes((i * 7919 + 13) % 251 for i in range(2 << 20))  # poorly compressible, 2 MiB
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("demo-1.0.dist-info/METADATA", _META)
        zf.writestr("demo.libs/libpng16-36a62686.so.16.40.0", png + b"\0" * PREFETCH_BYTES)
        zf.writestr("demo.libs/libnoise.so", noise)
        where = zf.getinfo("demo.libs/libnoise.so")
    raw = bytearray(buf.getvalue())
    start = where.header_offset + 30 + len(where.filename)  # the member's deflate stream
    raw[start + 1000:start + 1400] = b"\xff" * 400
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    wheel.write_bytes(bytes(raw))
    monkeypatch.setenv("ASSAY_PREFETCH", prefetch)
    with pytest.raises(InputError) as err:
        catalog_artifact(wheel)
    assert "\n" not in err.value.message
    assert str(wheel) in err.value.message and "demo.libs/libnoise.so" in err.value.message
