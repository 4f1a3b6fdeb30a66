"""Golden documents: the exact output for a fixed graph, so any change to a format is seen in review.

Regenerate after an intended change with ``ASSAY_UPDATE_GOLDEN=1 pytest tests/formats/test_golden.py``
and read the diff. The tool version is redacted; the golden files themselves must validate.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay import __version__
from assay.formats import assay_json as native
from assay.formats import cyclonedx, spdx

from .graphs import findings_for, rich_graph
from .validators import cyclonedx_errors, spdx_errors

GOLDEN = Path(__file__).parent / "golden"
CREATED = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
CASES = {"rich.cdx.json": cyclonedx, "rich.spdx.json": spdx, "rich.assay.json": native}


def _redacted(text: str) -> str:
    text = text.replace(f"Tool: assay-{__version__}", "Tool: assay-VERSION")
    doc = json.loads(text)
    if "bomFormat" in doc:
        doc["metadata"]["tools"]["components"][0]["version"] = "VERSION"
    if "tool" in doc:
        doc["tool"]["version"] = "VERSION"
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=True) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden_file(name, tmp_path):
    g = rich_graph()
    got = _redacted(CASES[name].dumps(g, created=CREATED, findings=findings_for(g)))
    path = GOLDEN / name
    if os.environ.get("ASSAY_UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    if name.endswith(".cdx.json"):
        assert cyclonedx_errors(expected) is None
    if name.endswith(".spdx.json"):
        assert spdx_errors(expected, tmp_path) == []
    assert got == expected
