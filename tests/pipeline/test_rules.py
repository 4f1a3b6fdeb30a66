"""One case per rule: a small pipeline in the shape real projects use, the exact file and line
the rule must report, and the fixed pipeline on which it must stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.model import Severity
from assay.pipeline import known
from tests.pipeline.conftest import hits, scan

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"
WF = ".github/workflows/release.yml"

# rule -> (files that trigger it, expected (file, line) hits, files that must not trigger it)
CASES: dict[str, tuple[dict[str, str], list[tuple[str, int]], dict[str, str]]] = {
    "unpinned-uses": (
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              test:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                    with: {{persist-credentials: false}}
                  - uses: actions/setup-python@{SHA}
                  - uses: docker://alpine:3.20
            """},
        [(WF, 7), (WF, 10)],
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              test:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@{SHA}  # v4.2.2
                    with: {{persist-credentials: false}}
                  - uses: ./.github/actions/setup
            """}),
    "artipacked": (
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              test:
                runs-on: ubuntu-latest
                steps:
                  - name: checkout
                    uses: actions/checkout@{SHA}
            """},
        [(WF, 7)],
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              test:
                runs-on: ubuntu-latest
                steps:
                  - name: checkout
                    uses: actions/checkout@{SHA}
                    with:
                      persist-credentials: false
            """}),
    "excessive-permissions": (
        {WF: """
            on: push
            jobs:
              a:
                runs-on: ubuntu-latest
                steps: [{run: "true"}]
              b:
                runs-on: ubuntu-latest
                permissions: write-all
                steps: [{run: "true"}]
            """},
        [(WF, 1), (WF, 3), (WF, 8)],
        {WF: """
            on: push
            permissions:
              contents: read
            jobs:
              a:
                runs-on: ubuntu-latest
                steps: [{run: "true"}]
              b:
                runs-on: ubuntu-latest
                permissions:
                  id-token: write
                steps: [{run: "true"}]
            """}),
    "dangerous-triggers": (
        {WF: """
            name: triage
            on:
              pull_request_target:
                types: [opened]
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps: [{run: "echo hi"}]
            """},
        [(WF, 3)],
        {WF: """
            name: triage
            on:
              pull_request:
                types: [opened]
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps: [{run: "echo hi"}]
            """}),
    "untrusted-checkout": (
        {WF: f"""
            on: pull_request_target
            permissions: {{}}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@{SHA}
                    with:
                      ref: ${{{{ github.event.pull_request.head.sha }}}}
                      persist-credentials: false
            """},
        [(WF, 9)],
        {WF: f"""
            on: pull_request_target
            permissions: {{}}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@{SHA}
                    with:
                      persist-credentials: false
            """}),
    "template-injection": (
        {WF: """
            on: issues
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      echo "new issue"
                      echo "${{ github.event.issue.title }}"
                      echo "${{ github.event.issue.number }} ${{ github.sha }}"
            """},
        [(WF, 9)],
        {WF: """
            on: issues
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      echo "new issue"
                      echo "$TITLE"
                    env:
                      TITLE: ${{ github.event.issue.title }}
            """}),
    "cache-poisoning": (
        {WF: f"""
            on:
              release:
                types: [published]
            permissions: {{}}
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/setup-python@{SHA}
                    with:
                      python-version: "3.12"
                      cache: pip
                  - run: python -m build
            """},
        [(WF, 9)],
        {WF: f"""
            on:
              release:
                types: [published]
            permissions: {{}}
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/setup-python@{SHA}
                    with:
                      python-version: "3.12"
                  - run: python -m build
            """}),
    "dependabot-cooldown": (
        {".github/dependabot.yml": """
            version: 2
            updates:
              - package-ecosystem: pip
                directory: /
                schedule: {interval: weekly}
            """},
        [(".github/dependabot.yml", 3)],
        {".github/dependabot.yml": """
            version: 2
            updates:
              - package-ecosystem: pip
                directory: /
                schedule: {interval: weekly}
                cooldown:
                  default-days: 7
            """}),
    "dependabot-execution": (
        {".github/dependabot.yml": """
            version: 2
            updates:
              - package-ecosystem: pip
                directory: /
                insecure-external-code-execution: allow
                cooldown: {default-days: 7}
            """},
        [(".github/dependabot.yml", 5)],
        {".github/dependabot.yml": """
            version: 2
            updates:
              - package-ecosystem: pip
                directory: /
                cooldown: {default-days: 7}
            """}),
    "archived-uses": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/create-release@0cb9c9b65d5d1901c1f53e5e66eaf4afd303e70e
            """},
        [(WF, 7)],
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - uses: softprops/action-gh-release@{SHA}
            """}),
    "bot-conditions": (
        {WF: """
            on: pull_request_target
            permissions: {}
            jobs:
              automerge:
                if: github.actor == 'dependabot[bot]'
                runs-on: ubuntu-latest
                steps: [{run: "gh pr merge --auto"}]
            """},
        [(WF, 5)],
        {WF: """
            on: pull_request_target
            permissions: {}
            jobs:
              automerge:
                if: github.event.pull_request.user.login == 'dependabot[bot]'
                runs-on: ubuntu-latest
                steps: [{run: "gh pr merge --auto"}]
            """}),
    "github-env": (
        {WF: """
            on: workflow_run
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      echo "PR=$(cat pr.txt)" >> "$GITHUB_ENV"
            """},
        [(WF, 8)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      echo "PR=$(cat pr.txt)" >> "$GITHUB_ENV"
            """}),
    "hardcoded-container-credentials": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                container:
                  image: ghcr.io/o/i@sha256:0000000000000000000000000000000000000000000000000000000000000000
                  credentials:
                    username: bot
                    password: hunter2
                steps: [{run: "true"}]
            """},
        [(WF, 10)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                container:
                  image: ghcr.io/o/i@sha256:0000000000000000000000000000000000000000000000000000000000000000
                  credentials:
                    username: bot
                    password: ${{ secrets.GHCR_PASSWORD }}
                steps: [{run: "true"}]
            """}),
    "insecure-commands": (
        {WF: """
            on: push
            permissions: {}
            env:
              ACTIONS_ALLOW_UNSECURE_COMMANDS: true
            jobs:
              a:
                runs-on: ubuntu-latest
                steps: [{run: "true"}]
            """},
        [(WF, 4)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps: [{run: "true"}]
            """}),
    "overprovisioned-secrets": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: ./deploy
                    env:
                      ALL: ${{ toJSON(secrets) }}
            """},
        [(WF, 9)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: ./deploy
                    env:
                      KEY: ${{ secrets.DEPLOY_KEY }}
            """}),
    "unredacted-secrets": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: ./deploy
                    env:
                      USER: ${{ fromJSON(secrets.CREDS).user }}
            """},
        [(WF, 9)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: ./deploy
                    env:
                      USER: ${{ secrets.CREDS_USER }}
            """}),
    "secrets-inherit": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              call:
                uses: ./.github/workflows/publish.yml
                secrets: inherit
            """},
        [(WF, 6)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              call:
                uses: ./.github/workflows/publish.yml
                secrets:
                  token: ${{ secrets.TOKEN }}
            """}),
    "unpinned-images": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                container: python:latest
                services:
                  db:
                    image: postgres
                steps: [{run: "true"}]
            """},
        [(WF, 6), (WF, 9)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                container: python:3.12@sha256:1111111111111111111111111111111111111111111111111111111111111111
                steps: [{run: "true"}]
            """}),
    "unpinned-tools": (
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - uses: aquasecurity/setup-trivy@{SHA}
            """},
        [(WF, 7)],
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - uses: aquasecurity/setup-trivy@{SHA}
                    with:
                      version: v0.56.1
            """}),
    "unsound-condition": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: ./publish
                    if: |
                      ${{ github.ref == 'refs/heads/main' }}
            """},
        [(WF, 8)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: ./publish
                    if: github.ref == 'refs/heads/main'
            """}),
    "unsound-contains": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                if: contains('refs/heads/main refs/heads/release', github.ref)
                steps: [{run: "true"}]
            """},
        [(WF, 6)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                if: contains(fromJSON('["refs/heads/main"]'), github.ref)
                steps: [{run: "true"}]
            """}),
    "github-app": (
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/create-github-app-token@{SHA}
                    with:
                      app-id: ${{{{ vars.APP_ID }}}}
                      owner: my-org
            """},
        [(WF, 10)],
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/create-github-app-token@{SHA}
                    with:
                      app-id: ${{{{ vars.APP_ID }}}}
                      owner: my-org
                      repositories: one-repo
            """}),
    "fetch-unpinned-tool": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      curl -sSfL https://example.org/install.sh | sh
                      go install golang.org/x/vuln/cmd/govulncheck@latest
                      npx prettier --check .
            """},
        [(WF, 8), (WF, 9), (WF, 10)],
        {WF: """
            on: push
            permissions: {}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      curl -sSfLO https://example.org/tool.tar.gz && sha256sum -c tool.sha256
                      go install golang.org/x/vuln/cmd/govulncheck@v1.1.3
                      npx prettier@3.3.3 --check .
            """}),
    "pip-install-unhashed": (
        {WF: """
            on:
              push:
                tags: ["v*"]
            permissions: {}
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: python -m pip install build twine
                  - run: pip install -r requirements/build.txt
                  - run: python -m build
            """,
         "requirements/build.txt": "build==1.2.2\n"},
        [(WF, 9), (WF, 10)],
        {WF: """
            on:
              push:
                tags: ["v*"]
            permissions: {}
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: python -m pip install --require-hashes -r requirements/build.txt
                  - run: pip install -r requirements/build.txt
                  - run: python -m build
            """,
         "requirements/build.txt": "build==1.2.2 --hash=sha256:" + "0" * 64 + "\n"}),
    "publish-with-token": (
        {WF: f"""
            on: {{release: {{types: [published]}}}}
            permissions: {{}}
            jobs:
              publish:
                runs-on: ubuntu-latest
                steps:
                  - uses: pypa/gh-action-pypi-publish@{SHA}
                    with:
                      password: ${{{{ secrets.PYPI_API_TOKEN }}}}
            """},
        [(WF, 9)],
        {WF: f"""
            on: {{release: {{types: [published]}}}}
            permissions: {{}}
            jobs:
              publish:
                runs-on: ubuntu-latest
                environment: pypi
                permissions:
                  id-token: write
                steps:
                  - uses: pypa/gh-action-pypi-publish@{SHA}
            """}),
    "release-without-provenance": (
        {WF: """
            on: {release: {types: [published]}}
            permissions: {}
            jobs:
              publish:
                runs-on: ubuntu-latest
                steps:
                  - run: python -m build
                  - run: twine upload dist/*
                    env:
                      TWINE_PASSWORD: ${{ secrets.PYPI }}
            """},
        [(WF, 8)],
        {WF: f"""
            on: {{release: {{types: [published]}}}}
            permissions: {{}}
            jobs:
              publish:
                runs-on: ubuntu-latest
                permissions:
                  id-token: write
                  attestations: write
                steps:
                  - run: python -m build
                  - uses: actions/attest-build-provenance@{SHA}
                    with: {{subject-path: "dist/*"}}
                  - uses: pypa/gh-action-pypi-publish@{SHA}
            """}),
    "artifact-no-hash-check": (
        {".gitlab-ci.yml": """
            publish:
              image: python:3.12@sha256:1111111111111111111111111111111111111111111111111111111111111111
              script:
                - curl -sSfLO https://ci.example.org/artifacts/dist/pkg-1.0.tar.gz
                - twine upload --repository-url "$REPO" dist/*
            """},
        [(".gitlab-ci.yml", 4)],
        {".gitlab-ci.yml": """
            publish:
              image: python:3.12@sha256:1111111111111111111111111111111111111111111111111111111111111111
              script:
                - curl -sSfLO https://ci.example.org/artifacts/dist/pkg-1.0.tar.gz
                - sha256sum -c dist/SHA256SUMS
                - twine upload --repository-url "$REPO" dist/*
            """}),
    "signing-key-in-secrets": (
        {WF: """
            on: push
            permissions: {}
            jobs:
              sign:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "$KEY" | gpg --import && gpg --detach-sign -a dist/*.tar.gz
                    env:
                      KEY: ${{ secrets.GPG_PRIVATE_KEY }}
            """},
        [(WF, 9)],
        {WF: f"""
            on: push
            permissions: {{}}
            jobs:
              sign:
                runs-on: ubuntu-latest
                permissions: {{id-token: write}}
                steps:
                  - uses: sigstore/gh-action-sigstore-python@{SHA}
                    with: {{inputs: "dist/*.tar.gz"}}
            """}),
    "image-by-tag": (
        {"azure-pipelines.yml": """
            trigger: [main]
            jobs:
              - job: build
                pool: {vmImage: ubuntu-22.04}
                steps:
                  - bash: docker run --rm -v "$PWD:/io" quay.io/pypa/manylinux_2_28:2024.10.26-1 /io/build.sh
            """},
        [("azure-pipelines.yml", 6)],
        {"azure-pipelines.yml": f"""
            trigger: [main]
            jobs:
              - job: build
                pool: {{vmImage: ubuntu-22.04}}
                steps:
                  - bash: docker run --rm "quay.io/pypa/manylinux_2_28@sha256:$DIGEST" /io/build.sh
                  - bash: docker run --rm quay.io/pypa/manylinux_2_28@sha256:{"2" * 64} /io/build.sh
            """}),
    "no-sbom": (
        {WF: f"""
            on: {{release: {{types: [published]}}}}
            permissions: {{}}
            jobs:
              publish:
                runs-on: ubuntu-latest
                permissions: {{id-token: write}}
                steps:
                  - uses: pypa/gh-action-pypi-publish@{SHA}
            """},
        [(WF, 4)],
        {WF: f"""
            on: {{release: {{types: [published]}}}}
            permissions: {{}}
            jobs:
              publish:
                runs-on: ubuntu-latest
                permissions: {{id-token: write}}
                steps:
                  - run: pip install cyclonedx-bom==4.6.1 && cyclonedx-py environment -o dist/sbom.json
                  - uses: pypa/gh-action-pypi-publish@{SHA}
            """}),
    "unpinned-build-requires": (
        {WF: """
            on: {push: {tags: ["v*"]}}
            permissions: {}
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: python -m build
            """,
         "pyproject.toml": """
            [project]
            name = "x"

            [build-system]
            requires = ["setuptools>=61", "wheel"]
            build-backend = "setuptools.build_meta"
            """},
        [("pyproject.toml", 5)],
        {WF: """
            on: {push: {tags: ["v*"]}}
            permissions: {}
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: python -m build
            """,
         "pyproject.toml": """
            [build-system]
            requires = ["setuptools==75.6.0"]
            build-backend = "setuptools.build_meta"
            """}),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(known.rules())


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_at_the_right_line(rule: str, tmp_path: Path) -> None:
    bad, expected, _ = CASES[rule]
    report = scan(tmp_path, bad)
    assert sorted(set(hits(report, rule))) == sorted(expected), [
        (f.rule, f.file, f.line, f.message) for f in report.findings]
    f = next(f for f in report.findings if f.rule == rule)
    assert f.advice and f.message and f.threat == known.rules()[rule].threat


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_is_silent_on_the_fixed_pipeline(rule: str, tmp_path: Path) -> None:
    _, _, good = CASES[rule]
    report = scan(tmp_path, good)
    assert hits(report, rule) == [], [(f.rule, f.file, f.line, f.message) for f in report.findings]


def test_severities_follow_the_data(tmp_path: Path) -> None:
    report = scan(tmp_path, CASES["excessive-permissions"][0])
    by_line = {f.line: f.severity for f in report.findings if f.rule == "excessive-permissions"}
    assert by_line[8] == Severity.HIGH  # write-all
    assert by_line[1] == Severity.MEDIUM  # default permissions
