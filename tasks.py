#!/usr/bin/env python3
"""Developer entry points that need nothing but Python 3.11+.

    python3 tasks.py scan [ASSAY SCAN ARGS...]   the main job: build .venv, then `assay scan`
    python3 tasks.py test [PYTEST ARGS...]       build .venv with test extras, ruff, then the test suite
    python3 tasks.py venv                        just (re)build .venv

The virtual environment is rebuilt when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
SHARED = ROOT.parent / "shared"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (tasks.py runs before any install)
        sys.exit(f"assay needs Python 3.11 or newer (this is {sys.version.split()[0]})")
    stamp_file = VENV / ".assay-stamp"
    if PY.exists() and stamp_file.exists() and stamp_file.read_text() == _stamp():
        return
    print(f"tasks: building {VENV.name} (this happens once, and when pyproject.toml changes)",
          file=sys.stderr)
    if not PY.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = [str(PY), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-U", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    stamp_file.write_text(_stamp())


def run(argv: list[str]) -> int:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(argv, env=env, cwd=ROOT).returncode


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] in {"-h", "--help"}:
        print(__doc__)
        return 0
    task, args = sys.argv[1], sys.argv[2:]
    ensure_venv()
    if task == "venv":
        return 0
    if task == "test":  # lint first (a second), then the suite
        lint = run([str(BIN / "ruff"), "check", "--no-cache", "--quiet", "src", "tests", "bench", "tasks.py"])
        if lint != 0:
            print("tasks: ruff found problems (above); fix them or run `ruff check --fix`",
                  file=sys.stderr)
            return lint
        return run([str(PY), "-m", "pytest", *args])
    if task == "scan":
        if not args:
            # Scan assay's own environment; use the shared advisory snapshots when present.
            args = [str(VENV), "--out", str(ROOT / "assay-scan")]
            if SHARED.is_dir():
                args += ["--advisories", str(SHARED / "data")]
        return run([str(BIN / "assay"), "scan", *args])
    print(f"tasks: unknown task {task!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
