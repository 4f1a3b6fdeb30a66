"""Matching on the real snapshots: PyPI ranges, native libraries by CPE, CPython via PSF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from packaging.version import Version

from assay.audit import audit_graph
from assay.config import Config
from assay.model import Graph, RelType, Severity
from assay.vulndb import Store
from assay.vulndb.cpython import CommitResolver, CommitTable, GitClone, contains, git_range_affected
from assay.vulndb.match import AdvisoryMatcher

from .storehelp import cpython, native, pypi


def ids_for(db: Path, *components, config: Config | None = None) -> dict[tuple[str, str | None], set[str]]:
    graph = Graph()
    for c in components:
        graph.add(c)
    result = audit_graph(graph, db=db, config=config)
    out: dict[tuple[str, str | None], set[str]] = {(c.name, c.version): set() for c in components}
    for f in result.findings:
        out[(f.component_name, f.component_version)].add(f.id)
    return out


def test_pillow_and_its_bundled_libwebp(shared_db: Path) -> None:
    """The issue's example: Pillow 10.0.0 by PYSEC-2023-175 and, through its libwebp 1.3.1,
    by CVE-2023-4863; Pillow 10.0.1 with libwebp 1.3.2 is clear of CVE-2023-4863."""
    graph = Graph()
    old, new = pypi("Pillow", "10.0.0"), pypi("Pillow", "10.0.1")
    libs = "pillow.libs/libwebp-{}.so"
    webp_old = native("libwebp", "1.3.1", "webmproject", "libwebp", location=libs.format("1.3.1"))
    webp_new = native("libwebp", "1.3.2", "webmproject", "libwebp", location=libs.format("1.3.2"))
    for c in (old, new, webp_old, webp_new):
        graph.add(c)
    graph.relate(old.id, webp_old.id, RelType.CONTAINS)
    graph.relate(new.id, webp_new.id, RelType.CONTAINS)
    result = audit_graph(graph, db=shared_db)
    by = {(f.component_id, f.id): f for f in result.findings}
    assert (old.id, "PYSEC-2023-175") in by
    assert by[(old.id, "PYSEC-2023-175")].fixed_versions == ("10.0.1",)
    webp = by[(webp_old.id, "CVE-2023-4863")]
    assert webp.severity == Severity.HIGH and webp.score == 8.8
    assert "1.3.1" in webp.evidence and "libwebp-1.3.1.so" in webp.evidence  # the detected version's evidence
    assert webp.fixed_versions == ("1.3.2",)
    assert not [f for f in result.findings if f.component_id in (new.id, webp_new.id)]


@pytest.mark.parametrize(("vendor", "product", "version", "expected"), [
    ("openssl", "openssl", "1.1.1k", {"CVE-2021-3711"}),
    ("openssl", "openssl", "1.1.1l", set()),
    ("openssl", "openssl", "1.1.1t", set()),
    ("openssl", "openssl", "3.0.6", {"CVE-2022-3602", "CVE-2023-5363"}),
    ("openssl", "openssl", "3.0.7", {"CVE-2023-5363"}),
    ("zlib", "zlib", "1.2.11", {"CVE-2018-25032", "CVE-2022-37434"}),
    ("zlib", "zlib", "1.2.2", {"CVE-2022-37434"}),  # below 1.2.2.2: only the <= 1.2.12 one
    ("zlib", "zlib", "1.2.13", set()),
    ("xmlsoft", "libxml2", "2.11.0", {"CVE-2023-39615"}),  # exact version in the CPE string
    ("xmlsoft", "libxml2", "2.11.1", set()),
    ("tukaani", "xz", "5.6.1", {"CVE-2024-3094"}),
    ("tukaani", "xz", "5.4.6", set()),
    ("libjpeg-turbo", "libjpeg-turbo", "1.5.3", set()),  # start excluding
    ("libjpeg-turbo", "libjpeg-turbo", "2.0.90", {"CVE-2021-46822"}),  # end including
])
def test_native_libraries_by_their_own_cpe(shared_db: Path, vendor: str, product: str, version: str,
                                           expected: set[str]) -> None:
    comp = native(product, version, vendor, product)
    assert ids_for(shared_db, comp)[(product, version)] == expected


def test_only_the_librarys_own_cpe_counts(shared_db: Path) -> None:
    # CVE-2023-4863 lists Chrome, Firefox, Debian… as vulnerable; CVE-2018-25032 lists
    # python:python. A libwebp or zlib at those applications' version numbers is clear.
    chrome_like = native("libwebp", "116.0", "webmproject", "libwebp")
    assert ids_for(shared_db, chrome_like)[("libwebp", "116.0")] == set()
    assert ids_for(shared_db, native("zlib", "3.10.4", "zlib", "zlib"))[("zlib", "3.10.4")] == set()
    # and a component whose CPE says nothing about its version uses the component's version
    comp = native("libwebp", "1.3.1", "webmproject", "libwebp", cpe_version="*")
    assert ids_for(shared_db, comp)[("libwebp", "1.3.1")] == {"CVE-2023-4863"}


def test_native_component_without_version_is_skipped_with_reason(shared_db: Path) -> None:
    graph = Graph()
    graph.add(native("libwebp", None, "webmproject", "libwebp", cpe_version="*"))
    result = audit_graph(graph, db=shared_db)
    assert not result.findings
    assert [s.reason for s in result.skipped] == [
        "version unknown (neither the CPE nor the component has one)"]


def test_pypi_names_are_canonical_and_aliases_merge(shared_db: Path) -> None:
    found = ids_for(shared_db, pypi("PyYAML", "5.3"), pypi("py_yaml", "5.3"), pypi("pyyaml", "5.4"))
    # PYSEC-2021-142: introduced 0, fixed 5.4; PYSEC-2020-96: introduced 5.1, fixed 5.3.1
    assert found[("PyYAML", "5.3")] == {"PYSEC-2021-142", "PYSEC-2020-96"}
    assert found[("py_yaml", "5.3")] == set()  # a different project
    assert "PYSEC-2021-142" not in found[("pyyaml", "5.4")]
    graph = Graph()
    graph.add(pypi("urllib3", "1.26.4"))
    result = audit_graph(graph, db=shared_db)
    ids = [f.id for f in result.findings]
    assert len(ids) == len(set(ids))
    f = next(f for f in result.findings if f.id == "PYSEC-2023-192")
    assert set(f.aliases) == {"CVE-2023-43804", "GHSA-v845-jxx5-vc9f"}
    assert f.severity == Severity.HIGH  # computed from the CVSS v3 vector alone
    assert result.fix_advice[0].fix_version == "1.26.18"  # smallest version fixing all three


def test_alias_merge_across_sources(tmp_path: Path) -> None:
    """A PYSEC and a GHSA record that share a CVE are one finding with both ids."""
    import json

    folder = tmp_path / "adv"
    folder.mkdir()
    events = [{"introduced": "0"}, {"fixed": "2.0"}]
    common = {"modified": "2024-01-01T00:00:00Z",
              "affected": [{"package": {"ecosystem": "PyPI", "name": "Demo_Pkg"},
                            "ranges": [{"type": "ECOSYSTEM", "events": events}]}]}
    vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    (folder / "a.json").write_text(json.dumps({"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], **common}))
    (folder / "b.json").write_text(json.dumps({"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2099-1"],
                                               "severity": [{"type": "CVSS_V3", "score": vector}],
                                               **common}))
    from assay.vulndb import import_paths

    with Store(tmp_path / "db.sqlite") as store:
        import_paths(store, [folder])
    graph = Graph()
    graph.add(pypi("demo-pkg", "1.5"))
    result = audit_graph(graph, db=tmp_path / "db.sqlite")
    assert len(result.findings) == 1
    f = result.findings[0]
    assert f.id == "PYSEC-2099-1" and set(f.aliases) == {"GHSA-aaaa-bbbb-cccc", "CVE-2099-1"}
    assert f.severity == Severity.CRITICAL and f.score == 9.8


# -- CPython -------------------------------------------------------------------

def test_cpython_versions_against_psf_advisories(shared_db: Path) -> None:
    found = ids_for(shared_db, cpython("3.11.0"), cpython("3.11.1"), cpython("3.10.8"), cpython("3.10.9"))
    # PSF-2022-10 (CVE-2022-45061) was fixed in 3.11.1 and 3.10.9 per the commit table
    assert "PSF-2022-10" in found[("cpython", "3.11.0")]
    assert "PSF-2022-10" not in found[("cpython", "3.11.1")]
    assert "PSF-2022-10" in found[("cpython", "3.10.8")]
    assert "PSF-2022-10" not in found[("cpython", "3.10.9")]


def test_cpython_beyond_the_commit_table_is_said_plainly(shared_db: Path) -> None:
    graph = Graph()
    graph.add(cpython("3.12.1"))
    result = audit_graph(graph, db=shared_db)
    assert result.unresolved
    reasons = {u.reason for u in result.unresolved}
    assert any("only covers releases up to 3.11.1" in r for r in reasons)
    assert any("not in the commit table" in r for r in reasons)


def test_cpython_line_newer_than_every_fixed_line_is_undecided(shared_db: Path) -> None:
    # PSF-2019-4 names fixes for 3.7-3.10 only (backports); whether 3.11 got the fix
    # through main is not recorded, so 3.11.7 is undecided, while 3.9.10 is affected.
    graph = Graph()
    graph.add(cpython("3.11.7"))
    graph.add(cpython("3.9.10"))
    graph.add(cpython("3.9.11"))
    result = audit_graph(graph, db=shared_db)
    found = {(f.component_version, f.id) for f in result.findings}
    assert ("3.9.10", "PSF-2019-4") in found and ("3.9.11", "PSF-2019-4") not in found
    assert ("3.11.7", "PSF-2019-4") not in found
    undecided = {u.advisory: u for u in result.unresolved if u.version == "3.11.7"}
    assert undecided["PSF-2019-4"].kind == "newer-line"
    assert "up to 3.10" in undecided["PSF-2019-4"].reason
    assert all(u.advisory.startswith("PSF-") for u in result.unresolved)


def test_contains_rules() -> None:
    v = Version
    assert contains(["3.10.9", "3.11.1"], v("3.11.1")) is True
    assert contains(["3.10.9", "3.11.1"], v("3.11.0")) is False
    assert contains(["3.8.0"], v("3.9.4")) is True  # on the main line when 3.8 was cut
    assert contains(["3.8.13"], v("3.9.4")) is False  # a backport to 3.8 only
    assert contains(["2.7.2"], v("3.1.0")) is False
    assert contains(None, v("3.11.0")) is None


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
                               "HOME": str(repo), "PATH": "/usr/bin:/bin"}).stdout.strip()


def test_git_clone_resolution(tmp_path: Path) -> None:
    """A fix on main before 3.12 branched, backported to 3.11.5: a clone places it exactly."""
    repo = tmp_path / "cpython"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "base")
    _git(repo, "tag", "v3.11.0")
    _git(repo, "checkout", "-q", "-b", "3.11")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "3.11.4")
    _git(repo, "tag", "v3.11.4")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "backport")
    backport = _git(repo, "rev-parse", "HEAD")
    _git(repo, "tag", "v3.11.5")
    _git(repo, "checkout", "-q", "main")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "fix")
    fix = _git(repo, "rev-parse", "HEAD")
    _git(repo, "tag", "v3.12.0rc1")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "release")
    _git(repo, "tag", "v3.12.0")
    resolver = CommitResolver(GitClone(repo))
    events = [("introduced", "0"), ("fixed", fix), ("fixed", backport)]
    assert git_range_affected(events, Version("3.11.4"), resolver)[0] is True
    assert git_range_affected(events, Version("3.11.5"), resolver)[0] is False
    assert git_range_affected(events, Version("3.12.0"), resolver)[0] is False
    assert git_range_affected(events, Version("3.13.1"), resolver)[0] is False
    unknown = [("introduced", "0"), ("fixed", "0" * 40)]
    affected, missing, _ = git_range_affected(unknown, Version("3.11.4"), resolver)
    assert affected is None and missing == ["0" * 40]


def test_commit_table_file(shared_data: Path) -> None:
    table = CommitTable.from_file(shared_data / "cpython" / "commit_tags.txt")
    assert table.tags("72d356e3584ebfb8e813a8e9f2cd3dccf233c0d9") == ["3.11.1"]
    assert table.horizon == Version("3.11.1")


def test_matcher_skips_what_it_cannot_check(shared_db: Path) -> None:
    from assay.model import Component, Kind

    with Store(shared_db) as store:
        _, skips, _ = AdvisoryMatcher(store).match([
            pypi("requests", None), pypi("weird", "not a version!"),
            Component("js", Kind.JAVASCRIPT_LIBRARY, "jquery", "3.0.0"),
        ])
    assert sorted(s.reason for s in skips) == [
        "no CPE to match advisories by", "version 'not a version!' is not PEP 440", "version unknown"]


def test_a_range_pep440_cannot_read_is_undecided_not_a_match(shared_db: Path) -> None:
    # PYSEC-2019-125 (steam) has "fixed: 2019-09-12"; walking the range without that
    # event would flag every release after the introduced one.
    graph = Graph()
    graph.add(pypi("steam", "1.0.0"))
    result = audit_graph(graph, db=shared_db)
    assert not result.findings
    [undecided] = result.unresolved
    assert undecided.advisory == "PYSEC-2019-125" and undecided.kind == "invalid-range"
    assert "2019-09-12" in undecided.reason
