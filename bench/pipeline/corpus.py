"""Real release pipelines for the tests and the benchmark: PyPI sdists that ship their
.github/ folder, pinned by sha256. TUNE is what the checks were tuned on; MEASURE is only
ever measured (never tuned against); CURRENT are recent releases of the same projects,
hardened since (zizmor reports nothing at medium or above on them)."""

from __future__ import annotations

import tarfile
from pathlib import Path

TUNE = {
    "pytest-7.4.0.tar.gz": "b4bf8c45bd59934ed84001ad51e11b4ee40d40a1229d2c79f9c592b0a3f6bd8a",
    "black-23.1.0.tar.gz": "b0bd97bea8903f5a2ba7219257a44e3f1f9d00073d6cc1add68f0beec69692ac",
    "attrs-22.2.0.tar.gz": "c9227bfc2f01993c03f68db37d1d15c9690188323c067c641f1a35ca58185f99",
    "pluggy-1.0.0.tar.gz": "4224373bacce55f955a878bf9cfa763c1e360858e330072059e10bad68531159",
    "twine-4.0.2.tar.gz": "9e102ef5fdd5a20661eb88fad46338806c3bd32cf1db729603fe3697b1bc83c8",
}
MEASURE = {
    "coverage-6.5.0.tar.gz": "f642e90754ee3e06b0e7e51bce3379590e76b7f76b708e1a71ff043f87025c84",
    "virtualenv-20.17.1.tar.gz": "f8b927684efc6f1cc206c9db297a570ab9ad0e51c16fa9e45487d36d1905c058",
    "setuptools_scm-7.1.0.tar.gz": "6c508345a771aad7d56ebff0e70628bf2b0ec7573762be9960214730de278f27",
    "pytest-6.2.5.tar.gz": "131b36680866a76e6781d13f101efb86cf674ebb9762eb70d3082b6f29889e89",
    "black-22.3.0.tar.gz": "35020b8886c022ced9282b51b5a875b6d1ab0c387b31a065b84db7c33085ca79",
}
CURRENT = {
    "pytest-9.2.0.tar.gz": "97c4f3b1f3c7414aa36465e09b8220f1d03627993bd51b1282e193753c80557b",
    "black-26.10.1.tar.gz": "5f9f83beae62437e060dafd53d7f1fc327e3d3494f74d72ee5c2b73eb90fc4e7",
    "attrs-26.1.0.tar.gz": "d03ceb89cb322a8fd706d4fb91940737b6642aa36998fe130a9bc96c985eff32",
    "cibuildwheel-4.3.5.tar.gz": "43c30292b9ec8d08a8eb3873436e64d4d1434c5dcbc855fb0afbfc69732048f1",
    "twine-7.0.0.tar.gz": "85cdb29c518efef867360ae4acd4b0dfd61c8654a22fca08e6f8539f05022177",
    "pluggy-1.7.0.tar.gz": "d1eaa46ebb595891b860ab086b4d09c8588af65ebd4361b8e8f4bb8920b90ba8",
}
ALL = {**TUNE, **MEASURE, **CURRENT}


def extract(sdist: Path, dest: Path) -> Path:
    """Unpack the sdist's CI files and scripts (never executed) under dest; the project folder."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist) as tar:
        tar.extractall(dest, filter="data")
    (top,) = [p for p in dest.iterdir() if p.is_dir()]
    return top
