"""Benchmark: advisory import and warm audit, against a naive reference in the same run.

    .venv/bin/python bench/vulndb/bench.py [--data ../shared/data] [--runs 5]

1. Import all of the data folder into a fresh SQLite store (median of --import-runs)
   vs. the naive reference: parse every advisory file into memory (PyYAML/json).
2. Audit a 300-component inventory (PyPI packages at versions taken from the data,
   native libraries by CPE, CPython), warm, median of --runs
   vs. the naive reference: keep every advisory in memory and test each component
   against each advisory. Both must produce the same (component, advisory) pairs.

Targets (issue 4): import >= 2,000 advisories/s; warm audit of 300 components <= 50 ms.
pip-audit is not compared: it cannot run without the network, and this benchmark
makes no network calls.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from assay.audit import audit_graph  # noqa: E402
from assay.model import Component, Graph, Kind, make_id  # noqa: E402
from assay.vulndb import Store, import_paths  # noqa: E402
from assay.vulndb.ranges import split_cpe  # noqa: E402
from assay.vulndb.versions import native_compare  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process and its (finished) children: the import's parse workers."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


CPU: dict[str, float] = {}


def median_time(fn: Callable[[], object], runs: int, label: str = "") -> tuple[float, object]:
    """Median wall time; the median CPU time goes to CPU[label] (the machine may be shared:
    CPU time shows what contention does to the wall figures)."""
    times = []
    cpus = []
    result: object = None
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu()
        result = fn()
        times.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    if label:
        CPU[label] = statistics.median(cpus)
    return statistics.median(times), result


# -- the naive reference ----------------------------------------------------------

def naive_load(data: Path) -> list[dict]:
    """Every advisory file parsed into memory, nothing else."""
    out = []
    for path in sorted(data.rglob("*")):
        if path.suffix == ".yaml":
            out.append(yaml.safe_load(path.read_text()))
        elif path.suffix == ".json" and ("osv" in path.parts or "nvd" in path.parts):
            doc = json.loads(path.read_text())
            if isinstance(doc, dict) and ("affected" in doc or "configurations" in doc):
                out.append(doc)
    return out


def _v(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def naive_match(advisories: list[dict], components: list[Component]) -> set[tuple[str, str]]:
    """Each component against each advisory (PyPI ranges and NVD CPE bounds only)."""
    out = set()
    for comp in components:
        for adv in advisories:
            if adv.get("withdrawn"):
                continue
            if comp.kind == Kind.PYTHON_PACKAGE:
                v = _v(comp.version or "")
                for aff in adv.get("affected", []):
                    pkg = aff.get("package") or {}
                    if pkg.get("ecosystem") != "PyPI" or canonicalize_name(pkg.get("name", "")) != \
                            canonicalize_name(comp.name):
                        continue
                    hit = any(_v(str(x)) == v for x in aff.get("versions", []))
                    for rng in aff.get("ranges", []):
                        if rng["type"] != "ECOSYSTEM":
                            continue
                        events = [(k, str(val)) for e in rng["events"] for k, val in e.items()]
                        if any(val != "0" and not _v(val) for _, val in events):
                            continue  # cannot be walked: undecided, not a match
                        events.sort(key=lambda e: (Version("0") if e[1] == "0" else Version(e[1]),
                                                   e[0] != "introduced"))
                        state = False
                        for kind, val in events:
                            bound = Version("0") if val == "0" else Version(val)
                            if kind == "introduced" and v >= bound:
                                state = True
                            elif (kind == "fixed" and v >= bound) or (kind == "last_affected" and v > bound):
                                state = False
                        hit = hit or state
                    if hit:
                        out.add((comp.id, adv["id"]))
            elif comp.kind == Kind.NATIVE_LIBRARY and "configurations" in adv:
                _, vendor, product, version = split_cpe(comp.cpes[0])  # type: ignore[misc]
                for config in adv["configurations"]:
                    for node in config["nodes"]:
                        for m in node["cpeMatch"]:
                            parts = split_cpe(m["criteria"])
                            if not m["vulnerable"] or parts is None or parts[1:3] != (vendor, product):
                                continue
                            exact = parts[3] if parts[3] not in ("*", "-") else None
                            c = native_compare
                            ok = (c(version, exact) == 0) if exact else (
                                (m.get("versionStartIncluding") is None
                                 or c(version, m["versionStartIncluding"]) >= 0)
                                and (m.get("versionStartExcluding") is None
                                     or c(version, m["versionStartExcluding"]) > 0)
                                and (m.get("versionEndIncluding") is None
                                     or c(version, m["versionEndIncluding"]) <= 0)
                                and (m.get("versionEndExcluding") is None
                                     or c(version, m["versionEndExcluding"]) < 0))
                            if ok:
                                out.add((comp.id, adv["id"]))
    return out


# -- the inventory ------------------------------------------------------------------

NATIVE = [("openssl", "openssl", "1.1.1k"), ("openssl", "openssl", "3.0.6"),
          ("webmproject", "libwebp", "1.3.1"), ("zlib", "zlib", "1.2.11"), ("xmlsoft", "libxml2", "2.10.2"),
          ("libexpat_project", "libexpat", "2.4.1"), ("sqlite", "sqlite", "3.39.0"),
          ("tukaani", "xz", "5.6.1"), ("freetype", "freetype", "2.11.1"), ("libtiff", "libtiff", "4.4.0")]


def inventory(data: Path, size: int = 300, seed: int = 7) -> Graph:
    rng = random.Random(seed)
    graph = Graph()
    folders = sorted(f for f in (data / "osv" / "pypa" / "vulns").iterdir() if any(f.glob("*.yaml")))
    for vendor, product, version in NATIVE:
        graph.add(Component(make_id(Kind.NATIVE_LIBRARY, product, version), Kind.NATIVE_LIBRARY, product,
                            version, cpes=(f"cpe:2.3:a:{vendor}:{product}:{version}:*:*:*:*:*:*:*",)))
    graph.add(Component(make_id(Kind.INTERPRETER, "cpython", "3.10.8"), Kind.INTERPRETER,
                        "cpython", "3.10.8"))
    for folder in rng.sample(folders, size - len(graph)):
        first = yaml.safe_load(next(iter(sorted(folder.glob("*.yaml")))).read_text())
        aff = first["affected"][0]
        versions = [str(v) for v in aff.get("versions", []) if _v(str(v))] or ["1.0"]
        version = rng.choice(versions)
        name = aff["package"]["name"]
        graph.add(Component(make_id(Kind.PYTHON_PACKAGE, canonicalize_name(name), version),
                            Kind.PYTHON_PACKAGE, name, version,
                            purl=f"pkg:pypi/{canonicalize_name(name)}@{version}"))
    return graph


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=3)
    args = parser.parse_args()
    data: Path = args.data
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(1000))

        def do_import() -> int:
            with Store(Path(tmp) / f"import-{next(counter)}.sqlite") as store:
                return sum(s.records for s in import_paths(store, [data]))

        load = os.getloadavg()[0]
        t_import, n = median_time(do_import, args.import_runs, "import")
        t_naive_load, loaded = median_time(lambda: naive_load(data), 1, "naive_load")
        n = int(n)  # type: ignore[call-overload]
        n_naive = len(loaded)  # type: ignore[arg-type]
        print(f"machine  {os.cpu_count()} CPUs, load average {load:.2f} at start")
        print(f"import   {n} advisories, median of {args.import_runs}: assay {t_import:.2f} s wall = "
              f"{n / t_import:,.0f} advisories/s (target >= 2,000; "
              f"CPU {CPU['import']:.2f} s in all processes = {n / CPU['import']:,.0f} advisories per CPU-s); "
              f"naive parse-only {t_naive_load:.2f} s = {n_naive / t_naive_load:,.0f}/s; "
              f"ratio naive/assay {t_naive_load / t_import:.2f}x")

        db = Path(tmp) / "import-0.sqlite"
        graph = inventory(data)
        comps = list(graph)
        audit_graph(graph, db=db)  # warm: page cache, parsed-range caches
        t_audit, result = median_time(lambda: audit_graph(graph, db=db), args.runs, "audit")
        with Store(db) as store:
            t_audit_open, _ = median_time(lambda: audit_graph(graph, store=store), args.runs)
        advisories: list[dict] = loaded  # type: ignore[assignment]
        t_naive, naive_pairs = median_time(lambda: naive_match(advisories, comps), 1, "naive")
        print(f"audit    {len(comps)} components, warm, median of {args.runs}: "
              f"assay {t_audit * 1000:.1f} ms wall "
              f"(CPU {CPU['audit'] * 1000:.1f} ms; store already open: {t_audit_open * 1000:.1f} ms; "
              f"target <= 50 ms); naive every-advisory x every-component {t_naive * 1000:.0f} ms; "
              f"ratio naive/assay {t_naive / t_audit:.0f}x")
        from assay.vulndb.match import AdvisoryMatcher

        with Store(db) as store:
            hits, _, _ = AdvisoryMatcher(store).match(c for c in comps if c.kind != Kind.INTERPRETER)
        ours = {(h.component.id, h.advisory) for h in hits if h.source != "cve5"}
        agree = "agree" if ours == naive_pairs else f"DIFFER ({len(ours ^ naive_pairs)} pairs)"
        print(f"check    findings {len(result.findings)} (aliases merged), {len(ours)} component/advisory "  # type: ignore[union-attr]
              f"pairs; assay and naive reference {agree}")
        return 0 if ours == naive_pairs else 1


if __name__ == "__main__":
    raise SystemExit(main())
