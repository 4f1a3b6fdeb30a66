"""Real release pipelines (PyPI sdists that ship .github/, pinned by sha256): assay reports every
finding zizmor 1.32.0 reports at medium or above (same file, same line), recorded by
bench/pipeline/compare.py --record, plus the pipeline-level gaps zizmor cannot see, and places
them in the stage x threat matrix."""

from __future__ import annotations

import json
from pathlib import Path

from assay.model import Severity
from assay.model.pipeline import Status
from assay.pipeline import analyse, known

RECORDED = json.loads((Path(__file__).parent / "data" / "zizmor-findings.json").read_text())
# Deliberate differences, each judged in bench/pipeline/README.md.
NOT_FOLLOWED = {
    # github.event.pull_request.merge_commit_sha is a commit id GitHub computes; no outsider
    # can put shell text in it.
    ("pytest-7.4.0.tar.gz", "template-injection", ".github/workflows/backport.yml", 43),
}


def _peer_hits(project: Path) -> set[tuple[str, str, int]]:
    report = analyse(project)
    rules = known.rules()
    return {(rules[f.rule].peer, f.file, f.line) for f in report.findings
            if rules[f.rule].peer and f.severity >= Severity.MEDIUM}


def test_every_zizmor_finding_is_reported(real_pipelines: dict[str, Path]) -> None:
    missing = []
    total = 0
    for name, findings in RECORDED["findings"].items():
        ours = _peer_hits(real_pipelines[name])
        for ident, file, line in findings:
            total += 1
            if (ident, file, line) not in ours and (name, ident, file, line) not in NOT_FOLLOWED:
                missing.append((name, ident, file, line))
    assert total > 300
    assert missing == []


def test_pipeline_gaps_zizmor_cannot_see(real_pipelines: dict[str, Path]) -> None:
    report = analyse(real_pipelines["pytest-7.4.0.tar.gz"])
    token = [f for f in report.findings if f.rule == "publish-with-token"]
    assert [(f.file, f.line, f.stage, f.threat) for f in token] == [
        (".github/workflows/deploy.yml", 43, "publish", "F")]
    assert report.stage("publish").cell("F").status == Status.OPEN
    assert any(f.rule == "release-without-provenance" for f in report.findings)
    assert any(f.rule == "pip-install-unhashed" and f.stage == "publish" for f in report.findings)

    cib = analyse(real_pipelines["cibuildwheel-4.3.5.tar.gz"])  # GitHub, Azure and GitLab in one repo
    platforms = {j.platform for s in cib.stages for j in s.jobs}
    assert {"github", "azure", "gitlab"} <= platforms
    assert any(f.rule == "fetch-unpinned-tool" and f.file == ".gitlab-ci.yml" for f in cib.findings)


def test_current_trusted_publishing_releases_are_mitigated(real_pipelines: dict[str, Path]) -> None:
    """Recent releases moved to Trusted Publishing with attestations: the matrix says so."""
    for name in ("pytest-9.2.0.tar.gz", "attrs-26.1.0.tar.gz", "twine-7.0.0.tar.gz"):
        report = analyse(real_pipelines[name])
        cell = report.stage("publish").cell("F")
        assert cell is not None and cell.status == Status.MITIGATED, (name, cell)
        assert not [f for f in report.findings if f.rule == "publish-with-token"], name
