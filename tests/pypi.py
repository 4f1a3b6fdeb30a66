"""Real inputs from PyPI for the tests, downloaded once and cached across sessions.

Cache: ${ASSAY_FIXTURES:-${XDG_CACHE_HOME:-~/.cache}/assay-fixtures}/{wheels,venvs}.
Every file is pinned by sha256; a mismatch fails loudly.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from packaging.utils import parse_wheel_filename

CACHE = Path(os.environ.get("ASSAY_FIXTURES")
             or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "assay-fixtures")
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def pypi_file(filename: str, sha256: str | None = None) -> Path:
    """A wheel or sdist from PyPI by its exact file name, fetched with pip and cached.

    The project, version and (for wheels) platform/python/abi tags are taken from
    the file name, so any published file can be requested.
    """
    dest_dir = CACHE / "files"
    dest = dest_dir / filename
    if dest.exists() and (sha256 is None or _sha256(dest) == sha256):
        return dest
    dest_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest_dir) as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q",
               "--disable-pip-version-check", "-d", tmp]
        if filename.endswith(".whl"):
            name, version, _build, tags = parse_wheel_filename(filename)
            cmd += ["--only-binary=:all:"]
            platforms = sorted({t.platform for t in tags} - {"any"})
            if platforms:  # binary wheel: ask pip for exactly these tags
                for plat in platforms:
                    cmd += ["--platform", plat]
                for abi in sorted({t.abi for t in tags}):
                    cmd += ["--abi", abi]
                impls = sorted({t.interpreter[:2] for t in tags} - {"py"}) or ["py"]
                cmd += ["--implementation", impls[0]]
                pyver = max((t.interpreter[2:] for t in tags if t.interpreter[2:].isdigit()),
                            default=None)
                if pyver:
                    cmd += ["--python-version", pyver]
            cmd.append(f"{name}=={version}")
        else:
            stem = filename
            for suffix in (".tar.gz", ".zip", ".tar.bz2"):
                stem = stem.removesuffix(suffix)
            name, _, version = stem.rpartition("-")
            cmd += ["--no-binary=:all:", f"{name}=={version}"]
        subprocess.run(cmd, check=True, capture_output=True)
        got = [p for p in Path(tmp).iterdir() if p.name.lower() == filename.lower()]
        if not got:
            raise RuntimeError(f"pip did not fetch {filename}; it fetched {os.listdir(tmp)}")
        if sha256 and _sha256(got[0]) != sha256:
            raise RuntimeError(f"{filename}: sha256 {_sha256(got[0])} != pinned {sha256}")
        os.replace(got[0], dest)
    return dest


def make_venv(key: str, *pip_args: str, python: str = sys.executable,
              post: Callable[[Path], None] | None = None) -> Path:
    """A venv with ``pip install <pip_args>``, built once per key and cached.

    Treat it as read-only; copy it (:func:`copy_venv`) before changing files.
    """
    venvs = CACHE / "venvs"
    dest = venvs / key
    if (dest / ".complete").exists():
        return dest
    venvs.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(dest, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(dest)], check=True)
    py = dest / "bin" / "python"
    if pip_args:
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        *pip_args], check=True, capture_output=True)
    if post is not None:
        post(dest)
    (dest / ".complete").write_text("ok")
    return dest


def copy_venv(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, symlinks=True)
    return dest
