"""The package import graph has no cycle and no package imports one above it (DESIGN.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT.parent / "shared" / "tools" / "import-layers.py"


def test_import_layers_hold(shared_data):
    assert TOOL.is_file(), f"{TOOL} is missing from ../shared"
    r = subprocess.run([sys.executable, str(TOOL), str(ROOT / "src" / "assay")], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 layering problems" in r.stdout
    assert "not placed in a layer" not in r.stdout, r.stdout


def test_help_imports_nothing_heavy():
    code = ("import sys, assay.cli; from click.testing import CliRunner; "
            "CliRunner().invoke(assay.cli.cli, ['--help']); "
            "heavy = [m for m in ('rich', 'sigstore', 'dask', 'pyarrow', 'duckdb', 'jsonschema', 'yaml', "
            "'packaging.requirements') if m in sys.modules]; print(heavy)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"
