#!/usr/bin/env python3
"""assay's licenses vs ScanCode on bench/sbom's venv (> 290 real distributions), same run.

    python bench/licenses/bench.py [--runs 3] [--assay PATH] [--skip-scancode] [--instructions]

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
4. Timing, alternating runs after a warm-up: assay now (cold: no license cache, and
   warm), assay before issue 16 (commit 41b0f83, from ``git archive``) and ScanCode, as
   ratios to assay-before (the issue's 1.5x budget, checked and printed) and to ScanCode.
   Wall and CPU (user+sys of the process) medians; with ``--instructions`` also each assay
   variant's instruction count under ``valgrind --tool=callgrind`` (independent of the load
   of a shared machine).
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
BEFORE = "41b0f83"  # main before issue 16 (the base of its first commit)
BUDGET = 1.5  # issue 16: at most 1.5x the time of assay sbom before it


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


def _env(env: dict[str, str] | None) -> dict[str, str]:
    out = {**os.environ, **(env or {})}
    out.pop("PYTHONDONTWRITEBYTECODE", None)  # both sides run from their bytecode caches
    return out


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU (user+sys) seconds of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(env))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return wall, usage.ru_utime + usage.ru_stime


def instructions(cmd: list[str], env: dict[str, str] | None = None) -> int | None:
    """Instructions of one run under callgrind (None without valgrind)."""
    if not shutil.which("valgrind"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out", *cmd],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env(env),
                             check=True).stderr
    found = [line for line in out.splitlines() if "Collected :" in line]
    return int(found[-1].split(":")[-1]) if found else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--assay", default=shutil.which("assay") or str(Path(sys.executable).parent / "assay"))
    ap.add_argument("--skip-scancode", action="store_true", help="reuse the last ScanCode output")
    ap.add_argument("--instructions", action="store_true",
                    help="also count each assay variant's instructions once under valgrind's callgrind")
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
    wall: dict[str, list[float]] = {k: [] for k in cmds}
    cpu: dict[str, list[float]] = {k: [] for k in cmds}
    if not args.skip_scancode:
        wall["scancode"], cpu["scancode"] = [], []
    for cmd, env in cmds.values():  # warm-up (fills the warm cache and the bytecode caches)
        timed(cmd, env)
    sc_cmd = [str(exe), "--license", "--json", str(sc_out), "-n", "2", "--quiet", str(inputs)]
    for _ in range(args.runs):
        for k, (cmd, env) in cmds.items():
            w, c = timed(cmd, env)
            wall[k].append(w)
            cpu[k].append(c)
        if not args.skip_scancode:
            w, c = timed(sc_cmd)
            wall["scancode"].append(w)
            cpu["scancode"].append(c)
    insns: dict[str, int | None] = {}
    if args.instructions:
        insns = {k: instructions(cmd, env) for k, (cmd, env) in cmds.items()}
    shutil.rmtree(before, ignore_errors=True)

    def ratios(series: dict[str, list[float]], k: str) -> float:
        """Median of the per-round ratios to assay-before (the rounds alternate)."""
        return statistics.median(a / b for a, b in zip(series[k], series["assay-before"], strict=True))

    x = f"{'x before':>10}"
    print(f"\n{'tool':<14}{'wall s':>8}{x}{'CPU s':>8}{x}{'G insns':>9}{x}")
    base_i = insns.get("assay-before")
    for k in wall:
        i = insns.get(k)
        i_cols = f"{i / 1e9:>9.3f}{i / base_i:>9.2f}x" if i and base_i else f"{'-':>9}{'-':>10}"
        print(f"{k:<14}{statistics.median(wall[k]):>8.2f}{ratios(wall, k):>9.2f}x"
              f"{statistics.median(cpu[k]):>8.2f}{ratios(cpu, k):>9.2f}x{i_cols}")
    for k in ("assay-cold", "assay-warm"):
        figure = insns[k] / base_i if insns.get(k) and base_i else ratios(cpu, k)
        what = "instructions" if insns.get(k) and base_i else "CPU"
        verdict = "met" if figure <= BUDGET else "NOT met"
        print(f"budget ({BUDGET}x assay before issue 16), {k}: {figure:.2f}x {what}: {verdict}")
    if "scancode" in wall:
        med = {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in wall}
        for k in ("assay-cold", "assay-warm"):
            print(f"scancode / {k}: wall {med['scancode'][0] / med[k][0]:.1f}x, "
                  f"CPU {med['scancode'][1] / med[k][1]:.1f}x")

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
