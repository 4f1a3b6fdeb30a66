"""Signatures and attestations of release artifacts, judged against who should have signed them.

The public API is what ``__all__`` lists; ``assay verify``, ``release-audit`` and
``release-check`` use nothing else. Every other module under ``assay.verify`` is
an implementation detail that may change without notice (the private parts of
sigstore-python and pypi-attestations that assay relies on are all in
``assay.verify._compat``).

    from pathlib import Path
    from assay.verify import Artifact, Engine, Options, load_policy

    engine = Engine(Options(policy=load_policy("cpython"), keys=[Path("thomas.asc")]))
    verdict = engine.verify(Artifact.parse("Python-3.13.5.tar.xz"))
    print(verdict.status, verdict.reason, verdict.detail)

- :class:`Engine` with :class:`Options`: one :class:`Verdict` per :class:`Artifact`;
  it holds the Sigstore trust root and the OpenPGP keyring for the whole run.
- Who must have signed: :class:`Policy` values (TOML; :func:`load_policy` reads a
  file or a shipped policy such as ``cpython``), :func:`policy_from_flags`,
  :func:`layer_policies`; :class:`SigstoreSigner`, :func:`parse_publisher` and
  :func:`normalize_fingerprint` check signer descriptions given as text.
- Whole releases: :func:`audit_release` (a download tree, a local mirror or a PyPI
  project, cached and resumable) and :func:`check_release` (the gate before
  publishing), both returning a :class:`ReleaseAuditResult`.
- Files named together (``assay verify dist/*``): :func:`split_material` keeps the
  artifacts and sets aside the signature files among them; :func:`subject_of` names
  the file a piece of material is for (``X.tar.gz.asc`` -> ``X.tar.gz``).
- Results are values of :mod:`assay.model.verify` (re-exported here); the
  ``assay.formats.verdicts_*`` modules render them.

Nothing here imports the catalogers, and nothing from a verified artifact is executed.
The ``verify`` extra (sigstore, pypi-attestations, pysequoia) is needed to verify;
without it :class:`Engine` raises :class:`MissingExtra` (exit code 2).
Importing this package is cheap: names load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assay.model.verify import (
        ADVICE,
        Check,
        Reason,
        ReleaseAuditResult,
        SignatureKind,
        Status,
        Verdict,
        VerificationReport,
    )
    from assay.verify._compat import MissingExtra, require_extra
    from assay.verify.artifact import Artifact
    from assay.verify.discover import split_material, subject_of
    from assay.verify.engine import Engine, Options
    from assay.verify.openpgp import normalize_fingerprint
    from assay.verify.pep740 import parse_publisher
    from assay.verify.policy import SHIPPED as SHIPPED_POLICIES
    from assay.verify.policy import Policy
    from assay.verify.policy import combine as layer_policies
    from assay.verify.policy import from_flags as policy_from_flags
    from assay.verify.policy import load as load_policy
    from assay.verify.release import audit_release, check_release
    from assay.verify.sigstore import SigstoreSigner

# public name -> (module, attribute)
_EXPORTS: dict[str, tuple[str, str]] = {
    # verifying
    "Engine": ("assay.verify.engine", "Engine"),
    "Options": ("assay.verify.engine", "Options"),
    "Artifact": ("assay.verify.artifact", "Artifact"),
    "split_material": ("assay.verify.discover", "split_material"),
    "subject_of": ("assay.verify.discover", "subject_of"),
    "MissingExtra": ("assay.verify._compat", "MissingExtra"),
    "require_extra": ("assay.verify._compat", "require_extra"),
    # who must have signed
    "Policy": ("assay.verify.policy", "Policy"),
    "SHIPPED_POLICIES": ("assay.verify.policy", "SHIPPED"),
    "load_policy": ("assay.verify.policy", "load"),
    "policy_from_flags": ("assay.verify.policy", "from_flags"),
    "layer_policies": ("assay.verify.policy", "combine"),
    "SigstoreSigner": ("assay.verify.sigstore", "SigstoreSigner"),
    "parse_publisher": ("assay.verify.pep740", "parse_publisher"),
    "normalize_fingerprint": ("assay.verify.openpgp", "normalize_fingerprint"),
    # whole releases
    "audit_release": ("assay.verify.release", "audit_release"),
    "check_release": ("assay.verify.release", "check_release"),
    # results (pure values of assay.model.verify)
    "Verdict": ("assay.model.verify", "Verdict"),
    "Check": ("assay.model.verify", "Check"),
    "Status": ("assay.model.verify", "Status"),
    "Reason": ("assay.model.verify", "Reason"),
    "SignatureKind": ("assay.model.verify", "SignatureKind"),
    "ADVICE": ("assay.model.verify", "ADVICE"),
    "VerificationReport": ("assay.model.verify", "VerificationReport"),
    "ReleaseAuditResult": ("assay.model.verify", "ReleaseAuditResult"),
}

__all__ = [  # the same names as _EXPORTS (a test checks)
    "ADVICE",
    "SHIPPED_POLICIES",
    "Artifact",
    "Check",
    "Engine",
    "MissingExtra",
    "Options",
    "Policy",
    "Reason",
    "ReleaseAuditResult",
    "SignatureKind",
    "SigstoreSigner",
    "Status",
    "Verdict",
    "VerificationReport",
    "audit_release",
    "check_release",
    "layer_policies",
    "load_policy",
    "normalize_fingerprint",
    "parse_publisher",
    "policy_from_flags",
    "require_extra",
    "split_material",
    "subject_of",
]


def __getattr__(name: str) -> Any:
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'assay.verify' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
