"""Benchmark: `assay advisory validate` against the PSF database's own check, in the same run.

Run from the project root with the dev venv:

    .venv/bin/python bench/advisory/bench_validate.py [--repeat 5] [--scale 10]

The PSF advisory database checks its records in CI with pre-commit's
``check-jsonschema --schemafile tools/osv-schema.json`` over ``advisories/*/*.json``.
The peer here is that tool (``check-jsonschema`` from PyPI, in its own venv under
``~/.cache/assay-fixtures/bench/check-jsonschema``) with the same OSV schema assay
ships, over the PSF database snapshot (132 records) and over a database SCALE times
larger (copies of the real records under new ids and aliases). Both run as fresh
processes, alternately; the median wall time of each and the ratio are printed,
with what each one reported.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
CACHE = Path(os.environ.get("ASSAY_FIXTURES")
             or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "assay-fixtures") / "bench"
PEER = "check-jsonschema==0.39.0"
SCHEMA = ROOT / "src" / "assay" / "data" / "schemas" / "osv-schema.json"


def peer_venv() -> Path:
    where = CACHE / "check-jsonschema"
    exe = where / "bin" / "check-jsonschema"
    if not exe.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(where)
        subprocess.run([str(where / "bin" / "python"), "-m", "pip", "-q", "install", PEER], check=True)
    return exe


def build_db(root: Path, scale: int) -> list[Path]:
    folder = root / "advisories" / "python"
    folder.mkdir(parents=True)
    base = sorted((DATA / "osv" / "psf" / "advisories" / "python").glob("*.json"))
    for path in base:
        shutil.copyfile(path, folder / path.name)
    for copy in range(1, scale):
        for path in base:
            doc = json.loads(path.read_text())
            year, n = doc["id"].split("-")[1:]
            doc["id"] = f"PSF-{year}-{int(n) + 1000 * copy}"
            # well-formed, unique CVE aliases for the copies (CVE-2023-6597 -> CVE-2023-1006597)
            doc["aliases"] = [f"{a.rsplit('-', 1)[0]}-{copy}{int(a.rsplit('-', 1)[1]):06d}"
                              for a in doc.get("aliases", []) if a.startswith("CVE-")]
            (folder / f"{doc['id']}.json").write_text(json.dumps(doc, indent=2))
    return sorted(folder.glob("*.json"))


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    peer = peer_venv()
    assay = [sys.executable, "-m", "assay", "-q", "advisory", "validate"]
    with tempfile.TemporaryDirectory(prefix="assay-bench-validate-") as tmp:
        for label, scale in (("PSF snapshot", 1), (f"x{args.scale}", args.scale)):
            root = Path(tmp) / label.replace(" ", "")
            files = build_db(root, scale)
            commands = {"assay": [*assay, str(root)],
                        "check-jsonschema": [str(peer), "--schemafile", str(SCHEMA), *map(str, files)]}
            times: dict[str, list[float]] = {k: [] for k in commands}
            last: dict[str, subprocess.CompletedProcess[str]] = {}
            for i in range(args.repeat):
                order = list(commands) if i % 2 == 0 else list(reversed(commands))
                for name in order:
                    took, last[name] = timed(commands[name])
                    times[name].append(took)
            a, p = statistics.median(times["assay"]), statistics.median(times["check-jsonschema"])
            print(f"== {label}: {len(files)} records, median of {args.repeat} runs ==")
            print(f"assay {a:.2f} s   check-jsonschema {p:.2f} s   assay/check-jsonschema = {a / p:.2f}")
            problems = [ln for ln in last["assay"].stdout.splitlines() if ln.strip()]
            print(f"  assay: exit {last['assay'].returncode}, {len(problems)} problems in "
                  f"{len({ln.split(': ')[0] for ln in problems})} files (schema + ids, aliases, dates)")
            peer_out = last["check-jsonschema"].stdout.strip().splitlines() or [""]
            print(f"  check-jsonschema: exit {last['check-jsonschema'].returncode}, {peer_out[-1]}")


if __name__ == "__main__":
    main()
