"""SBOM documents as hostile input: invalid components, deep nesting, and size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..cli.helpers import assay, one_line


def _bom(components: list[dict], **extra: object) -> dict:
    return {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "app"}},
            "components": components, **extra}


def test_an_invalid_component_is_skipped_with_a_warning_naming_it(tmp_path: Path) -> None:
    doc = tmp_path / "bom.cdx.json"
    doc.write_text(json.dumps(_bom([
        {"type": "library", "name": "idna", "version": "3.4", "purl": "pkg:pypi/idna@3.4"},
        {"type": "library", "name": 5, "version": "1.0", "bom-ref": "five"},
        {"type": "spaceship", "name": "odd"},
        {"type": "library", "name": "outer", "bogus": True,
         "components": [{"type": "library", "name": "inner"}]},
    ])))
    r = assay("sbom", str(doc), "-f", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    names = {c["name"] for c in json.loads(r.stdout)["components"]}
    assert names == {"app", "idna"}  # the invalid ones, and what they hold, are left out
    warned = [line for line in r.stderr.splitlines() if "invalid-component" in line]
    assert len(warned) == 3
    assert "components[1]" in warned[0] and "name 5" in warned[0] and "name must be string" in warned[0]
    assert "components[2]" in warned[1] and "'odd'" in warned[1]
    assert "components[3]" in warned[2] and "bogus" in warned[2]


def test_components_nested_deeper_than_any_sbom_are_one_line(tmp_path: Path) -> None:
    inner: dict = {"type": "library", "name": "leaf"}
    for depth in range(200):
        inner = {"type": "library", "name": f"level{depth}", "components": [inner]}
    doc = tmp_path / "deep.cdx.json"
    doc.write_text(json.dumps(_bom([inner])))
    r = assay("sbom", str(doc), "-f", "json", cwd=tmp_path)
    assert r.returncode == 2
    assert "deep.cdx.json" in one_line(r.stderr) and "nested" in r.stderr


def test_json_nested_past_the_parser_is_one_line(tmp_path: Path) -> None:
    doc = tmp_path / "bomb.json"
    doc.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": '
                   + "[" * 100_000 + "]" * 100_000 + "}")
    r = assay("sbom", str(doc), cwd=tmp_path)
    assert r.returncode == 2
    assert "bomb.json" in one_line(r.stderr) and "nested" in r.stderr


def test_invalid_osv_records_are_skipped_with_a_warning_naming_them(tmp_path: Path) -> None:
    good = {"id": "PYSEC-0000-1", "modified": "2024-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "demo"}, "versions": ["1.0"]}]}
    folder = tmp_path / "advisories"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(good))
    (folder / "nope.json").write_text(json.dumps({**good, "id": "PYSEC-0000-2", "affected": "nope"}))
    (folder / "date.json").write_text(json.dumps({**good, "id": "PYSEC-0000-3", "modified": "not a date"}))
    # a GIT range whose "fixed" is not a commit: only that range is left out
    git = {**good, "id": "PYSEC-0000-4", "affected": [{
        "package": {"ecosystem": "PyPI", "name": "demo"},
        "ranges": [{"type": "GIT", "repo": "https://example.org/demo",
                    "events": [{"introduced": "0"}, {"fixed": "abc.patch"}]},
                   {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]}
    (folder / "git.json").write_text(json.dumps(git))
    db = tmp_path / "v.sqlite"
    r = assay("db", "import", str(folder), "--db", str(db), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "2 added" in r.stderr
    warnings = [line for line in r.stderr.splitlines() if line.startswith("warning:")]
    assert any("PYSEC-0000-2" in w and "affected" in w for w in warnings)
    assert any("PYSEC-0000-3" in w and "modified" in w for w in warnings)
    assert any("PYSEC-0000-4" in w and "ranges[0]" in w for w in warnings)
    (tmp_path / "requirements.txt").write_text("demo==1.5\n")
    r = assay("audit", "requirements.txt", "--db", str(db), "-f", "json", cwd=tmp_path)
    found = {f["id"] for f in json.loads(r.stdout)["findings"]}
    assert found == {"PYSEC-0000-4"}  # its ECOSYSTEM range still matches; the invalid records never do
    # a file named on its own holding only an invalid record is one line, exit 2
    r = assay("db", "import", str(folder / "nope.json"), "--db", str(db), cwd=tmp_path)
    assert r.returncode == 2 and "PYSEC-0000-2" in one_line(r.stderr)


_READ = """
import sys, time
from assay import catalog
start = time.process_time()
graph = catalog.load(sys.argv[1])
print(time.process_time() - start, len(graph))
"""


def _generate(path: Path, n: int) -> Path:
    # every component the same length in bytes (fixed-width numbers): 100k is ten times the document
    comps = [{"type": "library", "bom-ref": f"r{i:06d}", "name": f"pkg{i:06d}",
              "version": f"1.{i % 100:02d}.0", "purl": f"pkg:pypi/pkg{i:06d}@1.{i % 100:02d}.0",
              "licenses": [{"license": {"id": "MIT"}}]}
             for i in range(n)]
    deps = [{"ref": f"r{i:06d}", "dependsOn": [f"r{(i * 7 + k) % n:06d}" for k in range(1, 4)]}
            for i in range(n)]
    path.write_text(json.dumps(_bom(comps, dependencies=[{"ref": "app", "dependsOn": ["r000000"]}, *deps])))
    return path


@pytest.mark.slow
def test_reading_is_linear_in_the_size_of_the_document(tmp_path: Path) -> None:
    """100k components within 10x the time of 10k (main read 10k in 5.2 s and 100k in 584 s).
    CPU time of catalog.load (parse and read), each read in a fresh process."""
    docs = {n: _generate(tmp_path / f"bom-{n}.cdx.json", n) for n in (10_000, 100_000)}
    assert docs[100_000].stat().st_size < 10.01 * docs[10_000].stat().st_size

    def read(n: int) -> float:
        out = subprocess.run([sys.executable, "-c", _READ, str(docs[n])], capture_output=True, text=True,
                             check=True, env={**os.environ, "ASSAY_OFFLINE": "1"}).stdout.split()
        assert int(out[1]) == n + 1
        return float(out[0])

    # A shared machine's speed drifts over seconds, and the best of a few 1-second reads catches a
    # fast moment a 10-second read cannot: so the small document is read ten times (one
    # measurement as long as one large read) and each size keeps its best of two such rounds.
    # Linear reading measured 7.5x to 9x this way on a quiet machine (10.6x once while benchmarks
    # shared the machine), quadratic reading 110x: 20x keeps the two apart with room for load.
    small, large = float("inf"), float("inf")
    for _ in range(2):
        small = min(small, sum(read(10_000) for _ in range(10)) / 10)
        large = min(large, read(100_000))
    ratio = large / small
    print(f"10k: {small:.2f} s (mean of ten), 100k: {large:.2f} s, ratio {ratio:.1f}")
    assert ratio < 20, (small, large)


def test_a_target_read_twice_gives_the_same_graph(tmp_path: Path) -> None:
    """The SBOM reader empties the parsed document as it builds the model; the target must not
    keep that emptied document for a second read."""
    from assay.catalog.base import Options, Target
    from assay.catalog.registry import choose

    doc = _generate(tmp_path / "bom.cdx.json", 50)
    target = Target(doc)
    reader = choose(target)
    first = reader.catalog(target, Options()).graph
    second = reader.catalog(target, Options()).graph
    assert len(first) == 51 and len(first.relationships) == 151
    assert first.components == second.components and first.relationships == second.relationships
