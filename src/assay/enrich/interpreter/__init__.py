"""What an installed CPython embeds and loads: its native libraries, with runtime versions.

:func:`add_native_closure` follows the dynamic-linker closure of the interpreter's
executable (with libpython) and of every ``lib-dynload`` module the way ``ld.so`` would
(:mod:`.loader`, :mod:`.ldcache`), reads every object as bytes, and adds to the graph:

- each library it loads (``libssl.so.3``, ``libsqlite3.so.0``, ``libexpat.so.1`` through
  Tk's fontconfig, ...) as a ``native-library`` component DYNAMIC_LINKed from the
  interpreter or from the library that needs it;
- each library copy built *into* the interpreter's own files (expat inside ``pyexpat``,
  libmpdec inside ``_decimal``) as a component CONTAINed by the interpreter; a system copy and
  an embedded copy of the same library are both listed.

A version is proven, in this order: by the library's own bytes (the bundled-library readers:
version strings, version functions); by the interpreter itself when the user named the
executable (:mod:`.ask`: the runtime version its modules report, never the compile-time
one); by the system package database that ships the file (:mod:`.pkgdb`), given as the
upstream version with the distribution's package in a ``pkg:deb`` purl. A version none of
these proves stays unknown. Nothing here runs any code but the named interpreter.
"""

from __future__ import annotations

import functools
import glob
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources

from assay.model import Component, Evidence, Graph, Kind, RelType, make_id

FOUND_BY = "interpreter.loader"


@functools.cache
def _system_names() -> dict[str, dict[str, str]]:
    text = resources.files("assay.data").joinpath("cpython/system.toml").read_text("utf-8")
    return dict(tomllib.loads(text).get("debian", {}))


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()).removeprefix("lib")


def _source_name(source: str, upstream: str) -> str:
    """A Debian source package's project name: ``tk8.6`` -> ``tk``, ``libpng1.6`` -> ``libpng``."""
    known = _system_names().get(source)
    if known:
        return known["name"]
    mm = re.match(r"^\d+(?:\.\d+)?", upstream)
    if mm and source.endswith(mm.group()) and len(source) > len(mm.group()):
        return source[: -len(mm.group())].rstrip("-.")
    return source


@dataclass(slots=True)
class _Lib:
    """What is known of one loaded object (a system library)."""

    real: str
    opened: str
    how: str
    name: str
    version: str | None
    cpe_vp: tuple[str, str] | None
    purl: str | None
    evidence: list[Evidence] = field(default_factory=list)
    props: list[tuple[str, str]] = field(default_factory=list)
    component_id: str = ""


def lib_dynload_dirs(prefix: str, version: str, sys_path: tuple[str, ...] = ()) -> list[str]:
    """The interpreter's ``lib-dynload`` folders: from its sys.path, else from its prefix."""
    found = [p for p in sys_path if os.path.basename(p.rstrip("/")) == "lib-dynload" and os.path.isdir(p)]
    if found:
        return found
    short = ".".join(version.split(".")[:2])
    out = []
    for lib in ("lib", "lib64"):
        for cand in glob.glob(os.path.join(prefix, lib, f"python{short}*", "lib-dynload")):
            if os.path.isdir(cand) and os.path.realpath(cand) not in {os.path.realpath(o) for o in out}:
                out.append(cand)
    return out


def add_native_closure(graph: Graph, interp_id: str, executable: str, dynload: list[str], *,
                       ask_executable: str | None = None) -> list[str]:
    """Add the libraries the interpreter at ``executable`` embeds and loads; returns notes for
    the user. ``ask_executable`` (the interpreter the user named) is asked for runtime versions."""
    from assay.enrich.bundled.native import scan_binary
    from assay.enrich.bundled.rules import matcher
    from assay.enrich.interpreter.loader import closure
    from assay.enrich.interpreter.pkgdb import system_dpkg

    notes: list[str] = []
    interp = graph.components.get(interp_id)
    if interp is None:
        return notes
    modules = sorted({os.path.realpath(f) for d in dynload for f in glob.glob(os.path.join(d, "*.so"))})
    cl = closure(executable, modules)
    if not cl.objects:
        notes.append(f"{executable}: native libraries not read (not an ELF executable; only Linux "
                     "interpreters are followed through the dynamic loader)")
        return notes
    exe_real = os.path.realpath(executable)
    own = {exe_real, *modules}
    own |= {o.real for o in cl.objects.values() if (o.info.soname or "").startswith("libpython")}
    m = matcher()
    dpkg = system_dpkg()

    # the interpreter's own files: what they embed
    embedded: dict[tuple[str, str], tuple[str | None, list[Evidence], str]] = {}
    for real in sorted(own):
        obj = cl.objects.get(real)
        if obj is None:
            continue
        scan = scan_binary(real, obj.data, m)
        for det in scan.detections if scan else ():
            if det.version is None:
                continue  # presence alone inside the interpreter proves too little
            embedded[(det.library.name, real)] = (det.version, list(det.evidence), det.library.name)

    # the system libraries
    libs: dict[str, _Lib] = {}
    statics: list[tuple[str, str, str, list[Evidence]]] = []  # (holder real, name, version, evidence)
    libraries = {lib.name: lib for lib in m.libraries}
    for obj in cl.objects.values():
        if obj.real in own:
            continue
        scan = scan_binary(obj.real, obj.data, m)
        own_det = next((d for d in scan.detections if scan.own is not None and d.library is scan.own),
                       None) if scan else None
        for det in scan.detections if scan else ():
            if det is not own_det and det.version is not None:
                statics.append((obj.real, det.library.name, det.version, list(det.evidence)))
        pkg = dpkg.owner(obj.path)
        lib = _identify(obj, own_det, pkg, libraries)
        libs[obj.real] = lib

    # the interpreter's own answers: runtime versions
    answers = []
    if ask_executable:
        from assay.enrich.interpreter.ask import ask

        answers, problem = ask(ask_executable)
        if problem:
            notes.append(problem)
    for ans in answers:
        holder = os.path.realpath(ans.file) if ans.file else exe_real
        ev = Evidence("interpreter", ask_executable or "", f"{ans.module}.{ans.attribute} = {ans.raw!r}",
                      "version")
        reach = [o.real for o in cl.reachable(holder) if o.real in libs]
        target = next((libs[r] for r in reach if _norm(libs[r].name) == _norm(ans.library)), None)
        if target is not None:
            _add_version(target, ans.version, ev, graph)
            continue
        key = (ans.library, holder)
        if key in embedded:
            version, evs, name = embedded[key]
            if version != ans.version:
                graph.unknown(holder, "runtime-version-differs",
                              f"{ans.library}: the bytes of {holder} say {version}, the interpreter "
                              f"reports {ans.version}")
            embedded[key] = (version, [*evs, ev], name)
        elif holder in own and (ans.library != "mpdecimal" or not _needs(cl, holder, "libmpdec")):
            # a copy built into the interpreter's own file (nothing it loads is that library)
            embedded[key] = (ans.version, [ev], ans.library)

    # components (one per library, version and package: libkrb5 and libgssapi_krb5 are two
    # packages of one project; libc.so.6 and libm.so.6 are one package) and edges
    groups: dict[tuple[str, str | None, str | None], list[_Lib]] = {}
    for _real, lib in sorted(libs.items()):
        groups.setdefault((lib.name, lib.version, lib.purl), []).append(lib)
    for members in groups.values():
        comp = _component(members, interp_id)
        graph.add(comp)
        for lib in members:
            lib.component_id = comp.id
        if comp.version is None:
            graph.unknown(comp.id, "unknown-version",
                          f"{comp.name} at {', '.join(x.real for x in members)}: no version its bytes, "
                          "the interpreter or a package database prove")
    for real, lib in libs.items():
        obj = cl.objects[real]
        for parent in obj.needed_by:
            source = interp_id if parent in own else libs[parent].component_id if parent in libs else None
            if source and source != lib.component_id:
                graph.relate(source, lib.component_id, RelType.DYNAMIC_LINK)
        if not obj.needed_by and obj.how == "interp":
            graph.relate(interp_id, lib.component_id, RelType.DYNAMIC_LINK)
    for (name, holder), (version, evs, _n) in sorted(embedded.items(), key=lambda kv: kv[0]):
        comp = _embedded_component(name, version, holder, evs, libraries, interp_id)
        graph.add(comp)
        graph.relate(interp_id, comp.id, RelType.CONTAINS)
    for holder, name, version, evs in statics:
        comp = _embedded_component(name, version, holder, evs, libraries, libs[holder].component_id)
        graph.add(comp)
        graph.relate(libs[holder].component_id, comp.id, RelType.CONTAINS)
    for needing, name in cl.unresolved:
        graph.unknown(needing, "unresolved-library", f"DT_NEEDED {name}: not found where the loader looks")

    # the interpreter's own package
    pkg = dpkg.owner(executable)
    if pkg is not None:
        ev = Evidence("dpkg", pkg.list_file, f"{pkg.name} {pkg.version} ({pkg.arch}) ships {exe_real}",
                      "presence")
        graph.components[interp_id] = replace(interp, evidence=(*interp.evidence, ev),
                                              properties=tuple(sorted((*interp.properties,
                                                                       ("assay:distro-package",
                                                                        f"{pkg.name} {pkg.version}")))))
    graph.metadata["native_libraries_loaded"] = str(len(libs))
    return notes


def _needs(cl, holder: str, prefix: str) -> bool:
    return any(o.info.soname and o.info.soname.startswith(prefix) for o in cl.reachable(holder)
               if o.real != holder)


def _identify(obj, own_det, pkg, libraries) -> _Lib:
    from assay.enrich.interpreter.pkgdb import os_release_id
    from assay.identity.purl import distro_purl

    soname = obj.info.soname or os.path.basename(obj.path)
    evidence: list[Evidence] = []
    props = [("assay:path", obj.real), ("assay:linkage", "dynamic"), ("assay:loaded-as", obj.path),
             ("assay:found-via", obj.how)]
    if obj.info.soname:
        props.append(("assay:soname", obj.info.soname))
    name: str | None = None
    version: str | None = None
    cpe_vp: tuple[str, str] | None = None
    purl: str | None = None
    if own_det is not None:
        evidence += own_det.evidence
        lib = own_det.library
        if own_det.version is not None or pkg is None or _same_project(lib.name, pkg.source):
            name, version = lib.name, own_det.version
            cpe_vp = tuple(lib.cpe.split(":", 1)) if lib.cpe else None  # type: ignore[assignment]
            purl = lib.purl(version)
        else:
            evidence.append(Evidence("dpkg", pkg.list_file, f"{soname} is {pkg.source}'s, not {lib.name}'s "
                                     "(the file name alone suggested it)", "presence"))
    if pkg is not None:
        upstream = pkg.upstream
        pname = _source_name(pkg.source, upstream)
        known = _system_names().get(pkg.source, {})
        detail = f"{pkg.name} {pkg.version} ({pkg.arch}) ships {obj.path}: upstream {pkg.source} {upstream}"
        if name is None:
            name = pname
            lib = libraries.get(name)
            if lib is not None and lib.cpe:
                cpe_vp = tuple(lib.cpe.split(":", 1))  # type: ignore[assignment]
            elif known.get("cpe"):
                cpe_vp = tuple(known["cpe"].split(":", 1))  # type: ignore[assignment]
        if version is None:
            version = upstream
            evidence.append(Evidence("dpkg", pkg.list_file, detail, "version"))
        else:
            evidence.append(Evidence("dpkg", pkg.list_file, detail, "presence"))
            if version != upstream:
                props.append(("assay:distro-upstream", upstream))
        purl = distro_purl("deb", os_release_id(), pkg.name, pkg.version, arch=pkg.arch or None)
        props += [("assay:distro-package", pkg.name), ("assay:distro-version", pkg.version)]
    if name is None:
        name = re.sub(r"\.so(\..*)?$", "", soname)
    return _Lib(obj.real, obj.path, obj.how, name, version, cpe_vp, purl, evidence, props)


def _same_project(table_name: str, source: str) -> bool:
    known = _system_names().get(source, {}).get("name", source)
    return _norm(table_name) in {_norm(source), _norm(known), _norm(re.sub(r"[\d.]+$", "", source))}


def _add_version(lib: _Lib, version: str, ev: Evidence, graph: Graph) -> None:
    lib.evidence.append(ev)
    if lib.version is None:
        lib.version = version
    elif lib.version != version:
        graph.unknown(lib.real, "runtime-version-differs",
                      f"{lib.name}: {lib.real} reads as {lib.version}, the interpreter reports {version} "
                      "(it may load another copy)")


def _component(members: list[_Lib], interp_id: str) -> Component:
    from assay.identity.cpe import cpe23
    from assay.identity.purl import generic_purl

    lib = members[0]
    cpe = cpe23(*lib.cpe_vp, lib.version) if lib.cpe_vp and lib.version else None
    reals = sorted(x.real for x in members)
    props: dict[str, list[str]] = {}
    for x in members:
        for key, value in x.props:
            props.setdefault(key, [])
            if value not in props[key]:
                props[key].append(value)
    return Component(
        id=make_id(Kind.NATIVE_LIBRARY, lib.name, lib.version, interp_id, lib.purl or reals[0]),
        kind=Kind.NATIVE_LIBRARY, name=lib.name, version=lib.version,
        purl=lib.purl or generic_purl(lib.name, lib.version), cpes=(cpe,) if cpe else (),
        evidence=tuple(dict.fromkeys(e for x in members for e in x.evidence)), found_by=FOUND_BY,
        description=f"loaded by the interpreter from {', '.join(reals)}",
        properties=tuple(sorted((k, ", ".join(v)) for k, v in props.items())))


def _embedded_component(name: str, version: str | None, holder: str, evidence: list[Evidence],
                        libraries, parent_id: str) -> Component:
    from assay.identity.cpe import cpe23
    from assay.identity.purl import generic_purl

    lib = libraries.get(name)
    cpe_text = lib.cpe if lib is not None else ("bytereef:mpdecimal" if name == "mpdecimal" else None)
    cpe = cpe23(*cpe_text.split(":", 1), version) if cpe_text and version else None
    return Component(
        id=make_id(Kind.NATIVE_LIBRARY, name, version, parent_id, holder),
        kind=Kind.NATIVE_LIBRARY, name=name, version=version,
        purl=lib.purl(version) if lib is not None else generic_purl(name, version),
        cpes=(cpe,) if cpe else (),
        evidence=tuple(dict.fromkeys(evidence)), found_by=FOUND_BY,
        description=f"built into {holder}",
        properties=(("assay:linkage", "static"), ("assay:path", holder)))


__all__ = ["add_native_closure", "lib_dynload_dirs"]


def enrich_interpreter(graph: Graph, interp_id: str, info, kind: str, named: str | None) -> list[str]:
    """The hook of the installed-environment cataloger: ``info`` is its InterpreterInfo; ``named``
    the executable the user named (asked for runtime versions), None for a folder (read only)."""
    from pathlib import Path

    from assay.sources.interpreter import venv_python

    if kind == "interpreter" and info.executable:
        executable = info.executable
    elif kind == "environment":
        found = venv_python(Path(info.prefix))
        if found is None:
            return []
        executable = str(found)
    else:
        return []
    prefix = info.base_prefix or info.prefix
    dynload = lib_dynload_dirs(prefix, info.version, info.sys_path if kind == "interpreter" else ())
    return add_native_closure(graph, interp_id, executable, dynload,
                              ask_executable=named if kind == "interpreter" else None)
