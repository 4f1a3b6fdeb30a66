"""CPE 2.3 names (NISTIR 7695, formatted string binding), built and escaped in one place."""

from __future__ import annotations

import re
from functools import cache

from assay.identity.purl import canonical_name

_QUOTE = re.compile(r"([^A-Za-z0-9._-])")


def escape(value: str) -> str:
    """A value for one CPE 2.3 field: every character but alphanumerics, ``.``, ``_`` and ``-``
    is quoted with a backslash (``1.0+b`` -> ``1.0\\+b``)."""
    return _QUOTE.sub(r"\\\1", value)


def cpe23(vendor: str, product: str, version: str | None, part: str = "a") -> str:
    """``cpe:2.3:a:vendor:product:version:*:*:*:*:*:*:*``; no version gives ``*`` (any)."""
    v = escape(version) if version else "*"
    return f"cpe:2.3:{part}:{vendor}:{product}:{v}:*:*:*:*:*:*:*"


def vendor_product(cpe: str) -> tuple[str, str] | None:
    """(vendor, product) of a CPE 2.3 name, or None when it is not one."""
    parts = re.split(r"(?<!\\):", cpe)
    if len(parts) < 6 or parts[0] != "cpe" or parts[1] != "2.3":
        return None
    return parts[3], parts[4]


@cache
def _pypi_table() -> dict[str, tuple[str, str]]:
    import json

    from assay.data import read_text

    table = json.loads(read_text("python_cpes.json"))["cpe"]
    return {canonical_name(k): tuple(v.split(":", 1)) for k, v in table.items()}  # type: ignore[misc]


def pypi_cpe(name: str, version: str | None) -> str | None:
    """The NVD CPE of a PyPI project at a version, when NVD is known to name the project."""
    entry = _pypi_table().get(canonical_name(name))
    if not entry or not version:
        return None
    return cpe23(entry[0], entry[1], version)


PYTHON_VENDOR_PRODUCT = ("python", "python")


def python_cpe(version: str | None) -> str:
    """CPython's own CPE (NVD names it python:python)."""
    return cpe23(*PYTHON_VENDOR_PRODUCT, version)


__all__ = ["cpe23", "escape", "pypi_cpe", "python_cpe", "vendor_product"]
