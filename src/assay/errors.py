"""Errors that reach the user as one line and an exit code (see DESIGN.md).

Raise these from library code with a message that names the file and the
problem; the CLI prints ``assay: error: <message>`` and exits with ``exit_code``.
"""

from __future__ import annotations

# Exit codes (DESIGN.md, "Conventions").
EXIT_OK = 0
EXIT_POLICY = 1  # findings at/above threshold, verification failed, integrity broken
EXIT_USAGE = 2  # usage, config or input error
EXIT_INCOMPLETE = 3  # nothing found, or unknowns under --strict
EXIT_NETWORK = 4  # service or network failure
EXIT_INTERNAL = 70  # a bug in assay (EX_SOFTWARE): one line, --debug shows the traceback


class AssayError(Exception):
    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(AssayError):
    """Bad input: a corrupt archive, malformed JSON, a missing file."""

    exit_code = EXIT_USAGE


class ConfigError(AssayError):
    exit_code = EXIT_USAGE


class IncompleteError(AssayError):
    exit_code = EXIT_INCOMPLETE


class NetworkError(AssayError):
    """A service could not be reached or answered wrongly."""

    exit_code = EXIT_NETWORK


class OfflineError(NetworkError):
    """A network request was attempted while offline mode is on."""
