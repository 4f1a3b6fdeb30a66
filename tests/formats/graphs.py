"""Graphs built from the model for the writer and reader tests.

They carry what real scans produce: an environment root, Python packages with a
dependency graph, a bundled native library and a vendored project (CONTAINS),
a dynamic link, an optional dependency, free-text and LicenseRef licenses,
unicode names, extra CPEs, hashes CycloneDX cannot carry, unknowns and findings.
"""

from __future__ import annotations

from assay.model import (
    Component,
    Evidence,
    Finding,
    Graph,
    Hash,
    Kind,
    License,
    RelType,
    Severity,
    make_id,
)

SHA256_A = "a" * 63 + "1"
SHA256_B = "0123456789abcdef" * 4
SHA512_B = "fedcba9876543210" * 8
MD5_C = "d41d8cd98f00b204e9800998ecf8427e"


def rich_graph() -> Graph:
    g = Graph(metadata={"target": "/srv/app/.venv", "python": "3.11.9", "tool": "assay"})
    env = Component(id=make_id(Kind.ENVIRONMENT, "venv", None, "/srv/app/.venv"),
                    kind=Kind.ENVIRONMENT, name="venv", found_by="installed",
                    properties=(("assay:path", "/srv/app/.venv"),))
    g.root = env.id
    g.add(env)
    requests = Component(
        id=make_id(Kind.PYTHON_PACKAGE, "requests", "2.32.3"), kind=Kind.PYTHON_PACKAGE,
        name="requests", version="2.32.3", purl="pkg:pypi/requests@2.32.3",
        cpes=("cpe:2.3:a:python:requests:2.32.3:*:*:*:*:*:*:*",
              "cpe:2.3:a:psf:requests:2.32.3:*:*:*:*:*:*:*"),
        hashes=(Hash("sha256", SHA256_A),),
        license=License(expression="Apache-2.0", source="License-Expression"),
        supplier="Kenneth Reitz", author="Kenneth Reitz <me@kennethreitz.org>",
        description="Python HTTP for Humans.",
        download_location="https://files.pythonhosted.org/packages/requests-2.32.3-py3-none-any.whl",
        homepage="https://requests.readthedocs.io", source_url="https://github.com/psf/requests",
        evidence=(Evidence("metadata", "site-packages/requests-2.32.3.dist-info/METADATA",
                           "Version: 2.32.3", "version"),
                  Evidence("record", "site-packages/requests-2.32.3.dist-info/RECORD")),
        found_by="installed",
        properties=(("assay:installer", "pip"), ("assay:requested", "true")),
    )
    urllib3 = Component(
        id=make_id(Kind.PYTHON_PACKAGE, "urllib3", "2.2.2"), kind=Kind.PYTHON_PACKAGE,
        name="urllib3", version="2.2.2", purl="pkg:pypi/urllib3@2.2.2",
        hashes=(Hash("sha256", SHA256_B), Hash("sha512", SHA512_B), Hash("blake2b_256", "ab" * 32)),
        # free text that is no SPDX expression
        license=License(text="Permission is hereby granted, free of charge…\nMIT-ish terms",
                        source="License"),
        supplier="Andrey Petrov", found_by="installed",
    )
    # unicode name and supplier, no version proven, a LicenseRef expression
    weird = Component(
        id=make_id(Kind.PYTHON_PACKAGE, "zürich-tools", None), kind=Kind.PYTHON_PACKAGE,
        name="zürich-tools", purl="pkg:pypi/z%C3%BCrich-tools",
        license=License(expression="LicenseRef-Proprietary OR MIT", text="Custom terms © Zürich AG",
                        source="License-Expression"),
        supplier="Zürich AG 日本", download_location="not a url at all", found_by="installed",
    )
    pillow = Component(
        id=make_id(Kind.PYTHON_PACKAGE, "pillow", "10.4.0"), kind=Kind.PYTHON_PACKAGE,
        name="pillow", version="10.4.0", purl="pkg:pypi/pillow@10.4.0",
        license=License(expression="HPND", source="classifier"), found_by="installed",
    )
    libwebp = Component(
        id=make_id(Kind.NATIVE_LIBRARY, "libwebp", "1.3.1", "PIL/../pillow.libs/libwebp-2d8b2b6f.so.7.1.8"),
        kind=Kind.NATIVE_LIBRARY, name="libwebp", version="1.3.1",
        purl="pkg:generic/libwebp@1.3.1",
        cpes=("cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*",),
        hashes=(Hash("sha256", "c" * 64),),
        evidence=(Evidence("version-string", "pillow.libs/libwebp-2d8b2b6f.so.7.1.8",
                           "libwebp 1.3.1", "version"),
                  Evidence("file-name", "pillow.libs/libwebp-2d8b2b6f.so.7.1.8")),
        found_by="bundled.elf",
    )
    libsharpyuv = Component(
        id=make_id(Kind.NATIVE_LIBRARY, "libsharpyuv", "0.4.0", "pillow.libs/libsharpyuv.so"),
        kind=Kind.NATIVE_LIBRARY, name="libsharpyuv", version="0.4.0", found_by="bundled.elf",
        hashes=(Hash("md5", MD5_C),),
    )
    vendored = Component(
        id=make_id(Kind.VENDORED_PACKAGE, "six", "1.16.0", "pip/_vendor/six.py"),
        kind=Kind.VENDORED_PACKAGE, name="six", version="1.16.0", purl="pkg:pypi/six@1.16.0",
        license=License(expression="MIT", source="vendor.txt"),
        evidence=(Evidence("vendor.txt", "pip/_vendor/vendor.txt", "six==1.16.0", "version"),),
        found_by="bundled.vendored",
    )
    pip = Component(
        id=make_id(Kind.PYTHON_PACKAGE, "pip", "24.2"), kind=Kind.PYTHON_PACKAGE, name="pip",
        version="24.2", purl="pkg:pypi/pip@24.2", license=License(expression="MIT"),
        found_by="installed",
    )
    for c in (requests, urllib3, weird, pillow, libwebp, libsharpyuv, vendored, pip):
        g.add(c)
    for c in (requests, urllib3, weird, pillow, pip):
        g.relate(env.id, c.id, RelType.CONTAINS)
    g.relate(requests.id, urllib3.id, RelType.DEPENDS_ON, requirement="urllib3<3,>=1.21.1")
    g.relate(requests.id, weird.id, RelType.OPTIONAL_DEPENDS_ON, requirement="zürich-tools; extra == 'z'",
             extra="z")
    g.relate(pillow.id, libwebp.id, RelType.CONTAINS)
    g.relate(pillow.id, libsharpyuv.id, RelType.CONTAINS)
    g.relate(libwebp.id, libsharpyuv.id, RelType.DYNAMIC_LINK)
    g.relate(pip.id, vendored.id, RelType.CONTAINS)
    g.unknown(requests.id, "unsatisfied-requirement", "chardet<6,>=3.0.2; extra == 'socks'")
    g.unknown("/srv/app/.venv/lib/python3.11/site-packages/broken-1.0.dist-info",
              "unreadable-metadata", "METADATA: invalid header line 3")
    return g


def findings_for(g: Graph) -> list[Finding]:
    libwebp = g.by_name("libwebp")[0]
    requests = g.by_name("requests")[0]
    return [
        Finding(id="CVE-2023-4863", component_id=libwebp.id, component_name="libwebp",
                component_version="1.3.1", component_purl=libwebp.purl,
                aliases=("GHSA-j7hp-h8jx-5ppr",), summary="Heap buffer overflow in libwebp",
                severity=Severity.HIGH, score=8.8,
                vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", fixed_versions=("1.3.2",),
                source="nvd", evidence="version 1.3.1 in range [0, 1.3.2)",
                references=("https://nvd.nist.gov/vuln/detail/CVE-2023-4863",)),
        Finding(id="PYSEC-2024-60", component_id=requests.id, component_name="requests",
                component_version="2.32.3", component_purl=requests.purl,
                aliases=("CVE-2024-35195", "GHSA-9wx4-h78v-vm56"), summary="Session verify=False sticks",
                severity=Severity.MEDIUM, fixed_versions=("2.32.4",), source="osv:pypa",
                ignored="not using sessions with verify=False"),
    ]


def minimal_graph() -> Graph:
    """No root, one component with nothing but a name."""
    g = Graph()
    c = Component(id=make_id(Kind.PYTHON_PACKAGE, "lonely", None), kind=Kind.PYTHON_PACKAGE,
                  name="lonely")
    g.add(c)
    return g
