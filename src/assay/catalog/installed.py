"""Installed distributions of an environment → Graph.

Three input kinds share this reader:

| kind            | TARGET                               | how the target Python is known            |
|-----------------|--------------------------------------|-------------------------------------------|
| ``environment`` | a virtual environment folder         | read from pyvenv.cfg and the folder: never run |
| ``site-packages``| a folder holding .dist-info folders | read from the path and this host          |
| ``interpreter`` | a Python executable the user names (or none: this Python) | asked with ``-I -S`` |

A folder is read, never executed: the venv's ``bin/python`` may be anything. Only an
executable the user names explicitly is run, and then only with ``-I -S`` so no ``.pth`` file
of the environment executes.

Reads .dist-info and .egg-info (folder or file) metadata, RECORD, INSTALLER, REQUESTED,
direct_url.json (PEP 610) and provenance_url.json (PEP 710), all through a
:class:`~assay.sources.directory.DirectoryResolver` per site folder; Requires-Dist becomes
DEPENDS_ON edges (:mod:`assay.catalog.dependencies`). Broken metadata never aborts the scan:
the component keeps what could be read and the problem is an Unknown naming the file. Where
each distribution lives is recorded in an :class:`~assay.sources.layout.InstalledLayout` for
the bundled scan, the integrity check and ``provenance record``.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from assay.catalog.base import SUFFIX, WEAK, Cataloger, Catalogue, Options, Target
from assay.catalog.dependencies import Dist, dependency_edges, hang_from_root
from assay.catalog.installed_cache import SiteMemo, component_from_row, component_row
from assay.errors import InputError
from assay.identity.cpe import python_cpe
from assay.identity.direct_url import download_info, provenance_info
from assay.identity.licenses import resolve_license, with_license
from assay.identity.metadata import CoreMetadata, dist_component, parse_metadata
from assay.identity.purl import canonical_name, generic_purl, pypi_purl
from assay.model import Component, Evidence, Graph, Hash, Kind, License, RelType, make_id
from assay.sources.directory import DirectoryResolver
from assay.sources.interpreter import InterpreterInfo, folder_environment, query, site_environment
from assay.sources.layout import InstalledDist, InstalledLayout

FOUND_BY = "installed"
_DIST_SUFFIXES = (".dist-info", ".egg-info")
_EGG_NAME = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+?)(-py\d[\d.]*)?(-[^-]+)?$")


# -- the three input kinds ----------------------------------------------------------

def _is_venv(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file() or (path / "bin" / "python").exists() \
        or (path / "Scripts" / "python.exe").exists()


class EnvironmentCataloger(Cataloger):
    name = "environment"
    description = "a virtual environment folder (read, never run)"
    installed = True

    def recognise(self, target: Target) -> int:
        return SUFFIX if target.is_dir and _is_venv(target.path) else 0  # type: ignore[arg-type]

    def catalog(self, target: Target, options: Options) -> Catalogue:
        info = folder_environment(target.path)  # type: ignore[arg-type]
        return _catalogue(target, info, "environment", options)


class SitePackagesCataloger(Cataloger):
    name = "site-packages"
    description = "a site-packages folder"
    installed = True

    def recognise(self, target: Target) -> int:
        if not target.is_dir or _is_venv(target.path):  # type: ignore[arg-type]
            return 0
        try:
            with os.scandir(target.path) as it:
                found = any(e.name.endswith(_DIST_SUFFIXES) for e in it)
        except OSError:
            return 0
        return SUFFIX if found else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        info = site_environment(target.path)  # type: ignore[arg-type]
        return _catalogue(target, info, "site-packages", options)


class InterpreterCataloger(Cataloger):
    name = "interpreter"
    description = "a Python executable (asked for its sys.path with -I -S) or, without TARGET, this Python"
    installed = True

    def recognise(self, target: Target) -> int:
        if target.path is None:
            return 100
        if target.is_file and target.executable and target.name.startswith(("python", "pypy")):
            return WEAK + 10
        return 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        info = query(target.path if target.path is not None else sys.executable)
        return _catalogue(target, info, "interpreter", options)


CATALOGERS = (EnvironmentCataloger(), SitePackagesCataloger(), InterpreterCataloger())


# -- reading one distribution ------------------------------------------------------------

@dataclass(slots=True)
class _Found:
    """One distribution read: its Dist and where it lives."""

    dist: Dist
    where: InstalledDist


def _find_meta(resolver: DirectoryResolver) -> list[tuple[str, bool]]:
    """(metadata path relative to the site folder, is a folder) in name order."""
    found: list[tuple[str, bool]] = []
    try:
        entries = sorted(os.scandir(resolver.root), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(_DIST_SUFFIXES):
            found.append((entry.name, entry.is_dir()))
        elif entry.name.endswith(".egg") and entry.is_dir() \
                and os.path.isdir(os.path.join(entry.path, "EGG-INFO")):
            found.append((f"{entry.name}/EGG-INFO", True))
    return found


def _name_version_from_path(meta: str) -> tuple[str, str | None]:
    stem = posixpath.dirname(meta) if meta.endswith("/EGG-INFO") else meta
    stem = posixpath.basename(stem)
    for suffix in (*_DIST_SUFFIXES, ".egg"):
        stem = stem.removesuffix(suffix)
    m = _EGG_NAME.match(stem)
    if not m:
        return stem, None
    return m.group("name"), m.group("version")


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


class _DistReader:
    """Reads one site folder's distributions through its resolver."""

    def __init__(self, resolver: DirectoryResolver, graph: Graph, memo: SiteMemo | None = None) -> None:
        self.r = resolver
        self.graph = graph
        self.site = str(resolver.root)
        self.memo = memo
        # what the distribution being read was read from: path relative to the site folder ->
        # its stat, taken before the content was read (what the memo is checked against)
        self.seen: dict[str, os.stat_result] = {}

    def text(self, rel: str) -> str | None:
        try:
            with self.r.open(rel) as fh:
                self.seen[rel] = os.fstat(fh.fileno())
                return fh.read().decode("utf-8", errors="replace")
        except (OSError, InputError):
            return None

    def names(self, meta: str) -> set[str]:
        """The file names in a metadata folder (one listing instead of a failed open per file)."""
        with contextlib.suppress(OSError, InputError):
            self.seen[meta] = os.stat(self.r.local_path(meta) or "")
        return set(self.r.listdir(meta))

    def shown(self, rel: str) -> str:
        return os.path.join(self.site, *rel.split("/"))

    def direct_url(self, meta: str, present: set[str]) -> tuple[str | None, tuple[Hash, ...],
                                                                 list[tuple[str, str]], list[Evidence]]:
        rel = f"{meta}/direct_url.json"
        text = self.text(rel) if "direct_url.json" in present else None
        if text is None:
            return None, (), [], []
        path = self.shown(rel)
        try:
            info = download_info(json.loads(text))
        except ValueError:
            self.graph.unknown(path, "unreadable-direct-url", "not valid PEP 610 JSON")
            return None, (), [], []
        props = [("assay:direct_url", info.url or ""), *info.properties]
        ev = [Evidence("direct_url", path, info.url or "", "download-location")]
        if info.hashes:
            ev.append(Evidence("direct_url", path, ", ".join(map(str, info.hashes)), "hash"))
        return info.location, info.hashes, props, ev

    def provenance_url(self, meta: str, present: set[str]) -> tuple[str | None, tuple[Hash, ...],
                                                                     list[Evidence]]:
        rel = f"{meta}/provenance_url.json"
        text = self.text(rel) if "provenance_url.json" in present else None
        if text is None:
            return None, (), []
        path = self.shown(rel)
        try:
            info = provenance_info(json.loads(text))
        except ValueError:
            self.graph.unknown(path, "unreadable-provenance-url", "not valid PEP 710 JSON")
            return None, (), []
        ev = [Evidence("provenance_url", path, info.url or "", "download-location")]
        if info.hashes:
            ev.append(Evidence("provenance_url", path, ", ".join(map(str, info.hashes)), "hash"))
        return info.url, info.hashes, ev

    def license_files(self, meta: str, present: set[str]) -> list[str]:
        """The files of a metadata folder that may hold licenses: its root files and everything
        under PEP 639's ``licenses/`` (paths relative to the folder)."""
        names = [n for n in present if n != "licenses"]
        if "licenses" in present:
            base = self.r.local_path(f"{meta}/licenses")
            for dirpath, _dirs, files in os.walk(base):
                rel = "licenses" + dirpath[len(base):].replace(os.sep, "/")  # type: ignore[arg-type]
                with contextlib.suppress(OSError):
                    self.seen[f"{meta}/{rel}"] = os.stat(dirpath)
                names += [f"{rel}/{f}" for f in files]
        return sorted(names)

    def remembered(self, meta: str) -> _Found | None:
        """What an earlier run read from ``meta``, when nothing it was read from has changed."""
        value = self.memo.get(meta) if self.memo is not None else None
        if value is None:
            return None
        try:
            component = component_from_row(value[0])
            dist = Dist(component, requires=[str(r) for r in value[1]],
                        provides_extra={str(e) for e in value[2]})
        except (TypeError, ValueError, IndexError, KeyError):  # a damaged file: read the folder
            return None
        return _Found(dist, InstalledDist(component.id, self.site, meta, True))

    def read(self, meta: str, is_dir: bool) -> _Found:
        if is_dir and (found := self.remembered(meta)) is not None:
            return found
        self.seen = {}
        before = len(self.graph.unknowns)
        found = self._read(meta, is_dir)
        if self.memo is not None and is_dir and found.dist.has_metadata \
                and len(self.graph.unknowns) == before:
            dist = found.dist
            self.memo.put(meta, self.seen, [component_row(dist.component), dist.requires,
                                            sorted(dist.provides_extra)])
        return found

    def _read(self, meta: str, is_dir: bool) -> _Found:
        graph = self.graph
        if meta.endswith(".dist-info"):
            md_rel = f"{meta}/METADATA"
        elif is_dir:
            md_rel = f"{meta}/PKG-INFO"
        else:
            md_rel = meta  # a single-file .egg-info is PKG-INFO itself
        md_path = self.shown(md_rel)
        text = self.text(md_rel)
        md: CoreMetadata | None = None
        if text is None:
            graph.unknown(md_path, "unreadable-metadata", "file missing or unreadable")
        else:
            try:
                md = parse_metadata(text)
            except ValueError as exc:
                graph.unknown(md_path, "unreadable-metadata", str(exc))
        if md is not None and md.version is None:
            graph.unknown(md_path, "unreadable-metadata", "no Version field")

        present = self.names(meta) if is_dir else set()
        location, hashes, props, ev = self.direct_url(meta, present) if is_dir else (None, (), [], [])
        prov_url, prov_hashes, prov_ev = self.provenance_url(meta, present) if is_dir else (None, (), [])
        if prov_url:  # PEP 710 names the archive actually installed
            location = location or prov_url
            merged = {h.alg: h for h in (*prov_hashes, *hashes)}
            hashes = tuple(merged[a] for a in sorted(merged))
            props.append(("assay:provenance_url", prov_url))
            ev += prov_ev
        if is_dir:
            installer = self.text(f"{meta}/INSTALLER") if "INSTALLER" in present else None
            if installer and installer.strip():
                props.append(("assay:installer", installer.strip()))
            if "REQUESTED" in present:
                props.append(("assay:requested", "true"))
            if "RECORD" in present:
                props.append(("assay:record", self.shown(f"{meta}/RECORD")))
        props += [("assay:dist-info", self.shown(meta)), ("assay:site-packages", self.site)]

        if md is not None:
            component = dist_component(md, location=md_path, found_by=FOUND_BY, hashes=hashes,
                                       download_location=location, properties=tuple(props),
                                       evidence=tuple(ev))
            if is_dir:
                stats: dict[str, os.stat_result] = {}

                def read_file(name: str, meta: str = meta) -> bytes | None:
                    try:
                        with self.r.open(f"{meta}/{name}") as fh:
                            stats[name] = self.seen[f"{meta}/{name}"] = os.fstat(fh.fileno())
                            return fh.read()
                    except (OSError, InputError):
                        return None

                component = with_license(component, resolve_license(
                    md.license_fields, read_file, self.license_files(meta, present),
                    where=self.shown(meta) + "/", file_stat=stats.get))
        else:  # keep what the folder name tells
            name, version = _name_version_from_path(meta)
            component = Component(
                id=make_id(Kind.PYTHON_PACKAGE, canonical_name(name), version),
                kind=Kind.PYTHON_PACKAGE, name=name, version=version,
                purl=pypi_purl(name, version), hashes=hashes, download_location=location,
                evidence=(Evidence("file-name", self.shown(meta), "name and version from folder name",
                                   "version"), *ev),
                found_by=FOUND_BY, properties=tuple(sorted(props)))
        dist = Dist(component, has_metadata=md is not None)
        if md is not None:
            dist.requires = list(md.requires_dist)
            dist.provides_extra = {canonical_name(e) for e in md.provides_extra}
        if not meta.endswith(".dist-info") and is_dir:
            req_text = self.text(f"{meta}/requires.txt") if "requires.txt" in present else None
            if req_text:
                dist.requires = _egg_requires(req_text)
                dist.provides_extra |= {canonical_name(r.split(";")[1].split('"')[1])
                                        for r in dist.requires if 'extra == "' in r}
        return _Found(dist, InstalledDist(component.id, self.site, meta, is_dir))


# -- the graph -------------------------------------------------------------------------

def _interpreter_component(info: InterpreterInfo, target: Target) -> Component:
    if info.executable and info.how == "ran":
        evidence = Evidence("interpreter", info.executable,
                            f"platform.python_version() = {info.version}", "version")
    else:
        evidence = Evidence(info.version_source or "path", info.version_location or str(target.path),
                            f"version {info.version}", "version")
    return Component(
        id=make_id(Kind.INTERPRETER, "cpython", info.version),
        kind=Kind.INTERPRETER, name="cpython", version=info.version,
        purl=generic_purl("cpython", info.version), cpes=(python_cpe(info.version),),
        license=License("PSF-2.0", None, "known"), supplier="Python Software Foundation",
        homepage="https://www.python.org/", download_location="https://www.python.org/downloads/",
        evidence=(evidence,), found_by=FOUND_BY,
        properties=(("assay:base_prefix", info.base_prefix),) if info.base_prefix else ())


def _catalogue(target: Target, info: InterpreterInfo, kind: str, options: Options) -> Catalogue:
    graph = Graph()
    shown_target = target.given if target.given is not None else (info.executable or "")
    graph.metadata.update({
        "target": shown_target, "target_kind": info.how_label(kind), "python_version": info.version,
        "implementation": info.implementation, "sys_platform": info.markers.get("sys_platform", ""),
        "platform_machine": info.markers.get("platform_machine", ""),
    })
    if info.executable:
        graph.metadata["interpreter"] = info.executable

    interp = _interpreter_component(info, target) if info.implementation == "cpython" else None
    if kind == "interpreter" and interp is not None:
        # an interpreter's inventory is rooted at the interpreter itself
        root = interp
        graph.add(root)
    else:
        root_name = Path(info.prefix).name if kind != "site-packages" else Path(target.path or "").name
        root = Component(
            id=make_id(Kind.ENVIRONMENT, root_name or "environment", None, info.prefix),
            kind=Kind.ENVIRONMENT, name=root_name or "environment", version=None,
            description=f"Python {info.version} environment at {info.prefix}",
            evidence=(Evidence("interpreter", info.executable or info.version_location or shown_target,
                               f"sys.path of {info.implementation} {info.version}", "presence"),),
            found_by=FOUND_BY, properties=(("assay:prefix", info.prefix),))
        graph.add(root)
        if interp is not None:
            graph.add(interp)
            graph.relate(root.id, interp.id, RelType.DEPENDS_ON)
    graph.root = root.id

    layout = InstalledLayout(prefix=info.prefix, base_prefix=info.base_prefix or None)
    dists: dict[str, Dist] = {}
    found_meta: dict[str, str] = {}
    for site_dir in info.search_path():
        resolver = layout.resolver(site_dir)
        if resolver is None:
            continue
        layout.site_dirs.append(site_dir)
        memo = SiteMemo(str(resolver.root))
        reader = _DistReader(resolver, graph, memo if memo.enabled else None)
        for meta, is_dir in _find_meta(resolver):
            found = reader.read(meta, is_dir)
            key = canonical_name(found.dist.component.name)
            if key in dists:  # shadowed: the first on sys.path is the one imported
                graph.unknown(reader.shown(meta), "shadowed-distribution",
                              f"{found.dist.component.name} {found.dist.component.version} is hidden by "
                              f"{found_meta[key]}")
                continue
            dists[key] = found.dist
            found_meta[key] = reader.shown(meta)
            layout.dists[found.dist.component.id] = found.where
        memo.flush()
    for dist in dists.values():
        graph.add(dist.component)
        graph.relate(root.id, dist.component.id, RelType.CONTAINS)
    dependency_edges(graph, dists, info.markers, infer_extras=True)
    hang_from_root(graph, root.id, dists)

    catalogue = Catalogue(graph, kind, layout)
    if info.note:
        catalogue.notes.append(info.note)
    if options.bundled:
        from assay.enrich.bundled import enrich_installed

        enrich_installed(graph, layout)
    if options.bundled and interp is not None:
        # the native libraries the interpreter embeds and loads (its dynamic-linker closure)
        from assay.enrich.interpreter import enrich_interpreter

        named = str(target.path) if target.path is not None else info.executable
        catalogue.notes += enrich_interpreter(graph, interp.id, info, kind, named)
    return catalogue


__all__ = ["CATALOGERS", "EnvironmentCataloger", "InterpreterCataloger", "SitePackagesCataloger"]
