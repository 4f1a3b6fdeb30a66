"""assay.verify's public API as a library user calls it, the model values, and the renderers' contract."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

import assay.verify as api
from assay.formats import verdicts_html, verdicts_json, verdicts_markdown, verdicts_text
from assay.model.verify import (
    Check,
    Reason,
    ReleaseAuditResult,
    SignatureKind,
    Status,
    Verdict,
    VerificationReport,
)

from .verify_data import GHA, PROD_ROOT, RFC8785_ID

WHEEL = "sigstore/pypi/rfc8785-0.1.2-py3-none-any.whl"
RENDERERS = {"text": verdicts_text, "json": verdicts_json, "markdown": verdicts_markdown,
             "html": verdicts_html}


def test_public_names_resolve_and_nothing_else_is_exported() -> None:
    assert set(api.__all__) == set(api._EXPORTS)
    for name in api.__all__:
        assert getattr(api, name) is not None, name
    with pytest.raises(AttributeError):
        api.SigstoreVerifier  # noqa: B018 - an implementation detail, not part of the API


def test_importing_the_api_and_the_model_is_light() -> None:
    """`import assay.verify` loads no verifier; the model imports no third-party package."""
    code = ("import sys, assay.verify, assay.model.verify\n"
            "heavy = [m for m in ('sigstore', 'pypi_attestations', 'pysequoia', 'pydantic', 'cryptography',"
            " 'assay.verify.engine', 'assay.verify.sigstore') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_engine_verifies_a_real_wheel_through_the_api(sig: Path, tmp_path: Path) -> None:
    shutil.copy(sig / WHEEL, tmp_path)
    shutil.copy(sig / (WHEEL + ".sigstore"), tmp_path)
    policy = api.policy_from_flags(sigstore=[api.SigstoreSigner(RFC8785_ID, GHA)], openpgp=[], publishers=[])
    engine = api.Engine(api.Options(trusted_root=sig / PROD_ROOT, policy=policy))
    verdict = engine.verify(api.Artifact.parse(str(tmp_path / Path(WHEEL).name)))
    assert verdict.status is api.Status.PASS
    assert verdict.checks[0].kind is api.SignatureKind.SIGSTORE
    assert RFC8785_ID in (verdict.checks[0].signer or "")
    result = api.check_release(tmp_path, engine)
    assert isinstance(result, api.ReleaseAuditResult) and result.ok
    assert [v.artifact for v in result.verdicts] == [Path(WHEEL).name]


def test_split_material_keeps_artifacts_and_signed_signature_files(tmp_path: Path) -> None:
    names = ["a.whl", "a.whl.sigstore", "a.whl.sigstore.json", "a.whl.provenance",
             "a.whl.publish.attestation", "b.tar.gz", "b.tar.gz.asc", "b.tar.gz.sig", "b.tar.gz.crt",
             "notes.sig", "notes.sig.asc", "orphan.tgz.asc"]
    for n in names:
        (tmp_path / n).write_bytes(b"x")
    artifacts, material = api.split_material([tmp_path / n for n in names])
    assert [p.name for p in artifacts] == ["a.whl", "b.tar.gz", "notes.sig"]
    assert len(material) == len(names) - 3
    assert api.subject_of(Path("x.tar.gz.publish.attestation")) == "x.tar.gz"


def test_old_import_paths_still_work() -> None:
    from assay.verify.model import Kind
    from assay.verify.model import Verdict as OldVerdict
    from assay.verify.report import JSON_SCHEMA, to_json

    assert Kind is SignatureKind and OldVerdict is Verdict
    assert json.loads(to_json([]))["summary"]["pass"] == 0 and JSON_SCHEMA["$id"].endswith("/1")


def test_release_audit_result_is_a_value() -> None:
    r = ReleaseAuditResult((Verdict("a", Status.PASS),), downloaded=2, out_of_scope=("x.txt",))
    with pytest.raises(AttributeError):
        r.downloaded = 3  # type: ignore[misc]
    assert r.ok and r.report(title="T").title == "T"


def _sample() -> VerificationReport:
    checks = (Check(SignatureKind.SIGSTORE, "a.whl.sigstore", Status.PASS, None, "", "id <x>",
                    "2024-01-01T00:00:00Z"),
              Check(SignatureKind.OPENPGP, "a.whl.asc", Status.FAIL, Reason.WRONG_KEY, "made by K|<b>"))
    verdicts = (Verdict("a.whl", Status.FAIL, Reason.WRONG_KEY, "made by K|<b>", "ab" * 32, checks, "1.0"),
                Verdict("b.whl", Status.PASS, None, "signed by id", None, checks[:1], "1.0"),
                Verdict("c.whl", Status.MISSING, None, "no verification material found"))
    facts = (("source", "https://x/?a=<1>"), ("policy", "p|q"))
    return VerificationReport(verdicts, "Release <check>", facts)


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_renderer_contract(fmt: str) -> None:
    """dumps(value, *, created, color=False) -> str; pure: same value, same text."""
    module = RENDERERS[fmt]
    report = _sample()
    a = module.dumps(report, created=datetime(2020, 1, 1, tzinfo=UTC))
    b = module.dumps(report, created=datetime(2030, 1, 1, tzinfo=UTC))
    assert isinstance(a, str) and a == b  # verdict reports carry no timestamp: reruns are byte-identical
    assert module.dumps(list(report.verdicts), created=datetime.now(UTC)).endswith("\n")


def test_json_renderer_is_lossless_and_valid() -> None:
    report = _sample()
    doc = json.loads(verdicts_json.dumps(report, created=datetime.now(UTC)))
    jsonschema.validate(doc, verdicts_json.JSON_SCHEMA)
    assert doc["source"] == "https://x/?a=<1>" and doc["summary"] == {
        "pass": 1, "fail": 1, "missing": 1, "not-applicable": 0}
    assert tuple(Verdict.from_json(v) for v in doc["verdicts"]) == report.verdicts


def test_text_renderer_colour_changes_only_the_colour() -> None:
    report = _sample()
    plain = verdicts_text.dumps(report, created=datetime.now(UTC))
    coloured = verdicts_text.dumps(report, created=datetime.now(UTC), color=True)
    assert "\x1b[" not in plain and "\x1b[31m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert plain.splitlines()[-1] == "1 pass, 1 fail, 1 missing"
    assert "-> a.whl: the signature was made by a key other than the one expected" in plain


def test_markdown_and_html_escape_what_they_show() -> None:
    report = _sample()
    md = verdicts_markdown.dumps(report, created=datetime.now(UTC))
    assert md.startswith("# Release <check>\n") and "p\\|q" in md and "made by K\\|<b>" not in md
    page = verdicts_html.dumps(report, created=datetime.now(UTC))
    assert "<b>K" not in page and "made by K|&lt;b&gt;" in page and "Release &lt;check&gt;" in page
    assert "<link" not in page and " src=" not in page


def test_report_module_delegates_to_the_renderers() -> None:
    report = importlib.import_module("assay.verify.report")
    verdicts = list(_sample().verdicts)
    assert report.to_text(verdicts) == verdicts_text.dumps(verdicts, created=datetime.now(UTC))
    assert report.render("md", verdicts, title="T") == verdicts_markdown.dumps(
        VerificationReport(tuple(verdicts), "T"), created=datetime.now(UTC))
