"""assay's command line. Thin: parse, call the library, render, exit code.

Each command lives in its own module and is imported only when it runs, so
``assay --help`` and every command start fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from assay import __version__
from assay.errors import EXIT_USAGE, AssayError

# name -> "module:attribute"; a command whose module is absent is not listed.
COMMANDS: dict[str, str] = {
    "scan": "assay.cli.scan:scan",
    "sbom": "assay.cli.sbom:sbom",
    "audit": "assay.cli.audit:audit",
    "integrity": "assay.cli.integrity:integrity",
    "provenance": "assay.cli.provenance:provenance",
    "db": "assay.cli.db:db",
    "verify": "assay.cli.verify:verify",
    "release-audit": "assay.cli.release:release_audit",
    "release-check": "assay.cli.release:release_check",
    "advisory": "assay.cli.advisory:advisory",
    "pipeline": "assay.cli.pipeline:pipeline",
    "corpus": "assay.cli.corpus:corpus",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if importlib.util.find_spec(COMMANDS[name].split(":")[0])]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        return getattr(module, attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="assay")
@click.option("--offline", is_flag=True, envvar="ASSAY_OFFLINE",
              help="Never open a network connection (also ASSAY_OFFLINE=1).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
@click.pass_context
def cli(ctx: click.Context, offline: bool, quiet: bool) -> None:
    """assay: what is inside Python software, and whether to trust it.

    \b
    Inventory   assay sbom [TARGET]           SPDX 2.3 / CycloneDX 1.6 of an environment,
                                              wheel, sdist, lock file or SBOM
    Audit       assay audit [TARGET]          known vulnerabilities, offline-first
    Integrity   assay integrity [TARGET]      installed files against their RECORD
    Verify      assay verify ARTIFACT...      Sigstore, OpenPGP, PEP 740 under a policy
    All at once assay scan [TARGET]           SBOMs, audit and integrity into a folder
    Advisories  assay advisory ...            a CNA's tooling: CVE JSON 5 <-> OSV, versions
    Pipelines   assay pipeline [DIR]          a release pipeline's stages x supply-chain threats
    Scale       assay corpus scan|query|report  thousands of distributions on Dask, Parquet, DuckDB

    Exit codes: 0 ok, 1 policy failure (findings, failed verification, tampering),
    2 usage or input error, 3 incomplete, 4 network or service failure.
    """
    from assay.cli import common

    if offline:  # net reads ASSAY_OFFLINE itself; the flag needs the import
        from assay import net

        net.set_offline(True)
    common.QUIET = quiet


def main(argv: list[str] | None = None) -> None:
    try:
        rv = cli.main(args=argv, prog_name="assay", standalone_mode=False)
    except AssayError as exc:
        msg = f"assay: error: {exc.message}"
        if exc.hint:
            msg += f" ({exc.hint})"
        click.echo(msg, err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("assay: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code if exc.exit_code else EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("assay: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(rv if isinstance(rv, int) else 0)
