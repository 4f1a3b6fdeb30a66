"""Verification results: pure values, no I/O, no third-party imports.

A :class:`Check` is one piece of verification material (a Sigstore bundle, an
OpenPGP signature, a PEP 740 attestation) judged against one artifact; a
:class:`Verdict` is everything assay concluded about one artifact. A
:class:`VerificationReport` is what a renderer shows (verdicts, a title and the
facts of the run); a :class:`ReleaseAuditResult` is what a whole-release audit
or release check concluded and what it cost (downloads, reused verdicts).

The renderers (``assay.formats.verdicts_*``) and the verifiers (``assay.verify``)
both build on these; nothing here knows how a signature is checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    MISSING = "missing"  # no verification material where some was expected
    NOT_APPLICABLE = "not-applicable"  # nothing to verify for this artifact under the policy


class Reason(StrEnum):
    """Why a check failed: one value a human can act on."""

    TAMPERED_ARTIFACT = "tampered-artifact"
    INVALID_SIGNATURE = "invalid-signature"
    WRONG_KEY = "wrong-key"
    WRONG_IDENTITY = "wrong-identity"
    WRONG_ISSUER = "wrong-issuer"
    BUNDLE_FOR_ANOTHER_FILE = "bundle-for-another-file"
    SIGNATURE_FOR_ANOTHER_FILE = "signature-for-another-file"
    EXPIRED = "expired"
    KEY_REVOKED = "key-revoked"
    KEY_EXPIRED_AT_SIGNING_TIME = "key-expired-at-signing-time"
    INVALID_BUNDLE = "invalid-bundle"
    UNTRUSTED_ROOT = "untrusted-root"
    NO_EXPECTED_SIGNER = "no-expected-signer"


# What a user can do about each reason (shown under a failed check).
ADVICE: dict[Reason, str] = {
    Reason.TAMPERED_ARTIFACT: "the file's bytes differ from what was signed: download it again",
    Reason.INVALID_SIGNATURE: "the signature itself is corrupt: fetch the signature file again",
    Reason.WRONG_KEY: "the signature was made by a key other than the one expected",
    Reason.WRONG_IDENTITY: "signed by someone other than the expected signer",
    Reason.WRONG_ISSUER: "the signer's identity was vouched for by an unexpected OIDC issuer",
    Reason.BUNDLE_FOR_ANOTHER_FILE: "this bundle signs a different file: pair each file with its own bundle",
    Reason.SIGNATURE_FOR_ANOTHER_FILE: "this signature is for a different file: pair each file with its own",
    Reason.EXPIRED: "the signing certificate was not valid at the time the signature was made",
    Reason.KEY_REVOKED: "the signing key has been revoked by its owner",
    Reason.KEY_EXPIRED_AT_SIGNING_TIME: "the key had already expired when the signature was made",
    Reason.INVALID_BUNDLE: "the bundle is malformed or its transparency-log proof does not verify",
    Reason.UNTRUSTED_ROOT: "the signature does not chain to the trust root in use (--trusted-root)",
    Reason.NO_EXPECTED_SIGNER: "say who must have signed (flags or --policy)",
}


class SignatureKind(StrEnum):
    """The kind of verification material a check used."""

    SIGSTORE = "sigstore"
    OPENPGP = "openpgp"
    PEP740 = "pep740"


@dataclass(frozen=True, slots=True)
class Check:
    kind: SignatureKind
    material: str  # the file that was checked (bundle, signature, attestation)
    status: Status
    reason: Reason | None = None
    detail: str = ""
    signer: str | None = None  # who actually signed (identity, fingerprint, publisher), when known
    signed_at: str | None = None  # ISO 8601, from the log, a timestamp or the signature packet

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind), "material": self.material, "status": str(self.status),
            "reason": str(self.reason) if self.reason else None, "detail": self.detail,
            "signer": self.signer, "signed_at": self.signed_at,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    artifact: str
    status: Status
    reason: Reason | None = None
    detail: str = ""
    sha256: str | None = None
    checks: tuple[Check, ...] = field(default_factory=tuple)
    version: str | None = None  # the release version the artifact belongs to, when known

    @property
    def ok(self) -> bool:
        return self.status in (Status.PASS, Status.NOT_APPLICABLE)

    def to_json(self) -> dict[str, Any]:
        return {
            "artifact": self.artifact, "version": self.version, "sha256": self.sha256,
            "status": str(self.status), "reason": str(self.reason) if self.reason else None,
            "detail": self.detail, "checks": [c.to_json() for c in self.checks],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verdict:
        checks = tuple(
            Check(SignatureKind(c["kind"]), c["material"], Status(c["status"]),
                  Reason(c["reason"]) if c.get("reason") else None, c.get("detail", ""),
                  c.get("signer"), c.get("signed_at"))
            for c in data.get("checks", ())
        )
        return cls(data["artifact"], Status(data["status"]),
                   Reason(data["reason"]) if data.get("reason") else None, data.get("detail", ""),
                   data.get("sha256"), checks, data.get("version"))


def combine(artifact: str, checks: list[Check], *, sha256: str | None = None,
            version: str | None = None, required: bool = True) -> Verdict:
    """One verdict from the checks of one artifact.

    Any failed check fails the artifact (a bad signature beside a good one is
    still a red flag); with no applicable check the artifact is ``missing``
    when signatures are ``required``, else ``not-applicable``.
    """
    failed = [c for c in checks if c.status is Status.FAIL]
    if failed:
        first = failed[0]
        return Verdict(artifact, Status.FAIL, first.reason, first.detail, sha256, tuple(checks), version)
    passed = [c for c in checks if c.status is Status.PASS]
    if passed:
        who = ", ".join(sorted({c.signer for c in passed if c.signer}))
        return Verdict(artifact, Status.PASS, None, f"signed by {who}" if who else "", sha256,
                       tuple(checks), version)
    if not required:
        return Verdict(artifact, Status.NOT_APPLICABLE, None, "no signature expected", sha256,
                       tuple(checks), version)
    unchecked = [c.detail for c in checks if c.status is Status.MISSING and c.detail]
    detail = unchecked[0] if unchecked else "no verification material found"
    return Verdict(artifact, Status.MISSING, None, detail, sha256, tuple(checks), version)


def summary(verdicts: Iterable[Verdict]) -> dict[str, int]:
    """How many verdicts of each status, every status present (in :class:`Status` order)."""
    counts = Counter(str(v.status) for v in verdicts)
    return {s.value: counts.get(s.value, 0) for s in Status}


DEFAULT_TITLE = "Signature verification"


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """What a verdict renderer shows: the verdicts, a title, and facts about the run.

    ``facts`` are (label, value) pairs in display order, e.g. ("source", URL),
    ("policy", ...), ("trust root", ...); the JSON renderer writes them as
    top-level keys, Markdown and HTML as a list above the table.
    """

    verdicts: tuple[Verdict, ...]
    title: str = DEFAULT_TITLE
    facts: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts)

    def summary(self) -> dict[str, int]:
        return summary(self.verdicts)


@dataclass(frozen=True, slots=True)
class ReleaseAuditResult:
    """What a release audit (or release check) concluded, and what it cost.

    ``out_of_scope``: files that were there but that the policy's ``artifacts``
    globs do not cover (not checked, listed so a gate never ignores them silently).
    """

    verdicts: tuple[Verdict, ...]
    downloaded: int = 0
    downloaded_bytes: int = 0
    reused_files: int = 0
    verified: int = 0
    reused_verdicts: int = 0
    out_of_scope: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts)

    def report(self, *, title: str = DEFAULT_TITLE,
               facts: tuple[tuple[str, str], ...] = ()) -> VerificationReport:
        return VerificationReport(self.verdicts, title, facts)


def as_report(value: VerificationReport | ReleaseAuditResult | Iterable[Verdict]) -> VerificationReport:
    """The report a renderer shows for ``value`` (verdicts alone get the default title)."""
    if isinstance(value, VerificationReport):
        return value
    if isinstance(value, ReleaseAuditResult):
        return value.report()
    return VerificationReport(tuple(value))
