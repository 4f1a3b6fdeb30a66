"""CVSS base scores from vectors, for advisories that give only a vector (OSV ``severity``).

CVSS v3.0/v3.1 base scores are computed with the specification's equations
(FIRST, CVSS v3.1 specification, section 7), and v2 base scores likewise. CVSS v4.0 scores come from a
lookup table of macro vectors that assay does not ship; a v4 vector without a
score therefore has no score here (severity ``unknown``) unless the advisory
states one.
"""

from __future__ import annotations

import math

from assay.model import Severity

_AV = {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}
_AC = {"L": 0.77, "H": 0.44}
_PR_U = {"N": 0.85, "L": 0.62, "H": 0.27}
_PR_C = {"N": 0.85, "L": 0.68, "H": 0.5}
_UI = {"N": 0.85, "R": 0.62}
_CIA = {"H": 0.56, "L": 0.22, "N": 0.0}


def _roundup(value: float) -> float:
    """Round up to one decimal as CVSS v3.1 Appendix A defines it (float-safe)."""
    as_int = round(value * 100000)
    if as_int % 10000 == 0:
        return as_int / 100000.0
    return (math.floor(as_int / 10000) + 1) / 10.0


def v3_base_score(vector: str) -> float | None:
    """Base score of a ``CVSS:3.x/AV:…`` vector, or None when it is not a complete v3 vector."""
    if not vector.startswith(("CVSS:3.0/", "CVSS:3.1/")):
        return None
    metrics: dict[str, str] = {}
    for part in vector.split("/")[1:]:
        key, _, value = part.partition(":")
        metrics[key] = value
    try:
        scope_changed = metrics["S"] == "C"
        av, ac, ui = _AV[metrics["AV"]], _AC[metrics["AC"]], _UI[metrics["UI"]]
        pr = (_PR_C if scope_changed else _PR_U)[metrics["PR"]]
        c, i, a = _CIA[metrics["C"]], _CIA[metrics["I"]], _CIA[metrics["A"]]
    except KeyError:
        return None
    iss = 1 - (1 - c) * (1 - i) * (1 - a)
    impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if scope_changed else 6.42 * iss
    exploitability = 8.22 * av * ac * pr * ui
    if impact <= 0:
        return 0.0
    if scope_changed:
        return _roundup(min(1.08 * (impact + exploitability), 10))
    return _roundup(min(impact + exploitability, 10))


_V2_AV = {"L": 0.395, "A": 0.646, "N": 1.0}
_V2_AC = {"H": 0.35, "M": 0.61, "L": 0.71}
_V2_AU = {"M": 0.45, "S": 0.56, "N": 0.704}
_V2_CIA = {"N": 0.0, "P": 0.275, "C": 0.660}


def v2_base_score(vector: str) -> float | None:
    """Base score of a CVSS v2 vector (``AV:N/AC:L/Au:N/C:P/I:P/A:P``, optionally in
    parentheses or after ``CVSS:2.0/``), or None when it is not one."""
    text = vector.strip().strip("()").removeprefix("CVSS:2.0/")
    metrics = dict(part.partition(":")[::2] for part in text.split("/"))
    try:
        av, ac, au = _V2_AV[metrics["AV"]], _V2_AC[metrics["AC"]], _V2_AU[metrics["Au"]]
        c, i, a = _V2_CIA[metrics["C"]], _V2_CIA[metrics["I"]], _V2_CIA[metrics["A"]]
    except KeyError:
        return None
    impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a))
    exploitability = 20 * av * ac * au
    f_impact = 0.0 if impact == 0 else 1.176
    return round(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f_impact + 1e-9, 1)


def score_of(vector: str) -> float | None:
    """A base score for any vector assay can compute (v3.x, v2); None otherwise (v4)."""
    if vector.startswith("CVSS:3"):
        return v3_base_score(vector)
    if vector.startswith("CVSS:4"):
        return None
    return v2_base_score(vector)


def severity_of(score: float | None, vector: str = "") -> Severity:
    """Qualitative rating: CVSS v2 has no "critical" band (7.0-10.0 is high)."""
    sev = Severity.from_score(score)
    if sev == Severity.CRITICAL and vector and not vector.startswith("CVSS:"):
        return Severity.HIGH
    return sev
