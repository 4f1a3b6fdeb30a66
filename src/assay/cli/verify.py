"""assay verify ARTIFACT...: signatures and attestations of files, under an identity policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from assay.cli import common

FORMATS = ["text", "json", "markdown", "html"]


def _path(p: str | None) -> Path | None:
    return Path(p) if p else None


def emit(data: str, output: str | None) -> None:
    """Results to ``output`` (atomically) or stdout; a file that cannot be written is one line, exit 2."""
    from assay.errors import InputError
    from assay.output import emit as write

    try:
        write(data, output)
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror or exc})") from None


def render(fmt: str, report: Any) -> str:
    """``report`` (a VerificationReport) in ``fmt``, by the renderer ``assay.formats.verdicts_<fmt>``."""
    import importlib
    from datetime import UTC, datetime

    module = importlib.import_module(f"assay.formats.verdicts_{fmt if fmt in FORMATS else 'text'}")
    # verdict reports carry no timestamp (reruns are byte-identical); colour never goes to files
    return module.dumps(report, created=datetime.now(UTC), color=False)


def policy_options(f):  # type: ignore[no-untyped-def]
    """Options shared by verify and release-check: who must have signed, and the trust root."""
    opts = [
        click.option("--policy", "policies", multiple=True, metavar="FILE|NAME",
                     help="TOML identity policy, or a shipped one by name (cpython). Repeat to layer: "
                          "later ones are tried first."),
        click.option("--identity", "identities", multiple=True, metavar="X",
                     help="Expected Sigstore identity (certificate SAN: e-mail or URI). Repeatable."),
        click.option("--issuer", "issuers", multiple=True, metavar="URL",
                     help="Expected OIDC issuer of --identity (one for all, or one per --identity)."),
        click.option("--fingerprint", "fingerprints", multiple=True, metavar="FPR",
                     help="Expected OpenPGP primary-key fingerprint. Repeatable."),
        click.option("--key", "keys", multiple=True, type=click.Path(dir_okay=False), metavar="KEYFILE",
                     help="OpenPGP public key file(s) to verify with (armored or binary). Repeatable."),
        click.option("--publisher", "publishers", multiple=True, metavar="JSON",
                     help='Expected PEP 740 Trusted Publisher, e.g. \'{"kind": "GitHub", '
                          '"repository": "owner/repo", "workflow": "release.yml"}\'.'),
        click.option("--trusted-root", type=click.Path(dir_okay=False), metavar="FILE",
                     help="Sigstore trusted root (or client trust config) to pin. Default: the production "
                          "root embedded in sigstore-python. Always offline; nothing is written."),
        click.option("--staging", is_flag=True, help="Use the embedded Sigstore staging root."),
        click.option("--allow-legacy-bundles", is_flag=True,
                     help="Accept v0.1 Sigstore bundles without a log checkpoint (their signed entry "
                          "timestamp must verify)."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def build_options(*, policies: tuple[str, ...], identities: tuple[str, ...], issuers: tuple[str, ...],
                  fingerprints: tuple[str, ...], keys: tuple[str, ...], publishers: tuple[str, ...],
                  trusted_root: str | None, staging: bool, allow_legacy_bundles: bool):  # type: ignore[no-untyped-def]
    import json

    from assay.verify import (
        Options,
        SigstoreSigner,
        layer_policies,
        load_policy,
        normalize_fingerprint,
        parse_publisher,
        policy_from_flags,
    )

    if issuers and not identities:
        raise click.UsageError("--issuer needs --identity")
    if identities and not issuers:
        raise click.UsageError("--identity needs --issuer (the OIDC issuer that vouched for it)")
    if len(issuers) not in (1, len(identities)):
        raise click.UsageError("give one --issuer, or one per --identity")
    pairs = [SigstoreSigner(i, issuers[0] if len(issuers) == 1 else issuers[n])
             for n, i in enumerate(identities)]
    pubs = []
    for text in publishers:
        parse_publisher(text)  # validate now: a usage error, not a verdict
        pubs.append(json.loads(text))
    flag_policy = policy_from_flags(sigstore=pairs, openpgp=[normalize_fingerprint(f) for f in fingerprints],
                                    publishers=pubs)
    loaded = [load_policy(p) for p in policies]
    layered = layer_policies(loaded + ([flag_policy] if flag_policy else []))
    for k in keys:
        if not Path(k).is_file():
            raise click.UsageError(f"--key {k}: no such file")
    if trusted_root and not Path(trusted_root).is_file():
        raise click.UsageError(f"--trusted-root {trusted_root}: no such file")
    return Options(trusted_root=_path(trusted_root), staging=staging, allow_legacy=allow_legacy_bundles,
                   keys=[Path(k) for k in keys], policy=layered, flags_only=not loaded)


@click.command()
@click.argument("artifacts", nargs=-1, metavar="ARTIFACT...")
@click.option("--bundle", type=click.Path(dir_okay=False), metavar="F",
              help="Sigstore bundle to use (instead of looking beside each artifact).")
@click.option("--signature", type=click.Path(dir_okay=False), metavar="F",
              help="OpenPGP detached signature (.asc or binary .sig); use with --key.")
@click.option("--attestation", type=click.Path(dir_okay=False), metavar="F",
              help="PEP 740 attestation, or a provenance object holding several.")
@click.option("--version", "release_version", metavar="V",
              help="Release version of the artifacts, to pick the policy's signers (default: from the "
                   "file name, by the policy's version_pattern).")
@policy_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write the report here (default: stdout).")
def verify(artifacts: tuple[str, ...], bundle: str | None, signature: str | None, attestation: str | None,
           release_version: str | None, policies: tuple[str, ...], identities: tuple[str, ...],
           issuers: tuple[str, ...], fingerprints: tuple[str, ...], keys: tuple[str, ...],
           publishers: tuple[str, ...], trusted_root: str | None, staging: bool,
           allow_legacy_bundles: bool, fmt: str, output: str | None) -> int:
    """Verify the signatures of ARTIFACT... (files, or sha256:<hex> digests).

    Material is found beside each artifact (X.sigstore, X.sigstore.json, X.asc, X.sig,
    X.provenance, X.publish.attestation) unless given with --bundle/--signature/--attestation;
    material named among the artifacts (assay verify dist/*) is used, not verified as an
    artifact. The expected signer comes from flags or --policy. Exit 0 when every artifact
    passes, 1 when any fails or lacks a signature, 2 for usage errors (and when the 'verify'
    extra is not installed: pip install 'assay[verify]').

    \b
    assay verify Python-3.13.5.tar.xz --key thomas.asc --policy cpython
    assay verify dist/* --identity https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.0 \\
        --issuer https://token.actions.githubusercontent.com
    assay verify pkg-1.0.tar.gz --publisher '{"kind":"GitHub","repository":"o/r","workflow":"release.yml"}'
    assay verify sha256:38dc...05 --bundle Python-3.12.5.tgz.sigstore \\
        --identity thomas@python.org --issuer https://accounts.google.com --allow-legacy-bundles
    """
    from assay.model.verify import VerificationReport
    from assay.verify import Engine

    if not artifacts and not bundle:
        raise click.UsageError("give at least one ARTIFACT (or --bundle for a DSSE bundle on its own)")
    if signature and not keys:
        raise click.UsageError("--signature needs --key KEYFILE (the signer's public key)")
    for flag, value in (("--bundle", bundle), ("--signature", signature), ("--attestation", attestation)):
        if value and not Path(value).is_file():
            raise click.UsageError(f"{flag} {value}: no such file")
    if bundle and not (identities or policies):
        raise click.UsageError("--bundle needs the expected signer: --identity and --issuer, or --policy")
    if attestation and not (publishers or identities or policies):
        raise click.UsageError("--attestation needs the expected signer: --publisher (or --identity and "
                               "--issuer), or --policy")
    options = build_options(policies=policies, identities=identities, issuers=issuers,
                            fingerprints=fingerprints, keys=keys, publishers=publishers,
                            trusted_root=trusted_root, staging=staging,
                            allow_legacy_bundles=allow_legacy_bundles)
    options.bundle, options.signature = _path(bundle), _path(signature)
    options.attestation = _path(attestation)
    options.version = release_version
    engine = Engine(options)
    parsed = _artifacts(artifacts, explicit=bool(bundle or signature or attestation))
    verdicts = []
    with common.progress("verifying", total=len(parsed) or 1) as advance:
        if not parsed:
            verdicts.append(engine.verify_material_only())
        for art in parsed:
            verdicts.append(engine.verify_safely(art))
            advance()
    report = VerificationReport(tuple(verdicts))
    emit(render(fmt, report), output)
    if output and fmt != "text":
        common.info(render("text", report).rstrip())
    return 0 if report.ok else 1


def _artifacts(args: tuple[str, ...], *, explicit: bool) -> list[Any]:
    """The artifacts among ARTIFACT...: material named with them (dist/*) is set aside, not verified.

    With explicit material (--bundle/--signature/--attestation) every argument is an artifact.
    """
    from assay.verify import Artifact, split_material, subject_of

    parsed = [Artifact.parse(a) for a in args]
    if explicit:
        return parsed
    files = [a.path for a in parsed if a.path is not None]
    _, material = split_material(files)
    if not material:
        return parsed
    skip = set(material)
    kept = [a for a in parsed if a.path is None or a.path not in skip]
    if not kept:
        first = material[0]
        raise click.UsageError(f"{first}: verification material, not an artifact; name the file it is for "
                               f"({first.parent / subject_of(first)})")
    names = ", ".join(p.name for p in material[:3]) + (f" and {len(material) - 3} more"
                                                      if len(material) > 3 else "")
    common.info(f"{len(material)} verification material file(s) among the arguments are used as material, "
                f"not verified as artifacts: {names}")
    return kept
