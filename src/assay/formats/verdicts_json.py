"""Verdicts as JSON: lossless, the documented shape of ``assay verify --format json`` and report.json.

Shape (validated against :data:`JSON_SCHEMA` in the tests)::

    {
      "$schema": "https://assay.dev/schemas/verify-report/1",
      "tool": {"name": "assay", "version": "…"},
      …the report's facts as top-level keys ("source", "policy", "trust root", …)…,
      "summary": {"pass": n, "fail": n, "missing": n, "not-applicable": n},
      "verdicts": [{"artifact", "version", "sha256", "status", "reason", "detail",
                    "checks": [{"kind", "material", "status", "reason", "detail", "signer", "signed_at"}]}]
    }

The document carries no creation time: verdicts depend only on the files, the
policy and the trust root, so a rerun over the same inputs is byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from assay import __version__
from assay.model.verify import Reason, ReleaseAuditResult, Status, Verdict, VerificationReport, as_report

SCHEMA = "https://assay.dev/schemas/verify-report/1"

_STATUS = [s.value for s in Status]
_REASONS = [r.value for r in Reason]

# The JSON report's shape (JSON Schema 2020-12); the tests validate every report against it.
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA,
    "type": "object",
    "required": ["tool", "summary", "verdicts"],
    "properties": {
        "tool": {"type": "object", "required": ["name", "version"]},
        "summary": {"type": "object", "properties": {s: {"type": "integer", "minimum": 0} for s in _STATUS},
                    "required": _STATUS, "additionalProperties": False},
        "verdicts": {"type": "array", "items": {
            "type": "object",
            "required": ["artifact", "status", "reason", "detail", "checks", "sha256", "version"],
            "additionalProperties": False,
            "properties": {
                "artifact": {"type": "string"},
                "version": {"type": ["string", "null"]},
                "sha256": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$"},
                "status": {"enum": _STATUS},
                "reason": {"enum": [*_REASONS, None]},
                "detail": {"type": "string"},
                "checks": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["kind", "material", "status", "reason", "detail", "signer", "signed_at"],
                    "properties": {
                        "kind": {"enum": ["sigstore", "openpgp", "pep740"]},
                        "material": {"type": "string"},
                        "status": {"enum": _STATUS},
                        "reason": {"enum": [*_REASONS, None]},
                        "detail": {"type": "string"},
                        "signer": {"type": ["string", "null"]},
                        "signed_at": {"type": ["string", "null"], "format": "date-time"},
                    }}},
            }}},
    },
}


def to_dict(value: VerificationReport | ReleaseAuditResult | Iterable[Verdict]) -> dict[str, Any]:
    report = as_report(value)
    return {
        "$schema": SCHEMA,
        "tool": {"name": "assay", "version": __version__},
        **dict(report.facts),
        "summary": report.summary(),
        "verdicts": [v.to_json() for v in report.verdicts],
    }


def dumps(value: VerificationReport | ReleaseAuditResult | Iterable[Verdict], *, created: datetime,
          color: bool = False) -> str:
    """``created`` and ``color`` are part of the renderer contract; JSON uses neither."""
    return json.dumps(to_dict(value), indent=2, sort_keys=False) + "\n"
