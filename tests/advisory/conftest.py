"""Fixtures for the advisory tests: the real PSF data in ../shared/data, the CLI as users run it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def psf_cna(shared_data: Path) -> Path:
    return shared_data / "psf-cna"


@pytest.fixture(scope="session")
def psf_osv(shared_data: Path) -> Path:
    """The PSF advisory database snapshot (advisories/python/PSF-*.json)."""
    return shared_data / "osv" / "psf"


@pytest.fixture(scope="session")
def commit_table(shared_data: Path) -> Path:
    return shared_data / "cpython" / "commit_tags.txt"


def cve_records(psf_cna: Path) -> dict[str, dict]:
    files = sorted((psf_cna / "cve5").glob("*.json"))
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in files}


def psf_records(psf_cna: Path) -> dict[str, tuple[Path, dict]]:
    """CVE id -> (file, OSV record) for the PSF's own records of the PSF-CNA CVEs."""
    out = {}
    for path in sorted((psf_cna / "osv").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for alias in doc["aliases"]:
            out[alias] = (path, doc)
    return out


def make_db(root: Path, files: list[Path]) -> Path:
    """An advisory database folder holding copies of ``files`` in advisories/python/."""
    folder = root / "advisories" / "python"
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copyfile(f, folder / f.name)
    return root


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path -> sha256), to prove that nothing changed."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
        code: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m assay ARGS`` (or ``code`` before the CLI runs) in a fresh process, as users run it."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    if code is None:
        cmd = [sys.executable, "-m", "assay", *args]
    else:
        cmd = [sys.executable, "-c", f"{code}\nfrom assay.cli import main\nmain({list(args)!r})"]
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, cwd=cwd, check=False,
                          timeout=300)
