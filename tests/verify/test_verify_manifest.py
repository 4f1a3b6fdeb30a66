"""Every case of ../shared/data/signatures/manifest.json, through `assay verify` as a user runs it."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from assay.verify.report import JSON_SCHEMA

from .verify_data import BIG, FETCH_HINT, manifest, resolve

CASES = manifest()["cases"]


def expected_reason(case: dict[str, Any]) -> str | None:
    """The manifest's reason, without its explanation: 'invalid-bundle: ...' -> 'invalid-bundle'."""
    reason = case.get("reason")
    if not reason:
        return None
    return reason.split(":")[0].split(" (")[0].strip()


def args_for(case: dict[str, Any]) -> list[str]:
    mat, exp = case["material"], case.get("expected") or {}
    args = ["verify", "--format", "json"]
    if case.get("artifact"):
        args.append(str(resolve(case["artifact"])))
    elif case.get("artifact_digest"):
        args.append(case["artifact_digest"])
    if "trusted_root" in mat:
        args += ["--trusted-root", str(resolve(mat["trusted_root"]))]
    if case["kind"] == "openpgp":
        args += ["--signature", str(resolve(mat["signature"])), "--key", str(resolve(mat["public_key"])),
                 "--fingerprint", exp["fingerprint"]]
        return args
    if "bundle" in mat:
        args += ["--bundle", str(resolve(mat["bundle"]))]
    if "provenance" in mat or "attestation" in mat:
        args += ["--attestation", str(resolve(mat.get("provenance") or mat["attestation"]))]
    if "publisher" in exp:
        args += ["--publisher", json.dumps(exp["publisher"])]
    else:
        args += ["--identity", exp.get("identity", "nobody@example.invalid"),
                 "--issuer", exp.get("issuer", "https://example.invalid")]
    if case.get("verifier_mode") == "lenient-v0.1":
        args.append("--allow-legacy-bundles")
    return args


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_manifest_case(case: dict[str, Any], cli, sig) -> None:  # type: ignore[no-untyped-def]
    if case.get("needs_fetch") and not (BIG / "python3.13_3.13.5.orig.tar.xz").is_file():
        pytest.skip(FETCH_HINT)
    r = cli(*args_for(case))
    report = r.json()
    jsonschema.validate(report, JSON_SCHEMA)
    (verdict,) = report["verdicts"]
    want = case["expected_verdict"]
    assert verdict["status"] == want, (verdict, r.err)
    assert verdict["reason"] == expected_reason(case), verdict
    assert r.code == (0 if want == "pass" else 1)
    if want == "pass" and case["kind"] == "openpgp":
        # judged at signing time: the key expired in 2026, the 2025 signature stands
        assert verdict["checks"][0]["signed_at"].startswith("2025-06-11")
        assert case["expected"]["fingerprint"] in verdict["checks"][0]["signer"]
    if want == "fail":
        assert verdict["detail"], "a failure says what went wrong"


def test_manifest_is_covered() -> None:
    assert len(CASES) >= 40, "the signature corpus is present and read"
