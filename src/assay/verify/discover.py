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
# Files that are material themselves (signatures, certificates, attestations, checksums,
# partial downloads), never artifacts to verify. Longest first: the subject of
# X.publish.attestation is X, not X.publish.
MATERIAL_SUFFIXES = tuple(sorted(
    {*SIGSTORE_SUFFIXES, *OPENPGP_SUFFIXES, *PEP740_SUFFIXES, ".attestation", ".intoto.jsonl", ".crt",
     ".pem", ".sha256", ".sha512", ".md5", ".sha256sum", ".sha512sum", ".part"},
    key=lambda s: (-len(s), s)))


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


def has_material_suffix(name: str) -> bool:
    """Whether a file name says it is verification material (``X.sigstore``, ``X.asc``, ...)."""
    return any(name.endswith(s) and len(name) > len(s) for s in MATERIAL_SUFFIXES)


def is_material(name: str) -> bool:
    """Names in a folder listing that are not artifacts: material, and hidden files."""
    return has_material_suffix(name) or name.startswith(".")


def subject_of(material: Path) -> str:
    """The file a piece of material names by convention (``X.tar.gz.asc`` is for ``X.tar.gz``)."""
    name = material.name
    for suffix in MATERIAL_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def split_material(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(artifacts, material) among files named together, as ``assay verify dist/*`` names them.

    A file is material, not an artifact, when its name has a material suffix and it has
    no verification material of its own beside it (a ``notes.sig`` that is itself
    signed, with ``notes.sig.asc`` beside it, stays an artifact). Order is kept.
    """
    artifacts: list[Path] = []
    material: list[Path] = []
    listings: dict[Path, set[str]] = {}
    for path in paths:
        if not has_material_suffix(path.name):
            artifacts.append(path)
            continue
        folder = path.parent
        if folder not in listings:
            try:
                listings[folder] = {p.name for p in folder.iterdir()}
            except OSError:
                listings[folder] = set()
        (artifacts if find(path, listings[folder]) else material).append(path)
    return artifacts, material


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
