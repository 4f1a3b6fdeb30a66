from __future__ import annotations

from pathlib import Path

import pytest

from ..vulndb.storehelp import shared_store_path


@pytest.fixture(scope="session")
def shared_db(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A store holding all of ../shared/data, imported once per session. Read only."""
    return shared_store_path(tmp_path_factory, shared_data)
