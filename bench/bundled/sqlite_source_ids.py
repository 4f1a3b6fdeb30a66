#!/usr/bin/env python3
"""SQLite releases by their source ids, read from real builds: the table in libraries.toml.

    python bench/bundled/sqlite_source_ids.py            # prints the TOML table for the sqlite entry

SQLite compiles its source id (``SQLITE_SOURCE_ID``: the release check-in's date, time and hash)
into every build, and a stripped static copy keeps it when no symbol says ``sqlite3_version``
(Rust extensions built with rusqlite's bundled SQLite, Qt's SQL driver, a PDF or slide reader).
The id names one check-in; which release that check-in is comes from builds that state both.

Two kinds of builds say both, each fetched from PyPI (manylinux x86_64, sha256 from the index
checked): apsw releases one wheel series per SQLite release (apsw 3.46.0.x is built with SQLite
3.46.0): the newest wheel of each must hold exactly one source id and the release's text
(``3.46.0``); pysqlite3-binary links SQLite statically with its symbols: the release its
``sqlite3_version`` symbol states (assay's own symbol reader) beside exactly one source id. A
check-in two builds give different releases for is left out (none does: where both projects
built a release, they agree).
The table's keys are the id's date, time and the first 8 hex digits of the hash: builds of the
same check-in with another compile-time variant end the hash differently ("alt1").
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

CACHE = Path.home() / ".cache" / "assay-corpus" / "sqlite-ids"
SOURCE_ID = re.compile(rb"(20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9a-f]{8})[0-9a-f]{52}"
                       rb"(?:[0-9a-f]{4}|alt[0-9])\x00")


def _fetch(url: str, sha256: str, dest: Path) -> Path:
    if not url.startswith("https://"):  # an index mirror's relative link to the same file
        url = "https://files.pythonhosted.org/packages/" + url.split("/packages/packages/", 1)[-1]
    if dest.exists() and hashlib.sha256(dest.read_bytes()).hexdigest() == sha256:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        try:
            data = urllib.request.urlopen(url, timeout=120).read()
            break
        except OSError as exc:
            if attempt == 2:
                raise SystemExit(f"{dest.name}: download failed: {exc}") from exc
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SystemExit(f"{dest.name}: sha256 differs from the index's")
    tmp = dest.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(dest)
    return dest


def _wheels(project: str) -> dict[str, dict]:
    """Release -> its smallest manylinux x86_64 wheel, for every release of ``project`` with one."""
    index = json.load(urllib.request.urlopen(f"https://pypi.org/pypi/{project}/json", timeout=60))
    out = {}
    for version, files in index["releases"].items():
        wheels = sorted((f for f in files if f["filename"].endswith(".whl") and "manylinux" in f["filename"]
                         and "x86_64" in f["filename"] and not f.get("yanked")), key=lambda f: f["size"])
        if wheels:
            out[version] = wheels[0]
    return out


def releases() -> dict[str, dict]:
    """SQLite release -> the newest apsw manylinux x86_64 wheel built with it."""
    out: dict[str, tuple[tuple[int, ...], dict]] = {}
    for version, wheel in _wheels("apsw").items():
        m = re.fullmatch(r"(3\.[0-9]+\.[0-9]+)\.([0-9]+)", version)
        if m is None:
            continue  # 3.36.0.post1 and the like: no fourth number to order by
        order = tuple(int(p) for p in version.split("."))
        if m.group(1) not in out or out[m.group(1)][0] < order:
            out[m.group(1)] = (order, wheel)
    return {k: v[1] for k, v in sorted(out.items(), key=lambda kv: kv[1][0])}


def _extensions(wheel: Path) -> Iterator[tuple[str, bytes, set[str]]]:
    """Each shared object of the wheel: its name, bytes and the source id keys it holds."""
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if ".so" in name.rsplit("/", 1)[-1]:
                data = zf.read(name)
                yield name, data, {m.group(1).decode() for m in SOURCE_ID.finditer(data)}


def read_id(wheel: Path, release: str) -> str | None:
    """The source id key of an apsw build of ``release``: one id beside the release's text."""
    for _name, data, ids in _extensions(wheel):
        if len(ids) == 1 and re.search(rb"(?<![0-9.])" + re.escape(release.encode()) + rb"\x00", data):
            return ids.pop()
    return None


def read_symbol_pair(wheel: Path) -> tuple[str, str] | None:
    """(source id key, release) from a build whose ``sqlite3_version`` symbol states the release
    (read by assay's own symbol reader) beside exactly one source id."""
    from assay.enrich.bundled.native import scan_binary
    from assay.enrich.bundled.rules import matcher

    for name, data, ids in _extensions(wheel):
        scan = scan_binary(name, data, matcher())
        stated = {d.version for d in (scan.detections if scan else []) if d.library.name == "sqlite"
                  and d.version and any(e.kind == "symbol" for e in d.evidence)}
        if len(ids) == 1 and len(stated) == 1:
            return ids.pop(), stated.pop()
    return None


def main() -> None:
    found: dict[str, dict[str, list[str]]] = {}  # source id key -> release -> the builds saying so

    def add(key: str, release: str, build: str) -> None:
        found.setdefault(key, {}).setdefault(release, []).append(build)

    # pysqlite3-binary links one SQLite release statically and keeps its symbols
    for version, f in _wheels("pysqlite3-binary").items():
        wheel = _fetch(f["url"], f["digests"]["sha256"], CACHE / f["filename"])
        pair = read_symbol_pair(wheel)
        if pair is None:
            print(f"# pysqlite3-binary {version}: no single source id beside a stated release",
                  file=sys.stderr)
        else:
            add(pair[0], pair[1], f"pysqlite3-binary {version}")
    for release, f in releases().items():
        wheel = _fetch(f["url"], f["digests"]["sha256"], CACHE / f["filename"])
        key = read_id(wheel, release)
        if key is None:
            print(f"# {release}: {f['filename']}: no single source id beside the release text",
                  file=sys.stderr)
            continue
        add(key, release, f["filename"].split("-cp")[0].replace("-", " "))
    print("table = {")
    for key in sorted(found):
        if len(found[key]) > 1:  # two builds disagree: the check-in proves nothing
            print(f"# {key}: builds disagree: {found[key]}", file=sys.stderr)
            continue
        (release, builds), = found[key].items()
        print(f'"{key}" = "{release}"  # {", ".join(dict.fromkeys(builds))}')
    print("}")


if __name__ == "__main__":
    main()
