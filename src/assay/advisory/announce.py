"""``assay advisory announce``: the announcement for a security mailing list, or a web page.

From one advisory (a draft, an OSV record or a CVE JSON 5 record): what is
affected, the fixed versions, the mitigation, the credits and the links. Plain
text wraps at 72 columns for mail; ``markdown`` is for a web page.
"""

from __future__ import annotations

import textwrap
from typing import Any

from assay.advisory.cve5 import convert, english
from assay.advisory.draft import Advisory, Cvss, Reference
from assay.advisory.export import severity_word, v4_score
from assay.vulndb.cvss import score_of

WIDTH = 72


def from_cve5(doc: dict[str, Any], *, origin: str) -> Advisory:
    conv = convert(doc, origin=origin)
    cna = doc["containers"]["cna"]
    adv = Advisory(cve=conv.cve_id, title=conv.summary, description=conv.details,
                   product="cpython" if conv.cpython else conv.product, aliases=[conv.cve_id],
                   published=conv.published, modified=conv.modified, origin=origin,
                   fix_commits=conv.fixed_commits, cwe=conv.cwe_ids)
    for aff in cna.get("affected") or ():
        adv.modules += [m for m in aff.get("modules") or () if m not in adv.modules]
        adv.versions += [v for v in aff.get("versions") or () if isinstance(v, dict)]
    adv.references = [Reference(r["url"], list(r.get("tags") or ())) for r in cna.get("references") or ()
                      if isinstance(r, dict) and r.get("url")]
    adv.credits = [(c["name"], c.get("type", "").lower().replace("_", " ")) for c in conv.credits]
    for metric in cna.get("metrics") or ():
        for key in ("cvssV4_0", "cvssV3_1", "cvssV3_0"):
            data = metric.get(key) if isinstance(metric, dict) else None
            if isinstance(data, dict) and data.get("vectorString"):
                adv.cvss.append(Cvss(data["vectorString"], data.get("baseScore")))
    adv.mitigation = english(cna.get("workarounds")) or english(cna.get("solutions")) or ""
    return adv


def _score(adv: Advisory) -> tuple[str, float, str] | None:
    best = None
    for c in adv.cvss:
        score = c.score
        if score is None:
            try:
                score = v4_score(c.vector) if c.vector.startswith("CVSS:4") else score_of(c.vector)
            except Exception:
                score = None
        if score is not None and (best is None or c.version > best[2]):
            best = (c.vector, score, c.version)
    return best


def _product(adv: Advisory) -> str:
    return "CPython" if adv.cpython else adv.product


def affected_lines(adv: Advisory, versions: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """(affected, fixed) as sentences a reader scans: one per release line."""
    affected, fixed = [], []
    name = _product(adv)
    for v in versions:
        if v.get("status", "affected") != "affected":
            continue
        start, below = v.get("version", "0"), v.get("lessThan") or v.get("lessThanOrEqual")
        upto = "up to and including" if "lessThanOrEqual" in v and "lessThan" not in v else "before"
        if below in (None, "*"):
            affected.append(f"{name} {start} and later (no fixed release yet)")
        elif start in ("0", ""):
            affected.append(f"{name} {upto} {below}")
        else:
            affected.append(f"{name} {start} {upto} {below}")
        if upto == "before" and below not in (None, "*"):
            fixed.append(below)
    return affected, fixed


def _links(adv: Advisory) -> list[str]:
    links = []
    if adv.cve:
        links.append(f"https://www.cve.org/CVERecord?id={adv.cve}")
    if adv.id and not adv.id.startswith("PSF-0000"):
        links.append(f"https://osv.dev/vulnerability/{adv.id}")
    links += [r.url for r in adv.references]
    return list(dict.fromkeys(links))


def _wrap(text: str, indent: str = "") -> list[str]:
    out: list[str] = []
    for para in text.strip().split("\n\n"):
        para = " ".join(para.split())
        if not para:
            continue
        out += textwrap.wrap(para, WIDTH, initial_indent=indent, subsequent_indent=indent,
                             break_long_words=False, break_on_hyphens=False)
        out.append("")
    return out


def _credit_line(name: str, kind: str) -> str:
    return f"{name} ({kind})" if kind else name


def render(adv: Advisory, versions: list[dict[str, str]], *, fmt: str = "text") -> str:
    ids = " / ".join(x for x in (adv.id, adv.cve) if x)
    score = _score(adv)
    severity = f"{severity_word(score[1])} ({score[1]:.1f}, {score[0]})" if score else ""
    affected, fixed = affected_lines(adv, versions)
    if fmt == "markdown":
        return _markdown(adv, ids, severity, affected, fixed)
    lines = [f"Subject: [{ids}] {adv.title}", ""]
    head = f"A {severity.split(' (')[0].lower()} severity vulnerability" if severity else "A vulnerability"
    lines += _wrap(f"{head} affecting {_product(adv)} has been published as {ids}.")
    lines += _wrap(adv.description)
    if severity:
        lines += [f"Severity: {severity}", ""]
    if adv.modules:
        lines += [f"Affected modules: {', '.join(adv.modules)}", ""]
    if affected:
        lines += ["Affected versions:"] + [f"  - {a}" for a in affected] + [""]
    elif adv.fix_commits:
        lines += ["Fixed by the commits:"] + [f"  - {c}" for c in adv.fix_commits] + [""]
    if len(fixed) == 1:
        lines += _wrap(f"Fixed in {fixed[0]}: upgrade to it or a later release.")
    elif fixed:
        lines += _wrap(f"Fixed in: {', '.join(fixed)}. Upgrade to the fixed release of the line you "
                       "use, or a later one.")
    if adv.mitigation:
        lines += ["Mitigation:", "", *_wrap(adv.mitigation, "  ")]
    if adv.cwe:
        lines += [f"Weakness: {', '.join(adv.cwe)}", ""]
    if adv.credits:
        lines += ["Credits:"] + [f"  - {_credit_line(n, k)}" for n, k in adv.credits] + [""]
    lines += ["Links:"] + [f"  - {url}" for url in _links(adv)]
    return "\n".join(lines).rstrip() + "\n"


def _md_escape(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _markdown(adv: Advisory, ids: str, severity: str, affected: list[str], fixed: list[str]) -> str:
    lines = [f"# {ids}: {_md_escape(adv.title)}", ""]
    if severity:
        lines += [f"**Severity:** {severity}", ""]
    if adv.modules:
        lines += [f"**Affected modules:** {', '.join(f'`{m}`' for m in adv.modules)}", ""]
    for para in adv.description.strip().split("\n\n"):
        if para.strip():
            lines += [_md_escape(" ".join(para.split())), ""]
    if affected:
        lines += ["## Affected versions", ""] + [f"- {a}" for a in affected] + [""]
    elif adv.fix_commits:
        lines += ["## Fix commits", ""] + [f"- `{c}`" for c in adv.fix_commits] + [""]
    if fixed:
        lines += ["## Fixed in", "", ", ".join(fixed), ""]
    if adv.mitigation:
        lines += ["## Mitigation", ""]
        for para in adv.mitigation.strip().split("\n\n"):
            lines += [_md_escape(" ".join(para.split())), ""]
    if adv.cwe:
        lines += [f"**Weakness:** {', '.join(adv.cwe)}", ""]
    if adv.credits:
        lines += ["## Credits", ""] + [f"- {_md_escape(_credit_line(n, k))}" for n, k in adv.credits] + [""]
    lines += ["## Links", ""] + [f"- <{url}>" for url in _links(adv)]
    return "\n".join(lines).rstrip() + "\n"
