"""End to end on real wheels: `assay corpus scan` on a LocalCluster and on a dask scheduler and
workers started here as separate processes; the store against per-wheel `assay sbom`; a worker
killed mid-scan; a client killed mid-scan; Ctrl-C; reruns that skip and retry."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .helpers import BIN, WHEELS, assay, sha256, sql

pytestmark = pytest.mark.slow

VOLATILE = ("batch", "fetch_s", "scan_s", "audit_s", "worker", "scanned_at")


def snapshot(store: Path) -> dict[str, list[dict]]:
    """Every table of the store without what differs between two runs (batch, timings, worker)."""
    out = {}
    for table, order in (("distributions", "sha256"), ("components", "sha256, id"),
                         ("unknowns", "sha256, subject, reason, detail"),
                         ("findings", "sha256, component_id, advisory")):
        cols = [c["column_name"] for c in sql(store, f"DESCRIBE {table}") if c["column_name"] not in VOLATILE]
        out[table] = sql(store, f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}")
    return out


@pytest.fixture(scope="module")
def advisory_db(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The advisory store with all of ../shared/data (OSV, PSF, NVD), as `assay db import` fills it."""
    from assay.vulndb import Store, import_paths

    path = tmp_path_factory.mktemp("vulndb") / "advisories.sqlite"
    with Store(path) as store:
        import_paths(store, [shared_data])
    return path


@pytest.fixture(scope="module")
def local_store(tmp_path_factory: pytest.TempPathFactory, wheel_dir: Path, advisory_db: Path) -> Path:
    """The wheel folder scanned with --audit on a LocalCluster of 2 workers."""
    store = tmp_path_factory.mktemp("local") / "store"
    proc = assay("corpus", "scan", str(wheel_dir), "--out", str(store), "--workers", "2", "--audit",
                 "--db", str(advisory_db))
    assert proc.returncode == 0, proc.stderr
    assert f"{len(WHEELS)} scanned ({len(WHEELS)} ok, 0 failed)" in proc.stderr
    return store


def _sbom(wheel: Path) -> dict:
    proc = assay("sbom", str(wheel), "-f", "json")
    assert proc.returncode in (0, 3), proc.stderr  # 3: nothing bundled (six), still a document
    return json.loads(proc.stdout)


def test_store_equals_per_wheel_sbom(local_store: Path, wheel_dir: Path) -> None:
    wheels = sorted(wheel_dir.iterdir())
    with ThreadPoolExecutor(2) as pool:
        docs = dict(zip(wheels, pool.map(_sbom, wheels), strict=True))
    dists = {d["sha256"]: d for d in sql(local_store, "SELECT * FROM distributions")}
    assert len(dists) == len(wheels)
    bundled_total = 0
    for wheel, doc in docs.items():
        digest = sha256(wheel)
        assert digest == WHEELS[wheel.name]
        root = next(c for c in doc["components"] if c["id"] == doc["root"])
        d = dists[digest]
        assert (d["filename"], d["project"], d["version"], d["status"]) == (
            wheel.name, root["name"], root["version"], "ok")
        want = sorted(
            (c["id"], c["name"], c["version"], c["kind"], c["purl"], c["cpes"], c["found_by"],
             [[e["kind"], e["location"], e["detail"], e["proves"]] for e in c["evidence"]],
             [list(p) for p in c["properties"]])
            for c in doc["components"] if c["id"] != doc["root"])
        got = sorted(
            (r["id"], r["name"], r["version"], r["kind"], r["purl"], list(r["cpes"]), r["found_by"],
             [[e["kind"], e["location"], e["detail"], e["proves"]] for e in r["evidence"]],
             [[p["key"], p["value"]] for p in r["properties"]])
            for r in sql(local_store, f"SELECT * FROM components WHERE sha256 = '{digest}'"))
        assert got == want, wheel.name
        assert d["components"] == len(want)
        bundled_total += len(want)
        want_unknowns = sorted((u["subject"], u["reason"], u["detail"]) for u in doc["unknowns"])
        got_unknowns = sorted((u["subject"], u["reason"], u["detail"]) for u in sql(
            local_store, f"SELECT * FROM unknowns WHERE sha256 = '{digest}'"))
        assert got_unknowns == want_unknowns, wheel.name
    assert bundled_total > 50  # Pillow, psycopg2, pyzmq and pip bundle plenty


def test_first_question_libwebp_below_1_3_2(local_store: Path) -> None:
    """Which wheels still ship libwebp < 1.3.2? By query (versions) and by the audit's findings."""
    proc = assay("corpus", "query", str(local_store),
                 "SELECT DISTINCT filename, version FROM components "
                 "WHERE name = 'libwebp' AND vercmp(version, '1.3.2') < 0 ORDER BY filename", "-f", "json",
                 check=True)
    rows = json.loads(proc.stdout)
    old = next(w for w in WHEELS if w.startswith("Pillow-10.0.0"))
    assert rows == [{"filename": old, "version": "1.3.1"}]
    findings = sql(local_store, "SELECT project, dist_version, component_name, component_version, advisory, "
                                "severity FROM findings WHERE component_name = 'libwebp'")
    assert {(f["project"], f["dist_version"], f["component_version"]) for f in findings} == {
        ("Pillow", "10.0.0", "1.3.1")}
    assert "CVE-2023-4863" in {f["advisory"] for f in findings}
    # the distribution's own advisory is there too (the audit of `assay audit`)
    assert sql(local_store, "SELECT count(*) n FROM findings WHERE project = 'Pillow' "
                            "AND dist_version = '10.0.0' AND component_name = 'Pillow'")[0]["n"] > 0


def test_report_terminal_and_html_in_chromium(local_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    proc = assay("corpus", "report", str(local_store), "--html", str(page), check=True)
    text = proc.stdout
    assert "Bundled libraries by number of projects" in text
    assert "libwebp" in text and "CVE-2023-4863" in text
    dom = _chromium_dom(page, tmp_path)
    copies = dom.split('id="vulnerable-copies"', 1)[1].split("</section>", 1)[0]
    assert "libwebp" in copies and "CVE-2023-4863" in copies and "Pillow" in copies
    row = next(r for r in copies.split("<tr>") if "libwebp" in r)
    assert "10.0.0" in row and "10.0.1" not in row
    libs = dom.split('id="libraries"', 1)[1].split("</section>", 1)[0]
    for name in ("libwebp", "openssl", "libpq", "libzmq"):
        assert f"<td>{name}</td>" in libs
    assert "<script" not in page.read_text()  # self-contained, nothing to run or fetch
    assert "http://" not in page.read_text() and "https://" not in page.read_text()


def _chromium_dom(page: Path, tmp_path: Path) -> str:
    exe = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
    assert exe, "Debian's chromium is needed for this test (.ci/run installs it)"
    proc = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", "--no-first-run",
                           f"--user-data-dir={tmp_path / 'chromium-profile'}",
                           f"--screenshot={tmp_path / 'report.png'}", "--window-size=1200,1600",
                           "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Bundled libraries by number of projects" in proc.stdout
    return proc.stdout


def test_separate_process_cluster_gives_the_same_store(local_store: Path, cluster, wheel_dir: Path,
                                                       advisory_db: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    proc = assay("corpus", "scan", str(wheel_dir), "--out", str(store), "--scheduler", cluster.address,
                 "--audit", "--db", str(advisory_db))
    assert proc.returncode == 0, proc.stderr
    workers = {d["worker"] for d in sql(store, "SELECT worker FROM distributions")}
    assert len(workers) == 2  # both separate worker processes did work
    assert snapshot(store) == snapshot(local_store)
    # a rerun skips everything and writes nothing
    batches = sorted(p.name for p in (store / "batches").iterdir())
    again = assay("corpus", "scan", str(wheel_dir), "--out", str(store), "--scheduler", cluster.address)
    assert again.returncode == 0, again.stderr
    assert f"0 scanned (0 ok, 0 failed), {len(WHEELS)} already stored" in again.stderr
    assert sorted(p.name for p in (store / "batches").iterdir()) == batches


def _kill_w1_mid_task(cluster, scan: subprocess.Popen) -> tuple[str, list[str]]:
    """SIGKILL worker w1 while it holds a corpus task; (its address, the task keys it held)."""
    from distributed import Client

    held: list[str] = []
    with Client(cluster.address, timeout="20s") as client:
        w1 = next(a for a, w in client.scheduler_info()["workers"].items() if w["name"] == "w1")
        deadline = time.monotonic() + 120
        while not held:
            assert scan.poll() is None, f"the scan ended before w1 could be killed: {scan.stderr.read()}"
            assert time.monotonic() < deadline, "w1 never got a corpus task"
            held = [str(k) for k in client.processing().get(w1, []) if str(k).startswith("assay-corpus-")]
            time.sleep(0.02)
        os.killpg(cluster.workers["w1"].pid, signal.SIGKILL)
        cluster.workers["w1"].wait(10)
    return w1, held


def test_worker_killed_mid_scan_loses_and_duplicates_nothing(cluster, wheel_dir: Path,
                                                             tmp_path: Path) -> None:
    store = tmp_path / "store"
    scan = subprocess.Popen([str(BIN / "assay"), "corpus", "scan", str(wheel_dir), "--out", str(store),
                             "--scheduler", cluster.address, "--batch-size", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    w1, held = _kill_w1_mid_task(cluster, scan)
    _out, err = scan.communicate(timeout=300)
    assert scan.returncode == 0, err
    rows = sql(store, "SELECT sha256, status, worker FROM all_distributions")
    assert sorted(r["sha256"] for r in rows) == sorted(WHEELS.values())  # each once: none lost, none twice
    assert {r["status"] for r in rows} == {"ok"}
    rerun = {r["sha256"]: r["worker"] for r in rows}
    for key in held:  # what the dead worker held was done again by the other one
        assert rerun[key.removeprefix("assay-corpus-")] != w1


def test_a_task_whose_worker_dies_is_recorded_and_the_scan_goes_on(strict_cluster, wheel_dir: Path,
                                                                   tmp_path: Path) -> None:
    """With a scheduler that allows no worker death per task, the task w1 held fails with
    KilledWorker: recorded as those distributions' error; the others finish; a rerun retries them."""
    store = tmp_path / "store"
    scan = subprocess.Popen([str(BIN / "assay"), "corpus", "scan", str(wheel_dir), "--out", str(store),
                             "--scheduler", strict_cluster.address, "--batch-size", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _w1, held = _kill_w1_mid_task(strict_cluster, scan)
    _out, err = scan.communicate(timeout=300)
    assert scan.returncode == 3, err  # incomplete: some distributions failed
    rows = {r["sha256"]: r for r in sql(store, "SELECT sha256, status, error FROM distributions")}
    assert sorted(rows) == sorted(WHEELS.values())
    failed = {sha for sha, r in rows.items() if r["status"] != "ok"}
    # what w1 held when it died (a task handed to it a moment later may have gone down with it)
    assert failed & {k.removeprefix("assay-corpus-") for k in held}
    assert all("KilledWorker" in rows[sha]["error"] for sha in failed)
    assert len(failed) < len(WHEELS)  # the scan went on without w1
    again = assay("corpus", "scan", str(wheel_dir), "--out", str(store),
                  "--scheduler", strict_cluster.address)
    assert again.returncode == 0, again.stderr
    assert f"{len(failed)} scanned ({len(failed)} ok, 0 failed), {len(WHEELS) - len(failed)} already" \
        in again.stderr
    assert {r["status"] for r in sql(store, "SELECT status FROM distributions")} == {"ok"}


def _wait_for_batches(store: Path, n: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(list((store / "batches").glob("*"))) < n if (store / "batches").is_dir() else True:
        assert proc.poll() is None, "the scan ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.mark.parametrize("how", ["ctrl-c", "kill -9"])
def test_interrupted_scan_keeps_a_readable_store_and_a_rerun_finishes(how: str, cluster, wheel_dir: Path,
                                                                      tmp_path: Path) -> None:
    store = tmp_path / "store"
    scan = subprocess.Popen([str(BIN / "assay"), "corpus", "scan", str(wheel_dir), "--out", str(store),
                             "--scheduler", cluster.address, "--batch-size", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_batches(store, 1, scan)
    scan.send_signal(signal.SIGINT if how == "ctrl-c" else signal.SIGKILL)
    _out, err = scan.communicate(timeout=120)
    if how == "ctrl-c":
        assert scan.returncode == 130, err
        assert "interrupted" in err and "rerun the same command to continue" in err
        assert "Traceback" not in err
    else:
        assert scan.returncode == -signal.SIGKILL
    stored = sql(store, "SELECT sha256 FROM all_distributions")
    assert 1 <= len(stored) < len(WHEELS)
    assert not (store / ".tmp").exists() or not any((store / ".tmp").iterdir()) or how == "kill -9", \
        list((store / ".tmp").iterdir())
    assert len({r["sha256"] for r in stored}) == len(stored), "a batch was stored twice"
    again = assay("corpus", "scan", str(wheel_dir), "--out", str(store), "--scheduler", cluster.address)
    assert again.returncode == 0, again.stderr
    assert f"{len(stored)} already stored" in again.stderr, sql(
        store, "SELECT filename, status, error, batch FROM all_distributions")
    rows = sql(store, "SELECT sha256, status FROM all_distributions")
    assert sorted(r["sha256"] for r in rows) == sorted(WHEELS.values())
    assert not (store / ".tmp").exists() or not any((store / ".tmp").iterdir())


def test_a_broken_distribution_is_recorded_and_retried(tmp_path: Path, wheel_dir: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    six = wheel_dir / "six-1.16.0-py2.py3-none-any.whl"
    (src / six.name).write_bytes(six.read_bytes())
    broken = src / "broken-1.0-py3-none-any.whl"
    broken.write_bytes(six.read_bytes()[: six.stat().st_size // 2])  # a truncated real wheel
    store = tmp_path / "store"
    first = assay("corpus", "scan", str(src), "--out", str(store), "--workers", "1")
    assert first.returncode == 3, first.stderr  # incomplete: one distribution failed
    assert "1 scanned" not in first.stderr and "2 scanned (1 ok, 1 failed)" in first.stderr
    rows = {r["filename"]: r for r in sql(store, "SELECT filename, status, error FROM distributions")}
    assert rows[six.name]["status"] == "ok"
    assert rows[broken.name]["status"] == "error" and broken.name in rows[broken.name]["error"]
    second = assay("corpus", "scan", str(src), "--out", str(store), "--workers", "1")
    assert "1 scanned (0 ok, 1 failed), 1 already stored" in second.stderr  # the failure is retried
    assert len(sql(store, f"SELECT * FROM all_distributions WHERE filename = '{broken.name}'")) == 2
    assert len(sql(store, f"SELECT * FROM distributions WHERE filename = '{broken.name}'")) == 1
    report = assay("corpus", "report", str(store), check=True)
    assert "broken-1.0" in report.stdout and "scan failed" in report.stdout
