"""assay integrity on a real venv: clean passes, a one-line change is caught."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pypi import make_venv


@pytest.fixture(scope="session")
def clean_env() -> Path:
    return make_venv("integrity-v1", "requests==2.31.0", "click==8.1.7")


@pytest.fixture
def env_copy(clean_env, tmp_path) -> Path:
    dest = tmp_path / "venv"
    shutil.copytree(clean_env, dest, symlinks=True)
    return dest


def run(target: Path, *extra: str) -> tuple[int, dict, str]:
    r = subprocess.run([sys.executable, "-m", "assay", "integrity", str(target), "-f", "json", *extra],
                       capture_output=True, text=True)
    return r.returncode, json.loads(r.stdout) if r.stdout.strip() else {}, r.stderr


def site(env: Path) -> Path:
    return next(env.glob("lib/python*/site-packages"))


def test_clean_venv_passes(env_copy):
    rc, report, _ = run(env_copy)
    assert rc == 0, report
    assert report["clean"] is True
    assert report["files_checked"] > 100
    assert not [i for i in report["issues"] if i["category"] in ("modified", "missing", "unlisted")]


def test_one_line_change_is_caught(env_copy):
    target = site(env_copy) / "requests" / "sessions.py"
    lines = target.read_text().splitlines(keepends=True)
    lines[10] = lines[10].rstrip("\n") + "  # changed\n"
    target.write_text("".join(lines))
    rc, report, stderr = run(env_copy)
    assert rc == 1
    modified = [i for i in report["issues"] if i["category"] == "modified"]
    assert [i["path"] for i in modified] == [str(target)]
    assert modified[0]["distribution"] == "requests 2.31.0"
    assert "NOT clean" in stderr


def test_same_size_change_is_caught_by_hash(env_copy):
    target = site(env_copy) / "click" / "core.py"
    data = bytearray(target.read_bytes())
    data[100] ^= 0x20  # flip case of one letter: same size, different content
    target.write_bytes(bytes(data))
    rc, report, _ = run(env_copy)
    assert rc == 1
    assert [i["path"] for i in report["issues"] if i["category"] == "modified"] == [str(target)]


def test_missing_and_unlisted_files(env_copy):
    sp = site(env_copy)
    (sp / "idna" / "codec.py").unlink()
    (sp / "urllib3" / "backdoor.py").write_text("print('hi')\n")
    (sp / "stray_module.py").write_text("x = 1\n")
    rc, report, _ = run(env_copy)
    assert rc == 1
    by_cat = {}
    for i in report["issues"]:
        by_cat.setdefault(i["category"], set()).add(Path(i["path"]).name)
    assert by_cat["missing"] == {"codec.py"}
    assert {"backdoor.py", "stray_module.py"} <= by_cat["unlisted"]


def test_pth_that_runs_code_is_its_own_category(env_copy):
    (site(env_copy) / "zzz_persist.pth").write_text("import os; os.system('true')\n")
    rc, report, _ = run(env_copy)
    assert rc == 0  # informational: nothing installed was modified or removed
    pth = [i for i in report["issues"] if i["category"] == "executable-pth"]
    assert any(Path(i["path"]).name == "zzz_persist.pth" and "os.system" in i["detail"] for i in pth)
    assert any(Path(i["path"]).name == "zzz_persist.pth" for i in report["issues"]
               if i["category"] == "unlisted")


def test_integrity_refuses_non_environment(tmp_path):
    f = tmp_path / "requirements.txt"
    f.write_text("requests==2.31.0\n")
    r = subprocess.run([sys.executable, "-m", "assay", "integrity", str(f)], capture_output=True, text=True)
    assert r.returncode == 2
    assert "requirements.txt" in r.stderr and len(r.stderr.strip().splitlines()) == 1
