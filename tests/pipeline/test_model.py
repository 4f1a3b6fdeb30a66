"""The stage x threat model: labels in both SLSA numberings, stages, flows, statuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.model.pipeline import STAGES, THREAT_IDS, Status, parse_threat, threat_label
from tests.pipeline.conftest import scan

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"

TRUSTED = {
    ".github/workflows/release.yml": f"""
        name: release
        on:
          push:
            tags: ["v*"]
        permissions: {{}}
        jobs:
          build:
            runs-on: ubuntu-latest
            permissions: {{contents: read}}
            steps:
              - uses: actions/checkout@{SHA}
                with: {{persist-credentials: false}}
              - run: python -m pip install --require-hashes -r requirements/build.txt
              - run: python -m build
              - uses: actions/upload-artifact@{SHA}
                with: {{name: dist, path: dist/}}
          publish:
            needs: build
            runs-on: ubuntu-latest
            environment: pypi
            permissions: {{id-token: write}}
            steps:
              - uses: actions/download-artifact@{SHA}
                with: {{name: dist, path: dist/}}
              - run: sha256sum -c dist/SHA256SUMS
              - run: pip install --require-hashes -r requirements/sbom.txt && cyclonedx-py environment
              - uses: pypa/gh-action-pypi-publish@{SHA}
        """,
    "requirements/build.txt": "build==1.2.2 --hash=sha256:" + "0" * 64 + "\n",
    "requirements/sbom.txt": "cyclonedx-bom==4.6.1 --hash=sha256:" + "1" * 64 + "\n",
}

TOKEN = {
    ".github/workflows/release.yml": """
        on: {release: {types: [published]}}
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: pip install build twine && python -m build
              - run: twine upload dist/*
                env:
                  TWINE_USERNAME: __token__
                  TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}
        """,
}


@pytest.mark.parametrize(("v10", "v11"), [("A", "B"), ("B", "C"), ("C", "D"), ("D", "DEP"), ("E", "E"),
                                          ("F", "F"), ("G", "G"), ("H", "H")])
def test_v1_0_letters_map_to_v1_1_labels(v10: str, v11: str) -> None:
    assert parse_threat(f"v1.0:{v10}") == v11
    assert parse_threat(v10, default_version="1.0") == v11
    assert parse_threat(f"slsa-1.0-{v10}") == v11
    assert threat_label(v11, "1.0") == v10
    assert parse_threat(f"v1.1:{v11}") == v11


def test_v1_1_only_labels() -> None:
    assert parse_threat("I") == "I"
    assert threat_label("I", "1.0") == "H"  # v1.0's "use compromised package" covers usage
    assert threat_label("A", "1.0") == "(A)"  # the producer had no v1.0 letter
    with pytest.raises(ValueError):
        parse_threat("v1.0:I")
    with pytest.raises(ValueError):
        parse_threat("Z")


def test_trusted_publishing_pipeline_is_mitigated_where_it_should_be(tmp_path: Path) -> None:
    report = scan(tmp_path, TRUSTED)
    assert [s.name for s in report.stages] == list(STAGES)
    jobs = {j.key: s.name for s in report.stages for j in s.jobs}
    assert jobs[".github/workflows/release.yml:build"] == "build"
    assert jobs[".github/workflows/release.yml:publish"] == "publish"
    publish = report.stage("publish").cell("F")
    assert publish is not None and publish.status == Status.MITIGATED
    assert any("Trusted Publishing" in e for e in publish.evidence)
    assert report.stage("sign").cell("F").status == Status.MITIGATED  # PEP 740 attestations
    assert report.stage("distribute").cell("I").status == Status.MITIGATED  # SBOM
    assert report.stage("build").cell("DEP").status == Status.MITIGATED  # hashes + pinned actions
    assert report.stage("source").cell("B").status == Status.UNKNOWN  # forge settings
    assert [f.rule for f in report.findings if f.severity >= 3] == []
    kinds = {(f.kind, f.name, f.source, f.target) for f in report.flows}
    assert ("artifact", "dist", ".github/workflows/release.yml:build",
            ".github/workflows/release.yml:publish") in kinds
    assert ("oidc", "id-token", None, ".github/workflows/release.yml:publish") in kinds


def test_token_pipeline_opens_publication_and_provenance(tmp_path: Path) -> None:
    report = scan(tmp_path, TOKEN)
    rules = {f.rule for f in report.findings}
    assert {"publish-with-token", "release-without-provenance", "unpinned-uses", "pip-install-unhashed",
            "artipacked", "no-sbom"} <= rules
    assert report.stage("publish").cell("F").status == Status.OPEN
    assert report.stage("sign").cell("F").status == Status.OPEN
    token = next(f for f in report.findings if f.rule == "publish-with-token")
    assert (token.file, token.line, token.stage) == (".github/workflows/release.yml", 11, "publish")
    assert any(f.kind == "secret" and f.name == "PYPI_TOKEN" for f in report.flows)


def test_every_cell_uses_a_known_threat(tmp_path: Path) -> None:
    report = scan(tmp_path, TOKEN)
    for stage in report.stages:
        for cell in stage.threats:
            assert cell.id in THREAT_IDS
            assert cell.evidence, (stage.name, cell.id)
