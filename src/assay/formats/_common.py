"""Helpers the SBOM writers and readers share: licenses, hash names, ids, URLs, JSON text.

Pure functions over model values; nothing here reads files.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from datetime import UTC, datetime
from json.encoder import encode_basestring_ascii as _escape

from assay import __version__
from assay.identity import hashes as _hashes
from assay.model import Graph, Hash, License

TOOL_NAME = "assay"
TOOL_VERSION = __version__
# A fixed namespace for document UUIDs (uuid5 over the content digest), as bytes.
_DOC_NAMESPACE = bytes.fromhex("6f1d7b0e3c4a5b8e9a512a55a7c0ffee")

def cdx_hash_alg(h: Hash) -> str | None:
    """CycloneDX ``hash-alg`` for a model hash, or None when CycloneDX cannot carry it."""
    return _hashes.cdx_alg(h)


def spdx_hash_alg(h: Hash) -> str | None:
    """SPDX 2.3 checksum algorithm for a model hash, or None."""
    return _hashes.spdx_alg(h)


# -- licenses ----------------------------------------------------------------

try:  # packaging >= 24.2
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
except ImportError:  # pragma: no cover - older packaging
    canonicalize_license_expression = None  # type: ignore[assignment]
    InvalidLicenseExpression = ValueError  # type: ignore[assignment,misc]


@functools.lru_cache(maxsize=4096)
def valid_expression(expr: str | None) -> str | None:
    """The canonical form of ``expr`` if it is a valid SPDX license expression, else None
    (remembered: an SBOM repeats a few expressions over thousands of components)."""
    if not expr or not expr.strip():
        return None
    if canonicalize_license_expression is None:  # pragma: no cover
        ok = re.fullmatch(r"[A-Za-z0-9.+\-() ]+", expr)
        return expr.strip() if ok else None
    try:
        return str(canonicalize_license_expression(expr))
    except (InvalidLicenseExpression, ValueError):
        return None


def license_ref(text: str) -> str:
    """A stable ``LicenseRef-`` id for free license text."""
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", text.strip())[:40].strip("-.") or "text"
    return f"LicenseRef-{slug}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def split_license(lic: License | None) -> tuple[str | None, str | None]:
    """(valid SPDX expression or None, free text that is not a valid expression or None).

    An ``expression`` the model holds that does not validate is treated as free text,
    so writers never emit an invalid expression.
    """
    if lic is None:
        return None, None
    expr = valid_expression(lic.expression)
    text = lic.text if lic.text and lic.text.strip() else None
    if expr is None and lic.expression and lic.expression.strip():
        text = lic.expression if text is None else f"{lic.expression}\n{text}"
    if expr is None and text is not None:
        # free text that happens to be a valid expression ("MIT") is an expression
        as_expr = valid_expression(text) if "\n" not in text and len(text) < 200 else None
        if as_expr is not None:
            return as_expr, None
    return expr, text


# -- misc ---------------------------------------------------------------------

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


def is_url(value: str | None) -> bool:
    """Whether ``value`` is a URL/IRI reference that schema validators accept."""
    return bool(value) and bool(_URL.match(value or ""))


def timestamp(created: datetime) -> str:
    """``YYYY-MM-DDThh:mm:ssZ`` in UTC (what SPDX requires and CycloneDX accepts)."""
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def document_uuid(graph: Graph, created: datetime, fmt: str) -> str:
    """A UUID derived from the graph's content, the timestamp and the format."""
    from assay.formats._lossless import graph_to_dict

    payload = json.dumps(graph_to_dict(graph), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(payload.encode()).hexdigest()
    return uuid5(_DOC_NAMESPACE, f"{fmt}\x00{timestamp(created)}\x00{digest}")


def uuid5(namespace: bytes, name: str) -> str:
    """``str(uuid.uuid5(UUID(bytes=namespace), name))`` without importing uuid (which imports
    platform and asks the system for its MAC address machinery on every start)."""
    b = bytearray(hashlib.sha1(namespace + name.encode(), usedforsecurity=False).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x50  # version 5
    b[8] = (b[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = b.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def dumps_json(doc: object) -> str:
    """``json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=True) + "\\n"``, byte for byte.

    The standard library encodes indented JSON in pure Python; this walks the document once with
    the C string escaper and is several times faster on a large SBOM."""
    out: list[str] = []
    _encode(doc, "", out)
    out.append("\n")
    return "".join(out)


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o in (float("inf"), float("-inf")):
        return "Infinity" if o > 0 else "-Infinity"
    return float.__repr__(o)


def _encode(o: object, ind: str, out: list[str]) -> None:
    """Append the indented JSON of ``o``. Strings, the common case in SBOMs, are written inline
    by their container; other values recurse."""
    append = out.append
    t = type(o)
    if t is dict:
        if not o:
            append("{}")
            return
        inner = ind + "  "
        sep = "{\n" + inner
        for k in sorted(o):  # type: ignore[call-overload]
            v = o[k]  # type: ignore[index]
            key = _escape(k) if type(k) is str else _escape(str(k))
            if type(v) is str:
                append(f"{sep}{key}: {_escape(v)}")
            else:
                append(f"{sep}{key}: ")
                _encode(v, inner, out)
            sep = ",\n" + inner
        append("\n" + ind + "}")
    elif t is list or t is tuple:
        if not o:
            append("[]")
            return
        inner = ind + "  "
        sep = "[\n" + inner
        for v in o:  # type: ignore[attr-defined]
            if type(v) is str:
                append(sep + _escape(v))
            else:
                append(sep)
                _encode(v, inner, out)
            sep = ",\n" + inner
        append("\n" + ind + "]")
    elif t is str:
        append(_escape(o))  # type: ignore[arg-type]
    elif o is None:
        append("null")
    elif o is True:
        append("true")
    elif o is False:
        append("false")
    elif isinstance(o, str):
        append(_escape(o))
    elif isinstance(o, int):
        append(int.__repr__(o))
    elif isinstance(o, float):
        append(_float(o))
    elif isinstance(o, dict | list | tuple):
        _encode(dict(o) if isinstance(o, dict) else list(o), ind, out)
    else:
        raise TypeError(f"Object of type {t.__name__} is not JSON serializable")


def document_name(graph: Graph) -> str:
    root = graph.root_component
    if root is None:
        return graph.metadata.get("target") or "assay-inventory"
    return f"{root.name}-{root.version}" if root.version else root.name
