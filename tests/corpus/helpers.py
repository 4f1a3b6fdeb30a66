"""Helpers of the corpus tests (imported relatively: the name `corpus` alone is not ours)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ML = "manylinux_2_17_x86_64.manylinux2014_x86_64"
# Small real wheels; Pillow 10.0.0 bundles libwebp 1.3.1 (CVE-2023-4863), 10.0.1 libwebp 1.3.2.
WHEELS: dict[str, str] = {
    f"Pillow-10.0.0-cp311-cp311-{ML}.whl": "0b6eb5502f45a60a3f411c63187db83a3d3107887ad0d036c13ce836f8a36f1d",
    f"Pillow-10.0.1-cp311-cp311-{ML}.whl": "93139acd8109edcdeffd85e3af8ae7d88b258b3a1e13a038f542b79b6d255c54",
    "pip-21.3.1-py3-none-any.whl": "deaf32dcd9ab821e359cd8330786bcd077604b5c5730c0b096eda46f95c24a2d",
    "six-1.16.0-py2.py3-none-any.whl": "8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254",
    f"psycopg2_binary-2.9.9-cp311-cp311-{ML}.whl":
        "977646e05232579d2e7b9c59e21dbe5261f403a88417f6a6512e70d3f8a046be",
    f"pyzmq-25.1.2-cp311-cp311-{ML}.whl": "7598d2ba821caa37a0f9d54c25164a4fa351ce019d64d0b44b45540950458840",
}
BIN = Path(sys.executable).parent


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assay(*args: str, env: dict[str, str] | None = None, timeout: float = 300,
          check: bool = False) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(BIN / "assay"), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"assay {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def sql(store: Path, query: str) -> list[dict]:
    """Rows of ``query`` over the corpus store, as dicts."""
    from assay.corpus.query import run_sql
    from assay.corpus.store import open_store

    cols, rows = run_sql(open_store(store), query)
    return [dict(zip(cols, r, strict=True)) for r in rows]
