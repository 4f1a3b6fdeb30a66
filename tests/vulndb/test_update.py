"""`assay db update` against a real HTTP server on 127.0.0.1 (no other network)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@pytest.fixture
def mirror(shared_data: Path) -> Iterator[tuple[str, list[str]]]:
    """Serves /PyPI/all.zip (a few pypa advisories as OSV JSON), /psf.zip and an NVD API."""
    import yaml

    pypi = io.BytesIO()
    with zipfile.ZipFile(pypi, "w") as zf:
        for p in sorted((shared_data / "osv" / "pypa" / "vulns" / "pillow").glob("*.yaml"))[:5]:
            zf.writestr(f"{p.stem}.json", json.dumps(yaml.safe_load(p.read_text()), default=str))
    psf = io.BytesIO()
    with zipfile.ZipFile(psf, "w") as zf:
        for p in sorted((shared_data / "osv" / "psf" / "advisories" / "python").glob("PSF-2024-*.json")):
            zf.writestr(f"advisory-database-main/advisories/python/{p.name}", p.read_text())
        zf.writestr("advisory-database-main/README.md", "# readme")
    record = json.loads((shared_data / "nvd" / "records" / "CVE-2023-4863.json").read_text())
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            if self.path == "/PyPI/all.zip":
                body = pypi.getvalue()
            elif self.path == "/psf.zip":
                body = psf.getvalue()
            elif self.path.startswith("/nvd?"):
                hit = "libwebp" in self.path
                vulns = [{"cve": record}] if hit else []
                body = json.dumps({"resultsPerPage": len(vulns), "startIndex": 0, "totalResults": len(vulns),
                                   "vulnerabilities": vulns}).encode()
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def update(db: Path, base: str, *args: str, offline: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSAY_")}
    env.update({"ASSAY_DB": str(db), "ASSAY_URL_OSV_PYPI": f"{base}/PyPI/all.zip",
                "ASSAY_URL_PSF": f"{base}/psf.zip", "ASSAY_URL_NVD": f"{base}/nvd"})
    if offline:
        env["ASSAY_OFFLINE"] = "1"
    return subprocess.run([sys.executable, "-m", "assay", "db", "update", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_update_fetches_every_source(tmp_path: Path, mirror: tuple[str, list[str]]) -> None:
    base, requests = mirror
    db = tmp_path / "v.sqlite"
    r = update(db, base)
    assert r.returncode == 0, r.stderr
    from assay.vulndb import Store

    with Store(db) as store:
        sources = store.status()["sources"]
        assert sources["osv:pypa"]["advisories"] == 5
        assert sources["psf"]["advisories"] > 0
        assert sources["nvd"]["advisories"] == 1
        assert store.cpes_for([("webmproject", "libwebp")])
    assert "/PyPI/all.zip" in requests and any("libwebp" in p for p in requests)


def test_offline_update_names_each_source_and_keeps_data(tmp_path: Path,
                                                         mirror: tuple[str, list[str]]) -> None:
    base, requests = mirror
    db = tmp_path / "v.sqlite"
    assert update(db, base, "--source", "psf").returncode == 0
    seen = len(requests)
    r = update(db, base, offline=True)
    assert r.returncode == 4
    for source in ("osv-pypi", "psf", "nvd"):
        assert f"{source}: not updated" in r.stderr
    assert len(requests) == seen  # not one request while offline
    from assay.vulndb import Store

    with Store(db) as store:
        assert store.status()["sources"]["psf"]["advisories"] > 0


def test_unreachable_source_is_a_network_failure(tmp_path: Path, mirror: tuple[str, list[str]]) -> None:
    base, _ = mirror
    r = update(tmp_path / "v.sqlite", base + "/missing", "--source", "osv-pypi")
    assert r.returncode == 4
    assert "osv-pypi: not updated" in r.stderr and "404" in r.stderr
