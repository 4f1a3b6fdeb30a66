"""The bundled-library corpus: the native projects of the download ranking, via `assay corpus scan`.

    python bench/bundled/coverage.py resolve           # newest release of each candidate -> plan.json
    python bench/bundled/coverage.py fetch linux --top 300
    python bench/bundled/coverage.py fetch win --top 100
    python bench/bundled/coverage.py fetch mac --top 100
    python bench/bundled/coverage.py scan linux           # assay corpus scan DIR --out STORE --workers 2
    python bench/bundled/coverage.py report              # COVERAGE.md + corpus/coverage-*.tsv

Projects: corpus/candidates.txt (projects of the ranking known to publish binary wheels), in the
order of /work/.library/env/packages/pypi.tsv (rank_among_15000_most_downloaded). ``resolve``
asks the index once per candidate for its newest release (through assay.corpus.index, the code
`assay corpus scan` uses) and picks, per platform, the wheel an installer on CPython's newest
version would take: manylinux x86_64, win_amd64, macOS arm64 (a universal2 wheel when there is no
arm64 one). A candidate whose newest release has no manylinux x86_64 wheel is not native by this
definition and is listed as such. Files over 300 MB are not fetched (listed in the report).

Wheels are cached under $ASSAY_CORPUS_CACHE (default ~/.cache/assay-corpus/<platform>/), sha256
checked, so a rescan after a rule change costs no download. ``report`` reads the stores (what
assay said) and the wheels themselves (what native files there are) and writes the coverage
report: every native file name and every statically linked project, and what assay says of it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src")]

CORPUS = HERE / "corpus"
PLAN = CORPUS / "plan.json"
_ONE_LINE = str.maketrans("\t\n\r", "   ")
RANKING = Path("/work/.library/env/packages/pypi.tsv")
CACHE = Path(os.environ.get("ASSAY_CORPUS_CACHE") or Path.home() / ".cache" / "assay-corpus")
STORES = CACHE / "stores"
MAX_BYTES = 300 * 1000 * 1000
PLATFORMS = ("linux", "win", "mac")


def candidates() -> list[str]:
    from packaging.utils import canonicalize_name

    words = []
    for line in (CORPUS / "candidates.txt").read_text().splitlines():
        words += line.split("#", 1)[0].split()
    return list(dict.fromkeys(str(canonicalize_name(w)) for w in words))


def ranking() -> dict[str, int]:
    from packaging.utils import canonicalize_name

    ranks: dict[str, int] = {}
    with RANKING.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        col = header.index("rank_among_15000_most_downloaded")
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) > col and cols[col].strip():
                ranks.setdefault(str(canonicalize_name(cols[0])), int(float(cols[col])))
    return ranks


def _tags(filename: str):
    from packaging.utils import parse_wheel_filename

    return parse_wheel_filename(filename)[3]


def _py_rank(tags) -> tuple[int, int]:
    best = (0, 0)
    for t in tags:
        m = re.fullmatch(r"(cp|py)(\d)(\d*)", t.interpreter)
        if m:
            best = max(best, ({"cp": 2, "py": 1}[m.group(1)], int(m.group(2)) * 100 + int(m.group(3) or 0)))
        if t.abi.endswith("t"):  # free-threaded builds are not what most installs get
            return (-1, 0)
    return best


def choose(files: list[dict], platform: str) -> dict | None:
    """The wheel of one release an installer on the newest CPython takes on ``platform``."""
    def fits(filename: str) -> int | None:
        plats = {t.platform for t in _tags(filename)}
        if platform == "linux":
            return 0 if any(p.startswith("manylinux") and p.endswith("x86_64") for p in plats) else None
        if platform == "win":
            return 0 if "win_amd64" in plats else None
        if any(p.startswith("macosx") and p.endswith("_arm64") for p in plats):
            return 0
        if any(p.startswith("macosx") and p.endswith("_universal2") for p in plats):
            return 1
        return None

    best = None
    for f in files:
        name = f["filename"]
        if not name.endswith(".whl") or f.get("yanked"):
            continue
        try:
            pref = fits(name)
        except ValueError:
            continue
        if pref is None:
            continue
        key = (pref, tuple(-x for x in _py_rank(_tags(name))), name)
        if best is None or key < best[0]:
            best = (key, f)
    return None if best is None else best[1]


def resolve(args: argparse.Namespace) -> None:
    from assay.corpus.index import Index
    from assay.corpus.plan import Spec

    ranks = ranking()
    names = sorted(candidates(), key=lambda n: (ranks.get(n, 10**9), n))
    index = Index(pick="wheels")
    plan = {"projects": []}

    def one(name: str) -> dict:
        entry: dict = {"project": name, "rank": ranks.get(name)}
        try:
            doc = index._json(f"{index.base}/{name}/json")
        except Exception as exc:
            entry["problem"] = f"index: {exc}"
            return entry
        if doc is None:
            entry["problem"] = "not on the index"
            return entry
        entry["version"] = str(doc["info"]["version"])
        files = [f for f in doc.get("urls") or () if isinstance(f, dict) and f.get("filename")]
        wheels = [f["filename"] for f in files if f["filename"].endswith(".whl")]
        if not wheels:
            entry["problem"] = "newest release has no wheel"
        elif all(t.platform == "any" for w in wheels for t in _tags(w)):
            entry["problem"] = "newest release is pure Python (no platform wheel)"
        for plat in PLATFORMS:
            f = choose(files, plat)
            if f is not None:
                entry[plat] = {"filename": f["filename"], "size": f.get("size"),
                               "sha256": f["digests"]["sha256"],
                               "url": urljoin(f"{index.base}/{name}/json", f["url"])}
        return entry

    del Spec
    with ThreadPoolExecutor(max_workers=4) as pool:
        plan["projects"] = list(pool.map(one, names))
    PLAN.write_text(json.dumps(plan, indent=1, sort_keys=True) + "\n")
    native = [p for p in plan["projects"] if "linux" in p]
    print(f"{len(plan['projects'])} candidates, {len(native)} with a manylinux x86_64 wheel -> {PLAN}")


def selected(platform: str, top: int | None) -> list[dict]:
    """The native projects (a manylinux x86_64 wheel), in rank order; the first ``top``."""
    plan = json.loads(PLAN.read_text())
    native = [p for p in plan["projects"] if "linux" in p]
    if top:
        native = native[:top]
    return [p for p in native if platform in p]


def fetch(args: argparse.Namespace) -> None:
    from assay import net

    folder = CACHE / args.platform
    folder.mkdir(parents=True, exist_ok=True)
    todo = []
    for p in selected(args.platform, args.top):
        f = p[args.platform]
        if (f.get("size") or 0) > MAX_BYTES:
            print(f"skip {f['filename']}: {f['size'] / 1e6:.0f} MB > 300 MB")
            continue
        if not (folder / f["filename"]).exists():
            todo.append(f)
    print(f"{len(todo)} wheels to fetch into {folder}")

    def one(f: dict) -> str:
        try:
            net.download(f["url"], folder / f["filename"], sha256=f["sha256"], timeout=120)
            return f"ok {f['filename']}"
        except Exception as exc:
            return f"FAILED {f['filename']}: {exc}"

    with ThreadPoolExecutor(max_workers=3) as pool:
        for line in pool.map(one, todo):
            print(line, flush=True)


def store_of(platform: str) -> Path:
    return STORES / platform


def scan(args: argparse.Namespace) -> None:
    folder = CACHE / args.platform
    store = store_of(args.platform)
    if store.exists() and not args.resume:
        shutil.rmtree(store)
    wanted = {p[args.platform]["filename"] for p in selected(args.platform, args.top)}
    # the scan reads a folder: link the wanted wheels into one (so --top N scans N)
    view = CACHE / f"view-{args.platform}"
    shutil.rmtree(view, ignore_errors=True)
    view.mkdir(parents=True)
    for name in sorted(wanted):
        if (folder / name).exists():
            os.link(folder / name, view / name)
    cmd = [sys.executable, "-m", "assay", "corpus", "scan", str(view), "--out", str(store),
           "--workers", str(args.workers)]
    print(" ".join(cmd), flush=True)
    subprocess.run(cmd, check=False)


# -- the coverage report -------------------------------------------------------------------

_NATIVE_NAME = re.compile(r"\.(?:so(?:\.[0-9][0-9a-z.]*)?|dylib|dll|pyd|exe)$", re.I)
_EXT = re.compile(r"\.(?:cpython-[^/]*|abi3|cp3\d+-win[^/.]*|pypy[^/]*)\.(?:so|pyd)$|\.pyd$", re.I)


def native_members(path: Path) -> list[tuple[str, int]]:
    """(member, size) of every native file in a wheel: by name, or by magic bytes."""
    from assay.enrich.bundled.binary import sniff

    out = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.is_dir() or info.file_size < 64:
                continue
            name = info.filename
            if _NATIVE_NAME.search(name.rsplit("/", 1)[-1]):
                out.append((name, info.file_size))
                continue
            if re.search(r"\.(?:py|pyi|txt|json|md|h|c|pyx|pxd|html|js|css|png|svg)$", name):
                continue
            with zf.open(info) as fh:
                if sniff(fh.read(8)):
                    out.append((name, info.file_size))
    return out


def file_class(member: str) -> str:
    base = member.rsplit("/", 1)[-1]
    if _EXT.search(base):
        return "extension"
    if re.search(r"\.(?:so(?:\.[0-9][0-9a-z.]*)?|dylib|dll)$", base, re.I):
        return "library"
    return "executable"


def query(store: Path, sql: str) -> list[dict]:
    import duckdb

    con = duckdb.connect()
    for table in ("components", "unknowns", "distributions"):
        files = sorted(str(p) for p in store.rglob(f"{table}.parquet"))
        if files:
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({files!r}, union_by_name=true)")
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def report(args: argparse.Namespace) -> None:
    lines = ["# Bundled libraries in the most downloaded native projects: coverage", ""]
    summary_rows = []
    for platform, top in (("linux", args.top_linux), ("win", args.top_other), ("mac", args.top_other)):
        store = store_of(platform)
        if not any(store.rglob("distributions.parquet")):
            continue
        projects = selected(platform, top)
        comps = query(store, "SELECT filename, name, version, purl, path, found_by, evidence, properties "
                             "FROM components WHERE kind IN ('native-library', 'cargo-library')")
        unknowns = query(store, "SELECT filename, subject, reason, detail FROM unknowns")
        dists = query(store, "SELECT filename, status, error FROM distributions")
        by_wheel: dict[str, list[dict]] = defaultdict(list)
        for c in comps:
            by_wheel[c["filename"]].append(c)
        rows = []  # one per native file or static project
        for p in projects:
            f = p[platform]
            wheel = CACHE / platform / f["filename"]
            if not wheel.exists():
                rows.append({"project": p["project"], "wheel": f["filename"], "file": "",
                             "class": "", "status": "not scanned",
                             "reason": "over 300 MB" if (f.get("size") or 0) > MAX_BYTES else "not fetched"})
                continue
            found = by_wheel.get(f["filename"], [])
            at_path: dict[str, list[dict]] = defaultdict(list)
            for c in found:
                # one component per library: every file its evidence comes from is one of its places
                for where in {c["path"] or "", *(e["location"] for e in c["evidence"] or [])}:
                    at_path[where].append(c)
            for member, _size in native_members(wheel):
                cls = file_class(member)
                here = at_path.get(member, [])
                own = [c for c in here if not _static(c)]
                static = [c for c in here if _static(c)]
                if own:
                    for c in own:
                        rows.append(_row(p, f, member, cls, c, "file"))
                elif cls == "extension":
                    rows.append({"project": p["project"], "wheel": f["filename"], "file": member,
                                 "class": cls, "status": "the project's own code",
                                 "reason": "a Python extension module of the project"})
                else:
                    why = next((u["detail"] for u in unknowns if u["filename"] == f["filename"]
                                and member in (u["subject"] or "")), "no evidence names a library")
                    rows.append({"project": p["project"], "wheel": f["filename"], "file": member,
                                 "class": cls, "status": "not identified", "reason": why})
                for c in static:
                    rows.append(_row(p, f, member, cls, c, "static"))
        tsv = CORPUS / f"coverage-{platform}.tsv"
        cols = ["project", "wheel", "file", "class", "linkage", "library", "version", "status", "reason"]
        with tsv.open("w") as fh:
            fh.write("\t".join(cols) + "\n")
            for r in rows:
                # evidence quotes the bytes: a tab or line break in it would split the row
                fh.write("\t".join(str(r.get(c) or "").translate(_ONE_LINE) for c in cols) + "\n")
        summary_rows.append((platform, projects, rows, dists))
    for platform, projects, rows, dists in summary_rows:
        libs = [r for r in rows if r["status"].startswith("identified")
                or (r["class"] != "extension" and r["status"] == "not identified")]
        proven = sum(r["status"] == "identified, version proven" for r in libs)
        ident = sum(r["status"].startswith("identified") for r in libs)
        errors = [d for d in dists if d["status"] != "ok"]
        native = [r for r in libs if not (r.get("purl") or "").startswith("pkg:cargo/")]
        n_proven = sum(r["status"] == "identified, version proven" for r in native)
        n_ident = sum(r["status"].startswith("identified") for r in native)
        crates = len(libs) - len(native)
        lines += [f"## {platform}: top {len(projects)} native projects", "",
                  f"- wheels scanned: {len(dists)} ({len(errors)} failed); "
                  f"{sum(1 for r in rows if r['status'] == 'not scanned')} not scanned (over 300 MB)",
                  f"- native libraries and static copies seen (C/C++, not Rust crates): {len(native)}; "
                  f"identified {n_ident} ({100 * n_ident / max(len(native), 1):.1f}%), with a proven "
                  f"version {n_proven} ({100 * n_proven / max(len(native), 1):.1f}%)",
                  f"- with the Rust crates their build paths name ({crates}): {len(libs)} seen; identified "
                  f"{ident} ({100 * ident / max(len(libs), 1):.1f}%), with a proven version {proven} "
                  f"({100 * proven / max(len(libs), 1):.1f}%)",
                  f"- rows: corpus/coverage-{platform}.tsv (every native file and static copy, what assay "
                  "says of it, the evidence or the reason)", ""]
        libs = native
        counts = Counter((r.get("library") or r["file"].rsplit("/", 1)[-1], r["status"]) for r in libs)
        lines += ["| library or file | status | count |", "|---|---|---|"]
        for (name, status), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"| {name} | {status} | {n} |")
        lines.append("")
    (HERE / "COVERAGE.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:40]))


def _static(c: dict) -> bool:
    return any(p["key"] == "assay:linkage" and p["value"] == "static" for p in c["properties"] or [])


def _row(p: dict, f: dict, member: str, cls: str, c: dict, linkage: str) -> dict:
    proven = c["version"] is not None
    ev = "; ".join(f"{e['kind']}: {e['detail']}" for e in c["evidence"] or [] if e["proves"] == "version")
    seen = "; ".join(f"{e['kind']}: {e['detail']}" for e in c["evidence"] or [])
    return {"project": p["project"], "wheel": f["filename"], "file": member, "class": cls, "linkage": linkage,
            "library": c["name"], "version": c["version"], "purl": c["purl"],
            "status": "identified, version proven" if proven else "identified, version unknown",
            "reason": (ev if proven else f"seen: {seen}")[:300]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("resolve")
    for name in ("fetch", "scan"):
        sp = sub.add_parser(name)
        sp.add_argument("platform", choices=PLATFORMS)
        sp.add_argument("--top", type=int, default=None)
        if name == "scan":
            sp.add_argument("--workers", type=int, default=2)
            sp.add_argument("--resume", action="store_true")
    rp = sub.add_parser("report")
    rp.add_argument("--top-linux", type=int, default=300)
    rp.add_argument("--top-other", type=int, default=100)
    args = ap.parse_args()
    {"resolve": resolve, "fetch": fetch, "scan": scan, "report": report}[args.cmd](args)


if __name__ == "__main__":
    main()
