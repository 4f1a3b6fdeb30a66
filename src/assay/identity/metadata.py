"""Core metadata (METADATA / PKG-INFO) → a python-package Component.

Shared by every cataloger that meets a distribution: installed .dist-info and
.egg-info, wheels, sdists, pip reports, nested wheels found by the bundled scan.
Pure: takes text, returns values.

Only the header block is read (:func:`parse_headers`): it gives exactly what the standard
library's email parser with the ``compat32`` policy gives for every header, without
feeding it the long description that follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assay.identity.cpe import pypi_cpe
from assay.identity.licenses import from_metadata
from assay.identity.purl import canonical_name, pypi_purl
from assay.model import Component, Evidence, Hash, Kind, License, make_id

_SOURCE_LABELS = {"source", "sourcecode", "source code", "repository", "code", "github", "gitlab",
                  "source-code", "repo", "git"}
_HOME_LABELS = {"homepage", "home", "home page", "home-page", "website"}


@dataclass(frozen=True, slots=True)
class CoreMetadata:
    """The fields assay uses, parsed once."""

    name: str
    version: str | None
    summary: str | None
    license: License | None
    supplier: str | None
    author: str | None
    homepage: str | None
    source_url: str | None
    download_url: str | None
    requires_dist: tuple[str, ...]
    provides_extra: tuple[str, ...]
    license_files: tuple[str, ...]
    metadata_version: str | None
    # the fields license resolution reads (License-Expression, License, Classifier, License-File)
    license_fields: dict[str, list[str]] = field(default_factory=dict, compare=False)


# "Jane Doe <jane@example.org>, \"Doe, J.\" <j@x.org>" and bare addresses: the forms nearly every
# Author-email/Maintainer-email field takes. Anything else (escapes, comments, dots outside
# quotes, groups) goes to the standard library's address parser, which gives the same for these.
_ADDR = r"[^\s\x00-\x1f\"(),:;<>@\[\\\]]+@[^\s\x00-\x1f\"(),:;<>@\[\\\]]+"
_SIMPLE_ITEM = re.compile(r"\s*(?:(?:\"([^\"\\\x00-\x1f]*)\"|([^\x00-\x1f\"(),.:;<>@\[\\\]]*?))\s*<("
                          + _ADDR + r")>|(" + _ADDR + r"))\s*")


def _addresses(field: str) -> list[tuple[str, str]]:
    """(display name, address) pairs, as ``email.utils.getaddresses([field])`` gives them."""
    out: list[tuple[str, str]] = []
    pos, end = 0, len(field)
    while True:
        m = _SIMPLE_ITEM.match(field, pos)
        if m is None or (m.end() < end and field[m.end()] != ","):
            import email.utils

            return email.utils.getaddresses([field])
        if m.group(4) is not None:
            out.append(("", m.group(4)))
        elif m.group(1) is not None:
            out.append((m.group(1), m.group(3)))
        else:
            out.append((" ".join(m.group(2).split()), m.group(3)))
        if m.end() >= end:
            return out
        pos = m.end() + 1


def _person(name: str | None, email_field: str | None) -> str | None:
    """A display name from Author/Maintainer and their -email fields."""
    name = (name or "").strip()
    if name and name.upper() != "UNKNOWN":
        return name
    if email_field:
        people = []
        for display, addr in _addresses(email_field):
            people.append(display or addr)
        joined = ", ".join(p for p in people if p)
        return joined or None
    return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if not value or value.upper() == "UNKNOWN" else value


# what the email package's feed parser accepts as a header line (RFC 5322 field name + ":")
_HEADER_LINE = re.compile(r"[\041-\071\073-\176]*:")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BLANK = re.compile(r"\r\n\r\n|\n\n|\r\r|\r\n\n|\n\r\n")


# a header with its continuation lines (name, value), or an envelope "From " line, or a line
# starting with ":" (no field name): the last two are dropped with their continuations
_FIELD = re.compile(r"^(?:From [^\n]*(?:\n[ \t][^\n]*)*|([\041-\071\073-\176]*):[ \t]*"
                    r"([^\n]*(?:\n[ \t][^\n]*)*))", re.M)
# the first line that is none of those and not a continuation: the body starts there
_NOT_HEADER = re.compile(r"^(?![ \t]|From |[\041-\071\073-\176]*:)", re.M)


def parse_headers(text: str) -> dict[str, list[str]]:
    """The header fields of a METADATA/PKG-INFO text: lower-case name -> values in order.

    Values are what ``email.parser.HeaderParser(policy=compat32)`` returns: the first line
    with leading blanks removed, continuation lines kept with their line breaks and leading
    blanks, the final line break removed. Reading stops at the first blank line or at a line
    that is neither a header nor a continuation, as that parser does.
    """
    if "\r" in text:
        m = _BLANK.search(text)
        head = text[:m.start() + 1] if m else text
        if "\r" in head:
            return _parse_headers_slow(head)
    else:  # only "\n\n" can end the headers: a plain search, not the regex over the whole body
        end = text.find("\n\n")
        head = text[:end + 1] if end >= 0 else text
    bad = _NOT_HEADER.search(head)
    if bad is not None and bad.start() < len(head):
        head = head[:bad.start()]
    fields: dict[str, list[str]] = {}
    for name, value in _FIELD.findall(head):
        if name:
            key = name.lower()
            if key in fields:
                fields[key].append(value)
            else:
                fields[key] = [value]
    return fields


def _parse_headers_slow(head: str) -> dict[str, list[str]]:
    """:func:`parse_headers` line by line, for texts with carriage returns."""
    fields: dict[str, list[str]] = {}
    name = ""
    parts: list[str] = []

    def flush() -> None:
        if name:
            value = "".join(parts).rstrip("\r\n")
            fields.setdefault(name, []).append(value)

    for line in _LINE.findall(head):
        if not line or line in ("\n", "\r\n", "\r"):
            break
        if line[0] in " \t":
            if name:
                parts.append(line)
            continue
        if line.startswith("From "):
            flush()
            name = ""
            continue  # an mbox envelope line: skipped, as the email parser does
        hm = _HEADER_LINE.match(line)
        if hm is None:
            break  # the body starts here
        flush()
        if hm.end() == 1:  # ":value" has no field name: dropped with its continuations
            name = ""
            continue
        name = line[:hm.end() - 1].lower()
        parts = [line[hm.end():].lstrip(" \t")]
    flush()
    return fields


def parse_metadata(text: str) -> CoreMetadata:
    """Parse METADATA/PKG-INFO text. Raises ValueError when it has no Name."""
    fields = parse_headers(text)

    def get(key: str) -> str | None:
        values = fields.get(key.lower())
        return values[0] if values else None

    return _from_fields(get, lambda key: fields.get(key.lower(), []))


def metadata_from_json(data: dict) -> CoreMetadata:
    """Core metadata in its JSON form (PEP 566; pip's --report, PyPI's JSON API)."""
    def key(field: str) -> str:
        return field.lower().replace("-", "_")

    def get(field: str) -> str | None:
        value = data.get(key(field))
        if isinstance(value, list):
            return value[0] if value else None
        return None if value is None else str(value)

    def get_all(field: str) -> list[str]:
        value = data.get(key(field))
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    return _from_fields(get, get_all)


def _from_fields(get, get_all) -> CoreMetadata:  # type: ignore[no-untyped-def]
    name = _clean(get("Name"))
    if not name:
        raise ValueError("no Name field")
    project_urls: dict[str, str] = {}
    for entry in get_all("Project-URL"):
        label, _, url = entry.partition(",")
        if url.strip():
            project_urls[label.strip().lower()] = url.strip()
    homepage = _clean(get("Home-page")) or next(
        (u for k, u in project_urls.items() if k in _HOME_LABELS), None)
    source_url = next((u for k, u in project_urls.items() if k in _SOURCE_LABELS), None)
    if source_url is None and homepage and any(h in homepage for h in ("github.com/", "gitlab.com/")):
        source_url = homepage
    lic = from_metadata(_clean(get("License-Expression")), get("License"), get_all("Classifier"))
    author = _person(get("Author"), get("Author-email"))
    maintainer = _person(get("Maintainer"), get("Maintainer-email"))
    return CoreMetadata(
        name=name,
        version=_clean(get("Version")),
        summary=_clean(get("Summary")),
        license=lic,
        supplier=maintainer or author,
        author=author,
        homepage=homepage,
        source_url=source_url,
        download_url=_clean(get("Download-URL")) or next(
            (u for k, u in project_urls.items() if k in ("download", "downloads")), None),
        requires_dist=tuple(get_all("Requires-Dist")),
        provides_extra=tuple(get_all("Provides-Extra")),
        license_files=tuple(get_all("License-File")),
        metadata_version=_clean(get("Metadata-Version")),
        license_fields={k: list(get_all(k)) for k in ("License-Expression", "License", "Classifier",
                                                     "License-File")},
    )


def cpe_for(name: str, version: str | None) -> str | None:
    """The NVD CPE 2.3 name of a PyPI project, when NVD is known to use one."""
    return pypi_cpe(name, version)


def package_component(name: str, version: str | None, *, found_by: str,
                      evidence: tuple[Evidence, ...] = (), hashes: tuple[Hash, ...] = (),
                      properties: tuple[tuple[str, str], ...] = (), download_location: str | None = None,
                      kind: Kind = Kind.PYTHON_PACKAGE, id_qualifier: str = "") -> Component:
    """A python-package Component known by name and version only (a lock file line, a file name):
    the same id, purl and CPE as :func:`dist_component` gives the same distribution."""
    return Component(
        id=make_id(kind, canonical_name(name), version, *([id_qualifier] if id_qualifier else [])),
        kind=kind, name=name, version=version, purl=pypi_purl(name, version),
        cpes=tuple(c for c in [cpe_for(name, version)] if c), hashes=hashes,
        download_location=download_location, evidence=evidence, found_by=found_by,
        properties=tuple(sorted(properties)))


def dist_component(metadata: str | CoreMetadata, *, location: str, found_by: str,
                   hashes: tuple[Hash, ...] = (), download_location: str | None = None,
                   properties: tuple[tuple[str, str], ...] = (),
                   evidence: tuple[Evidence, ...] = (),
                   kind: Kind = Kind.PYTHON_PACKAGE, id_qualifier: str = "") -> Component:
    """A python-package Component from core metadata text (or an already parsed one).

    ``location`` is where the metadata was read (for evidence). The id depends
    on name, version and ``id_qualifier`` only, so the same distribution gets
    the same id from every input kind.
    """
    md = metadata if isinstance(metadata, CoreMetadata) else parse_metadata(metadata)
    name = md.name
    ev = (Evidence("metadata", location, f"Name: {name}; Version: {md.version}", "version"),)
    if md.license:
        ev += (Evidence("metadata", location, f"license from {md.license.source}", "license"),)
    return Component(
        id=make_id(kind, canonical_name(name), md.version, *([id_qualifier] if id_qualifier else [])),
        kind=kind,
        name=name,
        version=md.version,
        purl=pypi_purl(name, md.version),
        cpes=tuple(c for c in [cpe_for(name, md.version)] if c),
        hashes=hashes,
        license=md.license,
        supplier=md.supplier,
        author=md.author,
        description=md.summary,
        download_location=download_location or md.download_url,
        homepage=md.homepage,
        source_url=md.source_url,
        evidence=ev + evidence,
        found_by=found_by,
        properties=tuple(sorted(properties)),
    )
