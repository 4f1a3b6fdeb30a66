"""Ask another Python interpreter for its sys.path and marker environment.

The interpreter runs with ``-I -S``: isolated (no PYTHON* variables, no user
site, no current directory on sys.path) and without the ``site`` module's
start-up, so no ``.pth`` file of the scanned environment executes and nothing
of the environment is imported. The script below uses only the standard library.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from assay.errors import InputError

_QUERY = r"""
import json, os, platform, sys, site
impl = sys.implementation
v = impl.version
iver = "%d.%d.%d" % (v.major, v.minor, v.micro)
if v.releaselevel != "final":
    iver += v.releaselevel[0] + str(v.serial)
env = {
    "implementation_name": impl.name,
    "implementation_version": iver,
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "platform_python_implementation": platform.python_implementation(),
    "python_version": ".".join(platform.python_version_tuple()[:2]),
    "sys_platform": sys.platform,
}
# What site.venv() decides, without site.addsitedir(): no .pth file is processed.
prefix = sys.prefix
system_site = True
exe_dir = os.path.dirname(os.path.abspath(sys.executable))
for conf in (os.path.join(exe_dir, "pyvenv.cfg"), os.path.join(os.path.dirname(exe_dir), "pyvenv.cfg")):
    if os.path.isfile(conf):
        prefix = os.path.dirname(exe_dir)
        system_site = False
        with open(conf, encoding="utf-8") as f:
            for line in f:
                key, sep, value = line.partition("=")
                if sep and key.strip().lower() == "include-system-site-packages":
                    system_site = value.strip().lower() == "true"
        break
try:
    sp = site.getsitepackages([prefix])
    if system_site and prefix != sys.base_prefix:
        sp += site.getsitepackages([sys.base_prefix])
except Exception:
    sp = []
print(json.dumps({
    "executable": sys.executable,
    "prefix": prefix,
    "base_prefix": sys.base_prefix,
    "version": platform.python_version(),
    "implementation": impl.name,
    "sys_path": [p for p in sys.path if p],
    "site_packages": sp,
    "markers": env,
}))
"""


@dataclass(frozen=True, slots=True)
class InterpreterInfo:
    executable: str
    prefix: str
    base_prefix: str
    version: str
    implementation: str
    sys_path: tuple[str, ...]
    site_packages: tuple[str, ...]
    markers: dict[str, str]

    def search_path(self) -> list[str]:
        """Folders to look for distributions in, in import order (duplicates removed)."""
        seen: set[str] = set()
        out = []
        for p in (*self.sys_path, *self.site_packages):
            real = os.path.realpath(p)
            if real not in seen and os.path.isdir(p):
                seen.add(real)
                out.append(p)
        return out


def query(executable: str | os.PathLike[str], timeout: float = 30.0) -> InterpreterInfo:
    exe = str(executable)
    try:
        proc = subprocess.run([exe, "-I", "-S", "-c", _QUERY], capture_output=True, text=True,
                              timeout=timeout, env={"PATH": os.environ.get("PATH", "")})
    except FileNotFoundError:
        raise InputError(f"{exe}: no such interpreter") from None
    except PermissionError:
        raise InputError(f"{exe}: not executable") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"{exe}: interpreter did not answer within {timeout:.0f}s") from None
    except OSError as exc:
        raise InputError(f"{exe}: cannot run ({exc.strerror or exc})") from None
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"{exe}: not a working Python interpreter ({last})")
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        raise InputError(f"{exe}: interpreter gave an unreadable answer") from None
    return InterpreterInfo(
        executable=data["executable"], prefix=data["prefix"], base_prefix=data["base_prefix"],
        version=data["version"], implementation=data["implementation"],
        sys_path=tuple(data["sys_path"]), site_packages=tuple(data["site_packages"]),
        markers=data["markers"],
    )


def venv_python(venv: Path) -> Path | None:
    for candidate in (venv / "bin" / "python", venv / "bin" / "python3", venv / "Scripts" / "python.exe"):
        if candidate.exists():
            return candidate
    return None


_PYVER_IN_PATH = re.compile(r"python(\d+)\.(\d+)")


def assumed_environment(site_dir: Path) -> InterpreterInfo:
    """Markers for a bare site-packages folder: its Python version from the path, this platform.

    Used when no interpreter of the target can be run; the graph says so.
    """
    import platform

    m = _PYVER_IN_PATH.search(str(site_dir))
    pyver = f"{m.group(1)}.{m.group(2)}" if m else ".".join(platform.python_version_tuple()[:2])
    markers = {
        "implementation_name": sys.implementation.name,
        "implementation_version": f"{pyver}.0",
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": f"{pyver}.0",
        "platform_python_implementation": platform.python_implementation(),
        "python_version": pyver,
        "sys_platform": sys.platform,
    }
    return InterpreterInfo("", str(site_dir), str(site_dir), f"{pyver}.0",
                           sys.implementation.name, (str(site_dir),), (str(site_dir),), markers)
