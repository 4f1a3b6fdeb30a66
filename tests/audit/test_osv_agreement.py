"""Findings on a real requirements file agree exactly with OSV semantics of the imported data.

The reference here is deliberately naive and independent of assay.vulndb: it reads
each project's YAML advisories and walks the events with plain PEP 440 ordering.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from assay.catalog import load as catalog_lockfile
from assay.vulndb import Store
from assay.vulndb.match import AdvisoryMatcher


def _v(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def reference(advisories: list[dict], name: str, version: str) -> set[str]:
    v = Version(version)
    out = set()
    for adv in advisories:
        if adv.get("withdrawn"):
            continue
        for aff in adv.get("affected", []):
            if canonicalize_name(aff["package"]["name"]) != canonicalize_name(name):
                continue
            listed = any(_v(str(x)) == v for x in aff.get("versions", []))
            in_range = False
            for rng in aff.get("ranges", []):
                if rng["type"] != "ECOSYSTEM":
                    continue
                state = False
                events = [(k, str(val)) for e in rng["events"] for k, val in e.items()]
                if any(val != "0" and _v(val) is None for _, val in events):
                    continue  # a range that cannot be walked decides nothing (assay: undecided)
                events.sort(key=lambda e: (Version("0") if e[1] == "0" else Version(e[1]),
                                           e[0] != "introduced"))
                for kind, val in events:
                    bound = Version("0") if val == "0" else Version(val)
                    if kind == "introduced" and v >= bound:
                        state = True
                    elif (kind == "fixed" and v >= bound) or (kind == "last_affected" and v > bound):
                        state = False
                in_range = in_range or state
            if listed or in_range:
                out.add(adv["id"])
    return out


def test_requirements_findings_agree_with_osv(tmp_path: Path, shared_db: Path, shared_data: Path) -> None:
    rng = random.Random(4)
    folders = sorted((shared_data / "osv" / "pypa" / "vulns").iterdir())
    lines: list[str] = []
    per_package: dict[str, list[dict]] = {}
    for folder in rng.sample(folders, 120):
        advisories = [yaml.safe_load(p.read_text()) for p in sorted(folder.glob("*.yaml"))]
        name = advisories[0]["affected"][0]["package"]["name"]
        candidates = sorted({str(x) for a in advisories for aff in a.get("affected", [])
                             for x in aff.get("versions", []) if _v(str(x))}
                            | {str(e["fixed"]) for a in advisories for aff in a.get("affected", [])
                               for r in aff.get("ranges", []) for e in r["events"]
                               if "fixed" in e and _v(str(e["fixed"]))})
        if not candidates:
            continue
        version = rng.choice(candidates)
        per_package[canonicalize_name(name)] = advisories
        lines.append(f"{name}=={version}")
    req = tmp_path / "requirements.txt"
    req.write_text("\n".join(lines) + "\n")
    graph = catalog_lockfile(req)
    with Store(shared_db) as store:
        hits, skips, _ = AdvisoryMatcher(store).match(graph.packages())
    assert not skips
    got: dict[str, set[str]] = {}
    for h in hits:
        got.setdefault(h.component.id, set()).add(h.advisory)
    checked = 0
    flagged = 0
    for comp in graph.packages():
        expected = reference(per_package[canonicalize_name(comp.name)], comp.name, comp.version or "")
        assert got.get(comp.id, set()) == expected, comp.name
        checked += 1
        flagged += bool(expected)
    assert checked > 100 and flagged > 20  # the sample exercises both outcomes
