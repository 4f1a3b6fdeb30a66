"""Writing results: atomically to a regular file, through to anything else. Nothing half-written
is left, and nothing that is not a document is ever replaced.

What ``-o PATH`` does, by what is at PATH:

- nothing, or a regular file: the document is written to a temporary file in the same folder,
  then renamed over PATH (a crash leaves the old file or the new one, never half of one); an
  existing file keeps its permission bits;
- a symlink: the same, applied to the file it points to (the link stays a link);
- a device or a FIFO: written through with a plain ``open``, never replaced (``-o /dev/null``
  keeps /dev/null a device); ``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``: written to
  that descriptor of this process (its offset and append mode kept);
- ``-`` (or no ``-o``): stdout;
- a folder, a socket, a path whose folder is missing or not writable: one-line InputError;
- the same file as one of the command's inputs: refused (InputError), so ``assay sbom x.whl
  -o x.whl`` never turns a wheel into JSON.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from assay.errors import InputError

PathLike = str | os.PathLike[str]


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def same_file(a: PathLike, b: PathLike) -> bool:
    """Whether ``a`` and ``b`` are one file (hard links and symlinks included); False when either
    does not exist."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_inputs(path: PathLike, inputs: Iterable[PathLike | None]) -> None:
    """InputError when ``path`` is the same file as one of ``inputs``."""
    for given in inputs:
        if given is None or str(given) in ("", "-"):
            continue
        if same_file(path, given):
            raise InputError(f"{path}: is also an input of this command ({given}); "
                             "write the output somewhere else")


def command_inputs() -> list[str]:
    """Every existing path the running ``assay`` command was given, except its output options.

    Read from the click context, so every command (and any added later) gets the protection
    without listing its inputs: a positional TARGET, ``--db``, ``--policy``, ``--key``, ...
    Outside a command (library use) this is empty.
    """
    try:
        import click
    except ImportError:  # pragma: no cover - click is a base dependency
        return []
    ctx = click.get_current_context(silent=True)
    found: list[str] = []
    while ctx is not None:
        for param in ctx.command.params:
            name = param.name or ""
            if name in ("output", "out", "output_dir") or not (
                    isinstance(param, click.Argument)
                    or isinstance(param.type, click.Path | click.File)
                    or param.type is click.STRING):
                continue  # choices, numbers and flags name no file
            value = ctx.params.get(name)
            for v in value if isinstance(value, list | tuple) else (value,):
                if isinstance(v, str | os.PathLike) and str(v) not in ("", "-") and os.path.exists(v):
                    found.append(os.fspath(v))
        ctx = ctx.parent
    return found


def check(path: PathLike | None, *, inputs: Iterable[PathLike | None] | None = None) -> None:
    """Fail early (before the work) when ``path`` cannot be an output: it is an input, a folder,
    or its folder is missing. The write itself still checks everything again."""
    if path is None or str(path) == "-":
        return
    given = os.fspath(path)
    refuse_inputs(given, command_inputs() if inputs is None else inputs)
    if os.path.isdir(given):
        raise InputError(f"{given}: is a folder, not a file")
    directory = os.path.dirname(os.path.realpath(given)) if os.path.islink(given) else \
        (os.path.dirname(given) or ".")
    if not os.path.exists(given) and not os.path.isdir(directory):
        raise InputError(f"{given}: folder {directory} does not exist")


def _write_through(path: PathLike, payload: bytes) -> None:
    """Write into what is there (a device, a FIFO, a descriptor link), never replacing it."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({_why(exc)})") from None
    try:
        _write_descriptor(fd, payload, os.fspath(path))
    finally:
        os.close(fd)


_OWN_FD = re.compile(r"^/(?:proc/(self|thread-self|\d+)/fd|dev/fd)/(\d+)$")


def _own_descriptor(path: str) -> int | None:
    """The descriptor of this process that ``path`` names (``/dev/stdout`` -> /proc/self/fd/1 -> 1),
    if it names one: written with os.write, so its offset and O_APPEND are kept."""
    current = path
    for _ in range(8):
        m = _OWN_FD.match(current)
        if m and (m.group(1) is None or not m.group(1).isdigit() or int(m.group(1)) == os.getpid()):
            return int(m.group(2))
        if not os.path.islink(current):
            return None
        try:
            target = os.readlink(current)
        except OSError:
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), target))
    return None


def _write_descriptor(fd: int, payload: bytes, shown: str) -> None:
    try:
        view = memoryview(payload)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except OSError as exc:
        raise InputError(f"{shown}: cannot write ({_why(exc)})") from None


def write_atomic(path: PathLike, data: bytes | str, *, inputs: Iterable[PathLike | None] = ()) -> None:
    """Write ``data`` to ``path`` as the module docstring says (the atomic rename for regular files)."""
    payload = data.encode() if isinstance(data, str) else data
    given = os.fspath(path)
    refuse_inputs(given, inputs)
    fd = _own_descriptor(given)
    if fd is not None:  # /dev/stdout and friends: what this process already has open
        if fd in (1, 2):
            (sys.stdout if fd == 1 else sys.stderr).flush()
        _write_descriptor(fd, payload, given)
        return
    try:
        st = os.stat(given)  # follows symlinks
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(f"{given}: cannot write ({_why(exc)})") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{given}: is a folder, not a file")
        if stat.S_ISSOCK(st.st_mode):
            raise InputError(f"{given}: is a socket; assay writes files, devices and pipes")
        if not stat.S_ISREG(st.st_mode):
            _write_through(given, payload)
            return
    # a symlink (dangling or to a regular file) is replaced at its target, not at the link
    target = Path(os.path.realpath(given)) if os.path.islink(given) else Path(given)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{given}: folder {directory} does not exist")
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    try:
        fd, tmp = _create_beside(directory, f".{target.name}.", ".tmp")
    except OSError as exc:
        raise InputError(f"{given}: cannot write into {directory} ({_why(exc)})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"{given}: cannot write ({_why(exc)})") from None
        raise


def _create_beside(directory: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """A new file of a random name in ``directory``, created exclusively and readable by its owner
    only (as tempfile.mkstemp does, without importing tempfile, random and shutil on every start)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = str(directory / f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no unused file name in {directory}")


_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK


def emit(data: bytes | str, path: PathLike | None, *,
         inputs: Iterable[PathLike | None] | None = None) -> None:
    """Results go to ``path`` (see the module docstring) or to stdout when ``path`` is None or "-".

    ``inputs``: paths the output must not be; by default every path the running command was given.
    """
    if path is None or str(path) == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            if not data.endswith("\n"):
                sys.stdout.write("\n")
            sys.stdout.flush()
        return
    write_atomic(path, data, inputs=command_inputs() if inputs is None else inputs)


__all__ = ["check", "command_inputs", "emit", "refuse_inputs", "same_file", "write_atomic"]
