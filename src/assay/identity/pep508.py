"""PEP 508 requirements and markers as packaging reads them, without importing packaging's parser.

``packaging.requirements`` and ``packaging.markers`` cost more to import than reading a whole
environment's metadata (their tokenizer compiles the version grammar, ``packaging.utils`` loads the
platform-tag machinery). The shapes Requires-Dist uses in practice (a name, extras, a version
specifier list, a marker of quoted strings, variables, ``and``/``or`` and parentheses) are parsed
here with the same grammar and give the same values: the name and extras as written, packaging's
own ``SpecifierSet`` (``packaging.specifiers`` is light), the marker's normal form (``str()``) and
its evaluation, operator for operator. Anything else (a URL, a parenthesised specifier, escapes in
a string, set-valued markers, text that does not parse) goes to packaging, which then decides or
raises; its errors are re-raised as :class:`InvalidRequirement` / :class:`InvalidMarker` here.

The tests compare both on every Requires-Dist of a real environment and on generated input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from assay.identity.purl import canonical_name


class InvalidRequirement(ValueError):
    """A requirement string packaging does not accept (its message)."""


class InvalidMarker(InvalidRequirement):
    """A marker packaging does not accept (its message)."""


class _Fallback(Exception):
    """Not a shape this module reads: packaging decides."""


# packaging's tokenizer rules (packaging/_tokenizer.py DEFAULT_RULES), the ones a marker uses
_WS = re.compile(r"[ \t]+")
_BOOLOP = re.compile(r"\b(or|and)\b")
_IN = re.compile(r"\bin\b")
_NOT = re.compile(r"\bnot\b")
_OP = re.compile(r"(===|==|~=|!=|<=|>=|<|>)")
_VARIABLE = re.compile(r"\b(python_version|python_full_version|os[._]name|sys[._]platform"
                       r"|platform_(release|system)|platform[._](version|machine|python_implementation)"
                       r"|python_implementation|implementation_(name|version)|extras?|dependency_groups)\b")
_QUOTED = re.compile(r"""('[^']*')|("[^"]*")""")
_MAX_NESTING = 200

_SETS = frozenset({"extras", "dependency_groups"})  # set-valued: packaging's
_VERSIONED = frozenset({"implementation_version", "platform_release", "python_full_version",
                        "python_version"})


class _Var(str):
    """A marker variable (its canonical name)."""

    __slots__ = ()


class _Val(str):
    """A quoted string's value."""

    __slots__ = ()


def _text(item: str) -> str:
    return f'"{item}"' if isinstance(item, _Val) else str(item)


class _Parser:
    __slots__ = ("pos", "src")

    def __init__(self, src: str) -> None:
        self.src = src
        self.pos = 0

    def _match(self, rx: re.Pattern[str]) -> re.Match[str] | None:
        m = rx.match(self.src, self.pos)
        if m is not None:
            self.pos = m.end()
        return m

    def _ws(self) -> None:
        self._match(_WS)

    def marker(self, depth: int = 0) -> list[Any]:
        expression: list[Any] = [self.atom(depth)]
        while (m := self._match(_BOOLOP)) is not None:
            expression.extend((m.group(0), self.atom(depth)))
        return expression

    def atom(self, depth: int) -> Any:
        self._ws()
        if self.src.startswith("(", self.pos):
            if depth >= _MAX_NESTING:
                raise _Fallback
            self.pos += 1
            inner: Any = self.marker(depth + 1)
            if not self.src.startswith(")", self.pos):
                raise _Fallback
            self.pos += 1
        else:
            inner = self.item()
        self._ws()
        return inner

    def item(self) -> tuple[str, str, str]:
        left = self.var()
        self._ws()
        if self._match(_IN) is not None:
            op = "in"
        elif self._match(_NOT) is not None:
            if self._match(_WS) is None or self._match(_IN) is None:
                raise _Fallback
            op = "not in"
        elif (m := self._match(_OP)) is not None:
            op = m.group(0)
        else:
            raise _Fallback
        self._ws()
        return left, op, self.var()

    def var(self) -> str:
        m = self._match(_VARIABLE)
        if m is not None:
            name = m.group(0).replace(".", "_")
            if name in _SETS:
                raise _Fallback
            return _Var("platform_python_implementation" if name == "python_implementation" else name)
        m = self._match(_QUOTED)
        if m is None:
            raise _Fallback
        quoted = m.group(0)
        if "\\" in quoted or not quoted.isprintable():
            raise _Fallback  # packaging evaluates it as a Python literal
        return _Val(quoted[1:-1])


def _normalise_extras(tree: list[Any]) -> list[Any]:
    out: list[Any] = []
    for m in tree:
        if isinstance(m, list):
            out.append(_normalise_extras(m))
        elif isinstance(m, tuple):
            lhs, op, rhs = m
            if isinstance(lhs, _Var) and lhs == "extra" and isinstance(rhs, _Val):
                rhs = _Val(canonical_name(rhs))
            elif isinstance(rhs, _Var) and rhs == "extra" and isinstance(lhs, _Val):
                lhs = _Val(canonical_name(lhs))
            out.append((lhs, op, rhs))
        else:
            out.append(m)
    return out


def _format(marker: Any, first: bool = True) -> str:
    if isinstance(marker, tuple):
        lhs, op, rhs = marker
        return f"{_text(lhs)} {op} {_text(rhs)}"
    if isinstance(marker, str):
        return marker
    if len(marker) == 1 and isinstance(marker[0], list | tuple):
        return _format(marker[0], first=first)
    inner = [_format(m, first=False) for m in marker]
    return " ".join(inner) if first else "(" + " ".join(inner) + ")"


@lru_cache(maxsize=512)
def _specifier(spec: str) -> Any:
    from packaging.specifiers import InvalidSpecifier, Specifier

    try:
        return Specifier(spec)
    except InvalidSpecifier:
        return None


_STRING_OPS = {  # packaging.markers._operators: how non-version values compare
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
    "<": lambda a, b: False,
    "<=": lambda a, b: a == b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">=": lambda a, b: a == b,
    ">": lambda a, b: False,
}


def _compare(lhs: str, op: str, rhs: str, key: str) -> bool:
    if key in _VERSIONED:
        spec = _specifier(f"{op}{rhs}")
        if spec is not None:
            return bool(spec.contains(lhs, prereleases=True))
    oper = _STRING_OPS.get(op)
    if oper is None:
        raise ValueError(f"Undefined {op!r} on {lhs!r} and {rhs!r}.")
    return oper(lhs, rhs)


def _evaluate(tree: list[Any], env: Mapping[str, str]) -> bool:
    groups: list[list[bool]] = [[]]
    for m in tree:
        if isinstance(m, list):
            groups[-1].append(_evaluate(m, env))
        elif isinstance(m, tuple):
            lhs, op, rhs = m
            if isinstance(lhs, _Var):
                key = str(lhs)
                if key not in env:
                    raise _Fallback
                lhs_value, rhs_value = env[key], str(rhs)
            else:
                key = str(rhs)
                if key not in env:
                    raise _Fallback
                lhs_value, rhs_value = str(lhs), env[key]
            groups[-1].append(_compare(lhs_value, op, rhs_value, key))
        elif m == "or":
            groups.append([])
    return any(all(g) for g in groups)


class Marker:
    """A parsed marker: ``str()`` is packaging's normal form, :meth:`evaluate` its answer."""

    __slots__ = ("_packaging", "_str", "_tree", "text")

    def __init__(self, text: str, tree: list[Any] | None, packaging_marker: Any = None) -> None:
        self.text = text
        self._tree = tree
        self._packaging = packaging_marker
        self._str = _format(tree) if tree is not None else str(packaging_marker)

    def __str__(self) -> str:
        return self._str

    def __repr__(self) -> str:
        return f"<Marker({self._str!r})>"

    def evaluate(self, environment: Mapping[str, str]) -> bool:
        """True or False for a target environment; raises ValueError/KeyError as packaging does."""
        extra = environment.get("extra")
        if extra and extra != (canonical := canonical_name(extra)):
            environment = {**environment, "extra": canonical}  # as packaging prepares it
        if self._tree is not None:
            try:
                return _evaluate(self._tree, environment)
            except _Fallback:
                pass
        return bool(self._as_packaging().evaluate(dict(environment)))

    def _as_packaging(self) -> Any:
        if self._packaging is None:
            from packaging.markers import Marker as PackagingMarker

            self._packaging = PackagingMarker(self.text)
        return self._packaging


@lru_cache(maxsize=4096)
def marker(text: str) -> Marker:
    """The marker ``text`` (the part after ``;``), parsed once per distinct text."""
    p = _Parser(text)
    try:
        tree = p.marker()
        if p.pos != len(text):
            raise _Fallback
        return Marker(text, _normalise_extras(tree))
    except _Fallback:
        pass
    from packaging.markers import InvalidMarker as PackagingInvalid
    from packaging.markers import Marker as PackagingMarker

    try:
        return Marker(text, None, PackagingMarker(text))
    except PackagingInvalid as exc:
        raise InvalidMarker(str(exc)) from None


class Requirement:
    """The parts of a requirement assay uses, as packaging's ``Requirement`` has them."""

    __slots__ = ("extras", "marker", "name", "specifier", "url")

    def __init__(self, name: str, url: str | None, extras: set[str], specifier: Any,
                 marker: Marker | None) -> None:
        self.name = name
        self.url = url
        self.extras = extras
        self.specifier = specifier
        self.marker = marker

    def with_marker(self, marker: Marker | None) -> Requirement:
        return Requirement(self.name, self.url, set(self.extras), self.specifier, marker)

    def __str__(self) -> str:  # packaging's Requirement._iter_parts
        out = self.name
        if self.extras:
            out += "[" + ",".join(sorted(self.extras)) + "]"
        if self.specifier:
            out += str(self.specifier)
        if self.url:
            out += f" @ {self.url}"
            if self.marker:
                out += " "
        if self.marker:
            out += f"; {self.marker}"
        return out

    def __repr__(self) -> str:
        return f"<Requirement({str(self)!r})>"


_IDENT = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?![A-Za-z0-9._-])"
_REQUIREMENT = re.compile(
    rf"[ \t]*(?P<name>{_IDENT})[ \t]*"
    rf"(?:\[[ \t]*(?P<extras>{_IDENT}(?:[ \t]*,[ \t]*{_IDENT})*)?[ \t]*\][ \t]*)?"
    r"(?:\((?P<pspec>[^;()@\[\]]*)\)[ \t]*|(?P<spec>[^;()@\[\]]*))(?:;(?P<marker>.*))?", re.S)
_SPECIFIER_LIST = re.compile(r"[\t\x20-\x28\x2a-\x3a\x3c-\x7e]*")
_EXTRA_SPLIT = re.compile(r"[ \t]*,[ \t]*")


@lru_cache(maxsize=8192)
def requirement(text: str) -> Requirement:
    """The requirement ``text``, parsed once per distinct string (raises InvalidRequirement)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    m = _REQUIREMENT.fullmatch(text)
    # a specifier in parentheses is read as the text between them, its leading blanks skipped
    spec = "" if m is None else m["spec"] if m["pspec"] is None else m["pspec"].lstrip(" \t")
    if m is not None and _SPECIFIER_LIST.fullmatch(spec):
        try:
            specifier = SpecifierSet(spec) if spec else SpecifierSet()
        except InvalidSpecifier:
            specifier = None
        # packaging's grammar allows one trailing comma only; SpecifierSet skips empty items
        commas = spec.count(",")
        if specifier is not None and (not spec or len(specifier) == commas + 1):
            extras = _EXTRA_SPLIT.split(m.group("extras")) if m.group("extras") else []
            marker_text = m.group("marker")
            parsed = None if marker_text is None else marker(marker_text)
            return Requirement(m.group("name"), None, set(extras), specifier, parsed)
    from packaging.requirements import InvalidRequirement as PackagingInvalid
    from packaging.requirements import Requirement as PackagingRequirement

    try:
        req = PackagingRequirement(text)
    except PackagingInvalid as exc:
        raise InvalidRequirement(str(exc)) from None
    wrapped = None if req.marker is None else Marker(str(req.marker), None, req.marker)
    return Requirement(req.name, req.url, set(req.extras), req.specifier, wrapped)


__all__ = ["InvalidMarker", "InvalidRequirement", "Marker", "Requirement", "marker", "requirement"]
