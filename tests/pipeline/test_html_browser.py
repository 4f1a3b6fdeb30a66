"""The HTML report in a real headless Chromium: it loads offline, the stage diagram is drawn,
and threats are coloured by status (pixels of the open and mitigated colours are on screen)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.formats import pipeline_html
from assay.model.pipeline import Status
from assay.pipeline import analyse
from tests.pipeline.conftest import write_tree
from tests.pipeline.png import pixels
from tests.pipeline.test_model import TRUSTED

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("Debian's chromium is needed for the HTML tests (.ci/run installs it with apt-get)")
    return exe


def browse(html: Path, *extra: str, size: str = "1500,1000") -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                               f"--window-size={size}", *extra, html.as_uri()],
                              capture_output=True, timeout=180, cwd=html.parent)


def hex_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def test_html_renders_the_coloured_stage_diagram(real_pipelines: dict[str, Path], tmp_path: Path) -> None:
    project = real_pipelines["pytest-7.4.0.tar.gz"]
    report = analyse(project)
    html = tmp_path / "pipeline.html"
    html.write_text(pipeline_html.dumps(report, created=datetime(2026, 1, 1, tzinfo=UTC)))
    text = html.read_text()
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text), "the page must be self-contained"

    dom = browse(html, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout.decode()
    assert page.count('class="stage"') == 5
    cells = [c for s in report.stages for c in s.threats]
    for status in Status:
        assert page.count(f'data-status="{status}"') == sum(c.status == status for c in cells)
    assert "publish-with-token" in page and "deploy.yml:43" in page

    shot = tmp_path / "shot.png"
    r = browse(html, f"--screenshot={shot}")
    assert r.returncode == 0 and shot.exists(), r.stderr[-2000:]
    width, height, counts = pixels(shot.read_bytes())
    assert (width, height) == (1500, 1000)
    assert counts[hex_rgb(pipeline_html.OPEN_BG)] > 500, "open threats are drawn red"
    assert counts[hex_rgb(pipeline_html.UNKNOWN_BG)] > 300, "unknown threats are drawn grey"
    assert counts[hex_rgb(pipeline_html.OK_BG)] > 300, "mitigated threats are drawn green"


def test_a_mitigated_pipeline_is_mostly_green(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", TRUSTED)
    report = analyse(tmp_path / "repo")
    html = tmp_path / "p.html"
    html.write_text(pipeline_html.dumps(report, created=datetime(2026, 1, 1, tzinfo=UTC)))
    shot = tmp_path / "shot.png"
    assert browse(html, f"--screenshot={shot}").returncode == 0
    _, _, counts = pixels(shot.read_bytes())
    assert counts[hex_rgb(pipeline_html.OK_BG)] > counts[hex_rgb(pipeline_html.OPEN_BG)]
    if os.environ.get("ASSAY_PIPELINE_SCREENSHOT"):  # refresh the README's picture
        shutil.copy(shot, os.environ["ASSAY_PIPELINE_SCREENSHOT"])
