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
from assay.errors import EXIT_INTERNAL, EXIT_USAGE, AssayError

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
@click.option("--debug", is_flag=True, envvar="ASSAY_DEBUG",
              help="Show the Python traceback of an internal error (also ASSAY_DEBUG=1).")
@click.pass_context
def cli(ctx: click.Context, offline: bool, quiet: bool, debug: bool) -> None:
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
    2 usage or input error, 3 incomplete, 4 network or service failure,
    70 internal error (a bug in assay: rerun with --debug and report the traceback).
    """
    global _DEBUG
    _DEBUG = _DEBUG or debug
    from assay.cli import common

    if offline:  # net reads ASSAY_OFFLINE itself; the flag needs the import
        from assay import net

        net.set_offline(True)
    common.QUIET = quiet


_DEBUG = False

# an optional dependency's top-level module -> the extra that installs it
EXTRAS = {
    "sigstore": "verify", "pypi_attestations": "verify", "pysequoia": "verify", "pydantic": "verify",
    "sigstore_models": "verify", "rfc3161_client": "verify", "tuf": "verify", "cryptography": "verify",
    "jsonschema": "validate", "cyclonedx": "validate", "spdx_tools": "validate",
    "dask": "scale", "distributed": "scale", "pyarrow": "scale",
}


def _missing_extra(exc: ModuleNotFoundError) -> str | None:
    """``pip install 'assay[X]'`` advice when ``exc`` is an optional dependency not installed."""
    top = (exc.name or "").split(".")[0]
    extra = EXTRAS.get(top)
    if extra is None:
        return None
    return (f"this needs the optional dependency {top!r}, which is not installed: "
            f"pip install 'assay[{extra}]'")


def _debug_requested(argv: list[str] | None) -> bool:
    import os

    args = sys.argv[1:] if argv is None else argv
    return _DEBUG or "--debug" in args or os.environ.get("ASSAY_DEBUG", "") not in ("", "0")


def _fail(message: str, code: int) -> None:
    click.echo(f"assay: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """The ``assay`` entry point: every failure is one line on stderr and an exit code (DESIGN.md);
    an unexpected exception is an internal error (exit 70), its traceback shown with ``--debug``."""
    global _DEBUG
    _DEBUG = False
    try:
        rv = cli.main(args=argv, prog_name="assay", standalone_mode=False)
    except AssayError as exc:
        msg = f"error: {exc.message}"
        if exc.hint:
            msg += f" ({exc.hint})"
        _fail(" ".join(msg.split("\n")), exc.exit_code)
    except click.exceptions.Abort:
        _fail("interrupted", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code if exc.exit_code else EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except ModuleNotFoundError as exc:
        advice = _missing_extra(exc)
        if advice is None:
            _internal(exc, argv)
        _traceback(exc, argv)
        _fail(f"error: {advice}", EXIT_USAGE)
    except OSError as exc:
        # the machine said no (permissions, a full disk) about a file the user named
        if exc.filename is None:
            _internal(exc, argv)
        _traceback(exc, argv)
        _fail(f"error: {exc.filename}: {exc.strerror or exc}", EXIT_USAGE)
    except RecursionError as exc:
        _internal(exc, argv, hint="input nested too deeply? ")
    except Exception as exc:
        _internal(exc, argv)
    sys.exit(rv if isinstance(rv, int) else 0)


def _traceback(exc: BaseException, argv: list[str] | None) -> None:
    if _debug_requested(argv):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)


def _internal(exc: BaseException, argv: list[str] | None, hint: str = "") -> None:
    _traceback(exc, argv)
    detail = " ".join(str(exc).split())[:300]
    _fail(f"internal error: {type(exc).__name__}{': ' + detail if detail else ''} ({hint}this is a bug in "
          f"assay {__version__}; rerun with --debug for the traceback and report it)", EXIT_INTERNAL)


def _quiet_stdout() -> None:
    """After a closed pipe (``assay sbom | head``), stop Python's own flush at exit from failing."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run() -> None:
    """The console script: :func:`main` with fewer garbage collections, then a quick exit.

    An inventory allocates hundreds of thousands of objects, most of them kept until it is
    written, and very few in reference cycles: the collector's default young-generation
    threshold (700 allocations) makes it scan them again and again. At the end, the objects
    are not freed one by one: the exit handlers run (the license cache is written then),
    the output streams are flushed, and the process ends. Only when assay started no other
    thread (a thread might still be finishing work), otherwise the interpreter exits as usual.
    """
    import gc

    gc.set_threshold(100_000, 50, 100)
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if "threading" in sys.modules and sys.modules["threading"].active_count() > 1:
        sys.exit(code)
    status = 0 if code is None else code if isinstance(code, int) else 1
    if not isinstance(code, int | None):
        print(code, file=sys.stderr)
    import atexit
    import os

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said
            pass
    os._exit(status)
