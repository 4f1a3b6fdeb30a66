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
    """What is known of the interpreter of an environment, and how it was learnt."""

    executable: str  # the interpreter that was run; "" when nothing was run
    prefix: str
    base_prefix: str
    version: str
    implementation: str
    sys_path: tuple[str, ...]
    site_packages: tuple[str, ...]
    markers: dict[str, str]
    how: str = "ran"  # ran (asked in a subprocess) | read (from files, nothing run) | assumed
    version_source: str = ""  # evidence kind of the version when not asked: "pyvenv.cfg", "path"
    version_location: str = ""  # where it was read
    note: str = ""  # what the user should know about how the environment was judged

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

    def how_label(self, kind: str) -> str:
        """The graph's ``target_kind``: what was scanned and how its Python was known."""
        if kind == "interpreter":
            return "interpreter"
        if kind == "environment":
            return "venv"
        return "site-packages"


def query(executable: str | os.PathLike[str], timeout: float = 30.0) -> InterpreterInfo:
    import subprocess

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
        markers=data["markers"], how="ran",
    )


_PYVER_IN_PATH = re.compile(r"python(\d+)\.(\d+)")
_VERSION = re.compile(r"^\s*(\d+)\.(\d+)(?:\.(\d+))?(?:\.(alpha|beta|candidate|final)\.(\d+))?")


def _read_cfg(path: Path) -> dict[str, str]:
    """pyvenv.cfg as ``key = value`` pairs (keys lower case); {} when absent or unreadable."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out


# ELF e_machine -> platform.machine(); Mach-O cputype and PE Machine likewise
_ELF_MACHINE = {0x3E: "x86_64", 0xB7: "aarch64", 0x03: "i686", 0x28: "armv7l", 0x15: "ppc64",
                0x16: "s390x", 0xF3: "riscv64"}
_MACHO_CPU = {0x01000007: "x86_64", 0x0100000C: "arm64"}
_PE_MACHINE = {0x8664: "AMD64", 0xAA64: "ARM64", 0x14C: "x86"}


def binary_platform(path: Path) -> dict[str, str] | None:
    """sys_platform, os_name, platform_system and platform_machine of an interpreter binary, read
    from its header (the file is read, never run); None when it is not a binary we know."""
    import struct

    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if head[:4] == b"\x7fELF" and len(head) >= 20:
        endian = "<" if head[5] == 1 else ">"
        (machine,) = struct.unpack_from(endian + "H", head, 18)
        name = _ELF_MACHINE.get(machine)
        if name == "ppc64" and endian == "<":
            name = "ppc64le"
        return {"sys_platform": "linux", "os_name": "posix", "platform_system": "Linux",
                "platform_machine": name or ""}
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe") and len(head) >= 8:
        (cpu,) = struct.unpack_from("<i", head, 4)
        return {"sys_platform": "darwin", "os_name": "posix", "platform_system": "Darwin",
                "platform_machine": _MACHO_CPU.get(cpu & 0xFFFFFFFF, "")}
    if head[:4] == b"\xca\xfe\xba\xbe":  # universal: the machine depends on who runs it
        return {"sys_platform": "darwin", "os_name": "posix", "platform_system": "Darwin",
                "platform_machine": ""}
    if head[:2] == b"MZ" and len(head) >= 64:
        (pe,) = struct.unpack_from("<I", head, 0x3C)
        if pe + 6 <= len(head) and head[pe:pe + 4] == b"PE\x00\x00":
            (machine,) = struct.unpack_from("<H", head, pe + 4)
            return {"sys_platform": "win32", "os_name": "nt", "platform_system": "Windows",
                    "platform_machine": _PE_MACHINE.get(machine, "")}
    return None


def _markers(version: str, implementation: str, plat: dict[str, str] | None) -> dict[str, str]:
    import platform

    m = _VERSION.match(version)
    short = f"{m.group(1)}.{m.group(2)}" if m else version
    host = {"sys_platform": sys.platform, "os_name": os.name, "platform_system": platform.system(),
            "platform_machine": platform.machine()}
    plat = plat or host
    same_host = plat.get("platform_system") == host["platform_system"]
    return {
        "implementation_name": implementation,
        "implementation_version": version,
        "os_name": plat["os_name"],
        "platform_machine": plat.get("platform_machine") or (host["platform_machine"] if same_host else ""),
        # the kernel the environment will run on is not in its files; this host's when alike
        "platform_release": platform.release() if same_host else "",
        "platform_system": plat["platform_system"],
        "platform_version": platform.version() if same_host else "",
        "python_full_version": version,
        "platform_python_implementation": {"cpython": "CPython", "pypy": "PyPy"}.get(
            implementation, implementation),
        "python_version": short,
        "sys_platform": plat["sys_platform"],
    }


def folder_environment(venv: Path) -> InterpreterInfo:
    """A virtual environment folder, judged from its files only: nothing in it is run.

    The Python version comes from pyvenv.cfg (``version``/``version_info``), else from the
    ``lib/pythonX.Y`` folder name; the platform from the header of its interpreter binary (read
    as bytes); the site folders from the layout, plus the base installation's when
    ``include-system-site-packages = true``.
    """
    venv = Path(os.path.abspath(venv))
    cfg_path = venv / "pyvenv.cfg"
    cfg = _read_cfg(cfg_path)
    libs = sorted(p for p in venv.glob("lib/python*/site-packages") if p.is_dir())
    libs += sorted(p for p in venv.glob("lib64/python*/site-packages")
                   if p.is_dir() and p.resolve() not in {x.resolve() for x in libs})
    win = venv / "Lib" / "site-packages"
    raw = cfg.get("version_info") or cfg.get("version") or ""
    m = _VERSION.match(raw)
    version_source, version_location = "pyvenv.cfg", str(cfg_path)
    note = ""
    if m:
        version = f"{m.group(1)}.{m.group(2)}.{m.group(3) or 0}"
        if m.group(4) and m.group(4) != "final":
            version += {"alpha": "a", "beta": "b", "candidate": "rc"}[m.group(4)] + m.group(5)
    else:
        found = next((_PYVER_IN_PATH.search(str(p)) for p in libs), None)
        if found is None:
            if not win.is_dir():
                raise InputError(f"{venv}: virtual environment has no site-packages folder")
            version = ".".join(platform_version_tuple()[:2]) + ".0"
        else:
            version = f"{found.group(1)}.{found.group(2)}.0"
        version_source, version_location = "path", str(libs[0] if libs else win)
        note = f"{venv}: no Python version in pyvenv.cfg; {version} assumed from the folder layout"
    short = ".".join(version.split(".")[:2])
    sites = [p for p in libs if f"python{short}" in p.parts[-2]] or libs
    if win.is_dir():
        sites.append(win)
    if not sites:
        raise InputError(f"{venv}: virtual environment has no site-packages folder")
    impl = cfg.get("implementation", "").lower() or (
        "pypy" if "pypy" in (cfg.get("home", "") + cfg.get("executable", "")).lower() else "cpython")
    exe = venv_python(venv)
    plat = binary_platform(exe) if exe is not None else None
    home = cfg.get("home", "")
    base_prefix = os.path.dirname(home.rstrip("/\\")) if home else ""
    site_packages = [str(p) for p in sites]
    if cfg.get("include-system-site-packages", "").lower() == "true" and base_prefix:
        for cand in (f"{base_prefix}/lib/python{short}/site-packages",
                     f"{base_prefix}/local/lib/python{short}/dist-packages",
                     f"{base_prefix}/lib/python3/dist-packages",
                     f"{base_prefix}/lib/python{short}/dist-packages",
                     f"{base_prefix}/Lib/site-packages"):
            if os.path.isdir(cand):
                site_packages.append(cand)
    return InterpreterInfo(
        executable="", prefix=str(venv), base_prefix=base_prefix, version=version,
        implementation=impl, sys_path=(), site_packages=tuple(site_packages),
        markers=_markers(version, impl, plat), how="read", version_source=version_source,
        version_location=version_location, note=note)


def platform_version_tuple() -> tuple[str, ...]:
    import platform

    return platform.python_version_tuple()


def site_environment(site_dir: Path) -> InterpreterInfo:
    """Markers for a bare site-packages folder: its Python version from the path, this platform.

    Used when no interpreter of the target is known; the graph says so.
    """
    m = _PYVER_IN_PATH.search(str(site_dir))
    pyver = f"{m.group(1)}.{m.group(2)}" if m else ".".join(platform_version_tuple()[:2])
    impl = sys.implementation.name
    return InterpreterInfo("", str(site_dir), str(site_dir), f"{pyver}.0", impl, (str(site_dir),),
                           (str(site_dir),), _markers(f"{pyver}.0", impl, None), how="assumed",
                           version_source="path", version_location=str(site_dir))


def venv_python(venv: Path) -> Path | None:
    for candidate in (venv / "bin" / "python", venv / "bin" / "python3", venv / "Scripts" / "python.exe"):
        if candidate.exists():
            return candidate
    return None
