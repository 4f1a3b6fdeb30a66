"""assay's JSON text and document UUIDs are the standard library's, byte for byte, only faster."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.formats._common import dumps_json

_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                  st.text())
_doc = st.recursive(_leaf, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_doc)
def test_same_text_as_json_dumps(doc):
    assert dumps_json(doc) == json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=True) + "\n"


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=16, max_size=16), st.text())
def test_document_uuids_are_the_standard_librarys_uuid5(namespace, name):
    import uuid

    from assay.formats._common import uuid5

    assert uuid5(namespace, name) == str(uuid.uuid5(uuid.UUID(bytes=namespace), name))
