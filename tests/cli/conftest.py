from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A temporary folder every user can enter (pytest's own are private to the user running the
    tests), for the runs as an unprivileged user."""
    path = Path(tempfile.mkdtemp(prefix="assay-test-"))
    os.chmod(path, 0o755)
    try:
        yield path
    finally:
        for root, dirs, _files in os.walk(path):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(path, ignore_errors=True)
