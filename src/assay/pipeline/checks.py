"""The checks. Each one reads the normalised CI files and adds findings (and, where it sees a
control that works, evidence that a threat is mitigated).

Rule ids, default severities, threats and advice live in ``data/pipeline/rules.toml``;
action lists in ``data/pipeline/actions.toml``. A check yields where it looked: the file and
1-based line the YAML parser gave for the node (or the script line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from assay.model import Severity
from assay.model.pipeline import Control, PipelineFinding
from assay.pipeline import known
from assay.pipeline.ci import CIFile, Job, Repo, Step, shell_words
from assay.pipeline.yamlmarks import YMap, YSeq, YStr

# ------------------------------------------------------------------------------------------


@dataclass
class Ctx:
    repo: Repo
    findings: list[PipelineFinding] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    _seen: set[tuple[str, str, int, str]] = field(default_factory=set)

    def add(
        self,
        rule: str,
        file: str,
        line: int,
        message: str,
        *,
        job: Job | None = None,
        severity: Severity | None = None,
        stage: str | None = None,
    ) -> None:
        rd = known.rules()[rule]
        key = (rule, file, line, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.findings.append(
            PipelineFinding(
                rule=rule,
                severity=severity if severity is not None else rd.severity,
                file=file,
                line=max(line, 1),
                message=message,
                threat=rd.threat,
                advice=rd.advice,
                stage=stage or (job.stage if job is not None else "source"),
                job=job.key if job is not None else None,
            )
        )

    def control(self, stage: str, threat: str, text: str, file: str, line: int) -> None:
        c = Control(stage, threat, text, file, line)
        if c not in self.controls:
            self.controls.append(c)


CHECKS: list[Callable[[Ctx], None]] = []


def check(fn: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
    CHECKS.append(fn)
    return fn


def run_all(repo: Repo) -> Ctx:
    ctx = Ctx(repo)
    for fn in CHECKS:
        fn(ctx)
    return ctx


# -- helpers ----------------------------------------------------------------------------------


def _workflows(ctx: Ctx) -> Iterator[CIFile]:
    return (f for f in ctx.repo.files if f.kind == "workflow")


def _gh_files(ctx: Ctx) -> Iterator[CIFile]:
    return (f for f in ctx.repo.files if f.kind in ("workflow", "action"))


def _steps(ctx: Ctx, kinds: tuple[str, ...] | None = None) -> Iterator[tuple[CIFile, Job, Step]]:
    for ci in ctx.repo.files:
        if kinds is not None and ci.kind not in kinds:
            continue
        for job in ci.jobs:
            for step in job.steps:
                yield ci, job, step


def _lines(ctx: Ctx) -> Iterator[tuple[CIFile, Job, Step, int, str]]:
    """Every command line of every run step, script line and GitLab/Azure script."""
    for ci, job, step in _steps(ctx):
        for no, line in step.run_lines(ci.text):
            code = _strip_comment(line)
            if code.strip():
                yield ci, job, step, no, code


def _strip_comment(line: str) -> str:
    s = line.lstrip()
    return "" if s.startswith("#") else line


def _walk_strings(value: Any) -> Iterator[YStr]:
    if isinstance(value, YStr):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk_strings(v)


_EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def _expr_positions(ci: CIFile, node: YStr) -> Iterator[tuple[int, str]]:
    """(line, expression body) of each ${{ }} in a scalar, lines taken from the file's text."""
    if node.start < node.end <= len(ci.text):
        raw = ci.text[node.start : node.end]
        for m in _EXPR.finditer(raw):
            yield node.line + raw.count("\n", 0, m.start()), m[1]
    else:
        for m in _EXPR.finditer(str(node)):
            yield node.line, m[1]


def _triggers(ci: CIFile) -> set[str]:
    return {t.lower() for t in ci.triggers}


_DANGEROUS = {"pull_request_target", "workflow_run"}


def _tag_push(ci: CIFile) -> bool:
    push = ci.triggers.get("push")
    return isinstance(push, YMap) and ("tags" in push or "tags-ignore" in push)


def _release_workflow(ci: CIFile) -> bool:
    t = _triggers(ci)
    return "release" in t or _tag_push(ci)


def _perm_write(perms: Any, scope: str) -> bool:
    if isinstance(perms, YStr):
        return str(perms).strip().lower() == "write-all"
    return isinstance(perms, YMap) and str(perms.get(scope, "")).lower() == "write"


def _job_perms(ci: CIFile, job: Job) -> Any:
    return job.raw.get("permissions") if "permissions" in job.raw else ci.permissions


def _with(step: Step, key: str) -> str | None:
    v = step.with_.get(key)
    return None if v is None else str(v)


# -- GitHub Actions checks (the ground zizmor covers) ------------------------------------------


@check
def unpinned_uses(ctx: Ctx) -> None:
    for ci in _gh_files(ctx):
        for job in ci.jobs:
            targets: list[tuple[YStr, int]] = []
            if job.uses is not None:
                targets.append((job.uses, job.raw.kline("uses")))
            for step in job.steps:
                if step.uses is not None and step.kind == "github":
                    targets.append(
                        (step.uses, step.raw.kline("uses") if isinstance(step.raw, YMap) else step.line)
                    )
            for uses, line in targets:
                u = str(uses).strip()
                if u.startswith("./") or not _USES_SHAPE.match(u):
                    continue
                if u.startswith("docker://"):
                    if "@sha256:" not in u:
                        ctx.add("unpinned-uses", ci.file, line, f"{u}: image not pinned by digest", job=job)
                    continue
                ref = known.uses_ref(u)
                if ref is None:
                    ctx.add(
                        "unpinned-uses",
                        ci.file,
                        line,
                        f"{u}: no ref at all (runs whatever is on the default branch)",
                        job=job,
                    )
                elif not known.SHA_RE.match(ref):
                    ctx.add(
                        "unpinned-uses",
                        ci.file,
                        line,
                        f"{u}: pinned to the movable ref {ref!r}, not a commit",
                        job=job,
                    )


_USES_SHAPE = re.compile(r"^(?:docker://\S+|[\w.-]+/[\w.-]+(?:/\S*)?(?:@\S+)?)$")


def _checkout_credentials(ctx: Ctx, ci: CIFile, job: Job) -> None:
    checkouts = []
    dangerous_upload = False
    for step in job.steps:
        if step.uses is None or step.kind != "github":
            continue
        if known.matches(str(step.uses), ["actions/checkout"]):
            if isinstance(step.raw, YMap) and isinstance(step.raw.get("with"), YStr):
                continue  # with: is an expression; cannot tell
            persist = (_with(step, "persist-credentials") or "").strip().lower()
            if persist == "false":
                continue
            if persist.startswith("${{") or persist == "true":
                continue  # explicit choice (zizmor: auditor/pedantic)
            checkouts.append(step)
        elif known.matches(str(step.uses), ["actions/upload-artifact"]):
            path = _with(step, "path") or ""
            for p in path.split("\n"):
                p = p.strip()
                if p in (".", "./", "*", "**", "${{ github.workspace }}") or p.startswith(
                    ("./*", "${{ github.workspace }}/*")
                ):
                    dangerous_upload = True
    for step in checkouts:
        v6 = (known.major(known.uses_ref(str(step.uses))) or 0) >= 6
        if dangerous_upload:
            sev, msg = (
                Severity.MEDIUM if v6 else Severity.HIGH,
                "actions/checkout keeps the token on disk and a later step uploads the workspace",
            )
        else:
            if v6:
                continue  # v6 keeps it outside the workspace: zizmor calls this low
            sev, msg = (
                Severity.MEDIUM,
                "actions/checkout keeps the token in .git/config (persist-credentials is not false)",
            )
        ctx.add("artipacked", ci.file, step.line, msg, job=job, severity=sev)


@check
def artipacked(ctx: Ctx) -> None:
    for ci in _gh_files(ctx):
        for job in ci.jobs:
            _checkout_credentials(ctx, ci, job)


_PERM_SEVERITY = {
    "actions": Severity.HIGH,
    "attestations": Severity.HIGH,
    "contents": Severity.HIGH,
    "deployments": Severity.HIGH,
    "id-token": Severity.HIGH,
    "issues": Severity.HIGH,
    "packages": Severity.HIGH,
    "pages": Severity.HIGH,
    "pull-requests": Severity.HIGH,
    "models": Severity.LOW,
    "statuses": Severity.LOW,
}


@check
def excessive_permissions(ctx: Ctx) -> None:
    for ci in _workflows(ctx):
        jobs = ci.jobs
        reusable_only = set(_triggers(ci)) == {"workflow_call"}
        all_jobs_explicit = bool(jobs) and all("permissions" in j.raw for j in jobs)
        top_matters = not (len(jobs) == 1 or all_jobs_explicit or reusable_only)
        perms = ci.permissions
        if not ci.has_permissions:
            if top_matters:
                ctx.add(
                    "excessive-permissions",
                    ci.file,
                    ci.doc.line,
                    "no permissions: block, so every job gets the repository's default token permissions",
                )
        elif isinstance(perms, YStr):
            level = str(perms).strip().lower()
            if level in ("write-all", "read-all") and top_matters:
                ctx.add(
                    "excessive-permissions",
                    ci.file,
                    ci.doc.kline("permissions"),
                    f"workflow-level permissions: {level}",
                    severity=Severity.HIGH if level == "write-all" else Severity.MEDIUM,
                )
        elif isinstance(perms, YMap) and top_matters:
            for scope, val in perms.items():
                if str(val).lower() == "write":
                    ctx.add(
                        "excessive-permissions",
                        ci.file,
                        perms.kline(scope),
                        f"{scope}: write granted to every job at the workflow level",
                        severity=_PERM_SEVERITY.get(scope, Severity.MEDIUM),
                    )
        for job in jobs:
            if "permissions" not in job.raw:
                if not ci.has_permissions and not reusable_only:
                    ctx.add(
                        "excessive-permissions",
                        ci.file,
                        job.line,
                        f"job {job.id} runs with the default token permissions (no permissions: "
                        "here or at the top)",
                        job=job,
                    )
                continue
            jp = job.raw.get("permissions")
            if isinstance(jp, YStr) and str(jp).strip().lower() in ("write-all", "read-all"):
                level = str(jp).strip().lower()
                ctx.add(
                    "excessive-permissions",
                    ci.file,
                    job.raw.kline("permissions"),
                    f"job {job.id} uses permissions: {level}",
                    job=job,
                    severity=Severity.HIGH if level == "write-all" else Severity.MEDIUM,
                )
        # A control: every job's token is narrowed.
        if (
            ci.has_permissions
            and isinstance(perms, YMap | YStr)
            and not any(
                str(v).lower() == "write" for v in (perms.values() if isinstance(perms, YMap) else [perms])
            )
            and str(perms).strip().lower() != "write-all"
        ):
            ctx.control(
                "source",
                "C",
                f"{ci.file}: workflow token narrowed at the top (permissions:)",
                ci.file,
                ci.doc.kline("permissions"),
            )


def _trigger_line(ci: CIFile, name: str) -> int:
    on = ci.doc.get("on", ci.doc.get("true"))
    if isinstance(on, YMap) and name in on:
        return on.kline(name)
    if isinstance(on, YSeq):
        return next((x.line for x in on if isinstance(x, YStr) and str(x) == name), ci.trigger_line)
    return ci.trigger_line


@check
def dangerous_triggers(ctx: Ctx) -> None:
    for ci in _workflows(ctx):
        trig = _triggers(ci)
        if "pull_request_target" in trig:
            labeler_only = (
                len(ci.jobs) == 1
                and len(ci.jobs[0].steps) == 1
                and ci.jobs[0].steps[0].uses is not None
                and known.matches(str(ci.jobs[0].steps[0].uses), ["actions/labeler"])
            )
            if not labeler_only:
                ctx.add(
                    "dangerous-triggers",
                    ci.file,
                    _trigger_line(ci, "pull_request_target"),
                    "pull_request_target runs with the repository's secrets and write token on pull "
                    "requests from forks",
                )
        if "issue_comment" in trig:
            ctx.add(
                "dangerous-triggers",
                ci.file,
                _trigger_line(ci, "issue_comment"),
                "issue_comment runs with the repository's secrets for a comment anyone can write",
            )
        if "workflow_run" in trig:
            ctx.add(
                "dangerous-triggers",
                ci.file,
                _trigger_line(ci, "workflow_run"),
                "workflow_run runs privileged after workflows that outsiders can trigger",
            )


_PR_HEAD = re.compile(
    r"github\.event\.(?:pull_request\.head\.(?:sha|ref)|workflow_run\.head_(?:sha|branch))"
    r"|github\.head_ref|refs/pull/",
    re.I,
)


@check
def untrusted_checkout(ctx: Ctx) -> None:
    for ci in _workflows(ctx):
        if not (_triggers(ci) & _DANGEROUS):
            continue
        for job in ci.jobs:
            for step in job.steps:
                if step.uses is not None and known.matches(str(step.uses), ["actions/checkout"]):
                    ref = step.with_.get("ref") or step.with_.get("repository")
                    if isinstance(ref, YStr) and _PR_HEAD.search(str(ref)):
                        ctx.add(
                            "untrusted-checkout",
                            ci.file,
                            step.with_.kline("ref" if "ref" in step.with_ else "repository"),
                            f"checks out the contributor's code ({str(ref).strip()}) in a "
                            f"{'/'.join(sorted(_triggers(ci) & _DANGEROUS))} workflow",
                            job=job,
                        )
                for no, line in step.run_lines(ci.text):
                    if re.search(r"\bgit\s+(?:fetch|checkout|pull)\b", line) and _PR_HEAD.search(line):
                        ctx.add(
                            "untrusted-checkout",
                            ci.file,
                            no,
                            "fetches the contributor's code in a privileged workflow",
                            job=job,
                        )


# Contexts whose values an outsider cannot shape (ids, hashes, numbers, fixed names).
_FIXED_GITHUB = {
    "action_path",
    "job",
    "repository",
    "repository_id",
    "repository_owner",
    "repository_owner_id",
    "repositoryurl",
    "run_attempt",
    "run_id",
    "run_number",
    "server_url",
    "sha",
    "token",
    "triggering_actor",
    "workspace",
    "event_name",
    "retention_days",
    "api_url",
    "graphql_url",
    "action",
    "action_status",
    "ref_protected",
    "ref_type",
    "workflow_sha",
    "secret_source",
    "path",
    "env",
    "output",
    "step_summary",
}
_FIXED_EVENT_LEAF = re.compile(
    r"^(?:id|number|size|.*_count|count|created|deleted|forced|private|fork|draft|merged"
    r"|locked|site_admin|archived|disabled|is_template|has_\w+|after|before"
    r"|run_attempt|run_number|run_id|check_suite_id|workflow_id|installation_id"
    r"|additions|deletions|changed_files|commits|comments|review_comments)$"
)
_CONTEXT = re.compile(
    r"(?<![\w.'\"])((?:github|inputs|matrix|env|steps|needs|secrets|vars|job|runner|strategy)"
    r"(?:\.[\w*-]+|\[[^\]]*\])*)"
)


def _capability(ci: CIFile, job: Job, ctx_expr: str) -> Severity | None:
    """Severity of expanding this context into a script (None: not attacker-shaped)."""
    parts = ctx_expr.replace("[", ".").replace("]", "").replace("'", "").replace('"', "").split(".")
    root = parts[0].lower()
    if root == "github":
        if len(parts) == 1:
            return Severity.HIGH
        name = parts[1].lower()
        if name != "event":
            return None if name in _FIXED_GITHUB else Severity.HIGH
        if len(parts) == 2:
            return Severity.HIGH
        leaf = parts[-1].lower()
        if parts[2].lower() == "inputs" and len(parts) >= 4:
            return _input_capability(ci, parts[3])
        if leaf == "sha" or leaf.endswith("_sha"):
            return None
        if _FIXED_EVENT_LEAF.match(leaf):
            return None
        if leaf.endswith("_url") or leaf == "url":
            return Severity.MEDIUM
        return Severity.HIGH
    if root == "inputs" and len(parts) >= 2:
        return _input_capability(ci, parts[1])
    if root == "matrix" and len(parts) >= 2:
        return None if _matrix_static(job, parts[1]) else Severity.MEDIUM
    return None  # secrets, steps/needs outputs, env, vars: our own values or out of an outsider's reach


def _input_capability(ci: CIFile, name: str) -> Severity | None:
    if ci.kind != "workflow":
        return None  # composite action inputs: the caller decides (zizmor: low)
    kinds = []
    for trig in ("workflow_dispatch", "workflow_call"):
        body = ci.triggers.get(trig)
        if isinstance(body, YMap) and isinstance(body.get("inputs"), YMap):
            spec = body["inputs"].get(name)
            if spec is not None:
                typ = str(spec.get("type", "string")).lower() if isinstance(spec, YMap) else "string"
                kinds.append(typ)
    if not kinds:
        return None
    return Severity.HIGH if "string" in kinds else None


def _matrix_static(job: Job, key: str) -> bool:
    strategy = job.raw.get("strategy")
    if not isinstance(strategy, YMap):
        return True
    matrix = strategy.get("matrix")
    if not isinstance(matrix, YMap):
        return True  # fromJSON(another job's output): the values are that job's, not an outsider's
    values: list[Any] = []
    if key in matrix:
        values.append(matrix[key])
    for extra in ("include",):
        inc = matrix.get(extra)
        if isinstance(inc, YSeq):
            values.extend(i.get(key) for i in inc if isinstance(i, YMap) and key in i)
        elif isinstance(inc, YStr):
            return True  # computed by an earlier job of this workflow
    if not values:
        return True
    return all(isinstance(s, YStr) and "${{" not in s for v in values for s in _walk_strings(v)) and not any(
        isinstance(v, YStr) and "${{" in v for v in values
    )


_CMP = re.compile(r"^\s*(?:==|!=|<=|>=|<|>)")
_CMP_BEFORE = re.compile(r"(?:==|!=|<=|>=|<|>|!)\s*$")
_BOOL_CALL = re.compile(r"\b(?:startsWith|endsWith|contains)\s*\($", re.I)


def _flows_out(body: str, start: int, end: int) -> bool:
    """Whether the context's value can reach the expansion (not only a comparison or a test)."""
    if _CMP.match(body[end:]) or _CMP_BEFORE.search(body[:start]):
        return False
    depth = 0
    for i in range(start - 1, -1, -1):  # inside startsWith(...)/contains(...): only a boolean comes out
        ch = body[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                if _BOOL_CALL.search(body[: i + 1]):
                    return False
                # case(cond, a, b) / format(...): the first argument of case() is a condition
                if re.search(r"\bcase\s*\($", body[: i + 1], re.I) and "," not in body[i + 1 : start]:
                    return False
            else:
                depth -= 1
    return True


_SCRIPT_INPUTS = {
    "actions/github-script": ("script",),
    "amadevus/pwsh-script": ("script",),
    "jannekem/run-python-script-action": ("script",),
    "cardinalby/js-eval-action": ("expression",),
    "addnab/docker-run-action": ("options", "run"),
}


@check
def template_injection(ctx: Ctx) -> None:
    for ci in _gh_files(ctx):
        for job in ci.jobs:
            for step in job.steps:
                sinks: list[YStr] = []
                if step.run is not None and step.kind == "github":
                    sinks.append(step.run)
                if step.uses is not None:
                    for act, inputs in _SCRIPT_INPUTS.items():
                        if known.matches(str(step.uses), [act]):
                            sinks.extend(step.with_[i] for i in inputs if isinstance(step.with_.get(i), YStr))
                for node in sinks:
                    for line, body in _expr_positions(ci, node):
                        if "${{" in body:
                            continue
                        for m in _CONTEXT.finditer(body):
                            expr = m[1]
                            if not _flows_out(body, m.start(1), m.end(1)):
                                continue
                            sev = _capability(ci, job, expr)
                            if sev is None or sev < Severity.MEDIUM:
                                continue
                            ctx.add(
                                "template-injection",
                                ci.file,
                                line,
                                f"${{{{ {expr} }}}} is expanded into the script before it runs; "
                                "its value can carry shell code",
                                job=job,
                                severity=sev,
                            )


def _step_enabled(step: Step) -> bool:
    cond = str(step.if_ or "")
    return not re.search(
        r"!\s*startsWith\(\s*github\.ref\s*,\s*'refs/tags/?'\s*\)"
        r"|github\.ref_type\s*!=\s*'tag'|github\.event_name\s*!=\s*'(?:release|push)'",
        cond,
    )


def _cache_on(step: Step) -> str | None:
    if step.uses is None:
        return None
    for entry in known.actions()["cache"]:
        if (
            not known.matches(str(step.uses), [entry["uses"]])
            or known.uses_slug(str(step.uses)) != entry["uses"]
        ):
            continue
        if entry.get("always"):
            off = entry.get("off_input")
            if off and (_with(step, off) or "").strip().lower() == entry.get("off_value", "true"):
                return None
            return entry["uses"]
        val = _with(step, entry["input"])
        if val is None:
            dm = entry.get("default_on")
            if dm and (known.major(known.uses_ref(str(step.uses))) or 0) >= dm:
                return entry["uses"]
            return None
        v = val.strip().lower()
        if v in ("", "false", "0", "no") or "startswith(github.ref, 'refs/tags" in v:
            return None
        return entry["uses"]
    return None


@check
def cache_poisoning(ctx: Ctx) -> None:
    publishers = known.actions()["stage_actions"]["publish"] + known.actions()["stage_actions"]["distribute"]
    for ci in _workflows(ctx):
        release_wf = _release_workflow(ci)
        for job in ci.jobs:
            publishes = any(s.uses is not None and known.matches(str(s.uses), publishers) for s in job.steps)
            if not (release_wf or publishes):
                continue
            for step in job.steps:
                act = _cache_on(step)
                if act and _step_enabled(step):
                    why = "a release workflow" if release_wf else "a job that publishes"
                    ctx.add(
                        "cache-poisoning",
                        ci.file,
                        step.line,
                        f"{act} restores a cache in {why}; any workflow run on the default branch can "
                        "write that cache",
                        job=job,
                    )


def _dependabot(ctx: Ctx) -> Iterator[CIFile]:
    return (f for f in ctx.repo.files if f.kind == "dependabot")


@check
def dependabot_rules(ctx: Ctx) -> None:
    for ci in _dependabot(ctx):
        updates = ci.doc.get("updates")
        if not isinstance(updates, YSeq):
            continue
        for upd in updates:
            if not isinstance(upd, YMap):
                continue
            eco = str(upd.get("package-ecosystem") or "?")
            if str(upd.get("insecure-external-code-execution", "")).lower() == "allow":
                ctx.add(
                    "dependabot-execution",
                    ci.file,
                    upd.kline("insecure-external-code-execution"),
                    f"{eco}: insecure-external-code-execution: allow",
                )
            cd = upd.get("cooldown")
            days = 0
            if isinstance(cd, YMap):
                try:
                    days = int(str(cd.get("default-days", 0)))
                except ValueError:
                    days = 0
            if days < 7:
                line = (
                    upd.line
                    if not isinstance(cd, YMap)
                    else (cd.kline("default-days") if "default-days" in cd else upd.kline("cooldown"))
                )
                ctx.add(
                    "dependabot-cooldown",
                    ci.file,
                    line,
                    f"{eco}: updates are proposed {days or 'zero'} days after release (no cooldown of a "
                    "week or more)",
                )


_REPO_URL = re.compile(
    r"^(?P<scheme>[a-z+]+)://(?:www\.)?github\.com/(?P<slug>[^/\s]+/[^/\s]+?)(?:\.git)?/?$", re.I
)


@check
def pre_commit_repos(ctx: Ctx) -> None:
    arch = known.actions()["archived"]
    for ci in ctx.repo.files:
        if ci.kind != "pre-commit" or not isinstance(ci.doc.get("repos"), YSeq):
            continue
        for entry in ci.doc["repos"]:
            url = entry.get("repo") if isinstance(entry, YMap) else None
            if not isinstance(url, YStr):
                continue
            m = _REPO_URL.match(str(url).strip())
            if m and known.matches(m["slug"], arch):
                ctx.add(
                    "archived-uses",
                    ci.file,
                    entry.line,
                    f"pre-commit hook repository {m['slug']} is archived",
                )


@check
def archived_uses(ctx: Ctx) -> None:
    arch = known.actions()["archived"]
    for ci in _gh_files(ctx):
        for job in ci.jobs:
            for step in job.steps:
                if step.uses is not None and known.matches(str(step.uses), arch):
                    ctx.add(
                        "archived-uses",
                        ci.file,
                        step.raw.kline("uses"),
                        f"{known.uses_slug(str(step.uses))} is archived by its owner",
                        job=job,
                    )


_BOT_ACTOR = re.compile(
    r"github\.(?:actor|triggering_actor)\s*==\s*'[^']*\[bot\]'|'[^']*\[bot\]'\s*==\s*"
    r"github\.(?:actor|triggering_actor)",
    re.I,
)


@check
def bot_conditions(ctx: Ctx) -> None:
    for ci in _workflows(ctx):
        for job in ci.jobs:
            conds = [(job.if_, job.raw.kline("if"))] + [
                (s.if_, s.raw.kline("if")) for s in job.steps if isinstance(s.raw, YMap)
            ]
            for cond, line in conds:
                if (
                    isinstance(cond, YStr)
                    and _BOT_ACTOR.search(str(cond))
                    and " || " not in str(cond)
                    and (_triggers(ci) & (_DANGEROUS | {"pull_request", "issue_comment"}))
                ):
                    ctx.add(
                        "bot-conditions", ci.file, line, f"spoofable bot check: {str(cond).strip()}", job=job
                    )


@check
def github_env(ctx: Ctx) -> None:
    for ci in _workflows(ctx):
        if not (_triggers(ci) & _DANGEROUS):
            continue
        for job in ci.jobs:
            for step in job.steps:
                for no, line in step.run_lines(ci.text):
                    if re.search(
                        r">>?\s*\"?\$\{?(?:GITHUB_ENV|GITHUB_PATH)\b|\$env:GITHUB_(?:ENV|PATH)", line
                    ):
                        ctx.add(
                            "github-env",
                            ci.file,
                            no,
                            "writes GITHUB_ENV/GITHUB_PATH in a workflow that outsiders trigger",
                            job=job,
                        )


@check
def hardcoded_container_credentials(ctx: Ctx) -> None:
    for ci in _workflows(ctx):
        for job in ci.jobs:
            blocks: list[YMap] = []
            if isinstance(job.container, YMap):
                blocks.append(job.container)
            if isinstance(job.services, YMap):
                blocks.extend(v for v in job.services.values() if isinstance(v, YMap))
            for b in blocks:
                cred = b.get("credentials")
                if isinstance(cred, YMap):
                    pw = cred.get("password")
                    if isinstance(pw, YStr) and str(pw).strip() and "${{" not in pw:
                        ctx.add(
                            "hardcoded-container-credentials",
                            ci.file,
                            cred.kline("password"),
                            "container registry password written in the workflow",
                            job=job,
                        )


@check
def insecure_commands(ctx: Ctx) -> None:
    for ci in _gh_files(ctx):
        envs: list[tuple[YMap, Job | None]] = [(ci.env, None)]
        for job in ci.jobs:
            envs.append((job.env, job))
            envs.extend((s.env, job) for s in job.steps)
        for env, job in envs:
            v = env.get("ACTIONS_ALLOW_UNSECURE_COMMANDS")
            if v is not None and str(v).strip().lower() not in ("false", "0", ""):
                ctx.add(
                    "insecure-commands",
                    ci.file,
                    env.kline("ACTIONS_ALLOW_UNSECURE_COMMANDS"),
                    "ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables set-env/add-path",
                    job=job,
                )


def _all_exprs(ci: CIFile) -> Iterator[tuple[int, str]]:
    for m in _EXPR.finditer(ci.text):
        yield ci.text.count("\n", 0, m.start()) + 1, m[1]


@check
def secrets_exposure(ctx: Ctx) -> None:
    for ci in _gh_files(ctx):
        for line, body in _all_exprs(ci):
            if re.search(r"toJSON\(\s*secrets\s*\)", body, re.I):
                ctx.add(
                    "overprovisioned-secrets",
                    ci.file,
                    line,
                    "toJSON(secrets) hands every secret to one place",
                )
            if re.search(r"fromJSON\(\s*secrets\.[\w-]+\s*\)\s*[.\[]", body, re.I):
                ctx.add("unredacted-secrets", ci.file, line, "a field of a JSON secret is not masked in logs")
        if ci.kind == "workflow":
            for job in ci.jobs:
                if job.uses is not None and str(job.raw.get("secrets", "")).strip().lower() == "inherit":
                    ctx.add(
                        "secrets-inherit",
                        ci.file,
                        job.raw.kline("secrets"),
                        f"job {job.id} passes every secret to {job.uses}",
                        job=job,
                    )


_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$", re.I)


def _image_rule(image: str) -> tuple[str, str] | None:
    img = image.strip()
    if not img or "${{" in img or "$" in img or _DIGEST.search(img):
        return None
    name = img.split("/")[-1]
    if ":" not in name:
        return "unpinned-images", f"image {img} has no tag (means :latest)"
    if name.rsplit(":", 1)[1] == "latest":
        return "unpinned-images", f"image {img} uses the floating :latest tag"
    return "image-by-tag", f"image {img} is named by tag, not digest"


@check
def container_images(ctx: Ctx) -> None:
    for ci in ctx.repo.files:
        for job in ci.jobs:
            for image, where in job.images:
                got = _image_rule(str(image))
                if got:
                    ctx.add(got[0], ci.file, image.line, f"{where}: {got[1]}", job=job)


@check
def unpinned_tools(ctx: Ctx) -> None:
    pats = known.actions()["unpinned_tools"]
    for _ci, job, step in _steps(ctx, ("workflow", "action")):
        if step.uses is not None and known.matches(str(step.uses), pats):
            v = (_with(step, "version") or "").strip().lower()
            if v in ("", "latest"):
                ctx.add(
                    "unpinned-tools",
                    _ci.file,
                    step.line,
                    f"{known.uses_slug(str(step.uses))} installs the latest release of its tool",
                    job=job,
                )


@check
def unsound_condition(ctx: Ctx) -> None:
    for ci in _gh_files(ctx):
        for job in ci.jobs:
            conds = [job.if_] + [s.if_ for s in job.steps]
            for cond in conds:
                if isinstance(cond, YStr) and cond.style in ("|", ">") and "${{" in cond:
                    tail = str(cond).rstrip(" ")
                    if (
                        tail.endswith("\n")
                        or not str(cond).strip().endswith("}}")
                        or not str(cond).strip().startswith("${{")
                    ):
                        ctx.add(
                            "unsound-condition",
                            ci.file,
                            cond.line,
                            "block-scalar if: with ${{ }} leaves text outside the expression; "
                            "it is always true",
                            job=job,
                        )


@check
def unsound_contains(ctx: Ctx) -> None:
    for ci in _gh_files(ctx):
        for job in ci.jobs:
            for cond in [job.if_] + [s.if_ for s in job.steps]:
                if isinstance(cond, YStr) and re.search(
                    r"contains\(\s*'[^']*'\s*,\s*(?:github|env|inputs)\.[\w.]+\s*\)", str(cond)
                ):
                    ctx.add(
                        "unsound-contains",
                        ci.file,
                        cond.line,
                        "contains('<string>', context) is true for any substring of the string",
                        job=job,
                    )


@check
def github_app(ctx: Ctx) -> None:
    for _ci, job, step in _steps(ctx, ("workflow", "action")):
        if step.uses is None or not known.matches(
            str(step.uses), ["actions/create-github-app-token", "tibdex/github-app-token"]
        ):
            continue
        if (_with(step, "skip-token-revoke") or "").strip().lower() == "true":
            ctx.add(
                "github-app",
                _ci.file,
                step.with_.kline("skip-token-revoke"),
                "the App token is not revoked at the end of the job",
                job=job,
            )
        if "owner" in step.with_ and "repositories" not in step.with_:
            ctx.add(
                "github-app",
                _ci.file,
                step.with_.kline("owner"),
                "owner: without repositories: gives the token every repository of the installation",
                job=job,
            )


# -- pipeline-level gaps (what workflow linters do not see) ------------------------------------

_UNPINNED_TOOL = [
    (
        re.compile(r"\bgo\s+install\s+(?:-\S+\s+)*(?P<pkg>\S+)"),
        lambda p: (
            "@" not in p or p.endswith("@latest") or re.search(r"@(?:main|master|HEAD)$", p) is not None
        ),
        "go install {pkg}",
    ),
    (
        re.compile(r"\bnpx\s+(?:-(?:y|-yes|p|-package)\s+)*(?P<pkg>[@\w][\w@./-]*)"),
        lambda p: not re.search(r".@\d", p),
        "npx {pkg}",
    ),
    (
        re.compile(
            r"\bnpm\s+(?:install|i|add)\s+(?:-\S+\s+)*(?:-g|--global)\s+(?:-\S+\s+)*(?P<pkg>[@\w][\w@./-]*)"
            r"|\bnpm\s+(?:install|i)\s+(?:-g|--global)\s+(?P<pkg2>[@\w][\w@./-]*)"
        ),
        lambda p: not re.search(r".@\d", p),
        "npm install -g {pkg}",
    ),
    (
        re.compile(
            r"\bcargo\s+install\s+(?!.*--version|.*--vers\b|.*--git\b.*--rev\b)(?:-\S+\s+)*(?P<pkg>[\w-]+)(?!@)"
        ),
        lambda p: True,
        "cargo install {pkg}",
    ),
    (
        re.compile(r"\bgem\s+install\s+(?!.*\s(?:-v|--version)\s)(?:-\S+\s+)*(?P<pkg>[\w-]+)"),
        lambda p: True,
        "gem install {pkg}",
    ),
    (
        re.compile(
            r"\b(?:pipx\s+(?:run|install)|uvx|uv\s+tool\s+(?:run|install))\s+(?:--?\S+\s+)*(?P<pkg>[A-Za-z][\w.\[\],-]*)"
            r"(?P<ver>[=<>~!@]=?\S*)?"
        ),
        None,
        "{pkg}",
    ),
    (
        re.compile(r"\bdotnet\s+tool\s+install\s+(?!.*--version)(?:-\S+\s+)*(?P<pkg>[\w.-]+)"),
        lambda p: True,
        "dotnet tool install {pkg}",
    ),
]


@check
def fetch_unpinned_tool(ctx: Ctx) -> None:
    for ci, job, _step, no, line in _lines(ctx):
        if known.PIPE_TO_SHELL.search(line):
            ctx.add(
                "fetch-unpinned-tool",
                ci.file,
                no,
                "a download is piped straight into an interpreter: whatever the server sends runs",
                job=job,
                severity=Severity.HIGH,
            )
            continue
        for rx, unpinned, label in _UNPINNED_TOOL:
            m = rx.search(line)
            if not m:
                continue
            pkg = m.groupdict().get("pkg") or m.groupdict().get("pkg2") or ""
            scoped_npx = label.startswith("npx") and pkg.startswith("@")
            if (
                not pkg or pkg.startswith(("$", "-", ".")) or ("/" in pkg and label.startswith("npx"))
            ) and not scoped_npx:
                continue
            if unpinned is None:  # pipx/uvx: pinned only with ==
                ver = m.groupdict().get("ver") or ""
                if ver.startswith(("==", "@")) and not ver.endswith("latest"):
                    continue
            elif not unpinned(pkg):
                continue
            ctx.add(
                "fetch-unpinned-tool",
                ci.file,
                no,
                f"{label.format(pkg=pkg)} fetches whatever version is newest at build time",
                job=job,
                severity=Severity.MEDIUM,
            )
            break


_PIP_INSTALL = re.compile(r"\b(?:python[\d.]*\s+-m\s+pip|pip[\d.]*|uv\s+pip)\s+install\b(?P<args>[^;&|]*)")


def _requirements_hashed(ctx: Ctx, base: str, rel: str) -> bool | None:
    for cand in (f"{base}{rel}", rel):
        text = ctx.repo.read(cand)
        if text is not None:
            reqs = [
                ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith(("#", "-", "\\"))
            ]
            if cand not in ctx.repo.extra:
                ctx.repo.extra.append(cand)
            return bool(reqs) and "--hash" in text
    return None


@check
def pip_install_unhashed(ctx: Ctx) -> None:
    for ci, job, _step, no, line in _lines(ctx):
        m = _PIP_INSTALL.search(line)
        if not m:
            continue
        words = shell_words(m["args"])
        if "--require-hashes" in words or any(w.startswith("--hash") for w in words):
            ctx.control("build", "DEP", f"{ci.file}:{no}: pip install --require-hashes", ci.file, no)
            continue
        named: list[str] = []
        reqfiles: list[str] = []
        skip_next = False
        for i, w in enumerate(words):
            if skip_next:
                skip_next = False
                continue
            if w in ("-r", "--requirement", "-c", "--constraint"):
                if i + 1 < len(words) and w in ("-r", "--requirement"):
                    reqfiles.append(words[i + 1])
                skip_next = True
                continue
            if w.startswith(("--requirement=",)):
                reqfiles.append(w.split("=", 1)[1])
                continue
            if w in (
                "-e",
                "--editable",
                "-t",
                "--target",
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--find-links",
                "--python",
                "-p",
                "--prefix",
                "--root",
                "--platform",
                "--python-version",
                "--only-binary",
                "--no-binary",
                "--abi",
                "--implementation",
                "--group",
            ):
                skip_next = w not in ("-e", "--editable") or True
                continue
            if w.startswith("-"):
                continue
            if (
                w.startswith((".", "/", "$", "~"))
                or "/" in w
                or w.endswith((".whl", ".tar.gz", ".zip"))
                or w.startswith("${{")
            ):
                continue  # local paths and built artifacts
            named.append(w)
        unhashed_files = []
        for rf in reqfiles:
            hashed = _requirements_hashed(ctx, "", rf)
            if hashed is False:
                unhashed_files.append(rf)
            elif hashed:
                ctx.control("build", "DEP", f"{rf}: requirements with hashes", ci.file, no)
        if not named and not unhashed_files:
            continue
        release = job.stage != "source"
        what = ", ".join(named[:4] + [f"-r {r}" for r in unhashed_files])
        ctx.add(
            "pip-install-unhashed",
            ci.file,
            no,
            f"pip install {what} without hashes" + (" in a release job" if release else ""),
            job=job,
            severity=Severity.MEDIUM if release else Severity.LOW,
        )


def _env_chain(ci: CIFile, job: Job, step: Step) -> list[tuple[YMap, str]]:
    return [(step.env, "step"), (job.env, "job"), (ci.env, "workflow")]


def _oidc(ci: CIFile, job: Job) -> bool:
    if job.platform == "gitlab":
        toks = job.raw.get("id_tokens")
        return isinstance(toks, YMap) and any("pypi" in str(v).lower() for v in _walk_strings(toks))
    return _perm_write(_job_perms(ci, job), "id-token")


@check
def publishing(ctx: Ctx) -> None:
    """Trusted Publishing (a control) or a long-lived token (publish-with-token)."""
    for ci in ctx.repo.files:
        for job in ci.jobs:
            for step in job.steps:
                if step.uses is not None and known.matches(str(step.uses), ["pypa/gh-action-pypi-publish"]):
                    if "password" in step.with_:
                        ctx.add(
                            "publish-with-token",
                            ci.file,
                            step.with_.kline("password"),
                            "pypa/gh-action-pypi-publish is given an API token (password:)",
                            job=job,
                            stage="publish",
                        )
                    elif _oidc(ci, job) or ci.kind == "action":
                        ctx.control(
                            "publish",
                            "F",
                            f"{ci.file}: Trusted Publishing (OIDC, no stored token) in job {job.id}",
                            ci.file,
                            step.line,
                        )
                        if (_with(step, "attestations") or "true").strip().lower() != "false":
                            ctx.control(
                                "sign",
                                "F",
                                f"{ci.file}: PEP 740 attestations made by gh-action-pypi-publish",
                                ci.file,
                                step.line,
                            )
                            ctx.control(
                                "distribute",
                                "G",
                                f"{ci.file}: PyPI serves PEP 740 attestations users can verify",
                                ci.file,
                                step.line,
                            )
                    continue
                if (
                    step.kind == "azure"
                    and step.uses is not None
                    and str(step.uses).lower().startswith("twineauthenticate")
                ):
                    ctx.add(
                        "publish-with-token",
                        ci.file,
                        step.line,
                        "TwineAuthenticate hands twine a stored service-connection credential",
                        job=job,
                        stage="publish",
                    )
                    continue
                for no, line in step.run_lines(ci.text):
                    if not known.PYPI_PUBLISH_CMD.search(line) and not known.TOKEN_FLAG.search(line):
                        continue
                    if known.TOKEN_FLAG.search(line):
                        ctx.add(
                            "publish-with-token",
                            ci.file,
                            no,
                            "publishes with a password or API token on the command line",
                            job=job,
                            stage="publish",
                        )
                        continue
                    if known.TRUSTED_PUBLISHING_CMD.search(line):
                        ctx.control("publish", "F", f"{ci.file}:{no}: Trusted Publishing", ci.file, no)
                        continue
                    token_env = [
                        (env, key)
                        for env, _ in _env_chain(ci, job, step)
                        for key in env
                        if known.TOKEN_ENV.match(str(key))
                    ]
                    if token_env:
                        env, key = token_env[0]
                        ctx.add(
                            "publish-with-token",
                            ci.file,
                            env.kline(key),
                            f"publishes with a long-lived token ({key})",
                            job=job,
                            stage="publish",
                        )
                    elif job.platform in ("gitlab", "azure", "script") and re.search(
                        r"\$\{?\w*(?:PYPI|TWINE|TOKEN|PASSWORD)\w*", line, re.I
                    ):
                        ctx.add(
                            "publish-with-token",
                            ci.file,
                            no,
                            "publishes with a token from a CI variable",
                            job=job,
                            stage="publish",
                        )
                    elif _oidc(ci, job):
                        ctx.control(
                            "publish", "F", f"{ci.file}:{no}: publishes with an OIDC identity", ci.file, no
                        )


def _attesting_anywhere(ctx: Ctx) -> bool:
    att = known.actions()["attesting"]
    for ci, job, step in _steps(ctx):
        if step.uses is not None and known.matches(str(step.uses), att):
            return True
        if job.uses is not None and known.matches(str(job.uses), att):
            return True
        for _, line in step.run_lines(ci.text):
            if known.SIGN_CMD.search(line):
                return True
    return any(c.stage == "sign" and c.threat == "F" for c in ctx.controls)


@check
def provenance_and_signing(ctx: Ctx) -> None:
    att = known.actions()["attesting"]
    for ci, _job, step in _steps(ctx):
        if step.uses is not None and known.matches(str(step.uses), att):
            ctx.control(
                "sign",
                "F",
                f"{ci.file}: {known.uses_slug(str(step.uses))} attests the artifacts",
                ci.file,
                step.line,
            )
            ctx.control(
                "distribute", "G", f"{ci.file}: artifacts carry verifiable provenance", ci.file, step.line
            )
        for no, line in step.run_lines(ci.text):
            if known.SIGN_CMD.search(line):
                ctx.control("sign", "F", f"{ci.file}:{no}: artifacts are signed", ci.file, no)
                ctx.control(
                    "distribute", "G", f"{ci.file}:{no}: signatures let users check downloads", ci.file, no
                )
    for ci in ctx.repo.files:
        for job in ci.jobs:
            if job.uses is not None and known.matches(str(job.uses), att):
                ctx.control(
                    "sign",
                    "F",
                    f"{ci.file}: {known.uses_slug(str(job.uses))} makes SLSA provenance",
                    ci.file,
                    job.line,
                )
    if _attesting_anywhere(ctx):
        return
    for ci, job, step in _steps(ctx):
        if job.stage != "publish" or (ci.kind == "action" and not ci.called_from):
            continue
        is_pub = step.uses is not None and known.matches(str(step.uses), ["pypa/gh-action-pypi-publish"])
        lines = [no for no, ln in step.run_lines(ci.text) if known.PUBLISH_CMD.search(ln)]
        if is_pub or lines:
            line = (
                step.raw.kline("uses")
                if is_pub and isinstance(step.raw, YMap)
                else (lines[0] if lines else step.line)
            )
            why = (
                "it uses a token, and attestations need Trusted Publishing"
                if is_pub and "password" in step.with_
                else "nothing in the pipeline attests or signs them"
            )
            ctx.add(
                "release-without-provenance",
                ci.file,
                line,
                f"published artifacts carry no provenance or signature: {why}",
                job=job,
                stage="sign",
            )


_DOWNLOAD_ACTIONS = ["actions/download-artifact", "dawidd6/action-download-artifact"]


@check
def artifact_hash_check(ctx: Ctx) -> None:
    for ci in ctx.repo.files:
        for job in ci.jobs:
            if job.stage not in ("publish", "distribute", "sign"):
                continue
            verified = any(known.VERIFY_CMD.search(ln) for s in job.steps for _, ln in s.run_lines(ci.text))
            if verified:
                ctx.control(
                    job.stage, "F", f"{job.key}: artifacts' hashes checked before release", ci.file, job.line
                )
                continue
            for step in job.steps:
                if step.uses is not None and (
                    known.matches(str(step.uses), _DOWNLOAD_ACTIONS)
                    or str(step.uses)
                    .lower()
                    .startswith(("downloadpipelineartifact", "downloadbuildartifacts"))
                ):
                    ctx.add(
                        "artifact-no-hash-check",
                        ci.file,
                        step.line,
                        f"job {job.id} takes artifacts from another job and releases them without checking "
                        "their hashes",
                        job=job,
                        severity=Severity.LOW,
                    )
                    break
                fetched = [
                    no
                    for no, ln in step.run_lines(ci.text)
                    if known.FETCH_CMD.search(ln)
                    and re.search(r"\.(?:whl|tar\.gz|zip|tgz)\b|dist/|artifact", ln)
                ]
                if fetched:
                    ctx.add(
                        "artifact-no-hash-check",
                        ci.file,
                        fetched[0],
                        f"job {job.id} fetches release files from another machine without checking their "
                        "hashes",
                        job=job,
                    )
                    break


@check
def signing_keys(ctx: Ctx) -> None:
    for ci in ctx.repo.files:
        for line, body in _all_exprs(ci) if ci.kind in ("workflow", "action") else []:
            for m in known.SECRET_REF.finditer("${{" + body + "}}"):
                if known.SIGNING_SECRET.search(m[1]):
                    job = _job_at(ci, line)
                    ctx.add(
                        "signing-key-in-secrets",
                        ci.file,
                        line,
                        f"secrets.{m[1]} looks like a long-lived signing key",
                        job=job,
                        stage="sign",
                    )
        if ci.kind in ("gitlab", "azure", "script"):
            for job in ci.jobs:
                for step in job.steps:
                    for no, line in step.run_lines(ci.text):
                        if re.search(r"\bgpg2?\b[^|;&]*--import\b", line) or re.search(
                            r"\$\{?\w*(?:GPG|PGP|SIGNING)_?\w*KEY\w*", line
                        ):
                            ctx.add(
                                "signing-key-in-secrets",
                                ci.file,
                                no,
                                "imports a signing key from a CI variable",
                                job=job,
                                stage="sign",
                            )


def _job_at(ci: CIFile, line: int) -> Job | None:
    best = None
    for job in ci.jobs:
        if job.line <= line and (best is None or job.line > best.line):
            best = job
    return best


_DOCKER_RUN = re.compile(r"\b(?:docker|podman)\s+(?:container\s+)?(?:run|pull|create)\b(?P<args>[^;&|]*)")
_DOCKER_VALUE_OPTS = {
    "-v",
    "--volume",
    "-e",
    "--env",
    "-w",
    "--workdir",
    "--name",
    "--entrypoint",
    "-p",
    "--publish",
    "--platform",
    "-u",
    "--user",
    "--network",
    "--net",
    "--mount",
    "--env-file",
    "-h",
    "--hostname",
    "--cpus",
    "-m",
    "--memory",
    "--label",
    "-l",
    "--add-host",
    "--shm-size",
    "--cap-add",
    "--security-opt",
    "--device",
    "--ulimit",
    "--pull",
    "--tmpfs",
    "--ipc",
}


@check
def images_in_scripts(ctx: Ctx) -> None:
    for ci, job, _step, no, line in _lines(ctx):
        m = _DOCKER_RUN.search(line)
        if not m:
            continue
        words = shell_words(m["args"])
        i = 0
        image = None
        while i < len(words):
            w = words[i]
            if w.startswith("-"):
                if w in _DOCKER_VALUE_OPTS:
                    i += 1
                i += 1
                continue
            image = w
            break
        if image is None:
            continue
        got = _image_rule(image)
        if got:
            ctx.add(got[0], ci.file, no, f"{got[1]} (in a script)", job=job)


@check
def sbom(ctx: Ctx) -> None:
    sb = known.actions()["sbom"]
    has = None
    for ci, _job, step in _steps(ctx):
        if step.uses is not None and known.matches(str(step.uses), sb):
            has = (ci.file, step.line)
        for no, line in step.run_lines(ci.text):
            if known.SBOM_CMD.search(line):
                has = (ci.file, no)
    if has:
        ctx.control("distribute", "I", f"{has[0]}:{has[1]}: an SBOM is generated for the release", *has)
        return
    for ci in ctx.repo.files:
        for job in ci.jobs:
            if job.stage == "publish" and not (ci.kind == "action" and not ci.called_from):
                ctx.add(
                    "no-sbom", ci.file, job.line, "the release ships no SBOM", job=job, stage="distribute"
                )
                return


@check
def environment_controls(ctx: Ctx) -> None:
    """Evidence for the matrix: hosted runners, pinned actions in release jobs, tag-triggered builds."""
    for ci in _workflows(ctx):
        for job in ci.jobs:
            if job.stage == "source":
                continue
            runs_on = " ".join(_walk_strings(job.runs_on)) if job.runs_on is not None else ""
            if runs_on and "self-hosted" not in runs_on and not runs_on.startswith("${{"):
                ctx.control(
                    "build", "E", f"{job.key}: ephemeral GitHub-hosted runner ({runs_on})", ci.file, job.line
                )
            if job.steps and all(
                s.uses is None
                or str(s.uses).startswith("./")
                or known.SHA_RE.match(known.uses_ref(str(s.uses)) or "")
                for s in job.steps
            ):
                ctx.control("build", "DEP", f"{job.key}: every action pinned to a commit", ci.file, job.line)
            if _release_workflow(ci) and job.stage in ("build", "publish"):
                ctx.control(
                    "build",
                    "D",
                    f"{ci.file}: release builds run from the pushed tag or release",
                    ci.file,
                    ci.trigger_line,
                )
    for rel in ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"):
        if ctx.repo.read(rel) is not None:
            ctx.repo.extra.append(rel)


SECRET_REF_RX = known.SECRET_REF


_ISOLATED_BUILD = re.compile(
    r"-m\s+build\b(?![^|;&]*--no-isolation)|\bpyproject-build\b(?![^|;&]*--no-isolation)"
    r"|\buv\s+build\b|\bpip\s+wheel\b(?![^|;&]*--no-build-isolation)"
)


@check
def build_requires(ctx: Ctx) -> None:
    """The release build's own backend: [build-system] requires, fetched at build time."""
    builds = [
        (ci, job, no)
        for ci, job, _step, no, line in _lines(ctx)
        if job.stage != "source" and _ISOLATED_BUILD.search(line)
    ]
    if not builds:
        return
    text = ctx.repo.read("pyproject.toml")
    if text is None:
        return
    import tomllib

    try:
        requires = tomllib.loads(text).get("build-system", {}).get("requires", [])
    except tomllib.TOMLDecodeError:
        return
    if "pyproject.toml" not in ctx.repo.extra:
        ctx.repo.extra.append("pyproject.toml")
    loose = [r for r in requires if isinstance(r, str) and "==" not in r and "@" not in r]
    if not loose:
        ctx.control("build", "DEP", "pyproject.toml: build backend pinned", "pyproject.toml", 1)
        return
    line = next((i for i, ln in enumerate(text.splitlines(), start=1) if re.match(r"\s*requires\s*=", ln)), 1)
    ci, job, _ = builds[0]
    ctx.add(
        "unpinned-build-requires",
        "pyproject.toml",
        line,
        f"[build-system] requires {', '.join(loose[:4])} unpinned; {ci.file} builds in isolation, "
        "fetching whatever is newest",
        job=job,
    )
