"""The installed-environment cataloger on a real venv built from PyPI (cached)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assay.catalog import load
from assay.model import Kind, RelType
from pypi import CACHE, make_venv, pypi_file

SIX_WHEEL = "six-1.16.0-py2.py3-none-any.whl"
SIX_SHA256 = "8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254"
KEY = "installed-v2"


def _projects() -> Path:
    root = CACHE / "venvs" / f"{KEY}-projects"
    editable = root / "demo-editable"
    (editable / "demo_editable").mkdir(parents=True, exist_ok=True)
    (editable / "demo_editable" / "__init__.py").write_text("VALUE = 1\n")
    (editable / "pyproject.toml").write_text(textwrap.dedent("""
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"
        [project]
        name = "demo-editable"
        version = "0.3.0"
        license = {text = "MIT"}
        dependencies = ["six", "requests[socks]>=2.31"]
        """))
    egg = root / "demo-egg"
    (egg / "demo_egg").mkdir(parents=True, exist_ok=True)
    (egg / "demo_egg" / "__init__.py").write_text("")
    (egg / "setup.py").write_text(textwrap.dedent("""
        from setuptools import setup
        setup(name="demo-egg", version="1.2", packages=["demo_egg"], license="MIT",
              author="Egg Author", install_requires=["six>=1.10"],
              extras_require={"fancy": ["click"]})
        """))
    return root


def _install_egg(venv: Path) -> None:
    # A legacy `setup.py install` writes a .egg-info folder next to the package (real setuptools).
    subprocess.run([str(venv / "bin" / "python"), "setup.py", "-q", "install",
                    "--single-version-externally-managed", "--root=/"],
                   cwd=_projects() / "demo-egg", check=True, capture_output=True)


@pytest.fixture(scope="session")
def env() -> Path:
    projects = _projects()
    six = pypi_file(SIX_WHEEL, SIX_SHA256)
    return make_venv(KEY, "requests==2.31.0", "pysocks==1.7.1", "click==8.1.7", str(six),
                     "-e", str(projects / "demo-editable"), post=_install_egg)


@pytest.fixture(scope="session")
def graph(env):
    return load(env, bundled=False)


def one(graph, name):
    found = graph.by_name(name)
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def deps(graph, comp):
    return {graph.components[r.target].name.lower(): r
            for r in graph.outgoing(comp.id, RelType.DEPENDS_ON)}


def test_every_installed_distribution_is_listed_with_its_version(env, graph):
    site = next(env.glob("lib/python*/site-packages"))
    on_disk = {p.name.split("-")[0].lower().replace("_", "-")
               for p in site.iterdir() if p.suffix in (".dist-info", ".egg-info")}
    names = {c.name.lower().replace("_", "-") for c in graph.packages([Kind.PYTHON_PACKAGE])}
    assert on_disk == names
    assert one(graph, "requests").version == "2.31.0"
    assert one(graph, "click").version == "8.1.7"


def test_license_supplier_purl_cpe(graph):
    requests = one(graph, "requests")
    assert requests.license.expression == "Apache-2.0"
    assert requests.supplier == "Kenneth Reitz"
    assert requests.purl == "pkg:pypi/requests@2.31.0"
    assert requests.cpes == ("cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*",)
    assert one(graph, "click").license.expression == "BSD-3-Clause"


def test_requires_dist_edges_follow_requested_extras(graph):
    requests = one(graph, "requests")
    edges = deps(graph, requests)
    assert {"urllib3", "idna", "charset-normalizer", "certifi", "pysocks"} <= set(edges)
    # PySocks comes only through requests[socks]: the edge says which extra activated it
    assert edges["pysocks"].prop("extra") == "socks"
    assert "chardet" not in edges  # extra use_chardet_on_py3 was not requested
    assert edges["urllib3"].prop("extra") is None


def test_markers_that_evaluate_false_give_no_edge_and_no_unknown(graph):
    click = one(graph, "click")
    assert deps(graph, click) == {}  # colorama is Windows-only, importlib-metadata < 3.8 only
    assert not [u for u in graph.unknowns if u.subject == click.id]


def test_archive_install_carries_url_and_hash(graph):
    six = one(graph, "six")
    assert [(h.alg, h.value) for h in six.hashes] == [("sha256", SIX_SHA256)]
    assert six.download_location.startswith("file://") and six.download_location.endswith(SIX_WHEEL)


def test_editable_install(graph):
    demo = one(graph, "demo-editable")
    assert demo.version == "0.3.0"
    assert demo.prop("assay:direct_url.editable") == "true"
    assert {"six", "requests"} <= set(deps(graph, demo))


def test_egg_info_distribution(graph):
    egg = one(graph, "demo-egg")
    assert egg.version == "1.2"
    assert egg.license.expression == "MIT"
    assert egg.supplier == "Egg Author"
    assert egg.prop("assay:dist-info").endswith(".egg-info")
    edges = deps(graph, egg)
    assert set(edges) == {"six", "click"}
    assert edges["six"].prop("requirement") == "six>=1.10"
    assert edges["six"].prop("inferred") is None
    # nobody recorded asking for the 'fancy' extra, but everything it adds (click) is installed:
    # the edge is drawn and says it was inferred, and why
    assert edges["click"].prop("extra") == "fancy"
    assert "every requirement it adds (click)" in edges["click"].prop("inferred")


def test_extras_are_inferred_only_when_all_their_requirements_are_installed(tmp_path):
    env = make_venv("httpx-http2-v1", "httpx[http2]==0.27.0", "h2==4.1.0", "hpack==4.0.0",
                    "hyperframe==6.0.1", "anyio==4.4.0", "certifi==2024.8.30", "httpcore==1.0.5",
                    "idna==3.8", "sniffio==1.3.1", "h11==0.14.0")
    graph = load(env, bundled=False)
    httpx = one(graph, "httpx")
    edges = deps(graph, httpx)
    assert edges["h2"].prop("extra") == "http2"
    assert "inferred" in edges["h2"].prop("inferred")
    # brotli, socksio, zstandard, click, rich... are not installed: those extras stay undrawn
    assert set(edges) == {"anyio", "certifi", "httpcore", "idna", "sniffio", "h2"}
    assert not [u for u in graph.unknowns if u.subject == httpx.id]


def test_root_depends_on_what_was_requested(graph):
    top = {graph.components[r.target].name.lower()
           for r in graph.outgoing(graph.root, RelType.DEPENDS_ON)}
    assert {"requests", "click", "six", "demo-editable"} <= top
    assert "urllib3" not in top
    # every distribution is reachable from the root through DEPENDS_ON
    seen, todo = set(), [graph.root]
    while todo:
        node = todo.pop()
        for r in graph.outgoing(node, RelType.DEPENDS_ON):
            if r.target not in seen:
                seen.add(r.target)
                todo.append(r.target)
    assert {c.id for c in graph.packages([Kind.PYTHON_PACKAGE])} <= seen


def test_ids_are_stable_across_runs(env, graph):
    again = load(env, bundled=False)
    assert sorted(again.components) == sorted(graph.components)


def test_interpreter_target_gives_the_same_distributions(env, graph):
    via_python = load(str(env / "bin" / "python"), bundled=False)
    pkgs = {c.id for c in via_python.packages([Kind.PYTHON_PACKAGE])}
    assert pkgs == {c.id for c in graph.packages([Kind.PYTHON_PACKAGE])}
    assert one(via_python, "cpython").version == f"{sys.version_info.major}.{sys.version_info.minor}." \
        f"{sys.version_info.micro}"


def test_site_packages_target(env, graph):
    site = next(env.glob("lib/python*/site-packages"))
    g = load(str(site), bundled=False)
    assert {c.id for c in g.packages([Kind.PYTHON_PACKAGE])} == \
        {c.id for c in graph.packages([Kind.PYTHON_PACKAGE])}


@pytest.fixture
def broken_env(env, tmp_path):
    dest = tmp_path / "venv"
    shutil.copytree(env, dest, symlinks=True)
    # the copied venv's bin/python still points at the cached venv's prefix via pyvenv.cfg home,
    # so make pyvenv-based sys.path point at the copy: scan its site-packages folder instead.
    return dest


def test_broken_metadata_keeps_the_component_and_names_the_file(broken_env):
    site = next(broken_env.glob("lib/python*/site-packages"))
    md = next(site.glob("idna-*.dist-info")) / "METADATA"
    md.write_text("\x00\x01 garbage without any fields\n")
    (next(site.glob("PySocks-*.dist-info")) / "METADATA").unlink()
    g = load(str(site), bundled=False)
    idna = one(g, "idna")
    assert idna.version  # from the folder name
    reasons = {(u.reason, Path(u.subject).name) for u in g.unknowns}
    assert ("unreadable-metadata", "METADATA") in reasons
    assert any(str(md) == u.subject for u in g.unknowns)
    assert one(g, "pysocks").version == "1.7.1"
    r = subprocess.run([sys.executable, "-m", "assay", "sbom", str(site), "-f", "json", "--no-bundled"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert str(md) in r.stderr


def test_unsatisfied_requirement_is_an_unknown_with_reason(broken_env):
    site = next(broken_env.glob("lib/python*/site-packages"))
    shutil.rmtree(next(site.glob("urllib3-*.dist-info")))
    g = load(str(site), bundled=False)
    requests = one(g, "requests")
    unsat = [u for u in g.unknowns if u.reason == "unsatisfied-requirement" and u.subject == requests.id]
    assert len(unsat) == 1 and "urllib3" in unsat[0].detail


def test_scanning_never_runs_pth_files(broken_env, tmp_path):
    site = next(broken_env.glob("lib/python*/site-packages"))
    marker = tmp_path / "pth-ran"
    (site / "evil.pth").write_text(f"import os; open({str(marker)!r}, 'w').close()\n")
    load(str(broken_env / "bin" / "python"), bundled=False)
    load(str(broken_env), bundled=False)
    assert not marker.exists()


def test_direct_url_json_broken_is_reported_not_fatal(broken_env):
    site = next(broken_env.glob("lib/python*/site-packages"))
    (next(site.glob("six-*.dist-info")) / "direct_url.json").write_text("{not json")
    g = load(str(site), bundled=False)
    assert one(g, "six").version == "1.16.0"
    assert any(u.reason == "unreadable-direct-url" for u in g.unknowns)
    json.dumps([u.subject for u in g.unknowns])
