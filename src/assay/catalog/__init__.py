"""Catalogers: one module per input kind; :func:`load` picks one for a TARGET.

| input                                   | module                    |
|-----------------------------------------|---------------------------|
| venv folder, site-packages, interpreter | catalog.installed         |
| pip install --report JSON               | catalog.pip_report        |
| wheel, sdist, plain folder              | catalog.artifact          |
| requirements.txt, pylock.toml, uv.lock  | catalog.lockfile          |
| SPDX 2.3 / CycloneDX 1.4-1.6 JSON       | catalog.sbom_input        |
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from assay.errors import InputError
from assay.model import Graph

LOCKFILE_NAMES = ("pylock.toml", "uv.lock", "poetry.lock", "Pipfile.lock")
SDIST_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip")


def classify(target: str | os.PathLike[str] | None) -> str:
    """What kind of input TARGET is: environment, interpreter, site-packages, wheel,
    sdist, folder, lockfile, requirements, pip-report, sbom."""
    if target is None:
        return "interpreter"
    path = Path(target)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        if (path / "pyvenv.cfg").is_file() or (path / "bin" / "python").exists() \
                or (path / "Scripts" / "python.exe").exists():
            return "environment"
        if any(p.suffix in (".dist-info", ".egg-info") for p in path.iterdir()):
            return "site-packages"
        return "folder"
    name = path.name.lower()
    if name.endswith(".whl"):
        return "wheel"
    if (name.startswith("pylock.") and name.endswith(".toml")) or name in LOCKFILE_NAMES:
        return "lockfile"
    if name.endswith(".json"):
        return _classify_json(path)
    if name.endswith(SDIST_SUFFIXES):
        return "sdist"
    if name.endswith((".txt", ".in")) or "requirements" in name:
        return "requirements"
    if os.access(path, os.X_OK) and path.name.startswith("python"):
        return "interpreter"
    raise InputError(f"{path}: not a recognised input (environment, interpreter, wheel, sdist, "
                     "requirements file, lock file, pip report or SBOM)")


def _classify_json(path: Path) -> str:
    from assay.jsonio import read_json

    data, _raw = read_json(path)
    if isinstance(data, dict):
        if "spdxVersion" in data:
            return "sbom"
        if data.get("bomFormat") == "CycloneDX":
            return "sbom"
        if "install" in data and "pip_version" in data:
            return "pip-report"
        if data.get("schema") == "assay-inventory" or ("components" in data and "root" in data):
            return "sbom"
    raise InputError(f"{path}: JSON is neither an SPDX/CycloneDX SBOM nor a pip install report")


def load(target: str | os.PathLike[str] | None, *, bundled: bool = True) -> Graph:
    """Build the inventory of TARGET. ``bundled`` adds native libraries and vendored projects."""
    kind = classify(target)
    if kind in ("interpreter", "environment", "site-packages"):
        from assay.catalog.installed import catalog_environment

        graph = catalog_environment(target if target is not None else sys.executable, kind=kind)
        if bundled:
            _enrich_installed(graph)
        return graph
    if kind == "pip-report":
        from assay.catalog.pip_report import catalog_pip_report

        return catalog_pip_report(Path(target))  # type: ignore[arg-type]
    if kind == "sbom":
        from assay.catalog.sbom_input import catalog_sbom

        return catalog_sbom(Path(target))  # type: ignore[arg-type]
    if kind in ("lockfile", "requirements"):
        from assay.catalog.lockfile import catalog_lockfile

        return catalog_lockfile(Path(target))  # type: ignore[arg-type]
    from assay.catalog.artifact import catalog_artifact

    return catalog_artifact(Path(target), bundled=bundled)  # type: ignore[arg-type]


def _enrich_installed(graph: Graph) -> None:
    try:
        from assay.enrich.bundled import enrich_installed
    except ModuleNotFoundError:
        return
    enrich_installed(graph)
