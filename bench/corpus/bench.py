"""Benchmark: corpus scans on dask.distributed, 1 vs 2 workers, and the cost of one artifact.

    python bench/corpus/bench.py                 # the pinned set in specs.txt (fetched once, cached)
    python bench/corpus/bench.py --download      # also time a fresh streaming download from PyPI
    python bench/corpus/bench.py --no-peer       # skip the per-wheel `assay sbom` peer
    python bench/corpus/bench.py --make-specs 60 # (re)pin specs.txt: newest release of the top 60

In one run, on the same real wheels (the newest release of the most downloaded projects,
``--pick best``: one wheel per release, pinned in specs.txt, fetched from PyPI once with
``assay corpus scan --keep`` and cached under ~/.cache/assay-fixtures/bench/corpus):
- corpus/1 and corpus/2: ``assay corpus scan FOLDER --out NEW_STORE --workers N`` (a LocalCluster of
  N single-thread worker processes), wall clock end to end and the scan phase alone;
- serial: the same catalogue call in one process, no Dask (the floor for the Python work);
- peer: ``assay sbom WHEEL -f json`` once per wheel, two at a time (what one does without corpus);
- the per-artifact split: download (streamed, sha256-checked), inflate (zipfile reads every
  member: the floor of any scan), catalogue, write (Parquet batch, amortised).
Prints ratios; quote those, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src")]
BIN = Path(sys.executable).parent
ASSAY = str(BIN / "assay")
FIXTURES = Path(os.environ.get("ASSAY_FIXTURES") or Path.home() / ".cache" / "assay-fixtures")
CACHE = FIXTURES / "bench" / "corpus"
SPECS = HERE / "specs.txt"
RANKING = Path("/work/.library/env/packages/pypi.tsv")


def make_specs(top: int, ranking: Path) -> None:
    """Pin the newest release of the ``top`` most downloaded projects that have a wheel."""
    from assay.corpus.index import Index
    from assay.corpus.plan import read_ranking

    idx = Index(pick="best")
    lines = [f"# newest release of the {top} most downloaded projects with a wheel, pinned "
             f"{datetime.now(UTC).date()} (bench/corpus/bench.py --make-specs {top})"]
    for spec in read_ranking(ranking, top * 2):
        items, _ = idx.release(spec)
        if items and items[0].filename.endswith(".whl"):
            lines.append(f"{items[0].project}=={items[0].version}")
        if len(lines) > top:
            break
    SPECS.write_text("\n".join(lines) + "\n")
    print(f"pinned {len(lines) - 1} projects in {SPECS}")


def scan(source: str, store: Path, *extra: str) -> dict[str, float]:
    """One `assay corpus scan`: wall seconds, the tasks phase (from its summary line: first task
    submitted to last result, no cluster start-up) and the CPU seconds of it and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([ASSAY, "corpus", "scan", source, "--out", str(store), *extra],
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "300"})
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 3):
        sys.exit(f"assay corpus scan failed ({proc.returncode}): {proc.stderr}")
    m = re.search(r"tasks ([0-9.]+) s", proc.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "tasks": float(m.group(1)) if m else float("nan"), "cpu": cpu}


def store_rows(store: Path) -> list[dict]:
    from assay.corpus.query import run_sql
    from assay.corpus.store import open_store

    cols, rows = run_sql(open_store(store), "SELECT * FROM distributions")
    return [dict(zip(cols, r, strict=True)) for r in rows]


def inflate(paths: list[Path]) -> dict[str, float]:
    out = {}
    for p in paths:
        t = time.perf_counter()
        with zipfile.ZipFile(p) as zf:
            for info in zf.infolist():
                zf.read(info)
        out[p.name] = time.perf_counter() - t
    return out


def serial(paths: list[Path]) -> tuple[float, float, dict[str, float]]:
    """(catalogue seconds, write seconds, per-file catalogue seconds): one process, no Dask."""
    from assay import catalog
    from assay.corpus.plan import Item, sha256_file
    from assay.corpus.rows import rows_for
    from assay.corpus.store import CorpusStore

    per: dict[str, float] = {}
    results = []
    t0 = time.perf_counter()
    for p in paths:
        t = time.perf_counter()
        graph = catalog.load(p, bundled=True)
        per[p.name] = time.perf_counter() - t
        item = Item(filename=p.name, sha256=sha256_file(p), size=p.stat().st_size, path=str(p))
        results.append(rows_for(item, graph, [], error=None, times={"scan_s": per[p.name]},
                                worker="serial", started=datetime.now(UTC)))
    cat = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        store = CorpusStore(Path(tmp) / "s", create=True)
        t = time.perf_counter()
        for i in range(0, len(results), 64):  # the scan's batches, 64 at a time here
            store.write_batch(results[i:i + 64])
        write = time.perf_counter() - t
    return cat, write, per


def peer(paths: list[Path]) -> float:
    def one(p: Path) -> None:
        proc = subprocess.run([ASSAY, "-q", "sbom", str(p), "-f", "json", "-o", os.devnull],
                              capture_output=True, text=True)
        if proc.returncode not in (0, 3):
            raise RuntimeError(f"assay sbom {p.name}: {proc.stderr}")

    t = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, paths))
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--make-specs", type=int, metavar="N")
    ap.add_argument("--download", action="store_true", help="time a fresh download of every file")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="best of N for the 1- and 2-worker scans")
    ap.add_argument("--set", choices=["top", "bundled"], default="top",
                    help="top: specs.txt (default); bundled: the 49 binary-heavy wheels of bench/bundled")
    args = ap.parse_args()
    if args.make_specs:
        make_specs(args.make_specs, RANKING)
        return 0
    CACHE.mkdir(parents=True, exist_ok=True)
    downloads: dict[str, list] = {}
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
        tmp = Path(tmp)
        if args.set == "bundled":
            # the binary-heavy set of bench/bundled (native libraries in every wheel)
            sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "enrich")]
            from bundled_wheelset import WHEELS

            from pypi import pypi_file

            wheels = CACHE / "bundled"
            wheels.mkdir(exist_ok=True)
            for name, digest in WHEELS.items():
                link = wheels / name
                if not link.exists():
                    link.symlink_to(pypi_file(name, digest))
            paths = sorted(wheels.iterdir())
            label = "tests/enrich/bundled_wheelset.py"
        else:
            # 1. the corpus itself: fetched once (streamed, sha256-checked) into the cache
            wheels = CACHE / "wheels"
            scan(str(SPECS), tmp / "fetch", "--keep", str(wheels), "--workers", "2")
            names = {r["filename"] for r in store_rows(tmp / "fetch") if r["status"] == "ok"}
            paths = sorted(p for p in wheels.iterdir() if p.name in names)
            label = SPECS.name
            dl_times = CACHE / "download.json"
            if args.download or not dl_times.exists():
                store = tmp / "download"
                run = scan(str(SPECS), store, "--workers", "2")
                rows = store_rows(store)
                dl_times.write_text(json.dumps({r["filename"]: [r["fetch_s"], r["size"]] for r in rows}))
                print(f"download: fresh scan from PyPI (2 workers, nothing kept) {run['wall']:.1f} s wall")
            downloads = json.loads(dl_times.read_text())
        size = sum(p.stat().st_size for p in paths)
        print(f"corpus: {len(paths)} wheels, {size / 1e6:.0f} MB, from {label}")

        # 2. the scaling runs: the same folder, a new store each time, best of --repeat
        results: dict[int, dict[str, float]] = {}
        busy: dict[int, float] = {}
        for workers in (1, 2):
            best = None
            for r in range(args.repeat):
                store = tmp / f"w{workers}-{r}"
                run = scan(str(wheels), store, "--workers", str(workers), "--batch-size", "64")
                rows = store_rows(store)
                work = sum(x["fetch_s"] + x["scan_s"] for x in rows)
                if best is None or run["tasks"] < best["tasks"]:
                    best = run
                    busy[workers] = work / (workers * run["tasks"])
                    if workers == 1:
                        one_worker_rows = rows
            results[workers] = best
        # 3. one process, no Dask; the inflate floor; the write cost
        infl = inflate(paths)
        cat, write, per_cat = serial(paths)
        peer_s = None if args.no_peer else peer(paths)

    n = len(paths)
    w1, w2 = results[1], results[2]
    print()
    print(f"{'run':<34}{'wall s':>8}{'/s':>7}{'tasks s':>9}{'/s':>7}{'cpu s':>8}{'busy':>7}")
    for label, w, r in (("corpus, 1 worker", 1, w1), ("corpus, 2 workers", 2, w2)):
        print(f"{label:<34}{r['wall']:>8.1f}{n / r['wall']:>7.2f}{r['tasks']:>9.1f}{n / r['tasks']:>7.2f}"
              f"{r['cpu']:>8.1f}{busy[w]:>7.0%}")
    print(f"{'serial catalogue (1 process)':<34}{cat:>8.1f}{n / cat:>7.2f}")
    if peer_s is not None:
        print(f"{'peer: assay sbom per wheel, x2':<34}{peer_s:>8.1f}{n / peer_s:>7.2f}")
    print()
    print(f"scaling 1 -> 2 workers: {w1['tasks'] / w2['tasks']:.2f}x in the tasks phase, "
          f"{w1['wall'] / w2['wall']:.2f}x end to end (cluster start-up included)")
    print(f"tasks phase, 1 worker / serial catalogue: {w1['tasks'] / cat:.2f}x")
    if peer_s is not None:
        print(f"peer (per-wheel assay sbom, 2 at a time) / corpus 2 workers end to end: "
              f"{peer_s / w2['wall']:.2f}x")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    dl = [downloads[p.name][0] for p in paths if p.name in downloads]
    dl_bytes = sum(downloads[p.name][1] or 0 for p in paths if p.name in downloads)
    cats = [r["scan_s"] for r in one_worker_rows]
    print()
    print("per artifact (mean / median seconds):")
    dl = dl or [float("nan")]
    split = {
        "download (streamed, sha256)": dl,
        "inflate (every member, floor)": [infl[p.name] for p in paths],
        "catalogue (worker, 1 worker run)": cats,
        "catalogue (serial, in-process)": [per_cat[p.name] for p in paths],
        "write (Parquet, amortised)": [write / n],
    }
    for label, xs in split.items():
        print(f"  {label:<36}{statistics.fmean(xs):>8.3f} {statistics.median(xs):>8.3f}")
    if len(dl) > 2 and dl_bytes:
        pts = [(downloads[p.name][1] / 1e6, downloads[p.name][0]) for p in paths if p.name in downloads]
        mx = statistics.fmean(x for x, _ in pts)
        my = statistics.fmean(y for _, y in pts)
        slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
        print(f"  download fit: {my - slope * mx:.3f} s per file + {slope * 1000:.1f} ms per MB "
              f"({1 / slope:.0f} MB/s once a stream is going)")
    if dl_bytes:
        print(f"  download rate: {dl_bytes / sum(dl) / 1e6:.1f} MB/s per stream, "
              f"mean artifact {size / n / 1e6:.1f} MB")
    total = statistics.fmean(dl) + statistics.fmean(cats) + write / n
    print(f"  sum per artifact (download + catalogue + write): {total:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
