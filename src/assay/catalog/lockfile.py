"""Requirements files and lock files → Graph, without installing or running anything.

| input                         | what becomes a component                                      |
|-------------------------------|---------------------------------------------------------------|
| requirements.txt (pip format) | ``name==version`` / ``name===version`` lines; ``-r`` includes  |
| pylock.toml (PEP 751)         | every ``[[packages]]`` entry                                  |
| uv.lock                       | every ``[[package]]``; the project itself is the root         |
| poetry.lock                   | every ``[[package]]``                                         |
| Pipfile.lock                  | ``default`` and ``develop`` entries pinned with ``==``         |

A requirement that does not pin one version (``>=``, a URL, an editable path,
a wildcard) is not guessed: it becomes a ``graph.unknown`` with the reason.
``--hash`` options and lock-file hashes are kept as component hashes; markers
are kept as a property (``assay:marker``), not evaluated: a lock file describes
every environment it may be installed in.
"""

from __future__ import annotations

import json
import shlex
import tomllib
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from assay.errors import InputError
from assay.model import Component, Evidence, Graph, Hash, Kind, RelType, make_id

FOUND_BY = "lockfile"
MAX_INCLUDE_DEPTH = 20

# pip options that take a value and do not name requirements
_OPTIONS_WITH_VALUE = {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host",
                       "--no-binary", "--only-binary", "--use-feature", "--progress-bar",
                       "--config-settings", "--global-option", "--hash"}
_FLAGS = {"--pre", "--prefer-binary", "--require-hashes", "--no-index", "--no-deps"}


def catalog_lockfile(path: Path) -> Graph:
    """Dispatch on the file name: pylock*.toml, uv.lock, poetry.lock, Pipfile.lock, else requirements."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    name = path.name.lower()
    if name.startswith("pylock.") and name.endswith(".toml"):
        return catalog_pylock(path)
    if name == "uv.lock":
        return catalog_uv_lock(path)
    if name == "poetry.lock":
        return catalog_poetry_lock(path)
    if name == "pipfile.lock":
        return catalog_pipfile_lock(path)
    return catalog_requirements(path)


# -- helpers --------------------------------------------------------------------

def _pypi_purl(name: str, version: str) -> str:
    return f"pkg:pypi/{canonicalize_name(name)}@{version}"


def _root(graph: Graph, path: Path, kind: str) -> Component:
    root = Component(
        id=make_id(Kind.APPLICATION, path.name, None, str(path.resolve())),
        kind=Kind.APPLICATION, name=path.name, version=None,
        description=f"{kind} {path}",
        evidence=(Evidence(kind, str(path), "", "presence"),),
        found_by=FOUND_BY,
    )
    graph.add(root)
    graph.root = root.id
    graph.metadata["target"] = str(path)
    graph.metadata["target_kind"] = kind
    return root


def _package(graph: Graph, name: str, version: str, *, location: str, detail: str,
             hashes: tuple[Hash, ...] = (), properties: dict[str, str] | None = None,
             download: str | None = None) -> Component:
    comp = Component(
        id=make_id(Kind.PYTHON_PACKAGE, canonicalize_name(name), version),
        kind=Kind.PYTHON_PACKAGE, name=name, version=version, purl=_pypi_purl(name, version),
        hashes=hashes, download_location=download,
        evidence=(Evidence("lockfile", location, detail, "version"),),
        found_by=FOUND_BY, properties=tuple(sorted((properties or {}).items())),
    )
    return graph.add(comp)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML ({exc})") from None
    except OSError as exc:
        raise InputError(f"{path}: unreadable ({exc.strerror})") from None


def _hash_of(text: str) -> Hash | None:
    alg, sep, value = text.partition(":")
    if not sep or not value:
        return None
    return Hash(alg.lower().replace("-", ""), value.lower())


# -- requirements files ---------------------------------------------------------

def catalog_requirements(path: Path) -> Graph:
    graph = Graph()
    root = _root(graph, path, "requirements")
    _read_requirements(graph, root, path, seen=set(), depth=0)
    return graph


def _logical_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    buf = ""
    start = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw
        # comments: at line start or after whitespace (a '#' in a URL fragment is kept)
        if line.lstrip().startswith("#"):
            line = ""
        elif " #" in line or "\t#" in line:
            line = line[: min(i for i in (line.find(" #"), line.find("\t#")) if i >= 0)]
        if not buf:
            start = lineno
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        if buf.strip():
            out.append((start, buf.strip()))
        buf = ""
    if buf.strip():
        out.append((start, buf.strip()))
    return out


def _read_requirements(graph: Graph, root: Component, path: Path, *, seen: set[Path], depth: int) -> None:
    resolved = path.resolve()
    if resolved in seen:
        return
    if depth > MAX_INCLUDE_DEPTH:
        raise InputError(f"{path}: -r includes nested deeper than {MAX_INCLUDE_DEPTH}")
    seen.add(resolved)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: unreadable ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    for lineno, line in _logical_lines(text):
        where = f"{path}:{lineno}"
        try:
            tokens = shlex.split(line, posix=False)  # keeps the quotes of markers
        except ValueError:
            tokens = line.split()
        if not tokens:
            continue
        head = tokens[0]
        target = _include_target(tokens)
        if target is not None:
            included = (path.parent / target) if not Path(target).is_absolute() else Path(target)
            if not included.is_file():
                graph.unknown(root.id, "missing-include", f"{where}: -r {target} not found")
                continue
            _read_requirements(graph, root, included, seen=seen, depth=depth + 1)
            continue
        if head in ("-c", "--constraint") or head.startswith(("-c", "--constraint=")):
            continue  # constraints restrict versions; they install nothing
        if head in ("-e", "--editable") or head.startswith("--editable="):
            target = tokens[1] if len(tokens) > 1 and head in ("-e", "--editable") else head.split("=", 1)[-1]
            graph.unknown(root.id, "editable-requirement", f"{where}: -e {target} (version not pinned)")
            continue
        if head.startswith("-"):
            continue  # index options and flags
        _requirement(graph, root, tokens, where)


def _include_target(tokens: list[str]) -> str | None:
    head = tokens[0]
    if head in ("-r", "--requirement"):
        return tokens[1] if len(tokens) > 1 else ""
    if head.startswith("--requirement="):
        return head.split("=", 1)[1]
    if head.startswith("-r") and not head.startswith("--"):
        return head[2:]
    return None


def _requirement(graph: Graph, root: Component, tokens: list[str], where: str) -> None:
    hashes: list[Hash] = []
    req_parts: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.startswith("--hash="):
            h = _hash_of(tok.split("=", 1)[1])
            if h:
                hashes.append(h)
        elif tok == "--hash" and i + 1 < len(tokens):
            h = _hash_of(tokens[i + 1])
            if h:
                hashes.append(h)
            i += 1
        elif tok in _OPTIONS_WITH_VALUE:
            i += 1
        elif tok.startswith("-") and (tok.split("=", 1)[0] in _OPTIONS_WITH_VALUE or tok in _FLAGS):
            pass
        else:
            req_parts.append(tok)
        i += 1
    text = " ".join(req_parts)
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        if "/" in text or text.startswith(("http:", "https:", "git+", ".")):
            graph.unknown(root.id, "url-requirement", f"{where}: {text} (no pinned version)")
        else:
            graph.unknown(root.id, "invalid-requirement", f"{where}: {text} ({exc})")
        return
    if req.url:
        graph.unknown(root.id, "url-requirement", f"{where}: {req.name} @ {req.url} (no pinned version)")
        return
    specs = list(req.specifier)
    pinned = [s for s in specs if s.operator in ("==", "===") and not s.version.endswith(".*")]
    if len(specs) != 1 or not pinned:
        detail = f"{where}: {req.name}{req.specifier}" if specs else f"{where}: {req.name} (no version)"
        graph.unknown(root.id, "unpinned-requirement", detail)
        return
    version = pinned[0].version
    props = {"assay:requirement": text}
    if req.marker:
        props["assay:marker"] = str(req.marker)
    if req.extras:
        props["assay:extras"] = ",".join(sorted(req.extras))
    comp = _package(graph, req.name, version, location=where, detail=f"{req.name}=={version}",
                    hashes=tuple(dict.fromkeys(hashes)), properties=props)
    graph.relate(root.id, comp.id, RelType.DEPENDS_ON, requirement=text)


# -- pylock.toml (PEP 751) ---------------------------------------------------------

def catalog_pylock(path: Path) -> Graph:
    data = _read_toml(path)
    if "lock-version" not in data:
        raise InputError(f"{path}: not a pylock.toml (no lock-version)")
    major = str(data["lock-version"]).split(".", 1)[0]
    if major != "1":
        raise InputError(f"{path}: pylock lock-version {data['lock-version']} is not supported "
                         "(assay reads 1.x)")
    graph = Graph()
    root = _root(graph, path, "pylock")
    packages = data.get("packages") or []
    if not isinstance(packages, list):
        raise InputError(f"{path}: packages must be an array of tables")
    by_name: dict[str, list[Component]] = {}
    pending: list[tuple[Component, list[dict[str, Any]]]] = []
    for i, pkg in enumerate(packages):
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            raise InputError(f"{path}: packages[{i}] has no name")
        name = pkg["name"]
        version = pkg.get("version")
        where = f"{path}:packages[{i}]"
        if not isinstance(version, str):
            source = next((k for k in ("vcs", "directory", "archive") if k in pkg), "unknown source")
            graph.unknown(root.id, "unversioned-package", f"{where}: {name} from {source} has no version")
            continue
        hashes: list[Hash] = []
        download = None
        artifacts = [pkg.get("sdist"), pkg.get("archive"), *(pkg.get("wheels") or [])]
        for art in artifacts:
            if isinstance(art, dict):
                for alg, value in (art.get("hashes") or {}).items():
                    hashes.append(Hash(alg.lower().replace("-", ""), str(value).lower()))
                download = download or art.get("url")
        props = {}
        if isinstance(pkg.get("marker"), str):
            props["assay:marker"] = pkg["marker"]
        if isinstance(pkg.get("index"), str):
            props["assay:index"] = pkg["index"]
        comp = _package(graph, name, version, location=where, detail=f"{name} {version}",
                        hashes=tuple(dict.fromkeys(hashes)), properties=props, download=download)
        by_name.setdefault(canonicalize_name(name), []).append(comp)
        pending.append((comp, [d for d in pkg.get("dependencies") or [] if isinstance(d, dict)]))
    _edges(graph, root, pending, by_name)
    return graph


def _edges(graph: Graph, root: Component, pending: list[tuple[Component, list[dict[str, Any]]]],
           by_name: dict[str, list[Component]]) -> None:
    """Edges from ``dependencies`` lists; packages nothing depends on hang from the root."""
    targets: set[str] = set()
    for comp, deps in pending:
        for dep in deps:
            name = dep.get("name")
            if not isinstance(name, str):
                continue
            candidates = by_name.get(canonicalize_name(name), [])
            if isinstance(dep.get("version"), str):
                candidates = [c for c in candidates if c.version == dep["version"]] or candidates
            for target in candidates[:1]:
                props = {"marker": dep["marker"]} if isinstance(dep.get("marker"), str) else {}
                graph.relate(comp.id, target.id, RelType.DEPENDS_ON, **props)
                targets.add(target.id)
    for comp, _ in pending:
        if comp.id not in targets and comp.id != root.id:
            graph.relate(root.id, comp.id, RelType.DEPENDS_ON)


# -- uv.lock ------------------------------------------------------------------------

def catalog_uv_lock(path: Path) -> Graph:
    data = _read_toml(path)
    if "package" not in data and "version" not in data:
        raise InputError(f"{path}: not a uv.lock (no [[package]] tables)")
    graph = Graph()
    root = _root(graph, path, "uv.lock")
    by_name: dict[str, list[Component]] = {}
    pending: list[tuple[Component, list[dict[str, Any]]]] = []
    for i, pkg in enumerate(data.get("package") or []):
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            raise InputError(f"{path}: package[{i}] has no name")
        name, version = pkg["name"], pkg.get("version")
        source = pkg.get("source") or {}
        where = f"{path}:package[{i}]"
        deps = [d for d in pkg.get("dependencies") or [] if isinstance(d, dict)]
        for extra_deps in (pkg.get("optional-dependencies") or {}).values():
            deps.extend(d for d in extra_deps if isinstance(d, dict))
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            # the project (or a workspace member) itself: the root stands for it
            by_name.setdefault(canonicalize_name(name), []).append(root)
            pending.append((root, deps))
            continue
        if not isinstance(version, str):
            graph.unknown(root.id, "unversioned-package", f"{where}: {name} has no version")
            continue
        hashes: list[Hash] = []
        download = None
        for art in [pkg.get("sdist"), *(pkg.get("wheels") or [])]:
            if isinstance(art, dict):
                if isinstance(art.get("hash"), str) and (h := _hash_of(art["hash"])):
                    hashes.append(h)
                download = download or art.get("url")
        props = {}
        if isinstance(source, dict):
            for key in ("registry", "git", "url", "path", "directory"):
                if isinstance(source.get(key), str):
                    props[f"assay:source.{key}"] = source[key]
        comp = _package(graph, name, version, location=where, detail=f"{name} {version}",
                        hashes=tuple(dict.fromkeys(hashes)), properties=props, download=download)
        by_name.setdefault(canonicalize_name(name), []).append(comp)
        pending.append((comp, deps))
    _edges(graph, root, pending, by_name)
    return graph


# -- poetry.lock / Pipfile.lock -----------------------------------------------------

def catalog_poetry_lock(path: Path) -> Graph:
    data = _read_toml(path)
    graph = Graph()
    root = _root(graph, path, "poetry.lock")
    by_name: dict[str, list[Component]] = {}
    pending: list[tuple[Component, list[dict[str, Any]]]] = []
    for i, pkg in enumerate(data.get("package") or []):
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            raise InputError(f"{path}: package[{i}] has no name")
        if not isinstance(pkg.get("version"), str):
            graph.unknown(root.id, "unversioned-package",
                          f"{path}:package[{i}]: {pkg['name']} has no version")
            continue
        hashes = tuple(h for f in pkg.get("files") or [] if isinstance(f, dict)
                       and isinstance(f.get("hash"), str) and (h := _hash_of(f["hash"])))
        comp = _package(graph, pkg["name"], pkg["version"], location=f"{path}:package[{i}]",
                        detail=f"{pkg['name']} {pkg['version']}", hashes=hashes)
        by_name.setdefault(canonicalize_name(pkg["name"]), []).append(comp)
        pending.append((comp, [{"name": n} for n in (pkg.get("dependencies") or {})]))
    _edges(graph, root, pending, by_name)
    return graph


def catalog_pipfile_lock(path: Path) -> Graph:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    graph = Graph()
    root = _root(graph, path, "Pipfile.lock")
    for section in ("default", "develop"):
        for name, info in (data.get(section) or {}).items():
            where = f"{path}:{section}.{name}"
            version = info.get("version") if isinstance(info, dict) else None
            if not isinstance(version, str) or not version.startswith("=="):
                graph.unknown(root.id, "unpinned-requirement", f"{where}: {version or 'no version'}")
                continue
            hashes = tuple(h for t in info.get("hashes") or [] if (h := _hash_of(t)))
            comp = _package(graph, name, version[2:], location=where, detail=f"{name}{version}",
                            hashes=hashes, properties={"assay:group": section})
            graph.relate(root.id, comp.id, RelType.DEPENDS_ON)
    return graph
