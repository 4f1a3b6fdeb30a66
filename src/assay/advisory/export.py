"""``assay advisory export-cve``: an advisory (OSV record or draft) → a CVE JSON 5 record.

The CNA container carries the descriptions, the affected product with versions
(from :mod:`assay.advisory.resolve` for CPython fix commits, from the ranges for a
PyPI project), references with tags, problem types, credits and CVSS metrics.
The record is validated against the official CVE JSON 5 schema before it is
written; ``--container-only`` gives just the CNA container, the document that
CVE Services' ``publish`` takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assay.advisory import timestamps
from assay.advisory.cve5 import CPYTHON_REPO
from assay.advisory.draft import Advisory, Reference
from assay.advisory.resolve import Resolution, resolve
from assay.errors import ConfigError, InputError
from assay.vulndb.cvss import v2_base_score, v3_base_score

_COMMIT_URL = re.compile(r"github\.com/python/cpython/commit/([0-9a-fA-F]{20,})")
PSF_ORG_ID = "28c92f92-d60d-412d-b760-e73465c3df22"  # the PSF CNA's CVE Services organisation id
PSF_SHORT_NAME = "PSF"
DATA_VERSION = "5.2"
PYPI_VENDORS = {"pip": "Python Packaging Authority"}
CVSS_EXTRA_HINT = "pip install 'assay[advisory]'"


@dataclass(slots=True)
class Exported:
    record: dict[str, Any]
    resolution: Resolution | None = None
    warnings: list[str] = field(default_factory=list)


def severity_word(score: float) -> str:
    if score == 0:
        return "NONE"
    if score < 4:
        return "LOW"
    if score < 7:
        return "MEDIUM"
    if score < 9:
        return "HIGH"
    return "CRITICAL"


def v4_score(vector: str) -> float:
    """The CVSS 4.0 base score of ``vector`` (through the ``cvss`` library: the macro-vector
    lookup table of the specification is not assay's to copy)."""
    try:
        from cvss import CVSS4
    except ImportError:
        raise ConfigError("a CVSS 4.0 base score needs the cvss library (or give score = ... in the draft)",
                          hint=CVSS_EXTRA_HINT) from None
    try:
        return float(CVSS4(vector).base_score)
    except Exception as exc:  # the library raises its own error classes for malformed vectors
        raise InputError(f"{vector}: not a valid CVSS 4.0 vector ({exc})") from None


def _metric(vector: str, score: float | None, origin: str) -> dict[str, Any]:
    if vector.startswith("CVSS:4.0/"):
        key, version = "cvssV4_0", "4.0"
        score = score if score is not None else v4_score(vector)
    elif vector.startswith(("CVSS:3.1/", "CVSS:3.0/")):
        version = vector[5:8]
        key = "cvssV3_1" if version == "3.1" else "cvssV3_0"
        computed = v3_base_score(vector)
        if computed is None:
            raise InputError(f"{origin}: {vector}: not a complete CVSS 3 vector")
        score = score if score is not None else computed
    else:
        key, version = "cvssV2_0", "2.0"
        computed = v2_base_score(vector)
        if computed is None:
            raise InputError(f"{origin}: {vector}: not a CVSS vector assay knows")
        score = score if score is not None else computed
        vector = vector.removeprefix("CVSS:2.0/").strip("()")
    data: dict[str, Any] = {"version": version, "vectorString": vector, "baseScore": score}
    if key != "cvssV2_0":
        data["baseSeverity"] = severity_word(score)
    return {"format": "CVSS", key: data, "scenarios": [{"lang": "en", "value": "GENERAL"}]}


def pypi_versions(adv: Advisory) -> list[dict[str, str]]:
    out = []
    for rng in adv.ranges:
        entry = {"version": rng.get("introduced", "0"), "status": "affected", "versionType": "python"}
        if "fixed" in rng:
            entry["lessThan"] = rng["fixed"]
        elif "last_affected" in rng:
            entry["lessThanOrEqual"] = rng["last_affected"]
        else:
            entry["lessThan"] = "*"
        out.append(entry)
    return out


def to_cve5(adv: Advisory, *, resolver: Any = None, releases: list[Any] | None = None,
            org_id: str = PSF_ORG_ID, short_name: str = PSF_SHORT_NAME) -> Exported:
    """The CVE JSON 5 record of ``adv`` (not yet validated: see :func:`validate_record`)."""
    if not adv.cve:
        raise InputError(f"{adv.origin}: no CVE id (an alias CVE-YYYY-N, or cve = ... in a draft)")
    out = Exported({})
    affected: dict[str, Any]
    if adv.cpython:
        affected = {"vendor": adv.vendor or "Python Software Foundation", "product": "CPython",
                    "repo": CPYTHON_REPO}
        if adv.modules:
            affected["modules"] = adv.modules
        affected["defaultStatus"] = "unaffected"
        versions = adv.versions
        if not versions and adv.fix_commits:
            if resolver is None or not resolver:
                raise InputError(f"{adv.origin}: CPython fix commits need --commit-table or --clone to "
                                 "become versions (or give versions in the draft)")
            res = resolve(adv.fix_commits, resolver, releases or [], introduced=adv.introduced)
            out.resolution = res
            versions = res.versions
            if not res.decided:
                out.warnings.append(f"versions undecidable: {res.undecided}")
            for b in res.branches:
                if b.status == "unknown":
                    out.warnings.append(f"{b.branch[0]}.{b.branch[1]}: {b.reason}")
        if versions:
            affected["versions"] = versions
        else:
            affected["defaultStatus"] = "unknown"
    else:
        name = adv.product
        affected = {"vendor": adv.vendor or PYPI_VENDORS.get(name, name), "product": name,
                    "collectionURL": "https://pypi.org", "packageName": name,
                    "defaultStatus": "unaffected",
                    "versions": adv.versions or pypi_versions(adv)}
    cna: dict[str, Any] = {"providerMetadata": {"orgId": org_id, "shortName": short_name}}
    if adv.title:
        cna["title"] = adv.title[:256]
    cna["descriptions"] = [{"lang": "en", "value": adv.description}]
    cna["affected"] = [affected]
    if adv.cwe:
        cna["problemTypes"] = [{"descriptions": [
            {"cweId": c.split()[0], "description": c, "lang": "en", "type": "CWE"} for c in adv.cwe]}]
    refs = []
    seen: set[str] = set()
    references = list(adv.references)
    if adv.cpython:  # every fix commit as a patch reference: what makes the GIT range on import
        linked = {m[1].lower() for r in references if (m := _COMMIT_URL.search(r.url))}
        references += [Reference(f"{CPYTHON_REPO}/commit/{c}", ["patch"])
                       for c in adv.fix_commits if c.lower() not in linked]
    for ref in references:
        if ref.url in seen:
            continue
        seen.add(ref.url)
        entry: dict[str, Any] = {"url": ref.url}
        if ref.tags:
            entry["tags"] = ref.tags
        refs.append(entry)
    if not refs:
        raise InputError(f"{adv.origin}: a CVE record needs at least one reference")
    cna["references"] = refs
    if adv.credits:
        credits = []
        for name, kind in adv.credits:
            credit = {"lang": "en", "value": name}
            if kind:
                credit["type"] = kind
            if credit not in credits:
                credits.append(credit)
        cna["credits"] = credits
    metrics = [_metric(c.vector, c.score, adv.origin) for c in adv.cvss]
    if metrics:
        cna["metrics"] = metrics
    if adv.mitigation:
        cna["workarounds"] = [{"lang": "en", "value": adv.mitigation}]
    cna["source"] = {"discovery": "UNKNOWN"}
    from assay import __version__

    cna["x_generator"] = {"engine": f"assay {__version__}"}
    meta: dict[str, Any] = {"cveId": adv.cve, "assignerOrgId": org_id, "assignerShortName": short_name,
                            "state": "PUBLISHED"}
    if adv.published:
        meta["datePublished"] = timestamps.normalize(adv.published)
    if adv.modified:
        meta["dateUpdated"] = timestamps.normalize(adv.modified)
    out.record = {"dataType": "CVE_RECORD", "dataVersion": DATA_VERSION, "cveMetadata": meta,
                  "containers": {"cna": cna}}
    return out


def validate_record(record: dict[str, Any], *, container_only: bool = False) -> list[tuple[str, str]]:
    from assay.advisory import schemas

    if container_only:
        return schemas.errors(schemas.CVE5_SCHEMA, record, definition="cnaPublishedContainer")
    return schemas.errors(schemas.CVE5_SCHEMA, record)
