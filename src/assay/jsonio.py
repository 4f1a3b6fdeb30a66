"""Reading JSON input files with the one-line errors DESIGN.md asks for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assay.errors import InputError


def read_json(path: Path) -> tuple[Any, bytes]:
    """(parsed document, raw bytes); a missing, unreadable or malformed file is an InputError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return json.loads(raw), raw
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
