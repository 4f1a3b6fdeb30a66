"""RECORD rows: parsed, hashed and rewritten the way the wheel spec and pip do."""

from __future__ import annotations

import base64
import hashlib

from assay.identity import record


def test_rows_and_digests():
    text = "pkg/__init__.py,sha256=abc,12\npkg/x.pyc,,\npkg-1.0.dist-info/RECORD,,\n\n"
    rows = list(record.parse(text))
    assert [r.path for r in rows] == ["pkg/__init__.py", "pkg/x.pyc", "pkg-1.0.dist-info/RECORD"]
    assert rows[0].algorithm == "sha256" and rows[0].value == "abc" and rows[0].size_int == 12
    assert rows[1].size_int is None
    data = b"hello\n"
    want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert record.digest_of(data) == f"sha256={want}"
    assert record.matches(record.digest_of(data), [b"hel", b"lo\n"]) == (True, 6)
    assert record.matches(record.digest_of(data), [b"other"])[0] is False
    assert record.matches("nosuchalg=xyz", [b"x"]) == (None, 0)


def test_rows_replaced_and_record_kept_last():
    text = "a.py,sha256=1,1\npkg-1.0.dist-info/RECORD,,\npkg-1.0.dist-info/sboms/x.json,sha256=old,3\n"
    out = record.with_rows(text, [record.row_for("pkg-1.0.dist-info/sboms/x.json", b"new")])
    lines = out.splitlines()
    assert lines[0] == "a.py,sha256=1,1"
    assert lines[1].startswith("pkg-1.0.dist-info/sboms/x.json,sha256=") and lines[1].endswith(",3")
    assert lines[-1] == "pkg-1.0.dist-info/RECORD,,"
    assert "old" not in out
    added = record.with_rows("a.py,,\n", [record.row_for("p-1.dist-info/x", b"")],
                             record_path="p-1.dist-info/RECORD")
    assert added.splitlines()[-1] == "p-1.dist-info/RECORD,,"


def test_binary_garbage_in_a_record_is_not_fatal():
    rows = list(record.parse("a\x00b.py,sha256=x,1\n\x00\x00\n"))
    assert [r.path for r in rows] == ["ab.py"]
