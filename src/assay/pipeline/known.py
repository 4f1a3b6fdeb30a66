"""What the checks know: rule definitions and action lists (data files), command patterns."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from assay.model import Severity
from assay.model.pipeline import THREAT_IDS


@dataclass(frozen=True, slots=True)
class RuleDef:
    id: str
    severity: Severity
    threat: str
    title: str
    advice: str
    peer: str | None = None


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("assay.data").joinpath("pipeline", name).read_text("utf-8"))


@cache
def rules() -> dict[str, RuleDef]:
    out = {}
    for rid, t in _data("rules.toml").items():
        if t["threat"] not in THREAT_IDS:  # pragma: no cover - the data file is ours
            raise ValueError(f"rules.toml: {rid}: unknown threat {t['threat']}")
        out[rid] = RuleDef(
            rid, Severity.parse(t["severity"]), t["threat"], t["title"], t["advice"], t.get("peer")
        )
    return out


@cache
def actions() -> dict[str, Any]:
    return _data("actions.toml")


def uses_slug(uses: str) -> str:
    """``owner/repo[/path]`` of a ``uses:`` value, lower-case, without the ref."""
    return uses.split("@", 1)[0].strip().lower()


def matches(uses: str, patterns: list[str] | tuple[str, ...]) -> bool:
    slug = uses_slug(uses)
    for p in patterns:
        if p.endswith("/*"):
            if slug.startswith(p[:-1]):
                return True
        elif slug == p or slug.startswith(p + "/"):
            return True
    return False


def uses_ref(uses: str) -> str | None:
    return uses.split("@", 1)[1].strip() if "@" in uses else None


SHA_RE = re.compile(r"^[0-9a-f]{40}$")


def major(ref: str | None) -> int | None:
    """The major version of a tag-like ref (v4, v4.2.1, 4); None for commits and branches."""
    if ref is None or SHA_RE.match(ref):
        return None
    m = re.match(r"^v?(\d+)(?:\.|$)", ref)
    return int(m[1]) if m else None


# -- commands in run: lines -----------------------------------------------------------------


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.I)


PUBLISH_CMD = _rx(
    r"\btwine\s+(?:\S+\s+)*?upload\b",
    r"\buv\s+publish\b",
    r"\bflit\s+publish\b",
    r"\bpoetry\s+publish\b",
    r"\bhatch\s+publish\b",
    r"\bpdm\s+publish\b",
    r"\bmaturin\s+(?:publish|upload)\b",
    r"\bsetup\.py\b[^|;&]*\bupload\b",
    r"\bnpm\s+publish\b",
    r"\bcargo\s+publish\b",
    r"\bgem\s+push\b",
    r"\bdocker\s+push\b",
)
PYPI_PUBLISH_CMD = _rx(
    r"\btwine\s+(?:\S+\s+)*?upload\b",
    r"\buv\s+publish\b",
    r"\bflit\s+publish\b",
    r"\bpoetry\s+publish\b",
    r"\bhatch\s+publish\b",
    r"\bpdm\s+publish\b",
    r"\bmaturin\s+(?:publish|upload)\b",
    r"\bsetup\.py\b[^|;&]*\bupload\b",
)
BUILD_CMD = _rx(
    r"-m\s+build\b",
    r"\bpyproject-build\b",
    r"\bsetup\.py\b[^|;&]*\b(?:sdist|bdist_wheel|bdist)\b",
    r"\bpip\s+wheel\b",
    r"\bcibuildwheel\b",
    r"\buv\s+build\b",
    r"\bhatch\s+build\b",
    r"\bpoetry\s+build\b",
    r"\bflit\s+build\b",
    r"\bmaturin\s+build\b",
    r"\bpdm\s+build\b",
    r"\bdocker\s+(?:buildx\s+)?build\b",
    r"\bconda[- ]build\b",
    r"\bmake\s+(?:dist|wheels?|sdist)\b",
)
SIGN_CMD = _rx(
    r"\bgpg2?\b[^|;&]*(?:--detach-sign|--clearsign|--sign|\s-[a-z]*[bs][a-z]*\b)",
    r"\bcosign\s+(?:sign|attest)",
    r"\bsigstore\s+sign\b",
    r"-m\s+sigstore\s+sign\b",
    r"\bminisign\b[^|;&]*\s-S\b",
    r"\bpypi-attestations\s+sign\b",
    r"\bsignify\b[^|;&]*\s-S\b",
)
DISTRIBUTE_CMD = _rx(
    r"\bgh\s+release\s+(?:create|upload)\b",
    r"\baws\s+s3\s+(?:cp|sync)\b",
    r"\bgsutil\s+(?:-m\s+)?(?:cp|rsync)\b",
    r"\baz\s+storage\s+blob\s+upload",
    r"\bghr\b\s",
)
SBOM_CMD = _rx(
    r"\bcyclonedx-(?:py|bom)\b",
    r"\bsyft\b",
    r"\bassay\s+sbom\b",
    r"\bspdx-tools\b",
    r"\bpip-audit\b[^|;&]*--format[ =]?(?:cyclonedx|spdx)",
    r"\bsbom-tool\b",
    r"\bcdxgen\b",
)
VERIFY_CMD = _rx(
    r"\bsha(?:256|512)sum\b[^|;&]*(?:-c|--check)\b",
    r"\bshasum\b[^|;&]*(?:-c|--check)\b",
    r"\bgh\s+attestation\s+verify\b",
    r"\bpypi-attestations\s+verify\b",
    r"\bcosign\s+verify",
    r"\bsigstore\s+verify\b",
    r"-m\s+sigstore\s+verify\b",
    r"\bgpg2?\b[^|;&]*--verify\b",
    r"\bslsa-verifier\b",
    r"--require-hashes\b",
    r"\bhashlib\.sha256\b",
)
FETCH_CMD = _rx(
    r"\bcurl\b",
    r"\bwget\b",
    r"\bgsutil\s+(?:-m\s+)?cp\b",
    r"\baws\s+s3\s+cp\b",
    r"\bscp\b",
    r"\bgh\s+run\s+download\b",
    r"\bgh\s+release\s+download\b",
    r"\brsync\b",
    r"Invoke-WebRequest",
    r"\biwr\b",
)

PIPE_TO_SHELL = _rx(
    r"\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:-E\s+)?(?:ba|z|da)?sh\b",
    r"\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?python3?\b",
    r"(?:ba|z)?sh\s+<\(\s*(?:curl|wget)\b",
    r"(?:ba|z)?sh\s+-c\s+[\"']?\$\(\s*(?:curl|wget)\b",
    r"\b(?:iex|Invoke-Expression)\b[^|;&]*\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b",
    r"\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b[^;&]*\|\s*(?:iex|Invoke-Expression)\b",
)

SECRET_REF = re.compile(r"\$\{\{\s*secrets\.([A-Za-z0-9_-]+)\s*\}\}")
# Secret names that hold a signing key. A bare PRIVATE_KEY counts unless the name says it is
# a GitHub App, SSH or deploy key (those authenticate; they do not sign releases).
SIGNING_SECRET = re.compile(
    r"(?:GPG|PGP|GNUPG|SIGNING|SIGN_KEY|COSIGN_KEY|COSIGN_PRIVATE|CODESIGN|CODE_SIGN|P12|PFX|KEYSTORE"
    r"|CERTIFICATE_KEY|^(?!.*(?:APP|SSH|DEPLOY|GITHUB)).*PRIVATE_KEY)",
    re.I,
)
TOKEN_ENV = re.compile(
    r"^(?:TWINE_PASSWORD|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|FLIT_PASSWORD|HATCH_INDEX_AUTH"
    r"|POETRY_PYPI_TOKEN_\w+|POETRY_HTTP_BASIC_\w+_PASSWORD|MATURIN_PYPI_TOKEN|MATURIN_PASSWORD"
    r"|PDM_PUBLISH_PASSWORD|PYPI_TOKEN|PYPI_API_TOKEN|PYPI_PASSWORD|TEST_PYPI_TOKEN)$",
    re.I,
)
TOKEN_FLAG = _rx(
    r"\btwine\b[^|;&]*\s(?:-p|--password)[\s=]",
    r"\buv\s+publish\b[^|;&]*\s(?:-t|--token|--password)[\s=]",
    r"\bpoetry\s+publish\b[^|;&]*\s(?:-p|--password)[\s=]",
    r"\bpoetry\s+config\s+pypi-token\b",
    r"\bhatch\s+publish\b[^|;&]*\s(?:-a|--auth)[\s=]",
    r"\bmaturin\s+(?:publish|upload)\b[^|;&]*\s(?:-p|--password)[\s=]",
    r"\bpdm\s+publish\b[^|;&]*\s(?:-P|--password)[\s=]",
    r"password\s*[:=]\s*\S*pypi-",
    r"\bpypi-Ag[A-Za-z0-9_-]{20,}",
)
TRUSTED_PUBLISHING_CMD = _rx(r"--trusted-publishing[\s=](?:always|automatic)")
