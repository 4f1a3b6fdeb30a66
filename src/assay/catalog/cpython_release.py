"""CPython's Windows release artifacts: the embeddable zip and the NuGet package.

``python-3.13.5-embed-amd64.zip`` (also ``-win32``, ``-arm64``) and ``python.3.13.5.nupkg``
(``pythonx86``, ``pythonarm64``; its files are under ``tools/``) → a Graph rooted at CPython,
containing every library the artifact bundles (OpenSSL, SQLite, libffi, Tcl/Tk where shipped)
or builds into its modules (zlib in ``python3XX.dll``, expat in ``pyexpat.pyd``, bzip2 in
``_bz2.pyd``, ...), with versions read from the binaries: the bundled-library readers (version
strings, exported version functions) and, where a DLL carries one, its VERSIONINFO resource
(the version its vendor stamped on the file). CPython's own version comes from
``python3XX.dll`` (its VERSIONINFO and build tag) and is checked against the file name.

What the bytes do not prove stays unknown and is said plainly: a static copy of liblzma or
libmpdec inside ``_lzma.pyd``/``_decimal.pyd`` exports no version function and carries no
version string, so no version is claimed for it. The NuGet package's ensurepip wheels are
read like any nested wheel. The macOS ``.pkg`` (a xar archive) is not read.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from assay.catalog.base import Cataloger, Catalogue, Options, Target
from assay.errors import InputError
from assay.identity.cpe import python_cpe
from assay.identity.purl import generic_purl
from assay.model import Component, Evidence, Graph, Hash, Kind, License, make_id

FOUND_BY = "cpython-release"
_EMBED = re.compile(r"^python-(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)-embed-(amd64|win32|arm64)\.zip$", re.I)
_NUGET = re.compile(r"^python(x86|arm64)?\.(\d+\.\d+\.\d+(?:-(?:a|b|rc)\d+)?)\.nupkg$", re.I)
_PYDLL = re.compile(r"^python3\d+\.dll$", re.I)
_BUILD_TAG = re.compile(rb"tags/v(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)\x00")
_BINARY = re.compile(r"\.(?:dll|pyd|exe)$", re.I)
# DLLs CPython's Windows build ships whose own bytes name no version: the library they are
_KNOWN_DLLS = (("tcl", re.compile(r"^tcl\d+t?\.dll$", re.I)), ("tk", re.compile(r"^tk\d+t?\.dll$", re.I)),
               ("libffi", re.compile(r"^libffi-\d+\.dll$", re.I)),
               ("vcruntime", re.compile(r"^vcruntime\d+(?:_\d+)?\.dll$", re.I)))


class CPythonReleaseCataloger(Cataloger):
    name = "cpython-release"
    description = "a CPython Windows release artifact (python-X.Y.Z-embed-amd64.zip, python.X.Y.Z.nupkg)"

    def recognise(self, target: Target) -> int:
        if target.is_file and (_EMBED.match(target.name) or _NUGET.match(target.name)):
            return 90  # beats the sdist reader's .zip suffix
        return 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return catalog_release(target.path, bundled=options.bundled)  # type: ignore[arg-type]


CATALOGERS = (CPythonReleaseCataloger(),)


# -- VERSIONINFO ------------------------------------------------------------------------------

def version_info(data: bytes) -> dict[str, str]:
    """A PE file's VERSIONINFO resource: the fixed file/product versions (``FixedFileVersion``,
    ``FixedProductVersion``) and the StringFileInfo values; {} when it has none."""
    from assay.enrich.bundled.binary import version_info_in

    return version_info_in(data)


def _dotted(text: str) -> str | None:
    """``8, 6, 15, 0`` or ``8.6.15.0`` -> ``8.6.15`` (a trailing .0 build dropped); None if not a version."""
    parts = re.findall(r"\d+", text)
    if not parts or not re.fullmatch(r"[\d.,\s]+", text.strip()):
        return None
    while len(parts) > 3 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


# -- the catalogue -------------------------------------------------------------------------------

def catalog_release(path: Path, *, bundled: bool = True) -> Catalogue:
    from assay.sources.archive import ZipResolver

    path = Path(path)
    em, nm = _EMBED.match(path.name), _NUGET.match(path.name)
    named_version = em.group(1) if em else (nm.group(2).replace("-", "") if nm else None)
    artifact = "embeddable zip" if em else "NuGet package"
    resolver = ZipResolver(path)
    try:
        files = list(resolver.files())
        base = "tools/" if nm else ""
        dlls = [f for f in files if f.startswith(base) and _PYDLL.match(posixpath.basename(f))
                and f.count("/") == base.count("/")]
        if not dlls:
            raise InputError(f"{path}: not a CPython {artifact} (no python3XX.dll at its top)")
        graph = Graph(metadata={"target": str(path), "target_kind": "cpython-release"})
        notes: list[str] = []
        root = _root(path, resolver, dlls[0], named_version, artifact, graph, notes)
        graph.add(root)
        graph.root = root.id
        graph.metadata["python_version"] = root.version or ""
        if bundled:
            _bundled(resolver, graph, root.id, [f for f in files if f.startswith(base)], notes)
    finally:
        resolver.close()
    return Catalogue(graph, "cpython-release", notes=notes)


def _root(path: Path, resolver, dll: str, named: str | None, artifact: str, graph: Graph,
          notes: list[str]) -> Component:
    data = resolver.read_bytes(dll)
    evidence: list[Evidence] = []
    versions: dict[str, str] = {}
    info = version_info(data)
    pv = info.get("ProductVersion")
    if pv and re.fullmatch(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?", pv):
        versions["versioninfo"] = pv
        evidence.append(Evidence("versioninfo", dll, f"ProductVersion {pv}", "version"))
    tag = _BUILD_TAG.search(data)
    if tag:
        versions["build-tag"] = tag.group(1).decode()
        evidence.append(Evidence("version-string", dll, f"tags/v{versions['build-tag']}", "version"))
    if named:
        evidence.append(Evidence("file-name", path.name, f"{artifact} of CPython {named}",
                                 "version" if not versions else "presence"))
    proven = sorted(set(versions.values()))
    version = proven[0] if len(proven) == 1 else (named if not proven else None)
    if len(proven) > 1:
        graph.unknown(dll, "conflicting-versions", f"{dll}: {versions}")
    if version and named and version != named:
        notes.append(f"{path.name}: the file name says {named}, but {dll} is CPython {version}")
        graph.unknown(dll, "file-name-mismatch", f"named {named}, the DLL is {version}")
    h = hashlib.sha256(path.read_bytes()).hexdigest()
    evidence.append(Evidence("file", str(path), f"sha256:{h}", "integrity"))
    return Component(
        id=make_id(Kind.INTERPRETER, "cpython", version, "release", path.name),
        kind=Kind.INTERPRETER, name="cpython", version=version,
        purl=generic_purl("cpython", version), cpes=(python_cpe(version),) if version else (),
        hashes=(Hash("sha256", h),), license=License("PSF-2.0", None, "known"),
        supplier="Python Software Foundation", homepage="https://www.python.org/",
        description=f"CPython {artifact} for Windows", evidence=tuple(evidence), found_by=FOUND_BY,
        properties=(("assay:artifact", path.name), ("assay:artifact-kind", "cpython-release")))


def _bundled(resolver, graph: Graph, root_id: str, files: list[str], notes: list[str]) -> None:
    from dataclasses import replace

    from assay.enrich.bundled import scan_tree

    binaries = [f for f in files if _BINARY.search(f)]
    wheels = [f for f in files if "/ensurepip/_bundled/" in f and f.endswith(".whl")]
    scan_tree(resolver, graph, root_id, paths=[*binaries, *wheels])
    # VERSIONINFO for what the bundled readers left without a version
    by_path: dict[str, list[str]] = {}
    for comp in graph.packages(["native-library"]):
        where = comp.prop("assay:path")
        if where:
            by_path.setdefault(where, []).append(comp.id)
    unreadable: list[str] = []
    for rel in binaries:
        base = posixpath.basename(rel)
        known = next((name for name, rx in _KNOWN_DLLS if rx.match(base)), None)
        ids = by_path.get(rel, [])
        own = [graph.components[i] for i in ids if graph.components[i].prop("assay:linkage") != "static"]
        if not own and known is None:
            continue
        try:
            info = version_info(resolver.read_bytes(rel))
        except (OSError, InputError):
            continue
        version = _dotted(info.get("ProductVersion", "")) or _dotted(info.get("FileVersion", ""))
        shown = ", ".join(f"{k} {v}" for k, v in info.items()
                          if k in ("ProductName", "ProductVersion", "FileVersion"))
        ev = Evidence("versioninfo", rel, shown, "version")
        if own:
            for comp in own:
                if comp.version is None and version:
                    from assay.enrich.bundled.rules import matcher

                    lib = next((x for x in matcher().libraries if x.name == comp.name), None)
                    cpe = lib.cpe23(version) if lib else None
                    graph.components[comp.id] = replace(comp, version=version,
                                                        purl=lib.purl(version) if lib else comp.purl,
                                                        cpes=(cpe,) if cpe else comp.cpes,
                                                        evidence=(*comp.evidence, ev))
                    graph.unknowns[:] = [u for u in graph.unknowns
                                         if not (u.subject == comp.id and u.reason == "unknown-version")]
            continue
        from assay.model import RelType

        comp = Component(
            id=make_id(Kind.NATIVE_LIBRARY, known, version, root_id, rel), kind=Kind.NATIVE_LIBRARY,
            name=known, version=version, purl=generic_purl(known, version),  # type: ignore[arg-type]
            evidence=(Evidence("file-name", rel, base, "presence"), *((ev,) if version else ())),
            found_by=FOUND_BY, properties=(("assay:path", rel),))
        graph.add(comp)
        graph.relate(root_id, comp.id, RelType.CONTAINS)
        if version is None:
            graph.unknown(comp.id, "unknown-version", f"{known} in {rel}: no version string, version "
                          "function or VERSIONINFO in the file")
    for u in graph.unknowns:
        if u.reason == "unknown-version":
            unreadable.append(u.detail.split(":", 1)[0])
    if unreadable:
        notes.append("not readable from the bytes: " + "; ".join(sorted(set(unreadable))))


__all__ = ["CATALOGERS", "CPythonReleaseCataloger", "catalog_release", "version_info"]
