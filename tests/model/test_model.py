"""The model's own guarantees: content-derived ids valid everywhere, no duplicate edges."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from assay.model import Component, Evidence, Graph, Kind, Relationship, RelType, Unknown, make_id

SPDX_ID = re.compile(r"^[A-Za-z0-9.-]+$")


@given(st.text(min_size=1, max_size=60), st.one_of(st.none(), st.text(max_size=30)),
       st.text(max_size=40))
def test_ids_are_stable_and_valid_as_spdx_and_bom_ref(name, version, where):
    a = make_id(Kind.NATIVE_LIBRARY, name, version, where)
    assert a == make_id(Kind.NATIVE_LIBRARY, name, version, where)
    assert SPDX_ID.match(a)


def test_ids_tell_apart_kind_version_and_location():
    ids = {
        make_id(Kind.PYTHON_PACKAGE, "zlib", "1.3"),
        make_id(Kind.NATIVE_LIBRARY, "zlib", "1.3"),
        make_id(Kind.NATIVE_LIBRARY, "zlib", "1.3.1"),
        make_id(Kind.NATIVE_LIBRARY, "zlib", "1.3", "a.libs/libz.so.1"),
        make_id(Kind.NATIVE_LIBRARY, "zlib", "1.3", "b.libs/libz.so.1"),
        make_id(Kind.NATIVE_LIBRARY, "zlib", None),
    }
    assert len(ids) == 6


def test_adding_the_same_component_twice_keeps_one_with_both_evidence():
    g = Graph()
    cid = make_id(Kind.NATIVE_LIBRARY, "libwebp", "1.3.1")
    g.add(Component(cid, Kind.NATIVE_LIBRARY, "libwebp", "1.3.1",
                    evidence=(Evidence("symbol", "a.so", "0x10301", "version"),)))
    g.add(Component(cid, Kind.NATIVE_LIBRARY, "libwebp", "1.3.1",
                    evidence=(Evidence("pep770-sbom", "sboms/x.json", "", "version"),
                              Evidence("symbol", "a.so", "0x10301", "version"))))
    assert len(g) == 1
    assert [e.kind for e in g.components[cid].evidence] == ["symbol", "pep770-sbom"]


def test_relationships_and_unknowns_stay_unique_even_after_direct_appends():
    g = Graph()
    g.relate("a", "b")
    g.relate("a", "b")
    g.relationships.append(Relationship("a", "c", RelType.CONTAINS))  # a writer/reader may append
    g.relate("a", "c", RelType.CONTAINS)
    g.relate("a", "c")  # another type is another relationship
    assert [(r.target, r.type) for r in g.relationships] == [
        ("b", RelType.DEPENDS_ON), ("c", RelType.CONTAINS), ("c", RelType.DEPENDS_ON)]
    g.unknowns.append(Unknown("x", "why"))
    g.unknown("x", "why")
    assert len(g.unknowns) == 1
    assert {r.target for r in g.outgoing("a", RelType.CONTAINS)} == {"c"}
