"""PEP 710: record where each installed distribution came from.

``record(report, target)`` writes ``provenance_url.json`` (the archive URL and
its hashes, from a ``pip install --report``) into each installed
distribution's .dist-info and lists it in RECORD with its hash and size, so
later SBOMs of the environment carry the archive URL and hash. Both files are
written atomically; a distribution installed from a direct URL already has
direct_url.json and is left alone, as PEP 710 requires.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assay import catalog
from assay.catalog.pip_report import load_report
from assay.errors import InputError
from assay.identity import record as _record
from assay.identity.direct_url import download_info, provenance_document
from assay.identity.purl import canonical_name
from assay.output import write_atomic


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    version: str
    status: str  # recorded | unchanged | skipped | not-installed
    detail: str = ""


def record(report_path: Path, target: str) -> list[Outcome]:
    data = load_report(report_path)
    result = catalog.run(target, catalog.Options(bundled=False))
    if result.layout is None:
        raise InputError(f"{target}: provenance is recorded into an installed environment, "
                         f"not into a {result.kind}")
    graph, layout = result.graph, result.layout
    installed = {}
    for comp_id, where in layout.dists.items():
        comp = graph.components[comp_id]
        installed[(canonical_name(comp.name), comp.version)] = (comp, where)
    outcomes: list[Outcome] = []
    for item in data["install"]:
        md = item.get("metadata") or {}
        name, version = str(md.get("name", "?")), str(md.get("version", "?"))
        found = installed.get((canonical_name(name), version))
        if found is None:
            outcomes.append(Outcome(name, version, "not-installed", f"not found in {target}"))
            continue
        _comp, where = found
        info = item.get("download_info") or {}
        try:
            download = download_info(info)
        except ValueError:
            download = None
        meta = Path(where.site) / where.meta
        if not where.is_dist_info:
            outcomes.append(Outcome(name, version, "skipped", "not a .dist-info installation"))
            continue
        if (meta / "direct_url.json").exists() or download is None or download.kind != "archive":
            outcomes.append(Outcome(name, version, "skipped",
                                    "direct URL install: direct_url.json already records its origin"))
            continue
        if not download.url or not download.hashes:
            outcomes.append(Outcome(name, version, "skipped", "report has no archive URL with hashes"))
            continue
        doc = provenance_document(download.url, download.hashes)
        payload = (json.dumps(doc, sort_keys=True) + "\n").encode()
        prov = meta / "provenance_url.json"
        if prov.exists() and prov.read_bytes() == payload:
            outcomes.append(Outcome(name, version, "unchanged", download.url))
            continue
        record_path = meta / "RECORD"
        text = record_path.read_text(encoding="utf-8") if record_path.exists() else ""
        rel = f"{meta.name}/provenance_url.json"
        new_record = _record.with_rows(text, [_record.row_for(rel, payload)])
        write_atomic(prov, payload)
        try:
            write_atomic(record_path, new_record)
        except BaseException:
            prov.unlink(missing_ok=True)
            raise
        outcomes.append(Outcome(name, version, "recorded", download.url))
    return outcomes
