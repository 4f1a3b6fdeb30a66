"""Requirements and lock files become components without installing or running anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.catalog import load as catalog_lockfile
from assay.errors import InputError
from assay.model import Hash, Kind, RelType


def comps(graph) -> dict[str, str | None]:
    return {c.name: c.version for c in graph if c.kind == Kind.PYTHON_PACKAGE}


def test_requirements_with_includes_hashes_and_unpinned(tmp_path: Path) -> None:
    (tmp_path / "base.txt").write_text("urllib3==1.26.4  # pinned in the base\n")
    req = tmp_path / "requirements.txt"
    req.write_text(
        "-r base.txt\n"
        "--index-url https://pypi.org/simple\n"
        "Pillow==10.0.0 \\\n"
        "    --hash=sha256:1f62406a884ae75fb2f818694469519fb685cc7eaff05d3451a9ebe55c646891\n"
        'requests[socks]==2.25.0 ; python_version >= "3.6"\n'
        "django>=3.2\n"
        "-e ./local\n"
        "flask\n"
        "numpy==1.*\n"
        "-r missing.txt\n"
    )
    graph = catalog_lockfile(req)
    assert comps(graph) == {"urllib3": "1.26.4", "Pillow": "10.0.0", "requests": "2.25.0"}
    pillow = graph.by_name("pillow")[0]
    assert pillow.purl == "pkg:pypi/pillow@10.0.0"
    digest = "1f62406a884ae75fb2f818694469519fb685cc7eaff05d3451a9ebe55c646891"
    assert pillow.hashes == (Hash("sha256", digest),)
    assert pillow.evidence[0].location == f"{req}:3"
    requests = graph.by_name("requests")[0]
    assert requests.prop("assay:marker") == 'python_version >= "3.6"'
    reasons = sorted((u.reason, u.detail.split(": ", 1)[1]) for u in graph.unknowns)
    assert reasons == [("editable-requirement", "-e ./local (version not pinned)"),
                       ("missing-include", "-r missing.txt not found"),
                       ("unpinned-requirement", "django>=3.2"),
                       ("unpinned-requirement", "flask (no version)"),
                       ("unpinned-requirement", "numpy==1.*")]
    root = graph.root_component
    assert root is not None and root.kind == Kind.APPLICATION
    assert {r.target for r in graph.outgoing(root.id, RelType.DEPENDS_ON)} == {
        c.id for c in graph if c.kind == Kind.PYTHON_PACKAGE}


def test_include_cycle_is_harmless(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("-r b.txt\nsix==1.16.0\n")
    (tmp_path / "b.txt").write_text("-r a.txt\nidna==3.7\n")
    assert comps(catalog_lockfile(tmp_path / "a.txt")) == {"six": "1.16.0", "idna": "3.7"}


def test_pylock_toml(tmp_path: Path) -> None:
    lock = tmp_path / "pylock.toml"
    lock.write_text('''\
lock-version = "1.0"
created-by = "hand"

[[packages]]
name = "attrs"
version = "25.1.0"
index = "https://pypi.org/simple"
wheels = [
  { name = "attrs-25.1.0-py3-none-any.whl", url = "https://f.example/a.whl", hashes = { sha256 = "AA11" } },
]

[[packages]]
name = "Pillow"
version = "10.0.0"
marker = "sys_platform == 'linux'"
dependencies = [{ name = "attrs" }]
sdist = { url = "https://files.example/pillow.tar.gz", hashes = { sha256 = "bb22" } }

[[packages]]
name = "mylib"
[packages.vcs]
type = "git"
url = "https://example.invalid/mylib.git"
commit-id = "0123456789abcdef0123456789abcdef01234567"
''')
    graph = catalog_lockfile(lock)
    assert comps(graph) == {"attrs": "25.1.0", "Pillow": "10.0.0"}
    attrs = graph.by_name("attrs")[0]
    assert attrs.hashes == (Hash("sha256", "aa11"),)
    pillow = graph.by_name("pillow")[0]
    assert (pillow.id, attrs.id) in {(r.source, r.target) for r in graph.relationships}
    assert [u.reason for u in graph.unknowns] == ["unversioned-package"]


def test_uv_lock(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text('''\
version = 1
requires-python = ">=3.11"

[[package]]
name = "demo"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "urllib3" }]

[[package]]
name = "urllib3"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/urllib3-1.26.4.tar.gz", hash = "sha256:CC33", size = 1 }
wheels = [
  { url = "https://files.example/urllib3-1.26.4-py2.py3-none-any.whl", hash = "sha256:dd44", size = 1 },
]
''')
    graph = catalog_lockfile(lock)
    assert comps(graph) == {"urllib3": "1.26.4"}
    urllib3 = graph.by_name("urllib3")[0]
    assert urllib3.hashes == (Hash("sha256", "cc33"), Hash("sha256", "dd44"))
    assert (graph.root, urllib3.id) in {(r.source, r.target) for r in graph.relationships}


def test_bad_lock_files_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "pylock.toml"
    bad.write_text("lock-version = [\n")
    with pytest.raises(InputError, match=r"pylock\.toml"):
        catalog_lockfile(bad)
    newer = tmp_path / "pylock.x.toml"
    newer.write_text('lock-version = "2.0"\n')
    with pytest.raises(InputError, match="not supported"):
        catalog_lockfile(newer)
