"""Rendering verdicts: text for a terminal, JSON (lossless), Markdown, one self-contained HTML page."""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from assay import __version__
from assay.verify.model import ADVICE, Reason, Status, Verdict

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


def summary(verdicts: Iterable[Verdict]) -> dict[str, int]:
    counts = Counter(str(v.status) for v in verdicts)
    return {s.value: counts.get(s.value, 0) for s in Status}


def to_json(verdicts: list[Verdict], *, meta: dict[str, Any] | None = None) -> str:
    doc = {
        "$schema": SCHEMA,
        "tool": {"name": "assay", "version": __version__},
        **(meta or {}),
        "summary": summary(verdicts),
        "verdicts": [v.to_json() for v in verdicts],
    }
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"


def _line(v: Verdict) -> str:
    head = f"{v.status.value.upper():<14} {v.artifact}"
    if v.reason:
        head += f"  [{v.reason.value}]"
    if v.detail:
        head += f"  {v.detail}"
    return head


def to_text(verdicts: list[Verdict]) -> str:
    lines = [_line(v) for v in verdicts]
    for v in verdicts:
        if v.reason and v.reason in ADVICE:
            lines.append(f"  -> {v.artifact}: {ADVICE[v.reason]}")
    s = summary(verdicts)
    lines.append(", ".join(f"{n} {k}" for k, n in s.items() if n) or "nothing verified")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(verdicts: list[Verdict], *, title: str = "Signature verification",
                meta: dict[str, Any] | None = None) -> str:
    s = summary(verdicts)
    out = [f"# {title}", ""]
    for k, v in (meta or {}).items():
        if isinstance(v, str | int | float):
            out.append(f"- **{k}**: {_md(str(v))}")
    out.append("- **summary**: " + ", ".join(f"{n} {k}" for k, n in s.items()))
    out += ["", "| Version | Artifact | Verdict | Reason | Signer / detail |", "|-|-|-|-|-|"]
    for v in verdicts:
        signers = ", ".join(sorted({c.signer for c in v.checks if c.signer and c.status is Status.PASS}))
        out.append(f"| {_md(v.version or '')} | `{_md(v.artifact)}` | {v.status.value.upper()} | "
                   f"{v.reason.value if v.reason else ''} | {_md(signers or v.detail)} |")
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4;position:sticky;top:0}
.pass{background:#e6f4ea}.fail{background:#fce8e6}.missing{background:#fef7e0}
.not-applicable{color:#777}
code{font-size:.85rem}
input{margin:.5rem 0;padding:.3rem;width:20rem}
"""

_JS = """
document.getElementById('q').addEventListener('input',function(e){
 var q=e.target.value.toLowerCase();
 document.querySelectorAll('tbody tr').forEach(function(r){
  r.style.display=r.textContent.toLowerCase().indexOf(q)>=0?'':'none';});});
"""


def to_html(verdicts: list[Verdict], *, title: str = "Signature verification",
            meta: dict[str, Any] | None = None) -> str:
    """One file, no external resources: publishable as is."""
    e = html.escape
    s = summary(verdicts)
    rows = []
    for v in verdicts:
        checks = "<br>".join(
            e(f"{c.kind.value}: {c.status.value}" + (f" [{c.reason.value}]" if c.reason else "")
              + (f" by {c.signer}" if c.signer else "") + (f" at {c.signed_at}" if c.signed_at else "")
              + (f" ({c.detail})" if c.detail and c.status is not Status.PASS else ""))
            for c in v.checks)
        rows.append(
            f'<tr class="{e(v.status.value)}"><td>{e(v.version or "")}</td>'
            f"<td><code>{e(v.artifact)}</code></td>"
            f"<td>{e(v.status.value.upper())}</td><td>{e(v.reason.value if v.reason else '')}</td>"
            f"<td>{e(v.detail)}</td><td>{checks}</td><td><code>{e(v.sha256 or '')}</code></td></tr>")
    facts = "".join(f"<li><b>{e(str(k))}</b>: {e(str(val))}</li>" for k, val in (meta or {}).items()
                    if isinstance(val, str | int | float))
    counts = ", ".join(f"{n} {k}" for k, n in s.items())
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{e(title)}</h1><ul>{facts}<li><b>summary</b>: {e(counts)}</li></ul>"
        '<input id="q" placeholder="filter rows" aria-label="filter">'
        "<table><thead><tr><th>Version</th><th>Artifact</th><th>Verdict</th><th>Reason</th>"
        "<th>Detail</th><th>Checks</th><th>SHA-256</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody></table><p>Generated by assay {e(__version__)}.</p><script>{_JS}</script></body></html>\n"
    )


def render(fmt: str, verdicts: list[Verdict], *, title: str = "Signature verification",
           meta: dict[str, Any] | None = None) -> str:
    if fmt == "json":
        return to_json(verdicts, meta=meta)
    if fmt in ("markdown", "md"):
        return to_markdown(verdicts, title=title, meta=meta)
    if fmt == "html":
        return to_html(verdicts, title=title, meta=meta)
    return to_text(verdicts)
