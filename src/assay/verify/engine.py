"""Verifying artifacts: material + expected signers -> one :class:`Verdict` per artifact.

An :class:`Engine` holds what is costly to build (the Sigstore trust root and
verifier, the OpenPGP keyring) and reuses it for every artifact of a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.model.verify import Check, Reason, SignatureKind, Status, Verdict, combine
from assay.verify import _compat, discover, pep740
from assay.verify.artifact import Artifact
from assay.verify.policy import Expected, Policy


@dataclass(slots=True)
class Options:
    """How to verify: the trust root and keys, explicit material, and who must have signed."""

    trusted_root: Path | None = None  # None: the production (or staging) root embedded in sigstore-python
    staging: bool = False
    allow_legacy: bool = False
    keys: list[Path] = field(default_factory=list)
    bundle: Path | None = None  # explicit material, applies to every artifact given
    signature: Path | None = None
    attestation: Path | None = None
    policy: Policy | None = None
    flags_only: bool = True  # the policy came from flags (no per-file scope, no versions)
    version: str | None = None
    scoped: bool = False  # files outside the policy's `artifacts` globs are not applicable (directory scans)


class Engine:
    """One verdict per artifact (:meth:`verify`); the costly parts are built once per run.

    Raises :class:`~assay.verify._compat.MissingExtra` (exit 2) when the ``verify``
    extra is not installed, before any verdict.
    """

    def __init__(self, options: Options) -> None:
        _compat.require_extra()
        self.options = options
        self._sigstore: Any = None
        self._keyring: Any = None
        self._publishers: dict[str, Any] = {}

    @property
    def sigstore(self) -> Any:
        if self._sigstore is None:
            from assay.verify.sigstore import SigstoreVerifier

            o = self.options
            self._sigstore = SigstoreVerifier(o.trusted_root, staging=o.staging, allow_legacy=o.allow_legacy)
        return self._sigstore

    @property
    def keyring(self) -> Any:
        if self._keyring is None and self.options.keys:
            from assay.verify.openpgp import Keyring

            self._keyring = Keyring.load(self.options.keys)
        return self._keyring

    def _publisher(self, data: dict[str, Any]) -> Any:
        import json

        key = json.dumps(data, sort_keys=True)
        if key not in self._publishers:
            self._publishers[key] = pep740.parse_publisher(data, source=self.options.policy.source
                                                           if self.options.policy else "--publisher")
        return self._publishers[key]

    def material_for(self, artifact: Artifact, names: set[str] | None = None) -> discover.Material:
        o = self.options
        if o.bundle or o.signature or o.attestation:
            m = discover.Material()
            if o.bundle:
                m.sigstore.append(o.bundle)
            if o.signature:
                m.openpgp.append(o.signature)
            if o.attestation:
                m.pep740.append(o.attestation)
            return m
        if artifact.path is None:
            return discover.Material()
        return discover.find(artifact.path, names)

    def expected_for(self, artifact: Artifact, version: str | None) -> tuple[Expected | None, str | None]:
        """(expected signers, version); None when the policy does not cover the file."""
        policy = self.options.policy
        if policy is None:
            return Expected(), version
        if artifact.name and self.options.scoped and not policy.covers(artifact.name):
            return None, version
        if version is None and artifact.name:
            version = policy.version_of(artifact.name)
        return policy.expected(version), version

    def verify(self, artifact: Artifact, *, version: str | None = None,
               names: set[str] | None = None, material: discover.Material | None = None) -> Verdict:
        version = version or self.options.version
        expected, version = self.expected_for(artifact, version)
        if expected is None:
            return Verdict(artifact.label, Status.NOT_APPLICABLE, None,
                           "outside the policy's artifacts", None, (), version)
        if material is None:
            material = self.material_for(artifact, names)
        if self.options.policy is not None and not expected:
            # fail closed: a policy that names nobody for this version cannot vouch for it
            return Verdict(artifact.label, Status.FAIL, Reason.NO_EXPECTED_SIGNER,
                           f"{expected.rule} (set the release version with --version)", None, (), version)
        checks = self._checks(artifact, material, expected)
        verdict = combine(artifact.label, checks, version=version, required=True)
        verdict = self._apply_require(verdict, expected, checks)
        digest = artifact.digest.hex() if artifact.digest is not None else None
        return Verdict(verdict.artifact, verdict.status, verdict.reason, verdict.detail, digest,
                       verdict.checks, version)

    def _checks(self, artifact: Artifact, material: discover.Material, expected: Expected) -> list[Check]:
        checks: list[Check] = []
        explicit = self.options.bundle or self.options.attestation
        for path in material.sigstore:
            if not expected.sigstore and not explicit:
                checks.append(_unchecked(SignatureKind.SIGSTORE, path, "no expected Sigstore identity "
                                         "(--identity/--issuer or the policy)"))
                continue
            checks.append(self.sigstore.verify(path, artifact, list(expected.sigstore)))
        if material.detached_sigstore and not material.sigstore:
            for path in material.detached_sigstore:
                checks.append(Check(SignatureKind.SIGSTORE, str(path), Status.MISSING, None,
                                    "a detached .sig/.crt pair has no log entry and cannot be verified "
                                    "offline; use the .sigstore bundle"))
        for path in material.openpgp:
            check = self._openpgp(artifact, path, expected)
            if check is not None:
                checks.append(check)
        for path in material.pep740:
            if not (expected.publishers or expected.sigstore) and not explicit:
                checks.append(_unchecked(SignatureKind.PEP740, path, "no expected Trusted Publisher "
                                         "(--publisher or the policy)"))
                continue
            publishers = [self._publisher(p) for p in expected.publishers]
            checks.extend(pep740.verify(self.sigstore, artifact, path, publishers=publishers,
                                        signers=list(expected.sigstore)))
        return checks

    def _openpgp(self, artifact: Artifact, path: Path, expected: Expected) -> Check | None:
        from assay.verify import openpgp

        keyring = self.keyring
        if expected.openpgp:
            if keyring is None:
                return Check(SignatureKind.OPENPGP, str(path), Status.MISSING, None,
                             f"expected key {', '.join(expected.openpgp)}: give its public key with --key")
            return openpgp.verify(artifact, path, keyring, list(expected.openpgp))
        if keyring is not None and (self.options.flags_only or self.options.policy is None):
            return openpgp.verify(artifact, path, keyring, None)
        if self.options.signature is not None:
            return Check(SignatureKind.OPENPGP, str(path), Status.FAIL, Reason.NO_EXPECTED_SIGNER,
                         "no OpenPGP key to verify with (--key KEYFILE)")
        if self.options.policy is None or self.options.flags_only:
            return _unchecked(SignatureKind.OPENPGP, path, "no OpenPGP key given (--key KEYFILE)")
        return None  # the policy expects no OpenPGP signer for this version (e.g. CPython >= 3.14)

    @staticmethod
    def _apply_require(verdict: Verdict, expected: Expected, checks: list[Check]) -> Verdict:
        if verdict.status is Status.FAIL or not expected.require:
            return verdict
        lacking = sorted(k.value for k in expected.require
                         if not any(c.kind is k and c.status is Status.PASS for c in checks))
        if not lacking:
            return verdict
        return Verdict(verdict.artifact, Status.MISSING, None,
                       f"no valid {' and '.join(lacking)} signature (required by {expected.rule})",
                       verdict.sha256, verdict.checks, verdict.version)

    def verify_safely(self, artifact: Artifact, **kwargs: Any) -> Verdict:
        """:meth:`verify`, failing closed: an unexpected error is a failed verdict, not a traceback.

        Input errors (an unreadable key, a bad policy) still propagate: they are
        the user's to fix and stop the run with exit code 2.
        """
        from assay.errors import AssayError

        try:
            return self.verify(artifact, **kwargs)
        except AssayError:
            raise
        except ImportError as exc:  # a broken install of the extra: a usage problem, never a verdict
            raise _compat.missing_extra([exc.name or str(exc)]) from None
        except Exception as exc:  # fail closed
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            return Verdict(artifact.label, Status.FAIL, Reason.INVALID_BUNDLE,
                           f"could not be verified: {first}", None, (), kwargs.get("version"))

    def verify_material_only(self) -> Verdict:
        """A DSSE bundle on its own (its statement names the subjects)."""
        bundle = self.options.bundle
        assert bundle is not None
        expected, _ = self.expected_for(Artifact(str(bundle)), self.options.version)
        signers = list(expected.sigstore) if expected else []
        check = self.sigstore.verify(bundle, None, signers)
        return combine(str(bundle), [check], version=self.options.version)


def _unchecked(kind: SignatureKind, path: Path, why: str) -> Check:
    """Material present but not checked: it neither passes nor fails the artifact on its own."""
    return Check(kind, str(path), Status.MISSING, None, f"{path.name} not checked: {why}")
