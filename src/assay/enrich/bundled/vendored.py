"""Python projects copied inside another one: pip/_vendor, setuptools/_vendor, any vendor folder.

Proof, strongest first: a nested ``.dist-info/METADATA``; a ``vendor.txt`` pin
(pip's); a literal ``__version__ = "..."`` in the package (read as text with a
regex, never imported). Only versions that parse as PEP 440 are kept.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from assay.data import read_text
from assay.model import Evidence

VENDOR_DIRS = frozenset({"_vendor", "vendor", "vendored", "_vendored", "extern", "_extern", "externals",
                         "third_party", "_third_party", "thirdparty", "_bundled"})
_VERSION_FILES = ("__init__.py", "__version__.py", "_version.py", "version.py", "__about__.py")
_DUNDER = re.compile(rb"^__version__\s*(?::\s*str\s*)?=\s*['\"]([^'\"\n]{1,40})['\"]", re.M)
_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


@dataclass(slots=True)
class Vendored:
    name: str  # project name as found
    version: str | None
    vendor_dir: str  # e.g. "pip/_vendor"
    evidence: list[Evidence] = field(default_factory=list)
    dist_info: str | None = None  # its own metadata folder, when it was copied with it
    module: str | None = None  # its package or module name in the vendor folder, when known


@functools.cache
def _aliases() -> dict[str, str]:
    text = read_text("bundled", "libraries.toml")
    return dict(tomllib.loads(text).get("vendored", {}).get("aliases", {}))


def _valid(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


def candidates(paths: list[str]) -> list[str]:
    """The members worth reading for vendored projects."""
    out = []
    for p in paths:
        parts = p.split("/")
        for i, part in enumerate(parts[:-1]):
            if part in VENDOR_DIRS:
                rest = parts[i + 1:]
                if rest == ["vendor.txt"] or (len(rest) == 2 and rest[0].endswith(".dist-info")
                                               and rest[1] == "METADATA") \
                        or (len(rest) == 2 and rest[1] in _VERSION_FILES) \
                        or (len(rest) == 1 and rest[0].endswith(".py") and rest[0] != "__init__.py"):
                    out.append(p)
                break
    return out


def find_vendored(read, paths: list[str]) -> list[Vendored]:
    """``read(path) -> bytes``; ``paths`` from :func:`candidates`."""
    found: dict[tuple[str, str], Vendored] = {}

    def add(vdir: str, name: str, version: str | None, ev: Evidence, *, dist_info: str | None = None,
            module: str | None = None) -> None:
        key = (vdir, canonicalize_name(name))
        item = found.get(key)
        if item is None:
            found[key] = item = Vendored(name, version, vdir)
        elif item.version is None and version:
            item.version = version
        elif version and item.version and Version(version) != Version(item.version):
            # two different claims: keep both, each with its own proof
            key2 = (vdir, f"{canonicalize_name(name)}@{version}")
            item = found.setdefault(key2, Vendored(name, version, vdir))
        if ev not in item.evidence:
            item.evidence.append(ev)
        item.dist_info = item.dist_info or dist_info
        item.module = item.module or module

    dist_names: dict[tuple[str, str], str] = {}
    ordered = sorted(paths, key=lambda p: (not p.endswith("METADATA"), not p.endswith("vendor.txt"), p))
    for path in ordered:
        parts = path.split("/")
        idx = next(i for i, part in enumerate(parts[:-1]) if part in VENDOR_DIRS)
        vdir = "/".join(parts[:idx + 1])
        rest = parts[idx + 1:]
        try:
            data = read(path)
        except (OSError, KeyError):
            continue
        if rest[-1] == "METADATA":
            text = data.decode("utf-8", "replace")
            name = _header(text, "Name")
            version = _header(text, "Version")
            if name and version and _valid(version):
                add(vdir, name, version, Evidence("metadata", path, f"Name: {name}; Version: {version}",
                                                  "version"), dist_info=path.rsplit("/", 1)[0])
                top = rest[0][: -len(".dist-info")].rsplit("-", 1)[0]
                dist_names[(vdir, canonicalize_name(top))] = name
        elif rest == ["vendor.txt"]:
            for line in data.decode("utf-8", "replace").splitlines():
                m = _PIN.match(line)
                if m and _valid(m.group(2)):
                    add(vdir, m.group(1), m.group(2), Evidence("vendor.txt", path, line.strip(), "version"))
        else:
            m = _DUNDER.search(data[:65536])
            if not m:
                continue
            version = m.group(1).decode("latin-1")
            if not _valid(version):
                continue
            module = rest[0].removesuffix(".py")
            name = _aliases().get(module, module)
            name = dist_names.get((vdir, canonicalize_name(name)), name)
            add(vdir, name, version, Evidence("__version__", path, m.group().decode("latin-1"), "version"),
                module=module)
    return list(found.values())


def license_folder(item: Vendored, paths: list[str]) -> tuple[str, list[str]] | None:
    """Where the vendored project's license files are: (folder, file names relative to it), the
    first of these that has files. Its own copied metadata folder; else the folder PEP 639 keeps for it
    in the vendoring distribution's metadata (``pip-26.3.dist-info/licenses/src/pip/_vendor/
    certifi/LICENSE``: the source path of the files); else its package folder's own files."""
    modules = {m for m in (item.module, item.name.lower().replace("-", "_").replace(".", "_")) if m}
    modules |= {module for module, name in _aliases().items() if canonicalize_name(name) ==
                canonicalize_name(item.name)}
    folders: dict[str, list[str]] = {}
    if item.dist_info:
        base = item.dist_info + "/"
        folders[item.dist_info] = [p[len(base):] for p in paths if p.startswith(base)]
    else:
        tails = tuple(f"/{item.vendor_dir}/{m}" for m in modules)
        for p in paths:
            folder, _, file = p.rpartition("/")
            if ".dist-info/licenses/" in folder and folder.endswith(tails):
                folders.setdefault(folder, []).append(file)
        if not folders:
            for m in modules:
                base = f"{item.vendor_dir}/{m}/"
                names = [p[len(base):] for p in paths if p.startswith(base) and "/" not in p[len(base):]]
                if names:
                    folders[base[:-1]] = names
    return next(((f, sorted(n)) for f, n in folders.items() if n), None)


def _header(text: str, field_name: str) -> str | None:
    m = re.search(rf"^{field_name}:\s*(\S.*?)\s*$", text, re.M)
    return m.group(1) if m else None
