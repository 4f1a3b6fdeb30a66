"""Which system package owns a file: the dpkg database (``/var/lib/dpkg``), read as text.

``status`` gives every installed package's version, architecture and source package;
``info/<package>[:<arch>].list`` the files it installed. A file is looked up under the path
the loader opened, its real path, and both spellings of a merged ``/usr`` (``/lib/...`` and
``/usr/lib/...``), since dpkg records the path as the package shipped it.

The version is Debian's (``[epoch:]upstream[-revision]``); :func:`debian_upstream` gives the
upstream release it packages, for advisories and CPEs, while the full version stays in a
``pkg:deb`` purl. RPM databases are not read (no rpm database on the machines assay is
tested on); a file no database owns keeps what its bytes prove.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache

_REPACK = re.compile(r"[.+~](?:dfsg|ds|repack|nmu)\d*$", re.I)


@dataclass(frozen=True, slots=True)
class DebPackage:
    name: str  # binary package
    version: str  # Debian version as installed
    arch: str
    source: str  # source package (the upstream project, usually)
    list_file: str  # where the ownership was read

    @property
    def upstream(self) -> str:
        return debian_upstream(self.version)


def debian_upstream(version: str) -> str:
    """The upstream release a Debian version packages: ``1:1.2.13.dfsg-1`` -> ``1.2.13``,
    ``3.0.19-1~deb12u2`` -> ``3.0.19``, ``8.6.13+dfsg-2`` -> ``8.6.13``."""
    v = version.split(":", 1)[1] if re.match(r"^\d+:", version) else version
    if "-" in v:
        v = v.rsplit("-", 1)[0]
    v = _REPACK.sub("", v)
    if "+really" in v:  # 1.2+really1.1: the package holds 1.1
        v = v.split("+really", 1)[1]
    return v


class Dpkg:
    """The dpkg database under ``root`` (read lazily, once)."""

    def __init__(self, root: str = "/var/lib/dpkg") -> None:
        self.root = root
        self._packages: dict[str, DebPackage] | None = None
        self._owners: dict[str, str] | None = None

    @property
    def present(self) -> bool:
        return os.path.isfile(os.path.join(self.root, "status"))

    def packages(self) -> dict[str, DebPackage]:
        """Installed packages by ``name`` and ``name:arch``."""
        if self._packages is None:
            self._packages = {}
            try:
                with open(os.path.join(self.root, "status"), encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
            except OSError:
                text = ""
            for stanza in text.split("\n\n"):
                fields: dict[str, str] = {}
                for line in stanza.splitlines():
                    if line[:1] in (" ", "\t") or ":" not in line:
                        continue
                    key, _, value = line.partition(":")
                    fields[key.strip().lower()] = value.strip()
                if not fields.get("package") or not fields.get("status", "").endswith(" installed"):
                    continue
                name, arch = fields["package"], fields.get("architecture", "")
                source = (fields.get("source") or name).split(" ", 1)[0]
                for key in (f"{name}:{arch}", name):
                    list_file = os.path.join(self.root, "info", f"{key}.list")
                    if os.path.isfile(list_file):
                        break
                pkg = DebPackage(name, fields.get("version", ""), arch, source, list_file)
                self._packages[f"{name}:{arch}"] = pkg
                self._packages.setdefault(name, pkg)
        return self._packages

    def _index(self) -> dict[str, str]:
        if self._owners is None:
            self._owners = {}
            for key, pkg in self.packages().items():
                if ":" not in key:
                    continue
                try:
                    with open(pkg.list_file, encoding="utf-8", errors="replace") as fh:
                        for line in fh:
                            self._owners.setdefault(line.rstrip("\n"), key)
                except OSError:
                    continue
        return self._owners

    def owner(self, path: str) -> DebPackage | None:
        """The installed package that ships ``path`` (or its real path), if any."""
        if not self.present:
            return None
        index = self._index()
        for candidate in _spellings(path):
            key = index.get(candidate)
            if key is not None:
                return self.packages()[key]
        return None


def _spellings(path: str) -> list[str]:
    out: list[str] = []
    for p in dict.fromkeys((path, os.path.realpath(path),
                            os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path)))):
        out.append(p)
        out.append(p[4:] if p.startswith("/usr/") else "/usr" + p)
    return list(dict.fromkeys(out))


@cache
def system_dpkg() -> Dpkg:
    return Dpkg()


@cache
def os_release_id() -> str:
    """``debian``, ``ubuntu``, ... from /etc/os-release (``debian`` when unreadable)."""
    try:
        with open("/etc/os-release", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("ID="):
                    return line[3:].strip().strip('"') or "debian"
    except OSError:
        pass
    return "debian"


__all__ = ["DebPackage", "Dpkg", "debian_upstream", "os_release_id", "system_dpkg"]
