"""Where a distribution came from: PEP 610 ``direct_url.json`` / pip report ``download_info``,
and PEP 710 ``provenance_url.json``. Pure: takes parsed JSON, returns values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assay.identity import hashes as _hashes
from assay.model import Hash


@dataclass(frozen=True, slots=True)
class DownloadInfo:
    """What PEP 610 direct URL data says of where a distribution came from."""

    url: str | None
    location: str | None  # the download location an SBOM should show (VCS: vcs+url@commit)
    hashes: tuple[Hash, ...] = ()
    properties: tuple[tuple[str, str], ...] = ()
    kind: str = ""  # archive | vcs | dir | ""


def download_info(data: Any) -> DownloadInfo:
    """PEP 610 direct URL data (``direct_url.json`` or a pip report's ``download_info``).

    Raises ValueError when it has no ``url``."""
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        raise ValueError("no url")
    url: str = data["url"]
    props: list[tuple[str, str]] = []
    if isinstance(data.get("vcs_info"), dict):
        vcs = data["vcs_info"]
        commit = str(vcs.get("commit_id", ""))
        props += [("assay:direct_url.vcs", str(vcs.get("vcs", ""))), ("assay:direct_url.commit_id", commit)]
        if vcs.get("requested_revision"):
            props.append(("assay:direct_url.requested_revision", str(vcs["requested_revision"])))
        location = f"{vcs.get('vcs', 'git')}+{url}@{commit}" if commit else url
        return DownloadInfo(url, location, (), tuple(props), "vcs")
    if isinstance(data.get("archive_info"), dict):
        info = data["archive_info"]
        legacy = info.get("hash") if isinstance(info.get("hash"), str) else None
        hashes = _hashes.from_mapping(info.get("hashes") if isinstance(info.get("hashes"), dict) else None,
                                      legacy)
        return DownloadInfo(url, url, hashes, (), "archive")
    if isinstance(data.get("dir_info"), dict):
        editable = bool(data["dir_info"].get("editable"))
        props.append(("assay:direct_url.editable", "true" if editable else "false"))
        return DownloadInfo(url, url, (), tuple(props), "dir")
    return DownloadInfo(url, url)


def provenance_info(data: Any) -> DownloadInfo:
    """PEP 710 ``provenance_url.json``: the index URL of the archive installed and its hashes.

    Raises ValueError when it is not valid PEP 710 data."""
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        raise ValueError("no url")
    archive = data.get("archive_info") or {}
    if not isinstance(archive, dict):
        raise ValueError("archive_info is not an object")
    hashes = _hashes.from_mapping(archive.get("hashes") if isinstance(archive.get("hashes"), dict) else None)
    return DownloadInfo(data["url"], data["url"], hashes, (), "archive")


def provenance_document(url: str, hashes: tuple[Hash, ...]) -> dict[str, Any]:
    """The ``provenance_url.json`` content PEP 710 asks for."""
    return {"archive_info": {"hashes": {h.alg: h.value for h in hashes}}, "url": url}


__all__ = ["DownloadInfo", "download_info", "provenance_document", "provenance_info"]
