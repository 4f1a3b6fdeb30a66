"""Benchmark: assay verify against the per-file CLI loop and against plain sha256 (the floor).

Run from the project root with the dev venv:

    .venv/bin/python bench/verify/bench_verify.py [--n 50] [--repeat 3]

Workloads, each timed in the same run as its peers:

1. 50 small artifacts with Sigstore bundles (copies of the real rfc8785 wheel and its
   PyPI bundle, one per folder): one ``assay verify`` process vs a loop of
   ``python -m sigstore verify identity --offline`` (one process per file), both
   offline against the same pinned production trust root.
2. 50 small artifacts with OpenPGP signatures (made here with a fresh pysequoia key):
   one ``assay verify`` process vs a loop of ``gpgv``.
3. The 22.9 MB CPython 3.13.5 tarball with its real OpenPGP signature: in-process
   (assay's verifier vs hashlib.sha256 of the same bytes) and end to end (``assay
   verify`` vs ``gpgv`` vs ``sha256sum``). Also the Sigstore path on the same bytes
   (one streaming sha256, then the bundle checks; the 3.12.5 bundle is for another
   file, so it fails at the digest comparison after doing the same work as a pass).

The peers here need nothing beyond the dev venv (sigstore is one of assay's extras)
and the system ``gpgv``/``sha256sum``; nothing is installed. The sigstore CLI runs
with HOME pointed at a scratch folder so it cannot touch the user's home.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIG = ROOT.parent / "shared" / "data" / "signatures"
BIG = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assay-fixtures" / "big"
PY = sys.executable
WHEEL = "rfc8785-0.1.2-py3-none-any.whl"
IDENTITY = "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2"
ISSUER = "https://token.actions.githubusercontent.com"
THOMAS = "openpgp/keys/cpython-3.12-3.13-thomas-wouters-7169605F62C751356D054A26A821E680E5FA6305.asc"


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Best of ``repeat`` wall-clock runs (the least disturbed one)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run(cmd: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> None:
    r = subprocess.run(cmd, capture_output=True, env=env)
    if r.returncode not in ok:
        raise SystemExit(f"bench: {' '.join(cmd[:4])}... exited {r.returncode}: {r.stderr.decode()[-400:]}")


def assay(*args: str) -> list[str]:
    return [PY, "-m", "assay", "-q", *args]


def setup(work: Path, n: int) -> dict[str, object]:
    import pysequoia

    # 1. Sigstore: n folders, each the real wheel beside its real bundle.
    wheels = []
    for i in range(n):
        d = work / "sigstore" / f"d{i:03d}"
        d.mkdir(parents=True)
        shutil.copy(SIG / "sigstore/pypi" / WHEEL, d)
        shutil.copy(SIG / "sigstore/pypi" / (WHEEL + ".sigstore"), d)
        wheels.append(d / WHEEL)
    from assay.verify import _compat  # the one place that knows where sigstore keeps its embedded roots

    store = _compat.embedded_trusted_root().parent
    trust_config = work / "prod.trust_config.json"
    trust_config.write_text(json.dumps({
        "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
        "trustedRoot": json.loads((SIG / "sigstore/trust/prod.trusted_root.json").read_text()),
        "signingConfig": json.loads((store / "signing_config.v0.2.json").read_text()),
    }))
    # 2. OpenPGP: n small files signed with a fresh key.
    tsk = pysequoia.Tsk.generate("Bench Signer <bench@example.org>")
    cert = tsk.extract_certificate()
    key_asc = work / "bench-key.asc"
    key_asc.write_text(str(cert))
    keyring = work / "bench-key.gpg"
    keyring.write_bytes(bytes(cert))
    signer = tsk.signer()
    small = []
    for i in range(n):
        f = work / "openpgp" / f"pkg-{i}.tar.gz"
        f.parent.mkdir(parents=True, exist_ok=True)
        data = os.urandom(9000)
        f.write_bytes(data)
        (f.parent / (f.name + ".asc")).write_bytes(
            pysequoia.sign(signer, data, mode=pysequoia.SignatureMode.DETACHED))
        small.append(f)
    home = work / "home"
    home.mkdir()
    return {"wheels": wheels, "trust_config": trust_config, "key_asc": key_asc, "keyring": keyring,
            "small": small, "env": {**os.environ, "HOME": str(home)}}


def sha256_files(paths: list[Path]) -> None:
    for p in paths:
        with p.open("rb") as fh:
            hashlib.file_digest(fh, "sha256")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50, help="artifacts per batch (default 50)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per fast measurement; best is kept")
    args = ap.parse_args()
    if not SIG.is_dir():
        raise SystemExit(f"bench: {SIG} not found")
    rows: list[tuple[str, float, str]] = []

    with tempfile.TemporaryDirectory(prefix="assay-bench-") as tmp:
        work = Path(tmp)
        s = setup(work, args.n)
        wheels: list[Path] = s["wheels"]  # type: ignore[assignment]
        small: list[Path] = s["small"]  # type: ignore[assignment]
        env: dict[str, str] = s["env"]  # type: ignore[assignment]
        root = str(SIG / "sigstore/trust/prod.trusted_root.json")
        n = args.n

        # --- 1. Sigstore batch
        ours = assay("verify", *map(str, wheels), "--identity", IDENTITY, "--issuer", ISSUER,
                     "--trusted-root", root)
        t_assay = timed(lambda: run(ours, env=env), args.repeat)
        peer = [PY, "-m", "sigstore", "--trust-config", str(s["trust_config"]), "verify", "identity",
                "--offline", "--cert-identity", IDENTITY, "--cert-oidc-issuer", ISSUER]
        t_loop = timed(lambda: [run([*peer, "--bundle", str(w) + ".sigstore", str(w)], env=env)
                                for w in wheels], 1)
        t_floor = timed(lambda: sha256_files(wheels), args.repeat)
        rows += [(f"sigstore batch, {n} wheels: assay verify (1 process)", t_assay, ""),
                 (f"sigstore batch: python -m sigstore verify identity x{n}", t_loop,
                  f"assay is {t_loop / t_assay:.1f}x faster"),
                 ("sigstore batch: sha256 of the same bytes (floor)", t_floor,
                  f"assay costs {t_assay / t_floor:.0f}x the floor")]

        # --- 2. OpenPGP batch
        ours_pgp = assay("verify", *map(str, small), "--key", str(s["key_asc"]))
        t_assay_pgp = timed(lambda: run(ours_pgp), args.repeat)
        t_gpgv = timed(lambda: [run(["gpgv", "--keyring", str(s["keyring"]), str(f) + ".asc", str(f)])
                                for f in small], args.repeat) if shutil.which("gpgv") else float("nan")
        t_floor_pgp = timed(lambda: sha256_files(small), args.repeat)
        rows += [(f"openpgp batch, {n} files: assay verify (1 process)", t_assay_pgp, ""),
                 (f"openpgp batch: gpgv x{n}", t_gpgv, f"assay is {t_gpgv / t_assay_pgp:.1f}x faster"),
                 ("openpgp batch: sha256 of the same bytes (floor)", t_floor_pgp, "")]

        # --- 3. Big file
        tarball = BIG / "python3.13_3.13.5.orig.tar.xz"
        if tarball.is_file():
            from assay.verify import openpgp
            from assay.verify.artifact import Artifact
            from assay.verify.sigstore import SigstoreSigner, SigstoreVerifier

            asc = SIG / "openpgp/cpython/python3.13_3.13.5.orig.tar.xz.asc"
            keyring = openpgp.Keyring.load([SIG / THOMAS])
            size = tarball.stat().st_size

            def lib_pgp() -> None:
                check = openpgp.verify(Artifact(str(tarball), tarball), asc, keyring)
                assert check.status.value == "pass", check

            sv = SigstoreVerifier(Path(root), allow_legacy=True)
            signers = [SigstoreSigner("thomas@python.org", "https://accounts.google.com")]

            def lib_sigstore() -> None:
                bundle = SIG / "sigstore/cpython/Python-3.12.5.tgz.sigstore"
                sv.verify(bundle, Artifact(str(tarball), tarball), signers)

            # interleaved, best of many: these take tens of milliseconds on a shared machine
            t_sha = t_lib = t_lib_ss = float("inf")
            for _ in range(max(10, args.repeat)):
                t_sha = min(t_sha, timed(lambda: sha256_files([tarball]), 1))
                t_lib = min(t_lib, timed(lib_pgp, 1))
                t_lib_ss = min(t_lib_ss, timed(lib_sigstore, 1))
            mbs = size / 1e6
            rows += [("big 22.9 MB: hashlib.sha256 in-process (floor)", t_sha, f"{mbs / t_sha:.0f} MB/s"),
                     ("big: assay OpenPGP verify in-process (Sequoia, SHA-512 sig)", t_lib,
                      f"{mbs / t_lib:.0f} MB/s = {t_sha / t_lib:.0%} of sha256 throughput"),
                     ("big: assay Sigstore path in-process (1 streaming sha256 + checks)", t_lib_ss,
                      f"{mbs / t_lib_ss:.0f} MB/s = {t_sha / t_lib_ss:.0%} of sha256 throughput")]
            gpg_keyring = work / "thomas.gpg"
            gpg_keyring.write_bytes(b"".join(bytes(c) for c in keyring.certs))
            ours_big = assay("verify", str(tarball), "--signature", str(asc), "--key", str(SIG / THOMAS))
            t_cli = timed(lambda: run(ours_big), args.repeat)
            t_gpgv_big = timed(lambda: run(["gpgv", "--keyring", str(gpg_keyring), str(asc), str(tarball)]),
                               args.repeat) if shutil.which("gpgv") else float("nan")
            t_sum = timed(lambda: run(["sha256sum", str(tarball)]), args.repeat)
            rows += [("big, end to end: assay verify (process)", t_cli, f"{t_sum / t_cli:.0%} of sha256sum"),
                     ("big, end to end: gpgv", t_gpgv_big, f"{t_sum / t_gpgv_big:.0%} of sha256sum"),
                     ("big, end to end: sha256sum (floor)", t_sum, "")]
        else:
            rows.append(("big file skipped: run fetch-cpython.sh", float("nan"), ""))

    width = max(len(r[0]) for r in rows)
    print(f"{'workload':<{width}}  {'seconds':>9}  ratio")
    for name, secs, note in rows:
        print(f"{name:<{width}}  {secs:9.3f}  {note}")
    batch = [r for r in rows if "assay is" in r[2]]
    print("\nsummary:", "; ".join(f"{r[0].split(':')[0]}: {r[2]}" for r in batch))


if __name__ == "__main__":
    main()
