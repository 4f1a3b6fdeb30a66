"""Licenses from core metadata: a thin layer over :mod:`assay.licenses` for today's callers.

``from_metadata`` (fields only) and ``identify_text`` (one text) keep their signatures;
the rules and the SPDX License List matching live in :mod:`assay.licenses`, whose
``resolve_license`` also reads a distribution's license files.
"""

from __future__ import annotations

from collections.abc import Iterable

from assay.licenses import ALIASES, CLASSIFIERS, match_text, resolve_license, spdx_expression
from assay.model import License

__all__ = ["ALIASES", "CLASSIFIERS", "from_metadata", "identify_text", "spdx_expression"]


def identify_text(text: str) -> str | None:
    """The SPDX expression of a full license text, when SPDX templates match it and nothing else
    in it reads as further terms."""
    m = match_text(text)
    ids = sorted({h.license_id for h in m.hits if not h.is_exception})
    if not ids or m.terms_left:
        return None
    return " AND ".join(ids)


def from_metadata(expression: str | None, license_field: str | None,
                  classifiers: Iterable[str]) -> License | None:
    """The best-proven license from core metadata fields alone (no files)."""
    fields = {"License-Expression": [expression] if expression else [],
              "License": [license_field] if license_field else [],
              "Classifier": list(classifiers)}
    return resolve_license(fields).license
