"""An installed interpreter's native libraries, on the interpreters of this machine: the one
running the tests and Debian's /usr/bin/python3.X. Ground truth comes from elsewhere: the
system loader (``ldd``, which asks ld.so), ``ldconfig -p``, ``dpkg-query``, and version strings
read here from the libraries' own bytes."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assay import catalog
from assay.enrich.interpreter.ldcache import LdCache
from assay.enrich.interpreter.loader import closure
from assay.enrich.interpreter.pkgdb import debian_upstream
from assay.formats import render
from assay.model import Kind, RelType

from ..formats.validators import cyclonedx_errors, spdx_errors

DEBIAN = sorted(p for p in glob.glob("/usr/bin/python3.[0-9]*") if re.fullmatch(r".*/python3\.\d+", p))


def _debian() -> str:
    if not DEBIAN or not shutil.which("dpkg-query"):
        pytest.skip("no Debian-packaged /usr/bin/python3.X here (.ci/run installs python3)")
    return DEBIAN[-1]


def _dynload(exe: str) -> list[str]:
    out = subprocess.run([exe, "-I", "-S", "-c", "import sys, json; print(json.dumps(sys.path))"],
                         capture_output=True, text=True, check=True).stdout
    dirs = [p for p in json.loads(out) if p.endswith("lib-dynload")]
    return sorted(f for d in dirs for f in glob.glob(os.path.join(d, "*.so")))


def _ldd(path: str) -> set[str]:
    """What the system loader resolves for ``path`` (real paths, vdso excluded)."""
    out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
    found = set()
    for line in out.splitlines():
        m = re.search(r"=>\s*(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if m:
            found.add(os.path.realpath(m.group(1)))
    return found


def _dpkg_upstream(path: str) -> str | None:
    """The upstream version of the package that ships ``path``, asked of dpkg-query."""
    for p in dict.fromkeys((path, os.path.realpath(path))):
        for cand in (p, p[4:] if p.startswith("/usr/") else "/usr" + p):
            proc = subprocess.run(["dpkg-query", "-S", cand], capture_output=True, text=True)
            if proc.returncode == 0:
                pkg = proc.stdout.split(":", 1)[0].split(",")[0].strip()
                ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True,
                                     text=True).stdout.strip()
                return re.sub(r"[.+~](dfsg|ds)\d*$", "", re.sub(r"-[^-]*$", "", re.sub(r"^\d+:", "", ver)))
    return None


def _bytes_version(path: str, rx: bytes) -> str | None:
    m = re.search(rx, Path(path).read_bytes())
    return m.group(1).decode() if m else None


def _libs(graph) -> dict[str, list]:
    """real path -> the native-library components whose assay:path names it."""
    out: dict[str, list] = {}
    for c in graph.packages(["native-library"]):
        for p in (c.prop("assay:path") or "").split(", "):
            if p:
                out.setdefault(p, []).append(c)
    return out


# -- the loader's pieces ----------------------------------------------------------------

def test_ld_so_cache_agrees_with_ldconfig() -> None:
    if not os.path.isfile("/etc/ld.so.cache") or not shutil.which("ldconfig"):
        pytest.skip("no ld.so.cache / ldconfig here")
    cache = LdCache.load("x86_64" if os.uname().machine == "x86_64" else os.uname().machine)
    listed = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    want = {}
    for m in re.finditer(r"^\s*(\S+) \(libc6,x86-64\) => (\S+)$", listed, re.M):
        want.setdefault(m.group(1), m.group(2))
    assert want, "ldconfig -p listed nothing for this architecture"
    assert {k: cache.lookup(k) for k in want} == want


def test_debian_version_split() -> None:
    assert debian_upstream("1:1.2.13.dfsg-1") == "1.2.13"
    assert debian_upstream("3.0.19-1~deb12u2") == "3.0.19"
    assert debian_upstream("8.6.13+dfsg-2") == "8.6.13"
    assert debian_upstream("1.0.9-2+b6") == "1.0.9"
    assert debian_upstream("2:1.8.4-2+deb12u2") == "1.8.4"
    assert debian_upstream("5.3.28+dfsg2-1") == "5.3.28"


@pytest.mark.parametrize("which", ["debian", "running"])
def test_closure_is_what_the_loader_loads(which: str) -> None:
    exe = _debian() if which == "debian" else os.path.realpath(sys.executable)
    modules = _dynload(exe)
    truth = _ldd(exe)
    for mod in modules:
        truth |= _ldd(mod)
    cl = closure(exe, modules)
    ours = {o.real for o in cl.objects.values() if o.how != "root"}
    assert ours == truth - {os.path.realpath(exe), *map(os.path.realpath, modules)}
    assert not cl.unresolved


# -- the Debian interpreter ---------------------------------------------------------------

@pytest.fixture(scope="module")
def debian_sbom() -> tuple[str, dict]:
    exe = _debian()
    proc = subprocess.run([sys.executable, "-m", "assay", "sbom", exe, "-f", "cyclonedx-json"],
                          capture_output=True, text=True)
    assert proc.returncode in (0, 3), proc.stderr
    return exe, json.loads(proc.stdout)


def test_debian_interpreter_lists_what_it_loads(debian_sbom) -> None:
    exe, doc = debian_sbom
    assert cyclonedx_errors(json.dumps(doc)) is None
    modules = _dynload(exe)
    truth = _ldd(exe)
    for mod in modules:
        truth |= _ldd(mod)
    g = catalog.load(exe)
    by_path = _libs(g)
    listed = [p for p in truth if p in by_path]
    exact = [p for p in listed if all(c.version == _dpkg_upstream(p) for c in by_path[p])
             if _dpkg_upstream(p) is not None]
    coverage = len(exact) / len(truth)
    print(f"\n{exe}: {len(truth)} libraries loaded, {len(listed)} listed, {len(exact)} with the exact "
          f"upstream version dpkg-query gives ({coverage:.0%})")
    assert coverage >= 0.9
    # no wrong version anywhere: every listed library agrees with dpkg-query
    for p in listed:
        want = _dpkg_upstream(p)
        for c in by_path[p]:
            assert c.version == want, (p, c.name, c.version, want)
            assert c.purl and c.purl.startswith("pkg:deb/"), c.purl
    # the bytes say the same for the libraries advisories are about
    for soname, name, rx in (("libcrypto.so", "openssl", rb"OpenSSL (3\.\d+\.\d+[a-z]?) "),
                             ("libexpat.so", "expat", rb"expat_(\d+\.\d+\.\d+)"),
                             ("libsqlite3.so", "sqlite", rb"\x00(3\.\d+\.\d+)\x00"),
                             ("libz.so", "zlib", rb"inflate (\d+\.\d+\.\d+) Copyright")):
        path = next((p for p in truth if os.path.basename(p).startswith(soname)), None)
        if path is None:
            continue
        comps = [c for c in by_path[path] if c.name == name]
        assert comps and comps[0].version == _bytes_version(path, rx), (name, path)
        assert comps[0].cpes, name
    # the interpreter reached its libraries by DYNAMIC_LINK; embedded copies are CONTAINed
    root = g.root_component
    assert root is not None and root.kind is Kind.INTERPRETER
    linked = {r.target for r in g.outgoing(root.id, RelType.DYNAMIC_LINK)}
    ssl = [c for c in g.packages(["native-library"]) if c.name == "openssl"
           and "libssl" in (c.prop("assay:path") or "")]
    assert ssl and (ssl[0].id in linked or any(r.target == ssl[0].id for r in g.relationships))


def test_runtime_versions_are_asked_of_the_named_interpreter(debian_sbom) -> None:
    exe, _doc = debian_sbom
    g = catalog.load(exe)
    asked = {c.name: e for c in g.packages(["native-library"]) for e in c.evidence if e.kind == "interpreter"}
    assert "_ssl.OPENSSL_VERSION" in asked["openssl"].detail
    assert "_sqlite3.sqlite_version" in asked["sqlite"].detail
    assert "pyexpat.EXPAT_VERSION" in asked["expat"].detail


def test_venv_folder_is_read_not_run(tmp_path: Path) -> None:
    exe = _debian()
    env = tmp_path / "env"
    subprocess.run([exe, "-m", "venv", "--without-pip", str(env)], check=True, capture_output=True)
    result = catalog.run(env)
    assert result.kind == "environment"
    g = result.graph
    natives = {c.name: c for c in g.packages(["native-library"])}
    assert natives["openssl"].version and natives["sqlite"].version
    # nothing was asked: no evidence from running an interpreter
    assert not any(e.kind == "interpreter" for c in natives.values() for e in c.evidence)


# -- the interpreter running the tests -------------------------------------------------------

def test_running_interpreter_embedded_and_system_copies(tmp_path: Path) -> None:
    exe = os.path.realpath(sys.executable)
    g = catalog.load(exe)
    modules = _dynload(exe)
    pyexpat = next((m for m in modules if os.path.basename(m).startswith("pyexpat")), None)
    embedded = [c for c in g.packages(["native-library"]) if c.name == "expat"
                and c.prop("assay:linkage") == "static"]
    if pyexpat is not None and not any("libexpat" in p for p in _ldd(pyexpat)):
        want = _bytes_version(pyexpat, rb"expat_(\d+\.\d+\.\d+)\x00")
        assert embedded and embedded[0].version == want
        assert embedded[0].prop("assay:path") == os.path.realpath(pyexpat)
        root = g.root_component
        assert any(r.target == embedded[0].id for r in g.outgoing(root.id, RelType.CONTAINS))
    system = [c for c in g.packages(["native-library"]) if c.name == "expat"
              and c.prop("assay:linkage") == "dynamic"]
    loads_libexpat = any("libexpat" in os.path.basename(p) for m in [exe, *modules] for p in _ldd(m))
    assert bool(system) == loads_libexpat
    if embedded and system:
        assert {c.id for c in embedded}.isdisjoint({c.id for c in system})  # both copies listed
    text = render("sbom", "spdx-json", g)
    assert spdx_errors(text, tmp_path) == []
