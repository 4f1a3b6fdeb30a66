"""resolve: fix commits -> first released version per branch, in a real git repository and on the table."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from packaging.version import Version

from assay.advisory.resolve import events_of, known_releases, make_resolver, resolve
from assay.vulndb.cpython import git_range_affected

from .conftest import run


class Repo:
    """A small CPython-shaped repository: a main line, release branches, tags v3.X.Y."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir()
        self.n = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(self.path), "PATH": "/usr/bin:/bin",
               "GIT_CONFIG_NOSYSTEM": "1"}
        return subprocess.run(["git", "-C", str(self.path), *args], check=True, capture_output=True,
                              text=True, env=env).stdout.strip()

    def commit(self, message: str) -> str:
        self.n += 1
        (self.path / "f.txt").write_text(f"{self.n}\n")
        self.git("add", "f.txt")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def checkout(self, branch: str, new: bool = False) -> None:
        self.git("checkout", "-q", *(["-b"] if new else []), branch)

    def tag(self, name: str) -> None:
        self.git("tag", name)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Repo, dict[str, str]]:
    """main: 3.10 and 3.11 and 3.12 cut before the fix, 3.13 after it.

    The fix lands on main, is backported to 3.12 and 3.11 (released as 3.12.2, 3.11.5);
    3.10 never gets it.
    """
    r = Repo(tmp_path / "cpython")
    r.commit("start")
    for minor in (10, 11, 12):
        r.checkout(f"3.{minor}", new=True)
        r.commit(f"3.{minor}.0")
        r.tag(f"v3.{minor}.0")
        r.checkout("main")
    r.checkout("3.11")
    for patch in range(1, 5):
        r.commit(f"3.11.{patch}")
        r.tag(f"v3.11.{patch}")
    r.checkout("3.12")
    r.commit("3.12.1")
    r.tag("v3.12.1")
    r.checkout("main")
    fix_main = r.commit("gh-1: fix the flaw")
    r.checkout("3.12")
    fix_312 = r.commit("[3.12] gh-1: fix the flaw")
    r.commit("3.12.2")
    r.tag("v3.12.2")
    r.checkout("3.11")
    fix_311 = r.commit("[3.11] gh-1: fix the flaw")
    r.tag("v3.11.5")
    r.checkout("3.10")
    r.commit("3.10.1")
    r.tag("v3.10.1")
    r.checkout("main")
    r.checkout("3.13", new=True)
    r.commit("3.13.0")
    r.tag("v3.13.0")
    r.checkout("main")
    return r, {"main": fix_main, "3.12": fix_312, "3.11": fix_311}


def test_resolve_through_a_git_clone(repo):
    r, fixes = repo
    resolver, sources = make_resolver(r.path, None)
    releases = known_releases(sources)
    assert Version("3.13.0") in releases and Version("3.10.1") in releases
    res = resolve(list(fixes.values()), resolver, releases)
    assert res.decided
    assert res.versions == [
        {"version": "0", "lessThan": "3.11.5", "status": "affected", "versionType": "python"},
        {"version": "3.12.0", "lessThan": "3.12.2", "status": "affected", "versionType": "python"},
    ]
    status = {f"{b.branch[0]}.{b.branch[1]}": (b.status, b.first_fixed) for b in res.branches}
    assert status == {"3.10": ("affected", None), "3.11": ("fixed", "3.11.5"), "3.12": ("fixed", "3.12.2"),
                      "3.13": ("not-affected", "3.13.0")}
    for version in releases:  # the audit's own reading of the same GIT range agrees everywhere
        events = [("introduced", "0")] + [("fixed", c) for c in fixes.values()]
        assert res.affected(version) == git_range_affected(events, version, resolver)[0], version

    proc = run("advisory", "resolve", "--clone", str(r.path), *(f"--commit={c}" for c in fixes.values()),
               "-f", "cve")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == res.versions
    proc = run("advisory", "resolve", "--clone", str(r.path), f"--commit={fixes['3.11']}")
    assert proc.returncode == 3  # one backport alone: the newer lines are undecidable
    assert "3.11     fixed         3.11.5" in proc.stdout and "0 <= version < 3.11.5" in proc.stdout
    assert "3.12     unknown" in proc.stdout and "undecidable" in proc.stderr


def test_undecidable_cases_say_why(repo):
    r, fixes = repo
    resolver, sources = make_resolver(r.path, None)
    releases = known_releases(sources)
    # only the 3.11 backport: whether 3.12 and 3.13 got the fix, the advisory does not say
    res = resolve([fixes["3.11"]], resolver, releases)
    unknown = {f"{b.branch[0]}.{b.branch[1]}": b.reason for b in res.branches if b.status == "unknown"}
    assert set(unknown) == {"3.12", "3.13"}
    assert "no fix reached 3.12" in unknown["3.12"]
    assert res.affected(Version("3.12.2")) is None and res.affected(Version("3.11.4")) is True
    # a commit the clone does not have
    res = resolve(["f" * 40], resolver, releases)
    assert not res.decided and "f" * 40 in res.undecided
    proc = run("advisory", "resolve", "--clone", str(r.path), f"--commit={'f' * 40}")
    assert proc.returncode == 3 and "unknown" in proc.stderr
    # a fix that is in no release yet
    r.checkout("main")
    pending = r.commit("gh-2: another fix, unreleased")
    res = resolve([pending], resolver, releases)
    assert not res.decided and "no fix commit is in a release yet" in res.undecided


def test_introduced_commit_narrows_the_ranges(repo):
    r, fixes = repo
    r.checkout("3.11")
    # a 3.11-only regression introduced after 3.11.2 and fixed in 3.11.5 by the backport
    resolver, sources = make_resolver(r.path, None)
    releases = known_releases(sources)
    tag = r.git("rev-list", "-n", "1", "v3.11.3")
    res = resolve([fixes["3.11"]], resolver, releases, introduced=tag)
    assert {"version": "3.11.3", "lessThan": "3.11.5", "status": "affected",
            "versionType": "python"} in res.versions
    assert res.affected(Version("3.11.2")) is False and res.affected(Version("3.11.3")) is True


def test_agrees_with_the_commit_table_on_every_psf_advisory_it_decides(psf_osv, commit_table):
    resolver, sources = make_resolver(None, commit_table)
    releases = known_releases(sources)
    decided = compared = 0
    for path in sorted((psf_osv / "advisories" / "python").glob("*.json")):
        doc = json.loads(path.read_text())
        fixed, introduced = events_of(doc)
        res = resolve(fixed, resolver, releases, introduced=introduced)
        events = [(k, v) for a in doc["affected"] for rg in a["ranges"] for e in rg["events"]
                  for k, v in e.items()]
        if not res.decided:
            # undecided only when a commit is unknown to the table (or there is no fix at all)
            assert any(resolver.tags(c) is None for c in [*fixed, introduced] if c != "0") or not fixed
            continue
        decided += 1
        for version in releases:
            ours = res.affected(version)
            theirs = git_range_affected(events, version, resolver)[0]
            assert (ours is None) == (theirs is None), (path.name, version)
            if ours is not None:
                compared += 1
                assert ours == theirs, (path.name, version, res.versions)
    assert decided >= 100 and compared > 10000


def test_cli_resolve_an_osv_record(psf_osv, commit_table):
    record = psf_osv / "advisories" / "python" / "PSF-2022-5.json"
    proc = run("advisory", "resolve", str(record), "--commit-table", str(commit_table), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["decided"] and data["versions"][0]["version"] == "0"
    fixed, _ = events_of(json.loads(record.read_text()))
    # every lessThan is the first tag of a fix commit on that branch
    tags = {t for c in fixed for t in data["commits"][c]}
    assert {v["lessThan"] for v in data["versions"]} <= tags
    proc = run("advisory", "resolve", str(record))
    assert proc.returncode == 2 and "--commit-table or --clone" in proc.stderr
