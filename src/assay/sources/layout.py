"""Where an installed environment's distributions live on disk.

The installed-environment cataloger records, for every distribution it lists, the
site-packages folder it was found in and its ``.dist-info``/``.egg-info`` path relative to
that folder. The bundled scan, the integrity check and ``provenance record`` find the files
they read through this layout and a :class:`~assay.sources.directory.DirectoryResolver` per
site folder, never through component properties of the graph (which are for documents).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from assay.errors import InputError
from assay.sources.directory import DirectoryResolver


@dataclass(frozen=True, slots=True)
class InstalledDist:
    """Where one installed distribution's metadata lives."""

    component_id: str
    site: str  # absolute path of the site-packages (or sys.path) folder
    meta: str  # the .dist-info / .egg-info folder or file, relative to ``site`` (POSIX)
    is_dir: bool = True

    @property
    def is_dist_info(self) -> bool:
        return self.meta.endswith(".dist-info")

    def member(self, name: str) -> str:
        """A file inside the metadata folder, relative to the site folder."""
        return posixpath.join(self.meta, name)


@dataclass(slots=True)
class InstalledLayout:
    """An installed environment as read: its prefixes, site folders and distributions."""

    prefix: str  # the environment's prefix (a venv's folder)
    base_prefix: str | None = None  # the interpreter's installation (ensurepip wheels live there)
    dists: dict[str, InstalledDist] = field(default_factory=dict)  # component id -> where
    site_dirs: list[str] = field(default_factory=list)  # in import order
    _resolvers: dict[str, DirectoryResolver] = field(default_factory=dict, repr=False)

    def resolver(self, site: str) -> DirectoryResolver | None:
        """The (cached) resolver of a site folder; None when it is not a readable folder."""
        if site not in self._resolvers:
            try:
                self._resolvers[site] = DirectoryResolver(site)
            except InputError:
                return None
        return self._resolvers[site]

    def read_text(self, dist: InstalledDist, name: str) -> str | None:
        """A text file of a distribution's metadata folder, or None when absent or unreadable."""
        resolver = self.resolver(dist.site)
        if resolver is None:
            return None
        try:
            return resolver.read_text(dist.member(name))
        except (OSError, InputError):
            return None


__all__ = ["InstalledDist", "InstalledLayout"]
