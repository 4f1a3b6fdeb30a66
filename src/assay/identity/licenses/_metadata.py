"""Core-metadata license fields → SPDX: the classifier and alias tables, expression checks.

A value maps only when the mapping is unambiguous ("BSD License" does not: it is one of
BSD-2-Clause, BSD-3-Clause, 0BSD, ...); anything else stays free text.
"""

from __future__ import annotations

from functools import lru_cache

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

# Trove classifiers that name exactly one SPDX license. "BSD License" and
# "OSI Approved" alone are ambiguous and deliberately absent.
CLASSIFIERS: dict[str, str] = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: MIT No Attribution License (MIT-0)": "MIT-0",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)": "MPL-1.1",
    "License :: OSI Approved :: GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)":
        "LGPL-2.0-or-later",
    "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)":
        "LGPL-3.0-or-later",
    "License :: OSI Approved :: GNU Affero General Public License v3": "AGPL-3.0-only",
    "License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)":
        "AGPL-3.0-or-later",
    "License :: OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0",
    "License :: OSI Approved :: Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
    "License :: OSI Approved :: The Unlicense (Unlicense)": "Unlicense",
    "License :: OSI Approved :: zlib/libpng License": "Zlib",
    "License :: OSI Approved :: Universal Permissive License (UPL)": "UPL-1.0",
    "License :: OSI Approved :: Artistic License": "Artistic-2.0",
    "License :: OSI Approved :: Historical Permission Notice and Disclaimer (HPND)": "HPND",
    "License :: OSI Approved :: Academic Free License (AFL)": "AFL-3.0",
    "License :: OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)": "EUPL-1.2",
    "License :: OSI Approved :: BSD License": "",  # ambiguous: BSD-2/3-Clause, 0BSD, ...
    "License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication": "CC0-1.0",
    "License :: Public Domain": "",
}

# Free-text License values people write, mapped only when they are unambiguous.
ALIASES: dict[str, str] = {
    "mit": "MIT", "mit license": "MIT", "the mit license": "MIT", "mit licence": "MIT",
    "expat": "MIT", "expat license": "MIT",
    "apache 2.0": "Apache-2.0", "apache-2": "Apache-2.0", "apache 2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0", "apache license, version 2.0": "Apache-2.0",
    "apache license version 2.0": "Apache-2.0", "apache software license 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0", "apache license (2.0)": "Apache-2.0",
    "asl 2": "Apache-2.0", "asl 2.0": "Apache-2.0", "apache2": "Apache-2.0",
    "bsd-3": "BSD-3-Clause", "bsd 3-clause": "BSD-3-Clause", "3-clause bsd": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause", "new bsd license": "BSD-3-Clause", "modified bsd": "BSD-3-Clause",
    "bsd 3-clause license": "BSD-3-Clause", "3-clause bsd license": "BSD-3-Clause",
    "revised bsd": "BSD-3-Clause", "bsd-2": "BSD-2-Clause", "bsd 2-clause": "BSD-2-Clause",
    "2-clause bsd": "BSD-2-Clause", "simplified bsd": "BSD-2-Clause", "freebsd": "BSD-2-Clause",
    "isc license": "ISC", "isc": "ISC", "psf": "PSF-2.0", "psf license": "PSF-2.0",
    "python software foundation license": "PSF-2.0", "mpl 2.0": "MPL-2.0", "mpl-2": "MPL-2.0",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0", "lgpl": "", "gpl": "", "bsd": "",
    "bsd license": "", "unlicense": "Unlicense", "public domain": "", "zpl 2.1": "ZPL-2.1",
    "zpl-2.1": "ZPL-2.1", "zope public license": "ZPL-2.1", "hpnd": "HPND",
    "gplv2": "GPL-2.0-only", "gplv3": "GPL-3.0-only", "gplv2+": "GPL-2.0-or-later",
    "gplv3+": "GPL-3.0-or-later", "lgplv3": "LGPL-3.0-only", "lgplv3+": "LGPL-3.0-or-later",
    "lgplv2+": "LGPL-2.0-or-later", "lgplv2.1+": "LGPL-2.1-or-later",
    "dual license": "", "other/proprietary license": "", "proprietary": "",
}


def _classifier_names() -> dict[str, str]:
    """A classifier's own name written as the License field ("zlib/libpng License", "zlib/libpng")
    means what the classifier means, when that is unambiguous: the name states the version, or
    the license has none ("Artistic License" is not taken: Artistic-1.0 or -2.0)."""
    out: dict[str, str] = {}
    for classifier, spdx in CLASSIFIERS.items():
        name = classifier.rsplit(" :: ", 1)[-1].lower()
        if not spdx or (any(ch.isdigit() for ch in spdx) and not any(ch.isdigit() for ch in name)):
            continue
        bare = name.split(" (", 1)[0]
        for form in (name, bare, bare.removesuffix(" license")):
            out.setdefault(form, spdx)
    return out


_NAMES = _classifier_names()


@lru_cache(maxsize=4096)
def spdx_expression(text: str) -> str | None:
    """A canonical SPDX expression when ``text`` is one (or a known alias, or a license
    classifier's name), else None."""
    stripped = text.strip().strip(".").strip()
    if not stripped or "\n" in stripped or len(stripped) > 200:
        return None
    alias = ALIASES.get(stripped.lower())
    if alias is None:
        alias = _NAMES.get(stripped.lower())
    if alias is not None:
        return alias or None
    try:
        return canonicalize_license_expression(stripped)
    except InvalidLicenseExpression:
        return None


