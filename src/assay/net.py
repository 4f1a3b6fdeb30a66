"""The only HTTP client in assay: timeouts, resumable checked downloads, an offline guard.

Everything that touches the network goes through here, so offline mode is
enforced in one place: with ``ASSAY_OFFLINE=1`` (or :func:`set_offline`) every
call raises :class:`OfflineError` before a socket is opened.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assay import __version__
from assay.errors import InputError, NetworkError, OfflineError

USER_AGENT = f"assay/{__version__} (+https://pypi.org/project/assay/)"
DEFAULT_TIMEOUT = 30.0
CHUNK = 1 << 20

_offline_override: bool | None = None


def set_offline(value: bool | None) -> None:
    """Force offline mode on or off for this process (``None``: follow ASSAY_OFFLINE)."""
    global _offline_override
    _offline_override = value


def is_offline() -> bool:
    if _offline_override is not None:
        return _offline_override
    return os.environ.get("ASSAY_OFFLINE", "").lower() in {"1", "true", "yes", "on"}


def _guard(url: str) -> None:
    if is_offline():
        raise OfflineError(f"{url}: not fetched, assay is offline (ASSAY_OFFLINE / --offline)")
    if not url.startswith(("http://", "https://")):
        raise InputError(f"{url}: only http(s) URLs can be fetched")


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes


def _open(url: str, *, headers: dict[str, str] | None, timeout: float):
    _guard(url)
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})  # noqa: S310
    try:
        return urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 (scheme checked in _guard)
    except urllib.error.HTTPError as exc:
        if exc.code == 416:  # range not satisfiable: caller decides
            return exc
        raise NetworkError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NetworkError(f"{url}: unreachable ({reason})") from None


def get(url: str, *, headers: dict[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT, max_bytes: int | None = None) -> Response:
    """GET a URL into memory. ``max_bytes`` bounds what is read (a truncated body is an error)."""
    with _open(url, headers=headers, timeout=timeout) as resp:
        body = resp.read() if max_bytes is None else resp.read(max_bytes + 1)
        if max_bytes is not None and len(body) > max_bytes:
            raise NetworkError(f"{url}: response larger than {max_bytes} bytes")
        return Response(resp.geturl(), resp.status, {k.lower(): v for k, v in resp.headers.items()}, body)


def download(url: str, dest: str | os.PathLike[str], *, sha256: str | None = None,
             timeout: float = DEFAULT_TIMEOUT,
             progress: Callable[[int, int | None], None] | None = None) -> Path:
    """Download ``url`` to ``dest``, resuming a ``dest.part`` left by an interrupted run.

    The file appears at ``dest`` only when complete (and, if ``sha256`` is given,
    when its digest matches); a mismatch removes the partial file and raises.
    ``progress(done, total)`` is called as bytes arrive.
    """
    return download_info(url, dest, sha256=sha256, timeout=timeout, progress=progress)[0]


def download_info(url: str, dest: str | os.PathLike[str], *, sha256: str | None = None,
                  timeout: float = DEFAULT_TIMEOUT,
                  progress: Callable[[int, int | None], None] | None = None,
                  ) -> tuple[Path, dict[str, str]]:
    """Download ``url`` to ``dest``, resuming a ``dest.part`` left by an interrupted run.

    The file appears at ``dest`` only when complete (and, if ``sha256`` is given,
    when its digest matches); a mismatch removes the partial file and raises.
    ``progress(done, total)`` is called as bytes arrive.
    """
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    digest = hashlib.sha256()
    resp = _open(url, headers=headers, timeout=timeout)
    with resp:
        status = getattr(resp, "status", None) or resp.getcode()
        if status == 416 or (have and status == 206):  # complete already, or resuming: hash what we have
            mode = "ab"
            with part.open("rb") as fh:
                for chunk in iter(lambda: fh.read(CHUNK), b""):
                    digest.update(chunk)
        else:
            mode, have = "wb", 0
        length = resp.headers.get("Content-Length")
        total = have + int(length) if length and status != 416 else None
        done = have
        with part.open(mode) as out:
            if status != 416:
                for chunk in iter(lambda: resp.read(CHUNK), b""):
                    out.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
    if total is not None and done != total:
        raise NetworkError(f"{url}: truncated download ({done} of {total} bytes); rerun to resume")
    if sha256 and digest.hexdigest() != sha256.lower():
        part.unlink(missing_ok=True)
        raise NetworkError(f"{url}: sha256 mismatch (expected {sha256}, got {digest.hexdigest()})")
    os.replace(part, dest)
    info = {k.lower(): v for k, v in resp.headers.items()}
    info["sha256"] = digest.hexdigest()
    return dest, info


def changed_since(url: str, *, etag: str | None = None, last_modified: str | None = None,
                  size: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Ask the server whether ``url`` changed (conditional HEAD); True when it cannot tell.

    Costs one small request and no body: used to rerun an audit without
    downloading files that did not change.
    """
    _guard(url)
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    req = urllib.request.Request(url, headers=headers, method="HEAD")  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (scheme checked in _guard)
            new_etag = resp.headers.get("ETag")
            new_lm = resp.headers.get("Last-Modified")
            length = resp.headers.get("Content-Length")
            if size is not None and length is not None and length.isdigit() and int(length) != size:
                return True
            if etag and new_etag:
                return new_etag != etag
            if last_modified and new_lm:
                return new_lm != last_modified
            return True
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return False
        raise NetworkError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NetworkError(f"{url}: unreachable ({reason})") from None
