"""Wheels, sdists and plain folders → a Graph rooted at the distribution (or the folder).

Three input kinds (``wheel``, ``sdist``, ``folder``) share this reader.

The root is the distribution described by the wheel's ``.dist-info/METADATA`` or the
sdist's ``PKG-INFO`` (with the file's sha256), or, for a folder, an application
named after it. With ``bundled`` the contents are classified
(:mod:`assay.enrich.bundled`): native libraries, vendored projects, JS libraries and
PEP 770 SBOMs, each CONTAINed by the root.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from assay.catalog.base import SUFFIX, WEAK, Cataloger, Catalogue, Options, Target
from assay.errors import InputError
from assay.model import Component, Evidence, Graph, Hash, Kind, make_id
from assay.sources.base import Resolver

SDIST_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip")


class WheelCataloger(Cataloger):
    name = "wheel"
    description = "a wheel (.whl)"

    def recognise(self, target: Target) -> int:
        return SUFFIX if target.is_file and target.name.endswith(".whl") else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return Catalogue(catalog_artifact(target.path, bundled=options.bundled), self.name)


class SdistCataloger(Cataloger):
    name = "sdist"
    description = "a source distribution (.tar.gz, .zip)"

    def recognise(self, target: Target) -> int:
        return SUFFIX if target.is_file and target.name.endswith(SDIST_SUFFIXES) else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return Catalogue(catalog_artifact(target.path, bundled=options.bundled), self.name)


class FolderCataloger(Cataloger):
    name = "folder"
    description = "a folder (a project or an unpacked distribution)"

    def recognise(self, target: Target) -> int:
        return WEAK if target.is_dir else 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return Catalogue(catalog_artifact(target.path, bundled=options.bundled), self.name)


CATALOGERS = (WheelCataloger(), SdistCataloger(), FolderCataloger())

_WHEEL_META = re.compile(r"^[^/]+\.dist-info/METADATA$")
_SDIST_META = re.compile(r"^(?:[^/]+/)?PKG-INFO$")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _metadata_path(resolver: Resolver, kind: str) -> str | None:
    rx = _WHEEL_META if kind == "wheel" else _SDIST_META
    found = sorted((f for f in resolver.files() if rx.match(f)), key=lambda f: (f.count("/"), f))
    return found[0] if found else None


def catalog_artifact(path: Path | str, *, bundled: bool = True) -> Graph:
    """The inventory of a wheel, an sdist or a folder."""
    from assay.sources.archive import open_archive
    from assay.sources.directory import DirectoryResolver

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    graph = Graph(metadata={"target": str(path)})
    if path.is_dir():
        resolver: Resolver = DirectoryResolver(path)
        graph.metadata["target-kind"] = "folder"
        root = Component(id=make_id(Kind.APPLICATION, path.resolve().name or str(path), None, str(path)),
                         kind=Kind.APPLICATION, name=path.resolve().name or str(path),
                         evidence=(Evidence("folder", str(path), "scanned folder", "presence"),),
                         found_by="artifact", properties=(("assay:path", str(path)),))
    else:
        kind = "wheel" if path.name.lower().endswith(".whl") else "sdist"
        graph.metadata["target-kind"] = kind
        resolver = open_archive(path)
        root = _dist_root(resolver, path, kind)
    graph.add(root)
    graph.root = root.id
    try:
        if bundled:
            from assay.enrich.bundled import scan_tree

            scan_tree(resolver, graph, root.id, sources=graph.metadata["target-kind"] != "wheel")
    finally:
        resolver.close()
    return graph


def _dist_root(resolver: Resolver, path: Path, kind: str) -> Component:
    from assay.identity.metadata import dist_component, parse_metadata

    digest = Hash("sha256", _sha256(path))
    meta = _metadata_path(resolver, kind)
    props = (("assay:artifact", path.name), ("assay:artifact-kind", kind))
    if meta is not None:
        try:
            md = parse_metadata(resolver.read_text(meta))
        except ValueError as exc:
            raise InputError(f"{path}: unreadable {meta} ({exc})") from None
        root = dist_component(md, location=f"{path.name}/{meta}", found_by=f"artifact.{kind}",
                              hashes=(digest,), properties=props,
                              evidence=(Evidence("file", str(path), f"sha256:{digest.value}",
                                                 "integrity"),))
        return _with_license(root, resolver, meta, kind, md.license_fields, path.name)
    if kind == "wheel":
        raise InputError(f"{path}: not a wheel (no <name>.dist-info/METADATA)")
    # an sdist without PKG-INFO: name and version from the file name only
    from packaging.utils import InvalidSdistFilename, parse_sdist_filename

    try:
        name, version = parse_sdist_filename(path.name)
    except InvalidSdistFilename:
        raise InputError(f"{path}: no PKG-INFO and the file name is not NAME-VERSION.tar.gz") from None
    from assay.identity.metadata import package_component

    return package_component(
        str(name), str(version), hashes=(digest,), found_by=f"artifact.{kind}",
        evidence=(Evidence("file-name", path.name, "no PKG-INFO; name and version from the file name",
                           "version"),),
        properties=props)


def _with_license(component: Component, resolver: Resolver, meta: str, kind: str,
                  fields: dict[str, list[str]], shown: str) -> Component:
    """The license the installed copy would get (:func:`assay.identity.licenses.resolve_license`):
    a wheel's ``.dist-info/`` files and its PEP 639 ``licenses/`` folder; an sdist's files at its
    root (beside PKG-INFO) and the paths its ``License-File`` fields name."""
    from assay.identity.licenses import resolve_license, with_license

    prefix = meta.rpartition("/")[0]
    prefix = prefix + "/" if prefix else ""
    members = [f[len(prefix):] for f in resolver.files() if f.startswith(prefix)]
    if kind == "wheel":
        names = [n for n in members if "/" not in n or n.startswith("licenses/")]
    else:
        declared = {d.strip().lstrip("/") for d in fields.get("License-File", ())}
        names = [n for n in members if "/" not in n or n in declared]

    def read_file(name: str) -> bytes | None:
        try:
            return resolver.read_bytes(prefix + name)
        except (OSError, KeyError, InputError):
            return None

    return with_license(component, resolve_license(fields, read_file, sorted(names),
                                                   where=f"{shown}/{prefix}"))
