"""Readers: Azure Pipelines, GitLab CI, composite actions, release scripts, broken input."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.errors import InputError
from assay.pipeline import analyse
from assay.pipeline.yamlmarks import YMap, loads
from tests.pipeline.conftest import hits, scan, write_tree

AZURE = {
    "azure-pipelines.yml": """
        trigger:
          tags:
            include: ["v*"]
        stages:
          - stage: build
            jobs:
              - job: wheels
                pool: {vmImage: ubuntu-22.04}
                steps:
                  - script: python -m pip install cibuildwheel
                  - bash: python -m cibuildwheel --output-dir wheelhouse
                  - task: PublishPipelineArtifact@1
                    inputs: {artifactName: wheels, targetPath: wheelhouse}
          - stage: release
            jobs:
              - deployment: pypi
                environment: pypi
                strategy:
                  runOnce:
                    deploy:
                      steps:
                        - task: DownloadPipelineArtifact@2
                          inputs: {artifactName: wheels}
                        - task: TwineAuthenticate@1
                          inputs: {pythonUploadServiceConnection: pypi}
                        - script: twine upload -r pypi --config-file $(PYPIRC_PATH) wheelhouse/*
        """,
}

GITLAB = {
    ".gitlab-ci.yml": """
        stages: [build, publish]
        image: python:3.12
        build:
          stage: build
          script:
            - pip install build
            - python -m build
          artifacts:
            paths: [dist/]
        publish:
          stage: publish
          needs: [build]
          script:
            - pip install twine==5.1.1
            - twine upload -u __token__ -p "$PYPI_TOKEN" dist/*
        """,
}

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"
COMPOSITE = {
    ".github/actions/release/action.yml": """
        name: release
        runs:
          using: composite
          steps:
            - run: bash scripts/release.sh
              shell: bash
        """,
    ".github/workflows/release.yml": f"""
        on: {{push: {{tags: ["v*"]}}}}
        permissions: {{}}
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@{SHA}
                with: {{persist-credentials: false}}
              - uses: ./.github/actions/release
        """,
    "scripts/release.sh": """
        #!/bin/sh
        set -e
        curl -fsSL https://get.example.org/tool | bash
        python tools/upload.py dist
        """,
    "tools/upload.py": """
        import subprocess
        subprocess.run(["twine", "upload", "--password", "x", "dist/*"], check=True)
        """,
}


def test_azure_stages_jobs_and_tasks(tmp_path: Path) -> None:
    report = scan(tmp_path, AZURE)
    jobs = {j.key: s.name for s in report.stages for j in s.jobs}
    assert jobs["azure-pipelines.yml:wheels"] == "build"
    assert jobs["azure-pipelines.yml:pypi"] == "publish"
    assert ("azure-pipelines.yml", 24) in hits(report, "publish-with-token")  # TwineAuthenticate
    assert ("azure-pipelines.yml", 10) in hits(report, "pip-install-unhashed")
    assert ("azure-pipelines.yml", 22) in hits(report, "artifact-no-hash-check")
    assert any(f.kind == "artifact" and f.source == "azure-pipelines.yml:wheels" for f in report.flows)


def test_gitlab_jobs_images_and_tokens(tmp_path: Path) -> None:
    report = scan(tmp_path, GITLAB)
    jobs = {j.key: s.name for s in report.stages for j in s.jobs}
    assert jobs == {".gitlab-ci.yml:build": "build", ".gitlab-ci.yml:publish": "publish"}
    assert (".gitlab-ci.yml", 15) in hits(report, "publish-with-token")
    assert (".gitlab-ci.yml", 2) in hits(report, "image-by-tag")  # the default image, by tag
    assert (".gitlab-ci.yml", 6) in hits(report, "pip-install-unhashed")
    assert (".gitlab-ci.yml", 14) in hits(report, "pip-install-unhashed")  # pinned, but no hash
    assert any(f.kind == "artifact" and f.target == ".gitlab-ci.yml:publish" for f in report.flows)


def test_composite_action_and_the_scripts_it_calls(tmp_path: Path) -> None:
    report = scan(tmp_path, COMPOSITE)
    assert {"scripts/release.sh", "tools/upload.py"} <= set(report.files)
    assert ("scripts/release.sh", 3) in hits(report, "fetch-unpinned-tool")
    assert ("tools/upload.py", 2) in hits(report, "publish-with-token")
    jobs = {j.key: s.name for s in report.stages for j in s.jobs}
    # the workflow job publishes through its action and scripts
    assert jobs[".github/workflows/release.yml:release"] == "publish"
    assert jobs["tools/upload.py:(script)"] == "publish"


def test_scripts_outside_the_folder_are_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.sh"
    outside.write_text("curl https://x | sh\n")
    repo = tmp_path / "repo"
    report = scan(repo, {".github/workflows/ci.yml": """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: bash ../secret.sh && bash /etc/profile.sh
        """})
    assert "secret.sh" not in " ".join(report.files)
    assert hits(report, "fetch-unpinned-tool") == []


def test_yaml_keeps_lines_and_reads_on_as_a_string() -> None:
    doc = loads("on:\n  push:\n    tags: [v*]\njobs:\n  a: {x: 1}\n")
    assert isinstance(doc, YMap) and "on" in doc and "True" not in doc
    assert doc.kline("jobs") == 4 and doc["jobs"]["a"].line == 5


def test_alias_bombs_cost_nothing() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    doc = loads(text)
    assert doc["i"][0] is doc["h"]  # shared, not expanded


def test_broken_workflow_is_a_named_warning_not_a_crash(tmp_path: Path) -> None:
    ok = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: 'true'}]\n"
    write_tree(tmp_path, {".github/workflows/bad.yml": "on: [push\njobs: {\n",
                          ".github/workflows/ok.yml": ok})
    report = analyse(tmp_path)
    assert any(w.startswith(".github/workflows/bad.yml:") and "not valid YAML" in w for w in report.warnings)
    assert ".github/workflows/ok.yml" in report.files


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        analyse(tmp_path / "nope")


def test_example_pipelines_are_not_the_projects_own(tmp_path: Path) -> None:
    report = scan(tmp_path, {"examples/azure-pipelines-minimal.yml": AZURE["azure-pipelines.yml"],
                             "docs/ci/.gitlab-ci.yml": GITLAB[".gitlab-ci.yml"]})
    assert report.files == () and report.findings == ()


def test_app_and_ssh_keys_are_not_signing_keys(tmp_path: Path) -> None:
    report = scan(tmp_path, {".github/workflows/bot.yml": f"""
        on: schedule
        permissions: {{}}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/create-github-app-token@{SHA}
                with:
                  app-id: ${{{{ vars.APP_ID }}}}
                  private-key: ${{{{ secrets.BOT_APP_PRIVATE_KEY }}}}
              - run: ./sync
                env:
                  SSH: ${{{{ secrets.SSH_PRIVATE_KEY }}}}
                  SIGN: ${{{{ secrets.RELEASE_PRIVATE_KEY }}}}
        """})
    assert hits(report, "signing-key-in-secrets") == [(".github/workflows/bot.yml", 14)]
