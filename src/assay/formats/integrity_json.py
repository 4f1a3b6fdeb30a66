"""Integrity results as JSON (``assay integrity -f json``, ``integrity.json`` of a scan)."""

from __future__ import annotations

import json
from datetime import datetime

from assay.model.integrity import IntegrityReport


def dumps(report: IntegrityReport, *, created: datetime | None = None, color: bool | None = None) -> str:
    return json.dumps(report.to_json(), indent=2, sort_keys=True) + "\n"
