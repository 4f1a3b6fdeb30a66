#!/usr/bin/env python3
"""assay's licenses vs ScanCode on bench/sbom's venv (> 290 real distributions), same run.

    python bench/licenses/bench.py [--runs 3] [--assay PATH] [--skip-scancode]

Builds (once, cached under ~/.cache/assay-fixtures/bench) bench/sbom's venv and a
separate venv with ScanCode (scancode-toolkit-mini 32.5.0 from PyPI, with pluggy 1.0.0:
ScanCode 32.5 does not load its plugins with pluggy >= 1.1). Then:

1. ScanCode scans a copy of every ``*.dist-info`` folder (METADATA and license files,
   the same inputs assay reads) with ``--license``; a distribution's ScanCode answer is
   the AND of every SPDX expression it detected in that folder.
2. assay writes CycloneDX of the venv (``assay sbom --no-bundled``); its answer is the
   component's license expression.
3. Agreement per distribution (same SPDX ids, ignoring -only/-or-later spelling and
   LicenseRefs), overlap, and disjoint; then every disagreement with the verdict recorded
   in ``verdicts.toml`` beside this file (from reading the files), or "no verdict yet".
4. Timing, alternating runs after a warm-up: assay now (cold: empty license cache, and
   warm), assay before issue 16 (commit 9fc64a3, from ``git archive``) and ScanCode, as
   ratios to assay-before (the 1.5x budget) and to ScanCode.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
_spec = importlib.util.spec_from_file_location("sbom_bench", HERE.parent / "sbom" / "bench.py")
sbom_bench = importlib.util.module_from_spec(_spec)  # bench/sbom/bench.py: the shared venv
_spec.loader.exec_module(sbom_bench)

CACHE = sbom_bench.CACHE
SCANCODE = CACHE / "scancode-venv"
SCANCODE_PINS = ["scancode-toolkit-mini==32.5.0", "pluggy==1.0.0"]
BEFORE = "9fc64a3"  # main before issue 16


def ensure_scancode() -> Path:
    exe = SCANCODE / "bin" / "scancode"
    stamp = SCANCODE / ".pins"
    if not exe.exists() or not stamp.exists() or stamp.read_text() != " ".join(SCANCODE_PINS):
        subprocess.run([sys.executable, "-m", "venv", str(SCANCODE)], check=True)
        subprocess.run([str(SCANCODE / "bin" / "pip"), "install", "-q", *SCANCODE_PINS], check=True)
        stamp.write_text(" ".join(SCANCODE_PINS))
    return exe


def dist_inputs(venv: Path) -> Path:
    """A copy of the venv's dist-info folders: what a license scanner should read."""
    site = next(venv.glob("lib/python*/site-packages"))
    dest = CACHE / "licenses-input"
    if not (dest / ".complete").exists():
        shutil.rmtree(dest, ignore_errors=True)
        for d in sorted(site.glob("*.dist-info")):
            shutil.copytree(d, dest / d.name, ignore=shutil.ignore_patterns("RECORD", "*.pyc"))
        (dest / ".complete").write_text("ok")
    return dest


def _canon(name: str) -> str:
    """PEP 503 normalised name (what pip, ScanCode's folders and assay's components share)."""
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def run_scancode(exe: Path, inputs: Path, out: Path) -> None:
    subprocess.run([str(exe), "--license", "--json", str(out), "-n", "2", "--quiet", str(inputs)],
                   check=True, stdout=subprocess.DEVNULL)


def scancode_answers(out: Path) -> dict[str, str]:
    """Per distribution (normalised name): the AND of what ScanCode found in its dist-info."""
    doc = json.loads(out.read_text())
    per: dict[str, set[str]] = {}
    for f in doc.get("files", []):
        folder = next((p for p in Path(f["path"]).parts if p.endswith(".dist-info")), None)
        if folder is None or f.get("type") != "file":
            continue
        expr = f.get("detected_license_expression_spdx")
        if expr:
            name = _canon(folder.removesuffix(".dist-info").rsplit("-", 1)[0])
            per.setdefault(name, set()).add(expr)
    return {k: " AND ".join(sorted(v)) for k, v in per.items()}


def assay_answers(path: Path) -> dict[str, str | None]:
    doc = json.loads(path.read_text())
    out: dict[str, str | None] = {}
    for c in doc.get("components", []):
        if not (c.get("purl") or "").startswith("pkg:pypi/"):
            continue
        lic = (c.get("licenses") or [None])[0]
        expr = None
        if lic:
            expr = lic.get("expression") or (lic.get("license") or {}).get("id") \
                or (lic.get("license") or {}).get("name")
        out[_canon(c["name"])] = expr
    return out


def ids(expr: str | None) -> set[str]:
    import re

    if not expr:
        return set()
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    out = set()
    for tok in re.findall(r"[A-Za-z0-9.+\-]+", expr):
        if tok.upper() in ("AND", "OR", "WITH") or tok.startswith("LicenseRef-"):
            continue
        try:  # free text ("BSD License") is no id
            canonicalize_license_expression(tok)
        except InvalidLicenseExpression:
            continue
        out.add(re.sub(r"(-only|-or-later|\+)$", "", tok))
    return out


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})})
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--assay", default=shutil.which("assay") or str(Path(sys.executable).parent / "assay"))
    ap.add_argument("--skip-scancode", action="store_true", help="reuse the last ScanCode output")
    args = ap.parse_args()
    venv = sbom_bench.ensure_venv()
    exe = ensure_scancode()
    inputs = dist_inputs(venv)
    outdir = CACHE / "licenses-out"
    outdir.mkdir(exist_ok=True)
    sc_out = outdir / "scancode.json"

    # assay before issue 16, from git
    before = Path(tempfile.mkdtemp(prefix="assay-before-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE, "src"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
    py = str(Path(args.assay).parent / "python")
    sbom_args = ["-q", "sbom", str(venv), "-f", "cyclonedx-json", "--reproducible", "--no-bundled", "-o"]
    cache_file = outdir / "license-cache.json"
    cmds = {
        "assay-before": ([py, "-m", "assay", *sbom_args, str(outdir / "before.json")],
                         {"PYTHONPATH": str(before / "src")}),
        "assay-cold": ([args.assay, *sbom_args, str(outdir / "assay.json")],
                       {"ASSAY_LICENSE_CACHE": "0"}),
        "assay-warm": ([args.assay, *sbom_args, str(outdir / "assay.json")],
                       {"ASSAY_LICENSE_CACHE": str(cache_file)}),
    }
    n = len(list(inputs.glob("*.dist-info")))
    print(f"venv: {n} distributions; runs: {args.runs} (+1 warm-up), alternating")
    times: dict[str, list[float]] = {k: [] for k in cmds}
    if not args.skip_scancode:
        times["scancode"] = []
    for cmd, env in cmds.values():  # warm-up (fills the warm cache)
        timed(cmd, env)
    for _ in range(args.runs):
        for k, (cmd, env) in cmds.items():
            times[k].append(timed(cmd, env))
        if not args.skip_scancode:
            start = time.perf_counter()
            run_scancode(exe, inputs, sc_out)
            times["scancode"].append(time.perf_counter() - start)
    shutil.rmtree(before, ignore_errors=True)
    base = statistics.median(times["assay-before"])
    print(f"\n{'tool':<14}{'median s':>10}{'x assay-before':>16}")
    for k, ts in times.items():
        print(f"{k:<14}{statistics.median(ts):>10.2f}{statistics.median(ts) / base:>15.2f}x")
    if "scancode" in times:
        for k in ("assay-cold", "assay-warm"):
            ratio = statistics.median(times["scancode"]) / statistics.median(times[k])
            print(f"scancode / {k}: {ratio:.1f}x")

    if not sc_out.exists():
        if args.skip_scancode:
            print("\nno ScanCode output yet: run without --skip-scancode for the comparison")
            return 0
        run_scancode(exe, inputs, sc_out)
    sc = scancode_answers(sc_out)
    ours = assay_answers(outdir / "assay.json")
    verdicts = {_canon(k): v for k, v in tomllib.loads((HERE / "verdicts.toml").read_text())
                .get("dist", {}).items()}
    same = overlap = disjoint = 0
    rows = []
    for name in sorted(ours):
        a, s = ids(ours[name]), ids(sc.get(name))
        if a == s:
            same += 1
            continue
        if a & s:
            overlap += 1
            kind = "overlap"
        else:
            disjoint += 1
            kind = "disjoint"
        v = verdicts.get(name)
        rows.append((kind, name, ours[name], sc.get(name), v))
    total = len(ours)
    print(f"\nagreement on {total} distributions: same ids {same} ({100 * same // total}%), "
          f"overlap {overlap}, disjoint {disjoint}")
    right = {"assay": 0, "scancode": 0, "both wrong": 0, "no verdict": 0}
    print("\ndisagreements (verdict from reading the files, bench/licenses/verdicts.toml):")
    for kind, name, a, s, v in rows:
        if v is None:
            right["no verdict"] += 1
            verdict = "no verdict yet"
        else:
            vids = ids(v["expression"])
            who = "assay" if ids(a) == vids else "scancode" if ids(s) == vids else "both wrong"
            right[who] += 1
            verdict = f"{v['expression']} -> {who} right: {v.get('why', '')}"
        print(f"- {name} [{kind}]\n    assay:    {a}\n    scancode: {s}\n    verdict:  {verdict}")
    print("\nwho was right on the disagreements:", ", ".join(f"{k} {v}" for k, v in right.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
