"""A parsed SBOM document of any supported format read into the model: which format it is,
and the one-line error naming the file when it is none or is malformed. The readers themselves
live with their writers (:mod:`assay.formats.spdx`, :mod:`~assay.formats.cyclonedx`,
:mod:`~assay.formats.assay_json`); what they share is in :mod:`assay.formats._reading`.
"""

from __future__ import annotations

from typing import Any

from assay.errors import InputError
from assay.formats import assay_json, cyclonedx, spdx
from assay.model import Graph


def read_document(doc: Any, origin: str, *, consume: bool = False) -> tuple[Graph, str]:
    """(Graph, format name) of a parsed SBOM document: SPDX 2.2/2.3, CycloneDX 1.4-1.6 or assay
    JSON. Anything else, or a malformed document, is an InputError naming ``origin``.

    ``consume``: the caller hands the document over; its lists of components, packages and
    relationships are emptied as they are read (see :func:`assay.formats._reading.drain`)."""
    if not isinstance(doc, dict):
        raise InputError(f"{origin}: not an SBOM (the JSON is a {type(doc).__name__}, not an object)")
    found = next(((fmt, module) for fmt, module in (("assay JSON", assay_json), ("SPDX", spdx),
                                                    ("CycloneDX", cyclonedx)) if module.recognise(doc)), None)
    if found is None:
        raise InputError(f"{origin}: not an SPDX, CycloneDX or assay JSON document")
    fmt, module = found
    import gc

    paused = gc.isenabled()
    gc.disable()  # a document's values form no cycles: collecting while reading 100k of them is waste
    try:
        return module.read(doc, origin, consume=consume), fmt
    except InputError:
        raise
    except RecursionError:
        raise InputError(f"{origin}: {fmt} document nested too deeply") from None
    except KeyError as exc:
        raise InputError(f"{origin}: malformed {fmt} document (missing field {exc})") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{origin}: malformed {fmt} document ({exc})") from None
    finally:
        if paused:
            gc.enable()


def recognise(doc: Any) -> bool:
    return any(m.recognise(doc) for m in (assay_json, spdx, cyclonedx))
