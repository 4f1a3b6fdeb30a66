"""PEP 710: record where each installed distribution came from.

``record(report, target)`` writes ``provenance_url.json`` (the archive URL and
its hashes, from a ``pip install --report``) into each installed
distribution's .dist-info and lists it in RECORD with its hash and size, so
later SBOMs of the environment carry the archive URL and hash. Both files are
written atomically; a distribution installed from a direct URL already has
direct_url.json and is left alone, as PEP 710 requires.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from assay.catalog.installed import catalog_environment
from assay.catalog.pip_report import download_facts, load_report
from assay.model import Kind
from assay.output import write_atomic


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    version: str
    status: str  # recorded | unchanged | skipped | not-installed
    detail: str = ""


def _record_line(rel: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [rel, f"sha256={digest}", str(len(data))]


def record(report_path: Path, target: str, *, kind: str = "environment") -> list[Outcome]:
    data = load_report(report_path)
    graph = catalog_environment(target, kind=kind)
    installed = {}
    for comp in graph.packages([Kind.PYTHON_PACKAGE]):
        installed[(canonicalize_name(comp.name), comp.version)] = comp
    outcomes: list[Outcome] = []
    for item in data["install"]:
        md = item.get("metadata") or {}
        name, version = str(md.get("name", "?")), str(md.get("version", "?"))
        comp = installed.get((canonicalize_name(name), version))
        if comp is None:
            outcomes.append(Outcome(name, version, "not-installed", f"not found in {target}"))
            continue
        info = item.get("download_info") or {}
        url, hashes, _props = download_facts(info)
        meta = Path(comp.prop("assay:dist-info") or "")
        if not meta.name.endswith(".dist-info"):
            outcomes.append(Outcome(name, version, "skipped", "not a .dist-info installation"))
            continue
        if (meta / "direct_url.json").exists() or not isinstance(info.get("archive_info"), dict):
            outcomes.append(Outcome(name, version, "skipped",
                                    "direct URL install: direct_url.json already records its origin"))
            continue
        if not url or not hashes:
            outcomes.append(Outcome(name, version, "skipped", "report has no archive URL with hashes"))
            continue
        doc = {"archive_info": {"hashes": {h.alg: h.value for h in hashes}}, "url": url}
        payload = (json.dumps(doc, sort_keys=True) + "\n").encode()
        prov = meta / "provenance_url.json"
        if prov.exists() and prov.read_bytes() == payload:
            outcomes.append(Outcome(name, version, "unchanged", url))
            continue
        record_path = meta / "RECORD"
        rows = list(csv.reader(io.StringIO(record_path.read_text(encoding="utf-8")))) \
            if record_path.exists() else []
        rel = f"{meta.name}/provenance_url.json"
        rows = [r for r in rows if r and r[0] != rel]
        rows.append(_record_line(rel, payload))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        write_atomic(prov, payload)
        try:
            write_atomic(record_path, out.getvalue())
        except BaseException:
            prov.unlink(missing_ok=True)
            raise
        outcomes.append(Outcome(name, version, "recorded", url))
    return outcomes
