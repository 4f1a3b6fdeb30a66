"""YAML with line numbers: PyYAML's composer gives every node its marks; we keep them.

Scalars become :class:`YStr` (always strings: ``on``, ``yes`` and ``false`` stay the
text the file holds, so GitHub's ``on:`` key is never read as a boolean), mappings
:class:`YMap` and sequences :class:`YSeq`; each knows its 1-based line. Null scalars
are ``None``. Aliases are converted once (so an alias bomb costs nothing) and a file
larger than :data:`MAX_BYTES` is refused. Nothing is constructed from tags: no code runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assay.errors import InputError

MAX_BYTES = 4 << 20
_NULLS = {"", "~", "null", "Null", "NULL"}

try:  # the C composer when PyYAML was built with libyaml
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


class YStr(str):
    line: int
    col: int
    end_line: int
    style: str | None
    start: int  # character offsets of the scalar in the file's text
    end: int

    def __new__(cls, value: str, node: yaml.Node | None = None) -> YStr:
        obj = super().__new__(cls, value)
        if node is None:
            obj.line = obj.end_line = obj.col = obj.start = obj.end = 0
            obj.style = None
        else:
            obj.line = node.start_mark.line + 1
            obj.col = node.start_mark.column
            obj.end_line = node.end_mark.line + 1
            obj.style = getattr(node, "style", None)
            obj.start = node.start_mark.index
            obj.end = node.end_mark.index
        return obj


class YMap(dict):
    line: int = 0
    col: int = 0
    key_lines: dict[str, int]

    def kline(self, key: str) -> int:
        """The line of ``key`` in this mapping (the mapping's own line when absent)."""
        return self.key_lines.get(key, self.line)


class YSeq(list):
    line: int = 0
    col: int = 0


def line_of(value: Any, default: int = 1) -> int:
    return getattr(value, "line", 0) or default


def _convert(node: yaml.Node, memo: dict[int, Any], depth: int = 0) -> Any:
    if depth > 200:
        raise ValueError("nesting deeper than 200 levels")
    got = memo.get(id(node))
    if got is not None:
        return got
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in _NULLS:
            return None
        return YStr(node.value, node)
    if isinstance(node, yaml.SequenceNode):
        seq = YSeq()
        seq.line, seq.col = node.start_mark.line + 1, node.start_mark.column
        memo[id(node)] = seq
        seq.extend(_convert(item, memo, depth + 1) for item in node.value)
        return seq
    if isinstance(node, yaml.MappingNode):
        mapping = YMap()
        mapping.line, mapping.col = node.start_mark.line + 1, node.start_mark.column
        mapping.key_lines = {}
        memo[id(node)] = mapping
        for knode, vnode in node.value:
            # complex keys do not occur in CI files; keep them readable
            key = knode.value if isinstance(knode, yaml.ScalarNode) else str(_convert(knode, memo, depth + 1))
            if key == "<<" and isinstance(vnode, yaml.MappingNode | yaml.SequenceNode):
                merged = _convert(vnode, memo, depth + 1)
                for part in merged if isinstance(merged, list) else [merged]:
                    if isinstance(part, YMap):
                        for k, v in part.items():
                            mapping.setdefault(k, v)
                            mapping.key_lines.setdefault(k, part.kline(k))
                continue
            mapping[key] = _convert(vnode, memo, depth + 1)
            mapping.key_lines[key] = knode.start_mark.line + 1
        return mapping
    raise ValueError(f"unexpected YAML node {type(node).__name__}")  # pragma: no cover


def loads(text: str, name: str = "<string>") -> Any:
    """The first document of ``text`` with marks; InputError naming ``name`` when it is not YAML."""
    try:
        for node in yaml.compose_all(text, Loader=_Loader):
            if node is not None:
                return _convert(node, {})
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{name}:{where}: not valid YAML ({problem})") from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{name}: not usable YAML ({exc})") from None


def read_text(path: Path, name: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{name}: {size} bytes is more than a CI file can sensibly be ({MAX_BYTES})")
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def load(path: Path, name: str) -> tuple[Any, str]:
    text = read_text(path, name)
    return loads(text, name), text
