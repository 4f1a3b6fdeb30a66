"""Writing a JSON record back in the layout it was read in, so an update changes only what changed.

Advisory databases are git repositories: a rewrite that re-indents, re-escapes or
reorders keys is noise in every diff and every review. The PSF's database holds
files from two writers: Python's ``json.dumps(indent=2)`` (``\\uXXXX`` escapes, no
final newline) and a Go tool (UTF-8 as is, a final newline, ``<``/``>``/``&`` as
``\\u003c``...). :class:`Style` records which one a file uses; :func:`dumps`
writes in it; :func:`ordered` keeps a record's existing key order and puts new
keys where the database's own order puts them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_ESCAPED_NON_ASCII = re.compile(r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}"
                                r"|[1-9a-fA-F][0-9a-fA-F]{3})")
_GO_HTML = re.compile(r"\\u00(?:3c|3e|26)")


@dataclass(frozen=True, slots=True)
class Style:
    indent: int | None = 2
    ensure_ascii: bool = False
    final_newline: bool = True
    html_escape: bool = False  # Go's encoding/json: <, > and & as \u003c, \u003e, \u0026


# A new file: the layout of the PSF database's id-assigning tool (and of osv.dev's tools).
DEFAULT = Style()


def detect(text: str) -> Style:
    """The layout of an existing JSON file."""
    indent: int | None = None
    for line in text.splitlines()[1:3]:
        stripped = line.lstrip(" ")
        if stripped != line:
            indent = len(line) - len(stripped)
            break
    if indent is None and "\n" not in text.strip():
        indent = None
    elif indent is None:
        indent = 2
    final_newline = text.endswith("\n")
    if any(ord(ch) > 127 for ch in text):
        ensure_ascii = False
    elif _ESCAPED_NON_ASCII.search(text):
        ensure_ascii = True
    else:  # nothing to tell by: the two writers differ by the final newline too
        ensure_ascii = not final_newline
    return Style(indent, ensure_ascii, final_newline, bool(_GO_HTML.search(text)))


def dumps(doc: Any, style: Style = DEFAULT) -> str:
    text = json.dumps(doc, indent=style.indent, ensure_ascii=style.ensure_ascii)
    if style.html_escape:  # these characters occur only inside strings in JSON text
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text + "\n" if style.final_newline else text


def ordered(doc: Mapping[str, Any], canonical: Iterable[str], existing: Iterable[str] = ()) -> dict[str, Any]:
    """``doc`` with its keys in ``existing`` order; keys not there go after the nearest key
    that precedes them in ``canonical`` order (unknown keys at the end)."""
    canon = list(canonical)
    order = [k for k in existing if k in doc]
    for key in canon:
        if key not in doc or key in order:
            continue
        before = canon[:canon.index(key)]
        pos = 0
        for i, k in enumerate(order):
            if k in before:
                pos = i + 1
        order.insert(pos, key)
    order += [k for k in doc if k not in order]
    return {k: doc[k] for k in order}
