"""Advisory records: every input format is turned into one :class:`Record` before storage.

Parsers for OSV (JSON/YAML, PyPA and PSF flavours), NVD CVE API 2.0 (full API
responses and one-record-per-file mirrors) and CVE JSON 5. Pure functions over
already-decoded documents; reading files and archives is :mod:`assay.vulndb.importer`'s job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name

from assay.jsonio import validator
from assay.model import Severity
from assay.vulndb.cvss import score_of, severity_of
from assay.vulndb.ranges import sort_events, split_cpe
from assay.vulndb.versions import pep440

CPYTHON_REPOS = ("github.com/python/cpython",)


@dataclass(slots=True)
class PackageAffected:
    """An OSV ``affected`` entry: ranges as ``[{"type", "events": [[kind, version], ...]}]``."""

    ecosystem: str
    name: str
    ranges: list[dict[str, Any]] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class CpeAffected:
    vendor: str
    product: str
    exact: str | None = None
    start_incl: str | None = None
    start_excl: str | None = None
    end_incl: str | None = None
    end_excl: str | None = None


@dataclass(slots=True)
class Record:
    id: str
    source: str
    modified: str = ""
    published: str = ""
    withdrawn: str = ""
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    severity: int = int(Severity.UNKNOWN)
    score: float | None = None
    vector: str = ""
    references: list[str] = field(default_factory=list)
    packages: list[PackageAffected] = field(default_factory=list)
    cpes: list[CpeAffected] = field(default_factory=list)

    def rows(self) -> Rows:
        """The record as the store's rows: (advisory row, package rows, cpe rows)."""
        adv = (self.source, self.id, self.modified, self.published, self.withdrawn,
               json.dumps(self.aliases), self.summary, self.severity, self.score, self.vector,
               json.dumps(self.references))
        if self.withdrawn:
            return adv, [], []
        pkgs = [(self.source, self.id, p.ecosystem, p.name, json.dumps(p.ranges, separators=(",", ":")),
                 json.dumps(p.versions, separators=(",", ":"))) for p in self.packages]
        cpes = [(self.source, self.id, c.vendor, c.product, c.exact, c.start_incl, c.start_excl,
                 c.end_incl, c.end_excl) for c in self.cpes]
        return adv, pkgs, cpes


Rows = tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]


class NotAdvisory(ValueError):
    """The document is not an advisory format assay reads."""


# -- dispatch ---------------------------------------------------------------

def records_from_document(doc: Any, invalid: Callable[[str], None] | None = None) -> Iterator[Record]:
    """All records in a decoded JSON/YAML document of any supported format.

    OSV records are checked against the official OSV schema first: one that does not validate
    is skipped, and ``invalid`` is told its id and why (the others of the document are read)."""
    if isinstance(doc, list):
        for item in doc:
            if isinstance(item, dict) and "id" in item:
                yield from records_from_document(item, invalid)
        return
    if not isinstance(doc, dict):
        raise NotAdvisory("not an object")
    if isinstance(doc.get("vulnerabilities"), list):  # NVD CVE API 2.0 response
        for item in doc["vulnerabilities"]:
            if isinstance(item, dict) and isinstance(item.get("cve"), dict):
                yield nvd_record(item["cve"])
        return
    if "cveMetadata" in doc or doc.get("dataType") == "CVE_RECORD":
        yield cve5_record(doc)
        return
    if isinstance(doc.get("cve"), dict):  # one API result with its wrapper
        yield nvd_record(doc["cve"])
        return
    if isinstance(doc.get("id"), str) and ("configurations" in doc or "vulnStatus" in doc):
        yield nvd_record(doc)
        return
    if "id" in doc and ("affected" in doc or "modified" in doc):
        valid = _valid_osv(doc, invalid)
        if valid is not None:
            yield osv_record(valid)
        return
    raise NotAdvisory("neither OSV, NVD CVE API 2.0 nor CVE JSON 5")


# -- OSV ----------------------------------------------------------------------

_MAX_REPAIRS = 50


def _valid_osv(doc: dict[str, Any], invalid: Callable[[str], None] | None) -> dict[str, Any] | None:
    """``doc`` if it is valid OSV. Otherwise the smallest invalid part is left out and said: a
    range that breaks the schema (a GIT range whose "fixed" is not a commit hash) costs that
    range, an invalid ``affected`` entry costs that entry, anything else costs the record."""
    check = validator("osv")
    shown = doc["id"] if isinstance(doc["id"], str) else repr(doc["id"])[:40]

    def tell(text: str) -> None:
        if invalid is None:
            raise ValueError(text)
        invalid(text)

    for _ in range(_MAX_REPAIRS):
        problem = check(doc)
        if problem is None:
            return doc
        path = getattr(problem, "path", ())
        affected = doc.get("affected")
        if len(path) >= 2 and path[0] == "affected" and path[1].isdigit() and isinstance(affected, list) \
                and int(path[1]) < len(affected):
            i = int(path[1])
            entry = affected[i]
            ranges = entry.get("ranges") if isinstance(entry, dict) else None
            if len(path) >= 4 and path[2] == "ranges" and path[3].isdigit() and isinstance(ranges, list) \
                    and int(path[3]) < len(ranges):
                j = int(path[3])
                kept = [r for k, r in enumerate(ranges) if k != j]
                entry = {k: v for k, v in entry.items() if k != "ranges"} | ({"ranges": kept} if kept else {})
                tell(f"OSV record {shown}: range affected[{i}].ranges[{j}] skipped, "
                     f"not valid OSV ({problem})")
            else:
                entry = None
                tell(f"OSV record {shown}: affected[{i}] skipped, not valid OSV ({problem})")
            rest = [e for k, e in enumerate(affected) if k != i] if entry is None else \
                [entry if k == i else e for k, e in enumerate(affected)]
            doc = {**doc, "affected": rest}
            continue
        tell(f"OSV record {shown} skipped: not valid OSV ({problem})")
        return None
    tell(f"OSV record {shown} skipped: not valid OSV (too many invalid parts)")
    return None

def _osv_source(adv_id: str) -> str:
    if adv_id.startswith("PSF-"):
        return "psf"
    if adv_id.startswith("PYSEC-"):
        return "osv:pypa"
    if adv_id.startswith("GHSA-"):
        return "osv:ghsa"
    return "osv"


def _severity_words(text: str) -> int:
    word = text.strip().upper()
    if word == "MODERATE":
        word = "MEDIUM"
    try:
        return int(Severity[word])
    except KeyError:
        return int(Severity.UNKNOWN)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def osv_record(doc: dict[str, Any]) -> Record:
    adv_id = _str(doc["id"])
    rec = Record(
        id=adv_id,
        source=_osv_source(adv_id),
        modified=_str(doc.get("modified")),
        published=_str(doc.get("published")),
        withdrawn=_str(doc.get("withdrawn")),
        aliases=[a for a in doc.get("aliases") or () if isinstance(a, str)],
        summary=_str(doc.get("summary")) or _first_line(_str(doc.get("details"))),
        references=[r["url"] for r in doc.get("references") or () if isinstance(r, dict) and "url" in r],
    )
    _osv_severity(rec, doc)
    for aff in doc.get("affected") or ():
        if not isinstance(aff, dict):
            continue
        pkg = aff.get("package") or {}
        ecosystem = _str(pkg.get("ecosystem"))
        name = _str(pkg.get("name"))
        ranges = []
        cpython = False
        for rng in aff.get("ranges") or ():
            rtype = _str(rng.get("type"))
            events = [(k, _str(v)) for ev in rng.get("events") or () for k, v in ev.items()]
            if rtype == "GIT":
                repo = _str(rng.get("repo")).removeprefix("https://").removeprefix("http://")
                repo = repo.removesuffix(".git").rstrip("/")
                if repo in CPYTHON_REPOS:
                    cpython = True
                    ranges.append({"type": "GIT", "repo": repo, "events": events})
                continue
            if rtype == "ECOSYSTEM" and ecosystem.split(":")[0] == "PyPI":
                rng_out: dict[str, Any] = {"type": rtype, "events": sort_events(events)}
                invalid = [v for k, v in events if not (k == "introduced" and v == "0") and pep440(v) is None]
                if invalid:  # such a range cannot be walked: matches against it are undecided
                    rng_out["invalid"] = invalid
                ranges.append(rng_out)
            elif rtype in ("ECOSYSTEM", "SEMVER"):
                ranges.append({"type": rtype, "events": events})
        if cpython and not name:
            ecosystem, name = "CPython", "cpython"
        if not ecosystem or not name:
            continue
        if ecosystem.split(":")[0] == "PyPI":
            ecosystem = "PyPI"
            name = canonicalize_name(name)
            versions = [_norm_pep440(v) for v in aff.get("versions") or ()]
        else:
            versions = [_str(v) for v in aff.get("versions") or ()]
        for level in (aff.get("ecosystem_specific") or {}, aff.get("database_specific") or {}):
            if rec.severity == Severity.UNKNOWN and isinstance(level, dict) and "severity" in level:
                rec.severity = _severity_words(_str(level["severity"]))
        rec.packages.append(PackageAffected(ecosystem, name, ranges, versions))
    return rec


_CANONICAL = re.compile(r"(0|[1-9]\d*)(\.(0|[1-9]\d*))*((a|b|rc)(0|[1-9]\d*))?(\.post(0|[1-9]\d*))?"
                        r"(\.dev(0|[1-9]\d*))?")


def _norm_pep440(text: Any) -> str:
    text = _str(text)
    if _CANONICAL.fullmatch(text):  # already PEP 440 normal form: skip the parse
        return text
    parsed = pep440(text)
    return str(parsed) if parsed is not None else text


def _osv_severity(rec: Record, doc: dict[str, Any]) -> None:
    best: tuple[int, float, str] | None = None
    for sev in doc.get("severity") or ():
        if not isinstance(sev, dict):
            continue
        vector = _str(sev.get("score"))
        score = score_of(vector)
        if score is None:
            try:
                score = float(vector)
            except ValueError:
                if rec.vector == "":
                    rec.vector = vector
                continue
        rank = {"CVSS_V4": 4, "CVSS_V3": 3, "CVSS_V2": 2}.get(_str(sev.get("type")), 1)
        if best is None or rank > best[0]:
            best = (rank, score, vector)
    if best is not None:
        rec.score, rec.vector = best[1], best[2]
        rec.severity = int(severity_of(best[1], best[2]))
    else:
        db = doc.get("database_specific")
        if isinstance(db, dict) and isinstance(db.get("severity"), str):
            rec.severity = _severity_words(db["severity"])


def _first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0]
    return line[:200]


# -- NVD CVE API 2.0 ---------------------------------------------------------

_NVD_METRICS = ("cvssMetricV40", "cvssMetricV31", "cvssMetricV30", "cvssMetricV2")


def nvd_record(cve: dict[str, Any]) -> Record:
    rec = Record(
        id=_str(cve["id"]),
        source="nvd",
        modified=_str(cve.get("lastModified")),
        published=_str(cve.get("published")),
        withdrawn=_str(cve.get("published")) if _str(cve.get("vulnStatus")) == "Rejected" else "",
        summary=_first_line(next((_str(d.get("value")) for d in cve.get("descriptions") or ()
                                  if d.get("lang") == "en"), "")),
        references=[_str(r.get("url")) for r in cve.get("references") or () if isinstance(r, dict)],
    )
    metrics = cve.get("metrics") or {}
    for key in _NVD_METRICS:
        entries = metrics.get(key) or []
        if not entries:
            continue
        entry = next((e for e in entries if e.get("type") == "Primary"), entries[0])
        data = entry.get("cvssData") or {}
        score = data.get("baseScore")
        rec.vector = _str(data.get("vectorString"))
        if isinstance(score, int | float):
            rec.score = float(score)
            rec.severity = int(Severity.from_score(rec.score))
        elif rec.vector:
            rec.score = score_of(rec.vector)
            rec.severity = int(severity_of(rec.score, rec.vector))
        if key == "cvssMetricV2" and isinstance(entry.get("baseSeverity"), str):
            rec.severity = _severity_words(entry["baseSeverity"])
        break
    seen: set[tuple[Any, ...]] = set()
    for config in cve.get("configurations") or ():
        for node in config.get("nodes") or ():
            if node.get("negate"):
                continue
            for match in node.get("cpeMatch") or ():
                # only the vulnerable CPEs: platforms in AND configurations are
                # "vulnerable": false and never count.
                if not match.get("vulnerable"):
                    continue
                cpe = _nvd_cpe(match)
                if cpe is None:
                    continue
                key = (cpe.vendor, cpe.product, cpe.exact, cpe.start_incl, cpe.start_excl,
                       cpe.end_incl, cpe.end_excl)
                if key not in seen:
                    seen.add(key)
                    rec.cpes.append(cpe)
    return rec


def _nvd_cpe(match: dict[str, Any]) -> CpeAffected | None:
    parts = split_cpe(_str(match.get("criteria")))
    if parts is None:
        return None
    part, vendor, product, version = parts
    if part != "a":  # applications and libraries; o/h are platforms
        return None
    exact = None if version in ("*", "-", "") else version
    if version == "-":  # "not applicable": no version can be matched
        return None
    return CpeAffected(
        vendor, product, exact,
        match.get("versionStartIncluding"), match.get("versionStartExcluding"),
        match.get("versionEndIncluding"), match.get("versionEndExcluding"),
    )


# -- CVE JSON 5 ---------------------------------------------------------------

def cve5_record(doc: dict[str, Any]) -> Record:
    meta = doc.get("cveMetadata") or {}
    containers = doc.get("containers") or {}
    cna = containers.get("cna") or {}
    rec = Record(
        id=_str(meta.get("cveId")),
        source="cve5",
        modified=_str(meta.get("dateUpdated")) or _str(meta.get("datePublished")),
        published=_str(meta.get("datePublished")),
        withdrawn=_str(meta.get("dateUpdated")) if meta.get("state") == "REJECTED" else "",
        summary=_first_line(next((_str(d.get("value")) for d in cna.get("descriptions") or ()
                                  if _str(d.get("lang")).startswith("en")), "")),
        references=[_str(r.get("url")) for r in cna.get("references") or () if isinstance(r, dict)],
    )
    if not rec.id:
        raise NotAdvisory("CVE JSON 5 record without cveMetadata.cveId")
    for container in [cna, *(containers.get("adp") or ())]:
        for metric in container.get("metrics") or ():
            for key in ("cvssV4_0", "cvssV3_1", "cvssV3_0"):
                data = metric.get(key)
                if isinstance(data, dict) and rec.score is None:
                    score = data.get("baseScore")
                    rec.vector = _str(data.get("vectorString"))
                    rec.score = float(score) if isinstance(score, int | float) else score_of(rec.vector)
                    rec.severity = int(Severity.from_score(rec.score))
    # Machine-readable CPEs with version ranges count; vendor/product names in free
    # text do not (they are not CPE vendor:product and would match by guesswork).
    for aff in cna.get("affected") or ():
        for cpe_text in aff.get("cpes") or ():
            parts = split_cpe(_str(cpe_text))
            if parts is None or parts[0] != "a":
                continue
            _, vendor, product, version = parts
            versions = aff.get("versions") or []
            if version not in ("*", "-", ""):
                rec.cpes.append(CpeAffected(vendor, product, exact=version))
                continue
            for ver in versions:
                if ver.get("status") != "affected":
                    continue
                start = _str(ver.get("version"))
                lt, le = _bound(ver.get("lessThan")), _bound(ver.get("lessThanOrEqual"))
                if lt or le:
                    rec.cpes.append(CpeAffected(vendor, product, None,
                                                start if start not in ("0", "", "*") else None,
                                                None, le, lt))
                elif start and start not in ("*", "n/a", "unspecified"):
                    rec.cpes.append(CpeAffected(vendor, product, exact=start))
    return rec



def _bound(value: Any) -> str | None:
    text = _str(value)
    return None if text in ("", "*", "unspecified", "n/a") else text
