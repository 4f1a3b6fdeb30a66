"""The package index: which files a release has, where they are and their sha256.

PyPI's JSON API (``{base}/{name}/json`` for the newest release,
``{base}/{name}/{version}/json`` for one release), through :mod:`assay.net` (timeouts,
the offline guard). Every file comes with the sha256 the index publishes; the worker
checks the bytes it streams against it. A project or release the index does not have is
a problem reported for that spec; any other network failure stops the scan (exit 4).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urljoin

from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from assay.corpus.plan import Item, Spec
from assay.errors import NetworkError

DEFAULT_INDEX = "https://pypi.org/pypi"
PICKS = ("best", "wheels", "all")
MAX_JSON = 64 << 20


def _platform_rank(platform: str) -> int:
    """Lower is preferred: the wheels most installs get come first."""
    if platform == "any":
        return 1
    if platform.startswith("manylinux") and platform.endswith("x86_64"):
        return 0
    if platform.startswith("musllinux") and platform.endswith("x86_64"):
        return 2
    if platform.startswith(("manylinux", "musllinux", "linux")):
        return 3
    if platform.startswith("macosx"):
        return 4
    if platform.startswith("win"):
        return 5
    return 6


def _interpreter_rank(interpreter: str) -> tuple[int, int]:
    m = re.fullmatch(r"(cp|py|pp)(\d)(\d*)", interpreter)
    if not m:
        return (0, 0)
    impl = {"cp": 2, "py": 1, "pp": 0}[m.group(1)]
    minor = int(m.group(3)) if m.group(3) else 0
    return (impl, int(m.group(2)) * 100 + minor)


def preference(filename: str) -> tuple[Any, ...]:
    """Sort key: the one file of a release that ``--pick best`` scans is the smallest key.

    A manylinux x86_64 wheel for the newest CPython first (where bundled native
    libraries live), then a pure wheel, then other platforms, then the sdist.
    """
    if not filename.lower().endswith(".whl"):
        return (9, (0, 0), filename)
    try:
        _n, _v, _b, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return (8, (0, 0), filename)
    best_platform = min(_platform_rank(t.platform) for t in tags)
    newest = max(_interpreter_rank(t.interpreter) for t in tags)
    return (best_platform, (-newest[0], -newest[1]), filename)


def pick_files(files: list[dict[str, Any]], pick: str) -> list[dict[str, Any]]:
    files = [f for f in files if not f.get("yanked")]
    if pick == "all":
        return sorted(files, key=lambda f: f["filename"])
    wheels = [f for f in files if f["filename"].lower().endswith(".whl")]
    if pick == "wheels":
        return sorted(wheels, key=lambda f: f["filename"])
    return sorted(files, key=lambda f: preference(f["filename"]))[:1]


class Index:
    def __init__(self, base: str = DEFAULT_INDEX, *, pick: str = "best", threads: int = 16,
                 get: Callable[..., Any] | None = None) -> None:
        from assay import net

        self.base = base.rstrip("/")
        self.pick = pick
        self.threads = threads
        self._get = get or net.get

    def _json(self, url: str) -> dict[str, Any] | None:
        """The parsed JSON at ``url``; None when the index answers 404."""
        try:
            resp = self._get(url, headers={"Accept": "application/json"}, max_bytes=MAX_JSON)
        except NetworkError as exc:
            if "HTTP 404" in exc.message:
                return None
            raise
        try:
            doc = json.loads(resp.body)
            str(doc["info"]["name"])  # the shape every answer has
            return doc
        except (ValueError, KeyError, TypeError) as exc:
            raise NetworkError(f"{url}: not a PyPI JSON API answer ({exc})") from None

    def release(self, spec: Spec) -> tuple[list[Item], str | None]:
        """The files to scan for one spec, or ([], why) when the index has nothing."""
        what = f"{spec.name}=={spec.version}" if spec.version else spec.name
        url = f"{self.base}/{spec.name}/json"
        missing = [], f"{spec.where}: {what} is not on the index ({url})"
        doc = None
        if spec.version:
            release_url = f"{self.base}/{spec.name}/{spec.version}/json"
            doc = self._json(release_url)
            if doc is not None:
                url = release_url
        if doc is not None:  # the release's own page
            files, version = doc.get("urls"), str(doc["info"].get("version") or spec.version)
        else:
            # the project page: its newest release, or (where the index has no per-release
            # page, as some mirrors) the pinned release's files from "releases"
            doc = self._json(url)
            if doc is None:
                return missing
            if spec.version:
                key = _release_key(doc, spec.version)
                if key is None:
                    return missing
                files, version = (doc.get("releases") or {}).get(key), key
            else:
                files, version = doc.get("urls"), str(doc["info"].get("version"))
        project = str(doc["info"]["name"])
        items = []
        for f in pick_files([f for f in files or () if isinstance(f, dict) and f.get("filename")], self.pick):
            sha = (f.get("digests") or {}).get("sha256")
            if not sha or not f.get("url"):
                continue  # nothing to check the bytes against: never scanned unchecked
            items.append(Item(filename=str(f["filename"]), sha256=str(sha).lower(), size=f.get("size"),
                              project=project, version=version, url=urljoin(url, str(f["url"])),
                              source=self.base))
        if not items:
            return [], f"{spec.where}: {project} {version} has no {self._what()} with a sha256 on the index"
        return items, None

    def _what(self) -> str:
        return {"wheels": "wheels", "all": "files"}.get(self.pick, "files")

    def resolve(self, specs: list[Spec], progress: Callable[[int], None] | None = None,
                ) -> tuple[list[Item], list[str]]:
        items: list[Item] = []
        problems: list[str] = []
        pool = ThreadPoolExecutor(max_workers=max(1, self.threads))
        try:
            for found, problem in pool.map(self.release, specs):
                items.extend(found)
                if problem:
                    problems.append(problem)
                if progress:
                    progress(1)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # a dead network or Ctrl-C: stop asking
            raise
        pool.shutdown()
        return items, problems


def _release_key(doc: dict[str, Any], version: str) -> str | None:
    """The key of ``releases`` equal to ``version`` as PEP 440 compares (1.17 == 1.17.0)."""
    from packaging.version import InvalidVersion, Version

    releases = doc.get("releases") or {}
    if version in releases:
        return version
    try:
        want = Version(version)
    except InvalidVersion:
        return None
    for key in releases:
        try:
            if Version(key) == want:
                return str(key)
        except InvalidVersion:
            continue
    return None

