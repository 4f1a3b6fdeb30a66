"""report.html, as a person sees it in a real headless Chromium: the verdict and the findings are
on screen, the search filters the inventory, nothing is fetched, and a hostile name stays text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypi import make_venv, pypi_file

from ..cli.helpers import assay
from ..enrich.bundled_wheelset import ML, WHEELS
from .chromium import Browser, executable

PILLOW = f"Pillow-10.0.0-cp311-cp311-{ML}.whl"

needs_chromium = pytest.mark.skipif(executable() is None, reason="no chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def pillow_scan(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """`assay scan` of a real venv holding Pillow 10.0.0 (libwebp 1.3.1 inside: CVE-2023-4863)."""
    env = make_venv("scan-pillow-v1", "--only-binary=:all:", "pillow==10.0.0")
    out = tmp_path_factory.mktemp("scan") / "out"
    db = out.parent / "v.sqlite"
    vulns = shared_data / "osv" / "pypa" / "vulns"
    r = assay("scan", str(env), "--out", str(out), "--db", str(db), "--advisories", str(vulns / "pillow"),
              "--advisories", str(shared_data / "nvd"))
    assert r.returncode == 1, r.stderr
    return out


def test_scan_writes_one_self_contained_report(pillow_scan: Path) -> None:
    html = (pillow_scan / "report.html").read_text()
    assert "<script src" not in html and "<link" not in html and "@import" not in html
    assert "default-src 'none'" in html  # the page itself forbids every network load
    assert "CVE-2023-4863" in html and "libwebp" in html


@needs_chromium
def test_a_person_sees_the_verdict_and_the_findings(pillow_scan: Path, tmp_path: Path) -> None:
    with Browser((pillow_scan / "report.html").as_uri()) as page:
        verdict = page.evaluate("document.getElementById('verdict').innerText")
        assert verdict.startswith("exit 1:") and "finding" in verdict
        visible = page.evaluate("""(() => {
            const t = document.getElementById('findings-table');
            const r = t.getBoundingClientRect();
            return r.height > 0 && r.top < window.innerHeight && t.offsetParent !== null; })()""")
        assert visible, "the findings table is not on the first screen"
        rows = page.evaluate("""Array.from(document.querySelectorAll('#findings-table tbody tr'))
            .filter(r => r.offsetParent !== null).map(r => r.innerText)""")
        webp = [r for r in rows if r.split("\t")[1].startswith("CVE-2023-4863")]
        assert len(webp) == 1, rows  # one library (libwebp, libwebpmux, libwebpdemux), one finding
        assert "libwebp" in webp[0] and "HIGH" in webp[0].upper() and "1.3.2" in webp[0]
        assert "inside Pillow 10.0.0 (bundled)" in webp[0]
        assert any("PYSEC-2023-175" in r for r in rows)
        assert page.evaluate("document.getElementById('fix-advice').innerText").count("Pillow") >= 1
        page.screenshot(tmp_path / "report.png")
        assert (tmp_path / "report.png").stat().st_size > 10_000


@needs_chromium
def test_the_search_filters_the_inventory(pillow_scan: Path) -> None:
    with Browser((pillow_scan / "report.html").as_uri()) as page:
        total = page.evaluate("document.querySelectorAll('#inventory tbody tr').length")
        assert total > 5
        page.type("#search", "libwebp")
        shown = page.evaluate("""Array.from(document.querySelectorAll('#inventory tbody tr'))
            .filter(r => r.offsetParent !== null).map(r => r.innerText)""")
        assert shown and len(shown) < total
        assert all("libwebp" in row.lower() for row in shown)
        counter = page.evaluate("document.getElementById('shown').innerText")
        assert counter == f"{len(shown)} of {total} components"
        page.type("#search", " 1.3.1")  # words narrow it further
        narrowed = page.evaluate("Array.from(document.querySelectorAll('#inventory tbody tr'))"
                                 ".filter(r => r.offsetParent !== null).length")
        assert 1 <= narrowed <= len(shown)
    # a link can carry the search
    with Browser((pillow_scan / "report.html").as_uri() + "#q=pillow") as page:
        assert page.evaluate("document.getElementById('search').value") == "pillow"
        rows = page.evaluate("Array.from(document.querySelectorAll('#inventory tbody tr'))"
                             ".filter(r => r.offsetParent !== null).map(r => r.innerText.toLowerCase())")
        assert rows and all("pillow" in r for r in rows)


@needs_chromium
def test_bundled_libraries_dependencies_and_integrity_are_shown(pillow_scan: Path) -> None:
    with Browser((pillow_scan / "report.html").as_uri()) as page:
        bundled = page.evaluate("document.getElementById('bundled').innerText")
        assert "Pillow 10.0.0" in bundled
        page.evaluate("document.querySelectorAll('#bundled details details').forEach(d => d.open = true)")
        bundled = page.evaluate("document.getElementById('bundled').innerText")
        assert "libwebp" in bundled and "Pillow.libs/libwebp" in bundled
        assert "Pillow 10.0.0" in page.evaluate("document.getElementById('dependencies').innerText")
        integrity = page.evaluate("document.getElementById('integrity').innerText")
        assert "clean" in integrity and "files" in integrity


@needs_chromium
def test_the_page_fetches_nothing(pillow_scan: Path) -> None:
    with Browser((pillow_scan / "report.html").as_uri()) as page:
        page.send("Network.enable")
        page.events.clear()
        page.send("Page.reload")
        page.wait_loaded()
        page.evaluate("new Promise(r => setTimeout(r, 300))")
        urls = [e["params"]["request"]["url"] for e in page.events
                if e.get("method") == "Network.requestWillBeSent"]
        assert urls and all(u.startswith("file://") for u in urls), urls


@needs_chromium
def test_a_hostile_name_is_shown_as_text(tmp_path: Path) -> None:
    evil = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "components": [{"type": "library", "name": evil, "version": "1.0"}]}
    (tmp_path / "evil.cdx.json").write_text(json.dumps(doc))
    r = assay("scan", "evil.cdx.json", "--out", "out", "--db", str(tmp_path / "none.sqlite"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with Browser((tmp_path / "out" / "report.html").as_uri()) as page:
        assert page.evaluate("window.pwned === undefined")
        assert evil in page.evaluate("document.getElementById('inventory').innerText")


def test_a_wheel_scan_has_a_report_too(tmp_path: Path) -> None:
    wheel = pypi_file(PILLOW, WHEELS[PILLOW])
    r = assay("scan", str(wheel), "--out", "out", "--db", str(tmp_path / "none.sqlite"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "out" / "report.html").read_text()
    assert "Not an installed environment" in html and "libwebp" in html
