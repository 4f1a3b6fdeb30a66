"""Integrity results: installed files against their RECORD (what the integrity renderers show)."""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES = {
    "modified": "content differs from RECORD",
    "missing": "listed in RECORD, not on disk",
    "unlisted": "in a package folder (or site-packages) but in no RECORD",
    "executable-pth": ".pth file that runs code at interpreter start-up",
    "outside-environment": "RECORD points outside the environment",
    "no-record": "distribution without RECORD (cannot be checked)",
}


@dataclass(frozen=True, slots=True)
class Issue:
    category: str  # one of CATEGORIES
    path: str
    distribution: str | None = None  # "name version" of the owner, when known
    detail: str = ""


@dataclass(slots=True)
class IntegrityReport:
    target: str
    distributions: int = 0
    files_checked: int = 0
    bytes_hashed: int = 0
    issues: list[Issue] = field(default_factory=list)

    def of(self, category: str) -> list[Issue]:
        return [i for i in self.issues if i.category == category]

    @property
    def clean(self) -> bool:
        """No modified and no missing file (the exit-code rule)."""
        return not self.of("modified") and not self.of("missing")

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for issue in self.issues:
            out[issue.category] = out.get(issue.category, 0) + 1
        return dict(sorted(out.items()))

    def to_json(self) -> dict:
        return {
            "target": self.target,
            "clean": self.clean,
            "distributions": self.distributions,
            "files_checked": self.files_checked,
            "counts": self.counts(),
            "issues": [
                {"category": i.category, "path": i.path, "distribution": i.distribution, "detail": i.detail}
                for i in sorted(self.issues, key=lambda i: (i.category, i.path))
            ],
        }


# the name the integrity module used before the model held it
Report = IntegrityReport

__all__ = ["CATEGORIES", "IntegrityReport", "Issue", "Report"]
