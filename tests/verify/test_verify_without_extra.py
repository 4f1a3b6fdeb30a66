"""assay installed without the `verify` extra: a usage error naming the extra, never a verdict or a traceback.

A real venv gets an editable install of this worktree with no extras (packaging, click,
rich, PyYAML only), so the commands run as a user who typed `pip install assay` would
run them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pypi import make_venv

from .verify_data import GHA, PA_PUBLISHER, PROD_ROOT, RFC8785_ID

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WHEEL = "sigstore/pypi/rfc8785-0.1.2-py3-none-any.whl"
HINT = "pip install 'assay[verify]'"


@pytest.fixture(scope="module")
def bare() -> Path:
    """A venv with assay and its base dependencies only (cached per pyproject.toml and worktree)."""
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + str(ROOT).encode()).hexdigest()[:12]
    venv = make_venv(f"assay-no-extras-{key}", "-e", str(ROOT))
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", "import sigstore"], capture_output=True)
    assert probe.returncode != 0, "the venv must not have the verify extra"
    return venv


def run(venv: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "assay"), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def assert_usage_error(r: subprocess.CompletedProcess[str]) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("assay: error:") and HINT in lines[0], r.stderr
    assert r.stdout == ""  # no verdict, no report


def test_verify_without_the_extra_is_exit_2_naming_it(bare, sig, tmp_path):
    shutil.copy(sig / WHEEL, tmp_path)
    shutil.copy(sig / (WHEEL + ".sigstore"), tmp_path)
    wheel = tmp_path / Path(WHEEL).name
    assert_usage_error(run(bare, "verify", wheel, "--identity", RFC8785_ID, "--issuer", GHA,
                           "--trusted-root", sig / PROD_ROOT, cwd=tmp_path))
    assert_usage_error(run(bare, "verify", wheel, "--publisher", json.dumps(PA_PUBLISHER), cwd=tmp_path))


def test_release_commands_without_the_extra_are_exit_2_naming_it(bare, sig, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    shutil.copy(sig / WHEEL, dist)
    shutil.copy(sig / (WHEEL + ".sigstore"), dist)
    assert_usage_error(run(bare, "release-check", dist, "--identity", RFC8785_ID, "--issuer", GHA,
                           cwd=tmp_path))
    assert_usage_error(run(bare, "release-check", dist, "--publisher", json.dumps(PA_PUBLISHER),
                           cwd=tmp_path))
    assert_usage_error(run(bare, "release-audit", dist, "--identity", RFC8785_ID, "--issuer", GHA,
                           "--cache", tmp_path / "cache", "-o", tmp_path / "out", cwd=tmp_path))
    assert not (tmp_path / "out").exists()


def test_help_still_works_without_the_extra(bare, tmp_path):
    for args in (["--help"], ["verify", "--help"], ["release-check", "--help"]):
        r = run(bare, *args, cwd=tmp_path)
        assert r.returncode == 0 and "Usage:" in r.stdout, r.stderr
