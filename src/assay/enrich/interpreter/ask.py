"""Runtime library versions, asked of an interpreter the user named (never of a folder's).

The interpreter runs ``-I -S`` (isolated, no ``site``: no ``.pth`` file of its environment
runs) with an empty environment but ``PATH``, and imports only its own standard-library
extension modules to read what each reports of the library it runs with: the *runtime*
version (``OpenSSL_version()``, ``sqlite3_libversion()``, ``XML_ExpatVersion()``,
``zlibVersion()``, ``rl_library_version``), not the one it was compiled against. Nothing is
imported into assay's own process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass

# library name -> (module, attribute, regex giving the version from the attribute's value)
PROBES: tuple[tuple[str, str, str, str], ...] = (
    ("openssl", "_ssl", "OPENSSL_VERSION", r"^OpenSSL (\d+\.\d+\.\d+[a-z]{0,2})\b"),
    ("libressl", "_ssl", "OPENSSL_VERSION", r"^LibreSSL (\d+\.\d+\.\d+)\b"),
    ("sqlite", "_sqlite3", "sqlite_version", r"^(\d+\.\d+\.\d+)$"),
    ("expat", "pyexpat", "EXPAT_VERSION", r"^expat_(\d+\.\d+\.\d+)$"),
    ("zlib", "zlib", "ZLIB_RUNTIME_VERSION", r"^(\d+\.\d+(?:\.\d+){0,2})$"),
    ("readline", "readline", "_READLINE_LIBRARY_VERSION", r"^(\d+\.\d+)$"),
    # the libmpdec that _decimal holds: its own version only when the copy is inside _decimal
    ("mpdecimal", "_decimal", "__libmpdec_version__", r"^(\d+\.\d+\.\d+)$"),
)

_SCRIPT = r"""
import importlib, json, sys
out = {}
for module, attr in %s:
    try:
        m = importlib.import_module(module)
    except Exception as exc:
        out[module + "." + attr] = {"error": type(exc).__name__}
        continue
    value = getattr(m, attr, None)
    out[module + "." + attr] = {"value": value if isinstance(value, str) else None,
                                "file": getattr(m, "__file__", None) or "",
                                "builtin": module in sys.builtin_module_names}
print(json.dumps(out))
"""


@dataclass(frozen=True, slots=True)
class Answer:
    library: str
    module: str
    attribute: str
    raw: str  # the value as the interpreter reported it
    version: str
    file: str  # the extension module's file ("" for a module built into the executable)


def ask(executable: str, timeout: float = 30.0) -> tuple[list[Answer], str]:
    """(answers, problem): what ``executable`` reports; problem is "" when it answered."""
    pairs = sorted({(module, attr) for _lib, module, attr, _rx in PROBES})
    script = _SCRIPT % repr(pairs)
    try:
        proc = subprocess.run([executable, "-I", "-S", "-c", script], capture_output=True, text=True,
                              timeout=timeout, env={"PATH": os.environ.get("PATH", "")})
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [], f"{executable}: not asked for its runtime library versions ({exc})"
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return [], f"{executable}: runtime library versions unavailable ({last})"
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return [], f"{executable}: gave an unreadable answer about its runtime libraries"
    out = []
    for lib, module, attr, rx in PROBES:
        item = data.get(f"{module}.{attr}") or {}
        value = item.get("value")
        if not isinstance(value, str):
            continue
        m = re.match(rx, value)
        if m:
            out.append(Answer(lib, module, attr, value, m.group(1), str(item.get("file") or "")))
    return out, ""


__all__ = ["PROBES", "Answer", "ask"]
