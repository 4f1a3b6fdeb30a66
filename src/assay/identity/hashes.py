"""Hash algorithm names: one normal form (hashlib's) and the names SPDX and CycloneDX use.

The model stores :class:`~assay.model.Hash` with ``alg`` as hashlib names it (``sha256``,
``sha3_256``, ``blake2b``) and ``value`` as lower-case hex. Every input that names an
algorithm its own way (``SHA-256`` in CycloneDX, ``SHA256`` in SPDX, ``sha-256`` in a lock
file, ``sha256=`` in PEP 610 and RECORD) comes through :func:`normalise`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping

from assay.model import Hash

_HEX = re.compile(r"^[0-9a-fA-F]+$")
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


def _key(alg: str) -> str:
    """A comparison key: lower case, no dashes or underscores (``SHA3-256`` -> ``sha3256``)."""
    return alg.lower().replace("-", "").replace("_", "") if alg else ""


_CDX_TABLE = {_key(k): v for k, v in _CDX_ALG.items()}
_SPDX_TABLE = {_key(k): v for k, v in _SPDX_ALG.items()}
_HASHLIB = {_key(k): k for k in (*_SPDX_ALG, "sha224", "sha3_224", "blake2s", "blake2b")}


def normalise(alg: str) -> str:
    """hashlib's name for an algorithm written any common way: ``SHA-256``, ``SHA256``, ``sha-256``
    -> ``sha256``; ``SHA3-256``/``SHA3_256`` -> ``sha3_256``; ``BLAKE2b-512`` -> ``blake2b``."""
    a = alg.strip()
    k = _key(a)
    if k.startswith("blake2b"):
        bits = k[len("blake2b"):]
        return "blake2b" if bits in ("", "512") else f"blake2b_{bits}"
    return _HASHLIB.get(k, a.lower().replace("-", ""))


def make(alg: str, value: str) -> Hash:
    """A model hash from any spelling of the algorithm and a hex value."""
    return Hash(normalise(alg), value.strip().lower())


def parse_prefixed(text: str, sep: str = ":") -> Hash | None:
    """``sha256:abc...`` (lock files) or, with ``sep="="``, ``sha256=abc...`` (PEP 610 ``hash``)."""
    alg, found, value = text.partition(sep)
    if not found or not alg or not value:
        return None
    return make(alg, value)


def from_mapping(mapping: Mapping[str, str] | None, *legacy: str | None) -> tuple[Hash, ...]:
    """Hashes from a ``{"sha256": "..."}`` mapping (PEP 610/710, pylock, pip report) plus legacy
    ``alg=value`` strings; sorted by algorithm, one per algorithm (the mapping wins)."""
    out: dict[str, Hash] = {}
    for alg, value in (mapping or {}).items():
        if isinstance(alg, str) and isinstance(value, str):
            h = make(alg, value)
            out[h.alg] = h
    for text in legacy:
        if isinstance(text, str) and (h := parse_prefixed(text, "=")) is not None:
            out.setdefault(h.alg, h)
    return tuple(out[a] for a in sorted(out))


def unique(hashes: Iterable[Hash]) -> tuple[Hash, ...]:
    return tuple(dict.fromkeys(hashes))


def cdx_alg(h: Hash) -> str | None:
    """CycloneDX ``hash-alg`` for a model hash, or None when CycloneDX cannot carry it."""
    if not _HEX.match(h.value) or len(h.value) not in (32, 40, 64, 96, 128):
        return None
    return _lookup(h, _CDX_TABLE)


def spdx_alg(h: Hash) -> str | None:
    """SPDX 2.3 checksum algorithm for a model hash, or None."""
    if not _HEX.match(h.value):
        return None
    return _lookup(h, _SPDX_TABLE)


def _lookup(h: Hash, table: dict[str, str]) -> str | None:
    alg = _key(h.alg)
    if alg.startswith("blake2b"):
        bits = _HEX_BITS.get(len(h.value))
        return f"BLAKE2b-{bits}" if bits in (256, 384, 512) else None
    return table.get(alg)


def urlsafe_digest(digest: bytes) -> str:
    """The RECORD / PEP 376 form of a digest: urlsafe base64 without padding."""
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


__all__ = ["cdx_alg", "from_mapping", "make", "normalise", "parse_prefixed", "spdx_alg", "unique",
           "urlsafe_digest"]
