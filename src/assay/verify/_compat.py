"""Every touch of a private part of sigstore-python and pypi-attestations, in one place.

assay verifies offline against a pinned trust root, accepts legacy v0.1 bundles on
their signed entry timestamp, and names *why* a verification failed. The public
APIs of sigstore-python and pypi-attestations do not cover all of that, so a few
private parts are used, here and nowhere else. Run against (the ``verify`` extra
in pyproject.toml pins the ranges: sigstore >=4,<5, pypi-attestations >=0.0.28,<0.1):

    sigstore 4.5.1 (with sigstore-models 0.0.6), pypi-attestations 0.0.30

and read in the sources of the lowest versions of the ranges (sigstore 4.0.0,
pypi-attestations 0.0.28): every touch below is there too.

``tests/verify/test_compat.py`` fails when any of the touches below disappears
from the installed versions, or when a version outside the pinned ranges is
installed. The touches (:data:`TOUCHES` lists them for that test):

 1. ``sigstore._store``: the folder holding the trust roots embedded in
    sigstore-python, read in place (never TUF: nothing fetched, nothing written).
 2. ``sigstore._utils.cert_is_leaf``: the leaf check a v0.1 bundle must pass.
 3. ``sigstore.models.TransparencyLogEntry._validate``: overridden for a v0.1 entry
    whose inclusion proof has no checkpoint (it must carry an inclusion promise).
 4. ``TransparencyLogEntry._verify``: overridden to verify the inclusion promise only.
 5. ``TransparencyLogEntry._verify_set``: the inclusion-promise (SET) check it calls.
 6. ``TransparencyLogEntry._inner``: read for the inclusion promise and the log's
    integrated time (the signing time assay reports).
 7. ``sigstore.models.Bundle._verify``: overridden for a v0.1 bundle's invariants.
 8. ``Bundle._inner``: read for the verification material of that bundle.
 9. ``Bundle._signing_certificate`` and ``Bundle._log_entry``: set, as
    ``Bundle._verify`` does.
10. ``pypi_attestations`` publishers' ``_as_policy()``: a Trusted Publisher as a
    sigstore verification policy (the public ``Attestation.verify`` would build its
    own verifier from TUF, not from the pinned root).

Failure reasons come from exception *types* where the libraries have them
(:class:`sigstore.errors.CertValidationError`, cryptography's ``InvalidSignature``
as the direct cause), from the verification stage (the identity policy is called
after the time, chain and SCT checks and before the log and signature checks) and
from the bundle itself (a bundle that names another file's digest is for another
file, whatever words sigstore uses). Where sigstore-python gives only a message,
the message is named once, in :data:`SIGSTORE_MESSAGES`, and tested to still
occur in the pinned source.

Public but version-sensitive: ``sigstore_models`` (pinned exactly by sigstore) for
the inner bundle model and the hash-algorithm enum.
"""

from __future__ import annotations

import importlib.util
from enum import StrEnum
from pathlib import Path
from typing import Any

from assay.errors import EXIT_USAGE, AssayError

CHECKED_AGAINST: dict[str, str] = {
    "sigstore": "4.5.1",
    "sigstore-models": "0.0.6",
    "pypi-attestations": "0.0.30",
    "pysequoia": "0.1.35",
}

# (module, dotted attribute or "" for the module itself): what the test checks still exists.
# Instance attributes (_inner, _signing_certificate, _log_entry) are checked on real objects.
TOUCHES: tuple[tuple[str, str], ...] = (
    ("sigstore._store", ""),
    ("sigstore._utils", "cert_is_leaf"),
    ("sigstore.models", "TransparencyLogEntry._validate"),
    ("sigstore.models", "TransparencyLogEntry._verify"),
    ("sigstore.models", "TransparencyLogEntry._verify_set"),
    ("sigstore.models", "Bundle._verify"),
    ("pypi_attestations", "GitHubPublisher._as_policy"),
    ("pypi_attestations", "GitLabPublisher._as_policy"),
    ("pypi_attestations", "GooglePublisher._as_policy"),
)

EXTRA = "verify"
# Top-level modules the verify extra brings (directly or through sigstore).
EXTRA_MODULES = ("sigstore", "sigstore_models", "pypi_attestations", "pydantic", "pysequoia", "cryptography")


class MissingExtra(AssayError):
    """An optional dependency is not installed: a usage problem (exit 2), never a verdict."""

    exit_code = EXIT_USAGE


def missing_extra(modules: list[str] | tuple[str, ...]) -> MissingExtra:
    names = ", ".join(modules)
    return MissingExtra(f"signature verification needs the '{EXTRA}' extra ({names} not installed): "
                        f"pip install 'assay[{EXTRA}]'")


def require_extra() -> None:
    """Raise :class:`MissingExtra` unless every module of the verify extra can be imported.

    Uses ``find_spec`` only: nothing heavy is imported here.
    """
    missing = [m for m in EXTRA_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise missing_extra(missing)


# ----------------------------------------------------------------------------- trust root (touch 1)

def embedded_trusted_root(*, staging: bool = False) -> Path:
    """The ``trusted_root.json`` embedded in sigstore-python (production or staging)."""
    import sigstore._store as store

    host = "tuf-repo-cdn.sigstage.dev" if staging else "tuf-repo-cdn.sigstore.dev"
    return Path(store.__file__).parent / f"https%3A%2F%2F{host}" / "trusted_root.json"


# ----------------------------------------------------------------------------- legacy v0.1 (touches 2-9)

def legacy_v01_bundle(raw: bytes) -> Any:
    """A v0.1 bundle whose inclusion proof lacks a checkpoint, made verifiable on its SET alone.

    Everything else (chain, SCT, identity, signature, log-body consistency) is left
    to sigstore-python's verifier as usual. Raises sigstore's ``InvalidBundle`` (or a
    model validation error) for a bundle that is malformed in any other way.
    """
    from cryptography.x509 import load_der_x509_certificate
    from sigstore._utils import cert_is_leaf
    from sigstore.models import Bundle, InvalidBundle, TransparencyLogEntry
    from sigstore_models.bundle.v1 import Bundle as InnerBundle

    class SetOnlyEntry(TransparencyLogEntry):
        def _validate(self) -> None:
            if self._inner.inclusion_promise is None or not self._inner.integrated_time:
                raise InvalidBundle("v0.1 bundle without checkpoint must carry an inclusion promise")

        def _verify(self, keyring: Any) -> None:
            self._verify_set(keyring)

    class LegacyBundle(Bundle):
        def _verify(self) -> None:
            vm = self._inner.verification_material
            chain = vm.x509_certificate_chain
            if chain is None or not chain.certificates:
                raise InvalidBundle("expected non-empty certificate chain in bundle")
            leaf = load_der_x509_certificate(chain.certificates[0].raw_bytes)
            if not cert_is_leaf(leaf):
                raise InvalidBundle("first certificate of the chain is not a leaf")
            if len(vm.tlog_entries) != 1:
                raise InvalidBundle("expected exactly one log entry in bundle")
            self._signing_certificate = leaf
            self._log_entry = SetOnlyEntry(vm.tlog_entries[0])

    return LegacyBundle(InnerBundle.from_json(raw))


# ----------------------------------------------------------------------------- reading a bundle (touch 6)

def integrated_time(bundle: Any) -> int | None:
    """The transparency log's integrated time of the bundle's entry (Unix seconds), if any."""
    value = bundle.log_entry._inner.integrated_time
    return int(value) if value else None


# ----------------------------------------------------------------------------- PEP 740 (touch 10)

def publisher_policy(publisher: Any) -> Any:
    """A pypi-attestations Trusted Publisher as a sigstore ``VerificationPolicy``."""
    return publisher._as_policy()


# ----------------------------------------------------------------------------- sigstore's hash type

def sha256_hashed(digest: bytes) -> Any:
    """A prehashed SHA-256 input for ``Verifier.verify_artifact``."""
    from sigstore.hashes import Hashed
    from sigstore_models.common.v1 import HashAlgorithm

    return Hashed(algorithm=HashAlgorithm.SHA2_256, digest=digest)


# ----------------------------------------------------------------------------- why verification failed

class Refusal(StrEnum):
    """Why sigstore-python's ``Verifier`` refused a bundle, as far as assay tells causes apart."""

    CERTIFICATE_CHAIN = "certificate-chain"  # type: CertValidationError
    SIGNATURE = "signature"  # type: cryptography InvalidSignature as the direct cause
    EXPIRED_AT_SIGNING = "expired-at-signing"  # message
    SCT = "sct"  # message
    NO_TIMESTAMP_AUTHORITY = "no-timestamp-authority"  # message
    NO_VERIFIED_TIME = "no-verified-time"  # message
    OTHER = "other"  # anything else: the bundle's proofs do not hold together


# Where sigstore-python raises a bare VerificationError, the text it raises with: (module, text).
# The test reads each module's source and fails when a text is gone.
SIGSTORE_MESSAGES: dict[Refusal, tuple[str, str]] = {
    Refusal.EXPIRED_AT_SIGNING: ("sigstore.verify.verifier", "expired at time of signing"),
    Refusal.SCT: ("sigstore.verify.verifier", "failed to verify SCT"),
    Refusal.NO_TIMESTAMP_AUTHORITY: ("sigstore.verify.verifier",
                                     "no Timestamp Authorities have been provided"),
    Refusal.NO_VERIFIED_TIME: ("sigstore.verify.verifier", "not enough sources of verified time"),
}


def refusal(exc: BaseException) -> Refusal:
    """Classify an exception raised by ``Verifier.verify_artifact`` / ``verify_dsse``.

    (An identity-policy failure is told apart by the caller, which sees the policy called.)
    """
    from cryptography.exceptions import InvalidSignature
    from sigstore.errors import CertValidationError

    if isinstance(exc, CertValidationError):
        return Refusal.CERTIFICATE_CHAIN
    if isinstance(exc.__cause__ or exc.__context__, InvalidSignature):
        return Refusal.SIGNATURE
    text = str(exc)
    for kind, (_module, message) in SIGSTORE_MESSAGES.items():
        if message in text:
            return kind
    return Refusal.OTHER


def bundle_errors() -> tuple[type[BaseException], ...]:
    """What loading or verifying a malformed bundle raises (never a crash: a verdict)."""
    from sigstore.errors import Error

    # sigstore wraps model validation in InvalidBundle (an Error); a bad certificate
    # or a body that fails its model is a ValueError (pydantic's ValidationError is one).
    return (Error, ValueError)
