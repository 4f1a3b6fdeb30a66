"""One distribution's license: metadata fields and license files combined (see the package doc)."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

from assay.identity.licenses._match import file_sha256, match_text
from assay.identity.licenses._metadata import CLASSIFIERS, spdx_expression
from assay.identity.licenses._results import Hit, TextMatch
from assay.model import Evidence, License

MAX_FILE = 512 * 1024
MAX_EXTRACTED = 64 * 1024


@dataclass(frozen=True, slots=True)
class LicenseResult:
    """What :func:`resolve_license` concluded, and why.

    ``license``: the declared license (None when nothing at all was declared or found).
    ``evidence``: per license id, which file or field gave it and how well it matched.
    ``warnings``: contradictions and problems, for the document.
    ``extracted``: ``(LicenseRef id, text)`` for every LicenseRef in the expression.
    """

    license: License | None
    evidence: tuple[Evidence, ...] = ()
    warnings: tuple[str, ...] = ()
    extracted: tuple[tuple[str, str], ...] = ()

    @property
    def expression(self) -> str | None:
        return self.license.expression if self.license else None


@dataclass
class _File:
    """One license file read, its template match and what it contributes."""

    name: str
    sha256: str
    text: str
    match: TextMatch | None = None
    parts: list[str] = field(default_factory=list)  # expression parts this file contributes
    ref: str | None = None
    pointer: tuple[str, ...] = ()  # other license files this one offers as a choice


_LICENSE_NAME = re.compile(r"^(licen[cs]e|copying|copyright|unlicense)", re.I)
_NOT_LICENSE_NAME = re.compile(r"^(authors|contributors|changes|changelog|readme|history|thanks)", re.I)
_LICENSE_WORDS = re.compile(r"\b(?:licen[cs]e[ds]?|public domain|permission|warrant\w*|liab\w+)\b", re.I)
_CHOICE = re.compile(r"\b(?:either|dual[- ]licen[cs]ed|at your (?:option|choice)|choose)\b", re.I)
_GNU = re.compile(r"^(A?GPL|LGPL|GFDL)-(\d\.\d)(-only|-or-later)?$")


def _fields(metadata: Mapping[str, object]) -> dict[str, list[str]]:
    """Field name (lower case, "-" for "_") → values; the first of equal names wins."""
    out: dict[str, list[str]] = {}
    for key, value in metadata.items():
        name = key.lower().replace("_", "-")
        if name in out:
            continue
        if value is None:
            out[name] = []
        elif isinstance(value, str):
            out[name] = [value]
        else:
            out[name] = [str(v) for v in value]  # type: ignore[attr-defined]
    return out


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if not value or value.upper() == "UNKNOWN" else value


@lru_cache(maxsize=4096)
def _canonical(expr: str) -> str | None:
    try:
        return str(canonicalize_license_expression(expr))
    except InvalidLicenseExpression:
        return None


@lru_cache(maxsize=4096)
def _ids(expr: str) -> frozenset[str]:
    """License ids in an expression (exceptions and operators left out; remembered: a run asks
    about the same few expressions thousands of times)."""
    tokens = _ID_TOKEN.findall(expr)
    out = set()
    skip = False
    for t in tokens:
        if t.upper() in ("AND", "OR"):
            continue
        if t.upper() == "WITH":
            skip = True
            continue
        if skip:
            skip = False
            continue
        out.add(t)
    return frozenset(out)


_ID_TOKEN = re.compile(r"[A-Za-z0-9.+\-]+")
_SUFFIX = re.compile(r"(-only|-or-later|\+)$")


@lru_cache(maxsize=4096)
def _base(lid: str) -> str:
    """GPL-3.0-only, GPL-3.0-or-later, GPL-3.0+ → GPL-3.0 (other ids unchanged)."""
    return _SUFFIX.sub("", lid)


# A license text that contains another one whole: Python's license starts with the PSF
# License Agreement, so a declared PSF-2.0 is not contradicted by a Python-2.0 text.
_CONTAINS = {"Python-2.0": {"PSF-2.0"}, "Python-2.0.1": {"PSF-2.0"}}


def _covered(lid: str, ids: set[str]) -> bool:
    if lid in ids or lid.startswith("LicenseRef-"):
        return True
    bases = {_base(i) for i in ids}
    if _base(lid) in bases:
        return True
    return any(lid in _CONTAINS.get(i, ()) or i in _CONTAINS.get(lid, ()) for i in ids)


def _paren(expr: str) -> str:
    return f"({expr})" if (" OR " in expr or " AND " in expr) else expr


def _candidates(declared: Sequence[str], present: Sequence[str]) -> tuple[list[str], list[str]]:
    """(license files to read, declared files that are missing)."""
    present_set = set(present)
    chosen: list[str] = []
    missing = []
    for f in declared:
        f = f.strip().lstrip("/")
        base = PurePosixPath(f).name
        for cand in (f"licenses/{f}", f, base, f"licenses/{base}"):
            if cand in present_set:
                if cand not in chosen:
                    chosen.append(cand)
                break
        else:
            missing.append(f)
    for name in present:  # clean relative paths, as listed
        in_folder = name.startswith("licenses/") and len(name) > 9
        root_license = "/" not in name and bool(_LICENSE_NAME.match(name))
        if (in_folder or root_license) and name not in chosen:
            chosen.append(name)
    return chosen, missing


def _ref_id(name: str, sha: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9.]+", "-", posixpath.basename(name)).strip("-.")[:40] or "file"
    return f"LicenseRef-{stem}-{sha[:12]}"


def _hit_quality(hit: Hit, m: TextMatch) -> str:
    if hit.is_header:
        return "SPDX standard license notice (header template)"
    what = "SPDX template match"
    if m.relaxed:
        what += ", fixed text exact but a replaceable part is worded outside SPDX's pattern"
    if m.exact:
        return what + ", whole file"
    return what + f" (+{m.other_words} other words in the file)"


_OR_LATER = re.compile(
    r"\b(?:(?P<lesser>lesser|library)\s+)?(?:general\s+public\s+license|gpl)\b[^.]{0,90}?"
    r"\bv(?:ersion|\.)?\s*(?P<v>[123](?:\.[01])?)\b,?\s+or\s+(?:\(at\s+your\s+option\)\s+)?"
    r"(?:any\s+)?(?:later|newer)", re.I)


def _gnu_suffix(base: str, files: list[_File], hints: set[str]) -> tuple[str, str]:
    """-only or -or-later for a GNU license whose full text was found (the texts are the same)."""
    for f in files:
        for h in f.match.hits if f.match else ():
            lid = h.license_id
            if h.is_header and _base(lid) == base:
                return lid, f"the notice in {f.name} says so"
    family, _, version = base.partition("-")
    for f in files:  # prose: "released under the GNU General Public License version 3 or later"
        text = f.text
        spans = [(h.start, h.end) for h in (f.match.hits if f.match else ()) if not h.is_header]
        if spans:  # a GNU text's own appendix has a sample notice: look outside the texts
            from assay.identity.licenses._template import normalize

            norm = normalize(text)
            keep, pos = [], 0
            for a, b in sorted(spans):
                keep.append(norm[pos:a])
                pos = max(pos, b)
            text = " ".join([*keep, norm[pos:]])
        for m in _OR_LATER.finditer(text):
            v = m.group("v") if "." in m.group("v") else m.group("v") + ".0"
            fam = "LGPL" if m.group("lesser") else "GPL"
            if v == version and fam == family.removeprefix("A"):
                return f"{base}-or-later", f"{f.name} says 'version {m.group('v')} or later'"
    for hint in sorted(hints):
        if _base(hint) == base and hint != base:
            return hint, "metadata says so"
    return f"{base}-only", "no notice says 'or any later version'"


def _file_parts(f: _File, all_files: list[_File], hints: set[str], where: str,
                evidence: list[Evidence]) -> None:
    m = f.match
    assert m is not None
    loc = where + f.name
    hits = list(m.hits)
    full_bases = {_base(h.license_id) for h in hits if not h.is_header and not h.is_exception}
    exceptions = [h.license_id for h in hits if h.is_exception]
    for h in hits:
        if h.is_exception:
            continue
        lid = h.license_id
        if h.is_header and _base(lid) in full_bases:
            continue  # the notice inside a GNU text's own appendix, or next to it
        quality = _hit_quality(h, m)
        if _GNU.match(lid) and not h.is_header:
            lid, why = _gnu_suffix(_base(lid), all_files, hints)
            quality += f"; {lid.rsplit('-', 1)[-1] if lid.endswith('-only') else 'or-later'}: {why}"
        if exceptions and _GNU.match(lid):
            lid = f"{lid} WITH {exceptions[0]}"
        if lid not in f.parts:
            f.parts.append(lid)
            evidence.append(Evidence("license-file", loc, f"{lid}: {quality}", "license"))
    for tag in m.tags:
        if tag not in f.parts:
            f.parts.append(tag)
            evidence.append(Evidence("license-file", loc, f"{tag}: SPDX-License-Identifier tag", "license"))
    base = posixpath.basename(f.name)  # a clean relative path, as the folder was listed
    named = _LICENSE_NAME.match(base) and not _NOT_LICENSE_NAME.match(base)
    if not f.parts:
        lowered = f.text.lower()
        others = [o.name for o in all_files if o is not f
                  and posixpath.basename(o.name).lower() in lowered]
        if len(others) >= 2 and _CHOICE.search(f.text) and m.words < 200:
            f.pointer = tuple(others)
            evidence.append(Evidence("license-file", loc, "offers a choice between "
                                     + " and ".join(others), "license"))
            return
        licenseish = m.terms_left or (named and m.other_words >= 25 and _LICENSE_WORDS.search(f.text))
        if not licenseish:
            if m.note:
                evidence.append(Evidence("license-file", loc, m.note, "license"))
            return
        f.ref = _ref_id(f.name, f.sha256)
        closest = (f"; closest SPDX license {m.closest[0]} ({int(m.closest[1] * 100)}% of its "
                   "distinctive phrases), not a match") if m.closest and m.closest[1] >= 0.3 else ""
        evidence.append(Evidence("license-file", loc, f"{f.ref}: no SPDX template matches{closest}; "
                                 f"sha256 {f.sha256}", "license"))
    elif m.terms_left:
        f.ref = _ref_id(f.name, f.sha256)
        evidence.append(Evidence("license-file", loc, f"{f.ref}: {m.other_words} words besides "
                                 f"{', '.join(f.parts)} read as further terms; sha256 {f.sha256}",
                                 "license"))
    if f.ref:
        f.parts.append(f.ref)


def _absorb(parts: list[str]) -> list[str]:
    """LGPL-3.0 is GPL-3.0 plus permissions: the GPL text shipped beside it is part of it."""
    lgpl3 = any(_base(p) == "LGPL-3.0" for p in parts)
    return [p for p in parts if not (lgpl3 and _base(p.split(" WITH ")[0]) == "GPL-3.0")]


def _combine(files: list[_File]) -> str | None:
    by_name = {f.name: f for f in files}
    in_choice: set[str] = set()
    choices: list[str] = []
    for f in files:
        if f.pointer:
            alts = []
            for name in f.pointer:
                other = by_name[name]
                in_choice.add(name)
                if other.parts:
                    alts.append(_paren(" AND ".join(sorted(set(other.parts)))))
            alts = sorted(set(alts))
            if len(alts) >= 2:
                choices.append("(" + " OR ".join(alts) + ")")
            elif alts:
                choices.append(alts[0])
    parts: list[str] = []
    for f in files:
        if f.name in in_choice and any(g.pointer for g in files):
            continue
        parts += f.parts
    parts = _absorb(sorted(set(parts), key=lambda p: (p.startswith("LicenseRef-"), p)))
    all_parts = [*parts, *sorted(set(choices))]
    if not all_parts:
        return None
    if len(all_parts) == 1:
        return all_parts[0].removeprefix("(").removesuffix(")") if all_parts[0].startswith("(") \
            and all_parts[0].count("(") == 1 else all_parts[0]
    return " AND ".join(all_parts)


def resolve_license(metadata: Mapping[str, object],
                    read_file: Callable[[str], bytes | None] | None = None,
                    file_names: Iterable[str] = (), *, where: str = "",
                    file_stat: Callable[[str], os.stat_result | None] | None = None) -> LicenseResult:
    """The license of one distribution from its core metadata and its license files.

    See the package documentation for the rules. ``where`` prefixes every evidence
    location (e.g. the dist-info folder path followed by "/"). ``file_stat`` gives the stat of
    a file ``read_file`` has read (taken from the open file), so that its digest is remembered
    between runs (:func:`~assay.identity.licenses._match.file_sha256`)."""
    fields = _fields(metadata)
    expr_field = _clean(next(iter(fields.get("license-expression", ())), None))
    lic_field = _clean(next(iter(fields.get("license", ())), None))
    classifiers = [c.strip() for c in fields.get("classifier", ()) if c.strip().startswith("License ::")]
    declared = [f for f in fields.get("license-file", ()) if f.strip()]
    evidence: list[Evidence] = []
    warnings: list[str] = []
    md_loc = where + "METADATA"

    # hints from metadata for -only / -or-later (classifiers, the License field)
    hints: set[str] = set()
    for c in classifiers:
        if CLASSIFIERS.get(c):
            hints |= _ids(CLASSIFIERS[c])
    lic_expr = spdx_expression(lic_field) if lic_field and "\n" not in lic_field else None
    if lic_expr:
        hints |= _ids(lic_expr)

    # license files
    names, missing = _candidates(declared, list(file_names)) if read_file else ([], [])
    declared_set = {d.strip().lstrip("/") for d in declared} | {f"licenses/{d.strip().lstrip('/')}"
                                                                for d in declared}
    for f in missing:
        warnings.append(f"License-File {f!r} is declared but not present")
    files: list[_File] = []
    for name in names:
        data = read_file(name) if read_file else None
        if data is None:
            continue
        if len(data) > MAX_FILE or b"\x00" in data[:8192]:
            sha = hashlib.sha256(data).hexdigest()
            evidence.append(Evidence("license-file", where + name, "not read: binary or larger than "
                                     f"{MAX_FILE // 1024} KiB; sha256 {sha}", "license"))
            continue
        if _NOT_LICENSE_NAME.match(posixpath.basename(name)) and name not in declared_set:
            continue  # an author list or changelog in licenses/: no license terms to match
        sha = file_sha256(data, file_stat(name) if file_stat else None)
        try:  # valid UTF-8: the text's bytes are the file's, already hashed
            text, text_sha = data.decode("utf-8"), sha
        except UnicodeDecodeError:
            text, text_sha = data.decode("utf-8", errors="replace"), None
        files.append(_File(name, sha, text, match_text(text, text_sha)))
    for f in files:
        _file_parts(f, files, hints, where, evidence)
    from_files = _combine(files)
    extracted = tuple((f.ref, f.text[:MAX_EXTRACTED]) for f in files if f.ref)
    file_ids = set().union(*(_ids(p) for f in files for p in f.parts)) if files else set()

    by_id = tuple(sorted(extracted))  # License.extracted: each LicenseRef's own text

    def ref_text() -> str | None:  # the text of the one LicenseRef (several: each in extracted)
        return extracted[0][1] if len(extracted) == 1 else None

    # 1. PEP 639 License-Expression is authoritative
    if expr_field:
        canon = _canonical(expr_field)
        if canon is None:
            warnings.append(f"License-Expression {expr_field!r} is not a valid SPDX expression")
            return LicenseResult(License(None, expr_field, "License-Expression"),
                                 (Evidence("License-Expression", md_loc, expr_field, "license"),
                                  *evidence), tuple(warnings), ())
        ids = _ids(canon)
        for f in files:
            for p in f.parts:
                for lid in _ids(p):
                    if not _covered(lid, ids) and not lid.startswith("LicenseRef-"):
                        warnings.append(f"{f.name} contains {lid}, which License-Expression "
                                        f"{canon!r} does not name")
        for c in classifiers:
            mapped = CLASSIFIERS.get(c)
            if mapped and not all(_covered(i, ids) for i in _ids(mapped)):
                warnings.append(f"classifier {c!r} ({mapped}) contradicts License-Expression {canon!r}")
        evidence.insert(0, Evidence("License-Expression", md_loc, f"{canon} (PEP 639, authoritative)",
                                    "license"))
        refs = {r for r in _ids(canon) if r.startswith("LicenseRef-")}
        kept = tuple((r, t) for r, t in extracted if r in refs)
        return LicenseResult(License(canon, None, "License-Expression", tuple(sorted(kept))),
                             tuple(evidence), tuple(dict.fromkeys(warnings)), kept)

    # 2. license files
    if from_files:
        expr = from_files
        source = "license-file"
        if lic_expr and " OR " in lic_expr and {_base(i) for i in _ids(lic_expr)} == {
                _base(i) for i in file_ids if not i.startswith("LicenseRef-")} and " OR " not in expr:
            evidence.insert(0, Evidence("metadata", md_loc, f"License: {lic_expr} (a choice, as the "
                                        "files' licenses)", "license"))
            expr, source = lic_expr, "License"
        elif lic_expr and (named := {i for i in file_ids if not i.startswith("LicenseRef-")}) and all(
                _covered(i, _ids(lic_expr)) for i in named) and not all(
                _covered(i, named) for i in _ids(lic_expr)):
            # the License field names every license the files show, and more (a license whose
            # text is not shipped, or is in a file no template matched): the field is the answer
            refs = [i for i in sorted(file_ids) if i.startswith("LicenseRef-")]
            expr = " AND ".join([_paren(lic_expr), *refs]) if refs else lic_expr
            source = "License"
            evidence.insert(0, Evidence("metadata", md_loc, f"License: {lic_expr} (names every "
                                        f"license the files show: {from_files})", "license"))
        elif lic_expr and not all(_covered(i, file_ids) for i in _ids(lic_expr)):
            warnings.append(f"License {lic_field!r} contradicts the license files ({from_files})")
        for c in classifiers:
            mapped = CLASSIFIERS.get(c)
            if mapped and not all(_covered(i, file_ids) for i in _ids(mapped)):
                warnings.append(f"classifier {c!r} ({mapped}) contradicts the license files "
                                f"({from_files})")
        canon = _canonical(expr) or expr
        return LicenseResult(License(canon, ref_text(), source, by_id), tuple(evidence),
                             tuple(dict.fromkeys(warnings)), extracted)

    # 3. the License field: an expression, a known alias, or a whole license text
    if lic_field:
        if lic_expr:
            evidence.insert(0, Evidence("metadata", md_loc, f"License: {lic_field} → {lic_expr}",
                                        "license"))
            return LicenseResult(License(lic_expr, None, "License"), tuple(evidence), tuple(warnings))
        if "\n" in lic_field or len(lic_field) > 200:
            m = match_text(lic_field)
            ids = [h.license_id for h in m.hits if not h.is_header and not h.is_exception]
            if ids and not m.terms_left:
                expr = " AND ".join(sorted(set(ids)))
                evidence.insert(0, Evidence("metadata", md_loc, f"License field text: {expr} "
                                            "(SPDX template match)", "license"))
                return LicenseResult(License(expr, None, "License (text)"), tuple(evidence),
                                     tuple(warnings))

    # 4. classifiers
    mapped = [CLASSIFIERS.get(c) for c in classifiers]
    if classifiers and all(mapped):
        ids = sorted({m for m in mapped if m})
        expr = " OR ".join(ids)
        evidence.insert(0, Evidence("classifier", md_loc, "; ".join(classifiers) + f" → {expr}",
                                    "license"))
        return LicenseResult(License(expr, None, "classifier"), tuple(evidence), tuple(warnings))
    if lic_field:
        text = lic_field if len(lic_field) <= 4000 else lic_field[:4000] + "…"
        return LicenseResult(License(None, text, "License"), tuple(evidence), tuple(warnings))
    if classifiers:
        names = "; ".join(c.rsplit(" :: ", 1)[-1] for c in classifiers)
        return LicenseResult(License(None, names, "classifier"), tuple(evidence), tuple(warnings))
    return LicenseResult(None, tuple(evidence), tuple(warnings))
