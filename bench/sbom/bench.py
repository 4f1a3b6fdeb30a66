#!/usr/bin/env python3
"""assay sbom vs cyclonedx-py environment (and cdxgen where it installs), same run.

    python bench/sbom/bench.py [--runs 5] [--assay PATH-TO-assay] [--peers NAME,...]
    python bench/sbom/bench.py --instructions     # counted by valgrind instead of timed

Builds (once, cached under ~/.cache/assay-fixtures/bench) a venv from
requirements.txt beside this file (> 250 real distributions from PyPI), and a
separate venv with the peer tools. Each tool writes CycloneDX JSON of the same
venv; runs alternate A B A B after one warm-up; the median of each and the
median of the pairwise ratios are printed, then a field-coverage table read
from each tool's own output. Not run by CI.

``--instructions`` counts each tool's instructions once under ``valgrind --tool=callgrind``
(after one warm run each, so caches are as on any later run): on a shared machine, short
processes' times move by tens of percent, instruction counts do not. The processes the tools
start (both ask the venv's interpreter) are not counted for either.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("ASSAY_FIXTURES")
             or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "assay-fixtures") / "bench"
VENV = CACHE / "sbom-venv"
PEERS = CACHE / "peers"
NODE = CACHE / "node"


def sh(*cmd: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


def ensure_venv() -> Path:
    if not (VENV / ".complete").exists():
        shutil.rmtree(VENV, ignore_errors=True)
        sh(sys.executable, "-m", "venv", str(VENV))
        sh(str(VENV / "bin" / "pip"), "install", "-q", "--report", str(CACHE / "sbom-venv.report.json"),
           "-r", str(HERE / "requirements.txt"))
        (VENV / ".complete").write_text("ok")
    return VENV


def ensure_peers() -> dict[str, list[str]]:
    tools: dict[str, list[str]] = {}
    if not (PEERS / "bin" / "cyclonedx-py").exists():
        sh(sys.executable, "-m", "venv", str(PEERS))
        sh(str(PEERS / "bin" / "pip"), "install", "-q", "cyclonedx-bom")
    tools["cyclonedx-py"] = [str(PEERS / "bin" / "cyclonedx-py"), "environment", "--of", "JSON",
                             "--output-reproducible", "-o", "{out}", str(VENV / "bin" / "python")]
    # the same without validating its own output (the mode the architecture issue measured)
    tools["cdx-py no-val"] = [*tools["cyclonedx-py"][:2], "--no-validate", *tools["cyclonedx-py"][2:]]
    cdxgen = NODE / "node_modules" / ".bin" / "cdxgen"
    if not cdxgen.exists() and shutil.which("npm"):
        NODE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "@cyclonedx/cdxgen"], cwd=NODE,
                       capture_output=True, timeout=600)
    if cdxgen.exists():
        tools["cdxgen"] = [str(cdxgen), "-t", "python", "--no-install-deps", "-o", "{out}", str(VENV)]
    return tools


# Both tools run as users run them: with bytecode caches written (an editable install of assay
# would otherwise recompile its sources on every run when PYTHONDONTWRITEBYTECODE is set).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "FETCH_LICENSE": "false", "CDXGEN_DEBUG_MODE": ""}


# assay's own rows besides the default one (which remembers, as every later run of a user does,
# what it read from each unchanged distribution and license file): the same command with what
# it remembers turned off, to show what a first run costs
ASSAY_MODES = {
    "assay no-memo": {"ASSAY_INSTALLED_CACHE": "0"},  # license matches still remembered
    "assay cold": {"ASSAY_INSTALLED_CACHE": "0", "ASSAY_LICENSE_CACHE": "0"},  # nothing remembered
}


def env_of(name: str) -> dict[str, str]:
    return ENV | ASSAY_MODES.get(name, {})


def time_once(cmd: list[str], out: Path, env: dict[str, str] = ENV) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children)."""
    out.unlink(missing_ok=True)
    argv = [a.replace("{out}", str(out)) for a in cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def instructions_once(cmd: list[str], out: Path, env: dict[str, str] = ENV) -> int:
    """Instructions the process executed, counted by callgrind."""
    out.unlink(missing_ok=True)
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
            *[a.replace("{out}", str(out)) for a in cmd]]
    done = subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                          text=True)
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    raise SystemExit(f"valgrind printed no instruction count for {cmd[0]}")


def coverage(path: Path) -> dict[str, str]:
    doc = json.loads(path.read_text())
    comps = []

    def walk(items):
        for c in items or []:
            comps.append(c)
            walk(c.get("components"))

    walk(doc.get("components"))
    pkgs = [c for c in comps if (c.get("purl") or "").startswith("pkg:pypi/")]
    n = len(pkgs) or 1

    def pct(pred) -> str:
        k = sum(1 for c in pkgs if pred(c))
        return f"{k}/{len(pkgs)} ({100 * k // n}%)"

    edges = sum(len(d.get("dependsOn") or []) for d in doc.get("dependencies") or [])
    return {
        "pypi components": str(len(pkgs)),
        "hashes": pct(lambda c: c.get("hashes")),
        "licenses": pct(lambda c: c.get("licenses")),
        "supplier": pct(lambda c: (c.get("supplier") or {}).get("name")),
        "download location": pct(lambda c: any(r.get("type") == "distribution"
                                                for r in c.get("externalReferences") or [])),
        "CPE": pct(lambda c: c.get("cpe")),
        "dependency edges": str(edges),
        "bundled components": str(sum(1 for c in comps
                                      if not (c.get("purl") or "").startswith("pkg:pypi/"))),
    }


def same_output(outdir: Path, tools: dict[str, list[str]]) -> None:
    """Whether assay's rows wrote byte-identical documents (what it remembers never changes output)."""
    mine = [name for name in tools if name == "assay" or name in ASSAY_MODES]
    if len(mine) > 1:
        first = (outdir / "assay.json").read_bytes()
        same = all((outdir / f"{name}.json").read_bytes() == first for name in mine)
        print(f"\n{', '.join(mine)}: {'byte-identical documents' if same else 'DOCUMENTS DIFFER'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--assay", default=shutil.which("assay") or str(Path(sys.executable).parent / "assay"))
    ap.add_argument("--bundled", action="store_true", help="also look inside wheels (default: off, "
                    "so both tools do the same job)")
    ap.add_argument("--peers", default="", help="comma-separated peer names to run (default: all; "
                    "e.g. 'cdx-py no-val')")
    ap.add_argument("--instructions", action="store_true", help="count instructions with valgrind "
                    "(one run each after a warm-up) instead of timing")
    ap.add_argument("--cold", action="store_true", help="also run assay with what it remembers "
                    "between runs turned off ('assay no-memo': installed readings; 'assay cold': "
                    "license matches as well)")
    args = ap.parse_args()
    venv = ensure_venv()
    tools = {"assay": [args.assay, "-q", "sbom", str(venv), "-f", "cyclonedx-json", "--reproducible",
                       "-o", "{out}", *([] if args.bundled else ["--no-bundled"])]}
    if args.cold:
        tools.update({name: tools["assay"] for name in ASSAY_MODES})
    peers = ensure_peers()
    wanted = [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = [p for p in wanted if p not in peers]
    if unknown:
        ap.error(f"unknown peer {unknown[0]!r} (known: {', '.join(peers)})")
    tools.update({k: v for k, v in peers.items() if not wanted or k in wanted})
    n_dists = len(list(next(venv.glob("lib/python*/site-packages")).glob("*.dist-info")))
    print(f"venv: {n_dists} distributions; runs: {args.runs} (+1 warm-up), alternating")
    outdir = CACHE / "sbom-out"
    outdir.mkdir(exist_ok=True)
    times: dict[str, list[float]] = {name: [] for name in tools}
    cpus: dict[str, list[float]] = {name: [] for name in tools}
    for name, cmd in tools.items():  # warm-up
        time_once(cmd, outdir / f"{name}.json", env_of(name))
    if args.instructions:
        if not shutil.which("valgrind"):
            ap.error("--instructions needs valgrind (apt-get install valgrind)")
        counts = {name: instructions_once(cmd, outdir / f"{name}.json", env_of(name))
                  for name, cmd in tools.items()}
        print(f"\n{'tool':<14}{'instructions':>16}{'ratio':>10}   (tool/assay)")
        for name, n in counts.items():
            print(f"{name:<14}{n:>16,}{n / counts['assay']:>9.2f}x")
        same_output(outdir, tools)
        return 0
    for _ in range(args.runs):
        for name, cmd in tools.items():
            wall, cpu = time_once(cmd, outdir / f"{name}.json", env_of(name))
            times[name].append(wall)
            cpus[name].append(cpu)
    base, base_cpu = times["assay"], cpus["assay"]
    print(f"\n{'tool':<14}{'median s':>10}{'min':>8}{'max':>8}{'wall ratio':>12}{'CPU s':>8}{'CPU ratio':>11}"
          "   (ratios: tool/assay, median of pairs)")
    for name, ts in times.items():
        ratios = [t / a for t, a in zip(ts, base, strict=True)]
        cpu_ratios = [t / a for t, a in zip(cpus[name], base_cpu, strict=True)]
        print(f"{name:<14}{statistics.median(ts):>10.3f}{min(ts):>8.3f}{max(ts):>8.3f}"
              f"{statistics.median(ratios):>11.1f}x{statistics.median(cpus[name]):>8.3f}"
              f"{statistics.median(cpu_ratios):>10.1f}x")
    same_output(outdir, tools)
    print("\nfield coverage (python packages, from each tool's own CycloneDX output)")
    covs = {name: coverage(outdir / f"{name}.json") for name in tools}
    # assay after `assay provenance record` of the pip report (PEP 710), on a copy of the
    # .dist-info folders so the timed venv stays as pip left it
    meta_copy = CACHE / "sbom-provenance"
    shutil.rmtree(meta_copy, ignore_errors=True)
    site = next(venv.glob("lib/python*/site-packages"))
    target = meta_copy / site.relative_to(venv)
    for dist in site.glob("*.dist-info"):
        shutil.copytree(dist, target / dist.name)
    report = CACHE / "sbom-venv.report.json"
    subprocess.run([args.assay, "-q", "provenance", "record", str(report), str(target)], check=True)
    out = outdir / "assay+provenance.json"
    subprocess.run([args.assay, "-q", "sbom", str(target), "-f", "cyclonedx-json", "--no-bundled",
                    "-o", str(out)], check=True)
    covs["assay+provenance"] = coverage(out)
    fields = list(next(iter(covs.values())))
    print(f"{'field':<22}" + "".join(f"{name:>20}" for name in covs))
    for field in fields:
        print(f"{field:<22}" + "".join(f"{covs[name][field]:>20}" for name in covs))
    print("\nedges: assay evaluates markers for the target interpreter and follows only requested "
          "extras;\na tool that adds an edge for every installed Requires-Dist target counts more.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
