"""A real corpus for the corpus tests: pinned PyPI wheels, a package index on 127.0.0.1 serving
them, and a dask scheduler and workers started as separate processes on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pypi import pypi_file

from .helpers import BIN, WHEELS, sha256


@pytest.fixture(scope="session")
def wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real wheels, copied into one folder (a corpus SOURCE)."""
    d = tmp_path_factory.mktemp("wheels")
    for name, digest in WHEELS.items():
        shutil.copy(pypi_file(name, digest), d / name)
    return d


# -- a package index on 127.0.0.1 -------------------------------------------------------

@dataclass
class Index:
    url: str  # the JSON API base, like https://pypi.org/pypi
    root: Path
    requests: list[str] = field(default_factory=list)

    def publish(self, project: str, version: str, files: list[Path], *, latest: bool = True,
                wrong_sha: frozenset[str] = frozenset(), release_page: bool = True,
                relative: bool = False) -> None:
        """Serve ``files`` as release ``version`` of ``project`` the way PyPI's JSON API does:
        {project}/{version}/json (unless not ``release_page``, as some mirrors), and the project
        page {project}/json with every release under "releases" and, when ``latest``, this one's
        files as "urls". ``relative``: file URLs relative to the page, as some mirrors give them."""
        (self.root / "files").mkdir(parents=True, exist_ok=True)
        urls = []
        for f in files:
            shutil.copy(f, self.root / "files" / f.name)
            digest = sha256(f)
            if f.name in wrong_sha:
                digest = hashlib.sha256(b"not these bytes").hexdigest()
            host = self.url.rsplit("/pypi", 1)[0]
            urls.append({"filename": f.name,
                         "url": f"../../files/{f.name}" if relative else f"{host}/files/{f.name}",
                         "digests": {"sha256": digest}, "size": f.stat().st_size,
                         "packagetype": "bdist_wheel" if f.name.endswith(".whl") else "sdist",
                         "yanked": False})
        page = self.root / "pypi" / project.lower()
        (page / version).mkdir(parents=True, exist_ok=True)
        if release_page:
            if relative:  # relative to {project}/{version}/json: one level deeper
                rel_urls = [{**u, "url": "../" + u["url"]} for u in urls]
            (page / version / "json").write_text(json.dumps(
                {"info": {"name": project, "version": version}, "urls": rel_urls if relative else urls}))
        doc = json.loads((page / "json").read_text()) if (page / "json").exists() else {
            "info": {"name": project, "version": version}, "urls": [], "releases": {}}
        doc["releases"][version] = urls
        if latest:
            doc["info"]["version"], doc["urls"] = version, urls
        (page / "json").write_text(json.dumps(doc))


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    root = tmp_path / "index"
    root.mkdir()
    seen: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(root), **kw)

        def log_message(self, *a):
            pass

        def do_GET(self):
            seen.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Index(f"http://127.0.0.1:{server.server_address[1]}/pypi", root, seen)
    finally:
        server.shutdown()
        server.server_close()


# -- a dask cluster of separate processes ------------------------------------------------

@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen
    workers: dict[str, subprocess.Popen]
    tmp: Path

    def start_worker(self, name: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen([str(BIN / "dask"), "worker", self.address, "--name", name,
                                 "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
                                 "--no-dashboard", "--local-directory", str(self.tmp / name)],
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.workers[name] = proc
        return proc

    def wait_for(self, n: int, timeout: float = 60) -> dict:
        from distributed import Client

        with Client(self.address, timeout="20s") as client:
            client.wait_for_workers(n, timeout=timeout)
            return client.scheduler_info()["workers"]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def start_cluster(tmp_path: Path, env: dict[str, str] | None = None) -> Iterator[Cluster]:
    sched_file = tmp_path / "scheduler.json"
    log = open(tmp_path / "scheduler.log", "w")  # noqa: SIM115
    sched = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                              "--no-dashboard", "--scheduler-file", str(sched_file)],
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                             env={**os.environ, **(env or {})})
    c = None
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() or not sched_file.read_text().strip():
            if sched.poll() is not None or time.monotonic() > deadline:
                log_text = (tmp_path / "scheduler.log").read_text()
                raise RuntimeError(f"dask scheduler did not start: {log_text}")
            time.sleep(0.1)
        time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        c = Cluster(address, sched, {}, tmp_path)
        for name in ("w1", "w2"):
            c.start_worker(name)
        c.wait_for(2)
        yield c
    finally:
        for proc in (c.workers.values() if c else []):
            _stop(proc)
        _stop(sched)
        log.close()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """`dask scheduler` and two `dask worker` processes on 127.0.0.1 (one thread each)."""
    yield from start_cluster(tmp_path)


@pytest.fixture
def strict_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """The same, with a scheduler that gives up on a task the first time its worker dies."""
    yield from start_cluster(tmp_path, {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"})
