"""Reading JSON input files with the one-line errors DESIGN.md asks for."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assay.errors import InputError


def read_json(path: Path, *, invalid: Callable[[str], Exception] | None = None) -> tuple[Any, bytes]:
    """(parsed document, raw bytes); a missing or unreadable file is an InputError.

    Malformed JSON is an InputError too, unless ``invalid`` makes the exception to raise
    instead (a verifier turns it into a verdict rather than a usage error).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return json.loads(raw), raw
    except (ValueError, UnicodeDecodeError) as exc:
        if invalid is not None:
            raise invalid("not JSON") from None
        raise InputError(f"{path}: not valid JSON ({exc})") from None
