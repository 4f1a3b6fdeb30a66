"""assay.verify._compat against the installed (pinned) sigstore and pypi-attestations.

These fail when an upgrade removes a private part assay relies on, when a message assay
names is no longer raised by the library, or when a version outside pyproject's ranges
is installed: the signal to revisit _compat.py before anything else breaks.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from assay.verify import _compat

from .verify_data import GHA, PA_PUBLISHER, PROD_ROOT, RFC8785_ID

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "assay"
WHEEL = "sigstore/pypi/rfc8785-0.1.2-py3-none-any.whl"
CPY_BUNDLE = "sigstore/cpython/Python-3.12.5.tgz.sigstore"


def verify_extra() -> dict[str, Requirement]:
    doc = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = [Requirement(r) for r in doc["project"]["optional-dependencies"]["verify"]]
    return {r.name: r for r in reqs}


def test_installed_versions_are_within_the_pinned_ranges() -> None:
    for name, req in verify_extra().items():
        installed = Version(metadata.version(name))
        assert req.specifier.contains(installed, prereleases=True), (name, str(installed), str(req))


def test_the_versions_compat_names_are_within_the_pinned_ranges() -> None:
    extra = verify_extra()
    for name, version in _compat.CHECKED_AGAINST.items():
        if name in extra:
            assert extra[name].specifier.contains(Version(version)), (name, version)
    for name in ("sigstore", "pypi-attestations"):
        assert any(spec.operator in ("<", "<=", "==", "~=") for spec in extra[name].specifier), \
            f"{name} is used through private parts: it needs an upper bound"
        # the docstring states the version the tests run against
        assert f"{name} {_compat.CHECKED_AGAINST[name]}" in (_compat.__doc__ or "")


@pytest.mark.parametrize(("module", "attr"), _compat.TOUCHES, ids=[f"{m}:{a}" for m, a in _compat.TOUCHES])
def test_every_private_touch_still_exists(module: str, attr: str) -> None:
    obj = importlib.import_module(module)
    for part in filter(None, attr.split(".")):
        assert hasattr(obj, part), f"{module}.{attr}: {part} is gone"
        obj = getattr(obj, part)


def test_instance_touches_on_real_bundles(sig: Path) -> None:
    from sigstore.models import Bundle

    bundle = Bundle.from_json((sig / (WHEEL + ".sigstore")).read_bytes())
    assert bundle._inner.verification_material is not None
    assert bundle._signing_certificate is bundle.signing_certificate
    assert bundle._log_entry is bundle.log_entry
    entry = bundle.log_entry._inner
    assert entry.inclusion_promise is not None
    assert _compat.integrated_time(bundle) == int(entry.integrated_time) > 1_600_000_000
    legacy = _compat.legacy_v01_bundle((sig / CPY_BUNDLE).read_bytes())
    assert legacy.signing_certificate is not None and _compat.integrated_time(legacy)


def test_embedded_trust_roots_are_where_compat_reads_them() -> None:
    from sigstore.models import TrustedRoot

    for staging in (False, True):
        path = _compat.embedded_trusted_root(staging=staging)
        assert path.is_file(), path
        TrustedRoot.from_file(str(path))


@pytest.mark.parametrize("refusal", list(_compat.SIGSTORE_MESSAGES))
def test_each_named_message_is_still_raised_by_sigstore(refusal: _compat.Refusal) -> None:
    module, text = _compat.SIGSTORE_MESSAGES[refusal]
    source = inspect.getsource(importlib.import_module(module))
    assert text in source, f"sigstore no longer says {text!r} in {module}: revisit _compat.refusal"


def test_publisher_policies_verify_a_real_certificate(sig: Path) -> None:
    """pypi-attestations' _as_policy(): the right publisher passes, another is refused."""
    from pydantic import TypeAdapter
    from pypi_attestations import Attestation, Publisher
    from sigstore.errors import VerificationError

    doc = json.loads((sig / "pep740/pypi_attestations-0.0.19.tar.gz.publish.attestation").read_text())
    cert = Attestation.model_validate(doc).to_bundle().signing_certificate
    good = TypeAdapter(Publisher).validate_python(PA_PUBLISHER)
    _compat.publisher_policy(good).verify(cert)
    other = TypeAdapter(Publisher).validate_python({**PA_PUBLISHER, "repository": "someone/else"})
    with pytest.raises(VerificationError):
        _compat.publisher_policy(other).verify(cert)


def _refusal_of(sig: Path, bundle_rel: str, artifact_rel: str, root_rel: str) -> _compat.Refusal:
    from sigstore.models import Bundle, TrustedRoot
    from sigstore.verify import Verifier, policy

    from assay.verify.artifact import file_sha256

    verifier = Verifier(trusted_root=TrustedRoot.from_file(str(sig / root_rel)))
    bundle = Bundle.from_json((sig / bundle_rel).read_bytes())
    digest = _compat.sha256_hashed(file_sha256(sig / artifact_rel))
    with pytest.raises(Exception) as info:
        verifier.verify_artifact(digest, bundle, policy.Identity(identity=RFC8785_ID, issuer=GHA))
    return _compat.refusal(info.value)


def test_refusals_are_told_apart_by_exception_type(sig: Path) -> None:
    R = _compat.Refusal
    # a corrupted signature: cryptography's InvalidSignature is the cause
    assert _refusal_of(sig, "sigstore/pypi/modified/badsig.sigstore", WHEEL, PROD_ROOT) is R.SIGNATURE
    # a production bundle against the staging root: sigstore's CertValidationError
    assert _refusal_of(sig, WHEEL + ".sigstore", WHEEL, "sigstore/trust/staging.trusted_root.json") \
        is R.CERTIFICATE_CHAIN
    # a broken inclusion promise: none of the above, so "the bundle does not hold together"
    assert _refusal_of(sig, "sigstore/pypi/modified/badset.sigstore", WHEEL, PROD_ROOT) is R.OTHER


def test_no_private_touch_outside_compat() -> None:
    """The private parts named in _compat are reached from _compat only."""
    private = re.compile(r"sigstore\._|\._inner\b|_as_policy|_dsse_envelope|_verify_set|"
                         r"_signing_certificate|_log_entry|cert_is_leaf|\._sha256\b")
    offenders = []
    paths = [*sorted((SRC / "verify").glob("*.py")), SRC / "cli" / "verify.py", SRC / "cli" / "release.py"]
    for path in paths:
        if path.name == "_compat.py":
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if private.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_no_error_message_matching_outside_compat() -> None:
    """Reasons are not decided by searching the text of a library's exception outside _compat."""
    pattern = re.compile(r"""["'][^"']+["']\s+in\s+(str\(exc\)|msg|low|text|message)\b""")
    offenders = []
    for path in sorted((SRC / "verify").glob("*.py")):
        if path.name == "_compat.py":
            continue
        offenders += [f"{path.name}: {line.strip()}" for line in path.read_text().splitlines()
                      if pattern.search(line)]
    assert offenders == []
