"""assay verify as a user runs it: discovery, exit codes, usage errors, bad input, offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .verify_data import GHA, PA_PUBLISHER, PROD_ROOT, RFC8785_ID, THOMAS_KEY, need_big

WHEEL = "sigstore/pypi/rfc8785-0.1.2-py3-none-any.whl"
CPY_BUNDLE = "sigstore/cpython/Python-3.12.5.tgz.sigstore"
CPY_DIGEST = "sha256:38dc4e2c261d49c661196066edbfb70fdb16be4a79cc8220c224dfeb5636d405"


def _wheel_dir(sig: Path, tmp: Path) -> Path:
    shutil.copy(sig / WHEEL, tmp)
    shutil.copy(sig / (WHEEL + ".sigstore"), tmp)
    return tmp / Path(WHEEL).name


def test_finds_bundle_beside_artifact(cli, sig, tmp_path):
    wheel = _wheel_dir(sig, tmp_path)
    r = cli("verify", wheel, "--identity", RFC8785_ID, "--issuer", GHA, "--trusted-root", sig / PROD_ROOT)
    assert r.code == 0
    assert r.out.startswith("PASS")
    assert RFC8785_ID in r.out


def test_sigstore_json_suffix_and_html_report(cli, sig, tmp_path):
    shutil.copy(sig / WHEEL, tmp_path)
    shutil.copy(sig / (WHEEL + ".sigstore"), tmp_path / (Path(WHEEL).name + ".sigstore.json"))
    out = tmp_path / "r.html"
    r = cli("verify", tmp_path / Path(WHEEL).name, "--identity", RFC8785_ID, "--issuer", GHA,
            "--trusted-root", sig / PROD_ROOT, "--format", "html", "-o", out)
    assert r.code == 0
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "PASS" in page and "<script src" not in page


def test_tampered_copy_beside_bundle_fails_with_reason(cli, sig, tmp_path):
    wheel = _wheel_dir(sig, tmp_path)
    data = bytearray(wheel.read_bytes())
    data[100] ^= 1
    wheel.write_bytes(bytes(data))
    r = cli("verify", wheel, "--identity", RFC8785_ID, "--issuer", GHA, "--trusted-root", sig / PROD_ROOT,
            "--format", "json")
    assert r.code == 1
    assert r.json()["verdicts"][0]["reason"] == "tampered-artifact"


def test_missing_material_is_missing_and_exit_1(cli, sig, tmp_path):
    shutil.copy(sig / WHEEL, tmp_path)
    r = cli("verify", tmp_path / Path(WHEEL).name, "--identity", RFC8785_ID, "--issuer", GHA)
    assert r.code == 1
    assert r.out.startswith("MISSING")


def test_legacy_bundle_needs_flag(cli, sig):
    base = ["verify", CPY_DIGEST, "--bundle", sig / CPY_BUNDLE, "--trusted-root", sig / PROD_ROOT,
            "--policy", "cpython", "--version", "3.12.5", "--format", "json"]
    strict = cli(*base)
    assert strict.code == 1
    v = strict.json()["verdicts"][0]
    assert v["reason"] == "invalid-bundle" and "--allow-legacy-bundles" in v["detail"]
    lenient = cli(*base, "--allow-legacy-bundles")
    assert lenient.code == 0
    check = lenient.json()["verdicts"][0]["checks"][0]
    assert check["signer"].startswith("thomas@python.org")
    assert check["signed_at"].startswith("2024-08-06")  # time from the log's SET, not the clock


def test_cpython_policy_picks_release_manager_by_version(cli, sig):
    args = ["verify", CPY_DIGEST, "--bundle", sig / CPY_BUNDLE, "--trusted-root", sig / PROD_ROOT,
            "--allow-legacy-bundles", "--policy", "cpython", "--format", "json"]
    wrong = cli(*args, "--version", "3.14.0")  # 3.14 is Hugo's, via GitHub
    assert wrong.code == 1
    assert wrong.json()["verdicts"][0]["reason"] in ("wrong-identity", "wrong-issuer")


def test_policy_override_file_wins(cli, sig, tmp_path):
    override = tmp_path / "p.toml"
    override.write_text('extends = "cpython"\n[signers.x]\nsigstore = [{identity = "hugo@python.org", '
                        'issuer = "https://github.com/login/oauth"}]\n'
                        '[[rules]]\nversions = "==3.12.5"\nsigners = ["x"]\n')
    r = cli("verify", CPY_DIGEST, "--bundle", sig / CPY_BUNDLE, "--trusted-root", sig / PROD_ROOT,
            "--allow-legacy-bundles", "--policy", override, "--version", "3.12.5", "--format", "json")
    assert r.code == 1
    assert r.json()["verdicts"][0]["reason"] == "wrong-identity"


def test_pep740_provenance_discovered(cli, sig, tmp_path):
    for name in ("pypi_attestations-0.0.19.tar.gz", "pypi_attestations-0.0.19.tar.gz.provenance"):
        shutil.copy(sig / "pep740" / name, tmp_path)
    r = cli("verify", tmp_path / "pypi_attestations-0.0.19.tar.gz", "--publisher", json.dumps(PA_PUBLISHER),
            "--trusted-root", sig / PROD_ROOT, "--format", "markdown")
    assert r.code == 0
    assert "| PASS |" in r.out


def test_openpgp_beside_artifact_with_policy(cli, sig, tmp_path):
    tarball = need_big()
    os.symlink(tarball, tmp_path / "Python-3.13.5.tar.xz")
    asc = sig / "openpgp/cpython/python3.13_3.13.5.orig.tar.xz.asc"
    shutil.copy(asc, tmp_path / "Python-3.13.5.tar.xz.asc")
    r = cli("verify", tmp_path / "Python-3.13.5.tar.xz", "--policy", "cpython", "--key", sig / THOMAS_KEY)
    assert r.code == 0, r.out
    assert "7169605F62C751356D054A26A821E680E5FA6305" in r.out


def test_bad_inputs_are_verdicts_or_one_line_errors(cli, sig, tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("x")
    garbage = tmp_path / "a.txt.sigstore"
    garbage.write_text("{not json")
    r = cli("verify", art, "--identity", "a@b", "--issuer", "https://i", "--format", "json")
    assert r.code == 1 and r.json()["verdicts"][0]["reason"] == "invalid-bundle"
    garbage.write_text('{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json"}')
    r = cli("verify", art, "--identity", "a@b", "--issuer", "https://i", "--format", "json")
    assert r.code == 1 and r.json()["verdicts"][0]["reason"] == "invalid-bundle"
    asc = tmp_path / "a.txt.asc"
    asc.write_bytes(b"\x89\x01garbage")
    garbage.unlink()
    r = cli("verify", art, "--key", sig / THOMAS_KEY, "--format", "json")
    assert r.code == 1 and r.json()["verdicts"][0]["reason"] == "invalid-signature"


def test_usage_errors_exit_2_with_one_line(cli, sig, tmp_path):
    cases = [
        ["verify"],
        ["verify", tmp_path / "nope.whl", "--identity", "a", "--issuer", "b"],
        ["verify", sig / WHEEL, "--identity", "a"],
        ["verify", sig / WHEEL, "--publisher", "{not json"],
        ["verify", sig / WHEEL, "--publisher", '{"kind": "GitHub"}'],
        ["verify", sig / WHEEL, "--signature", sig / WHEEL],
        ["verify", sig / WHEEL, "--key", "/etc/hostname", "--signature", sig / WHEEL],
        ["verify", sig / WHEEL, "--trusted-root", sig / WHEEL, "--identity", "a", "--issuer", "b"],
        ["verify", sig / WHEEL, "--policy", tmp_path / "missing.toml"],
        ["verify", sig / WHEEL, "--fingerprint", "XYZ"],
        ["verify", sig / WHEEL, "--bundle", sig / (WHEEL + ".sigstore")],
        ["verify", sig / WHEEL, "--attestation", sig / (WHEEL + ".sigstore")],
    ]
    for args in cases:
        r = cli(*args)
        assert r.code == 2, (args, r.out, r.err)
        last = r.err.strip().splitlines()[-1]
        assert last.startswith(("Error:", "assay: error:")), r.err  # one line says what is wrong


def test_invalid_policy_toml_is_one_line(cli, sig, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rules]]\nversions = '>=banana'\n")
    r = cli("verify", sig / WHEEL, "--policy", bad)
    assert r.code == 2 and "bad.toml" in r.err


def test_no_writes_to_home_and_no_network(sig, tmp_path):
    """Offline by default with a local root: run in a fresh HOME with the network forbidden."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), ASSAY_OFFLINE="1", no_proxy="", http_proxy="http://127.0.0.1:9",
               https_proxy="http://127.0.0.1:9")
    r = subprocess.run([sys.executable, "-m", "assay", "verify", str(sig / WHEEL), "--bundle",
                        str(sig / (WHEEL + ".sigstore")), "--identity", RFC8785_ID, "--issuer", GHA],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert list(home.rglob("*")) == []


def test_version_outside_policy_fails_closed(cli, sig):
    r = cli("verify", CPY_DIGEST, "--bundle", sig / CPY_BUNDLE, "--trusted-root", sig / PROD_ROOT,
            "--allow-legacy-bundles", "--policy", "cpython", "--version", "2.7.18", "--format", "json")
    assert r.code == 1
    v = r.json()["verdicts"][0]
    assert v["status"] == "fail" and v["reason"] == "no-expected-signer" and "2.7.18" in v["detail"]


def test_detached_sig_crt_pair_is_reported_not_verified(cli, tmp_path):
    art = tmp_path / "Python-3.10.7.tgz"
    art.write_bytes(b"x")
    (tmp_path / "Python-3.10.7.tgz.sig").write_text("TUVVQ0lRRA==\n")  # base64 text: not OpenPGP
    (tmp_path / "Python-3.10.7.tgz.crt").write_text("-----BEGIN CERTIFICATE-----\n")
    r = cli("verify", art, "--policy", "cpython", "--format", "json")
    assert r.code == 1
    v = r.json()["verdicts"][0]
    assert v["status"] == "missing" and ".sigstore bundle" in v["detail"]


def test_legacy_bundle_with_broken_set_fails_even_when_allowed(cli, sig, tmp_path):
    import base64

    doc = json.loads((sig / CPY_BUNDLE).read_text())
    promise = doc["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]
    raw = bytearray(base64.b64decode(promise["signedEntryTimestamp"]))
    raw[-5] ^= 1
    promise["signedEntryTimestamp"] = base64.b64encode(bytes(raw)).decode()
    broken = tmp_path / "Python-3.12.5.tgz.sigstore"
    broken.write_text(json.dumps(doc))
    r = cli("verify", CPY_DIGEST, "--bundle", broken, "--trusted-root", sig / PROD_ROOT,
            "--identity", "thomas@python.org", "--issuer", "https://accounts.google.com",
            "--allow-legacy-bundles", "--format", "json")
    assert r.code == 1
    v = r.json()["verdicts"][0]
    assert v["reason"] == "invalid-bundle" and "SET" in v["detail"]


def test_material_nobody_asked_about_is_not_checked(cli, sig, tmp_path):
    """CPython 3.12 ships .sigstore and .asc: asking only about the Sigstore identity passes."""
    wheel = _wheel_dir(sig, tmp_path)
    (tmp_path / (wheel.name + ".asc")).write_bytes(b"not even a signature")
    r = cli("verify", wheel, "--identity", RFC8785_ID, "--issuer", GHA, "--trusted-root", sig / PROD_ROOT,
            "--format", "json")
    assert r.code == 0
    checks = r.json()["verdicts"][0]["checks"]
    assert [c["status"] for c in checks] == ["pass", "missing"]
    assert "not checked" in checks[1]["detail"]


def test_dist_star_uses_material_and_never_reports_it_missing(cli, sig, tmp_path):
    """`assay verify dist/*`: the shell names every file; only the wheel is an artifact."""
    wheel = _wheel_dir(sig, tmp_path)
    shutil.copy(sig / (WHEEL + ".sigstore"), tmp_path / (wheel.name + ".sigstore.json"))
    for suffix in (".provenance", ".publish.attestation", ".crt", ".sha256"):
        (tmp_path / (wheel.name + suffix)).write_text("{}")
    everything = sorted(tmp_path.iterdir())  # what the shell passes for dist/*
    r = cli("verify", *everything, "--identity", RFC8785_ID, "--issuer", GHA,
            "--trusted-root", sig / PROD_ROOT, "--format", "json")
    verdicts = r.json()["verdicts"]
    assert [Path(v["artifact"]).name for v in verdicts] == [wheel.name]
    assert "missing" not in {v["status"] for v in verdicts}
    assert "used as material" in r.err


def test_only_material_given_is_a_usage_error(cli, sig, tmp_path):
    wheel = _wheel_dir(sig, tmp_path)
    r = cli("verify", tmp_path / (wheel.name + ".sigstore"), "--identity", RFC8785_ID, "--issuer", GHA)
    assert r.code == 2
    assert r.err.strip().splitlines()[-1].endswith(f"name the file it is for ({wheel})")


def test_signed_file_with_a_material_name_is_still_an_artifact(cli, sig, tmp_path):
    """notes.sig with its own bundle beside it is verified, not set aside."""
    shutil.copy(sig / WHEEL, tmp_path / "notes.sig")
    shutil.copy(sig / (WHEEL + ".sigstore"), tmp_path / "notes.sig.sigstore")
    r = cli("verify", *sorted(tmp_path.iterdir()), "--identity", RFC8785_ID, "--issuer", GHA,
            "--trusted-root", sig / PROD_ROOT, "--format", "json")
    assert r.code == 0
    assert [Path(v["artifact"]).name for v in r.json()["verdicts"]] == ["notes.sig"]


def test_unwritable_output_is_one_line_exit_2(cli, sig, tmp_path):
    wheel = _wheel_dir(sig, tmp_path)
    r = cli("verify", wheel, "--identity", RFC8785_ID, "--issuer", GHA, "--trusted-root", sig / PROD_ROOT,
            "-o", tmp_path)  # a folder, not a file
    assert r.code == 2
    last = r.err.strip().splitlines()[-1]
    assert last.startswith(f"assay: error: {tmp_path}: ") and "Traceback" not in r.err
