"""What the database says about itself is true: locked, read-only, being imported, corrupt.
And an import's workers never outlive it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from assay.vulndb import Store

from ..cli.helpers import assay, one_line

PSF_RECORD = "osv/psf/advisories/python"


def _start_import(source: Path, db: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "ASSAY_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-m", "assay", "db", "import", str(source), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(entry))
    return out


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def _wait_for(condition, timeout: float = 60.0, step: float = 0.02):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def _importing(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute("SELECT 1 FROM meta WHERE key='importing'").fetchone() is not None
        finally:
            con.close()
    except sqlite3.Error:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_import_workers_die_with_their_parent(tmp_path: Path, shared_data: Path, sig: int) -> None:
    proc = _start_import(shared_data / "osv" / "pypa", tmp_path / "v.sqlite")
    workers: list[int] = []
    try:
        workers = _wait_for(lambda: _children(proc.pid), timeout=60) or []
        assert workers, "the import started no worker processes (is the input large enough?)"
        proc.send_signal(sig)
        proc.wait(30)
        left = _wait_for(lambda: not _alive(workers) or None, timeout=10)
        assert left, f"workers {_alive(workers)} outlived the import killed by {signal.Signals(sig).name}"
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in _alive(workers):  # never leave a stray process behind, whatever failed
            os.kill(pid, signal.SIGKILL)


def test_audit_during_an_import_says_the_import_is_running(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "v.sqlite"
    (tmp_path / "requirements.txt").write_text("urllib3==1.26.4\n")
    proc = _start_import(shared_data / "osv" / "pypa", db)
    holder = None
    try:
        assert _wait_for(lambda: _importing(db)), "the import never marked the database"
        # hold the write lock so the import cannot commit while we look
        holder = sqlite3.connect(db, isolation_level=None, timeout=30)
        holder.execute("BEGIN IMMEDIATE")
        r = assay("audit", "requirements.txt", "--db", str(db), cwd=tmp_path)
        assert r.returncode == 4, r.stderr
        line = one_line(r.stderr)
        assert "import" in line and "running" in line and "empty" not in line
        holder.execute("ROLLBACK")
        holder.close()
        holder = None
        proc.wait(120)
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
        r = assay("audit", "requirements.txt", "--db", str(db), cwd=tmp_path)
        assert r.returncode == 1, r.stderr  # urllib3 1.26.4 has advisories
    finally:
        if holder is not None:
            holder.close()
        if proc.poll() is None:
            proc.kill()


def test_a_locked_database_is_said_to_be_locked(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "v.sqlite"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = assay("db", "import", str(shared_data / PSF_RECORD), "--db", str(db), cwd=tmp_path,
                  env={"ASSAY_DB_TIMEOUT": "0.5"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.returncode == 4, r.stderr
    line = one_line(r.stderr)
    assert "locked" in line and "not an assay advisory database" not in line


def test_a_read_only_database_is_audited_and_said_read_only_on_import(
        public_tmp: Path, shared_data: Path) -> None:
    db = public_tmp / "v.sqlite"
    with Store(db) as store:
        from assay.vulndb import import_paths

        import_paths(store, [shared_data / "osv" / "pypa" / "vulns" / "urllib3"])
    os.chmod(db, 0o444)
    os.chmod(public_tmp, 0o555)
    try:
        req = public_tmp / "requirements.txt"
        os.chmod(public_tmp, 0o755)
        req.write_text("urllib3==1.26.4\n")
        os.chmod(public_tmp, 0o555)
        r = assay("audit", str(req), "--db", str(db), "-f", "json", cwd=public_tmp, user="nobody")
        assert r.returncode == 1, r.stderr  # read, and found what it should
        assert {f["component"]["name"] for f in json.loads(r.stdout)["findings"]} == {"urllib3"}
        r = assay("db", "import", str(shared_data / PSF_RECORD), "--db", str(db), cwd=public_tmp,
                  user="nobody")
        assert r.returncode == 2, r.stderr
        assert "read-only" in one_line(r.stderr)
    finally:
        os.chmod(public_tmp, 0o755)


def test_a_zip_with_corrupt_deflate_data_is_one_line(tmp_path: Path, shared_data: Path) -> None:
    record = next((shared_data / PSF_RECORD).glob("*.json")).read_bytes()
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("PSF-1.json", record)
    data = bytearray(good.read_bytes())
    start = data.index(b"PSF-1.json") + len(b"PSF-1.json")  # the member's deflate stream follows
    for i in range(start + 8, start + 40):
        data[i] ^= 0x5A
    bad = tmp_path / "advisories.zip"
    bad.write_bytes(bytes(data))
    r = assay("db", "import", str(bad), "--db", str(tmp_path / "v.sqlite"), cwd=tmp_path)
    assert r.returncode == 2
    line = one_line(r.stderr)
    assert "advisories.zip" in line and "corrupt" in line
