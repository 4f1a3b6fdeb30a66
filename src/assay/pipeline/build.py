"""From readers and checks to the model: stages with their jobs, flows, and the threat matrix."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from assay.config import Ignore
from assay.model import Severity
from assay.model.pipeline import (
    STAGE_THREATS,
    STAGES,
    THREAT_IDS,
    Control,
    Flow,
    JobRef,
    PipelineFinding,
    PipelineReport,
    StageResult,
    Status,
    ThreatCell,
)
from assay.pipeline import known
from assay.pipeline.checks import SECRET_REF_RX, Ctx, _cache_on, _oidc
from assay.pipeline.ci import Repo
from assay.pipeline.yamlmarks import YStr

_UNKNOWN_WHY = {
    "A": "maintainer accounts, 2FA and who may release are forge and PyPI settings, not in the repository",
    "B": "required reviews and branch protection are forge settings, not in the repository",
    "H": "which package users install is their choice; the pipeline cannot decide it",
}
MAX_EVIDENCE = 6


def ignore_matches(rule: Ignore, f: PipelineFinding) -> bool:
    """An ignore id names a rule, or rule:path, or rule:path:line (path may use * wildcards)."""
    parts = rule.id.split(":")
    if parts[0] != f.rule:
        return False
    if len(parts) >= 2 and not fnmatch.fnmatchcase(f.file, parts[1]):
        return False
    return not (len(parts) >= 3 and parts[2] and parts[2] != str(f.line))


def apply_ignores(
    findings: Sequence[PipelineFinding], ignores: Sequence[Ignore], today: date
) -> tuple[list[PipelineFinding], list[PipelineFinding], list[str]]:
    active, ignored, warnings, warned = [], [], [], set()
    for f in findings:
        rule = next((r for r in ignores if ignore_matches(r, f)), None)
        if rule is None:
            active.append(f)
        elif rule.expired(today):
            active.append(f)
            if rule.id not in warned:
                warned.add(rule.id)
                warnings.append(
                    f"ignore of {rule.id} expired on {rule.until} (reason was: {rule.reason}); "
                    "it is reported again" + (f" [{rule.origin}]" if rule.origin else "")
                )
        else:
            ignored.append(replace(f, ignored=rule.reason))
    return active, ignored, warnings


def _flows(repo: Repo) -> list[Flow]:
    flows: list[Flow] = []
    uploads: dict[str, list[str]] = {}
    downloads: list[tuple[str | None, str]] = []
    for ci in repo.files:
        for job in ci.jobs:
            for step in job.steps:
                u = str(step.uses or "")
                name = step.with_.get("name") or step.with_.get("artifact") or step.with_.get("artifactName")
                name = str(name) if name is not None else None
                if known.matches(u, ["actions/upload-artifact"]) or u.lower().startswith(
                    ("publishpipelineartifact", "publishbuildartifacts")
                ):
                    uploads.setdefault(name or "artifact", []).append(job.key)
                elif known.matches(u, ["actions/download-artifact"]) or u.lower().startswith(
                    ("downloadpipelineartifact", "downloadbuildartifacts")
                ):
                    downloads.append((name, job.key))
                cache = _cache_on(step)
                if cache:
                    flows.append(Flow("cache", cache, None, job.key, "restored from the repository's cache"))
            if job.platform == "gitlab" and job.raw.get("artifacts") is not None:
                uploads.setdefault(f"{job.id} artifacts", []).append(job.key)
            if job.platform == "gitlab":
                for need in job.needs:
                    src = f"{ci.file}:{need}"
                    if any(src in v for v in uploads.values()):
                        flows.append(Flow("artifact", f"{need} artifacts", src, job.key))
            secrets = sorted(
                {m[1] for s in job.steps for m in SECRET_REF_RX.finditer(_step_text(ci.text, s))}
                | {m[1] for m in SECRET_REF_RX.finditer(_node_text(ci.text, job.env))}
            )
            for sname in secrets:
                flows.append(Flow("secret", sname, None, job.key, "repository or environment secret"))
            if (ci.kind == "workflow" and _oidc(ci, job)) or (job.platform == "gitlab" and _oidc(ci, job)):
                flows.append(Flow("oidc", "id-token", None, job.key, "short-lived OIDC token from the CI"))
    for name, target in downloads:
        sources = uploads.get(name, []) if name else [k for v in uploads.values() for k in v]
        if not sources:
            flows.append(
                Flow("artifact", name or "all artifacts", None, target, "from another run or workflow")
            )
        for src in sources:
            if src != target:
                flows.append(Flow("artifact", name or "all artifacts", src, target))
    seen = set()
    out = []
    for f in flows:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


def _node_text(text: str, node: object) -> str:
    start, end = getattr(node, "start", None), getattr(node, "end", None)
    if isinstance(node, YStr) and start is not None and end:
        return text[start:end]
    return repr(node) if node else ""


def _step_text(text: str, step: object) -> str:
    raw = getattr(step, "raw", None)
    return _flatten(raw)


def _flatten(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_flatten(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_flatten(v) for v in value)
    return ""


def build_report(
    repo: Repo,
    ctx: Ctx,
    *,
    ignores: Sequence[Ignore] = (),
    today: date | None = None,
    slsa_version: str = "1.1",
    fail_on: Severity = Severity.MEDIUM,
) -> PipelineReport:
    today = today or date.today()
    findings = sorted(ctx.findings, key=lambda f: (f.file, f.line, f.rule, f.message))
    active, ignored, warnings = apply_ignores(findings, ignores, today)
    jobs_by_stage: dict[str, list[JobRef]] = {s: [] for s in STAGES}
    for ci in repo.files:
        if ci.kind == "dependabot":
            continue
        for job in ci.jobs:
            if ci.kind in ("action", "script") and not ci.called_from and not job.steps:
                continue
            ref = JobRef(
                job.key,
                job.name,
                ci.file,
                job.line,
                ci.kind
                if ci.kind in ("azure", "gitlab", "script")
                else ("github-action" if ci.kind == "action" else "github"),
                job.stage,
                tuple(s for s in STAGES if s in job.roles),
            )
            jobs_by_stage[job.stage].append(ref)
    stages = []
    codeowners = [r for r in repo.extra if r.endswith("CODEOWNERS")]
    for stage in STAGES:
        wanted = list(STAGE_THREATS[stage])
        for f in active:
            if f.stage == stage and f.threat not in wanted:
                wanted.append(f.threat)
        wanted.sort(key=THREAT_IDS.index)
        cells = []
        for tid in wanted:
            hits = [f for f in active if f.stage == stage and f.threat == tid]
            ctrls: list[Control] = [c for c in ctx.controls if c.stage == stage and c.threat == tid]
            if hits and ctrls and max(f.severity for f in hits) < Severity.MEDIUM:
                # A control works and only low findings remain: mitigated, residue listed.
                ev = [c.text for c in ctrls[:MAX_EVIDENCE]] + [
                    f"residual (low): {f.rule} {f.file}:{f.line}" for f in hits[:3]
                ]
                cells.append(ThreatCell(tid, Status.MITIGATED, tuple(ev)))
            elif hits:
                worst = max(f.severity for f in hits)
                ev = [f"{len(hits)} finding(s), worst {worst}"] + [
                    f"{f.rule} {f.file}:{f.line}" for f in hits[:MAX_EVIDENCE]
                ]
                if len(hits) > MAX_EVIDENCE:
                    ev.append(f"… and {len(hits) - MAX_EVIDENCE} more")
                ev += [f"partial control: {c.text}" for c in ctrls[:2]]
                cells.append(ThreatCell(tid, Status.OPEN, tuple(ev)))
            elif ctrls:
                cells.append(ThreatCell(tid, Status.MITIGATED, tuple(c.text for c in ctrls[:MAX_EVIDENCE])))
            else:
                if not jobs_by_stage[stage]:
                    why = [f"no job in the {stage} stage was found"]
                else:
                    why = [_UNKNOWN_WHY.get(tid, "no finding and no control seen in the files read")]
                if tid == "B" and codeowners:
                    why.append(
                        f"{codeowners[0]} names owners (enforced only if the forge requires their review)"
                    )
                cells.append(ThreatCell(tid, Status.UNKNOWN, tuple(why)))
        stages.append(
            StageResult(
                stage, tuple(sorted(jobs_by_stage[stage], key=lambda j: (j.file, j.line))), tuple(cells)
            )
        )
    files = sorted({ci.file for ci in repo.files} | set(repo.extra))
    return PipelineReport(
        root=str(repo.root),
        files=tuple(files),
        stages=tuple(stages),
        findings=tuple(active),
        ignored=tuple(ignored),
        flows=tuple(_flows(repo)),
        warnings=tuple(repo.warnings + warnings),
        slsa_version=slsa_version,
        fail_on=fail_on,
    )
