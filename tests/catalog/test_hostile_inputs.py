"""Inputs stay inside their trust boundary, and every bad input gets a true answer or one line.

Each test runs assay as a user does (a subprocess, real exit codes) on a small real input that
an attacker or an accident could produce.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from ..cli.helpers import assay, one_line, pure_wheel, site_packages

SECRET = "TOKEN-b7e1c0ffee"  # what must never reach a document, a warning or a report


def _everything(folder: Path, *texts: str) -> str:
    """All text assay produced: the given streams and every file it wrote under ``folder``."""
    out = list(texts)
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".sarif", ".md", ".html"):
            out.append(path.read_text(errors="replace"))
    return "\n".join(out)


@pytest.fixture
def leaky_project(tmp_path: Path) -> Path:
    """A project whose requirements file reaches for files outside its folder."""
    (tmp_path / "secret.env").write_text(f"PASSWORD={SECRET}\nrequests==2.31.0\n")
    (tmp_path / "outside.txt").write_text("urllib3==1.26.4\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text(
        "idna==3.4\n"
        "-r ../secret.env\n"
        f"-r {tmp_path / 'secret.env'}\n"
        "--requirement=../outside.txt\n"
        f"{SECRET} is not a requirement!\n")
    return project


@pytest.mark.parametrize("command", ["sbom", "audit", "scan"])
def test_requirements_includes_stay_in_the_folder(leaky_project: Path, tmp_path: Path, shared_data: Path,
                                                  command: str) -> None:
    db = tmp_path / "v.sqlite"
    idna = shared_data / "osv" / "pypa" / "vulns" / "idna"
    args = {"sbom": ["sbom", "requirements.txt", "-f", "spdx-json", "-o", "out.json"],
            "audit": ["audit", "requirements.txt", "-f", "markdown", "-o", "out.md", "--db", str(db)],
            "scan": ["scan", "requirements.txt", "--out", "scan", "--db", str(db)]}[command]
    assert assay("db", "import", str(idna), "--db", str(db)).returncode == 0
    r = assay(*args, cwd=leaky_project)
    assert "Traceback" not in r.stderr
    text = _everything(leaky_project, r.stdout, r.stderr)
    assert SECRET not in text
    assert "PASSWORD" not in text
    assert r.returncode in (0, 1), r.stderr  # idna 3.4 has a known advisory
    if command != "audit":
        doc = text
        assert "idna" in doc and "urllib3" not in doc and "requests" not in doc
        assert "include-outside" in r.stderr  # said to the user
        assert "requirements.txt:2" in doc  # and by file and line in the documents
        assert "requirements.txt:5" in doc  # the invalid line, by position only


def test_allow_includes_outside_reads_them(leaky_project: Path) -> None:
    r = assay("sbom", "requirements.txt", "-f", "json", "--allow-includes-outside", cwd=leaky_project)
    assert r.returncode == 0, r.stderr
    names = {c["name"] for c in json.loads(r.stdout)["components"]}
    assert {"idna", "requests", "urllib3"} <= names
    assert SECRET not in r.stdout + r.stderr  # the non-requirement line is still not copied


def test_an_include_through_a_symlink_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.env").write_text(f"{SECRET}==1.0\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "inner.txt").symlink_to(tmp_path / "secret.env")
    (project / "requirements.txt").write_text("-r inner.txt\nidna==3.4\n")
    r = assay("sbom", "requirements.txt", "-f", "json", cwd=project)
    assert r.returncode == 0 and SECRET not in r.stdout + r.stderr


@pytest.fixture
def planted_venv(public_tmp: Path) -> Path:
    """A venv folder whose bin/python is a script that leaves a mark when run."""
    venv = public_tmp / "venv"
    site = venv / "lib" / "python3.9" / "site-packages"
    meta = site / "demo-1.0.dist-info"
    meta.mkdir(parents=True)
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"
                                   "Requires-Dist: idna; python_version >= '3.10'\n")
    (meta / "RECORD").write_text("demo-1.0.dist-info/METADATA,,\ndemo-1.0.dist-info/RECORD,,\n")
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.9.7.final.0\n"
                                     "include-system-site-packages = false\n")
    (venv / "bin").mkdir()
    for name in ("python", "python3"):
        exe = venv / "bin" / name
        exe.write_text(f"#!/bin/sh\ntouch {public_tmp}/RAN\necho '{{}}'\n")
        exe.chmod(0o755)
    return venv


@pytest.mark.parametrize("command", ["sbom", "integrity", "audit", "scan"])
def test_a_venv_folder_is_read_never_run(planted_venv: Path, tmp_path: Path, command: str) -> None:
    args = {"sbom": ["sbom", str(planted_venv), "-f", "json"],
            "integrity": ["integrity", str(planted_venv)],
            "audit": ["audit", str(planted_venv), "--db", str(tmp_path / "none.sqlite")],
            "scan": ["scan", str(planted_venv), "--out", str(tmp_path / "scan"),
                     "--db", str(tmp_path / "none.sqlite")]}[command]
    r = assay(*args, cwd=tmp_path)
    assert not (planted_venv.parent / "RAN").exists(), f"{command} executed the venv's bin/python"
    assert "Traceback" not in r.stderr
    if command == "sbom":
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        interpreters = [c for c in doc["components"] if c["kind"] == "interpreter"]
        assert [c["version"] for c in interpreters] == ["3.9.7"]  # from pyvenv.cfg, not this Python
        # markers are evaluated for 3.9: idna (python_version >= '3.10') is not required
        assert "idna" not in r.stdout.split('"unknowns"')[0]


def test_a_record_with_nul_bytes_is_read(tmp_path: Path) -> None:
    site = site_packages(tmp_path, ("demo", "1.0"))
    meta = site / "demo-1.0.dist-info"
    (site / "demo.py").write_text("x = 1\n")
    (meta / "RECORD").write_bytes(b"demo.py,,\n\x00\x00\x7fELF\x00binary junk\x00\x01,\x00\n"
                                  b"demo-1.0.dist-info/RECORD,,\n")
    for args in (["sbom", str(site), "-f", "json"], ["integrity", str(site)]):
        r = assay(*args, cwd=tmp_path)
        assert r.returncode in (0, 1), r.stderr
        assert "Traceback" not in r.stderr and "null byte" not in r.stderr
    out = tmp_path / "scan"
    r = assay("scan", str(site), "--out", str(out), "--db", str(tmp_path / "none.sqlite"), cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    assert (out / "sbom.cdx.json").is_file() and (out / "integrity.json").is_file()


def test_a_failed_scan_leaves_no_folder(tmp_path: Path) -> None:
    wheel = tmp_path / "broken-1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK\x03\x04 not a zip at all")
    out = tmp_path / "scan"
    r = assay("scan", str(wheel), "--out", str(out), "--db", str(tmp_path / "none.sqlite"), cwd=tmp_path)
    assert r.returncode == 2 and wheel.name in one_line(r.stderr)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [wheel.name]  # no temporary folder either


def test_an_interpreters_sbom_is_rooted_at_the_interpreter(tmp_path: Path) -> None:
    exe = Path(sys.executable).resolve()
    r = assay("sbom", str(exe), "-f", "json", "--no-bundled", cwd=tmp_path)
    assert r.returncode in (0, 3), r.stderr
    doc = json.loads(r.stdout)
    root = next(c for c in doc["components"] if c["id"] == doc["root"])
    assert root["kind"] == "interpreter"
    assert root["version"] == ".".join(map(str, sys.version_info[:3]))
    assert root["name"] not in ("usr", "bin", "local")


def test_a_pure_python_wheel_and_sdist_are_a_success(tmp_path: Path) -> None:
    wheel = pure_wheel(tmp_path)
    sdist = tmp_path / "tiny-1.0.tar.gz"
    import tarfile

    src = tmp_path / "tiny-1.0"
    src.mkdir()
    (src / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: tiny\nVersion: 1.0\n")
    (src / "tiny.py").write_text("x = 1\n")
    with tarfile.open(sdist, "w:gz") as tf:
        tf.add(src, arcname="tiny-1.0")
    shutil.rmtree(src)
    for artifact in (wheel, sdist):
        r = assay("sbom", str(artifact), "-f", "cyclonedx-json", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["metadata"]["component"]["name"] == "tiny"
        assert "tiny 1.0" in r.stderr


def test_embed_keeps_the_wheel_mode_and_says_what_it_changed(tmp_path: Path) -> None:
    wheel = pure_wheel(tmp_path, mode=0o664)
    r = assay("sbom", str(wheel), "--embed", "-o", str(tmp_path / "sbom.json"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(os.stat(wheel).st_mode) == 0o664
    assert "embedded" in r.stderr and wheel.name in r.stderr and "RECORD" in r.stderr
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "tiny-1.0.dist-info/sboms/assay.cdx.json" in names


def test_audit_to_a_file_prints_its_summary(tmp_path: Path, shared_data: Path) -> None:
    db = tmp_path / "v.sqlite"
    r = assay("db", "import", str(shared_data / "osv" / "pypa" / "vulns" / "urllib3"), "--db", str(db),
              cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (tmp_path / "requirements.txt").write_text("urllib3==1.26.4\n")
    r = assay("audit", "requirements.txt", "--db", str(db), "-f", "sarif", "-o", "audit.sarif", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert "findings" in r.stderr and "audit.sarif" in r.stderr and "1 components audited" in r.stderr


def test_the_scan_summary_ends_with_the_reason_for_its_exit(tmp_path: Path, shared_data: Path) -> None:
    (tmp_path / "requirements.txt").write_text("urllib3==1.26.4\n")
    r = assay("scan", "requirements.txt", "--out", "scan", "--db", str(tmp_path / "v.sqlite"),
              "--advisories", str(shared_data / "osv" / "pypa" / "vulns" / "urllib3"), cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    last = [line for line in r.stderr.splitlines() if any(ch.isalnum() for ch in line)][-1]
    assert "exit" in last and "1:" in last and "finding" in last
