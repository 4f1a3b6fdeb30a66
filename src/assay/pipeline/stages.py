"""Place every job, composite action and script in a release stage.

A job takes the most downstream stage any of its steps (or the actions and scripts
they call) takes part in: publish > sign > distribute > build > source. Jobs that do
none of these (tests, linters, bots) guard the source.
"""

from __future__ import annotations

from assay.pipeline import known
from assay.pipeline.ci import CIFile, Job, Repo, Step, script_calls
from assay.pipeline.yamlmarks import YStr

PRIORITY = ("publish", "sign", "distribute", "build", "source")


def step_roles(step: Step, text: str) -> set[str]:
    roles: set[str] = set()
    acts = known.actions()["stage_actions"]
    if step.uses is not None:
        for stage, pats in acts.items():
            if known.matches(str(step.uses), pats):
                roles.add(stage)
        if step.kind == "azure" and str(step.uses).lower().startswith("twineauthenticate"):
            roles.add("publish")
    for _, line in step.run_lines(text):
        if known.PUBLISH_CMD.search(line):
            roles.add("publish")
        if known.SIGN_CMD.search(line):
            roles.add("sign")
        if known.DISTRIBUTE_CMD.search(line):
            roles.add("distribute")
        if known.BUILD_CMD.search(line):
            roles.add("build")
    return roles


def primary(roles: set[str]) -> str:
    return next((s for s in PRIORITY if s in roles), "source")


def _local_target(repo: Repo, job: Job, step_uses: str) -> CIFile | None:
    ref = step_uses.split("@", 1)[0]
    if not ref.startswith("./"):
        return None
    rel = ref[2:].rstrip("/")
    for cand in (rel, f"{rel}/action.yml", f"{rel}/action.yaml"):
        f = repo.by_path(cand)
        if f is not None:
            return f
    return None


def classify(repo: Repo) -> None:
    """Set ``roles`` and ``stage`` on every job (in place)."""
    own: dict[int, set[str]] = {}
    for ci in repo.files:
        for job in ci.jobs:
            roles: set[str] = set()
            for step in job.steps:
                roles |= step_roles(step, ci.text)
            sign_actions = known.actions()["stage_actions"]["sign"]
            if job.uses is not None and known.matches(str(job.uses), sign_actions):
                roles.add("sign")
            own[id(job)] = roles
    # Calls: local composite actions, local reusable workflows, scripts. Two passes let
    # roles travel one level further (a script called by an action called by a job).
    callees: dict[int, list[Job]] = {}
    for ci in repo.files:
        for job in ci.jobs:
            targets: list[CIFile] = []
            for step in job.steps:
                if step.uses is not None:
                    t = _local_target(repo, job, str(step.uses))
                    if t is not None:
                        targets.append(t)
                for _, line in step.run_lines(ci.text):
                    for call in script_calls(line):
                        for f in repo.files:
                            if f.kind == "script" and (
                                f.file == call.lstrip("./") or f.file.endswith("/" + call.lstrip("./"))
                            ):
                                targets.append(f)
            if isinstance(job.uses, YStr):
                t = _local_target(repo, job, str(job.uses))
                if t is not None:
                    targets.append(t)
            for t in targets:
                if job not in t.called_from and t.kind != "workflow":
                    t.called_from.append(job)
            callees[id(job)] = [j for t in targets for j in t.jobs]
    roles = {k: set(v) for k, v in own.items()}
    for _ in range(3):
        for ci in repo.files:
            for job in ci.jobs:
                for callee in callees.get(id(job), []):
                    roles[id(job)] |= roles.get(id(callee), set())
    for ci in repo.files:
        for job in ci.jobs:
            job.roles = roles[id(job)]
            job.stage = primary(job.roles)
    # Actions and scripts also run in their callers' stage.
    for _ in range(2):
        for ci in repo.files:
            if ci.kind in ("action", "script") and ci.called_from:
                for job in ci.jobs:
                    caller_stage = primary({c.stage for c in ci.called_from} | job.roles)
                    job.stage = caller_stage
