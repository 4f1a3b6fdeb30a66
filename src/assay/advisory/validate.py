"""``assay advisory validate``: OSV and CVE JSON 5 records against their official schemas,
plus what a schema cannot say.

Checks beyond the schema:

* the id follows the database's pattern (``PSF-YYYY-N``, or the placeholder
  ``PSF-0000-...`` of a record not yet numbered) and matches the file name;
* no id is used twice, and no alias is an alias of two records;
* aliases look like what they claim (``CVE-YYYY-NNNN``...), CWE ids like ``CWE-N``;
* ``GIT`` events name each commit once, and with ``--clone`` each commit exists
  in that clone;
* PyPI ``ECOSYSTEM`` events and CVE 5 ``versionType: python`` versions are PEP 440;
* ``modified`` is not before ``published``.

Each problem is one line naming the file and the field.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.advisory import schemas, timestamps
from assay.errors import InputError
from assay.jsonio import read_json
from assay.vulndb.versions import pep440

_FULL_SHA = re.compile(r"[0-9a-f]{40}")
_ALIAS = {"CVE": re.compile(r"CVE-\d{4}-\d{4,}"), "GHSA": re.compile(r"GHSA(-[23456789cfghjmpqrvwx]{4}){3}"),
          "PYSEC": re.compile(r"PYSEC-\d{4}-\d+")}
_CWE = re.compile(r"CWE-[1-9]\d*")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


@dataclass(slots=True)
class Report:
    checked: int = 0
    osv: int = 0
    cve: int = 0
    problems: list[Problem] | None = None

    @property
    def bad_files(self) -> int:
        return len({p.file for p in self.problems or ()})


def kind_of(doc: Any) -> str:
    """``cve5`` or ``osv`` for a decoded record (anything else is checked as OSV)."""
    if isinstance(doc, dict) and ("cveMetadata" in doc or doc.get("dataType") == "CVE_RECORD"):
        return "cve5"
    return "osv"


def collect(paths: list[Path]) -> list[tuple[Path, bool]]:
    """(file, named by the user) for each file to check; folders are walked for ``*.json``."""
    files: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            files.extend((p, False) for p in sorted(path.rglob("*.json")) if p.is_file())
        elif path.exists():
            files.append((path, True))
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def _is_schema(doc: dict[str, Any]) -> bool:
    return "$schema" in doc and ("definitions" in doc or "$defs" in doc or "properties" in doc)


def validate_paths(paths: list[Path], *, prefix: str = "PSF", clone: Path | None = None,
                   progress: Any = None) -> Report:
    files = collect(paths)
    report = Report(problems=[])
    problems = report.problems
    assert problems is not None
    id_pattern = re.compile(rf"{re.escape(prefix)}-(\d{{4}})-(\d+)|{re.escape(prefix)}-0000-[\w.-]+")
    ids: dict[str, list[str]] = defaultdict(list)
    aliases: dict[str, list[str]] = defaultdict(list)
    commits: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, named in files:
        doc, _ = read_json(path)
        if not isinstance(doc, dict):
            raise InputError(f"{path}: neither an OSV record nor a CVE JSON 5 record (not a JSON object)")
        if not named and _is_schema(doc):
            continue  # a JSON Schema met while walking a folder (such as psf-cna/schemas) is no record
        name = str(path)
        report.checked += 1
        if kind_of(doc) == "cve5":
            report.cve += 1
            problems.extend(Problem(name, f, m) for f, m in schemas.errors(schemas.CVE5_SCHEMA, doc))
            problems.extend(_cve_checks(name, doc))
        else:
            report.osv += 1
            problems.extend(Problem(name, f, m) for f, m in schemas.errors(schemas.OSV_SCHEMA, doc))
            problems.extend(_osv_checks(name, path, doc, id_pattern, prefix, commits))
            if isinstance(doc.get("id"), str):
                ids[doc["id"]].append(name)
            for alias in {a for a in doc.get("aliases") or () if isinstance(a, str)}:
                aliases[alias].append(name)
        if progress is not None:
            progress()
    for adv_id, where in ids.items():
        for name in where[1:]:
            problems.append(Problem(name, "id", f"{adv_id} is also the id of {where[0]}"))
    for alias, where in aliases.items():
        if len(where) > 1:
            for name in where:
                others = ", ".join(w for w in where if w != name)
                problems.append(Problem(name, "aliases", f"{alias} is also an alias of {others}"))
    if clone is not None and commits:
        missing = missing_commits(clone, list(commits))
        for commit in missing:
            for name, where in commits[commit]:
                problems.append(Problem(name, where, f"commit {commit} is not in {clone}"))
    problems.sort(key=lambda p: (p.file, p.field))
    return report


def _osv_checks(name: str, path: Path, doc: dict[str, Any], id_pattern: re.Pattern[str], prefix: str,
                commits: dict[str, list[tuple[str, str]]]) -> list[Problem]:
    out: list[Problem] = []
    adv_id = doc.get("id")
    in_database = path.parent.parent.name == "advisories"
    if isinstance(adv_id, str):
        if in_database and not id_pattern.fullmatch(adv_id):
            out.append(Problem(name, "id", f"{adv_id!r} does not follow the database's pattern "
                                           f"{prefix}-YYYY-N"))
        if in_database and path.stem != adv_id:
            out.append(Problem(name, "id", f"{adv_id} is not the file's name ({path.name})"))
    for i, alias in enumerate(doc.get("aliases") or ()):
        if not isinstance(alias, str):
            continue
        kind = alias.split("-", 1)[0]
        if kind in _ALIAS and not _ALIAS[kind].fullmatch(alias):
            out.append(Problem(name, f"aliases[{i}]", f"{alias!r} is not a well-formed {kind} id"))
        if alias == adv_id:
            out.append(Problem(name, f"aliases[{i}]", "the record's own id is not an alias"))
    published, modified = doc.get("published"), doc.get("modified")
    if isinstance(published, str) and isinstance(modified, str) and timestamps.later(published, modified):
        out.append(Problem(name, "modified", f"{modified} is before published ({published})"))
    dbs = doc.get("database_specific")
    if isinstance(dbs, dict) and isinstance(dbs.get("cwe_ids"), list):
        for i, cwe in enumerate(dbs["cwe_ids"]):
            if not (isinstance(cwe, str) and _CWE.fullmatch(cwe)):
                out.append(Problem(name, f"database_specific.cwe_ids[{i}]", f"{cwe!r} is not a CWE id"))
    for a, aff in enumerate(doc.get("affected") or ()):
        if not isinstance(aff, dict):
            continue
        pkg = aff.get("package") if isinstance(aff.get("package"), dict) else {}
        pypi = str(pkg.get("ecosystem", "")).split(":")[0] == "PyPI"
        for r, rng in enumerate(aff.get("ranges") or ()):
            if not isinstance(rng, dict):
                continue
            seen: set[str] = set()
            for e, event in enumerate(rng.get("events") or ()):
                if not isinstance(event, dict):
                    continue
                for kind, value in event.items():
                    where = f"affected[{a}].ranges[{r}].events[{e}].{kind}"
                    if not isinstance(value, str):
                        continue
                    if rng.get("type") == "GIT" and value != "0":
                        if _FULL_SHA.fullmatch(value):  # (the schema names any other form)
                            commits[value].append((name, where))
                        if value in seen:
                            out.append(Problem(name, where, f"commit {value} appears twice in the range"))
                        seen.add(value)
                    elif rng.get("type") == "ECOSYSTEM" and pypi and value != "0" and pep440(value) is None:
                        out.append(Problem(name, where, f"{value!r} is not a PEP 440 version"))
        if pypi:
            for v, version in enumerate(aff.get("versions") or ()):
                if isinstance(version, str) and pep440(version) is None:
                    out.append(Problem(name, f"affected[{a}].versions[{v}]",
                                       f"{version!r} is not a PEP 440 version"))
    return out


def _cve_checks(name: str, doc: dict[str, Any]) -> list[Problem]:
    out: list[Problem] = []
    cna = ((doc.get("containers") or {}).get("cna")) or {}
    if not isinstance(cna, dict):
        return out
    for a, aff in enumerate(cna.get("affected") or ()):
        if not isinstance(aff, dict):
            continue
        for v, ver in enumerate(aff.get("versions") or ()):
            if not isinstance(ver, dict) or ver.get("versionType") != "python":
                continue
            for key in ("version", "lessThan", "lessThanOrEqual"):
                value = ver.get(key)
                if isinstance(value, str) and value not in ("0", "*") and pep440(value) is None:
                    out.append(Problem(name, f"containers.cna.affected[{a}].versions[{v}].{key}",
                                       f"{value!r} is not a Python (PEP 440) version"))
    for p, problem in enumerate(cna.get("problemTypes") or ()):
        for d, desc in enumerate((problem or {}).get("descriptions") or ()):
            if isinstance(desc, dict) and "cwdId" in desc:
                out.append(Problem(name, f"containers.cna.problemTypes[{p}].descriptions[{d}].cwdId",
                                   "misspelt: the field is cweId"))
    return out


def missing_commits(clone: Path, commits: list[str]) -> list[str]:
    """The commits ``clone`` does not hold (one ``git cat-file --batch-check`` for all)."""
    if not (clone / ".git").exists() and not (clone / "HEAD").exists():
        raise InputError(f"{clone}: not a git clone")
    proc = subprocess.run(["git", "-C", str(clone), "cat-file", "--batch-check=%(objectname) %(objecttype)"],
                          input="".join(f"{c}^{{commit}}\n" for c in commits), capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise InputError(f"{clone}: git cat-file failed ({proc.stderr.strip() or proc.returncode})")
    lines = proc.stdout.splitlines()
    return [c for c, line in zip(commits, lines, strict=False) if line.endswith(" missing")]
