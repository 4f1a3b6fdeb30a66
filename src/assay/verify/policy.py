"""Identity policies as data: which signers a project's releases must carry, per version range.

A :class:`Policy` is an immutable value. Policies compose: ``a.then(b)``
tries ``b``'s rules after ``a``'s and merges named signers (``a`` wins), so
an override file is just a policy whose rules come first (``extends =
"cpython"`` in TOML does that against a shipped policy). Flags build a
one-rule policy that applies to every version.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from assay.errors import ConfigError, InputError
from assay.model.verify import SignatureKind
from assay.verify.openpgp import normalize_fingerprint
from assay.verify.sigstore import SigstoreSigner

SHIPPED = ("cpython",)


@dataclass(frozen=True, slots=True)
class Signer:
    name: str
    sigstore: tuple[SigstoreSigner, ...] = ()
    openpgp: tuple[str, ...] = ()  # primary-key fingerprints, upper hex
    publishers: tuple[dict[str, Any], ...] = ()  # PEP 740 Trusted Publisher objects


@dataclass(frozen=True, slots=True)
class Expected:
    """Who must have signed one artifact."""

    sigstore: tuple[SigstoreSigner, ...] = ()
    openpgp: tuple[str, ...] = ()
    publishers: tuple[dict[str, Any], ...] = ()
    require: frozenset[SignatureKind] = frozenset()  # kinds that must be present and pass; empty: any one
    rule: str = ""  # what selected these signers, for reports

    def kinds(self) -> set[SignatureKind]:
        out = set()
        if self.sigstore:
            out.add(SignatureKind.SIGSTORE)
        if self.openpgp:
            out.add(SignatureKind.OPENPGP)
        if self.publishers or self.sigstore:
            out.add(SignatureKind.PEP740)
        return out

    def __bool__(self) -> bool:
        return bool(self.sigstore or self.openpgp or self.publishers)


@dataclass(frozen=True, slots=True)
class Rule:
    versions: SpecifierSet
    signers: tuple[str, ...]
    require: frozenset[SignatureKind] = frozenset()

    def matches(self, version: Version | None) -> bool:
        if version is None:
            return str(self.versions) == ""
        return self.versions.contains(version, prereleases=True)


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    signers: dict[str, Signer] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    version_pattern: re.Pattern[str] | None = None
    artifacts: tuple[str, ...] = ()  # globs on file names; empty: every file
    source: str = ""

    def then(self, fallback: Policy) -> Policy:
        """This policy, falling back to ``fallback`` for versions and names it does not cover."""
        return Policy(
            name=self.name or fallback.name,
            signers={**fallback.signers, **self.signers},
            rules=self.rules + fallback.rules,
            version_pattern=self.version_pattern or fallback.version_pattern,
            artifacts=self.artifacts or fallback.artifacts,  # an override may widen or narrow the scope
            source=", ".join(s for s in (self.source, fallback.source) if s),
        )

    def covers(self, filename: str) -> bool:
        return not self.artifacts or any(fnmatch.fnmatchcase(filename, g) for g in self.artifacts)

    def version_of(self, filename: str) -> str | None:
        if self.version_pattern is None:
            return None
        m = self.version_pattern.search(filename)
        return m.group("version") if m else None

    def expected(self, version: str | None) -> Expected:
        """The signers for ``version`` (None: only rules without a version range apply)."""
        parsed: Version | None = None
        if version is not None:
            try:
                parsed = Version(version)
            except InvalidVersion:
                parsed = None
        for rule in self.rules:
            if rule.matches(parsed) or (parsed is not None and str(rule.versions) == ""):
                chosen = [self.signers[n] for n in rule.signers]
                return Expected(
                    sigstore=tuple(s for sig in chosen for s in sig.sigstore),
                    openpgp=tuple(f for sig in chosen for f in sig.openpgp),
                    publishers=tuple(p for sig in chosen for p in sig.publishers),
                    require=rule.require,
                    rule=f"{self.name}: {rule.versions or 'any version'} -> {', '.join(rule.signers)}",
                )
        return Expected(rule=f"{self.name}: no rule for version {version or '(unknown)'}")


def from_flags(*, sigstore: list[SigstoreSigner], openpgp: list[str],
               publishers: list[dict[str, Any]]) -> Policy | None:
    if not (sigstore or openpgp or publishers):
        return None
    signer = Signer("command line", tuple(sigstore), tuple(openpgp), tuple(publishers))
    return Policy("command line", {"command line": signer}, (Rule(SpecifierSet(""), ("command line",)),),
                  source="command line")


def _shipped_text(name: str) -> str:
    return resources.files("assay").joinpath("data", "policies", f"{name}.toml").read_text(encoding="utf-8")


def load(ref: str, *, _depth: int = 0) -> Policy:
    """A policy from a TOML file, or a shipped policy by name (``cpython``)."""
    path = Path(ref)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{ref}: cannot read policy ({exc})") from None
        source = str(path)
    elif ref in SHIPPED:
        text, source = _shipped_text(ref), f"assay:{ref}"
    else:
        raise ConfigError(f"{ref}: no such policy file (shipped policies: {', '.join(SHIPPED)})")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML ({exc})") from None
    policy = from_document(doc, source=source)
    base = doc.get("extends")
    if base is not None:
        if _depth > 4 or not isinstance(base, str):
            raise ConfigError(f"{source}: extends must name one policy (no cycles)")
        policy = policy.then(load(base, _depth=_depth + 1))
    _check_names(policy)
    return policy


def from_document(doc: dict[str, Any], *, source: str) -> Policy:
    """A policy from parsed TOML; any shape error is a :class:`ConfigError` naming ``source``."""
    try:
        return parse(doc, source=source)
    except ConfigError:
        raise
    except (TypeError, AttributeError, ValueError) as exc:  # a value of the wrong shape somewhere
        raise ConfigError(f"{source}: malformed policy ({exc})") from None


def _check_names(policy: Policy) -> None:
    for rule in policy.rules:
        for name in rule.signers:
            if name not in policy.signers:
                raise ConfigError(f"{policy.source}: rule {rule.versions} names unknown signer {name!r}")


def parse(doc: dict[str, Any], *, source: str) -> Policy:
    def fail(msg: str) -> ConfigError:
        return ConfigError(f"{source}: {msg}")

    meta = doc.get("policy", {})
    if not isinstance(meta, dict):
        raise fail("[policy] must be a table")
    signers: dict[str, Signer] = {}
    for name, body in (doc.get("signers") or {}).items():
        if not isinstance(body, dict):
            raise fail(f"[signers.{name}] must be a table")
        try:
            sig = tuple(SigstoreSigner(str(s["identity"]), str(s["issuer"]))
                        for s in body.get("sigstore", []))
        except (KeyError, TypeError):
            raise fail(f"[signers.{name}] sigstore entries need identity and issuer") from None
        try:
            pgp = tuple(normalize_fingerprint(str(f)) for f in body.get("openpgp", []))
        except InputError as exc:
            raise fail(f"[signers.{name}] {exc.message}") from None
        pubs = body.get("publishers", [])
        if not isinstance(pubs, list) or not all(isinstance(p, dict) and "kind" in p for p in pubs):
            raise fail(f"[signers.{name}] publishers are tables with a kind")
        signers[name] = Signer(name, sig, pgp, tuple(pubs))
    rules: list[Rule] = []
    for i, body in enumerate(doc.get("rules") or []):
        try:
            spec = SpecifierSet(str(body.get("versions", "")))
        except InvalidSpecifier:
            raise fail(f"rule {i + 1}: invalid version range {body.get('versions')!r}") from None
        names = body.get("signers", [])
        if isinstance(names, str):
            names = [names]
        try:
            require = frozenset(SignatureKind(k) for k in body.get("require", []))
        except ValueError:
            raise fail(f"rule {i + 1}: require lists sigstore, openpgp or pep740") from None
        rules.append(Rule(spec, tuple(names), require))
    pattern = None
    if meta.get("version_pattern"):
        try:
            pattern = re.compile(meta["version_pattern"])
        except re.error as exc:
            raise fail(f"version_pattern: {exc}") from None
        if "version" not in pattern.groupindex:
            raise fail("version_pattern needs a (?P<version>...) group")
    artifacts = meta.get("artifacts", [])
    if not isinstance(artifacts, list):
        raise fail("[policy] artifacts is a list of globs")
    return Policy(str(meta.get("name", Path(source).stem)), signers, tuple(rules), pattern,
                  tuple(str(a) for a in artifacts), source)


def combine(policies: list[Policy]) -> Policy | None:
    """Several policies, the later ones tried first (a later file overrides an earlier one)."""
    result: Policy | None = None
    for p in policies:
        result = p if result is None else p.then(result)
    return result
