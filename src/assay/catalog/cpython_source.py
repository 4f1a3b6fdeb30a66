"""CPython source tarballs and trees → a Graph rooted at CPython X.Y.Z.

``Python-3.13.5.tar.xz`` (or ``.tgz``, Debian's ``python3.13_3.13.5.orig.tar.xz``) and an
unpacked tree or git checkout. The root is CPython, its version read from
``Include/patchlevel.h`` (CPE ``cpe:2.3:a:python:python:X.Y.Z``, as the PSF's release SBOMs
write it; they give CPython no purl, so assay's ``pkg:generic/cpython@X.Y.Z`` is the same one
its interpreter scans give). Every vendored third-party project is a contained component,
its version proven from its own files (the provers are data: ``data/cpython/vendored.toml``);
the ensurepip wheels are read like any nested wheel (pip and what it vendors).

Vendored projects are found by mechanisms, not only by the table: every package of the
tree's own ``Misc/sbom.spdx.json`` (with the folders its files live in), every folder under
``Modules/``, ``Lib/``, ``Include/``, ``Objects/``, ``Python/`` holding a third-party licence
file, every header the bundled-library table knows (zlib.h, sqlite3.h, ...), and the version
pins of refresh scripts. A project whose version nothing proves stays ``unknown``; one whose
only version is the official SBOM's claim says so.

``Misc/sbom.spdx.json`` is checked, not trusted: every file hash it lists is compared with the
tree (normalising CRLF as CPython's ``Tools/build/generate_sbom.py`` does), and each
disagreement (a version the files contradict, a file whose hash differs or that is missing, a
vendored project it omits) is a warning and an unknown in the document. Build-time externals
(``Misc/externals.spdx.json``: Windows/macOS dependencies fetched at build time) are not
tarball content and are not listed.

Nothing in the tree is executed; a tarball is read in memory, in archive order (one pass
over the compressed stream).
"""

from __future__ import annotations

import re
from pathlib import Path

from assay.catalog.base import SHAPE, Cataloger, Catalogue, Options, Target

_TARBALL = re.compile(r"^python-(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)\.(?:tgz|tar\.xz|tar\.gz|tar\.bz2|tar)$",
                      re.I)
_DEB_ORIG = re.compile(r"^python\d+\.\d+_(\d+\.\d+\.\d+(?:~?(?:a|b|rc)\d+)?)\.orig\.tar\.(?:xz|gz|bz2)$",
                       re.I)


def _is_tree(path: Path) -> bool:
    return (path / "Include" / "patchlevel.h").is_file() and (path / "Modules").is_dir() \
        and (path / "Lib").is_dir()


class CPythonSourceCataloger(Cataloger):
    name = "cpython-source"
    description = "a CPython source tarball (Python-X.Y.Z.tar.xz, .tgz) or source tree"

    def recognise(self, target: Target) -> int:
        if target.is_file and (_TARBALL.match(target.name) or _DEB_ORIG.match(target.name)):
            return 90  # beats the sdist reader's suffix match
        if target.is_dir and _is_tree(target.path):  # type: ignore[arg-type]
            return SHAPE
        return 0

    def catalog(self, target: Target, options: Options) -> Catalogue:
        from assay.catalog._cpython_source import catalog_source

        catalogue = catalog_source(target.path)  # type: ignore[arg-type]
        catalogue.kind = self.name
        return catalogue


CATALOGERS = (CPythonSourceCataloger(),)


__all__ = ["CATALOGERS", "CPythonSourceCataloger"]
