"""Installed distributions of an environment → Graph.

TARGET is a virtual environment, a Python executable (queried in a subprocess,
see :mod:`assay.sources.interpreter`) or a bare site-packages folder. Reads
.dist-info and .egg-info (folder or file) metadata, RECORD, INSTALLER,
REQUESTED, direct_url.json (PEP 610) and provenance_url.json (PEP 710);
Requires-Dist becomes DEPENDS_ON edges with markers evaluated against the
*target* interpreter and extras followed from the requesting side.

Broken metadata never aborts the scan: the component keeps what could be read
and the problem is recorded as an Unknown naming the file.
"""

from __future__ import annotations

import json
import os
import re
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from assay.catalog.metadata import CoreMetadata, dist_component, parse_metadata, pypi_purl
from assay.errors import InputError
from assay.licenses import LicenseResult, fields_from_metadata, resolve_license
from assay.model import Component, Evidence, Graph, Hash, Kind, License, RelType, make_id
from assay.sources.interpreter import InterpreterInfo, assumed_environment, query, venv_python

FOUND_BY = "installed"


@dataclass(slots=True)
class Dist:
    """A distribution found on disk, before it becomes a Component."""

    meta_path: Path  # the .dist-info / .egg-info folder (or .egg-info file)
    site_dir: Path
    component: Component
    metadata: CoreMetadata | None
    requires: list[str] = field(default_factory=list)
    provides_extra: set[str] = field(default_factory=set)


# -- discovery ---------------------------------------------------------------
_DIST_SUFFIXES = (".dist-info", ".egg-info")


def _find_meta_dirs(site_dir: Path) -> list[Path]:
    found = []
    try:
        entries = sorted(os.scandir(site_dir), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(_DIST_SUFFIXES):
            found.append(Path(entry.path))
        elif entry.name.endswith(".egg") and entry.is_dir():
            egg_info = Path(entry.path) / "EGG-INFO"
            if egg_info.is_dir():
                found.append(egg_info)
    return found


_EGG_NAME = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+?)(-py\d[\d.]*)?(-[^-]+)?$")


def _name_version_from_path(meta_path: Path) -> tuple[str, str | None]:
    stem = meta_path.parent.name if meta_path.name == "EGG-INFO" else meta_path.name
    for suffix in (*_DIST_SUFFIXES, ".egg"):
        stem = stem.removesuffix(suffix)
    m = _EGG_NAME.match(stem)
    if not m:
        return stem, None
    return m.group("name"), m.group("version")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


# -- egg-info requires.txt ----------------------------------------------------
def _egg_requires(text: str) -> list[str]:
    """requires.txt sections ``[extra]``, ``[:marker]``, ``[extra:marker]`` → Requires-Dist strings."""
    out: list[str] = []
    extra, marker = "", ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            extra, _, marker = line[1:-1].partition(":")
            extra, marker = extra.strip(), marker.strip()
            continue
        conditions = []
        if marker:
            conditions.append(f"({marker})")
        if extra:
            conditions.append(f'extra == "{extra}"')
        out.append(f"{line}; {' and '.join(conditions)}" if conditions else line)
    return out


# -- provenance ---------------------------------------------------------------
def _hashes_from(mapping: dict[str, str] | None, single: str | None = None) -> tuple[Hash, ...]:
    hashes = {}
    for alg, value in (mapping or {}).items():
        hashes[alg.lower().replace("-", "")] = value.lower()
    if single and "=" in single:
        alg, value = single.split("=", 1)
        hashes.setdefault(alg.lower().replace("-", ""), value.lower())
    return tuple(Hash(a, v) for a, v in sorted(hashes.items()))


def _direct_url(meta_path: Path, graph: Graph) -> tuple[
        str | None, tuple[Hash, ...], list[tuple[str, str]], list[Evidence]]:
    """PEP 610 direct_url.json → (download location, hashes, properties, evidence)."""
    path = meta_path / "direct_url.json"
    text = _read(path) if meta_path.is_dir() else None
    if text is None:
        return None, (), [], []
    try:
        data = json.loads(text)
        url = data["url"]
    except (ValueError, KeyError, TypeError):
        graph.unknown(str(path), "unreadable-direct-url", "not valid PEP 610 JSON")
        return None, (), [], []
    props = [("assay:direct_url", url)]
    ev = [Evidence("direct_url", str(path), url, "download-location")]
    location: str | None = url
    hashes: tuple[Hash, ...] = ()
    if isinstance(data.get("vcs_info"), dict):
        vcs = data["vcs_info"]
        commit = vcs.get("commit_id", "")
        props += [("assay:direct_url.vcs", vcs.get("vcs", "")), ("assay:direct_url.commit_id", commit)]
        if vcs.get("requested_revision"):
            props.append(("assay:direct_url.requested_revision", vcs["requested_revision"]))
        location = f"{vcs.get('vcs', 'git')}+{url}@{commit}" if commit else url
    elif isinstance(data.get("archive_info"), dict):
        info = data["archive_info"]
        hashes = _hashes_from(info.get("hashes"), info.get("hash"))
        if hashes:
            ev.append(Evidence("direct_url", str(path), ", ".join(map(str, hashes)), "hash"))
    elif isinstance(data.get("dir_info"), dict):
        editable = bool(data["dir_info"].get("editable"))
        props.append(("assay:direct_url.editable", "true" if editable else "false"))
    return location, hashes, props, ev


def _provenance_url(meta_path: Path, graph: Graph) -> tuple[str | None, tuple[Hash, ...], list[Evidence]]:
    """PEP 710 provenance_url.json → (archive URL, archive hashes, evidence)."""
    path = meta_path / "provenance_url.json"
    text = _read(path) if meta_path.is_dir() else None
    if text is None:
        return None, (), []
    try:
        data = json.loads(text)
        url = data["url"]
        hashes = _hashes_from((data.get("archive_info") or {}).get("hashes"))
    except (ValueError, KeyError, TypeError, AttributeError):
        graph.unknown(str(path), "unreadable-provenance-url", "not valid PEP 710 JSON")
        return None, (), []
    ev = [Evidence("provenance_url", str(path), url, "download-location")]
    if hashes:
        ev.append(Evidence("provenance_url", str(path), ", ".join(map(str, hashes)), "hash"))
    return url, hashes, ev


# -- one distribution -----------------------------------------------------------
def _license_from_files(meta_path: Path, metadata_text: str) -> LicenseResult:
    """Metadata fields and the license files of a dist-info (assay.licenses decides)."""
    names: list[str] = []
    if meta_path.is_dir():
        names = [p.name for p in meta_path.iterdir() if p.is_file()]
        folder = meta_path / "licenses"
        if folder.is_dir():
            names += [p.relative_to(meta_path).as_posix() for p in folder.rglob("*") if p.is_file()]

    def read(name: str) -> bytes | None:
        try:
            return (meta_path / name).read_bytes()
        except OSError:
            return None

    return resolve_license(fields_from_metadata(metadata_text), read, names, where=f"{meta_path}/")


def _read_dist(meta_path: Path, site_dir: Path, graph: Graph) -> Dist:
    is_dir = meta_path.is_dir()
    if meta_path.name.endswith(".dist-info"):
        md_file = meta_path / "METADATA"
    elif is_dir:
        md_file = meta_path / "PKG-INFO"
    else:
        md_file = meta_path  # a single-file .egg-info is PKG-INFO itself
    text = _read(md_file)
    md: CoreMetadata | None = None
    if text is None:
        graph.unknown(str(md_file), "unreadable-metadata", "file missing or unreadable")
    else:
        try:
            md = parse_metadata(text)
        except ValueError as exc:
            graph.unknown(str(md_file), "unreadable-metadata", str(exc))
    if md is not None and md.version is None:
        graph.unknown(str(md_file), "unreadable-metadata", "no Version field")

    location, hashes, props, ev = _direct_url(meta_path, graph)
    prov_url, prov_hashes, prov_ev = _provenance_url(meta_path, graph)
    if prov_url:  # PEP 710 names the archive actually installed
        location = location or prov_url
        merged = {h.alg: h for h in (*prov_hashes, *hashes)}
        hashes = tuple(merged[a] for a in sorted(merged))
        props.append(("assay:provenance_url", prov_url))
        ev += prov_ev
    if is_dir:
        installer = _read(meta_path / "INSTALLER")
        if installer and installer.strip():
            props.append(("assay:installer", installer.strip()))
        if (meta_path / "REQUESTED").exists():
            props.append(("assay:requested", "true"))
        if (meta_path / "RECORD").exists():
            props.append(("assay:record", str(meta_path / "RECORD")))
    props += [("assay:dist-info", str(meta_path)), ("assay:site-packages", str(site_dir))]

    if md is not None:
        component = dist_component(md, location=str(md_file), found_by=FOUND_BY, hashes=hashes,
                                   download_location=location, properties=tuple(props),
                                   evidence=tuple(ev))
        lic = _license_from_files(meta_path, text or "")
        if lic.license is not None:
            warnings = tuple(("assay:license.warning", w) for w in lic.warnings)
            component = replace(component, license=lic.license, evidence=component.evidence
                                + lic.evidence, properties=tuple(sorted(component.properties + warnings)))
    else:  # keep what the folder name tells
        name, version = _name_version_from_path(meta_path)
        component = Component(
            id=make_id(Kind.PYTHON_PACKAGE, canonicalize_name(name), version),
            kind=Kind.PYTHON_PACKAGE, name=name, version=version,
            purl=pypi_purl(name, version), hashes=hashes, download_location=location,
            evidence=(Evidence("file-name", str(meta_path), "name and version from folder name",
                               "version"), *ev),
            found_by=FOUND_BY, properties=tuple(sorted(props)))
    dist = Dist(meta_path, site_dir, component, md)
    if md is not None:
        dist.requires = list(md.requires_dist)
        dist.provides_extra = {canonicalize_name(e) for e in md.provides_extra}
    if not meta_path.name.endswith(".dist-info") and is_dir:
        req_text = _read(meta_path / "requires.txt")
        if req_text:
            dist.requires = _egg_requires(req_text)
            dist.provides_extra |= {canonicalize_name(r.split(";")[1].split('"')[1])
                                    for r in dist.requires if 'extra == "' in r}
    return dist


# -- the graph -------------------------------------------------------------------
def _resolve_target(target: str | os.PathLike[str], kind: str) -> tuple[InterpreterInfo, list[Path], str]:
    path = Path(target)
    if kind == "interpreter":
        info = query(path)
        return info, [Path(p) for p in info.search_path()], "interpreter"
    if kind == "environment":
        py = venv_python(path)
        if py is not None:
            try:
                info = query(py)
                return info, [Path(p) for p in info.search_path()], "venv"
            except InputError:
                pass
        sites = sorted(path.glob("lib/python*/site-packages")) + sorted(path.glob("Lib/site-packages"))
        if not sites:
            raise InputError(f"{path}: virtual environment has no site-packages folder")
        return assumed_environment(sites[0]), sites, "venv (interpreter not runnable)"
    if kind == "site-packages":
        return assumed_environment(path), [path], "site-packages"
    raise InputError(f"{path}: not an environment")


def catalog_environment(target: str | os.PathLike[str], *, kind: str = "environment") -> Graph:
    info, search_path, how = _resolve_target(target, kind)
    graph = Graph()
    graph.metadata.update({
        "target": str(target), "target_kind": how, "python_version": info.version,
        "implementation": info.implementation, "sys_platform": info.markers.get("sys_platform", ""),
        "platform_machine": info.markers.get("platform_machine", ""),
    })
    if info.executable:
        graph.metadata["interpreter"] = info.executable

    root_name = Path(info.prefix).name if kind != "site-packages" else Path(target).name
    root = Component(
        id=make_id(Kind.ENVIRONMENT, root_name or "environment", None, info.prefix),
        kind=Kind.ENVIRONMENT, name=root_name or "environment", version=None,
        description=f"Python {info.version} environment at {info.prefix}",
        evidence=(Evidence("interpreter", info.executable or str(target),
                           f"sys.path of {info.implementation} {info.version}", "presence"),),
        found_by=FOUND_BY, properties=(("assay:prefix", info.prefix),))
    graph.add(root)
    graph.root = root.id
    if info.implementation == "cpython":
        interp = Component(
            id=make_id(Kind.INTERPRETER, "cpython", info.version),
            kind=Kind.INTERPRETER, name="cpython", version=info.version,
            purl=f"pkg:generic/cpython@{info.version}",
            cpes=(f"cpe:2.3:a:python:python:{info.version}:*:*:*:*:*:*:*",),
            license=License("PSF-2.0", None, "known"), supplier="Python Software Foundation",
            homepage="https://www.python.org/", download_location="https://www.python.org/downloads/",
            evidence=(Evidence("interpreter", info.executable or str(target),
                               f"platform.python_version() = {info.version}", "version"),)
            if info.executable else (Evidence("path", str(target), "version from folder name", "version"),),
            found_by=FOUND_BY, properties=(("assay:base_prefix", info.base_prefix),))
        graph.add(interp)
        graph.relate(root.id, interp.id, RelType.DEPENDS_ON)

    dists: dict[str, Dist] = {}
    for site_dir in search_path:
        for meta_path in _find_meta_dirs(site_dir):
            dist = _read_dist(meta_path, site_dir, graph)
            key = canonicalize_name(dist.component.name)
            if key in dists:  # shadowed: the first on sys.path is the one imported
                graph.unknown(str(meta_path), "shadowed-distribution",
                              f"{dist.component.name} {dist.component.version} is hidden by "
                              f"{dists[key].meta_path}")
                continue
            dists[key] = dist
    for dist in dists.values():
        graph.add(dist.component)
        graph.relate(root.id, dist.component.id, RelType.CONTAINS)
    dependency_edges(graph, dists, info.markers)
    # The root depends on what was asked for (REQUESTED) and on what nothing else requires,
    # so every distribution is reachable from the root.
    required = {r.target for r in graph.relationships if r.type == RelType.DEPENDS_ON}
    for dist in dists.values():
        if dist.component.prop("assay:requested") == "true" or dist.component.id not in required:
            graph.relate(root.id, dist.component.id, RelType.DEPENDS_ON)
    return graph


def dependency_edges(graph: Graph, dists: dict[str, Dist], markers: dict[str, str],
                     requested_extras: dict[str, set[str]] | None = None) -> None:
    """Requires-Dist → DEPENDS_ON, following extras from the requesting side to a fixpoint.

    ``requested_extras`` adds extras asked for from outside (a user's
    ``pip install pkg[extra]``, as pip's report records), keyed by canonical name.
    """
    parsed: dict[str, list[Requirement]] = {}
    for key, dist in dists.items():
        reqs = []
        for text in dist.requires:
            try:
                reqs.append(Requirement(text))
            except InvalidRequirement as exc:
                graph.unknown(dist.component.id, "invalid-requirement", f"{text!r}: {exc}")
        parsed[key] = reqs

    base_env = dict(markers)
    marker_cache: dict[tuple[Marker, str], bool] = {}

    def active(marker: Marker | None, extra: str) -> bool:
        if marker is None:
            return extra == ""
        k = (marker, extra)
        if k not in marker_cache:
            try:
                result = marker.evaluate({**base_env, "extra": extra})
                if extra:  # only what the extra adds, not the base requirements again
                    result = result and not marker.evaluate({**base_env, "extra": ""})
            except Exception:  # undefined marker variables in broken metadata
                result = False
            marker_cache[k] = result
        return marker_cache[k]

    done: set[tuple[str, str]] = set()
    queue = deque((key, "") for key in dists)
    for key, extras in (requested_extras or {}).items():
        if key in dists:
            queue.extend((key, canonicalize_name(e)) for e in extras)
    while queue:
        key, extra = queue.popleft()
        if (key, extra) in done:
            continue
        done.add((key, extra))
        dist = dists[key]
        if extra and extra not in dist.provides_extra and dist.metadata is not None:
            graph.unknown(dist.component.id, "unknown-extra",
                          f"{dist.component.name} has no extra {extra!r}")
            continue
        for req in parsed[key]:
            if not active(req.marker, extra):
                continue
            target = dists.get(canonicalize_name(req.name))
            via = f"{dist.component.name}[{extra}]" if extra else dist.component.name
            if target is None:
                graph.unknown(dist.component.id, "unsatisfied-requirement",
                              f"{req} (required by {via}) is not installed")
                continue
            props = {"requirement": str(req)}
            if extra:
                props["extra"] = extra
            graph.relate(dist.component.id, target.component.id, RelType.DEPENDS_ON, **props)
            version = target.component.version
            if req.specifier and version:
                try:
                    ok = req.specifier.contains(Version(version), prereleases=True)
                except InvalidVersion:
                    ok = True
                if not ok:
                    graph.unknown(dist.component.id, "version-conflict",
                                  f"{via} requires {req}, but {target.component.name} {version} "
                                  "is installed")
            for wanted in req.extras:
                queue.append((canonicalize_name(req.name), canonicalize_name(wanted)))
