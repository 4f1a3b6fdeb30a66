"""The human table: every component on a row, plain text unless colour is asked for."""

from __future__ import annotations

from datetime import UTC, datetime

from assay.formats import table

from .graphs import findings_for, rich_graph

CREATED = datetime(2024, 5, 1, tzinfo=UTC)


def test_rows_and_summary_without_colour():
    g = rich_graph()
    text = table.dumps(g, created=CREATED, findings=findings_for(g), color=False)
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert lines[0].split() == ["name", "version", "kind", "license", "purl", "vulns"]
    row = next(line for line in lines if line.startswith("requests "))
    assert row.split()[:5] == ["requests", "2.32.3", "python-package", "Apache-2.0",
                               "pkg:pypi/requests@2.32.3"]
    webp = next(line for line in lines if line.startswith("libwebp "))
    assert webp.split()[-1] == "1"  # one (not ignored) finding
    assert next(line for line in lines if line.startswith("zürich-tools")).split()[1] == "unknown"
    assert lines[-1].startswith("8 components in venv (2 native-library, 5 python-package, "
                                "1 vendored-package), 11 relationships, 2 unknowns, 2 findings")


def test_colour_when_asked():
    assert "\x1b[" in table.dumps(rich_graph(), created=CREATED, color=True)


def test_not_a_tty_means_no_colour(capsys):
    # under pytest's capture stdout is not a terminal
    assert "\x1b[" not in table.dumps(rich_graph(), created=CREATED)
