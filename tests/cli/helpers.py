"""Running assay as a user does, and the small real inputs the CLI tests share."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path


def assay(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300,
          user: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m assay ARGS`` in a subprocess (real exit codes, real stderr). ``user``: run it as
    that unprivileged user when the tests run as root (CI does), so permissions apply."""
    full = {**os.environ, "ASSAY_OFFLINE": "1", **(env or {})}
    argv = [sys.executable, "-m", "assay", *args]
    if user is not None and os.geteuid() == 0:
        argv = ["setpriv", f"--reuid={user}", f"--regid={user if user != 'nobody' else 'nogroup'}",
                "--clear-groups", *argv]
        full["HOME"] = str(cwd or "/tmp")
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=full, timeout=timeout)


def one_line(stderr: str) -> str:
    """The single line of stderr (fails when there are more: no tracebacks)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def site_packages(root: Path, *dists: tuple[str, str]) -> Path:
    """A site-packages folder holding ``dists`` as installed .dist-info metadata."""
    site = root / "site-packages"
    for name, version in dists or (("demo", "1.0"),):
        meta = site / f"{name}-{version}.dist-info"
        meta.mkdir(parents=True)
        (meta / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return site


def pure_wheel(folder: Path, name: str = "tiny", version: str = "1.0", files: dict[str, bytes] | None = None,
               mode: int = 0o644) -> Path:
    """A small pure-Python wheel as a build backend writes it (METADATA, WHEEL, RECORD)."""
    path = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    members = {f"{name}/__init__.py": b"__version__ = '" + version.encode() + b"'\n", **(files or {})}
    members[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    members[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                                b"Tag: py3-none-any\n")

    rows = []
    for member, data in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        rows.append(f"{member},sha256={digest},{len(data)}")
    rows.append(f"{info}/RECORD,,")
    members[f"{info}/RECORD"] = ("\n".join(rows) + "\n").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    os.chmod(path, mode)
    return path
