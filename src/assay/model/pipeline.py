"""The release pipeline as a model: stages, what flows between them, and SLSA threats per stage.

Pure values, no I/O. ``assay.pipeline`` builds a :class:`PipelineReport` from CI files;
the renderers in ``assay.formats.pipeline_*`` only read it.

Threat labels. SLSA v1.0 lettered its threats A-H; v1.1 (and v1.2) relabelled them A-I
around the producer, source, build and usage. The canonical id here is the v1.1+ label
(``"A"`` ... ``"I"``), plus ``"DEP"`` for dependency threats, which v1.1 keeps apart from
the lettered chain. :data:`THREATS` carries the v1.0 letter of each; :func:`parse_threat`
accepts either form (``"v1.0:D"``, ``"slsa1.0-D"``, ``"v1.1:E"``, ``"E"``, ``"DEP"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from assay.model.finding import Severity

STAGES: tuple[str, ...] = ("source", "build", "sign", "publish", "distribute")


class Status(StrEnum):
    """A threat in a stage: ``open`` when a finding at medium or above is there (or any finding
    and no control), ``mitigated`` when a control was seen and at most low findings remain,
    ``unknown`` when the files read say nothing either way."""

    MITIGATED = "mitigated"
    OPEN = "open"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class ThreatDef:
    id: str  # the SLSA v1.1+ label ("A".."I") or "DEP"
    v1_0: str | None  # the SLSA v1.0 letter that covers the same ground
    name: str
    summary: str


# Our own wording of each threat (see slsa.dev/spec/v1.1/threats for the source model).
THREATS: tuple[ThreatDef, ...] = (
    ThreatDef("A", None, "Producer", "the maintainers themselves, or their accounts, act against users"),
    ThreatDef("B", "A", "Authoring & reviewing", "a change reaches the code without the review it needs"),
    ThreatDef(
        "C", "B", "Source code management", "the repository, its history or its tokens are tampered with"
    ),
    ThreatDef(
        "D", "C", "External build parameters", "the build runs from other source or inputs than intended"
    ),
    ThreatDef(
        "DEP", "D", "Dependencies", "an action, tool, image or package the build pulls in is compromised"
    ),
    ThreatDef("E", "E", "Build process", "the build itself is subverted (injection, poisoned cache, runner)"),
    ThreatDef(
        "F", "F", "Artifact publication", "an artifact or its provenance is forged or swapped on the way out"
    ),
    ThreatDef("G", "G", "Distribution channel", "the registry or download site serves something else"),
    ThreatDef("H", "H", "Package selection", "users pick a look-alike or unintended package"),
    ThreatDef("I", "H", "Usage", "users cannot check what they run (no SBOM, no verifiable provenance)"),
)
THREAT_IDS: tuple[str, ...] = tuple(t.id for t in THREATS)
_BY_ID = {t.id: t for t in THREATS}

# The threats each stage is answerable for, in matrix order.
STAGE_THREATS: dict[str, tuple[str, ...]] = {
    "source": ("A", "B", "C"),
    "build": ("D", "DEP", "E"),
    "sign": ("E", "F"),
    "publish": ("F",),
    "distribute": ("G", "H", "I"),
}

# v1.0 letter -> v1.1 id. v1.0 H ("use compromised package") spans v1.1 H and I; it maps
# to H, the package-selection half, and I maps back to H.
V1_0_TO_V1_1: dict[str, str] = {
    "A": "B",
    "B": "C",
    "C": "D",
    "D": "DEP",
    "E": "E",
    "F": "F",
    "G": "G",
    "H": "H",
}
_PREFIX = re.compile(r"^(?:slsa[-_ ]?)?v?(?P<ver>1\.[0-9])[:/_ -]*(?P<label>[A-Za-z]+)$", re.I)


def threat(id_: str) -> ThreatDef:
    return _BY_ID[id_]


def parse_threat(text: str, *, default_version: str = "1.1") -> str:
    """A threat label in either SLSA numbering -> the canonical (v1.1+) id.

    ``"v1.0:D"`` -> ``"DEP"``; ``"v1.1:E"`` and ``"E"`` -> ``"E"``; bare letters are read
    in ``default_version``. Raises ValueError for anything else.
    """
    raw = text.strip()
    m = _PREFIX.match(raw)
    version, label = (m["ver"], m["label"].upper()) if m else (default_version, raw.upper())
    if label == "DEP":
        return "DEP"
    if version == "1.0":
        if label in V1_0_TO_V1_1:
            return V1_0_TO_V1_1[label]
        raise ValueError(f"{text!r} is not a SLSA v1.0 threat (A-H)")
    if label in _BY_ID:
        return label
    raise ValueError(f"{text!r} is not a SLSA threat label (v1.1+: A-I or DEP; v1.0: A-H)")


def threat_label(id_: str, version: str = "1.1") -> str:
    """The label of a canonical threat id in the chosen SLSA numbering."""
    if version == "1.0":
        v10 = _BY_ID[id_].v1_0
        return v10 if v10 is not None else f"({id_})"
    return id_


@dataclass(frozen=True, slots=True)
class PipelineFinding:
    rule: str
    severity: Severity
    file: str  # relative to the scanned root, with "/"
    line: int  # 1-based, from the YAML parser (or the script's line)
    message: str
    threat: str  # canonical threat id
    advice: str
    stage: str
    job: str | None = None  # "workflow.yml:job-id"
    ignored: str | None = None  # the reason, when an ignore rule covers it

    @property
    def key(self) -> str:
        """Stable identity for ignores and SARIF fingerprints: rule:file:line."""
        return f"{self.rule}:{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Control:
    """Evidence that a threat is mitigated in a stage (Trusted Publishing, hashes, ...)."""

    stage: str
    threat: str
    text: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class JobRef:
    key: str  # "file:job-id", unique in a report
    name: str
    file: str
    line: int
    platform: str  # github | github-action | azure | gitlab | script
    stage: str
    roles: tuple[str, ...] = ()  # every stage the job's steps take part in


@dataclass(frozen=True, slots=True)
class Flow:
    """Something that crosses from one job to another: artifact, cache, secret or OIDC token."""

    kind: str  # artifact | cache | secret | oidc
    name: str
    source: str | None  # job key that produces it (None: from outside the pipeline)
    target: str | None  # job key that consumes it
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ThreatCell:
    id: str
    status: Status
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StageResult:
    name: str
    jobs: tuple[JobRef, ...]
    threats: tuple[ThreatCell, ...]

    def cell(self, threat_id: str) -> ThreatCell | None:
        return next((c for c in self.threats if c.id == threat_id), None)


@dataclass(frozen=True, slots=True)
class PipelineReport:
    root: str
    files: tuple[str, ...]  # every CI file and script read, relative
    stages: tuple[StageResult, ...]
    findings: tuple[PipelineFinding, ...]  # active, sorted
    ignored: tuple[PipelineFinding, ...] = ()
    flows: tuple[Flow, ...] = ()
    warnings: tuple[str, ...] = ()
    slsa_version: str = "1.1"  # which labels renderers show
    fail_on: Severity = Severity.MEDIUM

    def stage(self, name: str) -> StageResult:
        return next(s for s in self.stages if s.name == name)

    def failing(self, threshold: Severity | None = None) -> tuple[PipelineFinding, ...]:
        limit = self.fail_on if threshold is None else threshold
        return tuple(f for f in self.findings if f.severity >= limit or f.severity == Severity.UNKNOWN)

    def exit_code(self, threshold: Severity | None = None) -> int:
        return 1 if self.failing(threshold) else 0

    def label(self, threat_id: str) -> str:
        return threat_label(threat_id, self.slsa_version)
