"""The OpenPGP traps gpgv lets through (exit 0): revoked keys, keys expired before they signed.

The keys are made here with pysequoia (real OpenPGP, nothing hand-rolled);
the released CPython key that expired *after* signing is covered by the
manifest cases and must pass.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pysequoia
import pytest


def _signed(tmp: Path, data: bytes = b"release artifact\n") -> tuple[pysequoia.Tsk, Path, Path]:
    tsk = pysequoia.Tsk.generate("Release Manager <rm@example.org>")
    art = tmp / "pkg-1.0.tar.gz"
    art.write_bytes(data)
    sig = tmp / "pkg-1.0.tar.gz.asc"
    sig.write_bytes(pysequoia.sign(tsk.signer(), data, mode=pysequoia.SignatureMode.DETACHED))
    return tsk, art, sig


def _write_key(path: Path, cert: pysequoia.Cert) -> Path:
    path.write_text(str(cert))
    return path


def test_good_generated_key_passes(cli, tmp_path):
    tsk, art, _ = _signed(tmp_path)
    key = _write_key(tmp_path / "k.asc", tsk.extract_certificate())
    r = cli("verify", art, "--key", key, "--format", "json")
    assert r.code == 0, r.out
    signer = r.json()["verdicts"][0]["checks"][0]["signer"]
    assert signer.startswith(tsk.extract_certificate().fingerprint.upper())


def test_revoked_key_fails(cli, tmp_path):
    tsk, art, _ = _signed(tmp_path)
    cert = tsk.extract_certificate()
    revocation = cert.revoke(tsk.certifier())
    revoked = pysequoia.Cert.from_bytes(bytes(cert) + bytes(revocation))
    assert revoked.is_revoked
    key = _write_key(tmp_path / "k.asc", revoked)
    r = cli("verify", art, "--key", key, "--format", "json")
    assert r.code == 1
    assert r.json()["verdicts"][0]["reason"] == "key-revoked"


def test_key_expired_before_signing_fails(cli, tmp_path):
    tsk = pysequoia.Tsk.generate("Release Manager <rm@example.org>")
    art = tmp_path / "pkg-1.0.tar.gz"
    art.write_bytes(b"late\n")
    time.sleep(1.1)
    sig = pysequoia.Sig.from_bytes(pysequoia.sign(tsk.signer(), art.read_bytes(),
                                                  mode=pysequoia.SignatureMode.DETACHED))
    (tmp_path / "pkg-1.0.tar.gz.asc").write_text(str(sig))
    assert sig.created is not None
    # the key's lifetime is cut to end one second before the signature was made
    expired = tsk.extract_certificate().set_expiration(sig.created - dt.timedelta(seconds=1), tsk.certifier())
    key = _write_key(tmp_path / "k.asc", pysequoia.Cert.from_bytes(bytes(expired)))
    r = cli("verify", art, "--key", key, "--format", "json")
    assert r.code == 1
    assert r.json()["verdicts"][0]["reason"] == "key-expired-at-signing-time"


def test_wrong_fingerprint_expected(cli, tmp_path):
    tsk, art, _ = _signed(tmp_path)
    key = _write_key(tmp_path / "k.asc", tsk.extract_certificate())
    r = cli("verify", art, "--key", key, "--fingerprint", "E550A600BAC2556807A83FDDF8298FFCF74DEBB4",
            "--format", "json")
    assert r.code == 1
    assert r.json()["verdicts"][0]["reason"] == "wrong-key"


@pytest.mark.parametrize("binary", [False, True])
def test_tampered_vs_corrupt_signature(cli, tmp_path, binary):
    tsk, art, sig = _signed(tmp_path)
    key = _write_key(tmp_path / "k.asc", tsk.extract_certificate())
    if binary:
        raw = pysequoia.Sig.from_file(str(sig))
        sig.unlink()
        (tmp_path / "pkg-1.0.tar.gz.sig").write_bytes(bytes(raw))
    art.write_bytes(b"release artifact, modified\n")
    r = cli("verify", art, "--key", key, "--format", "json")
    assert r.json()["verdicts"][0]["reason"] == "tampered-artifact"
