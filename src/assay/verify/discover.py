"""Finding verification material beside an artifact, by the names publishers use.

``X.sigstore`` / ``X.sigstore.json``: a Sigstore bundle; ``X.asc`` or a binary
``X.sig``: an OpenPGP signature; ``X.sig`` + ``X.crt``: a detached Sigstore
signature and certificate (not verifiable offline: no log entry);
``X.provenance`` / ``X.publish.attestation`` / ``X.*.attestation``: PEP 740.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assay.model.verify import SignatureKind

SIGSTORE_SUFFIXES = (".sigstore", ".sigstore.json")
OPENPGP_SUFFIXES = (".asc", ".sig")
PEP740_SUFFIXES = (".provenance", ".publish.attestation", ".slsa.attestation")
# Files that are material themselves, never artifacts to verify.
MATERIAL_SUFFIXES = (*SIGSTORE_SUFFIXES, *OPENPGP_SUFFIXES, *PEP740_SUFFIXES, ".attestation", ".crt",
                     ".pem", ".sha256", ".md5", ".sha256sum", ".part")


@dataclass(slots=True)
class Material:
    sigstore: list[Path] = field(default_factory=list)
    openpgp: list[Path] = field(default_factory=list)
    pep740: list[Path] = field(default_factory=list)
    detached_sigstore: list[Path] = field(default_factory=list)  # .sig + .crt pairs (the .sig)

    def kinds(self) -> set[SignatureKind]:
        out: set[SignatureKind] = set()
        if self.sigstore:
            out.add(SignatureKind.SIGSTORE)
        if self.openpgp:
            out.add(SignatureKind.OPENPGP)
        if self.pep740:
            out.add(SignatureKind.PEP740)
        return out

    def __bool__(self) -> bool:
        return bool(self.sigstore or self.openpgp or self.pep740 or self.detached_sigstore)


def is_material(name: str) -> bool:
    return name.endswith(MATERIAL_SUFFIXES) or name.startswith(".")


def _is_binary_openpgp(path: Path) -> bool:
    """A binary OpenPGP signature packet starts with a packet tag byte (bit 7 set)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1)
    except OSError:
        return False
    return bool(head) and bool(head[0] & 0x80)


def find(artifact: Path, names: set[str] | None = None) -> Material:
    """Material beside ``artifact``; ``names`` (the folder's listing) saves a stat per suffix."""
    folder, base = artifact.parent, artifact.name
    if names is None:
        try:
            names = {p.name for p in folder.iterdir()}
        except OSError:
            names = set()
    m = Material()
    for suffix in SIGSTORE_SUFFIXES:
        if base + suffix in names:
            m.sigstore.append(folder / (base + suffix))
    if base + ".asc" in names:
        m.openpgp.append(folder / (base + ".asc"))
    if base + ".sig" in names:
        sig = folder / (base + ".sig")
        if base + ".crt" in names and not _is_binary_openpgp(sig):
            m.detached_sigstore.append(sig)
        else:
            m.openpgp.append(sig)
    for suffix in PEP740_SUFFIXES:
        if base + suffix in names:
            m.pep740.append(folder / (base + suffix))
    return m
