"""The console script ends the process without tearing the interpreter down: what must still
happen at exit does (the license cache is written, piped output is complete, the exit code is
the command's)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .helpers import assay, one_line, site_packages


def test_the_exit_handlers_run_and_piped_output_is_complete(tmp_path: Path) -> None:
    site = site_packages(tmp_path, ("demo", "1.0"))
    meta = site / "demo-1.0.dist-info"
    (meta / "LICENSE").write_text("Permission is hereby granted, free of charge, to any person "
                                  "obtaining a copy of this software, to deal in the Software "
                                  "without restriction.\n")
    cache = tmp_path / "licenses.json"
    done = assay("sbom", str(site), "-f", "cyclonedx-json", "--no-bundled",
                 env={"ASSAY_LICENSE_CACHE": str(cache)})
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)  # the whole document reached the pipe
    assert "demo" in [c["name"] for c in doc["components"]]
    assert json.loads(cache.read_text())  # written by the license cache's exit handler


def test_the_exit_code_is_the_commands(tmp_path: Path) -> None:
    done = assay("sbom", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert "no such file or folder" in one_line(done.stderr)
    done = assay("sbom", "--no-such-option")
    assert done.returncode == 2


def test_output_cut_short_by_the_reader_is_not_an_error(tmp_path: Path) -> None:
    site = site_packages(tmp_path, *((f"p{i}", "1.0") for i in range(300)))
    proc = subprocess.Popen([sys.executable, "-m", "assay", "sbom", str(site), "--no-bundled"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # like `| head -c 10`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "Exception ignored" not in err
