"""The official OSV and CVE JSON 5 schemas (shipped in ``assay/data/schemas``), through jsonschema.

jsonschema is in the ``validate`` extra; without it every caller gets a usage
error (exit 2) that names the extra, never a verdict.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from assay.errors import ConfigError

OSV_SCHEMA = "osv-schema.json"
CVE5_SCHEMA = "CVE_Record_Format_bundled-5.2.0.json"
EXTRA_HINT = "pip install 'assay[validate]'"


def _jsonschema() -> Any:
    try:
        import jsonschema
    except ImportError:
        raise ConfigError("schema validation needs jsonschema, which is not installed",
                          hint=EXTRA_HINT) from None
    return jsonschema


def load(name: str) -> dict[str, Any]:
    return json.loads(resources.files("assay.data").joinpath("schemas", name).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def validator(name: str, definition: str | None = None) -> Any:
    """A jsonschema validator for a shipped schema, or for one of its ``definitions``."""
    js = _jsonschema()
    schema = load(name)
    if definition is not None:
        schema = {**schema, "$ref": f"#/definitions/{definition}"}
        schema.pop("oneOf", None)
    cls = js.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def field_path(parts: Any) -> str:
    """``affected[0].ranges[0].events`` from a jsonschema path."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(record)"


def _specific(err: Any, js: Any) -> Any:
    """The error to show for a failed oneOf/anyOf: the alternative that got deepest into the
    document (it had the right shape and failed inside), else jsonschema's best match."""
    while err.context:
        deepest = max(err.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(err.absolute_path):
            err = deepest
        else:
            return js.exceptions.best_match(err.context)
    return err


def _cve_branch(doc: Any) -> str | None:
    """The CVE record schema is oneOf(published, rejected): check the one the record claims."""
    meta = doc.get("cveMetadata") if isinstance(doc, dict) else None
    state = meta.get("state") if isinstance(meta, dict) else None
    return {"PUBLISHED": "cveMetadataPublished", "REJECTED": "cveMetadataRejected"}.get(str(state))


@lru_cache(maxsize=4)
def _cve_validator(meta_definition: str) -> Any:
    js = _jsonschema()
    schema = load(CVE5_SCHEMA)
    branch = next(b for b in schema["oneOf"]
                  if b["properties"]["cveMetadata"]["$ref"].endswith(f"/{meta_definition}"))
    schema = {k: v for k, v in schema.items() if k != "oneOf"} | branch
    cls = js.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def errors(name: str, doc: Any, definition: str | None = None) -> list[tuple[str, str]]:
    """(field, message) for every place ``doc`` breaks the schema, most specific first."""
    js = _jsonschema()
    out: list[tuple[str, str]] = []
    check = validator(name, definition)
    if name == CVE5_SCHEMA and definition is None and (branch := _cve_branch(doc)) is not None:
        check = _cve_validator(branch)
    for err in sorted(check.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        best = _specific(err, js)
        path = field_path(best.absolute_path)
        message = best.message
        if len(message) > 200:
            rule = field_path(best.schema_path)
            message = f"does not satisfy the schema's {best.validator!r} rule ({rule})"
        item = (path, message)
        if item not in out:
            out.append(item)
    return out
