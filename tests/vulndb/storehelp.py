"""One import of all of ../shared/data per test process, shared by tests/vulndb and tests/audit."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.model import Component, Evidence, Kind, make_id
from assay.vulndb import Store, import_paths

_BUILT: dict[str, Path] = {}


def shared_store_path(factory: pytest.TempPathFactory, shared: Path) -> Path:
    if "path" not in _BUILT:
        path = factory.mktemp("vulndb") / "shared.sqlite"
        with Store(path) as store:
            import_paths(store, [shared])
        _BUILT["path"] = path
    return _BUILT["path"]


def pypi(name: str, version: str | None) -> Component:
    from packaging.utils import canonicalize_name

    return Component(make_id(Kind.PYTHON_PACKAGE, canonicalize_name(name), version), Kind.PYTHON_PACKAGE,
                     name, version, purl=f"pkg:pypi/{canonicalize_name(name)}@{version}" if version else None)


def native(name: str, version: str | None, vendor: str, product: str, *, cpe_version: str | None = None,
           location: str = "") -> Component:
    v = cpe_version if cpe_version is not None else (version or "*")
    evidence = (Evidence("version-string", location or f".libs/{name}.so", f"{name} {version}", "version"),)
    return Component(make_id(Kind.NATIVE_LIBRARY, name, version, location), Kind.NATIVE_LIBRARY,
                     name, version, cpes=(f"cpe:2.3:a:{vendor}:{product}:{v}:*:*:*:*:*:*:*",),
                     evidence=evidence, found_by="test")


def cpython(version: str) -> Component:
    return Component(make_id(Kind.INTERPRETER, "cpython", version), Kind.INTERPRETER, "cpython", version)
