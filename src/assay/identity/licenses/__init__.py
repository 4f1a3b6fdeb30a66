"""Licenses that are right, not just present: metadata and license files → one SPDX expression.

The API every cataloger calls (installed environments, wheels, sdists, pip reports)::

    from assay.identity.licenses import resolve_license

    result = resolve_license(
        metadata,        # Mapping: "License-Expression", "License", "Classifier", "License-File"
                         # → str or list[str] (e.g. fields_from_metadata(METADATA text))
        read_file,       # Callable[[str], bytes | None]: a path relative to the dist-info
                         # (or package) root, read through the caller's Resolver
        file_names,      # Iterable[str]: the files present there that may hold licenses
                         # (the root and the PEP 639 ``licenses/`` folder, relative paths)
        where="...dist-info/",   # prefix for evidence locations
    )
    result.license       # assay.model.License(expression, text, source) or None
    result.evidence      # tuple[Evidence]: kind "License-Expression" / "license-file" /
                         # "metadata" / "classifier", location, detail (id and match quality),
                         # proves="license"
    result.warnings      # tuple[str]: contradictions, missing declared files
    result.extracted     # tuple[(LicenseRef-id, text)] for every LicenseRef in the expression

Rules (issue 16):

1. A PEP 639 ``License-Expression`` is authoritative. A license file or classifier that
   names a license the expression does not becomes a warning, never a change.
2. Otherwise every license file contributes: the declared ``License-File`` entries (looked
   up under ``licenses/`` as PEP 639 places them, then at the root as older wheels did), all
   of the ``licenses/`` folder, and root files named LICENSE/LICENCE/COPYING. They combine
   with AND, unless metadata says OR (a ``License`` field that is an OR expression of the same
   licenses) or a pointer file offers the choice ("either of the licenses found in
   LICENSE.APACHE or LICENSE.BSD"). The GPL text shipped beside LGPL-3.0 is part of LGPL-3.0.
3. Each file is matched against the SPDX License List templates (:mod:`._engine`): full
   texts, standard notices (headers) and exceptions, several per file. GPL/LGPL/AGPL texts
   are the same for ``-only`` and ``-or-later``: a notice in the files ("or (at your option)
   any later version"), then the classifiers or License field decide; without either the
   text alone grants ``-only``.
4. A license text no template matches becomes ``LicenseRef-<file>-<sha256[:12]>`` with the
   text kept in ``extracted``, never a guess; the evidence names the closest SPDX license
   and how close it came. A file that matched but holds substantial further terms gets a
   LicenseRef as well. Files without license terms (author lists) contribute nothing.
5. Without files: the ``License`` field (an expression, an unambiguous alias, or a whole
   license text matched like a file), then classifiers that each name one license.

``match_text`` exposes the matcher for one text; ``list_version`` the SPDX License List
version shipped (``assay/data/licenses/spdx.dat``, built by
:mod:`assay.identity.licenses.builddata` from a pinned PyPI artifact and loaded on first use).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import lru_cache

from assay.identity.licenses._match import list_version, match_text
from assay.identity.licenses._metadata import ALIASES, CLASSIFIERS, spdx_expression
from assay.identity.licenses._resolve import LicenseResult, resolve_license
from assay.identity.licenses._results import Hit, TextMatch
from assay.model import Component, License

_FIELDS = ("license-expression", "license", "classifier", "license-file")
_HEADER = re.compile(r"^([A-Za-z0-9-]+):[ \t]?(.*)$")


def fields_from_metadata(text: str) -> dict[str, list[str]]:
    """The license fields of METADATA / PKG-INFO text (headers only; continuation lines kept)."""
    out: dict[str, list[str]] = {}
    key = None
    for line in text.splitlines():
        if not line.strip():
            break  # the body (long description) starts here
        if line[:1] in (" ", "\t") and key is not None:
            if key in _FIELDS:
                cont = line[8:] if line.startswith(" " * 8) else line.strip()
                out[key][-1] += "\n" + cont
            continue
        m = _HEADER.match(line)
        if not m:
            key = None
            continue
        key = m.group(1).lower()
        if key in _FIELDS:
            out.setdefault(key, []).append(m.group(2).strip())
    return {k.title(): v for k, v in out.items()}


def license_file_names(names: Mapping[str, object] | list[str]) -> list[str]:
    """The candidates :func:`resolve_license` may read among a folder's relative paths."""
    return [n for n in names if n.startswith("licenses/") or "/" not in n]


def identify_text(text: str) -> str | None:
    """The SPDX expression of a full license text, when SPDX templates match it and nothing else
    in it reads as further terms."""
    m = match_text(text)
    ids = sorted({h.license_id for h in m.hits if not h.is_exception})
    if not ids or m.terms_left:
        return None
    return " AND ".join(ids)


WARNING = "assay:license.warning"  # the component property each resolution warning becomes


def with_license(component: Component, result: LicenseResult) -> Component:
    """``component`` with what :func:`resolve_license` concluded: its license, the evidence, and
    each warning as an ``assay:license.warning`` property (unchanged when nothing was found)."""
    if result.license is None:
        return component
    warnings = tuple((WARNING, w) for w in result.warnings)
    return replace(component, license=result.license, evidence=component.evidence + result.evidence,
                   properties=tuple(sorted(component.properties + warnings)))


def from_metadata(expression: str | None, license_field: str | None,
                  classifiers: Iterable[str]) -> License | None:
    """The best-proven license from core metadata fields alone (no files).

    Only the ``License ::`` classifiers count, and the answer depends on nothing else, so it is
    remembered: an environment's distributions repeat a few dozen combinations of these fields
    (296 distributions of the bench venv: 82)."""
    return _from_metadata(expression, license_field,
                          tuple(c for c in classifiers if c.strip().startswith("License ::")))


@lru_cache(maxsize=1024)
def _from_metadata(expression: str | None, license_field: str | None,
                   classifiers: tuple[str, ...]) -> License | None:
    fields = {"License-Expression": [expression] if expression else [],
              "License": [license_field] if license_field else [],
              "Classifier": list(classifiers)}
    return resolve_license(fields).license


__all__ = ["ALIASES", "CLASSIFIERS", "WARNING", "Hit", "LicenseResult", "TextMatch",
           "fields_from_metadata", "from_metadata", "identify_text", "license_file_names",
           "list_version", "match_text", "resolve_license", "spdx_expression", "with_license"]
