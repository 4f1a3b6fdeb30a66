"""Benchmark: bundled-library detection in real wheels, assay vs cve-bin-tool vs the inflate floor.

    python bench/bundled/run.py              # all wheels, with the peer (builds its venv once)
    python bench/bundled/run.py --no-peer    # assay and the floor only
    python bench/bundled/run.py --repeat 3   # best of 3 for assay and the floor

In one run, on the same files (the wheel set of tests/enrich/bundled_wheelset.py,
fetched from PyPI once, pinned by sha256, cached):
- floor: open every wheel with zipfile and read (inflate) every member, nothing else;
- assay: catalog_artifact() on every wheel (root metadata, sha256, all bundled detection), as
  users run it: a wheel's large binaries inflate on two more threads ahead of the scan;
  also timed on one thread (ASSAY_PREFETCH=0), the floor's own terms;
- peer: cve-bin-tool's VersionScanner with extraction (its binary checkers), in its own venv.
Prints both ratios and per-library recall of the exact versions each wheel's bytes prove
(EXPECTED in the wheel set), and any version assay reports that contradicts them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "tests" / "enrich")]

from bundled_wheelset import EXPECTED, WHEELS  # noqa: E402

from pypi import pypi_file  # noqa: E402

PEER_VENV = HERE / ".venv-peers"
PEER_REQ = "cve-bin-tool==3.4"

# cve-bin-tool product names -> assay's library names
PEER_NAMES = {
    "little_cms_color_engine": "lcms2", "lcms2": "lcms2", "little_cms": "lcms2",
    "zstandard": "zstd", "libzmq": "libzmq", "zeromq": "libzmq", "kerberos_5": "krb5",
    "kerberos": "krb5", "postgresql": "libpq", "libpq": "libpq", "libcurl": "curl", "curl": "curl",
    "xz": "xz", "xz-utils": "xz", "liblzma": "xz", "sdl": "sdl2", "simple_directmedia_layer": "sdl2",
    "opus": "libopus", "libopus": "libopus", "libvorbis": "libvorbis", "vorbis": "libvorbis",
    "openjpeg": "openjpeg", "libjpeg-turbo": "libjpeg-turbo", "libsndfile": "libsndfile",
    "proj": "proj", "proj.4": "proj", "geos": "geos", "c-blosc": "blosc", "c-blosc2": "blosc2",
}


def floor(paths: list[Path]) -> float:
    t = time.perf_counter()
    for p in paths:
        with zipfile.ZipFile(p) as zf:
            for info in zf.infolist():
                zf.read(info)
    return time.perf_counter() - t


def run_assay(paths: list[Path], *, one_thread: bool = False
              ) -> tuple[float, dict[str, set[tuple[str, str | None]]]]:
    from assay.catalog.artifact import catalog_artifact

    found: dict[str, set[tuple[str, str | None]]] = {}
    before = os.environ.get("ASSAY_PREFETCH")
    os.environ["ASSAY_PREFETCH"] = "0" if one_thread else "1"
    try:
        t = time.perf_counter()
        graphs = [(p, catalog_artifact(p)) for p in paths]
        elapsed = time.perf_counter() - t
    finally:
        if before is None:
            del os.environ["ASSAY_PREFETCH"]
        else:
            os.environ["ASSAY_PREFETCH"] = before
    for p, g in graphs:
        # a Rust crate named like a C library (the openssl crate) is not that library
        # a library merged into another's component (libwebpmux into libwebp) keeps its names
        found[p.name] = {(name, c.version) for c in g.packages() if not c.purl.startswith("pkg:cargo/")
                         for name in (c.name, *filter(None, (n.strip() for n in
                                                             (c.prop("assay:also-named") or "").split(","))))}
    return elapsed, found


def ensure_peer() -> Path:
    py = PEER_VENV / "bin" / "python"
    if not py.exists():
        venv.create(PEER_VENV, with_pip=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", PEER_REQ],
                       check=True)
    return py


def run_peer(paths: list[Path]) -> tuple[float, dict, dict[str, set[tuple[str, str | None]]]]:
    py = ensure_peer()
    with tempfile.TemporaryDirectory() as home:
        (Path(home) / ".cache" / "cve-bin-tool").mkdir(parents=True)
        env = {**os.environ, "HOME": home}
        t = time.perf_counter()
        out = subprocess.run([str(py), str(HERE / "peer_cvebintool.py"), *map(str, paths)], env=env,
                             capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - t
    report = json.loads(out.stdout)
    found = {}
    for path, rows in report["results"].items():
        found[Path(path).name] = {(PEER_NAMES.get(product, product), version)
                                  for _vendor, product, version in rows}
    return elapsed, report, found


def recall_table(found_by: dict[str, dict[str, set[tuple[str, str | None]]]]) -> None:
    tools = list(found_by)
    per_lib: dict[str, dict[str, list[int]]] = defaultdict(lambda: {t: [0, 0] for t in tools})
    for wheel, expected in EXPECTED.items():
        for lib, version in expected:
            for tool in tools:
                hit = (lib, version) in found_by[tool].get(wheel, set())
                per_lib[lib][tool][0] += hit
                per_lib[lib][tool][1] += 1
    print(f"\n{'library':16}" + "".join(f"{t:>14}" for t in tools))
    totals = {t: [0, 0] for t in tools}
    for lib in sorted(per_lib):
        cells = []
        for t in tools:
            hit, n = per_lib[lib][t]
            totals[t][0] += hit
            totals[t][1] += n
            cells.append(f"{hit:>6}/{n:<7}")
        print(f"{lib:16}" + "".join(f"{c:>14}" for c in cells))
    cells = [f"{totals[t][0]:>6}/{totals[t][1]:<4}{100 * totals[t][0] / max(totals[t][1], 1):3.0f}%"
             for t in tools]
    print(f"{'TOTAL':16}" + "".join(cells))


def wrong_versions(found: dict[str, set[tuple[str, str | None]]]) -> list[str]:
    out = []
    for wheel, expected in EXPECTED.items():
        truth = defaultdict(set)
        for lib, version in expected:
            truth[lib].add(version)
        for lib, version in found.get(wheel, set()):
            if lib in truth and version is not None and version not in truth[lib]:
                out.append(f"{wheel}: {lib} {version} (truth {sorted(truth[lib])})")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-peer", action="store_true", help="skip cve-bin-tool")
    ap.add_argument("--repeat", type=int, default=1, help="best of N for assay and the floor")
    args = ap.parse_args()

    paths = [pypi_file(name, sha) for name, sha in sorted(WHEELS.items())]
    size = sum(p.stat().st_size for p in paths)
    inflated = sum(i.file_size for p in paths for i in zipfile.ZipFile(p).infolist())
    print(f"{len(paths)} wheels, {size / 1e6:.0f} MB compressed, {inflated / 1e6:.0f} MB inflated")

    from assay.enrich.bundled.rules import matcher

    t = time.perf_counter()
    m = matcher()
    print(f"matcher: {len(m.native)} native + {len(m.javascript)} JS libraries compiled in "
          f"{1000 * (time.perf_counter() - t):.1f} ms")

    floor_s = min(floor(paths) for _ in range(args.repeat))
    assay_runs = [run_assay(paths) for _ in range(args.repeat)]
    assay_s = min(r[0] for r in assay_runs)
    assay_found = assay_runs[0][1]
    single_s = min(run_assay(paths, one_thread=True)[0] for _ in range(args.repeat))
    print(f"floor (zipfile inflate of every member): {floor_s:8.2f} s")
    print(f"assay (catalog_artifact, all detection): {assay_s:8.2f} s   = {assay_s / floor_s:.2f}x the floor")
    print(f"assay on one thread (ASSAY_PREFETCH=0):  {single_s:8.2f} s   = "
          f"{single_s / floor_s:.2f}x the floor")
    found_by = {"assay": assay_found}
    if not args.no_peer:
        peer_s, report, peer_found = run_peer(paths)
        scan_s = sum(report["times"].values())
        # measure again after the peer's minutes, so a change in machine load cannot favour either
        floor_after = floor(paths)
        assay_after = run_assay(paths)[0]
        single_after = run_assay(paths, one_thread=True)[0]
        print(f"again after the peer: floor {floor_after:.2f} s, assay {assay_after:.2f} s "
              f"(= {assay_after / floor_after:.2f}x the floor; on one thread {single_after:.2f} s = "
              f"{single_after / floor_after:.2f}x)")
        assay_s = max(assay_s, assay_after)  # the slower of the two: the conservative ratio
        print(f"cve-bin-tool {PEER_REQ.split('==')[1]} scanner ({report['checkers']} checkers): "
              f"{peer_s:8.2f} s wall, {scan_s:.2f} s scanning")
        if report["skipped"]:
            print(f"  checkers that cannot load offline: {', '.join(report['skipped'])}")
        print(f"assay is {peer_s / assay_s:.0f}x faster than cve-bin-tool (wall; {scan_s / assay_s:.0f}x "
              "on scanning time alone; assay's slower run)")
        found_by["cve-bin-tool"] = peer_found
    recall_table(found_by)
    wrong = wrong_versions(assay_found)
    print(f"\nassay versions contradicting the bytes: {len(wrong)}")
    for w in wrong:
        print("  " + w)


if __name__ == "__main__":
    main()
