"""Helpers the SBOM writers and the SBOM reader share: licenses, hashes, ids, URLs.

Pure functions over model values; nothing here reads files.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime

from assay import __version__
from assay.model import Graph, Hash, License

TOOL_NAME = "assay"
TOOL_VERSION = __version__
# A fixed namespace for document UUIDs (uuid5 over the content digest).
_DOC_NAMESPACE = uuid.UUID("6f1d7b0e-3c4a-5b8e-9a51-2a55a7c0ffee")

# hashlib name (and hex length) -> CycloneDX alg / SPDX checksum algorithm.
_HEX_BITS = {32: 128, 40: 160, 56: 224, 64: 256, 96: 384, 128: 512}
_CDX_ALG = {
    "md5": "MD5", "sha1": "SHA-1", "sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512",
    "sha3_256": "SHA3-256", "sha3_384": "SHA3-384", "sha3_512": "SHA3-512", "blake3": "BLAKE3",
}
_SPDX_ALG = {
    "md5": "MD5", "sha1": "SHA1", "sha224": "SHA224", "sha256": "SHA256", "sha384": "SHA384",
    "sha512": "SHA512", "sha3_256": "SHA3_256", "sha3_384": "SHA3_384", "sha3_512": "SHA3_512",
    "blake3": "BLAKE3", "md2": "MD2", "md4": "MD4", "md6": "MD6", "adler32": "ADLER32",
}
_HEX = re.compile(r"^[0-9a-fA-F]+$")


def _norm_alg(alg: str) -> str:
    return alg.lower().replace("-", "").replace("_", "") if alg else ""


def _blake2b_name(value: str) -> str | None:
    bits = _HEX_BITS.get(len(value))
    return f"BLAKE2b-{bits}" if bits in (256, 384, 512) else None


def _lookup_alg(h: Hash, table: dict[str, str]) -> str | None:
    alg = _norm_alg(h.alg)
    if alg.startswith("blake2b"):
        return _blake2b_name(h.value)
    return table.get(alg)


def cdx_hash_alg(h: Hash) -> str | None:
    """CycloneDX ``hash-alg`` for a model hash, or None when CycloneDX cannot carry it."""
    if not _HEX.match(h.value) or len(h.value) not in (32, 40, 64, 96, 128):
        return None
    return _lookup_alg(h, _CDX_TABLE)


def spdx_hash_alg(h: Hash) -> str | None:
    """SPDX 2.3 checksum algorithm for a model hash, or None."""
    if not _HEX.match(h.value):
        return None
    return _lookup_alg(h, _SPDX_TABLE)


def hash_from_external(alg: str, value: str) -> Hash:
    """A model hash (hashlib naming) from a CycloneDX alg or SPDX algorithm name."""
    a = alg.strip().upper().replace("_", "-")
    if a.startswith("BLAKE2B"):
        name = "blake2b" if a.endswith("512") else "blake2b_" + a.rsplit("-", 1)[-1]
    elif a.startswith("SHA3-"):
        name = "sha3_" + a[5:]
    elif a == "BLAKE3":
        name = "blake3"
    else:
        name = a.lower().replace("-", "")
    return Hash(name, value.lower())


# -- licenses ----------------------------------------------------------------

try:  # packaging >= 24.2
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
except ImportError:  # pragma: no cover - older packaging
    canonicalize_license_expression = None  # type: ignore[assignment]
    InvalidLicenseExpression = ValueError  # type: ignore[assignment,misc]


def valid_expression(expr: str | None) -> str | None:
    """The canonical form of ``expr`` if it is a valid SPDX license expression, else None."""
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


def document_uuid(graph: Graph, created: datetime, fmt: str) -> uuid.UUID:
    """A UUID derived from the graph's content, the timestamp and the format."""
    from assay.formats.native import graph_to_dict

    payload = json.dumps(graph_to_dict(graph), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(payload.encode()).hexdigest()
    return uuid.uuid5(_DOC_NAMESPACE, f"{fmt}\x00{timestamp(created)}\x00{digest}")


def dumps_json(doc: object) -> str:
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=True) + "\n"


def document_name(graph: Graph) -> str:
    root = graph.root_component
    if root is None:
        return graph.metadata.get("target") or "assay-inventory"
    return f"{root.name}-{root.version}" if root.version else root.name


# normalised once (these lookups run for every hash of every component)
_CDX_TABLE = {_norm_alg(k): v for k, v in _CDX_ALG.items()}
_SPDX_TABLE = {_norm_alg(k): v for k, v in _SPDX_ALG.items()}
