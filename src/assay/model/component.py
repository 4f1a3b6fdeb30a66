"""Components: the things an inventory lists.

Pure data, no I/O. Every value is immutable; build a changed copy with
:func:`dataclasses.replace`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a component is. The value is what assay's own JSON stores."""

    APPLICATION = "application"  # the thing scanned, when it is not itself a package
    ENVIRONMENT = "environment"  # a virtual environment / site-packages as a whole
    PYTHON_PACKAGE = "python-package"  # an installed or listed Python distribution
    VENDORED_PACKAGE = "vendored-package"  # a Python project copied inside another one
    NATIVE_LIBRARY = "native-library"  # a C/C++/Rust library bundled or linked into an artifact
    JAVASCRIPT_LIBRARY = "javascript-library"  # a JS library shipped inside a wheel
    CARGO_LIBRARY = "cargo-library"  # a Rust crate compiled into a binary (from an embedded SBOM)
    INTERPRETER = "interpreter"  # CPython itself
    FILE = "file"  # a single artifact (wheel, sdist, tarball)


@dataclass(frozen=True, slots=True)
class Hash:
    """A digest. ``alg`` is lower case without dashes as hashlib names it (sha256, sha512, md5)."""

    alg: str
    value: str  # lower-case hex

    def __str__(self) -> str:
        return f"{self.alg}:{self.value}"


@dataclass(frozen=True, slots=True)
class License:
    """A declared or concluded license.

    ``expression`` is a valid SPDX license expression when one could be proven;
    ``text`` keeps free text that could not be mapped (never dropped).
    """

    expression: str | None = None
    text: str | None = None
    source: str = ""  # e.g. "License-Expression", "License", "classifier"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why assay believes something about a component.

    ``kind`` is a short machine-readable word: "metadata", "record", "direct_url",
    "provenance_url", "version-string", "soname", "file-name", "pep770-sbom",
    "vendor.txt", "__version__", "sbom-input", ...
    ``location`` is a path (inside the artifact or environment) or a URL;
    ``detail`` says what was seen there (e.g. the matched version string).
    ``proves`` names what this evidence establishes ("presence", "version", "license", ...).
    """

    kind: str
    location: str = ""
    detail: str = ""
    proves: str = "presence"


@dataclass(frozen=True, slots=True)
class Component:
    """One thing in an inventory.

    ``version`` is ``None`` when it could not be proven: unknown, never guessed.
    ``properties`` holds extra facts as sorted (name, value) pairs, namespaced
    like "assay:installer", "assay:direct_url.vcs", "assay:requested".
    """

    id: str
    kind: Kind
    name: str
    version: str | None = None
    purl: str | None = None
    cpes: tuple[str, ...] = ()
    hashes: tuple[Hash, ...] = ()
    license: License | None = None
    supplier: str | None = None  # who supplies it; "Organization: X" wording is the writer's job
    author: str | None = None
    description: str | None = None
    download_location: str | None = None
    homepage: str | None = None
    source_url: str | None = None  # source repository / VCS URL
    evidence: tuple[Evidence, ...] = ()
    found_by: str = ""  # the cataloger or enricher that found it, e.g. "installed", "bundled.elf"
    properties: tuple[tuple[str, str], ...] = ()

    def prop(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.properties:
            if key == name:
                return value
        return default


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def make_id(kind: Kind | str, name: str, version: str | None, *qualifiers: str) -> str:
    """A stable id from content: the same input always gives the same id.

    The id is valid as a CycloneDX bom-ref and as the tail of an SPDXID
    (``[A-Za-z0-9.-]+``). ``qualifiers`` distinguish two copies of the same
    name and version (e.g. the path a bundled library was found at).
    """
    kind = Kind(kind)
    digest = hashlib.sha256(
        "\x00".join([kind.value, name, version or "", *qualifiers]).encode()
    ).hexdigest()[:12]
    readable = _ID_UNSAFE.sub("-", f"{name}-{version or 'unknown'}").strip("-")[:80]
    return f"{readable}-{digest}"


__all__ = ["Component", "Evidence", "Hash", "Kind", "License", "make_id"]
