"""Scores from vectors, for advisories that give only a vector (OSV `severity`)."""

from __future__ import annotations

import pytest

from assay.model import Severity
from assay.vulndb.cvss import score_of, severity_of


@pytest.mark.parametrize(("vector", "score", "severity"), [
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, Severity.HIGH),     # CVE-2023-4863 per NVD
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, Severity.CRITICAL),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, Severity.CRITICAL),
    ("CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 5.5, Severity.MEDIUM),
    ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N", 3.7, Severity.LOW),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, Severity.NONE),
    ("AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, Severity.HIGH),
    ("AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, Severity.HIGH),  # v2 has no critical band
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", None, Severity.UNKNOWN),
    ("CVSS:3.1/AV:N/AC:L", None, Severity.UNKNOWN),
])
def test_scores(vector: str, score: float | None, severity: Severity) -> None:
    assert score_of(vector) == score
    assert severity_of(score_of(vector), vector) == severity


def test_nvd_scores_match_the_records(shared_db) -> None:
    """Where NVD states both, the score assay computes from the vector is NVD's."""
    from assay.vulndb import Store

    with Store(shared_db) as store:
        rows = store.db.execute("SELECT id, score, vector FROM advisories WHERE source='nvd'").fetchall()
    checked = [(i, s, v) for i, s, v in rows if v.startswith("CVSS:3")]
    assert len(checked) > 20
    for adv_id, score, vector in checked:
        assert score_of(vector) == score, adv_id
