#!/usr/bin/env python3
"""assay's CPython SBOMs vs CPython's own ``Tools/build/generate_sbom.py``, same run.

    .venv/bin/python bench/cpython/bench.py [--runs 5] [--interpreter /usr/bin/python3.11]

Inputs: the real CPython 3.13.5 tarball (``../shared/data/signatures/fetch-cpython.sh``) and
an installed interpreter. The peer is the check CPython runs itself (``make regen-sbom``):
``generate_sbom.py`` re-hashes every vendored file into ``Misc/sbom.spdx.json`` and checks the
package entries; it runs only in a git checkout, so the tarball is unpacked once into a cache
folder and made a git repository (its ``Misc/*.spdx.json`` are restored before every run; it is
run from the tarball as the peer, never by assay). ``CI`` is removed from its environment so it
does not download every package's archive to re-hash it.

Pairs, alternating A B A B after one warm-up; medians and the median of pairwise ratios:

1. the source tree: ``assay sbom TREE`` vs ``generate_sbom.py`` in the same tree;
2. the tarball: ``assay sbom Python-3.13.5.tar.xz`` vs unpacking it + ``git init`` +
   ``generate_sbom.py`` (the peer cannot read a tarball);
3. the interpreter: ``assay sbom PYTHON`` vs ``generate_sbom.py`` (the brief's peer), and vs the
   floor a shell user would write: ``ldd`` on the executable and every lib-dynload module, then
   ``dpkg-query -S`` on what it lists.

Then what each found: assay's warnings about the tarball's own SBOM, and the peer's.
Not run by CI.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("ASSAY_FIXTURES")
             or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "assay-fixtures")
BIG = CACHE / "big"
WORK = CACHE / "bench" / "cpython"
TARBALL = BIG / "python3.13_3.13.5.orig.tar.xz"
ASSAY = [sys.executable, "-m", "assay"]
PEER_ENV = {k: v for k, v in os.environ.items() if k != "CI"}


def tarball() -> Path:
    if not TARBALL.is_file():
        script = ROOT.parent / "shared" / "data" / "signatures" / "fetch-cpython.sh"
        subprocess.run(["sh", str(script), str(BIG)], check=True)
    return TARBALL


def unpack(dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    with tarfile.open(tarball()) as tar:
        tar.extractall(dest, filter="data")
    tree = next(dest.iterdir())
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    return tree


def peer_tree() -> tuple[Path, dict[str, bytes]]:
    tree = WORK / "tree"
    if not (tree.is_dir() and any(tree.iterdir())):
        unpack(tree)
    root = next(tree.iterdir())
    originals = {n: (root / "Misc" / n).read_bytes() for n in ("sbom.spdx.json", "externals.spdx.json")}
    return root, originals


def timed(cmd: list[str], *, cwd: Path | None = None, env: dict | None = None, before=None) -> float:
    if before is not None:
        before()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-400:]}")
    return elapsed


def pair(name: str, a, b, runs: int) -> None:
    a()
    b()  # warm-up
    ta, tb = [], []
    for _ in range(runs):
        ta.append(a())
        tb.append(b())
    ratios = [x / y for x, y in zip(ta, tb, strict=True)]
    print(f"{name:58s} assay {statistics.median(ta):7.2f}s   peer {statistics.median(tb):7.2f}s   "
          f"ratio assay/peer {statistics.median(ratios):5.2f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    debian = sorted(glob.glob("/usr/bin/python3.[0-9]*"))
    ap.add_argument("--interpreter", default=debian[0] if debian else sys.executable)
    args = ap.parse_args()
    tree, originals = peer_tree()
    peer = [sys.executable, "Tools/build/generate_sbom.py"]

    def restore() -> None:
        for n, data in originals.items():
            (tree / "Misc" / n).write_bytes(data)

    def run_peer() -> float:
        return timed(peer, cwd=tree, env=PEER_ENV, before=restore)

    print(f"inputs: {TARBALL.name} ({TARBALL.stat().st_size / 1e6:.1f} MB), interpreter {args.interpreter}; "
          f"{args.runs} runs each, alternating")
    pair("1. source tree: assay sbom TREE vs generate_sbom.py",
         lambda: timed([*ASSAY, "sbom", str(tree), "-f", "spdx-json"]), run_peer, args.runs)

    def peer_from_tarball() -> float:
        start = time.perf_counter()
        fresh = unpack(WORK / "fresh")
        timed(peer, cwd=fresh, env=PEER_ENV)
        return time.perf_counter() - start

    pair("2. tarball: assay sbom TARBALL vs unpack + git init + generate",
         lambda: timed([*ASSAY, "sbom", str(TARBALL), "-f", "spdx-json"]), peer_from_tarball, args.runs)
    pair("3a. interpreter: assay sbom PYTHON vs generate_sbom.py",
         lambda: timed([*ASSAY, "sbom", args.interpreter, "-f", "cyclonedx-json"]), run_peer, args.runs)

    def ldd_dpkg() -> float:
        start = time.perf_counter()
        mods = glob.glob("/usr/lib/python3*/lib-dynload/*.so") if args.interpreter.startswith("/usr/") else []
        out = subprocess.run(["ldd", args.interpreter, *mods], capture_output=True, text=True).stdout
        libs = sorted({line.split("=>")[1].split("(")[0].strip() for line in out.splitlines()
                       if "=>" in line and "/" in line.split("=>")[1]})
        if shutil.which("dpkg-query"):
            subprocess.run(["dpkg-query", "-S", *libs], capture_output=True)
        return time.perf_counter() - start

    if shutil.which("ldd"):
        pair("3b. interpreter: assay sbom PYTHON vs ldd + dpkg-query -S",
             lambda: timed([*ASSAY, "sbom", args.interpreter, "-f", "cyclonedx-json"]), ldd_dpkg, args.runs)

    # what each says about the tarball's own SBOM
    restore()
    proc = subprocess.run(peer, cwd=tree, env=PEER_ENV, capture_output=True, text=True)
    restore()
    ours = subprocess.run([*ASSAY, "sbom", str(TARBALL), "-f", "cyclonedx-json"], capture_output=True,
                          text=True)
    doc = json.loads(ours.stdout)
    warnings = [json.loads(p["value"]) for p in doc.get("properties", []) if p["name"] == "assay:unknown"]
    print(f"\npeer: exit {proc.returncode}, said: {proc.stdout.strip() or proc.stderr.strip() or 'nothing'}")
    print("assay: " + "; ".join(f"{w['reason']}: {w['detail']}" for w in warnings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
