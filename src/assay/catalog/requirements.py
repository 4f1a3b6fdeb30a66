"""Requirements files (pip's format) → Graph, without installing or running anything.

``name==version`` and ``name===version`` lines become components (with their ``--hash``
options); ``-r`` includes are followed. A requirement that does not pin one version (``>=``,
a URL, an editable path, a wildcard) is not guessed: it becomes an Unknown with the reason.

The file is untrusted input: an include (``-r``) may not leave the folder of the file given
on the command line (nor reach outside it through a symlink) unless the user allows it
(``--allow-includes-outside``), and a line that is not a requirement is reported by file,
line number and reason, never copied into the documents.
"""

from __future__ import annotations

import os
from pathlib import Path

from assay.catalog import lockbase
from assay.catalog.base import SUFFIX, WEAK, Cataloger, Catalogue, Options, Target
from assay.errors import InputError
from assay.identity import hashes as _hashes
from assay.identity.pep508 import InvalidRequirement, requirement
from assay.model import Component, Graph, Hash, RelType

MAX_INCLUDE_DEPTH = 20

# pip options that take a value and do not name requirements
_OPTIONS_WITH_VALUE = {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host",
                       "--no-binary", "--only-binary", "--use-feature", "--progress-bar",
                       "--config-settings", "--global-option", "--hash"}
_FLAGS = {"--pre", "--prefer-binary", "--require-hashes", "--no-index", "--no-deps"}


class RequirementsCataloger(Cataloger):
    name = "requirements"
    description = "a requirements file"

    def recognise(self, target: Target) -> int:
        if not target.is_file:
            return 0
        name = target.name
        if "requirements" in name and name.endswith((".txt", ".in")):
            return SUFFIX
        if name.endswith((".txt", ".in")) or "requirements" in name:
            return WEAK
        return 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        return Catalogue(catalog_requirements(target, options), self.name)


CATALOGERS = (RequirementsCataloger(),)


def catalog_requirements(target: Target, options: Options | None = None) -> Graph:
    options = options or Options()
    path = target.path
    assert path is not None
    graph = Graph()
    root = lockbase.root(graph, target, "requirements")
    boundary = None if options.allow_includes_outside else os.path.realpath(path.parent)
    _Reader(graph, root, boundary).read(path, depth=0)
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


def _include_target(tokens: list[str]) -> str | None:
    head = tokens[0]
    if head in ("-r", "--requirement"):
        return tokens[1] if len(tokens) > 1 else ""
    if head.startswith("--requirement="):
        return head.split("=", 1)[1]
    if head.startswith("-r") and not head.startswith("--"):
        return head[2:]
    return None


def _within(path: str, boundary: str) -> bool:
    return path == boundary or path.startswith(boundary.rstrip(os.sep) + os.sep)


class _Reader:
    def __init__(self, graph: Graph, root: Component, boundary: str | None) -> None:
        self.graph = graph
        self.root = root
        self.boundary = boundary
        self.seen: set[str] = set()

    def read(self, path: Path, *, depth: int) -> None:
        real = os.path.realpath(path)
        if real in self.seen:
            return
        if depth > MAX_INCLUDE_DEPTH:
            raise InputError(f"{path}: -r includes nested deeper than {MAX_INCLUDE_DEPTH}")
        self.seen.add(real)
        try:
            with open(real, "rb") as fh:
                text = fh.read().decode("utf-8-sig")
        except OSError as exc:
            raise InputError(f"{path}: unreadable ({exc.strerror})") from None
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None
        for lineno, line in _logical_lines(text):
            self.line(path, lineno, line, depth)

    def line(self, path: Path, lineno: int, line: str, depth: int) -> None:
        import shlex

        graph, root = self.graph, self.root
        where = f"{path}:{lineno}"
        try:
            tokens = shlex.split(line, posix=False)  # keeps the quotes of markers
        except ValueError:
            tokens = line.split()
        if not tokens:
            return
        head = tokens[0]
        target = _include_target(tokens)
        if target is not None:
            included = Path(target) if Path(target).is_absolute() else path.parent / target
            real = os.path.realpath(included)
            if self.boundary is not None and not _within(real, self.boundary):
                graph.unknown(root.id, "include-outside",
                              f"{where}: -r {target} is outside {self.boundary} and was not read "
                              "(--allow-includes-outside reads it)")
                return
            if not os.path.isfile(real):
                graph.unknown(root.id, "missing-include", f"{where}: -r {target} not found")
                return
            self.read(included, depth=depth + 1)
            return
        if head in ("-c", "--constraint") or head.startswith(("-c", "--constraint=")):
            return  # constraints restrict versions; they install nothing
        if head in ("-e", "--editable") or head.startswith("--editable="):
            plain = len(tokens) > 1 and head in ("-e", "--editable")
            editable = tokens[1] if plain else head.split("=", 1)[-1]
            graph.unknown(root.id, "editable-requirement", f"{where}: -e {editable} (version not pinned)")
            return
        if head.startswith("-"):
            return  # index options and flags
        self.requirement(tokens, where)

    def requirement(self, tokens: list[str], where: str) -> None:
        graph, root = self.graph, self.root
        hashes: list[Hash] = []
        req_parts: list[str] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.startswith("--hash="):
                if h := _hashes.parse_prefixed(tok.split("=", 1)[1]):
                    hashes.append(h)
            elif tok == "--hash" and i + 1 < len(tokens):
                if h := _hashes.parse_prefixed(tokens[i + 1]):
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
            req = requirement(text)
        except InvalidRequirement as exc:
            if "/" in text or text.startswith(("http:", "https:", "git+", ".")):
                graph.unknown(root.id, "url-requirement",
                              f"{where}: a path or URL requirement (no pinned version)")
            else:
                reason = str(exc).splitlines()[0].split(":", 1)[0] if str(exc) else "invalid"
                graph.unknown(root.id, "invalid-requirement", f"{where}: not a valid requirement ({reason})")
            return
        if req.url:
            graph.unknown(root.id, "url-requirement", f"{where}: {req.name} @ URL (no pinned version)")
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
        comp = lockbase.package(graph, req.name, version, location=where, detail=f"{req.name}=={version}",
                                hashes=_hashes.unique(hashes), properties=props)
        graph.relate(root.id, comp.id, RelType.DEPENDS_ON, requirement=text)
