"""Benchmark: `assay advisory import-cve` against the PSF's own importer, in the same run.

Run from the project root with the dev venv:

    git clone https://github.com/psf/advisory-database /tmp/psf-advisory-database
    .venv/bin/python bench/advisory/bench_advisory.py --psf-repo /tmp/psf-advisory-database \
        [--repeat 5] [--scale 10]

The peer is the PSF advisory database's ``tools/import-from-cve.py`` (with its
``osv_utils.py``), read at run time from a checkout or bare clone of
psf/advisory-database (``--psf-repo``; nothing of it is copied into assay). Its
CVE Services client is replaced by the local records: the script's own
``update_osv_from_cve(cve_id, record)`` is called for each CVE, as its ``main()``
does after fetching them. Its ``import cvelib``/``urllib3`` are satisfied by stand-in
modules because no network is used.

Workloads (both importers get the same CPython CVE records and the same database):

1. sync: the PSF CNA's 11 CPython CVE records (../shared/data/psf-cna/cve5) into
   the PSF database snapshot (132 records) plus the PSF's records of those CVEs;
   first run, then the nightly re-run with nothing changed.
2. scale: the same, with the database grown to SCALE times its size (copies of the
   real records under new ids and aliases) -- the PSF's importer reads every
   record of the folder once per CVE.

Besides time it prints what each run wrote and the fields the issue names:
records with ``cwe_ids`` equal to the CVE's CWEs, records with a ``summary``, and
whether ids, aliases, details, events and typed references agree between the two.
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
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"


def psf_tools(repo: Path, into: Path) -> Path:
    """tools/import-from-cve.py and tools/osv_utils.py from a checkout or a bare clone."""
    into.mkdir(parents=True, exist_ok=True)
    for name in ("import-from-cve.py", "osv_utils.py"):
        if (repo / "tools" / name).is_file():
            shutil.copyfile(repo / "tools" / name, into / name)
        else:
            text = subprocess.run(["git", f"--git-dir={repo}", "show", f"HEAD:tools/{name}"], check=True,
                                  capture_output=True, text=True).stdout
            (into / name).write_text(text)
    return into


def load_psf_importer(tools: Path, advisories: Path) -> types.ModuleType:
    cvelib = types.ModuleType("cvelib")
    api = types.ModuleType("cvelib.cve_api")

    class CveApi:  # the records come from files, not from CVE Services
        def __init__(self, **_: object) -> None:
            pass

    api.CveApi = CveApi  # type: ignore[attr-defined]
    cvelib.cve_api = api  # type: ignore[attr-defined]
    sys.modules["cvelib"], sys.modules["cvelib.cve_api"] = cvelib, api
    try:
        import urllib3  # noqa: F401
    except ImportError:
        stub = types.ModuleType("urllib3")
        stub.PoolManager = lambda *a, **k: None  # type: ignore[attr-defined]
        sys.modules["urllib3"] = stub
    os.environ.setdefault("CVE_API_TOKEN", "unused")
    os.environ.setdefault("CVE_USERNAME", "unused")
    sys.path.insert(0, str(tools))
    spec = importlib.util.spec_from_file_location("psf_import_from_cve", tools / "import-from-cve.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ADVISORIES_DIR = advisories
    module.osv_utils.ADVISORIES_DIR = advisories
    return module


def cpython_cves() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((DATA / "psf-cna" / "cve5").glob("*.json")):
        doc = json.loads(path.read_text())
        if any(a.get("product") == "CPython" for a in doc["containers"]["cna"]["affected"]):
            out.append((doc["cveMetadata"]["cveId"], doc))
    return out


def build_db(root: Path, scale: int) -> Path:
    """advisories/python/: the snapshot, the PSF's records of the CNA CVEs, and scale-1 renamed copies."""
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
    for path in sorted((DATA / "psf-cna" / "osv").glob("*.json")):
        shutil.copyfile(path, folder / path.name)
    return root


def files_state(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.json"))}


def run_psf(tools: Path, db: Path, cves: list[tuple[str, dict]]) -> float:
    module = load_psf_importer(tools, db / "advisories")
    start = time.perf_counter()
    for cve_id, record in cves:
        module.update_osv_from_cve(cve_id, record)
    return time.perf_counter() - start


def run_assay(db: Path, files: list[Path]) -> float:
    from assay.advisory.database import Database
    from assay.advisory.importer import import_files

    start = time.perf_counter()
    import_files(Database(db), files)
    return time.perf_counter() - start


def quality(db: Path, cves: list[tuple[str, dict]]) -> dict[str, int]:
    by_alias = {}
    for path in (db / "advisories" / "python").glob("*.json"):
        doc = json.loads(path.read_text())
        for alias in doc.get("aliases", []):
            by_alias[alias] = doc
    cwe = summary = 0
    for cve_id, record in cves:
        doc = by_alias[cve_id]
        want = [d["cweId"] for p in record["containers"]["cna"].get("problemTypes", [])
                for d in p["descriptions"] if "cweId" in d]
        cwe += doc.get("database_specific", {}).get("cwe_ids") == want and bool(want)
        summary += bool(doc.get("summary"))
    return {"cwe_ids filled": cwe, "with CWEs in the CVE": sum(
        1 for _, r in cves if any("cweId" in d for p in r["containers"]["cna"].get("problemTypes", [])
                                  for d in p["descriptions"])), "summary": summary}


def agree(a: Path, b: Path, cves: list[tuple[str, dict]]) -> int:
    def index(db: Path) -> dict[str, dict]:
        out = {}
        for path in (db / "advisories" / "python").glob("*.json"):
            doc = json.loads(path.read_text())
            for alias in doc.get("aliases", []):
                out[alias] = doc
        return out

    ia, ib = index(a), index(b)
    keys = ("id", "aliases", "details", "affected", "references")
    return sum(all(ia[c].get(k) == ib[c].get(k) for k in keys) for c, _ in cves)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--psf-repo", type=Path, required=True,
                        help="a checkout or bare clone of psf/advisory-database")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    if not args.psf_repo.exists():
        sys.exit(f"{args.psf_repo}: give --psf-repo, a checkout or bare clone of psf/advisory-database")
    import assay.advisory.importer  # noqa: F401  (imported before timing, as the peer's module is)

    cves = cpython_cves()
    files = [DATA / "psf-cna" / "cve5" / f"{c}.json" for c, _ in cves]
    with tempfile.TemporaryDirectory(prefix="assay-bench-advisory-") as tmp:
        work = Path(tmp)
        tools = psf_tools(args.psf_repo, work / "tools")
        print(f"{len(cves)} CPython CVE records of the PSF CNA; "
              f"peer: {args.psf_repo} tools/import-from-cve.py")
        for label, scale in (("sync", 1), (f"scale x{args.scale}", args.scale)):
            times: dict[str, list[float]] = {"psf first": [], "assay first": [], "psf rerun": [],
                                             "assay rerun": []}
            written: dict[str, int] = {}
            for i in range(args.repeat):
                dbs = {name: build_db(work / f"{label}-{name}-{i}".replace(" ", ""), scale)
                       for name in ("psf", "assay")}
                before = {n: files_state(d) for n, d in dbs.items()}
                # alternate who goes first, so drift in machine speed is shared
                order = ("psf", "assay") if i % 2 == 0 else ("assay", "psf")
                for name in order:
                    took = run_psf(tools, dbs[name], cves) if name == "psf" else run_assay(dbs[name], files)
                    times[f"{name} first"].append(took)
                after_first = {n: files_state(d) for n, d in dbs.items()}
                for name in order:
                    took = run_psf(tools, dbs[name], cves) if name == "psf" else run_assay(dbs[name], files)
                    times[f"{name} rerun"].append(took)
                after_rerun = {n: files_state(d) for n, d in dbs.items()}
                for n in dbs:
                    written[f"{n} first"] = sum(before[n].get(k) != v for k, v in after_first[n].items())
                    written[f"{n} rerun"] = sum(after_first[n].get(k) != v for k, v in after_rerun[n].items())
                if i == 0:
                    quality_rows = {n: quality(d, cves) for n, d in dbs.items()}
                    agreeing = agree(dbs["psf"], dbs["assay"], cves)
            records = len(list((dbs["psf"] / "advisories" / "python").glob("*.json")))
            print(f"\n== {label}: database of {records} records, median of {args.repeat} runs ==")
            for phase in ("first", "rerun"):
                p, a = statistics.median(times[f"psf {phase}"]), statistics.median(times[f"assay {phase}"])
                print(f"{phase:<6} psf {p * 1000:8.1f} ms  assay {a * 1000:8.1f} ms  "
                      f"assay/psf = {a / p:5.2f}   files written: psf {written[f'psf {phase}']}, "
                      f"assay {written[f'assay {phase}']}")
            for name, row in quality_rows.items():
                print(f"  {name:<6} {row}")
            print(f"  records agreeing on id, aliases, details, events, typed references: "
                  f"{agreeing}/{len(cves)} (assay numbers the placeholder PSF-0000-CVE-2025-13837; "
                  "the PSF's importer leaves that to its id workflow)")


if __name__ == "__main__":
    main()
