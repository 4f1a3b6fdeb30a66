"""The dynamic-linker closure of a set of ELF objects, found the way glibc's ``ld.so`` finds it.

For each DT_NEEDED name of an object, in this order (``ld.so(8)``):

1. a name with a ``/`` is a path;
2. a library already loaded under that SONAME is reused;
3. the DT_RPATH folders of the object and then of the objects that loaded it, up to the
   executable, unless the object has a DT_RUNPATH;
4. (``LD_LIBRARY_PATH`` is the caller's environment, not the installation's: not used);
5. the object's own DT_RUNPATH folders;
6. ``/etc/ld.so.cache`` (:mod:`.ldcache`), for the object's architecture;
7. the default folders (the multiarch ones, ``/lib64``, ``/usr/lib64``, ``/lib``, ``/usr/lib``).

``$ORIGIN`` is the folder of the object that asks. A candidate of another class or machine
is skipped, as the loader skips it. Modules opened later with ``dlopen`` (``lib-dynload``)
are further roots whose loader chain is the executable. Every file is read as bytes.
"""

from __future__ import annotations

import os
import struct
from collections import deque
from dataclasses import dataclass, field

from assay.enrich.bundled.binary import BinaryInfo, parse
from assay.enrich.interpreter.ldcache import LdCache

MAX_OBJECTS = 2000
MAX_FILE = 512 << 20
_MULTIARCH = {"x86_64": "x86_64-linux-gnu", "aarch64": "aarch64-linux-gnu",
              "ppc64le": "powerpc64le-linux-gnu", "s390x": "s390x-linux-gnu", "x86": "i386-linux-gnu",
              "arm": "arm-linux-gnueabihf", "riscv64": "riscv64-linux-gnu"}
_ELF_MACHINE = {62: "x86_64", 183: "aarch64", 21: "ppc64le", 22: "s390x", 3: "x86", 40: "arm", 243: "riscv64"}


@dataclass(slots=True)
class Loaded:
    path: str  # the path the loader opened (may be a symlink)
    real: str
    info: BinaryInfo
    data: bytes
    how: str  # root | path | rpath | runpath | ld.so.cache | default | interp
    needed_by: list[str] = field(default_factory=list)  # real paths of the objects that need it
    chain: tuple[str, ...] = ()  # real paths of its loaders, nearest first (for DT_RPATH)


@dataclass(slots=True)
class Closure:
    objects: dict[str, Loaded] = field(default_factory=dict)  # real path -> object
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # (needing object, name)
    machine: str = ""

    def by_name(self, name: str) -> Loaded | None:
        for obj in self.objects.values():
            if obj.info.soname == name or os.path.basename(obj.path) == name:
                return obj
        return None

    def reachable(self, real: str) -> list[Loaded]:
        """The object and everything it loads, breadth first."""
        out: list[Loaded] = []
        seen = {real}
        queue = deque([real])
        children: dict[str, list[str]] = {}
        for obj in self.objects.values():
            for parent in obj.needed_by:
                children.setdefault(parent, []).append(obj.real)
        while queue:
            current = queue.popleft()
            obj = self.objects.get(current)
            if obj is None:
                continue
            out.append(obj)
            for child in children.get(current, ()):
                if child not in seen:
                    seen.add(child)
                    queue.append(child)
        return out


def _elf_identity(path: str) -> tuple[int, str] | None:
    """(ELF class, machine) from a file's header, or None when it is not ELF."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(20)
    except OSError:
        return None
    if len(head) < 20 or head[:4] != b"\x7fELF":
        return None
    endian = "<" if head[5] == 1 else ">"
    (machine,) = struct.unpack_from(endian + "H", head, 18)
    return head[4], _ELF_MACHINE.get(machine, "other")


class Loader:
    def __init__(self, machine: str, elf_class: int, *, cache: LdCache | None = None) -> None:
        self.machine = machine
        self.elf_class = elf_class
        self.cache = cache if cache is not None else LdCache.load(machine)
        triplet = _MULTIARCH.get(machine)
        lib64 = ("/lib64", "/usr/lib64") if elf_class == 2 else ("/lib32", "/usr/lib32")
        defaults = [f"/lib/{triplet}", f"/usr/lib/{triplet}"] if triplet else []
        self.defaults = [d for d in (*defaults, *lib64, "/lib", "/usr/lib") if os.path.isdir(d)]

    def _fits(self, path: str) -> bool:
        ident = _elf_identity(path)
        return ident is not None and ident == (self.elf_class, self.machine)

    @staticmethod
    def _expand(folder: str, origin: str) -> str | None:
        for token in ("$ORIGIN", "${ORIGIN}"):
            folder = folder.replace(token, origin)
        if "$" in folder:  # $LIB, $PLATFORM: depend on the running loader
            return None
        return folder

    def find(self, name: str, requester: Loaded, closure: Closure) -> tuple[str, str] | None:
        """(path, how) for DT_NEEDED ``name`` of ``requester``."""
        if "/" in name:
            return (name, "path") if os.path.isabs(name) and self._fits(name) else None
        if not requester.info.runpath:
            for real in (requester.real, *requester.chain):
                obj = closure.objects.get(real)
                if obj is None:
                    continue
                for folder in obj.info.rpath:
                    hit = self._try(folder, obj, name)
                    if hit:
                        return hit, "rpath"
        for folder in requester.info.runpath:
            hit = self._try(folder, requester, name)
            if hit:
                return hit, "runpath"
        cached = self.cache.lookup(name)
        if cached and self._fits(cached):
            return cached, "ld.so.cache"
        for folder in self.defaults:
            candidate = os.path.join(folder, name)
            if self._fits(candidate):
                return candidate, "default"
        return None

    def _try(self, folder: str, obj: Loaded, name: str) -> str | None:
        expanded = self._expand(folder, os.path.dirname(obj.real))
        if not expanded:
            return None
        candidate = os.path.join(expanded, name)
        return candidate if self._fits(candidate) else None


def _read(path: str) -> tuple[str, BinaryInfo, bytes] | None:
    try:
        real = os.path.realpath(path)
        if os.path.getsize(real) > MAX_FILE:
            return None
        with open(real, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    info = parse(data)
    if info is None or info.format != "elf":
        return None
    return real, info, data


def closure(executable: str, modules: list[str] = (), *, cache: LdCache | None = None) -> Closure:  # type: ignore[assignment]
    """The objects ``executable`` loads at start (with its PT_INTERP loader), then what each
    module in ``modules`` loads when opened; breadth first, as ``ld.so`` does."""
    out = Closure()
    first = _read(executable)
    if first is None:
        return out
    real, info, data = first
    ident = _elf_identity(real)
    if ident is None:
        return out
    out.machine = ident[1]
    loader = Loader(ident[1], ident[0], cache=cache)
    root = Loaded(executable, real, info, data, "root")
    out.objects[real] = root
    queue: deque[Loaded] = deque([root])
    if info.interp:
        found = _read(info.interp)
        if found is not None and found[0] not in out.objects:
            out.objects[found[0]] = Loaded(info.interp, found[0], found[1], found[2], "interp",
                                           [real], (real,))
    _walk(queue, out, loader)
    for module in modules:
        found = _read(module)
        if found is None or found[0] in out.objects:
            continue
        obj = Loaded(module, found[0], found[1], found[2], "root", [], (real,))
        out.objects[found[0]] = obj
        _walk(deque([obj]), out, loader)
    return out


def _walk(queue: deque[Loaded], out: Closure, loader: Loader) -> None:
    while queue and len(out.objects) < MAX_OBJECTS:
        obj = queue.popleft()
        for name in obj.info.needed:
            existing = out.by_name(name)
            if existing is not None:
                if obj.real not in existing.needed_by and existing.real != obj.real:
                    existing.needed_by.append(obj.real)
                continue
            hit = loader.find(name, obj, out)
            if hit is None:
                out.unresolved.append((obj.real, name))
                continue
            path, how = hit
            found = _read(path)
            if found is None:
                out.unresolved.append((obj.real, name))
                continue
            real, info, data = found
            if real in out.objects:
                if obj.real not in out.objects[real].needed_by:
                    out.objects[real].needed_by.append(obj.real)
                continue
            child = Loaded(path, real, info, data, how, [obj.real], (obj.real, *obj.chain))
            out.objects[real] = child
            queue.append(child)


__all__ = ["Closure", "Loaded", "Loader", "closure"]
