"""Sigstore bundles through sigstore-python, offline, against a pinned trust root.

One :class:`SigstoreVerifier` loads the trust root once and verifies any
number of bundles (the per-file CLI loop pays that cost, and Python start-up,
for every file). Time comes from the transparency log's signed entry
timestamp or an RFC 3161 timestamp, never from the clock: sigstore-python
does that; assay only turns its errors into a :class:`Reason`.

Legacy v0.1 bundles whose inclusion proof has no checkpoint (CPython 3.12.x
shipped some) are refused by sigstore-python >= 3. With
``allow_legacy=True`` they are verified as the v0.1 format allows: the
inclusion promise (SET) must verify against the log key in the trust root,
and everything else (chain, SCT, identity, signature, log-body consistency)
is checked by sigstore-python as usual.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assay.errors import InputError
from assay.jsonio import read_json
from assay.model.verify import Check, Reason, SignatureKind, Status
from assay.verify import _compat
from assay.verify.artifact import Artifact, same_file_name, subject_of

# sigstore-python logs a warning for every legacy quirk it tolerates; assay
# reports verdicts instead.
logging.getLogger("sigstore").setLevel(logging.ERROR)

_V01 = "application/vnd.dev.sigstore.bundle+json;version=0.1"
_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1"
_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8"
_OTHERNAME = "1.3.6.1.4.1.57264.1.7"


@dataclass(frozen=True, slots=True)
class SigstoreSigner:
    identity: str
    issuer: str

    def __str__(self) -> str:
        return f"{self.identity} ({self.issuer})"


def load_trusted_root(path: Path | None, *, staging: bool = False) -> Any:
    """A ``TrustedRoot`` from a file (a trusted root or a client trust config).

    Without a file: the production (or staging) root embedded in
    sigstore-python, read in place. Never TUF, so nothing is fetched and
    nothing is written under the user's home.
    """
    from sigstore.models import ClientTrustConfig, TrustedRoot

    if path is None:
        path = _compat.embedded_trusted_root(staging=staging)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a Sigstore trusted root (not UTF-8 JSON)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read trust root ({exc.strerror or exc})") from None
    try:
        doc = json.loads(raw)
        if isinstance(doc, dict) and "trustedRoot" in doc:
            return ClientTrustConfig.from_json(raw).trusted_root
        return TrustedRoot.from_file(str(path))
    except (*_compat.bundle_errors(), KeyError, TypeError) as exc:  # malformed, or a document of another kind
        raise InputError(f"{path}: not a Sigstore trusted root or trust config "
                         f"({_first_line(exc)})") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


@dataclass(frozen=True, slots=True)
class BundleFacts:
    """What assay reads from a bundle's JSON document (the public protobuf-specs format)."""

    dsse: bool = False  # a DSSE envelope (an in-toto statement) rather than a message signature
    message_digest: bytes | None = None  # the signed file's SHA-256, when the message signature names it

    @classmethod
    def of(cls, doc: dict[str, Any]) -> BundleFacts:
        sig = doc.get("messageSignature")
        digest = sig.get("messageDigest") if isinstance(sig, dict) else None
        value = None
        if isinstance(digest, dict) and digest.get("algorithm") == "SHA2_256":
            try:
                value = base64.b64decode(str(digest.get("digest", "")), validate=True)
            except (binascii.Error, ValueError):
                value = None
        return cls(dsse=doc.get("dsseEnvelope") is not None, message_digest=value)


DSSE = BundleFacts(dsse=True)  # a PEP 740 attestation is always a DSSE envelope


def _is_checkpointless_v01(doc: Any) -> bool:
    try:
        if doc.get("mediaType") != _V01:
            return False
        entries = doc["verificationMaterial"]["tlogEntries"]
        return len(entries) == 1 and not (entries[0].get("inclusionProof") or {}).get("checkpoint")
    except (AttributeError, KeyError, TypeError):
        return False


def load_bundle(path: Path, *, allow_legacy: bool) -> tuple[Any, BundleFacts]:
    """Parse a bundle; raises ``BundleProblem`` (a check-level failure), never a traceback."""
    from sigstore.models import Bundle

    doc, raw = read_json(path, invalid=BundleProblem)
    if not isinstance(doc, dict):
        raise BundleProblem("not a Sigstore bundle (a JSON object is expected)")
    facts = BundleFacts.of(doc)
    if _is_checkpointless_v01(doc):
        try:
            legacy = _compat.legacy_v01_bundle(raw)
        except _compat.bundle_errors() as exc:
            raise BundleProblem(_first_line(exc)) from None
        if not allow_legacy:
            raise BundleProblem(
                "legacy v0.1 bundle: its inclusion proof has no log checkpoint "
                "(accept it on its signed entry timestamp with --allow-legacy-bundles)")
        return legacy, facts
    try:
        return Bundle.from_json(raw), facts
    except _compat.bundle_errors() as exc:
        raise BundleProblem(_first_line(exc)) from None


class BundleProblem(Exception):
    """A bundle that cannot be read as one: an ``invalid-bundle`` check, not an error."""


class _RecordingPolicy:
    """Wraps a sigstore policy to learn whether the identity step is what failed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.cert: Any = None
        self.failed = False

    def verify(self, cert: Any) -> None:
        from sigstore.errors import VerificationError

        self.cert = cert
        try:
            self.inner.verify(cert)
        except VerificationError:
            self.failed = True
            raise


def cert_identity(cert: Any) -> tuple[set[str], str | None]:
    """The SAN identities and the OIDC issuer of a Fulcio certificate (for reports)."""
    from cryptography import x509

    sans: set[str] = set()
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans.update(san.get_values_for_type(x509.RFC822Name))
        sans.update(san.get_values_for_type(x509.UniformResourceIdentifier))
        for other in san.get_values_for_type(x509.OtherName):
            if other.type_id.dotted_string == _OTHERNAME:
                sans.add(_der_utf8(other.value) or other.value.decode(errors="replace"))
    except x509.ExtensionNotFound:
        pass
    issuer = None
    for ext in cert.extensions:
        if ext.oid.dotted_string == _ISSUER_V2:
            issuer = _der_utf8(ext.value.value)
            break
        if ext.oid.dotted_string == _ISSUER_V1:
            issuer = ext.value.value.decode(errors="replace")
    return sans, issuer


def _der_utf8(der: bytes) -> str | None:
    """Decode a DER UTF8String (tag 0x0C) with a short or long length."""
    if len(der) < 2 or der[0] != 0x0C:
        return None
    n, off = der[1], 2
    if n & 0x80:
        count = n & 0x7F
        n, off = int.from_bytes(der[2:2 + count], "big"), 2 + count
    return der[off:off + n].decode(errors="replace")


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _signed_time(bundle: Any) -> str | None:
    t = _compat.integrated_time(bundle)
    return _iso(datetime.fromtimestamp(t, tz=UTC)) if t else None


def _claimed_times(bundle: Any) -> list[datetime]:
    """Every time the bundle claims it was signed at: the log's, and its RFC 3161 timestamps'."""
    times: list[datetime] = []
    t = _compat.integrated_time(bundle)
    if t:
        times.append(datetime.fromtimestamp(t, tz=UTC))
    tvd = bundle.verification_material.timestamp_verification_data
    for ts in (tvd.rfc3161_timestamps if tvd is not None else []):
        gen = ts.tst_info.gen_time
        times.append(gen if gen.tzinfo else gen.replace(tzinfo=UTC))
    return times


def _outside_validity(bundle: Any) -> bool:
    """Whether the signing certificate was not valid at a time the bundle claims."""
    cert = bundle.signing_certificate
    return any(not cert.not_valid_before_utc <= t <= cert.not_valid_after_utc for t in _claimed_times(bundle))


def build_policy(signers: list[SigstoreSigner]) -> Any:
    from sigstore.verify import policy

    parts = [policy.Identity(identity=s.identity, issuer=s.issuer) for s in signers]
    return parts[0] if len(parts) == 1 else policy.AnyOf(parts)


def classify_identity(cert: Any, signers: list[SigstoreSigner]) -> tuple[Reason, str]:
    sans, issuer = cert_identity(cert)
    who = ", ".join(sorted(sans)) or "no identity"
    if any(s.identity in sans for s in signers) and not any(s.issuer == issuer for s in signers):
        want = ", ".join(sorted({s.issuer for s in signers}))
        return Reason.WRONG_ISSUER, f"identity {who} was issued by {issuer}, expected {want}"
    want = ", ".join(str(s) for s in signers)
    return Reason.WRONG_IDENTITY, f"signed by {who} ({issuer}), expected {want}"


# Checks one statement of a verified DSSE envelope (its payload bytes): a failure, or None.
StatementCheck = Callable[[bytes], "tuple[Reason, str] | None"]


class SigstoreVerifier:
    """Verifies bundles against one trust root, loaded once."""

    def __init__(self, trusted_root: Path | None = None, *, staging: bool = False,
                 allow_legacy: bool = False) -> None:
        from sigstore.verify import Verifier

        self.root_label = str(trusted_root) if trusted_root else (
            "sigstore-python's embedded " + ("staging" if staging else "production") + " root")
        self._root = load_trusted_root(trusted_root, staging=staging)
        try:
            self._verifier = Verifier(trusted_root=self._root)
        except _compat.bundle_errors() as exc:
            raise InputError(f"{self.root_label}: unusable trust root ({_first_line(exc)})") from None
        self.allow_legacy = allow_legacy

    @property
    def verifier(self) -> Any:
        return self._verifier

    def verify(self, bundle_path: Path, artifact: Artifact | None,
               signers: list[SigstoreSigner]) -> Check:
        """Verify ``artifact`` (None: a DSSE bundle on its own) against ``bundle_path``."""
        material = str(bundle_path)
        if not signers:
            return Check(SignatureKind.SIGSTORE, material, Status.FAIL, Reason.NO_EXPECTED_SIGNER,
                         "no expected Sigstore identity (--identity/--issuer or a policy)")
        try:
            bundle, facts = load_bundle(bundle_path, allow_legacy=self.allow_legacy)
        except BundleProblem as exc:
            return Check(SignatureKind.SIGSTORE, material, Status.FAIL, Reason.INVALID_BUNDLE, str(exc))
        return self.verify_bundle(bundle, material, artifact, signers, facts=facts,
                                  signed_name=subject_of(bundle_path))

    def verify_bundle(self, bundle: Any, material: str, artifact: Artifact | None,
                      signers: list[SigstoreSigner], *, facts: BundleFacts, signed_name: str | None,
                      policy: Any = None, statement_check: StatementCheck | None = None) -> Check:
        """The pass/fail decision is sigstore-python's; assay names the reason of a failure.

        ``statement_check`` adds a check of a verified DSSE statement (PEP 740 binds the file name).
        """
        from sigstore.errors import VerificationError

        recorder = _RecordingPolicy(policy if policy is not None else build_policy(signers))
        try:
            if facts.dsse:
                ptype, payload = self._verifier.verify_dsse(bundle, recorder)
                problem = _check_statement(ptype, payload, artifact, signed_name)
                if problem is None and statement_check is not None:
                    problem = statement_check(payload)
                if problem:
                    return Check(SignatureKind.SIGSTORE, material, Status.FAIL, problem[0], problem[1])
            else:
                if artifact is None:
                    return Check(SignatureKind.SIGSTORE, material, Status.FAIL, Reason.INVALID_BUNDLE,
                                 "a message-signature bundle needs the artifact (or its sha256)")
                self._verifier.verify_artifact(_compat.sha256_hashed(artifact.sha256()), bundle, recorder)
        except (VerificationError, ValueError) as exc:  # ValueError: a part of the bundle fails its model
            if recorder.failed:
                reason, detail = classify_identity(recorder.cert, signers) if signers else (
                    Reason.WRONG_IDENTITY, _first_line(exc))
                return Check(SignatureKind.SIGSTORE, material, Status.FAIL, reason, detail)
            reason, detail = self._classify(exc, bundle, facts, artifact, signed_name,
                                            identity_checked=recorder.cert is not None)
            return Check(SignatureKind.SIGSTORE, material, Status.FAIL, reason, detail)
        sans, issuer = cert_identity(bundle.signing_certificate)
        signer = ", ".join(sorted(sans)) + (f" ({issuer})" if issuer else "")
        return Check(SignatureKind.SIGSTORE, material, Status.PASS, None, "", signer, _signed_time(bundle))

    def _classify(self, exc: Exception, bundle: Any, facts: BundleFacts, artifact: Artifact | None,
                  signed_name: str | None, *, identity_checked: bool) -> tuple[Reason, str]:
        """Why sigstore refused a bundle whose identity was not the problem.

        ``identity_checked``: the identity policy ran and passed, so the time, chain and SCT
        checks before it passed too.
        """
        refusal = _compat.refusal(exc) if not isinstance(exc, ValueError) else _compat.Refusal.OTHER
        msg = _first_line(exc)
        R = _compat.Refusal
        if refusal is R.CERTIFICATE_CHAIN:
            if _outside_validity(bundle):
                return (Reason.EXPIRED,
                        "the signing certificate was not valid at the signature's verified time")
            return Reason.UNTRUSTED_ROOT, f"certificate does not chain to {self.root_label}"
        if identity_checked and artifact is not None and facts.message_digest is not None \
                and facts.message_digest != artifact.sha256():
            # the bundle names the file it signed, and this is not it (sigstore 4.1+ refuses that in
            # words, 4.0 as a bad signature): the bundle's own digest decides, not the words
            return _mismatch(Reason.BUNDLE_FOR_ANOTHER_FILE, artifact, signed_name)
        if refusal is R.SIGNATURE:
            if not facts.dsse and facts.message_digest is None:
                return Reason.INVALID_SIGNATURE, "signature does not verify over this file's digest"
            return Reason.INVALID_SIGNATURE, "the bundle's signature does not verify"
        if refusal is R.EXPIRED_AT_SIGNING:
            return Reason.EXPIRED, "the log entry's time is outside the certificate's validity"
        if refusal in (R.SCT, R.NO_TIMESTAMP_AUTHORITY):
            return Reason.UNTRUSTED_ROOT, f"{msg} (trust root: {self.root_label})"
        if refusal is R.NO_VERIFIED_TIME:
            tvd = bundle.verification_material.timestamp_verification_data
            if tvd is not None and tvd.rfc3161_timestamps:
                return Reason.UNTRUSTED_ROOT, "no timestamp authority of the trust root signed its timestamps"
            return Reason.INVALID_BUNDLE, "no verified time (no inclusion promise, no signed timestamp)"
        return Reason.INVALID_BUNDLE, msg


def _mismatch(another: Reason, artifact: Artifact | None, signed_name: str | None) -> tuple[Reason, str]:
    name = artifact.name if artifact else None
    if same_file_name(name, signed_name):
        return Reason.TAMPERED_ARTIFACT, f"{name} is not the file that was signed (its sha256 differs)"
    what = f"{signed_name}" if signed_name else "another file"
    target = name or (f"sha256:{artifact.sha256_hex()}" if artifact else "this artifact")
    return another, f"signed content is {what}, not {target}"


def _check_statement(ptype: str, payload: bytes, artifact: Artifact | None,
                     signed_name: str | None) -> tuple[Reason, str] | None:
    """An in-toto statement must name the artifact's digest among its subjects."""
    if ptype != "application/vnd.in-toto+json":
        return Reason.INVALID_BUNDLE, f"unexpected DSSE payload type {ptype}"
    try:
        statement = json.loads(payload)
        subjects = statement["subject"]
        digests = {(s.get("digest") or {}).get("sha256", "").lower(): s.get("name") for s in subjects}
    except (ValueError, KeyError, TypeError, AttributeError):
        return Reason.INVALID_BUNDLE, "DSSE payload is not an in-toto statement"
    if artifact is None:
        return None
    digest = artifact.sha256_hex()
    if digest in digests:
        return None
    names = [n for n in digests.values() if n]
    if artifact.name and any(same_file_name(artifact.name, n) for n in names):
        return Reason.TAMPERED_ARTIFACT, f"{artifact.name} is not the file that was signed (sha256 differs)"
    label = ", ".join(names) or signed_name or "other files"
    return (Reason.BUNDLE_FOR_ANOTHER_FILE,
            f"the statement's subjects are {label}, not {artifact.name or digest}")
