"""The installed cataloger remembers what each distribution's folder gave (assay.catalog.installed_cache):
a run that answers from it writes the same document as one that reads everything, and any change
to what a distribution was read from is read again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assay.catalog import load
from assay.catalog.installed_cache import component_from_row, component_row
from pypi import copy_venv, make_venv

SETTLE = 2.1  # seconds: what changed more recently than 2 s before it is read is not remembered


@pytest.fixture(scope="module")
def httpx_env() -> Path:
    return make_venv("httpx-http2-v1", "httpx[http2]==0.27.0", "h2==4.1.0", "hpack==4.0.0",
                     "hyperframe==6.0.1", "anyio==4.4.0", "certifi==2024.8.30", "httpcore==1.0.5",
                     "idna==3.8", "sniffio==1.3.1", "h11==0.14.0")


def sbom(env: Path, out: Path, cache: Path | str) -> dict:
    r = subprocess.run([sys.executable, "-m", "assay", "-q", "sbom", str(env), "-f", "cyclonedx-json",
                        "--reproducible", "--no-bundled", "-o", str(out)],
                       capture_output=True, text=True,
                       env={**os.environ, "ASSAY_INSTALLED_CACHE": str(cache)})
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text())


def site_of(env: Path) -> Path:
    return next(env.glob("lib/python*/site-packages"))


def remembered(cache: Path) -> dict:
    files = list(cache.glob("*.json"))
    assert len(files) == 1, files
    return json.loads(files[0].read_text())["dists"]


def component(doc: dict, name: str) -> dict:
    return next(c for c in doc["components"] if c["name"] == name)


def test_every_component_of_a_real_venv_survives_the_row_and_json_round_trip(httpx_env):
    graph = load(httpx_env, bundled=False)
    comps = list(graph.components.values())
    assert len(comps) > 10
    for c in comps:
        assert component_from_row(json.loads(json.dumps(component_row(c)))) == c


def test_a_remembered_run_writes_the_same_document_and_sees_every_change(httpx_env, tmp_path):
    env = copy_venv(httpx_env, tmp_path / "venv")
    site = site_of(env)
    cache = tmp_path / "cache"
    time.sleep(SETTLE)  # the copy's files are new: let them settle so that they are remembered

    cold = sbom(env, tmp_path / "cold.json", "0")
    first = sbom(env, tmp_path / "first.json", cache)
    assert first == cold
    dists = remembered(cache)
    assert any(m.startswith("httpx-0.27.0.dist-info") for m in dists) and len(dists) >= 10
    written = next(cache.glob("*.json")).stat().st_mtime_ns
    second = sbom(env, tmp_path / "second.json", cache)
    assert second == cold
    assert next(cache.glob("*.json")).stat().st_mtime_ns == written  # nothing new: not rewritten
    # answers came from the file: a remembered value is what the run reports
    assert (tmp_path / "second.json").read_bytes() == (tmp_path / "cold.json").read_bytes()

    # METADATA rewritten in place, same size, its modification time put back: the change time
    # moves, so the new summary is read
    meta = site / "h11-0.14.0.dist-info" / "METADATA"
    st = meta.stat()
    text = meta.read_text()
    old = component(cold, "h11")["description"]
    new = old.upper() if old.upper() != old else old.lower()
    assert len(new) == len(old)
    meta.write_text(text.replace(f"Summary: {old}", f"Summary: {new}"))
    os.utime(meta, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert meta.stat().st_size == st.st_size and meta.stat().st_mtime_ns == st.st_mtime_ns
    after = sbom(env, tmp_path / "after.json", cache)
    assert component(after, "h11")["description"] == new
    assert after == sbom(env, tmp_path / "after-cold.json", "0")
    # read just after a change: not remembered until its times have settled
    assert "h11-0.14.0.dist-info" not in remembered(cache)
    time.sleep(SETTLE)
    assert sbom(env, tmp_path / "settled.json", cache) == after
    assert "h11-0.14.0.dist-info" in remembered(cache)

    # a file removed from a distribution's folder and another added (REQUESTED: the user asked
    # for it) are seen: the folder's own times move
    def requested(doc: dict, name: str) -> bool:
        return any(p["name"] == "assay:requested" and p["value"] == "true"
                   for p in component(doc, name).get("properties", []))

    assert requested(after, "sniffio") and requested(after, "idna")
    (site / "sniffio-1.3.1.dist-info" / "REQUESTED").unlink()
    removed_file = sbom(env, tmp_path / "removed-file.json", cache)
    assert not requested(removed_file, "sniffio") and requested(removed_file, "idna")
    assert removed_file == sbom(env, tmp_path / "removed-file-cold.json", "0")
    time.sleep(SETTLE)
    sbom(env, tmp_path / "removed-file-settled.json", cache)
    (site / "sniffio-1.3.1.dist-info" / "REQUESTED").write_text("")
    added = sbom(env, tmp_path / "added.json", cache)
    assert requested(added, "sniffio")
    assert added == sbom(env, tmp_path / "added-cold.json", "0")

    # a license file's text replaced: the license is matched again
    lic_dir = site / "httpx-0.27.0.dist-info" / "licenses"
    license_file = next(p for p in lic_dir.rglob("*") if p.is_file())

    def matched_files(doc: dict) -> list[str]:
        return [o["location"] for o in component(doc, "httpx")["evidence"]["occurrences"]
                if "SPDX template match" in o.get("additionalContext", "")]

    assert matched_files(added) == [str(license_file)]
    license_file.write_text("Licensed under the Apache License, Version 2.0.\n")
    relicensed = sbom(env, tmp_path / "relicensed.json", cache)
    assert matched_files(relicensed) == []
    assert relicensed == sbom(env, tmp_path / "relicensed-cold.json", "0")

    # a distribution removed: gone from the document and from the file
    shutil.rmtree(site / "certifi-2024.8.30.dist-info")
    removed = sbom(env, tmp_path / "removed.json", cache)
    assert not [c for c in removed["components"] if c["name"] == "certifi"]
    assert removed == sbom(env, tmp_path / "removed-cold.json", "0")
    assert not [m for m in remembered(cache) if m.startswith("certifi")]


def test_the_cache_turned_off_writes_nothing(httpx_env, tmp_path):
    home = tmp_path / "xdg"
    env_vars = {**os.environ, "XDG_CACHE_HOME": str(home), "ASSAY_INSTALLED_CACHE": "0"}
    r = subprocess.run([sys.executable, "-m", "assay", "-q", "sbom", str(httpx_env), "-f", "json",
                        "--no-bundled", "-o", str(tmp_path / "out.json")], env=env_vars,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not (home / "assay" / "installed").exists()


def test_a_damaged_memo_is_read_past_not_trusted(httpx_env, tmp_path):
    env = copy_venv(httpx_env, tmp_path / "venv")
    cache = tmp_path / "cache"
    time.sleep(SETTLE)
    cold = sbom(env, tmp_path / "cold.json", "0")
    assert sbom(env, tmp_path / "first.json", cache) == cold
    path = next(cache.glob("*.json"))
    doc = json.loads(path.read_text())
    metas = sorted(doc["dists"])
    doc["dists"][metas[0]]["value"] = [["not", "a", "row"], None, 7]  # wrong shapes
    doc["dists"][metas[1]]["value"][0][1] = "no-such-kind"
    doc["dists"][metas[2]]["seen"] = "garbage"
    path.write_text(json.dumps(doc))
    assert sbom(env, tmp_path / "damaged.json", cache) == cold
    path.write_text("{not json")
    assert sbom(env, tmp_path / "truncated.json", cache) == cold
