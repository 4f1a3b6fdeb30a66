from __future__ import annotations

from pathlib import Path

import pytest

from .validators import spdx_errors


@pytest.fixture
def spdx_validate(tmp_path: Path):
    """spdx-tools' validation messages for an SPDX JSON text ([] when valid)."""
    return lambda text: spdx_errors(text, tmp_path)
