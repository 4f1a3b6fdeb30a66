"""Distribution builds of a library report the upstream version; anything else is left alone."""

from __future__ import annotations

import pytest

from assay.identity.versions import split_distro, upstream


@pytest.mark.parametrize(("written", "up", "kind", "distro"), [
    ("1.33.0-6.el8_10.2", "1.33.0", "rpm", "redhat"),
    ("2.2.0-1.el8", "2.2.0", "rpm", "redhat"),
    ("1.1.1k-12.el8_9", "1.1.1k", "rpm", "redhat"),
    ("3.0.7-27.fc39", "3.0.7", "rpm", "fedora"),
    ("1.0.2k-26.amzn2.0.2", "1.0.2k", "rpm", "amazon"),
    ("3.0.11-1~deb12u2", "3.0.11", "deb", "debian"),
    ("2.9.14+dfsg-1.3~deb12u1", "2.9.14", "deb", "debian"),
    ("1.2.11.dfsg-2ubuntu9.2", "1.2.11", "deb", "ubuntu"),
    ("1:1.2.13.dfsg-1", "1.2.13", "deb", "debian"),
])
def test_distro_releases_split(written, up, kind, distro):
    d = split_distro(written)
    assert d is not None and (d.upstream, d.kind, d.distro, d.full) == (up, kind, distro, written)
    assert upstream(written) == up


@pytest.mark.parametrize("written", ["1.11.1_DEV", "2.0.0-rc1", "1.2.3", "2.5.0-1", "3.0.0-beta2",
                                     "1.0.0-alpha.1", "2024.1", "v1.2-3-gdeadbee", "", None])
def test_upstream_notations_are_not_distro_releases(written):
    assert split_distro(written) is None
    assert upstream(written) == written
