"""``assay db update``: fetch the default remote advisory sources through :mod:`assay.net`.

Sources (each can be pointed elsewhere with an environment variable, e.g. a mirror):

| name       | what                                           | override               |
|------------|------------------------------------------------|------------------------|
| osv-pypi   | osv.dev's PyPI export (``PyPI/all.zip``)       | ``ASSAY_URL_OSV_PYPI`` |
| psf        | the PSF advisory database (repository zip)     | ``ASSAY_URL_PSF``      |
| nvd        | NVD CVE API 2.0, per native-library CPE         | ``ASSAY_URL_NVD``      |

A source that cannot be reached (offline mode, a network error) is reported by
name and skipped; what the store already has stays.

Downloads are kept beside the database (``downloads/``) under stable names, so a
re-run resumes an interrupted download and a re-import skips every archive member
whose digest has not changed. NVD allows 5 requests per 30 s without an API key:
assay waits between requests to the public NVD service, and much less when
``ASSAY_NVD_API_KEY`` (or ``NVD_API_KEY``) holds a key.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from assay import net
from assay.errors import AssayError, NetworkError
from assay.vulndb.importer import import_path
from assay.vulndb.store import ImportStats, Store

DEFAULT_URLS = {
    "osv-pypi": "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",
    "psf": "https://github.com/psf/advisory-database/archive/refs/heads/main.zip",
    "nvd": "https://services.nvd.nist.gov/rest/json/cves/2.0",
}
SOURCES = tuple(DEFAULT_URLS)

# CPE vendor:product of native libraries that wheels commonly bundle; NVD is asked per product.
NATIVE_PRODUCTS = (
    "openssl:openssl", "webmproject:libwebp", "zlib:zlib", "libexpat_project:libexpat",
    "xmlsoft:libxml2", "xmlsoft:libxslt", "sqlite:sqlite", "bzip:bzip2", "tukaani:xz",
    "facebook:zstandard", "google:brotli", "libjpeg-turbo:libjpeg-turbo", "uclouvain:openjpeg",
    "libtiff:libtiff", "freetype:freetype", "harfbuzz_project:harfbuzz", "littlecms:little_cms_color_engine",
    "haxx:libcurl", "libffi_project:libffi", "openblas_project:openblas", "hdfgroup:hdf5",
    "zeromq:libzmq", "mit:kerberos_5", "libpng:libpng", "libarchive:libarchive",
)
NVD_PAGE = 2000
MAX_DOWNLOAD = 2 << 30


@dataclass(slots=True)
class UpdateReport:
    imported: list[ImportStats] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # source -> one-line reason


def url_for(source: str) -> str:
    return os.environ.get(f"ASSAY_URL_{source.upper().replace('-', '_')}") or DEFAULT_URLS[source]


def update(store: Store, sources: Sequence[str] = SOURCES, *, work_dir: Path | None = None,
           progress: Callable[[str], None] | None = None) -> UpdateReport:
    report = UpdateReport()
    downloads = (work_dir or store.path.parent) / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    for source in sources:
        if progress:
            progress(source)
        try:
            if source == "nvd":
                stats = _update_nvd(store, downloads / "nvd")
            else:
                dest = downloads / f"{source}.zip"
                dest.unlink(missing_ok=True)  # a complete older copy; a .part file is resumed
                net.download(url_for(source), dest)
                stats = import_path(store, dest)
            stats.location = f"{source} {url_for(source)}"
            report.imported.append(stats)
        except AssayError as exc:  # NetworkError / OfflineError, or a bad archive
            report.failed[source] = exc.message
    return report


def _nvd_headers_and_pause(base: str) -> tuple[dict[str, str], float]:
    key = os.environ.get("ASSAY_NVD_API_KEY") or os.environ.get("NVD_API_KEY")
    headers = {"apiKey": key} if key else {}
    if base != DEFAULT_URLS["nvd"]:
        return headers, 0.0
    return headers, (0.7 if key else 6.5)


def _update_nvd(store: Store, folder: Path) -> ImportStats:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    base = url_for("nvd")
    headers, pause = _nvd_headers_and_pause(base)
    first = True
    for product in NATIVE_PRODUCTS:
        start = 0
        while True:
            if not first and pause:
                time.sleep(pause)
            first = False
            query = urlencode({"virtualMatchString": f"cpe:2.3:a:{product}", "resultsPerPage": NVD_PAGE,
                               "startIndex": start})
            resp = net.get(f"{base}?{query}", headers=headers, max_bytes=MAX_DOWNLOAD)
            try:
                page = json.loads(resp.body)
            except ValueError:
                raise NetworkError(f"{base}: answered with something that is not JSON") from None
            name = f"{product.replace(':', '_')}-{start}.json"
            (folder / name).write_bytes(resp.body)
            total = int(page.get("totalResults") or 0)
            start += int(page.get("resultsPerPage") or NVD_PAGE) or NVD_PAGE
            if start >= total:
                break
    return import_path(store, folder)
