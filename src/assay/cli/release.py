"""assay release-audit SOURCE and assay release-check DIR: whole releases under a policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from assay.cli import common
from assay.cli.verify import build_options, emit, policy_options, render


def _specifier(text: str | None) -> Any:
    if not text:
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        raise click.UsageError(f"--versions {text!r}: not a version range (e.g. '>=3.12,<3.14')") from None


def _progress_factory() -> Any:
    """Progress bars opened one after another (downloading, then verifying)."""
    stack: list[Any] = []

    def open_bar(description: str, total: int) -> Any:
        while stack:
            stack.pop().__exit__(None, None, None)
        cm = common.progress(description, total=total)
        advance = cm.__enter__()
        stack.append(cm)
        return advance

    def close() -> None:
        while stack:
            stack.pop().__exit__(None, None, None)

    return open_bar, close


@click.command("release-audit")
@click.argument("source")
@policy_options
@click.option("--versions", metavar="SPEC", help="Only versions in this range, e.g. '>=3.12'.")
@click.option("--cache", "cache_root", type=click.Path(file_okay=False), metavar="DIR",
              help="Where downloads and verdicts are kept (default: $XDG_CACHE_HOME/assay/release-audit).")
@click.option("-j", "--jobs", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Concurrent downloads.")
@click.option("--refresh", is_flag=True,
              help="Ask the server whether cached files changed (conditional HEAD) instead of trusting them.")
@click.option("--index-url", default="https://pypi.org/simple/", show_default=True,
              help="Simple API for pypi:PROJECT sources.")
@click.option("--integrity-url", default="https://pypi.org/integrity/", show_default=True,
              help="PyPI integrity API (PEP 740 provenance) for pypi:PROJECT sources.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), default="release-audit",
              show_default=True, help="Folder for report.json, report.md and report.html.")
@click.option("--title", default=None, help="Title of the Markdown and HTML reports.")
def release_audit(source: str, policies: tuple[str, ...], identities: tuple[str, ...],
                  issuers: tuple[str, ...], fingerprints: tuple[str, ...], keys: tuple[str, ...],
                  publishers: tuple[str, ...], trusted_root: str | None, staging: bool,
                  allow_legacy_bundles: bool, versions: str | None, cache_root: str | None, jobs: int,
                  refresh: bool, index_url: str, integrity_url: str, output_dir: str,
                  title: str | None) -> int:
    """Audit every release artifact in SOURCE against the expected signers.

    SOURCE is an HTTP directory index laid out like https://www.python.org/ftp/python/
    (a folder per version holding artifacts and their signature files), a local mirror
    of one, or a PyPI project as pypi:NAME (files from the JSON simple API, PEP 740
    provenance from the integrity API). Downloads are concurrent, resumable,
    sha256-checked where the source publishes digests, and cached: a rerun downloads
    nothing it already has and verifies only what changed. Writes report.json,
    report.md and report.html (one self-contained page) to --output-dir.

    \b
    assay release-audit https://www.python.org/ftp/python/ --policy cpython --versions '>=3.12' \\
        --key thomas.asc --allow-legacy-bundles
    assay release-audit pypi:sampleproject \\
        --publisher '{"kind":"GitHub","repository":"pypa/sampleproject","workflow":"release.yml"}'
    """
    from assay.model.verify import VerificationReport
    from assay.verify import Engine, audit_release

    options = build_options(policies=policies, identities=identities, issuers=issuers,
                            fingerprints=fingerprints, keys=keys, publishers=publishers,
                            trusted_root=trusted_root, staging=staging,
                            allow_legacy_bundles=allow_legacy_bundles)
    if options.policy is None:
        raise click.UsageError("say who must have signed: --policy, or --identity/--issuer, --key, "
                               "--publisher")
    options.scoped = True
    spec = _specifier(versions)
    engine = Engine(options)
    open_bar, close = _progress_factory()
    try:
        result = audit_release(source, engine, cache_root=Path(cache_root) if cache_root else None,
                               versions=spec, jobs=jobs, refresh=refresh, index_url=index_url,
                               integrity_url=integrity_url, progress=open_bar)
    finally:
        close()
    root_label = trusted_root or f"embedded Sigstore {'staging' if staging else 'production'} root"
    facts = (("source", source), ("policy", options.policy.source), ("trust root", root_label),
             ("versions", versions or "all"))
    report = VerificationReport(result.verdicts, title or f"Release signature audit: {source}", facts)
    out = Path(output_dir)
    _write_reports(out, {"report.json": render("json", report), "report.md": render("markdown", report),
                         "report.html": render("html", report)})
    click.echo(render("text", report), nl=False)
    _note_out_of_scope(result.out_of_scope)
    common.info(f"downloaded {result.downloaded} file(s) ({result.downloaded_bytes / 1e6:.1f} MB), "
                f"{result.reused_files} from cache; verified {result.verified} artifact(s), "
                f"{result.reused_verdicts} unchanged verdict(s) reused; reports in {out}/")
    return 0 if result.ok else 1


def _write_reports(out: Path, reports: dict[str, str]) -> None:
    """Each report written atomically; a folder that cannot be made or written is one line, exit 2."""
    from assay.errors import InputError
    from assay.output import write_atomic

    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in reports.items():
            write_atomic(out / name, text)
    except OSError as exc:
        raise InputError(f"{out}: cannot write the reports ({exc.strerror or exc})") from None


def _note_out_of_scope(names: tuple[str, ...]) -> None:
    """A gate never ignores files silently: say which ones the policy does not cover."""
    if names:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        common.info(f"{len(names)} file(s) outside the policy's artifacts globs were not checked: {shown}")


@click.command("release-check")
@click.argument("directory", type=click.Path(file_okay=False))
@policy_options
@click.option("--version", "release_version", metavar="V",
              help="Version being released (default: from file names, by the policy's version_pattern).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
              show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write the report here (default: stdout).")
def release_check(directory: str, policies: tuple[str, ...], identities: tuple[str, ...],
                  issuers: tuple[str, ...], fingerprints: tuple[str, ...], keys: tuple[str, ...],
                  publishers: tuple[str, ...], trusted_root: str | None, staging: bool,
                  allow_legacy_bundles: bool, release_version: str | None, fmt: str,
                  output: str | None) -> int:
    """Gate a release: exit 1 unless every artifact in DIRECTORY carries a valid signature
    from the expected signers (run by release tooling before publishing).

    Every file that is not itself verification material, and that the policy covers,
    must pass; a missing signature fails like a bad one. Files the policy's artifacts
    globs do not cover are listed on stderr. Exit 3 when DIRECTORY holds no artifact
    at all, or none that the policy covers (the message names the globs).

    \b
    assay release-check dist/ --policy release-policy.toml --version 3.14.1
    """
    from assay.verify import Engine, check_release

    options = build_options(policies=policies, identities=identities, issuers=issuers,
                            fingerprints=fingerprints, keys=keys, publishers=publishers,
                            trusted_root=trusted_root, staging=staging,
                            allow_legacy_bundles=allow_legacy_bundles)
    if options.policy is None:
        raise click.UsageError("release-check needs --policy (or --identity/--issuer, --key, --publisher)")
    options.scoped = True
    options.version = release_version
    root = Path(directory)
    if not root.is_dir():
        raise click.UsageError(f"{directory}: no such folder")
    engine = Engine(options)
    open_bar, close = _progress_factory()
    try:
        result = check_release(root, engine, version=release_version, progress=open_bar)
    finally:
        close()
    emit(render(fmt, result.report(title=f"Release check: {directory}")), output)
    _note_out_of_scope(result.out_of_scope)
    bad = [v for v in result.verdicts if not v.ok]
    if bad:
        common.warn(f"release-check: {len(bad)} of {len(result.verdicts)} artifact(s) not validly signed by "
                    "the expected signers")
    return 0 if not bad else 1
