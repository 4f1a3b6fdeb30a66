"""`-o` can never destroy: devices, FIFOs and symlinks are written through, inputs are refused,
unwritable places are one line and exit 2."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from .helpers import assay, one_line, pure_wheel, site_packages


def test_a_character_device_stays_a_device(tmp_path: Path) -> None:
    site = site_packages(tmp_path)
    if os.geteuid() == 0:  # our own null device, so a regression cannot break the machine's
        dev = tmp_path / "null"
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        dev = Path("/dev/null")
    r = assay("sbom", str(site), "-f", "json", "-o", str(dev))
    assert r.returncode == 0, r.stderr
    assert stat.S_ISCHR(os.stat(dev).st_mode)
    assert os.major(os.stat(dev).st_rdev) == 1


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    site = site_packages(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = assay("sbom", str(site), "-f", "json", "-o", str(fifo))
    reader.join(30)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert "demo" in {c["name"] for c in json.loads(got[0])["components"]}


def test_a_link_to_stdout_and_dash_go_to_stdout(tmp_path: Path) -> None:
    site = site_packages(tmp_path)
    # a link like /dev/stdout, made here so that a regression replaces this one, not the machine's
    stdout_link = tmp_path / "stdout"
    stdout_link.symlink_to("/proc/self/fd/1")
    for target in ("-", str(stdout_link)):
        r = assay("sbom", str(site), "-f", "json", "-o", target)
        assert r.returncode == 0, r.stderr
        assert "demo" in {c["name"] for c in json.loads(r.stdout)["components"]}
    assert stdout_link.is_symlink()
    # stdout opened for appending (`>> log`): the document follows what was there
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n")
    import subprocess
    import sys

    with open(log, "ab") as out:
        done = subprocess.run([sys.executable, "-m", "assay", "sbom", str(site), "-f", "json", "-o",
                               str(stdout_link)], stdout=out, stderr=subprocess.PIPE)
    assert done.returncode == 0, done.stderr
    first, rest = log.read_text().split("\n", 1)
    assert first == "earlier line" and "demo" in {c["name"] for c in json.loads(rest)["components"]}


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    site = site_packages(tmp_path)
    real = tmp_path / "docs" / "sbom.json"
    real.parent.mkdir()
    real.write_text("old")
    os.chmod(real, 0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    r = assay("sbom", str(site), "-f", "json", "-o", str(link))
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "demo" in {c["name"] for c in json.loads(real.read_text())["components"]}
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in real.parent.iterdir()) == ["sbom.json"]  # no temp file left


def test_output_equal_to_the_input_is_refused(tmp_path: Path) -> None:
    wheel = pure_wheel(tmp_path)
    before = wheel.read_bytes()
    r = assay("sbom", str(wheel), "-o", str(wheel))
    assert r.returncode == 2
    assert wheel.name in one_line(r.stderr) and "input" in r.stderr
    assert wheel.read_bytes() == before
    # the same file under another name (a hard link, a symlink) is the same input
    hard = tmp_path / "copy.json"
    os.link(wheel, hard)
    soft = tmp_path / "soft.json"
    soft.symlink_to(wheel)
    for other in (hard, soft):
        r = assay("sbom", str(wheel), "-o", str(other))
        assert r.returncode == 2, r.stderr
        assert wheel.read_bytes() == before


def test_audit_output_equal_to_its_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite"
    from assay.vulndb import Store

    Store(db).close()
    before = db.read_bytes()
    site = site_packages(tmp_path)
    r = assay("audit", str(site), "--db", str(db), "-f", "json", "-o", str(db))
    assert r.returncode == 2 and "input" in one_line(r.stderr)
    assert db.read_bytes() == before


def test_scan_never_writes_a_document_over_an_input(tmp_path: Path) -> None:
    site = site_packages(tmp_path)
    out = tmp_path / "scan"
    r = assay("scan", str(site), "--out", str(out), "--db", str(tmp_path / "none.sqlite"))
    assert r.returncode == 0, r.stderr
    previous = out / "sbom.cdx.json"
    before = previous.read_bytes()
    r = assay("scan", str(previous), "--out", str(out), "--db", str(tmp_path / "none.sqlite"))
    assert r.returncode == 2 and "input" in one_line(r.stderr)
    assert previous.read_bytes() == before


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "unwritable"])
def test_an_unwritable_output_is_one_line_and_exit_2(public_tmp: Path, where: str) -> None:
    tmp_path = public_tmp
    site = site_packages(tmp_path)
    user = None
    if where == "missing-folder":
        out = tmp_path / "no" / "such" / "sbom.json"
    elif where == "a-folder":
        out = tmp_path
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        os.chmod(locked, 0o555)
        out = locked / "sbom.json"
        user = "nobody"  # root may write anywhere: run as someone who may not
    r = assay("sbom", str(site), "-f", "json", "-o", str(out), cwd=tmp_path, user=user)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    if where == "a-folder":  # click's own usage error names the folder
        assert "is a directory" in r.stderr
    else:
        assert str(out.parent) in one_line(r.stderr)
