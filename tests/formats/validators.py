"""The official validators, used by the writer and reader tests: cyclonedx-python-lib and spdx-tools."""

from __future__ import annotations

from pathlib import Path


def cyclonedx_errors(text: str, version: str = "1.6") -> str | None:
    """None when ``text`` is valid CycloneDX JSON of ``version`` (strict schema), else the error."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.from_version(version)).validate_str(text)
    return None if error is None else str(error)


def spdx_errors(text: str, tmp_path: Path) -> list[str]:
    """spdx-tools' messages for ``text`` parsed as an SPDX 2.3 JSON file ([] when valid)."""
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    path = tmp_path / "doc.spdx.json"
    path.write_text(text, encoding="utf-8")
    document = parse_file(str(path))
    return [m.validation_message for m in validate_full_spdx_document(document, "SPDX-2.3")]
