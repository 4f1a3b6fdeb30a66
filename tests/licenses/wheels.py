"""Real wheels for the license tests: the adjudicated table (bench/licenses/verdicts.toml)."""

from __future__ import annotations

import tomllib
import zipfile
from functools import cache
from pathlib import Path

from assay.identity.licenses import LicenseResult, fields_from_metadata, resolve_license
from pypi import pypi_file

VERDICTS = Path(__file__).resolve().parents[2] / "bench" / "licenses" / "verdicts.toml"


@cache
def verdicts() -> dict[str, dict]:
    return tomllib.loads(VERDICTS.read_text())["dist"]


def wheel_files(name: str) -> tuple[str, dict[str, bytes]]:
    """(dist-info folder, {path relative to it: bytes}) of a verdict's wheel."""
    v = verdicts()[name]
    with zipfile.ZipFile(pypi_file(v["wheel"], v["sha256"])) as zf:
        info = next(n.split("/", 1)[0] for n in zf.namelist() if n.split("/", 1)[0].endswith(".dist-info"))
        files = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()
                 if n.startswith(info + "/") and not n.endswith("/")}
    return info, files


def resolve_wheel(name: str) -> LicenseResult:
    """What assay concludes for a verdict's wheel, read as a cataloger would read it."""
    info, files = wheel_files(name)
    metadata = files["METADATA"].decode("utf-8", "replace")
    names = [n for n in files if n.startswith("licenses/") or "/" not in n]
    return resolve_license(fields_from_metadata(metadata), files.get, names, where=f"{info}/")


def text_of(name: str, path: str) -> str:
    return wheel_files(name)[1][path].decode("utf-8", "replace")
