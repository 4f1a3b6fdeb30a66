"""OpenPGP detached signatures through pysequoia (Sequoia-PGP).

Sequoia judges the key at the signature's creation time: a key that expired
after it signed still verifies (CPython 3.13.5's release key expired in 2026;
its 2025 signature is good), a key that had expired before it signed does
not, and a revoked key fails. Where gpgv exits 0 with EXPKEYSIG or REVKEYSIG,
assay names the problem.

The pass/fail decision is Sequoia's alone. To tell a modified file from a
corrupt signature, assay compares the two-byte digest prefix that every v4
signature packet carries with the digest of (file || hashed signature
fields), a diagnosis that costs one more hash only when verification failed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assay.errors import InputError
from assay.model.verify import Check, Reason, SignatureKind, Status
from assay.verify.artifact import Artifact, same_file_name, subject_of

# pysequoia turns every Sequoia error into a RuntimeError (an anyhow chain); reading a file can
# also fail with OSError, a malformed value with ValueError.
SEQUOIA_ERRORS = (RuntimeError, ValueError, OSError)

_FPR = re.compile(r"^[0-9A-F]{40}$|^[0-9A-F]{64}$")
_HASHES = {2: "sha1", 8: "sha256", 9: "sha384", 10: "sha512", 11: "sha224"}


def normalize_fingerprint(text: str) -> str:
    fpr = text.replace(" ", "").replace(":", "").upper()
    if fpr.startswith("0X"):
        fpr = fpr[2:]
    if not _FPR.match(fpr):
        raise InputError(f"{text}: not an OpenPGP fingerprint (40 or 64 hex digits)")
    return fpr


@dataclass(frozen=True, slots=True)
class Keyring:
    """Certificates loaded once; looked up by primary or subkey fingerprint / key id."""

    certs: tuple[Any, ...]
    sources: tuple[str, ...]

    @classmethod
    def load(cls, paths: list[Path]) -> Keyring:
        import pysequoia

        certs: list[Any] = []
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise InputError(f"{path}: cannot read key ({exc.strerror or exc})") from None
            try:
                found = pysequoia.Cert.split_bytes(data)
            except SEQUOIA_ERRORS:
                raise InputError(f"{path}: not an OpenPGP public key") from None
            if not found:
                raise InputError(f"{path}: holds no OpenPGP certificate")
            certs.extend(found)
        return cls(tuple(certs), tuple(str(p) for p in paths))

    def key_ids(self, cert: Any) -> set[str]:
        """Fingerprints and 64-bit key ids of a certificate's primary key and subkeys (upper hex)."""
        from pysequoia.packet import PacketPile

        ids: set[str] = set()
        for packet in PacketPile.from_bytes(bytes(cert)):
            fpr = packet.fingerprint
            if fpr:
                ids.add(fpr.upper())
                ids.add(fpr.upper()[-16:])
        return ids

    def find(self, issuer: str) -> Any | None:
        issuer = issuer.upper()
        for cert in self.certs:
            if issuer in self.key_ids(cert):
                return cert
        return None


def _utc(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _primary_uid(cert: Any) -> str:
    """The user id its owner marked primary (what gpg shows), else the first one."""
    from pysequoia.packet import PacketPile

    current = None
    try:
        for packet in PacketPile.from_bytes(bytes(cert)):
            tag = str(packet.tag)
            if tag.endswith("UserID"):
                current = packet.user_id
            elif tag.endswith("Subkey"):
                current = None
            elif tag.endswith("Signature") and current and packet.primary_userid:
                return str(current)
    except Exception:  # noqa: S110 - only a display name; fall back to the first user id
        pass
    uids = [str(u) for u in cert.user_ids]
    return uids[0] if uids else ""


def verify(artifact: Artifact, signature_path: Path, keyring: Keyring,
           expected: list[str] | None = None) -> Check:
    """Verify a detached (armored or binary) signature over ``artifact``.

    ``expected``: acceptable primary-key fingerprints; None accepts any key of
    the keyring.
    """
    import pysequoia

    material = str(signature_path)
    if artifact.path is None:
        return Check(SignatureKind.OPENPGP, material, Status.FAIL, Reason.INVALID_SIGNATURE,
                     "an OpenPGP signature needs the file itself, not only its digest")
    try:
        sig = pysequoia.Sig.from_file(str(signature_path))
    except SEQUOIA_ERRORS:
        return Check(SignatureKind.OPENPGP, material, Status.FAIL, Reason.INVALID_SIGNATURE,
                     "not an OpenPGP signature")
    issuer = (sig.issuer_fingerprint or sig.issuer_key_id or "").upper()
    created = sig.created
    cert = keyring.find(issuer) if issuer else None
    if cert is None:
        have = ", ".join(c.fingerprint.upper() for c in keyring.certs) or "none"
        return Check(SignatureKind.OPENPGP, material, Status.FAIL, Reason.WRONG_KEY,
                     f"made by key {issuer or 'unknown'}, not by the given key(s) {have}",
                     signer=issuer or None, signed_at=_utc(created))
    fpr = cert.fingerprint.upper()
    signer = f"{fpr} {_primary_uid(cert)}".strip()
    if expected and fpr not in expected:
        return Check(SignatureKind.OPENPGP, material, Status.FAIL, Reason.WRONG_KEY,
                     f"made by {fpr}, expected {', '.join(expected)}", signer, _utc(created))
    if cert.is_revoked:
        return Check(SignatureKind.OPENPGP, material, Status.FAIL, Reason.KEY_REVOKED,
                     f"key {fpr} is revoked", signer, _utc(created))
    expiry = cert.expiration
    if expiry is not None and created is not None and created >= expiry:
        return Check(SignatureKind.OPENPGP, material, Status.FAIL, Reason.KEY_EXPIRED_AT_SIGNING_TIME,
                     f"signed {_utc(created)}, key {fpr} expired {_utc(expiry)}", signer, _utc(created))
    try:
        pysequoia.verify(file=str(artifact.path), signature=sig, store=lambda _ids: [cert])
    except SEQUOIA_ERRORS:
        reason, detail = _diagnose(artifact, signature_path)
        return Check(SignatureKind.OPENPGP, material, Status.FAIL, reason, detail, signer, _utc(created))
    return Check(SignatureKind.OPENPGP, material, Status.PASS, None, "", signer, _utc(created))


def _diagnose(artifact: Artifact, signature_path: Path) -> tuple[Reason, str]:
    """Data changed, or signature broken? Only for wording; the verdict is already fail."""
    prefix_ok = _digest_prefix_matches(artifact.path, signature_path) if artifact.path else None
    if prefix_ok is True:
        return Reason.INVALID_SIGNATURE, "the signature is corrupt (it is for this file but does not verify)"
    signed_name = subject_of(signature_path)
    if same_file_name(artifact.name, signed_name):
        return Reason.TAMPERED_ARTIFACT, f"{artifact.name} is not the file that was signed"
    if prefix_ok is False:
        return Reason.SIGNATURE_FOR_ANOTHER_FILE, f"the signature is for {signed_name}, not {artifact.name}"
    return Reason.INVALID_SIGNATURE, "the signature does not verify over this file"


def _digest_prefix_matches(path: Path | None, signature_path: Path) -> bool | None:
    """Compare the v4 packet's left 16 bits of the hash with the file's; None if undecidable."""
    from pysequoia.packet import PacketPile

    if path is None:
        return None
    try:
        packets = [p for p in PacketPile.from_file(str(signature_path))]
        body = packets[0].body
    except (*SEQUOIA_ERRORS, IndexError):
        return None
    # v4 binary-document signature: version, type, pk algo, hash algo, hashed-area length.
    if len(body) < 6 or body[0] != 4 or body[1] != 0x00:
        return None
    algo = _HASHES.get(body[3])
    hashed_len = int.from_bytes(body[4:6], "big")
    end = 6 + hashed_len
    if algo is None or len(body) < end + 2:
        return None
    unhashed_len = int.from_bytes(body[end:end + 2], "big")
    prefix_at = end + 2 + unhashed_len
    if len(body) < prefix_at + 2:
        return None
    h = hashlib.new(algo)
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    h.update(body[:end])
    h.update(b"\x04\xff" + end.to_bytes(4, "big"))
    return h.digest()[:2] == body[prefix_at:prefix_at + 2]
