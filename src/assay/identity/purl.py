"""Package URLs, built per the purl specification (https://github.com/package-url/purl-spec).

One function per purl type assay writes, all through :func:`purl`, so every input gives the
same purl for the same thing. PyPI names are normalised as PEP 503 does (lower case, every run
of ``-``, ``_`` and ``.`` becomes one ``-``): the purl spec's rule (lower case, ``_`` to ``-``)
is part of it, and it is the only form lock files such as uv.lock and poetry.lock know, so an
installed ``zope.interface``, its wheel and a uv.lock entry ``zope-interface`` all give
``pkg:pypi/zope-interface@6.4``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_NORMALISE = re.compile(r"[-_.]+")

# characters the spec leaves unencoded in a name or version segment
_SAFE_NAME = ".-_~"
_SAFE_VERSION = ".-_~+!"


def purl(type_: str, name: str, version: str | None = None, *, namespace: str | None = None,
         qualifiers: dict[str, str] | None = None, subpath: str | None = None) -> str:
    """``pkg:type/namespace/name@version?qualifiers#subpath``, percent-encoded as the spec says."""
    out = f"pkg:{type_.lower()}/"
    if namespace:
        out += "/".join(quote(seg, safe=_SAFE_NAME) for seg in namespace.strip("/").split("/") if seg)
        out += "/"
    out += quote(name, safe=_SAFE_NAME)
    if version:
        out += "@" + quote(version, safe=_SAFE_VERSION)
    if qualifiers:
        pairs = sorted((k.lower(), v) for k, v in qualifiers.items() if v)
        if pairs:
            out += "?" + "&".join(f"{k}={quote(v, safe='/:')}" for k, v in pairs)
    if subpath:
        out += "#" + "/".join(quote(seg, safe=_SAFE_NAME) for seg in subpath.strip("/").split("/")
                              if seg not in ("", ".", ".."))
    return out


def canonical_name(name: str) -> str:
    """A Python project name PEP 503 normalised (``Zope.Interface`` -> ``zope-interface``): what
    packaging's ``canonicalize_name`` returns, without importing packaging (whose ``utils`` pulls
    in its platform tags)."""
    return _NORMALISE.sub("-", name).lower()


pypi_name = canonical_name  # the name as purls write it


def pypi_purl(name: str, version: str | None, **qualifiers: str) -> str:
    """``pkg:pypi/<name>@<version>`` for a Python distribution, from any input."""
    return purl("pypi", pypi_name(name), version, qualifiers=qualifiers or None)


def generic_purl(name: str, version: str | None, **qualifiers: str) -> str:
    return purl("generic", name, version, qualifiers=qualifiers or None)


def distro_purl(kind: str, distro: str, package: str, version: str, *, arch: str | None = None) -> str:
    """A Debian (``deb``) or RPM (``rpm``) package purl, e.g. ``pkg:rpm/redhat/openssl@1.1.1k-12.el8``."""
    return purl(kind, package, version, namespace=distro, qualifiers={"arch": arch} if arch else None)


def purl_type(value: str | None) -> str:
    """The type of a purl (``pypi``, ``generic``, ``npm``...), lower case; "" when it is not one."""
    if not value or not value.startswith("pkg:"):
        return ""
    return value[4:].lstrip("/").split("/", 1)[0].lower()


__all__ = ["distro_purl", "generic_purl", "purl", "purl_type", "pypi_name", "pypi_purl"]
