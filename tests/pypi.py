"""Real inputs from PyPI for the tests, downloaded once and cached across sessions.

Cache: ${ASSAY_FIXTURES:-${XDG_CACHE_HOME:-~/.cache}/assay-fixtures}/{wheels,venvs}.
Every file is pinned by sha256; a mismatch fails loudly.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
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


class FetchError(RuntimeError):
    """A fixture could not be fetched: names the file and gives pip's own words."""


# pip's exit with these words in its output is worth another try: the index or the network
# stumbled, not the request.
_TRANSIENT = ("timed out", "Read timed out", "Connection reset", "ConnectionError",
              "Temporary failure in name resolution", "503", "502", "504", "IncompleteRead",
              "ProtocolError", "Max retries exceeded", "RemoteDisconnected")


def _run_pip(cmd: list[str], what: str, attempts: int = 4) -> None:
    for attempt in range(1, attempts + 1):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            return
        out = (proc.stderr or "") + (proc.stdout or "")
        transient = any(word in out for word in _TRANSIENT)
        if not transient or attempt == attempts:
            tail = "\n".join(line for line in out.strip().splitlines()[-8:])
            raise FetchError(f"fetching {what} from PyPI failed (pip exit {proc.returncode}, "
                             f"attempt {attempt}/{attempts}): {tail or 'no output'}")
        time.sleep(2 ** attempt)


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
                # "cp311" -> "311" (pip reads 3.11). A bare major ("py3") is left out: pip
                # would read "3" as Python 3.0 and refuse wheels that need a newer Python.
                pyver = max((t.interpreter[2:] for t in tags
                             if t.interpreter[2:].isdigit() and len(t.interpreter[2:]) >= 2),
                            default=None, key=lambda v: (int(v[0]), int(v[1:])))
                if pyver:
                    cmd += ["--python-version", pyver]
            cmd.append(f"{name}=={version}")
        else:
            stem = filename
            for suffix in (".tar.gz", ".zip", ".tar.bz2"):
                stem = stem.removesuffix(suffix)
            name, _, version = stem.rpartition("-")
            cmd += ["--no-binary=:all:", f"{name}=={version}"]
        try:
            _run_pip(cmd, filename)
        except FetchError as pip_failed:
            # pip's resolver can refuse a file it cannot match to this interpreter's tags (a
            # cp315 Windows wheel, a Requires-Python pip reads against a Python it guesses): the
            # index names the file and its URL, so fetch that file itself
            if not filename.endswith(".whl"):
                raise
            _fetch_from_index(name, version, filename, Path(tmp), pip_failed)
        got = [p for p in Path(tmp).iterdir() if p.name.lower() == filename.lower()]
        if not got and filename.endswith(".whl"):
            # pip chose another wheel of the release whose tags match too (a file name with one
            # platform tag fewer): fetch the file named from the index
            _fetch_from_index(name, version, filename, Path(tmp),
                              FetchError(f"pip fetched {os.listdir(tmp)} instead"))
            got = [p for p in Path(tmp).iterdir() if p.name.lower() == filename.lower()]
        if not got:
            raise FetchError(f"pip did not fetch {filename}; it fetched {os.listdir(tmp)}")
        if sha256 and _sha256(got[0]) != sha256:
            raise FetchError(f"{filename}: sha256 {_sha256(got[0])} != pinned {sha256}")
        os.replace(got[0], dest)
    return dest


def _fetch_from_index(name: str, version: object, filename: str, folder: Path, pip_failed: FetchError,
                      attempts: int = 4) -> None:
    """``filename`` by the URL PyPI's JSON API gives for it, into ``folder`` (retried on a
    transient failure); raises FetchError naming the file and both failures."""
    import json
    import urllib.error
    import urllib.request
    from urllib.parse import urljoin

    api = f"https://pypi.org/pypi/{name}/json"
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(api, timeout=60) as resp:
                files = json.load(resp)["releases"].get(str(version), [])
            entry = next((f for f in files if f["filename"].lower() == filename.lower()), None)
            if entry is None:
                raise FetchError(f"fetching {filename}: pip failed ({pip_failed}) and PyPI lists no "
                                 "such file")
            with urllib.request.urlopen(urljoin(api, entry["url"]), timeout=300) as resp, \
                    (folder / entry["filename"]).open("wb") as out:
                shutil.copyfileobj(resp, out, 1 << 20)
            return
        except (OSError, urllib.error.URLError, ValueError, KeyError) as exc:
            if attempt == attempts:
                raise FetchError(f"fetching {filename} failed: pip: {pip_failed}; PyPI's JSON API: "
                                 f"{exc}") from exc
            time.sleep(2 ** attempt)


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
    # several test runs (xdist workers, other checkouts) share the cache: one builds, the others wait
    with open(venvs / f".{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (dest / ".complete").exists():
            return dest
        return _build_venv(dest, key, pip_args, python, post)


def _build_venv(dest: Path, key: str, pip_args: tuple[str, ...], python: str,
                post: Callable[[Path], None] | None) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(dest)], check=True)
    py = dest / "bin" / "python"
    if pip_args:
        _run_pip([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *pip_args],
                 f"venv {key!r} ({' '.join(pip_args)})")
    if post is not None:
        post(dest)
    (dest / ".complete").write_text("ok")
    return dest


def copy_venv(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, symlinks=True)
    return dest
