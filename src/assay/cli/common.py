"""Helpers shared by the command modules: the stderr console, progress, exit."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

QUIET = False
_console: Console | None = None


def console() -> Console:
    """The rich console on stderr (results go to stdout or files, never here)."""
    global _console
    if _console is None:
        from rich.console import Console

        _console = Console(stderr=True, highlight=False, quiet=QUIET, soft_wrap=True)
    return _console


# rich markup tags ([bold], [/], [red]...) and escaped brackets, for plain output
_TAG = re.compile(r"(?<!\\)\[/?[a-zA-Z][a-zA-Z0-9 _#.,=:/-]*\]|(?<!\\)\[/\]")


def _styled() -> bool:
    """Whether stderr gets rich output (a terminal, or FORCE_COLOR); otherwise plain lines and rich
    is never imported (it costs a noticeable part of a short run)."""
    return sys.stderr.isatty() or bool(os.environ.get("FORCE_COLOR"))


def plain(message: str) -> str:
    """``message`` without rich markup (``[bold]3[/]`` -> ``3``; ``\\[x]`` -> ``[x]``)."""
    return _TAG.sub("", message).replace("\\[", "[")


def escape(text: str) -> str:
    """``text`` shown as written inside a markup message (rich is imported only for a terminal)."""
    if _styled():
        from rich.markup import escape as rich_escape

        return rich_escape(text)
    return text.replace("[", "\\[")  # plain() turns it back


def info(message: str) -> None:
    """A line of rich markup on stderr (plain text when stderr is not a terminal)."""
    if QUIET:
        return
    if _styled():
        console().print(message)
    else:
        print(plain(message), file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """One line on stderr, whatever the message holds (newlines are folded; not markup)."""
    flat = " ".join(message.split())
    if _styled():
        from rich.markup import escape

        console().print(f"[yellow]warning:[/] {escape(flat)}", markup=True, highlight=False)
    else:
        print(f"warning: {flat}", file=sys.stderr, flush=True)


@contextmanager
def status(message: str) -> Iterator[None]:
    """A transient spinner with ``message`` on stderr while the block runs (silent when quiet or
    not a terminal: nothing is imported then)."""
    if QUIET or not sys.stderr.isatty():
        yield
        return
    with console().status(message):
        yield


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Any]:
    """A transient progress bar on stderr; yields ``advance(n=1)``. Silent when quiet or not a TTY."""
    con = console()
    if QUIET or not con.is_terminal:
        yield lambda n=1: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=con, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)
