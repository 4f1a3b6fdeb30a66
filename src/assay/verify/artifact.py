"""The thing being verified: a file on disk, or only its SHA-256 digest.

The digest is computed once, streaming, and shared by every check of the
artifact (a Sigstore bundle, a PEP 740 attestation and a DSSE statement all
verify against the same 32 bytes).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from assay.errors import InputError
from assay.verify.discover import subject_of

__all__ = ["Artifact", "file_sha256", "same_file_name", "subject_of"]

_DIGEST = re.compile(r"^sha256:([0-9a-fA-F]{64})$")
CHUNK = 1 << 20


def file_sha256(path: Path) -> bytes:
    """SHA-256 of a file, streamed (hashlib releases the GIL on large blocks)."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").digest()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


@dataclass(slots=True)
class Artifact:
    """A file to verify (``path``), or only its SHA-256 (``digest``, from ``sha256:<hex>``).

    ``digest`` is filled the first time :meth:`sha256` reads the file, so every
    check of one artifact shares one pass over its bytes.
    """

    label: str  # as the user named it
    path: Path | None = None
    digest: bytes | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, text: str) -> Artifact:
        """A path, or ``sha256:<hex>`` for an artifact known only by its digest."""
        path = Path(text)
        if path.is_file():
            return cls(text, path)
        m = _DIGEST.match(text)
        if m:
            return cls(text, None, bytes.fromhex(m.group(1)))
        if path.exists():
            raise InputError(f"{text}: not a regular file")
        raise InputError(f"{text}: no such file (give a path or sha256:<64 hex digits>)")

    @property
    def name(self) -> str | None:
        return self.path.name if self.path else None

    def sha256(self) -> bytes:
        if self.digest is None:
            assert self.path is not None
            self.digest = file_sha256(self.path)
        return self.digest

    def sha256_hex(self) -> str:
        return self.sha256().hex()


def same_file_name(artifact_name: str | None, signed_name: str | None) -> bool:
    """Whether an artifact is (a copy of) the file the material was made for.

    Equal names, or the artifact's name is the signed name plus a suffix
    (``X.tar.xz.tampered``, ``X.tar.xz.1`` as saved by a browser). Used only to
    word a mismatch: the bytes differ either way, but "tampered" and "for
    another file" call for different actions.
    """
    if not artifact_name or not signed_name:
        return False
    return artifact_name == signed_name or artifact_name.startswith(signed_name + ".")
