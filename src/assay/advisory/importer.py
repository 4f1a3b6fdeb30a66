"""``assay advisory import-cve``: CVE JSON 5 records into an OSV advisory database.

A record whose aliases already hold the CVE id is updated in place: its layout
(key order, indentation, escapes, final newline) is kept, and so are the fields a
human sets by hand (an ``introduced`` commit, a ``summary``, extra
``database_specific`` keys). A new CVE gets the id reserved for it, or the next
free ``PSF-<year of publication>-<N>``; a placeholder ``PSF-0000-...`` record is
numbered the same way. A file whose data would not change is not written at all,
so timestamps never churn: a second run changes no byte.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.advisory import jsonstyle, timestamps
from assay.advisory.cve5 import CPYTHON_REPO, Converted, convert
from assay.advisory.database import Database
from assay.errors import InputError
from assay.jsonio import read_json
from assay.output import write_atomic

SCHEMA_VERSION = "1.5.0"
# the key order of the PSF database's records (what its id-assigning tool writes)
OSV_ORDER = ("modified", "published", "schema_version", "id", "withdrawn", "aliases", "related", "upstream",
             "summary", "details", "severity", "affected", "references", "credits", "database_specific")
RANGE_ORDER = ("type", "events", "repo")
AFFECTED_ORDER = ("package", "severity", "ranges", "versions", "ecosystem_specific", "database_specific")
_TIMESTAMPS = ("published", "modified")


@dataclass(slots=True)
class Outcome:
    """What happened to one CVE record."""

    source: str
    cve_id: str
    action: str  # created | updated | unchanged | renamed | skipped
    id: str = ""
    path: Path | None = None
    reason: str = ""


def osv_fields(conv: Converted, existing: dict[str, Any] | None) -> dict[str, Any]:
    """The record ``conv`` makes, merged into ``existing`` (timestamps set by the caller)."""
    doc: dict[str, Any] = copy.deepcopy(existing) if existing else {"schema_version": SCHEMA_VERSION}
    aliases = [a for a in doc.get("aliases") or () if isinstance(a, str)]
    if conv.cve_id not in aliases:
        aliases.append(conv.cve_id)
    doc["aliases"] = aliases
    if conv.summary and not (isinstance(doc.get("summary"), str) and doc["summary"].strip()):
        doc["summary"] = conv.summary
    doc["details"] = conv.details
    if conv.severity:
        doc["severity"] = conv.severity
        if any(s["type"] == "CVSS_V4" for s in conv.severity) and _older(doc.get("schema_version"), "1.6.0"):
            doc["schema_version"] = "1.6.0"  # CVSS_V4 entered the OSV schema in 1.6
    old_affected = [a for a in doc.get("affected") or () if isinstance(a, dict)]
    doc["affected"] = _affected(conv, old_affected)
    doc["references"] = conv.references
    if conv.credits:
        doc["credits"] = conv.credits
    dbs = doc.get("database_specific") if isinstance(doc.get("database_specific"), dict) else {}
    dbs = dict(dbs)
    if conv.cwe_ids or "cwe_ids" not in dbs:
        dbs["cwe_ids"] = conv.cwe_ids
    old_dbs = (existing or {}).get("database_specific") or ()
    doc["database_specific"] = jsonstyle.ordered(dbs, ("cwe_ids",), old_dbs)
    if conv.state == "REJECTED" and not doc.get("withdrawn"):
        doc["withdrawn"] = conv.modified
    return doc


def _older(version: Any, than: str) -> bool:
    from assay.vulndb.versions import pep440

    have, want = pep440(str(version or "0")), pep440(than)
    return have is None or want is None or have < want


def _affected(conv: Converted, old: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if conv.cpython:
        prev = next((a for a in old if any(r.get("type") == "GIT" for r in a.get("ranges") or ())), None)
        prev_range = next((r for r in (prev or {}).get("ranges") or () if r.get("type") == "GIT"), {})
        introduced = {"introduced": "0"}
        for event in prev_range.get("events") or ():  # a hand-set introduced commit is kept
            if isinstance(event, dict) and "introduced" in event:
                introduced = event
                break
        rng = {"type": "GIT", "events": [introduced, *({"fixed": c} for c in conv.fixed_commits)],
               "repo": prev_range.get("repo") or CPYTHON_REPO}
        entry = dict(prev or {})
        entry["ranges"] = [jsonstyle.ordered(rng, RANGE_ORDER, prev_range)]
        out.append(jsonstyle.ordered(entry, AFFECTED_ORDER, prev or ()))
    for pkg in conv.packages:
        prev = next((a for a in old if isinstance(a.get("package"), dict)
                     and a["package"].get("ecosystem") == "PyPI"
                     and a["package"].get("name") == pkg.name), None)
        entry = dict(prev or {})
        entry["package"] = {"ecosystem": "PyPI", "name": pkg.name, "purl": f"pkg:pypi/{pkg.name}"}
        if pkg.events:
            entry["ranges"] = [{"type": "ECOSYSTEM", "events": pkg.events}]
        else:
            entry.pop("ranges", None)
        if pkg.versions:
            entry["versions"] = pkg.versions
        out.append(jsonstyle.ordered(entry, AFFECTED_ORDER, prev or ()))
    return out


def _without_timestamps(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in _TIMESTAMPS}


def import_record(db: Database, doc: Any, *, origin: str, conv: Converted | None = None) -> Outcome:
    conv = conv or convert(doc, origin=origin)
    if not conv.product:
        return Outcome(origin, conv.cve_id, "skipped",
                       reason="affects neither CPython nor a PyPI project (no cpython repo, no "
                              "PyPI collectionURL/packageName)")
    found = db.by_alias(conv.cve_id)
    if len(found) > 1:
        names = ", ".join(str(e.path) for e in found)
        raise InputError(f"{origin}: {conv.cve_id} is an alias of more than one record ({names})")
    entry = found[0] if found else None
    if entry is None and conv.state != "PUBLISHED":
        return Outcome(origin, conv.cve_id, "skipped", reason=f"state {conv.state} and no record to withdraw")
    existing = entry.doc if entry else None
    new = osv_fields(conv, existing)

    adv_id = entry.id if entry else ""
    renamed_from: Path | None = None
    if not adv_id or db.is_placeholder(adv_id):
        year = conv.year or int(timestamps.now()[:4])
        adv_id = db.reserved_for(conv.cve_id) or db.next_id(year)
        renamed_from = entry.path if entry else None
    new["id"] = adv_id

    same = entry is not None and _without_timestamps(new) == _without_timestamps(entry.doc)
    if entry is not None and renamed_from is None and same:
        return Outcome(origin, conv.cve_id, "unchanged", adv_id, entry.path)

    old_pub = existing.get("published") if existing else None
    if isinstance(old_pub, str) and timestamps.same_or_earlier(old_pub, conv.published):
        new["published"] = old_pub
    else:
        new["published"] = conv.published
    old_mod = existing.get("modified") if existing else None
    if not isinstance(old_mod, str) or timestamps.later(conv.modified, old_mod):
        new["modified"] = conv.modified
    else:  # the data changed after the CVE last did (a hand edit overwritten, a fixed importer)
        moment = timestamps.now()
        new["modified"] = moment if timestamps.later(moment, old_mod) else old_mod

    new = jsonstyle.ordered(new, OSV_ORDER, existing or ())
    style = jsonstyle.detect(entry.text) if entry else jsonstyle.DEFAULT
    folder = entry.path.parent if entry and renamed_from is None else db.product_dir(conv.product)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{adv_id}.json"
    if renamed_from is not None and path.exists():
        raise InputError(f"{path}: already exists; cannot number {renamed_from} as {adv_id}")
    text = jsonstyle.dumps(new, style)
    write_atomic(path, text)
    if renamed_from is not None and renamed_from != path:
        renamed_from.unlink()
    db.release(adv_id)
    db.wrote(path, text, new, removed=renamed_from)
    action = "renamed" if renamed_from is not None else ("updated" if entry else "created")
    return Outcome(origin, conv.cve_id, action, adv_id, path,
                   reason=f"was {renamed_from.name}" if renamed_from is not None else "")


def import_files(db: Database, paths: list[Path]) -> list[Outcome]:
    """Import each CVE JSON 5 file (or every ``*.json`` in a folder) in turn."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.json")))
        else:
            files.append(path)
    loaded = []
    for path in files:  # every record is read and converted before anything is written
        doc, _ = read_json(path)
        loaded.append((path, doc, convert(doc, origin=str(path))))
    # oldest first, so new ids follow the order of publication
    loaded.sort(key=lambda item: (item[2].published, item[2].cve_id))
    return [import_record(db, doc, origin=str(path), conv=conv) for path, doc, conv in loaded]
