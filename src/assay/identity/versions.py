"""Versions written by distributions rather than by upstream.

A library built by a Linux distribution often reports ``<upstream>-<release>``: RPM's
``1.33.0-6.el8_10.2`` (Enterprise Linux 8), ``2.2.0-1.el8``, ``1.1.1k-12.el8_9``,
``3.0.7-27.fc39``, ``1.0.2k-26.amzn2.0.2``; Debian's ``3.0.11-1~deb12u2``,
``2.9.14+dfsg-1.3~deb12u1``, ``1.2.11.dfsg-2ubuntu9.2``. Advisories and CPEs speak of the
upstream version, so assay reports that and keeps the distribution's release as evidence and in
an ``rpm``/``deb`` purl. A version without a recognisable distribution release is left as is:
``1.11.1_DEV`` or ``2.0.0-rc1`` are upstream notations, not distro releases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# RPM dist tags: .el8, .el8_10, .el9_4.1, .fc39, .amzn2, .amzn2023, .module+el8.4.0+...
_RPM = re.compile(
    r"^(?P<upstream>[0-9][0-9A-Za-z.+~^_]*)-(?P<release>[0-9][0-9A-Za-z._+~^]*?"
    r"\.(?P<tag>el[0-9]+(?:_[0-9]+)*|fc[0-9]+|amzn[0-9]+|module\+el[0-9.]+\+[0-9a-f+]+|"
    r"ph[0-9]+|mga[0-9]+|suse[0-9.]*|lp[0-9.]+|sles?[0-9.]*)(?:[._][0-9A-Za-z._]*)?)$")
# Debian revisions: -1, -1.3, -1~deb12u2, -2ubuntu9.2, -0+deb11u1; upstream part may carry +dfsg/.dfsg
_DEB = re.compile(
    r"^(?:(?P<epoch>[0-9]+):)?(?P<upstream>[0-9][0-9A-Za-z.+~]*?)(?P<repack>[.+~](?:dfsg|ds|repack)[0-9]*)?"
    r"-(?P<revision>[0-9][0-9A-Za-z.+~]*?(?:deb[0-9]+u[0-9]+|ubuntu[0-9.]+|build[0-9]+|"
    r"\+b[0-9]+)[0-9A-Za-z.+~]*)$")


# a Debian repack of upstream (+dfsg, .ds) followed by any revision: 1:1.2.13.dfsg-1
_DEB_REPACK = re.compile(
    r"^(?:(?P<epoch>[0-9]+):)?(?P<upstream>[0-9][0-9A-Za-z.+~]*?)(?P<repack>[.+~](?:dfsg|ds)[0-9]*)"
    r"-(?P<revision>[0-9][0-9A-Za-z.+~]*)$")


@dataclass(frozen=True, slots=True)
class DistroVersion:
    upstream: str  # what the upstream project calls this release
    full: str  # as the distribution wrote it
    kind: str  # "rpm" | "deb"
    distro: str  # "redhat", "fedora", "amazon", "debian", "ubuntu", ...


_RPM_DISTRO = (("el", "redhat"), ("fc", "fedora"), ("amzn", "amazon"), ("module", "redhat"),
               ("ph", "photon"), ("mga", "mageia"), ("suse", "suse"), ("sle", "suse"), ("lp", "opensuse"))


def split_distro(version: str | None) -> DistroVersion | None:
    """The upstream version inside a distribution's version string, or None when ``version`` does
    not carry a recognisable distribution release."""
    if not version:
        return None
    v = version.strip()
    m = _RPM.match(v)
    if m:
        tag = m.group("tag")
        distro = next((d for prefix, d in _RPM_DISTRO if tag.startswith(prefix)), "rpm")
        return DistroVersion(m.group("upstream"), v, "rpm", distro)
    m = _DEB.match(v) or _DEB_REPACK.match(v)
    if m:
        rev = m.group("revision")
        distro = "ubuntu" if "ubuntu" in rev else "debian"
        return DistroVersion(m.group("upstream"), v, "deb", distro)
    return None


def upstream(version: str | None) -> str | None:
    """``version`` with a distribution release removed (unchanged when there is none)."""
    split = split_distro(version)
    return split.upstream if split else version


__all__ = ["DistroVersion", "split_distro", "upstream"]
