"""Reading JSON input files with the one-line errors DESIGN.md asks for."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assay.errors import InputError


def loads(raw: bytes | str) -> Any:
    """``json.loads`` with the garbage collector paused: parsed JSON holds no reference cycles, and
    collecting while a large document is built costs more than the parse (a 100k-component SBOM
    parses in 0.37 s without collections, 1.25 s with them)."""
    import gc

    paused = gc.isenabled()
    gc.disable()
    try:
        return json.loads(raw)
    finally:
        if paused:
            gc.enable()


def read_json(path: Path, *, invalid: Callable[[str], Exception] | None = None) -> tuple[Any, bytes]:
    """(parsed document, raw bytes); a missing or unreadable file is an InputError.

    Malformed JSON is an InputError too, unless ``invalid`` makes the exception to raise
    instead (a verifier turns it into a verdict rather than a usage error).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return loads(raw), raw
    except (ValueError, UnicodeDecodeError) as exc:
        if invalid is not None:
            raise invalid("not JSON") from None
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    except RecursionError:  # [[[[...]]]] thousands deep: no document assay reads nests like that
        if invalid is not None:
            raise invalid("JSON nested too deeply") from None
        raise InputError(f"{path}: JSON nested too deeply to be a document") from None


# -- validation against the official schemas (src/assay/data/schemas) ---------------------------

# name -> (schema file under data/schemas, JSON pointer of the definition to validate, or "")
SCHEMAS: dict[str, tuple[str, str]] = {
    "osv": ("osv-schema.json", ""),
    **{f"cyclonedx-{v}-component": (f"cyclonedx/bom-{v}.schema.json", "/definitions/component")
       for v in ("1.4", "1.5", "1.6", "1.7")},
}
_VALIDATORS: dict[str, Callable[[Any], str | None]] = {}


def validator(name: str) -> Callable[[Any], str | None]:
    """A function that checks a parsed value against schema ``name`` (see SCHEMAS) and returns
    None when it is valid, else one line saying where and why it is not.

    Compiled once per process (fastjsonschema turns the schema into Python code). The code is
    cached as bytecode in the user's cache folder (``$XDG_CACHE_HOME/assay/schemas``), keyed by
    the schema, the compiler and the Python version: compiling the CycloneDX component schema
    takes about a second, loading it a few milliseconds.
    """
    found = _VALIDATORS.get(name)
    if found is None:
        found = _VALIDATORS[name] = _compile(name)
    return found


def _schema_dir() -> Path:
    from importlib.resources import files

    return Path(str(files("assay.data"))) / "schemas"


_NAME_MAPS = ("properties", "definitions", "$defs", "patternProperties")  # keys are names, not keywords


_PREPARED = "3"  # bump when _prepare or the rewriting of the code changes: part of the cache key
# the generated code formats the path of every nested value as "...[{data_x}]".format(**locals()),
# valid or not: locals() builds a dict each time. An f-string of the same literal says the same.
_FORMAT_LOCALS = re.compile(r'("(?:[^"\\\n]|\\.)*")\.format\(\*\*locals\(\)\)')
_LONG_ENUM = 16
_ENUM_PATTERN = re.compile(r"must match pattern \^\(\?:.*\)\\Z")


def _prepare(node: Any) -> Any:
    """The schema in an equivalent form fastjsonschema compiles well:

    - ``const: X`` as ``enum: [X]`` (it cannot compile ``const`` without detailed exceptions, and
      detailed exceptions make validation several times slower);
    - a long enum of strings (the 800 SPDX license ids) as one anchored pattern of the escaped
      values: it would compile to a chain of 800 comparisons, a pattern is matched in C.
    """
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "const" and "enum" not in node:
                out["enum"] = [value]
            elif key == "enum" and isinstance(value, list) and len(value) > _LONG_ENUM \
                    and all(isinstance(v, str) for v in value) and "pattern" not in node:
                out["type"] = "string"
                out["pattern"] = "^(?:" + "|".join(re.escape(v) for v in value) + ")\\Z"
            elif key in _NAME_MAPS and isinstance(value, dict):
                out[key] = {k: _prepare(v) for k, v in value.items()}
            elif key == "type" and "type" in out:
                continue  # set by a long enum above (which implies string)
            else:
                out[key] = _prepare(value)
        return out
    if isinstance(node, list):
        return [_prepare(v) for v in node]
    return node


def _compile(name: str) -> Callable[[Any], str | None]:
    import hashlib
    import marshal
    import os
    import sys

    import fastjsonschema

    file, pointer = SCHEMAS[name]
    folder = _schema_dir()
    main = folder / file
    siblings = sorted(main.parent.glob("*.json"))
    key = hashlib.sha256()
    for part in (name, pointer, fastjsonschema.VERSION, sys.version, _PREPARED):
        key.update(part.encode() + b"\0")
    for path in siblings:
        key.update(path.name.encode() + b"\0" + path.read_bytes())
    cache_root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    cached = Path(cache_root) / "assay" / "schemas" / f"{name}-{key.hexdigest()[:16]}.bin"
    loaded = _load_cached(cached)
    if loaded is None:
        schema = json.loads(main.read_text(encoding="utf-8"))
        if pointer:  # validate one definition, with the rest of the document around it for $refs
            schema = {**schema, "$ref": "#" + pointer}
            schema.pop("properties", None)
            schema.pop("required", None)
            schema.pop("additionalProperties", None)

        def local(uri: str) -> Any:  # every $ref resolves to a file beside the schema, never the network
            wanted = main.parent / uri.rsplit("/", 1)[-1].split("#", 1)[0]
            if wanted.parent != main.parent or not wanted.is_file():
                raise ValueError(f"schema {file} refers to {uri}, which assay does not ship")
            return _prepare(json.loads(wanted.read_text(encoding="utf-8")))

        source = fastjsonschema.compile_to_code(
            _prepare(schema), handlers={"http": local, "https": local, "": local}, use_formats=False,
            detailed_exceptions=False)
        source = _FORMAT_LOCALS.sub(r"f\1", source)
        entry = re.search(r"^def (validate\w*)\(", source, re.M)
        if entry is None:
            raise RuntimeError(f"schema {name}: the compiled validator has no entry point")
        loaded = (entry.group(1), compile(source, f"<schema {name}>", "exec"))
        _store_cached(cached, marshal.dumps(loaded))
    entry_name, code = loaded
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - code generated here from the shipped schema, or our own cache
    check = namespace[entry_name]
    error = fastjsonschema.JsonSchemaException

    def validate(value: Any) -> str | None:
        try:
            check(value)
        except error as exc:
            raw = " ".join(str(exc.message).split())
            where = _WHERE.match(raw)
            path = tuple(k or i for k, i in _STEP.findall(where.group(1))) if where else ()
            text = _ENUM_PATTERN.sub("is not one of the values the schema lists", raw)
            text = text.replace("data.", "", 1).replace("data ", "", 1)[:300]
            return SchemaProblem(text, path)
        return None

    return validate


# where a fastjsonschema message says the problem is: "data.affected[0].ranges[1] must be ..."
_WHERE = re.compile(r"^data((?:\.[^.\[\s]+|\[\d+\])*) ")
_STEP = re.compile(r"\.([^.\[\s]+)|\[(\d+)\]")


class SchemaProblem(str):
    """What a validator found wrong (the text), and ``path``: where, as keys and list indexes
    (strings) from the validated value down (``("affected", "0", "ranges", "1")``)."""

    path: tuple[str, ...]

    def __new__(cls, text: str, path: tuple[str, ...] = ()) -> SchemaProblem:
        self = super().__new__(cls, text)
        self.path = path
        return self


def _load_cached(path: Path) -> Any:
    """The cached code object, if the file is ours (same owner, not writable by others)."""
    import marshal
    import os

    try:
        st = path.stat()
        if (hasattr(os, "getuid") and st.st_uid != os.getuid()) or st.st_mode & 0o022:
            return None
        loaded = marshal.loads(path.read_bytes())  # noqa: S302 - our own cache file, checked above
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return loaded if isinstance(loaded, tuple) and len(loaded) == 2 else None


def _store_cached(path: Path, blob: bytes) -> None:
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".schema-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        pass  # no cache: compiled again next time
