"""Readers of CI definitions into one shape: files with jobs, jobs with steps.

GitHub Actions workflows and composite actions, Azure Pipelines, GitLab CI, and the
shell/Python release scripts that their ``run:``/``script:`` lines call. Every step keeps
the file and line it came from. Nothing here runs anything from the repository: files are
read as text and YAML nodes, and a script is followed only when its path stays inside
the scanned folder.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.errors import InputError
from assay.pipeline.yamlmarks import YMap, YSeq, YStr, line_of, load, read_text

# Folders never walked for CI files: other projects' copies, caches, virtual environments.
_SKIP_DIRS = {
    ".git",
    "node_modules",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "__pycache__",
    "site-packages",
    ".mypy_cache",
    ".pytest_cache",
    "build",
    "dist",
    ".eggs",
    "vendor",
    "_vendor",
    "third_party",
}
MAX_SCRIPT_DEPTH = 3


@dataclass
class Step:
    file: str
    line: int
    index: int
    name: str = ""
    uses: YStr | None = None
    run: YStr | None = None  # the command text (a run:, script:, bash: ... or a script line)
    with_: YMap = field(default_factory=YMap)
    env: YMap = field(default_factory=YMap)
    if_: Any = None
    shell: str | None = None
    raw: Any = None
    kind: str = "github"  # github | azure | gitlab | script
    # script lines carry their own text and line; run_lines() yields (line, text)
    script_line: int | None = None

    def run_lines(self, text: str) -> list[tuple[int, str]]:
        """(line, text) of each source line of the run block, from the file's own text."""
        if self.run is None:
            return []
        if self.script_line is not None:
            return [(self.script_line, str(self.run))]
        node = self.run
        if node.start < node.end <= len(text):
            raw = text[node.start : node.end]
            first = node.line
            lines = raw.split("\n")
            if node.style in ("|", ">"):  # the indicator line carries no command
                return [(first + i, ln) for i, ln in enumerate(lines) if i > 0]
            return [(first + i, ln) for i, ln in enumerate(lines)]
        return [(node.line, ln) for ln in str(node).split("\n")]


@dataclass
class Job:
    file: str
    id: str
    line: int
    name: str
    platform: str  # github | github-action | azure | gitlab | script
    steps: list[Step] = field(default_factory=list)
    raw: YMap = field(default_factory=YMap)
    permissions: Any = None  # None when absent
    runs_on: Any = None
    container: Any = None
    services: Any = None
    uses: YStr | None = None  # reusable workflow call
    needs: tuple[str, ...] = ()
    env: YMap = field(default_factory=YMap)
    if_: Any = None
    stage: str = "source"
    roles: set[str] = field(default_factory=set)
    images: list[tuple[YStr, str]] = field(default_factory=list)  # (image, where) for containers

    @property
    def key(self) -> str:
        return f"{self.file}:{self.id}"


@dataclass
class CIFile:
    file: str  # relative path with "/"
    kind: str  # workflow | action | dependabot | azure | gitlab | script
    doc: Any
    text: str
    jobs: list[Job] = field(default_factory=list)
    triggers: dict[str, Any] = field(default_factory=dict)
    trigger_line: int = 1
    permissions: Any = None
    has_permissions: bool = False
    env: YMap = field(default_factory=YMap)
    called_from: list[Job] = field(default_factory=list)  # for actions and scripts


@dataclass
class Repo:
    root: Path
    files: list[CIFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # other files read (requirements, pyproject)

    def by_path(self, rel: str) -> CIFile | None:
        return next((f for f in self.files if f.file == rel), None)

    def read(self, rel: str) -> str | None:
        """Text of a file inside the root (None when absent or outside)."""
        path = safe_join(self.root, rel)
        if path is None or not path.is_file():
            return None
        try:
            return read_text(path, rel)
        except InputError:
            return None


def safe_join(root: Path, rel: str) -> Path | None:
    rel = rel.strip().strip("'\"")
    if not rel or rel.startswith(("~", "$")) or "\x00" in rel:
        return None
    candidate = root / rel.lstrip("./") if not rel.startswith("/") else Path(rel)
    try:
        resolved = candidate.resolve()
        resolved.relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):
        return None
    return resolved


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _walk(root: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in _SKIP_DIRS
            and not (
                d.startswith(".") and d not in (".github", ".azure-pipelines", ".gitlab", ".ci", ".azure")
            )
        )
        if len(rel_dir.parts) > 8:
            dirnames[:] = []
        for name in sorted(filenames):
            out.append(Path(dirpath) / name)
    return out


# Azure/GitLab files under these folders are examples or test data, not the project's pipeline.
_NOT_PIPELINE_DIRS = {"examples", "example", "docs", "doc", "tests", "test", "testdata", "test-data",
                      "fixtures", "samples", "sample"}


def discover(root: Path) -> list[tuple[Path, str]]:
    """(path, kind) of every CI definition under ``root``."""
    found: list[tuple[Path, str]] = []
    for path in _walk(root):
        rel = _rel(root, path)
        name = path.name
        low = name.lower()
        example = any(part.lower() in _NOT_PIPELINE_DIRS for part in Path(rel).parts[:-1])
        if rel.startswith(".github/workflows/") and low.endswith((".yml", ".yaml")) and rel.count("/") == 2:
            found.append((path, "workflow"))
        elif low in ("action.yml", "action.yaml"):
            found.append((path, "action"))
        elif rel in (".github/dependabot.yml", ".github/dependabot.yaml"):
            found.append((path, "dependabot"))
        elif rel in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
            found.append((path, "pre-commit"))
        elif example:
            continue
        elif low in ("azure-pipelines.yml", "azure-pipelines.yaml") or (
            low.endswith((".yml", ".yaml"))
            and ("azure-pipelines" in low or rel.startswith((".azure-pipelines/", ".azure/")))
        ):
            found.append((path, "azure"))
        elif low == ".gitlab-ci.yml" or (rel.startswith(".gitlab/ci/") and low.endswith((".yml", ".yaml"))):
            found.append((path, "gitlab"))
    return found


def read_repo(root: Path) -> Repo:
    root = root.resolve()
    repo = Repo(root)
    for path, kind in discover(root):
        rel = _rel(root, path)
        try:
            doc, text = load(path, rel)
        except InputError as exc:
            repo.warnings.append(exc.message)
            continue
        ci = CIFile(rel, kind, doc, text)
        if not isinstance(doc, YMap):
            if doc is not None:
                repo.warnings.append(f"{rel}: not a mapping at the top; skipped")
            continue
        try:
            if kind == "workflow":
                _read_workflow(ci)
            elif kind == "action":
                if not _read_action(ci):
                    continue
            elif kind == "azure":
                _read_azure(ci)
            elif kind == "gitlab":
                _read_gitlab(ci)
        except (AttributeError, TypeError, KeyError) as exc:  # a shape the reader does not know
            repo.warnings.append(f"{rel}: unexpected structure ({exc}); partly read")
        repo.files.append(ci)
    _follow_scripts(repo)
    return repo


# -- GitHub Actions -----------------------------------------------------------------------


def _as_map(value: Any) -> YMap:
    return value if isinstance(value, YMap) else YMap()


def _github_step(file: str, raw: Any, index: int) -> Step:
    if not isinstance(raw, YMap):
        return Step(file, line_of(raw), index, raw=raw)
    return Step(
        file,
        raw.line,
        index,
        name=str(raw.get("name") or ""),
        uses=raw.get("uses") if isinstance(raw.get("uses"), YStr) else None,
        run=raw.get("run") if isinstance(raw.get("run"), YStr) else None,
        with_=_as_map(raw.get("with")),
        env=_as_map(raw.get("env")),
        if_=raw.get("if"),
        shell=str(raw.get("shell")) if raw.get("shell") else None,
        raw=raw,
    )


def _triggers(on: Any) -> dict[str, Any]:
    if isinstance(on, YStr):
        return {str(on): None}
    if isinstance(on, YSeq):
        return {str(x): None for x in on if isinstance(x, YStr)}
    if isinstance(on, YMap):
        return dict(on)
    return {}


def _read_workflow(ci: CIFile) -> None:
    doc = ci.doc
    on = doc.get("on", doc.get("true"))
    ci.triggers = _triggers(on)
    ci.trigger_line = doc.kline("on") if "on" in doc else doc.line
    ci.has_permissions = "permissions" in doc
    ci.permissions = doc.get("permissions")
    ci.env = _as_map(doc.get("env"))
    for job_id, raw in _as_map(doc.get("jobs")).items():
        if not isinstance(raw, YMap):
            continue
        needs = raw.get("needs")
        job = Job(
            ci.file,
            str(job_id),
            doc["jobs"].kline(job_id),
            str(raw.get("name") or job_id),
            "github",
            raw=raw,
            permissions=raw.get("permissions") if "permissions" in raw else None,
            runs_on=raw.get("runs-on"),
            container=raw.get("container"),
            services=raw.get("services"),
            uses=raw.get("uses") if isinstance(raw.get("uses"), YStr) else None,
            needs=tuple(str(n) for n in (needs if isinstance(needs, list) else [needs] if needs else [])),
            env=_as_map(raw.get("env")),
            if_=raw.get("if"),
        )
        steps = raw.get("steps")
        if isinstance(steps, YSeq):
            job.steps = [_github_step(ci.file, s, i) for i, s in enumerate(steps)]
        cont = raw.get("container")
        if isinstance(cont, YStr):
            job.images.append((cont, "container"))
        elif isinstance(cont, YMap) and isinstance(cont.get("image"), YStr):
            job.images.append((cont["image"], "container"))
        for sname, svc in _as_map(raw.get("services")).items():
            if isinstance(svc, YMap) and isinstance(svc.get("image"), YStr):
                job.images.append((svc["image"], f"services.{sname}"))
        ci.jobs.append(job)


def _read_action(ci: CIFile) -> bool:
    runs = ci.doc.get("runs")
    if not isinstance(runs, YMap):
        return False
    using = str(runs.get("using") or "").lower()
    job = Job(
        ci.file, "(action)", ci.doc.line, str(ci.doc.get("name") or ci.file), "github-action", raw=ci.doc
    )
    if using == "composite" and isinstance(runs.get("steps"), YSeq):
        job.steps = [_github_step(ci.file, s, i) for i, s in enumerate(runs["steps"])]
    elif using == "docker" and isinstance(runs.get("image"), YStr):
        img = runs["image"]
        if not str(img).startswith(("Dockerfile", "./", "docker://")) or str(img).startswith("docker://"):
            job.images.append((img, "runs.image"))
    ci.jobs.append(job)
    return True


# -- Azure Pipelines ----------------------------------------------------------------------

_AZ_SCRIPT_KEYS = ("script", "bash", "pwsh", "powershell")


def _azure_steps(ci: CIFile, steps: Any) -> list[Step]:
    out = []
    for i, raw in enumerate(steps if isinstance(steps, YSeq) else []):
        if not isinstance(raw, YMap):
            continue
        step = Step(
            ci.file,
            raw.line,
            i,
            name=str(raw.get("displayName") or ""),
            raw=raw,
            kind="azure",
            env=_as_map(raw.get("env")),
            if_=raw.get("condition"),
        )
        for key in _AZ_SCRIPT_KEYS:
            if isinstance(raw.get(key), YStr):
                step.run = raw[key]
                step.shell = key
        if isinstance(raw.get("task"), YStr):
            step.uses = raw["task"]
            step.with_ = _as_map(raw.get("inputs"))
            if str(raw["task"]).split("@")[0].lower() in (
                "cmdline",
                "bash",
                "powershell",
                "pythonscript",
            ) and isinstance(step.with_.get("script"), YStr):
                step.run = step.with_["script"]
        if isinstance(raw.get("template"), YStr):
            step.uses = raw["template"]
        out.append(step)
    return out


def _azure_job(ci: CIFile, raw: YMap, index: int) -> Job:
    jid = raw.get("job") or raw.get("deployment") or f"job{index}"
    job = Job(
        ci.file,
        str(jid),
        raw.line,
        str(raw.get("displayName") or jid),
        "azure",
        raw=raw,
        env=_as_map(raw.get("variables")),
        if_=raw.get("condition"),
    )
    pool = raw.get("pool")
    job.runs_on = pool.get("vmImage") or pool.get("name") if isinstance(pool, YMap) else pool
    cont = raw.get("container")
    if (isinstance(cont, YStr) and ":" in cont) or (isinstance(cont, YStr) and "/" in cont):
        job.images.append((cont, "container"))
    elif isinstance(cont, YMap) and isinstance(cont.get("image"), YStr):
        job.images.append((cont["image"], "container"))
    steps = raw.get("steps")
    strategy = raw.get("strategy")
    if steps is None and isinstance(strategy, YMap):  # deployment jobs: strategy.runOnce.deploy.steps
        for phase in strategy.values():
            if isinstance(phase, YMap):
                for hook in phase.values():
                    if isinstance(hook, YMap) and isinstance(hook.get("steps"), YSeq):
                        steps = hook["steps"]
    job.steps = _azure_steps(ci, steps)
    dep = raw.get("dependsOn")
    job.needs = tuple(str(d) for d in (dep if isinstance(dep, list) else [dep] if dep else []))
    return job


def _read_azure(ci: CIFile) -> None:
    doc = ci.doc
    ci.triggers = {k: doc[k] for k in ("trigger", "pr", "schedules", "resources") if k in doc}
    jobs: list[Any] = []
    if isinstance(doc.get("stages"), YSeq):
        for stage in doc["stages"]:
            if isinstance(stage, YMap) and isinstance(stage.get("jobs"), YSeq):
                jobs.extend(stage["jobs"])
    if isinstance(doc.get("jobs"), YSeq):
        jobs.extend(doc["jobs"])
    for i, raw in enumerate(jobs):
        if isinstance(raw, YMap) and (
            "steps" in raw or "strategy" in raw or "job" in raw or "deployment" in raw
        ):
            ci.jobs.append(_azure_job(ci, raw, i))
    if isinstance(doc.get("steps"), YSeq):
        job = Job(ci.file, "(steps)", doc.kline("steps"), "steps", "azure", raw=doc)
        job.steps = _azure_steps(ci, doc["steps"])
        ci.jobs.append(job)


# -- GitLab CI ------------------------------------------------------------------------------

_GITLAB_RESERVED = {
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "types",
    "pages:deploy",
}


def _gitlab_lines(ci: CIFile, value: Any, index0: int) -> list[Step]:
    out = []
    items = value if isinstance(value, YSeq) else [value] if isinstance(value, YStr) else []
    for i, item in enumerate(items):
        if isinstance(item, YStr):
            out.append(Step(ci.file, item.line, index0 + i, run=item, kind="gitlab", raw=item))
        elif isinstance(item, YSeq):  # nested lists (from !reference) flatten
            out.extend(_gitlab_lines(ci, item, index0 + i))
    return out


def _read_gitlab(ci: CIFile) -> None:
    doc = ci.doc
    ci.triggers = {"workflow": doc.get("workflow")} if "workflow" in doc else {}
    default = _as_map(doc.get("default"))
    top_image = doc.get("image", default.get("image"))
    for jid, raw in doc.items():
        if jid in _GITLAB_RESERVED or str(jid).startswith(".") or not isinstance(raw, YMap):
            continue
        if not any(k in raw for k in ("script", "trigger", "extends", "run")):
            continue
        job = Job(
            ci.file,
            str(jid),
            doc.kline(jid),
            str(jid),
            "gitlab",
            raw=raw,
            env=_as_map(raw.get("variables")),
            if_=raw.get("rules"),
        )
        steps: list[Step] = []
        for key in ("before_script", "script", "after_script"):
            src = raw.get(key, default.get(key) if key != "script" else None)
            steps.extend(_gitlab_lines(ci, src, len(steps)))
        job.steps = steps
        image = raw.get("image", top_image)
        if isinstance(image, YMap):
            image = image.get("name")
        if isinstance(image, YStr):
            job.images.append((image, "image"))
        for svc in raw.get("services") or []:
            name = svc.get("name") if isinstance(svc, YMap) else svc
            if isinstance(name, YStr):
                job.images.append((name, "services"))
        needs = raw.get("needs")
        if isinstance(needs, YSeq):
            job.needs = tuple(str(n.get("job")) if isinstance(n, YMap) else str(n) for n in needs)
        ci.jobs.append(job)


# -- release scripts --------------------------------------------------------------------------

_SCRIPT_CALL = re.compile(
    r"""(?:^|[;&|(]\s*|\bthen\s+|\bdo\s+|\bexec\s+)"""
    r"""(?:(?:sudo\s+)?(?:bash|sh|zsh|source|\.|python3?|python\d\.\d+|uv\s+run|pipx\s+run)\s+(?:-[a-zA-Z]+\s+)*)?"""
    r"""(?P<path>\.{0,2}/?[\w.\-/]+\.(?:sh|bash|py))\b"""
)


def script_calls(line: str) -> list[str]:
    """Paths of shell or Python scripts a command line runs (``bash x.sh``, ``./x.sh``, ``python x.py``)."""
    out = []
    for m in _SCRIPT_CALL.finditer(line):
        path = m["path"]
        if path.startswith(("/", "~")) or "://" in path:
            continue
        out.append(path)
    return out


def _script_steps(rel: str, text: str) -> list[Step]:
    steps = []
    python = rel.endswith(".py")
    for no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if python:  # commands live in string literals: subprocess.run(["twine", "upload", ...])
            strings = re.findall(r"""(?:"([^"\n]*)"|'([^'\n]*)')""", line)
            if not strings:
                continue
            stripped = " ".join(a or b for a, b in strings)
            if not stripped.strip():
                continue
        steps.append(Step(rel, no, len(steps), run=YStr(stripped), kind="script", script_line=no))
    return steps


def _follow_scripts(repo: Repo) -> None:
    queue: list[tuple[Job, str, int]] = []
    for ci in repo.files:
        for job in ci.jobs:
            queue.append((job, ci.text, 0))
    seen: dict[str, CIFile] = {}
    while queue:
        job, text, depth = queue.pop(0)
        if depth >= MAX_SCRIPT_DEPTH:
            continue
        wd = ""
        for step in job.steps:
            if isinstance(step.raw, YMap) and isinstance(step.raw.get("working-directory"), YStr):
                wd = str(step.raw["working-directory"]).rstrip("/") + "/"
            for _, line in step.run_lines(text):
                for call in script_calls(line):
                    rel = None
                    for cand in (wd + call, call):
                        path = safe_join(repo.root, cand)
                        if path is not None and path.is_file():
                            rel = path.relative_to(repo.root).as_posix()
                            break
                    if rel is None:
                        continue
                    ci = seen.get(rel)
                    if ci is None:
                        body = repo.read(rel)
                        if body is None:
                            continue
                        ci = CIFile(rel, "script", None, body)
                        sjob = Job(rel, "(script)", 1, rel, "script")
                        sjob.steps = _script_steps(rel, body)
                        ci.jobs.append(sjob)
                        seen[rel] = ci
                        repo.files.append(ci)
                        queue.append((sjob, body, depth + 1))
                    if job not in ci.called_from:
                        ci.called_from.append(job)


def shell_words(line: str) -> list[str]:
    try:
        return shlex.split(line, comments=True)
    except ValueError:
        return line.split()
