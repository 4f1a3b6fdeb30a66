"""Recall of proven versions and wrong versions, per platform, on the tuned and the untuned wheel sets.

    python bench/bundled/measure.py            # both sets
    python bench/bundled/measure.py --untuned  # only the wheels the rules were never tuned on

- tuned: the wheel set of tests/enrich/bundled_wheelset.py (EXPECTED, UNPROVEN), which the rules
  were written and fixed against;
- untuned: bench/bundled/untuned.json (and untuned2.json ... untuned6.json: later macOS
  batches, each chosen by the same kind of rule after the rules were last changed; untuned5's
  and untuned6's rules are in untuned5-rule.md and untuned6-rule.md), wheels
  chosen by a fixed rule before the rules were looked at against them (newest releases of projects outside the
  tuning set and, for Windows and macOS, of projects ranked below the corpus's top 100), each
  library's version established without assay: runtime calls of the library's own version
  function via ctypes in a throwaway venv (Linux), strings, VERSIONINFO read with strings -el,
  disassembly (objdump); "how" says which per wheel.

A version is found when a native-library component (not a Rust crate, not a claim copied from
an embedded SBOM) has that library's name and exactly that version; names compare without
"lib" and punctuation, a git description "-0-g<hash>" is its release and a fourth ".0" is
dropped. A version is wrong when a library of the truth (or one listed as unproven) is
reported with a version the truth does not have.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "tests" / "enrich")]
CACHE = Path.home() / ".cache" / "assay-corpus" / "untuned"
# batches from the seventh on keep their wheels in a folder of their own (untuned7/, ...)
OWN_FOLDER_FROM = 7


# a wheel whose name has no platform tag (py3-none-any carrying Windows DLLs) counts on the
# platform its truth file files it under
PLATFORM_OF_FILE: dict[str, str] = {}


def platform_of(filename: str) -> str:
    if filename in PLATFORM_OF_FILE:
        return PLATFORM_OF_FILE[filename]
    if "win_amd64" in filename or "win32" in filename:
        return "win"
    if "macosx" in filename:
        return "mac"
    return "linux"


def norm_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()).removeprefix("lib")


def norm_version(version: str) -> str:
    v = re.sub(r"-0-g[0-9a-f]{6,40}$", "", version)
    parts = v.split(".")
    while len(parts) > 3 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


def found_pairs(path: Path) -> set[tuple[str, str | None]]:
    from assay.catalog.artifact import catalog_artifact

    graph = catalog_artifact(path)
    pairs = set()
    for c in graph.packages(["native-library"]):
        if c.purl.startswith("pkg:cargo/") or c.found_by == "bundled.pep770":
            continue
        # one library in several files is one component that keeps the other files' names
        # (libwebp also named libwebpmux, libwebpdemux: one CPE, one version)
        also = [n.strip() for n in (c.prop("assay:also-named") or "").split(",") if n.strip()]
        for name in (c.name, *also):
            pairs.add((norm_name(name), norm_version(c.version) if c.version else None))
    return pairs


def score(path: Path, truth: set[tuple[str, str]],
          unproven: set[str]) -> tuple[int, int, list[str], list[str]]:
    got = found_pairs(path)
    want = {(norm_name(n), norm_version(v)) for n, v in truth}
    hit = want & got
    versions = defaultdict(set)
    for n, v in want:
        versions[n].add(v)
    wrong = sorted(f"{n} {v} (truth {sorted(versions[n])})" for n, v in got
                   if v is not None and n in versions and v not in versions[n])
    gone = {norm_name(u) for u in unproven}
    wrong += sorted(f"{n} {v} (unproven)" for n, v in got if v is not None and n in gone)
    missed = sorted(f"{n} {v}" for n, v in want - got)
    return len(hit), len(want), wrong, missed


def tuned_set() -> dict[str, tuple[Path, set, set]]:
    from bundled_wheelset import EXPECTED, UNPROVEN, WHEELS

    from pypi import pypi_file

    return {name: (pypi_file(name, WHEELS[name]), EXPECTED[name], UNPROVEN.get(name, set()))
            for name in sorted(EXPECTED)}


# the later batches, each chosen by its own rule file (untunedN-rule.md)
LATER_BATCHES = [
    ("untuned7.json", "seventh batch, Linux and Windows"),
    ("untuned8.json", "eighth batch, Linux and Windows"),
    ("untuned9.json", "ninth batch, macOS"),
    ("untuned10.json", "tenth batch, Linux and Windows"),
    ("untuned11.json", "eleventh batch, macOS"),
    ("untuned12.json", "twelfth batch, Linux and Windows"),
    ("untuned13.json", "thirteenth batch, macOS"),
    ("untuned14.json", "fourteenth batch, Windows"),
    ("untuned15.json", "fifteenth batch, Linux"),
    ("untuned16.json", "sixteenth batch, Windows"),
    ("untuned17.json", "seventeenth batch, macOS"),
    ("untuned18.json", "eighteenth batch, Linux"),
    ("untuned19.json", "nineteenth batch, macOS"),
    ("untuned20.json", "twentieth batch, Windows"),
    ("untuned21.json", "twenty-first batch, Linux"),
    ("untuned22.json", "twenty-second batch, newer releases of tuned projects"),
    ("untuned23.json", "twenty-third batch, Windows and macOS, unranked projects"),
    ("untuned24.json", "twenty-fourth batch, newer releases of tuned projects, Windows and macOS"),
    ("untuned25.json", "twenty-fifth batch, Linux, unranked projects"),
    ("untuned26.json", "twenty-sixth batch, Linux, unranked projects"),
    ("untuned27.json", "twenty-seventh batch, Windows, unranked projects"),
    ("untuned28.json", "twenty-eighth batch, macOS, unranked projects"),
    ("untuned29.json", "twenty-ninth batch, all three platforms, unranked projects, hold-out set"),
    ("untuned30.json", "thirtieth batch, all three platforms, unranked projects, hold-out set"),
    ("untuned31.json", "thirty-first batch, all three platforms, unranked projects, hold-out set"),
    ("untuned32.json", "thirty-second batch, all three platforms, unranked projects, hold-out set"),
    ("untuned33.json", "thirty-third batch, all three platforms, unranked projects, hold-out set"),
    ("untuned34.json", "thirty-fourth batch, all three platforms, unranked projects, hold-out set"),
    ("untuned35.json", "thirty-fifth batch, all three platforms, unranked projects, hold-out set"),
    ("untuned36.json", "thirty-sixth batch, all three platforms, unranked projects, hold-out set"),
    ("untuned37.json", "thirty-seventh batch, all three platforms, unranked projects, hold-out set"),
    ("untuned38.json", "thirty-eighth batch, all three platforms, unranked projects, hold-out set"),
    ("untuned39.json", "thirty-ninth batch, all three platforms, unranked projects (F1 only), hold-out set"),
    ("untuned40.json", "fortieth batch, all three platforms, unranked projects (F1 only), hold-out set"),
    ("untuned41.json", "forty-first batch, all three platforms, unranked projects of 2022-2023 (F1 only), "
     "hold-out set"),
    ("untuned42.json", "forty-second batch, all three platforms, unranked projects of 2022-2023 (F1 only), "
     "hold-out set"),
    ("untuned43.json", "forty-third batch, all three platforms, unranked projects of 2020-2021, "
     "hold-out set"),
    ("untuned44.json", "forty-fourth batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned45.json", "forty-fifth batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned46.json", "forty-sixth batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned47.json", "forty-seventh batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned48.json", "forty-eighth batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned49.json", "forty-ninth batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned50.json", "fiftieth batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned51.json", "fifty-first batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned52.json", "fifty-second batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned53.json", "fifty-third batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned54.json", "fifty-fourth batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned55.json", "fifty-fifth batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned56.json", "fifty-sixth batch, all three platforms, unranked projects (F2 only), hold-out set"),
    ("untuned57.json", "fifty-seventh batch, three platforms, unranked, 2022-2023 (F2 only), hold-out set"),
    ("untuned58.json", "fifty-eighth batch, three platforms, unranked, 2022-2023 (F2 only), hold-out set"),
    ("untuned59.json", "fifty-ninth batch, three platforms, unranked, 2022-2023 (F2 only), hold-out set"),
]


def _cache_of(file: str) -> Path:
    n = re.fullmatch(r"untuned([0-9]+)\.json", file)
    if n and int(n.group(1)) >= OWN_FOLDER_FROM:
        return Path.home() / ".cache" / "assay-corpus" / file.removesuffix(".json")
    return CACHE


def untuned_set(file: str = "untuned.json") -> dict[str, tuple[Path, set, set]]:
    from assay import net

    doc = json.loads((HERE / file).read_text())
    out = {}
    for plat, wheels in doc.items():
        for name, w in sorted(wheels.items()):
            dest = _cache_of(file) / plat / name
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                net.download(w["url"], dest, sha256=w["sha256"], timeout=120)
            out[name] = (dest, {tuple(t) for t in w["truth"]}, set(w["unproven"]))
            PLATFORM_OF_FILE[name] = plat
    return out


def report(label: str, wheels: dict[str, tuple[Path, set, set]], verbose: bool) -> None:
    per = defaultdict(lambda: [0, 0, 0, 0])  # hits, total, wrong, wheels
    for name, (path, truth, unproven) in wheels.items():
        hit, total, wrong, missed = score(path, truth, unproven)
        p = per[platform_of(name)]
        p[0] += hit
        p[1] += total
        p[2] += len(wrong)
        p[3] += 1
        if verbose and (wrong or missed):
            print(f"  {name}: {hit}/{total}" + (f"; WRONG {wrong}" if wrong else "") +
                  (f"; missed {missed}" if missed else ""))
    print(f"{label}:")
    for plat in ("linux", "win", "mac"):
        if plat in per:
            hit, total, wrong, n = per[plat]
            share = 100 * hit / max(total, 1)
            print(f"  {plat:6} {n:3} wheels  {hit:4}/{total:<4} = {share:5.1f}% found exactly, {wrong} wrong")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--untuned", action="store_true", help="only the untuned set")
    ap.add_argument("--only", metavar="FILE", help="only this untuned file (e.g. untuned6.json)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and wrong versions per wheel")
    args = ap.parse_args()
    if args.only:
        report(f"untuned (bench/bundled/{args.only})", untuned_set(args.only), args.verbose)
        return
    if not args.untuned:
        report("tuned (tests/enrich/bundled_wheelset.py)", tuned_set(), args.verbose)
    report("untuned (bench/bundled/untuned.json)", untuned_set(), args.verbose)
    report("untuned, second batch (bench/bundled/untuned2.json)", untuned_set("untuned2.json"), args.verbose)
    report("untuned, third batch (bench/bundled/untuned3.json)", untuned_set("untuned3.json"), args.verbose)
    report("untuned, fourth batch (bench/bundled/untuned4.json)", untuned_set("untuned4.json"), args.verbose)
    report("untuned, fifth batch (bench/bundled/untuned5.json)", untuned_set("untuned5.json"), args.verbose)
    report("untuned, sixth batch (bench/bundled/untuned6.json)", untuned_set("untuned6.json"), args.verbose)
    for file, label in LATER_BATCHES:
        report(f"untuned, {label} (bench/bundled/{file})", untuned_set(file), args.verbose)


if __name__ == "__main__":
    main()
