"""Bounded memory on bomb wheels: one huge member is streamed (spooled and memory-mapped, scanned a
window at a time), and the bytes of scanned members are never kept. Peak RSS is measured on the
real `assay sbom` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..pypi import CACHE
from .bombs import build

LIMIT_KB = 500 * 1024  # issue 15: under 500 MB whatever the wheel holds


def _peak_rss_kb(*args: str, cwd: Path) -> tuple[int, int, str]:
    proc = subprocess.Popen([sys.executable, "-m", "assay", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(proc.pid, 0)
    stderr = proc.stderr.read() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss, proc.returncode, stderr  # KiB on Linux


@pytest.fixture(scope="module")
def bombs() -> Path:
    folder = CACHE / "bombs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss units differ elsewhere")
def test_one_1000_mib_member_costs_a_few_dozen_mb(bombs: Path, tmp_path: Path) -> None:
    wheel = build(bombs / "bomb-1.0-py3-none-any.whl", members=1, mib=1000)
    assert wheel.stat().st_size < 8_000_000  # 6.6 MB holding 1000 MiB
    peak, code, err = _peak_rss_kb("sbom", str(wheel), "-f", "json", "-o", str(tmp_path / "s.json"),
                                   cwd=tmp_path)
    assert code == 0, err
    assert peak < LIMIT_KB, f"peak RSS {peak // 1024} MB"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss units differ elsewhere")
def test_many_large_members_do_not_accumulate(bombs: Path, tmp_path: Path) -> None:
    wheel = build(bombs / "bomb-many-1.0-py3-none-any.whl", members=6, mib=300)
    peak, code, err = _peak_rss_kb("sbom", str(wheel), "-f", "json", "-o", str(tmp_path / "s.json"),
                                   cwd=tmp_path)
    assert code == 0, err
    assert peak < LIMIT_KB, f"peak RSS {peak // 1024} MB for 6 x 300 MiB"
