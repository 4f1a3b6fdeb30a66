"""CVE JSON 5 records → the OSV fields a PSF-style advisory database holds.

The conversion follows what the PSF's database does with its CNA's records, and
fixes what its importer gets wrong:

* ``details``: the (first) English description, verbatim;
* ``published``/``modified``: ``cveMetadata.datePublished``/``dateUpdated``;
* ``aliases``: the CVE id;
* CPython: one affected entry with one ``GIT`` range on the cpython repository
  whose ``fixed`` events are the commits of references tagged ``patch``;
* a PyPI project (pip): an ``ECOSYSTEM`` range on PyPI from the record's versions;
* references from the CNA container only: ``FIX`` (fix commits of the affected
  repository), ``ADVISORY`` (``vendor-advisory``), ``REPORT`` (``issue-tracking``),
  ``WEB`` (everything else);
* ``database_specific.cwe_ids`` from ``problemTypes[].descriptions[].cweId`` (the
  PSF's importer reads ``cwdId`` and so writes ``[]``);
* ``summary`` from the title (the PSF's importer writes none);
* ``credits`` and ``severity`` (CVSS vectors) from the CNA container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name

from assay.advisory import timestamps
from assay.errors import InputError

CPYTHON_REPO = "https://github.com/python/cpython"
PYPI_HOSTS = ("pypi.org", "pypi.python.org", "files.pythonhosted.org")
_REPO = re.compile(r"https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", re.IGNORECASE)
_CWE = re.compile(r"CWE-[1-9]\d*")
_PROJECT = re.compile(r"[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]")

# CVE 5 credit types → OSV credit types
CREDIT_TYPES = {
    "finder": "FINDER", "reporter": "REPORTER", "analyst": "ANALYST", "coordinator": "COORDINATOR",
    "remediation developer": "REMEDIATION_DEVELOPER", "remediation reviewer": "REMEDIATION_REVIEWER",
    "remediation verifier": "REMEDIATION_VERIFIER", "tool": "TOOL", "sponsor": "SPONSOR", "other": "OTHER",
}
# CVE 5 metric keys → OSV severity types
METRIC_TYPES = {"cvssV4_0": "CVSS_V4", "cvssV3_1": "CVSS_V3", "cvssV3_0": "CVSS_V3", "cvssV2_0": "CVSS_V2"}


@dataclass(slots=True)
class Package:
    """A PyPI project the record affects, with its OSV events and exact versions."""

    name: str
    events: list[dict[str, str]] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Converted:
    """What a CVE JSON 5 record says, in OSV terms."""

    cve_id: str
    state: str
    published: str
    modified: str
    details: str
    summary: str
    product: str  # the database folder: "python" for CPython, else the PyPI project name
    cpython: bool
    fixed_commits: list[str]
    references: list[dict[str, str]]
    cwe_ids: list[str]
    credits: list[dict[str, Any]]
    severity: list[dict[str, str]]
    packages: list[Package]

    @property
    def year(self) -> int:
        return int(self.published[:4]) if self.published[:4].isdigit() else 0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def repo_key(url: str) -> str | None:
    """``owner/name`` (lower case) of a GitHub repository URL."""
    m = _REPO.match(url.strip())
    return f"{m[1]}/{m[2]}".lower() if m else None


def _is_cpython(aff: dict[str, Any]) -> bool:
    return (_str(aff.get("product")).lower() == "cpython"
            or repo_key(_str(aff.get("repo"))) == "python/cpython")


def _pypi_name(aff: dict[str, Any]) -> str | None:
    url = _str(aff.get("collectionURL")).lower()
    name = _str(aff.get("packageName"))
    # a project name (PEP 508) only: it becomes a folder of the database, so never a path
    if name and any(host in url for host in PYPI_HOSTS) and _PROJECT.fullmatch(name.strip()):
        return canonicalize_name(name.strip())
    return None


def english(items: Any, key: str = "value") -> str | None:
    """The first English entry of a CVE 5 language list (``en``, ``en-US``...), else the first."""
    if not isinstance(items, list):
        return None
    texts = [(i.get("lang"), i.get(key)) for i in items
             if isinstance(i, dict) and isinstance(i.get(key), str)]
    for lang, text in texts:
        if isinstance(lang, str) and lang.lower().split("-")[0] == "en":
            return text
    return texts[0][1] if texts else None


def _events_from_versions(aff: dict[str, Any]) -> tuple[list[dict[str, str]], list[str]]:
    """OSV events (and exact versions) of a CVE 5 affected entry for an ECOSYSTEM range."""
    events: list[dict[str, str]] = []
    exact: list[str] = []
    versions = [v for v in aff.get("versions") or () if isinstance(v, dict)]
    default_affected = aff.get("defaultStatus") == "affected"
    for ver in versions:
        start = _str(ver.get("version")).strip()
        if start in ("", "*", "n/a", "unspecified"):
            start = "0"
        less_than, less_equal = _str(ver.get("lessThan")), _str(ver.get("lessThanOrEqual"))
        if ver.get("status") == "affected":
            if less_than or less_equal:
                events.append({"introduced": start})
                changes = [c for c in ver.get("changes") or () if isinstance(c, dict)
                           and c.get("status") == "unaffected" and _str(c.get("at"))]
                for change in changes:
                    events.append({"fixed": _str(change["at"])})
                if less_than and less_than != "*":
                    events.append({"fixed": less_than})
                elif less_equal and less_equal != "*":
                    events.append({"last_affected": less_equal})
            elif start != "0":
                exact.append(start)
        elif ver.get("status") == "unaffected" and default_affected and not (less_than or less_equal):
            # "affected by default, unaffected from V": the way CNAs write "fixed in V"
            if not any("introduced" in e for e in events):
                events.append({"introduced": "0"})
            events.append({"fixed": start})
    if not versions and default_affected:
        events.append({"introduced": "0"})
    return events, exact


def convert(doc: Any, *, origin: str) -> Converted:
    """The OSV view of one CVE JSON 5 record; ``origin`` names the file in errors."""
    if not isinstance(doc, dict) or not isinstance(doc.get("cveMetadata"), dict):
        raise InputError(f"{origin}: not a CVE JSON 5 record (no cveMetadata)")
    meta = doc["cveMetadata"]
    cve_id = _str(meta.get("cveId"))
    if not re.fullmatch(r"CVE-\d{4}-\d{4,}", cve_id):
        raise InputError(f"{origin}: cveMetadata.cveId {cve_id!r} is not a CVE id")
    containers = doc.get("containers") if isinstance(doc.get("containers"), dict) else {}
    cna = containers.get("cna") if isinstance(containers.get("cna"), dict) else {}
    state = _str(meta.get("state")) or "PUBLISHED"
    affected = [a for a in cna.get("affected") or () if isinstance(a, dict)]

    cpython = any(_is_cpython(a) for a in affected)
    packages: list[Package] = []
    repos: set[str] = set()
    for aff in affected:
        if (key := repo_key(_str(aff.get("repo")))) is not None:
            repos.add(key)
        name = _pypi_name(aff)
        if name is not None and not _is_cpython(aff):
            events, exact = _events_from_versions(aff)
            packages.append(Package(name, events, exact))
    if cpython:
        product = "python"
        repos.add("python/cpython")
    elif packages:
        product = packages[0].name
    else:
        product = ""

    fixed: list[str] = []
    references: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for ref in cna.get("references") or ():
        if not isinstance(ref, dict) or not _str(ref.get("url")):
            continue
        url = ref["url"]
        tags = ref.get("tags") or ()
        kind = "WEB"
        commit = _commit(url, repos)
        if "patch" in tags and commit is not None:
            kind = "FIX"
            if commit[0] == "python/cpython" and commit[1] not in fixed:
                fixed.append(commit[1])
        elif "vendor-advisory" in tags:
            kind = "ADVISORY"
        elif "issue-tracking" in tags:
            kind = "REPORT"
        if (kind, url) not in seen:
            seen.add((kind, url))
            references.append({"type": kind, "url": url})

    cwe_ids: list[str] = []
    for problem in cna.get("problemTypes") or ():
        for desc in (problem or {}).get("descriptions") or ():
            if not isinstance(desc, dict):
                continue
            cwe = _str(desc.get("cweId"))
            if not cwe and _str(desc.get("type")).upper() == "CWE":
                m = _CWE.match(_str(desc.get("description")))
                cwe = m[0] if m else ""
            if _CWE.fullmatch(cwe) and cwe not in cwe_ids:
                cwe_ids.append(cwe)

    credits: list[dict[str, Any]] = []
    for credit in cna.get("credits") or ():
        if not isinstance(credit, dict) or not _str(credit.get("value")).strip():
            continue
        lang = _str(credit.get("lang")).lower().split("-")[0]
        if lang and lang != "en":
            continue
        entry: dict[str, Any] = {"name": credit["value"].strip()}
        kind = CREDIT_TYPES.get(_str(credit.get("type")).lower())
        if kind:
            entry["type"] = kind
        credits.append(entry)

    severity: list[dict[str, str]] = []
    for metric in cna.get("metrics") or ():
        if not isinstance(metric, dict):
            continue
        for key, kind in METRIC_TYPES.items():
            data = metric.get(key)
            vector = _str(data.get("vectorString")) if isinstance(data, dict) else ""
            if vector:
                entry = {"type": kind, "score": vector}
                if entry not in severity:
                    severity.append(entry)

    return Converted(
        cve_id=cve_id,
        state=state,
        published=timestamps.normalize(_str(meta.get("datePublished")) or _str(meta.get("dateUpdated"))),
        modified=timestamps.normalize(_str(meta.get("dateUpdated")) or _str(meta.get("datePublished"))),
        details=english(cna.get("descriptions")) or "",
        summary=" ".join(_str(cna.get("title")).split()),
        product=product,
        cpython=cpython,
        fixed_commits=fixed,
        references=references,
        cwe_ids=cwe_ids,
        credits=credits,
        severity=severity,
        packages=packages,
    )


_COMMIT = re.compile(r"https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+)/commit/([0-9a-fA-F]{20,})")


def _commit(url: str, repos: set[str]) -> tuple[str, str] | None:
    """(repository, commit) when ``url`` is a commit of one of the affected repositories."""
    m = _COMMIT.search(url)
    if not m:
        return None
    repo = f"{m[1]}/{m[2]}".lower()
    return (repo, m[3].lower()) if repo in repos else None
