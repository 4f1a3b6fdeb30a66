"""release-audit and release-check against a real HTTP server on 127.0.0.1 serving a mirror
built from ../shared/data/signatures (a folder per version, artifacts beside their signatures)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

from assay.verify.report import JSON_SCHEMA

from .verify_data import BIG, PA_PUBLISHER, PROD_ROOT, RFC8785_ID, THOMAS_KEY

WHEEL = "rfc8785-0.1.2-py3-none-any.whl"
SDIST = "pypi_attestations-0.0.19.tar.gz"

POLICY = f"""
extends = "cpython"
[policy]
name = "loopback mirror"
artifacts = ["*"]
[signers.rfc8785]
sigstore = [{{identity = "{RFC8785_ID}", issuer = "https://token.actions.githubusercontent.com"}}]
[signers.pypi-attestations]
publishers = [{json.dumps(PA_PUBLISHER).replace('":', '" =')}]
[[rules]]
versions = ">=0.1,<0.2"
signers = ["rfc8785"]
[[rules]]
versions = "<0.1"
signers = ["pypi-attestations"]
"""


def build_mirror(sig: Path, root: Path) -> Path:
    """0.1.2: good wheel; 0.1.3: tampered wheel + real bundle; 0.0.19: sdist + PEP 740;
    0.0.4a2: unsigned sdist; 3.13.5: CPython tarball + .asc (when fetched)."""
    def put(version: str, src: Path, name: str | None = None) -> None:
        d = root / version
        d.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, d / (name or src.name))

    put("0.1.2", sig / "sigstore/pypi" / WHEEL)
    put("0.1.2", sig / "sigstore/pypi" / (WHEEL + ".sigstore"))
    put("0.1.3", sig / "sigstore/pypi/tampered" / WHEEL)
    put("0.1.3", sig / "sigstore/pypi" / (WHEEL + ".sigstore"))
    put("0.0.19", sig / "pep740" / SDIST)
    put("0.0.19", sig / "pep740" / (SDIST + ".publish.attestation"))
    put("0.0.4a2", sig / "pep740/pypi_attestation_models-0.0.4a2.tar.gz")
    tarball = BIG / "python3.13_3.13.5.orig.tar.xz"
    if tarball.is_file():
        put("3.13.5", tarball, "Python-3.13.5.tar.xz")
        put("3.13.5", sig / "openpgp/cpython/python3.13_3.13.5.orig.tar.xz.asc", "Python-3.13.5.tar.xz.asc")
    (root / "unrelated").mkdir()
    (root / "unrelated" / "README.txt").write_text("not a version folder\n")
    return root


class Handler(SimpleHTTPRequestHandler):
    """Static files with byte ranges (for resumed downloads), plus a PEP 691 simple API."""

    log: list[tuple[str, str, int]]
    simple: dict[str, bytes]

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _record(self, code: int) -> None:
        self.log.append((self.command, self.path, code))

    def do_HEAD(self) -> None:
        self._record(200)
        super().do_HEAD()

    def do_GET(self) -> None:
        if self.path in self.simple:
            body = self.simple[self.path]
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.pypi.simple.v1+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        path = Path(self.translate_path(self.path))
        rng = self.headers.get("Range")
        if path.is_file() and rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            data = path.read_bytes()
            self._record(206)
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            self.wfile.write(data[start:])
            return
        self._record(404 if not path.exists() else 200)
        super().do_GET()


@pytest.fixture
def server(sig, tmp_path) -> Iterator[tuple[str, Path, list[tuple[str, str, int]], dict[str, bytes]]]:
    root = build_mirror(sig, tmp_path / "mirror")
    log: list[tuple[str, str, int]] = []
    simple: dict[str, bytes] = {}
    handler = type("H", (Handler,), {"log": log, "simple": simple})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", root, log, simple
    finally:
        httpd.shutdown()
        httpd.server_close()


def audit_args(sig: Path, tmp: Path, source: str, *extra: str) -> list[str | Path]:
    pol = tmp / "policy.toml"
    pol.write_text(POLICY)
    return ["release-audit", source, "--policy", pol, "--key", sig / THOMAS_KEY,
            "--trusted-root", sig / PROD_ROOT, "--cache", tmp / "cache", "-o", tmp / "out", *extra]


def file_gets(log: list[tuple[str, str, int]]) -> list[str]:
    return [p for m, p, _ in log if m == "GET" and not p.endswith("/")]


def verdicts_by_name(out: Path) -> dict[str, dict]:
    doc = json.loads((out / "report.json").read_text())
    jsonschema.validate(doc, JSON_SCHEMA)
    return {v["artifact"]: v for v in doc["verdicts"]}


def test_audit_over_loopback_http_then_rerun_downloads_nothing(cli, sig, tmp_path, server):
    url, root, log, _ = server
    r = cli(*audit_args(sig, tmp_path, url))
    assert r.code == 1  # one tampered artifact, one unsigned
    out = tmp_path / "out"
    got = verdicts_by_name(out)
    assert got["0.1.2/" + WHEEL]["status"] == "pass"
    assert got["0.1.3/" + WHEEL]["reason"] == "tampered-artifact"
    assert got["0.0.19/" + SDIST]["status"] == "pass"
    assert got["0.0.4a2/pypi_attestation_models-0.0.4a2.tar.gz"]["status"] == "missing"
    if (root / "3.13.5").is_dir():
        assert got["3.13.5/Python-3.13.5.tar.xz"]["status"] == "pass"
    assert not any("unrelated" in p for _, p, _ in log)
    md = (out / "report.md").read_text()
    assert "tampered-artifact" in md and "| PASS |" in md
    page = (out / "report.html").read_text()
    assert page.startswith("<!doctype html>")
    assert "<link" not in page and " src=" not in page  # one self-contained file
    first_gets = file_gets(log)
    assert first_gets, "files were downloaded on the first run"

    log.clear()
    again = cli(*audit_args(sig, tmp_path, url))
    assert again.code == 1
    assert file_gets(log) == []  # only directory listings were read
    assert "0 file(s)" in again.err and "unchanged verdict(s) reused" in again.err
    assert verdicts_by_name(out) == got


def test_changed_file_is_downloaded_and_verified_again(cli, sig, tmp_path, server):
    url, root, log, _ = server
    cli(*audit_args(sig, tmp_path, url))
    fixed = root / "0.1.3" / WHEEL
    shutil.copy(sig / "sigstore/pypi" / WHEEL, fixed)  # upstream replaces the bad file, later
    later = fixed.stat().st_mtime + 60
    os.utime(fixed, (later, later))
    log.clear()
    r = cli(*audit_args(sig, tmp_path, url, "--refresh"))
    assert file_gets(log) == ["/0.1.3/" + WHEEL]
    assert "verified 1 artifact(s)" in r.err
    assert verdicts_by_name(tmp_path / "out")["0.1.3/" + WHEEL]["status"] == "pass"


def test_interrupted_download_resumes_with_range(cli, sig, tmp_path, server):
    url, root, log, _ = server
    cache_root = tmp_path / "cache"
    # a previous run was cut off half-way through the wheel
    from assay.verify import release

    folder = release.cache_dir_for(cache_root, url) / "0.1.2"
    folder.mkdir(parents=True)
    data = (root / "0.1.2" / WHEEL).read_bytes()
    (folder / (WHEEL + ".part")).write_bytes(data[: len(data) // 2])
    cli(*audit_args(sig, tmp_path, url, "--versions", "==0.1.2"))
    assert ("GET", "/0.1.2/" + WHEEL, 206) in log
    assert (folder / WHEEL).read_bytes() == data
    assert verdicts_by_name(tmp_path / "out")["0.1.2/" + WHEEL]["status"] == "pass"


def test_local_mirror_same_verdicts(cli, sig, tmp_path, server):
    _, root, _, _ = server
    r = cli(*audit_args(sig, tmp_path, str(root), "--versions", "<1"))
    assert r.code == 1
    got = verdicts_by_name(tmp_path / "out")
    assert {k: v["status"] for k, v in got.items()} == {
        "0.0.4a2/pypi_attestation_models-0.0.4a2.tar.gz": "missing",
        "0.0.19/" + SDIST: "pass",
        "0.1.2/" + WHEEL: "pass",
        "0.1.3/" + WHEEL: "fail",
    }


def _pypi(simple: dict[str, bytes], url: str, root: Path, sig: Path, *, sha: str | None = None) -> None:
    """PyPI's two APIs on the loopback server: the JSON simple index and the integrity API."""
    sdist = root / "0.0.19" / SDIST
    prov = root / "integrity/pypi-attestations/0.0.19" / SDIST / "provenance"
    prov.parent.mkdir(parents=True)
    shutil.copy(sig / "pep740" / (SDIST + ".provenance"), prov)
    digest = sha or hashlib.sha256(sdist.read_bytes()).hexdigest()
    simple["/simple/pypi-attestations/"] = json.dumps({
        "meta": {"api-version": "1.1"}, "name": "pypi-attestations",
        "files": [{"filename": SDIST, "url": f"{url}0.0.19/{SDIST}", "hashes": {"sha256": digest}}],
    }).encode()


def test_pypi_project_with_integrity_api(cli, sig, tmp_path, server):
    url, root, _, simple = server
    _pypi(simple, url, root, sig)
    r = cli("release-audit", "pypi:pypi-attestations", "--index-url", url + "simple/",
            "--integrity-url", url + "integrity/", "--publisher", json.dumps(PA_PUBLISHER),
            "--trusted-root", sig / PROD_ROOT, "--cache", tmp_path / "cache", "-o", tmp_path / "out")
    assert r.code == 0, r.out + r.err
    v = verdicts_by_name(tmp_path / "out")["0.0.19/" + SDIST]
    assert v["status"] == "pass" and v["checks"][0]["kind"] == "pep740"


def test_pypi_sha256_mismatch_is_a_network_error_and_leaves_nothing(cli, sig, tmp_path, server):
    url, root, _, simple = server
    _pypi(simple, url, root, sig, sha="0" * 64)
    r = cli("release-audit", "pypi:pypi-attestations", "--index-url", url + "simple/",
            "--integrity-url", url + "integrity/", "--publisher", json.dumps(PA_PUBLISHER),
            "--trusted-root", sig / PROD_ROOT, "--cache", tmp_path / "cache", "-o", tmp_path / "out")
    assert r.code == 4
    assert "sha256 mismatch" in r.err
    assert not list((tmp_path / "cache").rglob(SDIST))


def test_offline_refuses_remote_sources(cli, sig, tmp_path, server):
    url, _, log, _ = server
    r = cli("--offline", *audit_args(sig, tmp_path, url))
    assert r.code == 4 and "offline" in r.err
    assert log == []


def test_release_check_gate(cli, sig, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    for name in (WHEEL, WHEEL + ".sigstore"):
        shutil.copy(sig / "sigstore/pypi" / name, dist)
    pol = tmp_path / "rel.toml"
    pol.write_text(f'[signers.ci]\nsigstore = [{{identity = "{RFC8785_ID}", '
                   'issuer = "https://token.actions.githubusercontent.com"}]\n'
                   '[[rules]]\nsigners = ["ci"]\nrequire = ["sigstore"]\n')
    base = ["release-check", dist, "--policy", pol, "--trusted-root", sig / PROD_ROOT]
    assert cli(*base).code == 0
    (dist / "rfc8785-0.1.2.tar.gz").write_bytes(b"an unsigned sdist")
    r = cli(*base, "--format", "json")
    assert r.code == 1
    assert {v["status"] for v in r.json()["verdicts"]} == {"pass", "missing"}
    os.remove(dist / "rfc8785-0.1.2.tar.gz")
    shutil.copy(sig / "sigstore/pypi/tampered" / WHEEL, dist / WHEEL)
    assert cli(*base).code == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("release-check", empty, "--policy", pol).code == 3


def test_release_check_says_when_the_policy_covers_none_of_the_files(cli, sig, tmp_path):
    """CPython's policy covers Python-*.tar.xz and friends: a folder of wheels is out of its scope."""
    dist = tmp_path / "dist"
    dist.mkdir()
    for name in (WHEEL, WHEEL + ".sigstore"):
        shutil.copy(sig / "sigstore/pypi" / name, dist)
    r = cli("release-check", dist, "--policy", "cpython", "--trusted-root", sig / PROD_ROOT)
    assert r.code == 3
    last = r.err.strip().splitlines()[-1]
    assert "covers none" in last and "Python-*.tar.xz" in last and WHEEL in last
    assert "no artifact" not in last


def test_release_check_lists_files_outside_the_policy(cli, sig, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    for name in (WHEEL, WHEEL + ".sigstore"):
        shutil.copy(sig / "sigstore/pypi" / name, dist)
    (dist / "CHANGES.txt").write_text("not signed, not covered\n")
    pol = tmp_path / "rel.toml"
    pol.write_text(f'[policy]\nartifacts = ["*.whl"]\n[signers.ci]\nsigstore = [{{identity = "{RFC8785_ID}", '
                   'issuer = "https://token.actions.githubusercontent.com"}]\n[[rules]]\nsigners = ["ci"]\n')
    r = cli("release-check", dist, "--policy", pol, "--trusted-root", sig / PROD_ROOT, "--format", "json")
    assert r.code == 0
    assert [v["artifact"] for v in r.json()["verdicts"]] == [WHEEL]
    assert "1 file(s) outside the policy's artifacts globs were not checked: CHANGES.txt" in r.err


def test_release_audit_with_no_matching_version_is_not_a_pass(cli, sig, tmp_path, server):
    _, root, _, _ = server
    r = cli(*audit_args(sig, tmp_path, str(root), "--versions", ">=99"))
    assert r.code == 3
    assert "no version matches --versions >=99" in r.err
    assert not (tmp_path / "out" / "report.json").exists()


def test_release_audit_unwritable_cache_and_reports_are_one_line(cli, sig, tmp_path, server):
    _, root, _, _ = server
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    args = audit_args(sig, tmp_path, str(root), "--versions", "==0.1.2")
    bad_cache = [*args[:args.index("--cache") + 1], blocker / "cache", *args[args.index("--cache") + 2:]]
    r = cli(*bad_cache)
    assert r.code == 2 and "cannot create the cache folder" in r.err.strip().splitlines()[-1]
    bad_out = [*args[:args.index("-o") + 1], blocker / "out"]
    r = cli(*bad_out)
    assert r.code == 2
    assert r.err.strip().splitlines()[-1].startswith(f"assay: error: {blocker / 'out'}: cannot write")
