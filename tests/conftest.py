from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pypi import SHARED


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED


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
