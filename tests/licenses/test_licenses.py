"""assay.identity.licenses on real license texts (from the adjudicated wheels, pinned by sha256)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assay.identity.licenses import (
    builddata,
    fields_from_metadata,
    from_metadata,
    identify_text,
    list_version,
    match_text,
    resolve_license,
)
from pypi import pypi_file

from .wheels import resolve_wheel, text_of, wheel_files

BSD3 = [("alabaster", "LICENSE.rst"), ("nodeenv", "licenses/LICENSE"), ("colorama", "licenses/LICENSE.txt"),
        ("jinja2", "licenses/LICENSE.txt"), ("webencodings", "licenses/LICENSE"),
        ("cryptography", "licenses/LICENSE.BSD")]
BSD2 = [("sphinxcontrib-jsmath", "licenses/LICENCE.rst"), ("packaging", "licenses/LICENSE.BSD"),
        ("docutils", "licenses/licenses/BSD-2-Clause.rst")]


def ids(name: str, path: str) -> set[str]:
    return set(match_text(text_of(name, path)).ids)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "path"), BSD3)
def test_three_clause_texts_are_never_two_clause(name: str, path: str) -> None:
    assert ids(name, path) == {"BSD-3-Clause"}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "path"), BSD2)
def test_two_clause_texts(name: str, path: str) -> None:
    assert ids(name, path) == {"BSD-2-Clause"}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "path", "expected"), [
    ("docutils", "licenses/licenses/BSD-0-Clause.rst", {"0BSD"}),
    ("pexpect", "LICENSE", {"ISC"}),
    ("six", "LICENSE", {"MIT"}),
    ("cffi", "licenses/LICENSE", {"MIT-0"}),
    ("distlib", "licenses/LICENSE.txt", {"Python-2.0.1"}),
    ("aiohappyeyeballs", "licenses/LICENSE", {"Python-2.0.1", "0BSD"}),
    ("pathspec", "licenses/LICENSE", {"MPL-2.0"}),
    ("requests", "licenses/LICENSE", {"Apache-2.0"}),  # without the appendix
    ("uvloop", "licenses/LICENSE-APACHE", {"Apache-2.0"}),  # with it
    ("wcwidth", "licenses/LICENSE", {"MIT", "HPND-Markus-Kuhn"}),
])
def test_distinguishes_close_licenses(name: str, path: str, expected: set[str]) -> None:
    m = match_text(text_of(name, path))
    assert set(m.ids) == expected
    assert not m.terms_left


@pytest.mark.slow
def test_apache_appendix_is_optional_text_and_the_whole_file_matches() -> None:
    for name, path in (("requests", "licenses/LICENSE"), ("uvloop", "licenses/LICENSE-APACHE")):
        m = match_text(text_of(name, path))
        assert m.ids == ("Apache-2.0",) and m.exact, name


@pytest.mark.slow
def test_psf_agreement_alone_is_psf_not_python() -> None:
    m = match_text(text_of("parso", "LICENSE.txt"))
    assert set(m.ids) == {"MIT", "PSF-2.0"}


@pytest.mark.slow
def test_gnu_text_alone_is_only_and_a_statement_makes_it_or_later() -> None:
    _info, files = wheel_files("docutils")
    gpl = files["licenses/licenses/gpl-3-0.txt"]
    alone = resolve_license({"License-File": ["licenses/gpl-3-0.txt"]}, files.get,
                            ["licenses/licenses/gpl-3-0.txt"])
    assert alone.expression == "GPL-3.0-only"
    assert "no notice says 'or any later version'" in alone.evidence[0].detail
    both = resolve_wheel("docutils")
    assert "GPL-3.0-or-later" in both.expression
    assert any("version 3 or later" in e.detail for e in both.evidence)
    # a classifier saying "or later" decides too
    with_classifier = resolve_license(
        {"Classifier": ["License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)"]},
        {"LICENSE": gpl}.get, ["LICENSE"])
    assert with_classifier.expression == "GPL-3.0-or-later"


@pytest.mark.slow
def test_a_bare_gpl_text_never_takes_the_result_of_another_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # texts of one body under other copyright lines are matched once per process: which of
    # two texts comes first must decide nothing
    from assay.identity.licenses import _match

    monkeypatch.setenv("ASSAY_LICENSE_CACHE", str(tmp_path / "cache.json"))
    monkeypatch.setattr(_match, "_DISK", None)
    _match.clear_cache()
    gpl = wheel_files("docutils")[1]["licenses/licenses/gpl-3-0.txt"].decode()
    fsf = "Copyright (C) 2007 Free Software Foundation, Inc. <http://fsf.org/>"
    assert fsf in gpl
    # a copy whose FSF line the full text's template does not take: only its "or later" notice
    # (in the appendix) is found, a partial match
    first = match_text(gpl.replace(fsf, "Copyright (C) 2007-2024 Free Software Foundation, Inc."))
    assert "GPL-3.0-only" not in first.ids and not first.exact
    assert match_text(gpl).ids == ("GPL-3.0-only",)
    # a paragraph that opens with a copyright and goes on to grant "or later" is body too
    grant = ("Copyright (C) 2020 A. Person. This program is free software: you can redistribute it "
             "and/or modify it under the terms of the GNU General Public License, either version 3 "
             "of the License, or (at your option) any later version.")
    from assay.identity.licenses._engine import body_key, normalize

    assert body_key(normalize(grant + "\n\n" + gpl)) != body_key(normalize(gpl))
    # a copyright line alone is no other body: the result is shared
    assert body_key(normalize("Copyright (C) 2021 Someone Else\n\n" + gpl)) == body_key(normalize(gpl))
    assert match_text("Copyright (C) 2021 Someone Else\n\n" + gpl).ids == ("GPL-3.0-only",)
    _match.clear_cache()


@pytest.mark.slow
def test_unmatched_text_becomes_a_licenseref_with_the_file_hash() -> None:
    _info, files = wheel_files("psycopg2-binary")
    r = resolve_wheel("psycopg2-binary")
    sha = hashlib.sha256(files["licenses/LICENSE"]).hexdigest()
    assert r.expression == f"LicenseRef-LICENSE-{sha[:12]}"
    assert r.extracted == ((r.expression, files["licenses/LICENSE"].decode()),)
    assert r.license.text == files["licenses/LICENSE"].decode()  # what the SPDX writer extracts
    assert any(sha in e.detail for e in r.evidence)


@pytest.mark.slow
def test_license_expression_is_authoritative_and_contradictions_are_warnings() -> None:
    r = resolve_wheel("typing-extensions")
    assert r.expression == "PSF-2.0" and r.license.source == "License-Expression"
    assert any("0BSD" in w and "does not name" in w for w in r.warnings)
    assert not any("Python-2.0.1" in w for w in r.warnings)  # Python's license contains the PSF's


@pytest.mark.slow
def test_files_combine_with_and_and_a_pointer_file_makes_a_choice() -> None:
    _info, files = wheel_files("cryptography")
    names = [n for n in files if n.startswith("licenses/")]
    no_expression = {"License-File": ["LICENSE", "LICENSE.APACHE", "LICENSE.BSD"]}
    r = resolve_license(no_expression, files.get, names)
    assert r.expression == "Apache-2.0 OR BSD-3-Clause"
    without_pointer = resolve_license({}, files.get, ["licenses/LICENSE.APACHE", "licenses/LICENSE.BSD"])
    assert without_pointer.expression == "Apache-2.0 AND BSD-3-Clause"


@pytest.mark.slow
def test_a_declared_file_that_is_missing_is_a_warning() -> None:
    _info, files = wheel_files("six")
    r = resolve_license({"License-File": ["LICENSE", "COPYING"]}, files.get, list(files))
    assert r.expression == "MIT"
    assert r.warnings == ("License-File 'COPYING' is declared but not present",)


@pytest.mark.slow
def test_installed_environment_uses_it(tmp_path: Path) -> None:
    """The installed-environment cataloger: every dist-info's files decide."""
    from assay.catalog import load

    site = tmp_path / "site-packages"
    for name in ("alabaster", "docutils", "psycopg2-binary"):
        info, files = wheel_files(name)
        for rel, data in files.items():
            p = site / info / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
    graph = load(site, bundled=False)
    by_name = {c.name: c for c in graph.components.values()}
    assert by_name["alabaster"].license.expression == "BSD-3-Clause"
    assert by_name["docutils"].license.expression.startswith("0BSD AND BSD-2-Clause AND GPL-3.0-or-later")
    ev = [e for e in by_name["alabaster"].evidence if e.kind == "license-file"]
    assert ev and ev[0].location.endswith("LICENSE.rst") and ev[0].proves == "license"


def test_fields_from_metadata_reads_headers_only() -> None:
    text = ("Metadata-Version: 2.4\nName: x\nLicense-Expression: MIT\nLicense: first line\n"
            "        second line\nClassifier: License :: OSI Approved :: MIT License\n"
            "License-File: LICENSE\n\nLicense: not a header, the description\n")
    f = fields_from_metadata(text)
    assert f == {"License-Expression": ["MIT"], "License": ["first line\nsecond line"],
                 "Classifier": ["License :: OSI Approved :: MIT License"], "License-File": ["LICENSE"]}


def test_metadata_only_callers_keep_working() -> None:
    assert from_metadata("mit", None, []).expression == "MIT"
    assert from_metadata(None, "Apache 2.0", []).expression == "Apache-2.0"
    assert from_metadata(None, None, ["License :: OSI Approved :: BSD License"]).text == "BSD License"
    assert from_metadata("((", None, []).text == "(("
    assert identify_text("short") is None


def test_metadata_only_answers_depend_on_the_license_fields_alone() -> None:
    # remembered per (expression, License field, License classifiers): other classifiers and
    # the order of calls change nothing, and the answer is the one resolve_license gives
    mit = ["License :: OSI Approved :: MIT License"]
    plain = from_metadata(None, None, mit)
    noisy = from_metadata(None, None, ["Programming Language :: Python :: 3", *mit, "Topic :: Utilities"])
    assert plain == noisy and plain is not None and plain.expression == "MIT"
    fields = {"License-Expression": [], "License": ["BSD"], "Classifier": mit}
    assert from_metadata(None, "BSD", mit) == resolve_license(fields).license
    assert from_metadata(None, "BSD", []) == resolve_license({"License": ["BSD"]}).license


def test_a_license_field_naming_a_classifier_means_what_the_classifier_means() -> None:
    # sqlean.py's PKG-INFO says "License: zlib/libpng" (the OSI classifier's name), no file
    assert from_metadata(None, "zlib/libpng", []).expression == "Zlib"
    assert from_metadata(None, "zlib/libpng License", []).expression == "Zlib"
    assert from_metadata(None, "Mozilla Public License 2.0 (MPL 2.0)", []).expression == "MPL-2.0"
    # a name without the version a versioned license needs stays free text
    artistic = from_metadata(None, "Artistic License", [])
    assert artistic.expression is None and artistic.text == "Artistic License"


@pytest.mark.slow
def test_identify_text_delegates_to_the_matcher() -> None:
    assert identify_text(text_of("alabaster", "LICENSE.rst")) == "BSD-3-Clause"


@pytest.mark.slow
def test_disk_cache_survives_the_process(tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    text_file = tmp_path / "LICENSE"
    text_file.write_text(text_of("six", "LICENSE"))
    code = ("import sys; from assay.identity.licenses import match_text; "
            "print(match_text(open(sys.argv[1]).read()).ids)")
    env = {**os.environ, "ASSAY_LICENSE_CACHE": str(cache)}
    first = subprocess.run([sys.executable, "-c", code, str(text_file)], env=env, capture_output=True,
                           text=True, check=True)
    assert first.stdout.strip() == "('MIT',)"
    stored = json.loads(cache.read_text())
    assert len(stored) == 1
    second = subprocess.run([sys.executable, "-c", code, str(text_file)], env=env, capture_output=True,
                            text=True, check=True)
    assert second.stdout == first.stdout


@pytest.mark.slow
def test_the_default_cache_drops_other_versions_files_once_they_are_a_month_old(tmp_path: Path) -> None:
    # an upgrade leaves the old version's results behind: removed once unwritten for a month;
    # another installed version's recent file is kept (two versions must not delete each
    # other's cache on every run)
    folder = tmp_path / "assay"
    folder.mkdir()
    stale = folder / "licenses-0123456789abcdef.json"
    stale.write_text("{}")
    old = time.time() - 31 * 24 * 3600
    os.utime(stale, (old, old))
    recent = folder / "licenses-fedcba9876543210.json"
    recent.write_text("{}")
    unrelated = folder / "other.json"
    unrelated.write_text("{}")
    os.utime(unrelated, (old, old))
    text_file = tmp_path / "LICENSE"
    text_file.write_text(text_of("six", "LICENSE"))
    code = ("import sys; from assay.identity.licenses import match_text; "
            "print(match_text(open(sys.argv[1]).read()).ids)")
    env = {k: v for k, v in os.environ.items() if k != "ASSAY_LICENSE_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    run = subprocess.run([sys.executable, "-c", code, str(text_file)], env=env, capture_output=True,
                         text=True, check=True)
    assert run.stdout.strip() == "('MIT',)"
    caches = sorted(p.name for p in folder.glob("licenses-*.json"))
    assert not stale.exists()
    assert recent.exists() and unrelated.exists()
    mine = [c for c in caches if c != recent.name]
    assert len(mine) == 1 and json.loads((folder / mine[0]).read_text())


def test_list_version_is_shipped() -> None:
    assert list_version()


@pytest.mark.slow
def test_shipped_data_is_exactly_what_the_pinned_wheel_builds() -> None:
    wheel = pypi_file(builddata.SOURCE_WHEEL, builddata.SOURCE_SHA256)
    assert builddata.build(wheel) == builddata.OUT.read_bytes()


_RESOLVE_FOLDER = """
import os, sys
from assay.identity.licenses import resolve_license
folder, stats = sys.argv[1], {}
def read(name):
    with open(os.path.join(folder, name), "rb") as fh:
        stats[name] = os.fstat(fh.fileno())
        return fh.read()
print(resolve_license({}, read, ["LICENSE"], file_stat=stats.get).license.expression)
"""


@pytest.mark.slow
def test_a_license_files_digest_is_remembered_by_its_identity_and_not_past_a_rewrite(tmp_path: Path) -> None:
    # a warm run does not hash the same license files again; a file rewritten in place, with
    # the same size and its old modification time put back, is read as what it now says
    cache = tmp_path / "cache.json"
    mit, bsd = text_of("six", "LICENSE").encode(), text_of("alabaster", "LICENSE.rst").encode()
    size = max(len(mit), len(bsd))
    mit, bsd = mit + b"\n" * (size - len(mit)), bsd + b"\n" * (size - len(bsd))
    folder = tmp_path / "demo-1.0.dist-info"
    folder.mkdir()
    lic = folder / "LICENSE"
    lic.write_bytes(mit)
    time.sleep(2.1)  # a file changed in the last two seconds is hashed but not remembered
    env = {**os.environ, "ASSAY_LICENSE_CACHE": str(cache)}

    def expression() -> str:
        return subprocess.run([sys.executable, "-c", _RESOLVE_FOLDER, str(folder)], env=env,
                              capture_output=True, text=True, check=True).stdout.strip()

    assert expression() == "MIT"
    remembered = json.loads(cache.read_text())["files"]
    assert list(remembered.values()) == [hashlib.sha256(mit).hexdigest()]
    assert expression() == "MIT"
    assert json.loads(cache.read_text())["files"] == remembered

    before = lic.stat()
    time.sleep(0.05)
    with open(lic, "r+b") as fh:
        fh.write(bsd)
    os.utime(lic, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = lic.stat()
    same = (before.st_ino, before.st_size, before.st_mtime_ns)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == same
    assert expression() == "BSD-3-Clause"
