"""PEP 740 attestations (one attestation, or a PyPI provenance object holding several).

pypi-attestations parses the documents, turns each attestation into a
Sigstore bundle and supplies the Trusted Publisher policies; verification
runs through the shared :class:`~assay.verify.sigstore.SigstoreVerifier`, so
the pinned trust root applies and nothing goes online.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assay.errors import InputError
from assay.jsonio import read_json
from assay.model.verify import Check, Reason, SignatureKind, Status
from assay.verify import _compat
from assay.verify.artifact import Artifact, same_file_name, subject_of
from assay.verify.sigstore import DSSE, SigstoreSigner, SigstoreVerifier, build_policy, cert_identity

# The OIDC issuer each kind of Trusted Publisher signs through.
PUBLISHER_ISSUERS = {
    "GitHub": "https://token.actions.githubusercontent.com",
    "GitLab": "https://gitlab.com",
    "Google": "https://accounts.google.com",
}


def parse_publisher(value: dict[str, Any] | str, *, source: str = "--publisher") -> Any:
    """A Trusted Publisher from its PEP 740 JSON object (``{"kind": "GitHub", ...}``)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise InputError(f"{source}: not JSON (expected e.g. " '{"kind": "GitHub", '
                             '"repository": "owner/repo", "workflow": "release.yml"})') from None
    if not isinstance(value, dict):
        raise InputError(f"{source}: a Trusted Publisher is a JSON object")
    _compat.require_extra()
    from pydantic import TypeAdapter, ValidationError
    from pypi_attestations import Publisher

    try:
        return TypeAdapter(Publisher).validate_python(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise InputError(f"{source}: invalid Trusted Publisher ({where}: {first.get('msg')})") from None


def describe_publisher(pub: Any) -> str:
    data = pub.model_dump(exclude_none=True)
    kind = data.pop("kind", "?")
    return f"{kind} " + " ".join(f"{k}={v}" for k, v in sorted(data.items()))


def load(path: Path) -> list[tuple[Any, Any | None]]:
    """(attestation, publisher named by the provenance or None) pairs from a file."""
    from pydantic import ValidationError
    from pypi_attestations import Attestation, Provenance

    doc, _raw = read_json(path, invalid=_Bad)
    try:
        if isinstance(doc, dict) and "attestation_bundles" in doc:
            prov = Provenance.model_validate(doc)
            return [(att, b.publisher) for b in prov.attestation_bundles for att in b.attestations]
        if isinstance(doc, dict) and "envelope" in doc:
            return [(Attestation.model_validate(doc), None)]
    except ValidationError as exc:
        raise _Bad(f"not a PEP 740 document ({exc.error_count()} schema errors)") from None
    raise _Bad("neither a PEP 740 attestation nor a provenance object")


class _Bad(Exception):
    pass


def _dist_key(name: str) -> tuple[Any, ...] | None:
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    try:
        if name.endswith(".whl"):
            return parse_wheel_filename(name)
        return parse_sdist_filename(name)
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None


class _PublisherPolicy:
    def __init__(self, publishers: list[Any], signers: list[SigstoreSigner]) -> None:
        from sigstore.verify import policy

        parts = [_compat.publisher_policy(p) for p in publishers]
        if signers:
            parts.append(build_policy(signers))
        self._policy = parts[0] if len(parts) == 1 else policy.AnyOf(parts)

    def verify(self, cert: Any) -> None:
        self._policy.verify(cert)


def verify(sv: SigstoreVerifier, artifact: Artifact, path: Path, *, publishers: list[Any],
           signers: list[SigstoreSigner]) -> list[Check]:
    material = str(path)
    if not publishers and not signers:
        return [Check(SignatureKind.PEP740, material, Status.FAIL, Reason.NO_EXPECTED_SIGNER,
                      "no expected Trusted Publisher (--publisher, or --identity/--issuer, or a policy)")]
    try:
        items = load(path)
    except _Bad as exc:
        return [Check(SignatureKind.PEP740, material, Status.FAIL, Reason.INVALID_BUNDLE, str(exc))]
    if not items:
        return [Check(SignatureKind.PEP740, material, Status.FAIL, Reason.INVALID_BUNDLE,
                      "holds no attestation")]
    from pypi_attestations import AttestationError

    checks: list[Check] = []
    want = "; ".join([describe_publisher(p) for p in publishers] + [str(s) for s in signers])
    for i, (att, _named_publisher) in enumerate(items):
        label = material if len(items) == 1 else f"{material}#{i}"
        try:
            bundle = att.to_bundle()
        except (AttestationError, IndexError, *_compat.bundle_errors()) as exc:  # IndexError: no log entry
            checks.append(Check(SignatureKind.PEP740, label, Status.FAIL, Reason.INVALID_BUNDLE,
                                f"cannot convert to a Sigstore bundle ({str(exc).splitlines()[0]})"))
            continue
        policy = _PublisherPolicy(publishers, signers)
        check = sv.verify_bundle(bundle, label, artifact, signers, facts=DSSE, signed_name=subject_of(path),
                                 policy=policy, statement_check=lambda p: _name_problem(p, artifact))
        if check.status is Status.FAIL and check.reason in (Reason.WRONG_IDENTITY, Reason.WRONG_ISSUER):
            sans, issuer = cert_identity(bundle.signing_certificate)
            expected_issuers = {PUBLISHER_ISSUERS.get(p.kind) for p in publishers}
            expected_issuers |= {s.issuer for s in signers}
            reason = Reason.WRONG_IDENTITY if issuer in expected_issuers else Reason.WRONG_ISSUER
            check = Check(SignatureKind.PEP740, label, Status.FAIL, reason,
                          f"signed by {', '.join(sorted(sans))} ({issuer}), expected {want}")
        else:
            check = Check(SignatureKind.PEP740, label, check.status, check.reason, check.detail, check.signer,
                          check.signed_at)
        checks.append(check)
    return checks


def _name_problem(payload: bytes, artifact: Artifact) -> tuple[Reason, str] | None:
    """PEP 740 binds the file name too: the one subject of the verified statement must name this file."""
    try:
        statement = json.loads(payload)
        subjects = statement["subject"]
        name = (subjects[0].get("name") or "") if len(subjects) == 1 else None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return Reason.BUNDLE_FOR_ANOTHER_FILE, "the attestation's statement cannot be read"
    if name is None:
        return Reason.BUNDLE_FOR_ANOTHER_FILE, "a PEP 740 statement must have exactly one subject"
    if artifact.name is None or same_file_name(artifact.name, name):
        return None
    a, s = _dist_key(artifact.name), _dist_key(name)
    if a is not None and a == s:
        return None
    return Reason.BUNDLE_FOR_ANOTHER_FILE, f"the attestation is for {name}, not {artifact.name}"
