"""Archive resolvers: no path escapes, bounded decompression, one-line errors for corrupt archives."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.catalog.artifact import catalog_artifact
from assay.errors import InputError
from assay.sources.archive import Limits, TarResolver, ZipResolver, open_archive


def _zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_members_are_listed_and_read(tmp_path: Path) -> None:
    z = _zip(tmp_path / "a.zip", {"pkg/__init__.py": b"x = 1\n", "pkg/data/": b"", "./pkg/b.txt": b"b"})
    with ZipResolver(z) as r:
        assert sorted(r.files()) == ["pkg/__init__.py", "pkg/b.txt"]
        assert r.read_bytes("pkg/__init__.py") == b"x = 1\n"
        assert r.size("pkg/b.txt") == 1
        assert list(r.glob("pkg/*.py")) == ["pkg/__init__.py"]
        with pytest.raises(FileNotFoundError):
            r.read_bytes("nope")


@pytest.mark.parametrize("evil", ["../evil.py", "pkg/../../evil.py", "/etc/passwd", "C:/x.dll", "..\\x"])
def test_zip_slip_is_refused(tmp_path: Path, evil: str) -> None:
    z = tmp_path / "evil.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(zipfile.ZipInfo(evil), b"boom")
    with pytest.raises(InputError) as info:
        ZipResolver(z)
    assert str(z) in info.value.message and "\n" not in info.value.message


def test_zip_bomb_ratio_and_size_bounds(tmp_path: Path) -> None:
    z = _zip(tmp_path / "bomb.zip", {"zeros.bin": b"\0" * (32 << 20)})
    with ZipResolver(z) as r, pytest.raises(InputError, match="bomb"):
        r.read_bytes("zeros.bin")  # 32 MiB of zeros deflates ~1000x
    with ZipResolver(z, limits=Limits(max_member=1 << 20)) as r, pytest.raises(InputError, match="limit"):
        r.read_bytes("zeros.bin")
    small = _zip(tmp_path / "ok.zip", {"a": b"\0" * 1000, "b": b"\0" * 1000})
    with ZipResolver(small, limits=Limits(max_total=1500)) as r:
        r.read_bytes("a")
        with pytest.raises(InputError, match="bomb"):
            r.read_bytes("b")


def test_lying_zip_header_cannot_inflate_past_its_size(tmp_path: Path) -> None:
    z = _zip(tmp_path / "liar.zip", {"a.txt": b"A" * 5000}, zipfile.ZIP_STORED)
    raw = bytearray(z.read_bytes())
    # shrink the declared size in the central directory; the data stays 5000 bytes
    cd = raw.rfind(b"PK\x01\x02")
    raw[cd + 24:cd + 28] = (10).to_bytes(4, "little")
    z.write_bytes(bytes(raw))
    with ZipResolver(z) as r, pytest.raises(InputError):
        r.read_bytes("a.txt")


def test_corrupt_archives_give_one_line_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken-1.0-py3-none-any.whl"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError) as info:
        open_archive(bad)
    assert str(bad) in info.value.message and "\n" not in info.value.message
    tgz = tmp_path / "broken-1.0.tar.gz"
    tgz.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(InputError) as info:
        open_archive(tgz)
    assert str(tgz) in info.value.message
    with pytest.raises(InputError):
        catalog_artifact(bad)


def test_truncated_zip_member_is_an_input_error(tmp_path: Path) -> None:
    z = _zip(tmp_path / "t.zip", {"big.bin": bytes(range(256)) * 400})
    raw = z.read_bytes()
    start = raw.find(b"big.bin") + len(b"big.bin")
    corrupted = raw[:start + 50] + b"\xff" * 200 + raw[start + 250:]
    z.write_bytes(corrupted)
    with ZipResolver(z) as r, pytest.raises(InputError) as info:
        r.read_bytes("big.bin")
    assert str(z) in info.value.message


def _tar(path: Path, members: dict[str, bytes], *, symlink: tuple[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo(symlink[0])
            info.type = tarfile.SYMTYPE
            info.linkname = symlink[1]
            tf.addfile(info)
    return path


def test_tar_reads_regular_files_and_never_links(tmp_path: Path) -> None:
    t = _tar(tmp_path / "demo-1.0.tar.gz", {"demo-1.0/PKG-INFO": b"Name: demo\nVersion: 1.0\n"},
             symlink=("demo-1.0/passwd", "/etc/passwd"))
    with TarResolver(t) as r:
        assert list(r.files()) == ["demo-1.0/PKG-INFO"]
        assert r.read_text("demo-1.0/PKG-INFO").startswith("Name: demo")


def test_tar_slip_is_refused(tmp_path: Path) -> None:
    t = _tar(tmp_path / "evil.tar.gz", {"../../evil.sh": b"rm -rf /"})
    with pytest.raises(InputError, match="escapes"):
        TarResolver(t)


def test_tar_size_bound(tmp_path: Path) -> None:
    t = _tar(tmp_path / "big.tar.gz", {"a": b"\0" * 4096})
    with TarResolver(t, limits=Limits(max_member=1024)) as r, pytest.raises(InputError, match="limit"):
        r.read_bytes("a")


def test_a_bomb_member_is_skipped_and_the_rest_still_scanned(tmp_path: Path) -> None:
    from enrich.bundled_wheelset import ML, WHEELS
    from pypi import pypi_file

    pillow = f"Pillow-10.0.0-cp311-cp311-{ML}.whl"
    with zipfile.ZipFile(pypi_file(pillow, WHEELS[pillow])) as zf:
        png = zf.read("Pillow.libs/libpng16-36a62686.so.16.40.0")
    wheel = _zip(tmp_path / "demo-1.0-py3-none-any.whl", {
        "demo-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
        "demo.libs/libzeros.so": b"\0" * (32 << 20),
        "demo.libs/libpng16-36a62686.so.16.40.0": png,
    })
    graph = catalog_artifact(wheel)
    assert {(c.name, c.version) for c in graph.packages()} == {("libpng", "1.6.40")}
    assert any(u.reason == "skipped-member" and u.subject == "demo.libs/libzeros.so" for u in graph.unknowns)


def _small_wheel() -> bytes:
    from enrich.bundled_wheelset import ML, WHEELS
    from pypi import pypi_file

    pillow = f"Pillow-10.0.0-cp311-cp311-{ML}.whl"
    with zipfile.ZipFile(pypi_file(pillow, WHEELS[pillow])) as zf:
        lib = zf.read("Pillow.libs/libsharpyuv-652b6057.so.0.0.1")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
        zf.writestr("demo.libs/libsharpyuv-652b6057.so.0.0.1", lib)
        zf.writestr("demo/__init__.py", "")
    return buf.getvalue()


_WHEEL: list[bytes] = []


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.data())
def test_damaged_wheels_scan_or_fail_in_one_line(tmp_path_factory: pytest.TempPathFactory,
                                                 data: st.DataObject) -> None:
    if not _WHEEL:
        _WHEEL.append(_small_wheel())
    blob = bytearray(_WHEEL[0])
    for _ in range(data.draw(st.integers(1, 20))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    path = tmp_path_factory.mktemp("fuzz") / "demo-1.0-py3-none-any.whl"
    path.write_bytes(bytes(blob))
    try:
        catalog_artifact(path)
    except InputError as exc:
        assert "\n" not in exc.message and str(path) in exc.message
