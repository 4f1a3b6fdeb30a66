"""PEP 770: write the SBOM of a wheel's bundled components into its ``.dist-info/sboms/``.

``assay sbom WHEEL --embed``: the components detection found inside the wheel
(native libraries, vendored projects, JS libraries) become a CycloneDX 1.6 document at
``<name>-<version>.dist-info/sboms/assay.cdx.json``; RECORD gets its sha256 and size;
the wheel is rewritten next to itself and renamed over the original in one step, so
a failure leaves the original untouched. Every other member is copied byte for byte
(same names, order, timestamps and compression).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

from assay.errors import InputError
from assay.model import Graph, RelType

SBOM_NAME = "assay.cdx.json"


def bundled_subgraph(graph: Graph) -> Graph:
    """The root and what it (transitively) CONTAINS, minus what only an embedded SBOM claimed."""
    keep = {graph.root}
    frontier = [graph.root]
    while frontier:
        current = frontier.pop()
        for rel in graph.outgoing(current, RelType.CONTAINS):
            comp = graph.components.get(rel.target)
            if comp is None or rel.target in keep or comp.found_by == "bundled.pep770":
                continue
            keep.add(rel.target)
            frontier.append(rel.target)
    sub = Graph(root=graph.root, metadata={"target": graph.metadata.get("target", "")})
    for cid in keep:
        if cid in graph.components:
            sub.add(graph.components[cid])
    for rel in graph.relationships:
        if rel.source in keep and rel.target in keep:
            sub.relationships.append(rel)
    return sub


def embed_sbom(target: str | os.PathLike[str], sbom_text: str) -> Path:
    """Embed ``sbom_text`` (the CycloneDX document of :func:`bundled_subgraph`, rendered by the
    caller) into the wheel ``target``; returns its member path. The wheel keeps its file mode."""
    path = Path(target)
    if not path.name.lower().endswith(".whl") or not path.is_file():
        raise InputError(f"{path}: --embed needs a wheel file (.whl)")
    try:
        with zipfile.ZipFile(path) as zin:
            infos = zin.infolist()
            names = [i.filename for i in infos]
            dist_infos = sorted({n.split("/", 1)[0] for n in names
                                 if re.fullmatch(r"[^/]+\.dist-info/RECORD", n)})
            if len(dist_infos) != 1:
                raise InputError(f"{path}: expected one <name>.dist-info/RECORD, found {len(dist_infos)}")
            dist_info = dist_infos[0]
            record_name = f"{dist_info}/RECORD"
            sbom_name = f"{dist_info}/sboms/{SBOM_NAME}"
            sbom = sbom_text.encode("utf-8")
            record = _updated_record(zin.read(record_name).decode("utf-8"), sbom_name, sbom)
            mode = path.stat().st_mode & 0o7777
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as zout:
                    for info in infos:
                        if info.filename in (record_name, sbom_name):
                            continue
                        with zin.open(info) as src:
                            data = src.read()
                        zout.writestr(info, data, compress_type=info.compress_type)
                    sbom_info = zipfile.ZipInfo(sbom_name, date_time=_newest(infos))
                    sbom_info.external_attr = 0o644 << 16
                    zout.writestr(sbom_info, sbom, compress_type=zipfile.ZIP_DEFLATED)
                    rec_info = next(i for i in infos if i.filename == record_name)
                    zout.writestr(rec_info, record.encode("utf-8"), compress_type=rec_info.compress_type)
                os.chmod(tmp, mode)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise InputError(f"{path}: cannot embed the SBOM ({exc})") from None
    return Path(sbom_name)


def _newest(infos: list[zipfile.ZipInfo]) -> tuple[int, int, int, int, int, int]:
    return max((i.date_time for i in infos), default=(1980, 1, 1, 0, 0, 0))


def _updated_record(text: str, sbom_name: str, sbom: bytes) -> str:
    from assay.identity import record

    return record.with_rows(text, [record.row_for(sbom_name, sbom)],
                            record_path=f"{sbom_name.split('/', 1)[0]}/RECORD")


__all__ = ["SBOM_NAME", "bundled_subgraph", "embed_sbom"]
