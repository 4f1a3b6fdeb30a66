"""One advisory, whatever it was written in: an OSV record, or a draft a human writes (TOML/YAML).

:class:`Advisory` is what ``export-cve`` and ``announce`` work from. A draft is the
short form of a CVE record a security team fills in by hand (``assay advisory new``
writes a template)::

    id = "PSF-2026-3"
    cve = "CVE-2026-0000"
    product = "cpython"                 # or "pip", or another PyPI project
    title = "..."
    description = \"\"\"...\"\"\"
    modules = ["tarfile"]
    cwe = ["CWE-22"]
    fix_commits = ["<40 hex>", ...]     # CPython: resolved to versions by `resolve`
    affected = [{ introduced = "0", fixed = "25.3" }]   # PyPI projects (and CPython, to override)
    mitigation = \"\"\"...\"\"\"
    cvss_v4 = { vector = "CVSS:4.0/...", score = 6.3 }  # or cvss_v3 = "CVSS:3.1/..."
    [[references]]  url = "...", type = "issue-tracking"  (a CVE tag or an OSV type)
    [[credits]]     name = "...", type = "reporter"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.advisory.cve5 import CPYTHON_REPO, CREDIT_TYPES
from assay.errors import InputError
from assay.jsonio import read_json

# OSV reference types <-> CVE JSON 5 reference tags
OSV_TO_TAG = {"FIX": "patch", "ADVISORY": "vendor-advisory", "REPORT": "issue-tracking",
              "ARTICLE": "technical-description", "DISCUSSION": "mailing-list", "PACKAGE": "product",
              "EVIDENCE": "exploit", "DETECTION": "signature"}
TAG_TO_OSV = {"patch": "FIX", "vendor-advisory": "ADVISORY", "issue-tracking": "REPORT"}
CVE_TAGS = {"broken-link", "customer-entitlement", "exploit", "government-resource", "issue-tracking",
            "mailing-list", "mitigation", "not-applicable", "patch", "permissions-required",
            "media-coverage", "product", "related", "release-notes", "signature", "technical-description",
            "third-party-advisory", "vendor-advisory", "vdb-entry"}
OSV_CREDIT_TO_CVE = {v: k for k, v in CREDIT_TYPES.items()}
_SHA = re.compile(r"[0-9a-f]{40}")


@dataclass(slots=True)
class Reference:
    url: str
    tags: list[str] = field(default_factory=list)  # CVE JSON 5 tags

    @property
    def osv_type(self) -> str:
        for tag in self.tags:
            if tag in TAG_TO_OSV:
                return TAG_TO_OSV[tag]
        return "WEB"


@dataclass(slots=True)
class Cvss:
    vector: str
    score: float | None = None

    @property
    def version(self) -> str:
        if not self.vector.startswith("CVSS:"):
            return "2.0"
        return self.vector.split("/", 1)[0].removeprefix("CVSS:")


@dataclass(slots=True)
class Advisory:
    cve: str
    title: str
    description: str
    product: str = "cpython"  # "cpython" or a PyPI project name
    id: str = ""
    aliases: list[str] = field(default_factory=list)
    vendor: str = ""
    modules: list[str] = field(default_factory=list)
    cwe: list[str] = field(default_factory=list)  # "CWE-22" or "CWE-22 Improper ..."
    published: str = ""
    modified: str = ""
    fix_commits: list[str] = field(default_factory=list)
    introduced: str = "0"
    ranges: list[dict[str, str]] = field(default_factory=list)  # {"introduced", "fixed"|"last_affected"}
    versions: list[dict[str, str]] = field(default_factory=list)  # explicit CVE 5 versions (override)
    references: list[Reference] = field(default_factory=list)
    credits: list[tuple[str, str]] = field(default_factory=list)  # (name, CVE credit type)
    cvss: list[Cvss] = field(default_factory=list)
    mitigation: str = ""
    origin: str = ""

    @property
    def cpython(self) -> bool:
        return self.product.lower() in ("cpython", "python")

    @property
    def cwe_ids(self) -> list[str]:
        return [c.split()[0] for c in self.cwe]


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def from_osv(doc: dict[str, Any], *, origin: str) -> Advisory:
    """An OSV record (the PSF flavour: GIT ranges on cpython, or ECOSYSTEM ranges on PyPI)."""
    aliases = [a for a in doc.get("aliases") or () if isinstance(a, str)]
    cve = next((a for a in aliases if a.startswith("CVE-")), "")
    adv = Advisory(cve=cve, title=_s(doc.get("summary")), description=_s(doc.get("details")),
                   id=_s(doc.get("id")), aliases=aliases, published=_s(doc.get("published")),
                   modified=_s(doc.get("modified")), origin=origin)
    dbs = doc.get("database_specific") if isinstance(doc.get("database_specific"), dict) else {}
    adv.cwe = [c for c in dbs.get("cwe_ids") or () if isinstance(c, str)]
    product = ""
    for aff in doc.get("affected") or ():
        if not isinstance(aff, dict):
            continue
        pkg = aff.get("package") if isinstance(aff.get("package"), dict) else {}
        for rng in aff.get("ranges") or ():
            if not isinstance(rng, dict):
                continue
            if rng.get("type") == "GIT" and "python/cpython" in _s(rng.get("repo")):
                product = "cpython"
                for event in rng.get("events") or ():
                    for kind, value in (event or {}).items():
                        if kind == "fixed" and value not in adv.fix_commits:
                            adv.fix_commits.append(str(value))
                        elif kind == "introduced" and value != "0":
                            adv.introduced = str(value)
            elif rng.get("type") == "ECOSYSTEM" and _s(pkg.get("ecosystem")).split(":")[0] == "PyPI":
                product = product or _s(pkg.get("name"))
                adv.ranges.extend(_pairs(rng.get("events") or ()))
    adv.product = product or "cpython"
    for ref in doc.get("references") or ():
        if isinstance(ref, dict) and _s(ref.get("url")):
            tag = OSV_TO_TAG.get(_s(ref.get("type")))
            adv.references.append(Reference(ref["url"], [tag] if tag else []))
    for credit in doc.get("credits") or ():
        if isinstance(credit, dict) and _s(credit.get("name")):
            adv.credits.append((credit["name"], OSV_CREDIT_TO_CVE.get(_s(credit.get("type")), "")))
    for sev in doc.get("severity") or ():
        if isinstance(sev, dict) and _s(sev.get("score")).startswith("CVSS:"):
            adv.cvss.append(Cvss(sev["score"]))
    return adv


def _pairs(events: Any) -> list[dict[str, str]]:
    """OSV events → [{"introduced", "fixed"/"last_affected"}], one per affected stretch."""
    out: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for event in events:
        if not isinstance(event, dict):
            continue
        for kind, value in event.items():
            if kind == "introduced":
                if current is not None:
                    out.append(current)
                current = {"introduced": str(value)}
            elif kind in ("fixed", "last_affected", "limit") and current is not None:
                current["last_affected" if kind == "last_affected" else "fixed"] = str(value)
                out.append(current)
                current = None
    if current is not None:
        out.append(current)
    return out


def read_draft(path: Path) -> Advisory:
    """A draft (``.toml``, ``.yaml``/``.yml``) or an OSV record (``.json``)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        doc, _ = read_json(path)
        if not isinstance(doc, dict):
            raise InputError(f"{path}: not an OSV record (not a JSON object)")
        if "cveMetadata" in doc:
            raise InputError(f"{path}: already a CVE JSON 5 record (give an OSV record or a draft)")
        return from_osv(doc, origin=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    if suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: not valid TOML ({exc})") from None
    elif suffix in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from None
    else:
        raise InputError(f"{path}: a draft is .toml, .yaml or .yml (or an OSV .json record)")
    if not isinstance(data, dict):
        raise InputError(f"{path}: a draft is a table of fields")
    return from_draft(data, origin=str(path))


def paragraphs(text: str) -> str:
    """A draft's prose: lines within a paragraph joined, paragraphs kept (blank-line separated)."""
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(p for p in paras if p)


def _list(data: dict[str, Any], key: str, origin: str) -> list[Any]:
    value = data.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise InputError(f"{origin}: {key}: expected a list")
    return value


def from_draft(data: dict[str, Any], *, origin: str) -> Advisory:
    known = {"id", "cve", "product", "vendor", "title", "description", "modules", "cwe", "published",
             "modified", "fix_commits", "introduced", "affected", "versions", "references", "credits",
             "cvss_v4", "cvss_v3", "mitigation", "aliases"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"{origin}: unknown field {unknown[0]!r} (fields: {', '.join(sorted(known))})")
    for key in ("title", "description"):
        if not _s(data.get(key)).strip():
            raise InputError(f"{origin}: {key}: required")
    cve = _s(data.get("cve"))
    if cve and not re.fullmatch(r"CVE-\d{4}-\d{4,}", cve):
        raise InputError(f"{origin}: cve: {cve!r} is not a CVE id")
    adv = Advisory(cve=cve, title=" ".join(data["title"].split()),
                   description=paragraphs(data["description"]),
                   product=_s(data.get("product")) or "cpython", id=_s(data.get("id")),
                   vendor=_s(data.get("vendor")), published=str(data.get("published") or ""),
                   modified=str(data.get("modified") or ""),
                   mitigation=paragraphs(_s(data.get("mitigation"))),
                   introduced=_s(data.get("introduced")) or "0", origin=origin)
    adv.aliases = [a for a in _list(data, "aliases", origin) if isinstance(a, str)]
    if cve and cve not in adv.aliases:
        adv.aliases.insert(0, cve)
    adv.modules = [str(m) for m in _list(data, "modules", origin)]
    for cwe in _list(data, "cwe", origin):
        if not re.match(r"CWE-[1-9]\d*(\s|$)", str(cwe)):
            raise InputError(f"{origin}: cwe: {cwe!r} does not start with a CWE id (CWE-N)")
        adv.cwe.append(str(cwe))
    for commit in _list(data, "fix_commits", origin):
        if not _SHA.fullmatch(str(commit)):
            raise InputError(f"{origin}: fix_commits: {commit!r} is not a full commit hash")
        adv.fix_commits.append(str(commit))
    for i, rng in enumerate(_list(data, "affected", origin)):
        if not isinstance(rng, dict) or not ({"fixed", "last_affected", "introduced"} & set(rng)):
            raise InputError(f"{origin}: affected[{i}]: expected {{introduced = ..., fixed = ...}}")
        adv.ranges.append({k: str(v) for k, v in rng.items()
                           if k in ("introduced", "fixed", "last_affected")})
        adv.ranges[-1].setdefault("introduced", "0")
    for i, ver in enumerate(_list(data, "versions", origin)):
        if not isinstance(ver, dict) or "version" not in ver:
            raise InputError(f"{origin}: versions[{i}]: expected a CVE 5 version entry")
        adv.versions.append({str(k): str(v) for k, v in ver.items()})
    for i, ref in enumerate(_list(data, "references", origin)):
        if isinstance(ref, str):
            ref = {"url": ref}
        if not isinstance(ref, dict) or not _s(ref.get("url")):
            raise InputError(f"{origin}: references[{i}]: needs a url")
        kinds = ref.get("type") or ref.get("tags") or []
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        tags = []
        for kind in kinds:
            tag = OSV_TO_TAG.get(str(kind).upper(), str(kind).lower())
            if str(kind).upper() == "WEB":
                continue
            if tag not in CVE_TAGS:
                raise InputError(f"{origin}: references[{i}]: unknown type {kind!r}")
            tags.append(tag)
        adv.references.append(Reference(ref["url"], tags))
    for i, credit in enumerate(_list(data, "credits", origin)):
        if isinstance(credit, str):
            credit = {"name": credit}
        kind = _s(credit.get("type")).lower().replace("_", " ") if isinstance(credit, dict) else ""
        if not isinstance(credit, dict) or not _s(credit.get("name")) or (kind and kind not in CREDIT_TYPES):
            raise InputError(f"{origin}: credits[{i}]: needs a name and a type among "
                             f"{', '.join(CREDIT_TYPES)}")
        adv.credits.append((credit["name"], kind))
    for key in ("cvss_v4", "cvss_v3"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            value = {"vector": value}
        if not isinstance(value, dict) or not _s(value.get("vector")).startswith("CVSS:"):
            raise InputError(f"{origin}: {key}: expected a CVSS vector (CVSS:4.0/... or CVSS:3.1/...)")
        score = value.get("score")
        adv.cvss.append(Cvss(value["vector"], float(score) if isinstance(score, int | float) else None))
    if adv.cpython and not adv.fix_commits and not adv.versions and not adv.ranges:
        raise InputError(f"{origin}: a CPython draft needs fix_commits (or explicit versions)")
    if not adv.cpython and not adv.ranges and not adv.versions:
        raise InputError(f"{origin}: affected: give the affected versions of {adv.product}")
    return adv


TEMPLATE = '''# Draft advisory: fill in, check, then
#   assay advisory export-cve {name} --commit-table commit_tags.txt -o {cve_or_id}.json
#   assay advisory announce {name}
# Fields: https://cveproject.github.io/cve-schema/schema/docs/ (the CNA container)
id = "{id}"
cve = "{cve}"                    # the CVE id reserved for this advisory
product = "{product}"            # cpython, pip, or another PyPI project
title = ""                       # one line: what goes wrong, where
description = """
"""
modules = []                     # e.g. ["tarfile"]
cwe = []                         # e.g. ["CWE-22"]
{affected}
mitigation = """
"""
# cvss_v4 = {{ vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N" }}

# [[references]]
# url = "https://github.com/python/cpython/issues/NNNNNN"
# type = "issue-tracking"        # issue-tracking, patch, vendor-advisory, or any CVE tag

# [[credits]]
# name = ""
# type = "reporter"              # finder, reporter, remediation developer, coordinator, ...
'''


def template(*, adv_id: str, cve: str, product: str, name: str) -> str:
    if product.lower() in ("cpython", "python"):
        affected = 'fix_commits = []                 # full hashes of the fix on each branch (and main)'
        product = "cpython"
    else:
        affected = 'affected = [{ introduced = "0", fixed = "" }]   # PEP 440 versions'
    return TEMPLATE.format(id=adv_id, cve=cve, product=product, name=name, affected=affected,
                           cve_or_id=cve or adv_id or "advisory")


__all__ = ["CPYTHON_REPO", "Advisory", "Cvss", "Reference", "from_draft", "from_osv", "read_draft",
           "template"]
