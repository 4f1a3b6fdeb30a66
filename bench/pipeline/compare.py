#!/usr/bin/env python3
"""assay pipeline against zizmor on the same real release pipelines.

    python bench/pipeline/compare.py [--zizmor PATH] [--runs 3] [--set tune|measure|current|all]

zizmor comes from PyPI (`pip install zizmor==1.32.0`, not a dependency of assay); it runs
offline (no GitHub API here), at its default persona, with --min-severity medium. For every
project: wall time of both (the minimum of --runs runs, whole processes), their ratio, and
the findings both report (same file, same line, same concern), only zizmor, only assay.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from pypi import pypi_file  # noqa: E402

PEERS = {}  # assay rule -> zizmor ident
for line in (ROOT / "src/assay/data/pipeline/rules.toml").read_text().splitlines():
    if line.startswith("["):
        current = line.strip("[]")
    elif line.startswith("peer = "):
        PEERS[current] = line.split('"')[1]


def zizmor_findings(zizmor: str, folder: Path) -> tuple[list[tuple[str, str, int]], float]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [zizmor, "--offline", "--format", "json", "--min-severity", "medium", str(folder)],
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 10, 11, 12, 13, 14):
        raise SystemExit(f"zizmor failed on {folder}: {proc.stderr[-800:]}")
    out = []
    for f in json.loads(proc.stdout or "[]"):
        locs = [loc for loc in f["locations"] if loc["symbolic"].get("kind") == "Primary"] or f["locations"]
        key = locs[0]["symbolic"]["key"]
        path = key["Local"]["verbatim_path"] if "Local" in key else str(key)
        rel = (
            os.path.relpath(path, folder)
            if os.path.isabs(path)
            else os.path.relpath(folder.parent / path, folder)
        )
        out.append((f["ident"], rel, locs[0]["concrete"]["location"]["start_point"]["row"] + 1))
    return out, took


def assay_findings(folder: Path) -> tuple[list[dict], float]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "assay", "pipeline", str(folder), "-f", "json"], capture_output=True, text=True
    )
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"assay failed on {folder}: {proc.stderr[-800:]}")
    return json.loads(proc.stdout)["findings"], took


def in_process(folder: Path, runs: int) -> float:
    """analyse() alone, imports warm: the analysis without interpreter start-up."""
    from assay.pipeline import analyse

    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        analyse(folder)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--zizmor", default=shutil.which("zizmor") or "zizmor")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--set", choices=["tune", "measure", "current", "all"], default="all")
    ap.add_argument("--details", action="store_true", help="list every difference")
    ap.add_argument("--record", type=Path, help="write zizmor's findings per project (JSON) for the tests")
    args = ap.parse_args()
    version = subprocess.run([args.zizmor, "--version"], capture_output=True, text=True).stdout.strip()
    sets = {"tune": corpus.TUNE, "measure": corpus.MEASURE, "current": corpus.CURRENT, "all": corpus.ALL}[
        args.set
    ]
    totals = Counter()
    t_assay = t_zizmor = t_inproc = 0.0
    per_rule: Counter = Counter()
    diffs: list[str] = []
    recorded: dict[str, list[list[object]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        print(
            f"{version} vs assay pipeline; min of {args.runs} runs each; "
            "zizmor --offline --min-severity medium"
        )
        print(
            f"{'project':<28} {'zizmor s':>9} {'assay s':>9} {'ratio':>6} {'in-proc':>8} {'both':>5} "
            f"{'only z':>7} {'only a(peer)':>12} {'assay gaps':>10}"
        )
        for name, sha in sets.items():
            folder = corpus.extract(pypi_file(name, sha), Path(tmp) / name)
            zs, tz = min((zizmor_findings(args.zizmor, folder) for _ in range(args.runs)), key=lambda r: r[1])
            af, ta = min((assay_findings(folder) for _ in range(args.runs)), key=lambda r: r[1])
            tin = in_process(folder, args.runs)
            t_assay += ta
            t_zizmor += tz
            t_inproc += tin
            recorded[name] = sorted([list(z) for z in zs])
            zset = Counter(zs)
            aset = Counter(
                (PEERS[f["rule"]], f["file"], f["line"])
                for f in af
                if f["rule"] in PEERS and f["severity"] in ("medium", "high", "critical")
            )
            both = zset & aset
            only_z = zset - aset
            only_a = aset - zset
            gaps = [
                f for f in af if f["rule"] not in PEERS and f["severity"] in ("medium", "high", "critical")
            ]
            row = Counter(
                both=sum(both.values()),
                only_z=sum(only_z.values()),
                only_a=sum(only_a.values()),
                gaps=len(gaps),
            )
            totals.update(row)
            for (rule, file, line), n in only_z.items():
                per_rule[("only zizmor", rule)] += n
                diffs.append(f"  only zizmor  {name}: {rule} {file}:{line}")
            for (rule, file, line), n in only_a.items():
                per_rule[("only assay", rule)] += n
                diffs.append(f"  only assay   {name}: {rule} {file}:{line}")
            for (rule, _, _), n in both.items():
                per_rule[("both", rule)] += n
            for g in gaps:
                per_rule[("assay gap", g["rule"])] += 1
            print(
                f"{name:<28} {tz:9.3f} {ta:9.3f} {ta / tz:6.2f} {tin:8.3f} {row['both']:5} {row['only_z']:7} "
                f"{row['only_a']:12} {row['gaps']:10}"
            )
    print(
        f"{'total':<28} {t_zizmor:9.3f} {t_assay:9.3f} {t_assay / t_zizmor:6.2f} {t_inproc:8.3f} "
        f"{totals['both']:5} "
        f"{totals['only_z']:7} {totals['only_a']:12} {totals['gaps']:10}"
    )
    print(
        f"\nassay / zizmor wall time: {t_assay / t_zizmor:.2f}x as whole processes; "
        f"assay's analysis alone (in-process) / zizmor process: {t_inproc / t_zizmor:.2f}x"
    )
    print("\nper rule:")
    for (kind, rule), n in sorted(per_rule.items()):
        print(f"  {kind:<12} {rule:<28} {n}")
    if args.record:
        args.record.write_text(json.dumps({"zizmor": version, "findings": recorded}, indent=1) + "\n")
    if args.details:
        print("\ndifferences:")
        print("\n".join(diffs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
