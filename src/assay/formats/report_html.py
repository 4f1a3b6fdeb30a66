"""A scan as one self-contained HTML page (``report.html`` beside the scan's documents).

What a person looks at first: why the scan exited as it did, the findings (severity, where the
component sits, the fix, the evidence), then the inventory as a searchable table, the dependency
tree, what each distribution bundles, and the integrity check. One file: the style and the
search script are inline and pinned by hash in the page's Content-Security-Policy, which also
forbids every network load (``default-src 'none'``); links to advisories are plain links.

Every value from the scanned target (names, versions, paths, advisory texts) is escaped: a
hostile package name is text, never markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from datetime import datetime
from html import escape
from typing import Any

from assay import __version__
from assay.model import Component, Finding, Graph, Kind, RelType, Severity
from assay.model.report import ScanReport

MAX_TREE_NODES = 5000  # the dependency tree is cut beyond this (the documents hold everything)
MAX_ISSUES = 500
MAX_UNKNOWNS = 200
_BUNDLED = (Kind.NATIVE_LIBRARY, Kind.VENDORED_PACKAGE, Kind.JAVASCRIPT_LIBRARY, Kind.CARGO_LIBRARY)

_CSS = """
:root { --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#fff; --soft:#f6f8fa; --ok:#1a7f37;
        --bad:#cf222e; --warn:#9a6700; --crit:#82071e; --link:#0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg);
       background: var(--bg); margin: 0; }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--soft); }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 0; display: inline; }
main { padding: 8px 32px 40px; }
.meta { color: var(--muted); }
.verdict { margin: 12px 0 4px; padding: 10px 14px; border-radius: 6px; font-weight: 600; }
.verdict.ok { background: #dafbe1; color: var(--ok); }
.verdict.fail { background: #ffebe9; color: var(--bad); }
.verdict.incomplete { background: #fff8c5; color: var(--warn); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 160px; }
.card b { display: block; font-size: 20px; }
section { margin-top: 22px; } details > summary { cursor: pointer; padding: 6px 0; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); position: sticky; top: 0; }
td.where, td.path { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; min-width: 180px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.sev { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px;
       font-weight: 600; text-transform: uppercase; }
.sev-critical { background: var(--crit); } .sev-high { background: var(--bad); }
.sev-medium { background: #bf8700; } .sev-low { background: #0a7ea4; }
.sev-none, .sev-unknown { background: #6e7781; }
input[type=search] { width: 420px; max-width: 100%; padding: 6px 10px; border: 1px solid var(--line);
                     border-radius: 6px; font-size: 14px; }
.count { color: var(--muted); margin-left: 10px; }
ul.tree, ul.tree ul { list-style: none; padding-left: 18px; margin: 0; }
ul.tree li { margin: 1px 0; } .again { color: var(--muted); font-style: italic; }
.empty { color: var(--muted); } a { color: var(--link); }
.evidence { color: var(--muted); font-size: 12px; }
"""

_JS = """
(function () {
  var box = document.getElementById('search');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#inventory tbody tr'));
  var count = document.getElementById('shown');
  function apply() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-q');
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !hit;
      if (hit) { shown += 1; }
    });
    count.textContent = shown + ' of ' + rows.length + ' components';
  }
  box.addEventListener('input', apply);
  var m = /[#&]q=([^&]*)/.exec(window.location.hash);
  if (m) { box.value = decodeURIComponent(m[1].replace(/\\+/g, ' ')); }
  apply();
})();
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _label(comp: Component | None) -> str:
    if comp is None:
        return ""
    return f"{comp.name} {comp.version or ''}".strip()


def _license(comp: Component) -> str:
    lic = comp.license
    if lic is None:
        return ""
    if lic.expression:
        return lic.expression
    text = (lic.text or "").strip().splitlines()
    return (text[0][:60] + "…") if text and len(text[0]) > 60 else (text[0] if text else "")


def _advisory_link(adv_id: str) -> str:
    if adv_id.startswith("CVE-"):
        url = f"https://nvd.nist.gov/vuln/detail/{adv_id}"
    else:
        url = f"https://osv.dev/vulnerability/{adv_id}"
    return f'<a href="{_e(url)}" rel="noreferrer">{_e(adv_id)}</a>'


def _severity(sev: Severity) -> str:
    return f'<span class="sev sev-{_e(sev)}">{_e(sev)}</span>'


def _verdict(report: ScanReport) -> str:
    code = report.exit_code
    cls = "ok" if code == 0 else "incomplete" if code == 3 else "fail"
    why = "; ".join(report.reasons) if report.reasons else "nothing at or above the threshold"
    return f'<div class="verdict {cls}" id="verdict">exit {code}: {_e(why)}</div>'


def _cards(report: ScanReport) -> str:
    graph = report.graph
    kinds = Counter(c.kind.value for c in graph.packages())
    cards = [("components", str(len(graph.packages())),
              ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none")]
    if report.audit is not None:
        sev = Counter(str(f.severity) for f in report.audit.findings)
        cards.append(("findings", str(len(report.audit.findings)),
                      ", ".join(f"{n} {s}" for s, n in sev.most_common()) or "none known"))
    else:
        cards.append(("findings", "–", report.audit_note or "audit skipped"))
    if report.integrity is not None:
        i = report.integrity
        cards.append(("integrity", "clean" if i.clean else "NOT clean",
                      f"{i.files_checked} files checked"))
    cards.append(("unknowns", str(len(graph.unknowns)), "what could not be settled"))
    return '<div class="cards">' + "".join(
        f'<div class="card"><span class="meta">{_e(t)}</span><b>{_e(v)}</b>'
        f'<span class="meta">{_e(d)}</span></div>' for t, v, d in cards) + "</div>"


def _findings(report: ScanReport, where: dict[str, str]) -> str:
    out = ['<section id="findings"><details open><summary><h2>Findings</h2></summary>']
    audit = report.audit
    if audit is None:
        out.append(f'<p class="empty">No audit: {_e(report.audit_note)}</p>')
        return "\n".join(out) + "</details></section>"
    out.append(f'<p class="meta">Audited {audit.audited} components against {_e(report.audit_note)}; '
               f'threshold {_e(audit.fail_on)}.</p>')
    if not audit.findings:
        out.append('<p class="empty">No known vulnerabilities found.</p>')
    else:
        out.append('<table id="findings-table"><thead><tr><th>Severity</th><th>Advisory</th>'
                   '<th>Component</th><th>Where</th><th>Fixed in</th><th>Summary and evidence</th>'
                   '</tr></thead><tbody>')
        for f in audit.findings:
            out.append(_finding_row(f, where))
        out.append("</tbody></table>")
    if audit.fix_advice:
        out.append('<h3>Fix advice</h3><table id="fix-advice"><thead><tr><th>Component</th><th>Version</th>'
                   '<th>Upgrade to</th><th>Fixes</th></tr></thead><tbody>')
        for a in audit.fix_advice:
            out.append(f"<tr><td>{_e(a.name)}</td><td>{_e(a.version)}</td>"
                       f"<td>{_e(a.fix_version or 'no single known fix')}</td>"
                       f"<td>{', '.join(_advisory_link(x) for x in a.advisories)}</td></tr>")
        out.append("</tbody></table>")
    if audit.ignored:
        out.append("<h3>Ignored</h3><ul>" + "".join(
            f"<li>{_advisory_link(f.id)} {_e(f.component_name)} {_e(f.component_version)}: "
            f"{_e(f.ignored)}</li>" for f in audit.ignored) + "</ul>")
    if audit.skipped:
        reasons = Counter(s.reason for s in audit.skipped)
        out.append(f"<details><summary>Not audited: {len(audit.skipped)} components</summary><ul>"
                   + "".join(f"<li>{n} × {_e(r)}</li>" for r, n in reasons.most_common())
                   + "</ul></details>")
    if audit.unresolved:
        out.append("<details><summary>Undecided advisories: " + _e(str(len(audit.unresolved)))
                   + "</summary><ul>" + "".join(
                       f"<li>{_advisory_link(u.advisory)} {_e(u.name)} {_e(u.version)}: {_e(u.reason)}</li>"
                       for u in audit.unresolved) + "</ul></details>")
    if audit.warnings:
        out.append("<ul>" + "".join(f"<li class=\"meta\">{_e(w)}</li>" for w in audit.warnings) + "</ul>")
    return "\n".join(out) + "</details></section>"


def _finding_row(f: Finding, where: dict[str, str]) -> str:
    aliases = f" <span class=\"meta\">({_e(', '.join(f.aliases))})</span>" if f.aliases else ""
    fixed = _e(", ".join(f.fixed_versions)) if f.fixed_versions else '<span class="empty">no fix known</span>'
    return (f'<tr class="finding" data-severity="{_e(f.severity)}"><td>{_severity(f.severity)}</td>'
            f"<td>{_advisory_link(f.id)}{aliases}</td>"
            f"<td>{_e(f.component_name)} {_e(f.component_version or '?')}</td>"
            f'<td class="where">{_e(where.get(f.component_id, ""))}</td><td>{fixed}</td>'
            f"<td>{_e(f.summary)}<div class=\"evidence\">{_e(f.evidence)}</div></td></tr>")


def _inventory(graph: Graph, where: dict[str, str]) -> str:
    comps = graph.packages()
    out = ['<section><details open><summary><h2>Inventory</h2></summary>',
           '<p><input type="search" id="search" placeholder="Search name, version, kind, license, purl, '
           f'place…" aria-label="Search the inventory"><span class="count" id="shown">{len(comps)} of '
           f"{len(comps)} components</span></p>",
           '<table id="inventory"><thead><tr><th>Name</th><th>Version</th><th>Kind</th><th>License</th>'
           "<th>purl</th><th>Where</th></tr></thead><tbody>"]
    for c in comps:
        lic = _license(c)
        place = where.get(c.id, "")
        search = " ".join(filter(None, (c.name, c.version, c.kind.value, lic, c.purl, place))).lower()
        out.append(f'<tr data-q="{_e(search)}"><td>{_e(c.name)}</td><td>{_e(c.version or "unknown")}</td>'
                   f"<td>{_e(c.kind.value)}</td><td>{_e(lic)}</td><td class=\"mono\">{_e(c.purl)}</td>"
                   f'<td class="where">{_e(place)}</td></tr>')
    out.append("</tbody></table></details></section>")
    return "\n".join(out)


def _tree(graph: Graph) -> str:
    """The DEPENDS_ON tree from the root: each component expanded once, later mentions point back."""
    children: dict[str, list[str]] = {}
    for rel in graph.sorted_relationships():
        if rel.type in (RelType.DEPENDS_ON, RelType.OPTIONAL_DEPENDS_ON) and rel.target in graph.components:
            children.setdefault(rel.source, []).append(rel.target)
    out = ['<section id="dependencies"><details open><summary><h2>Dependency graph</h2></summary>']
    if not children:
        out.append('<p class="empty">No dependency edges: the target declares none that could be '
                   "resolved (a single artifact, or a lock file without a graph).</p>")
        return "\n".join(out) + "</details></section>"
    expanded: set[str] = set()
    lines: list[str] = []
    budget = [MAX_TREE_NODES]

    def node(cid: str) -> None:
        budget[0] -= 1
        comp = graph.components[cid]
        kids = sorted(set(children.get(cid, ())), key=lambda k: graph.components[k].name.lower())
        if cid in expanded and kids:
            lines.append(f'<li><span class="again">{_e(_label(comp))} (dependencies shown above)</span></li>')
            return
        expanded.add(cid)
        if not kids or budget[0] <= 0:
            lines.append(f"<li>{_e(_label(comp))}</li>")
            return
        lines.append(f"<li><details><summary>{_e(_label(comp))} "
                     f'<span class="meta">({len(kids)})</span></summary><ul>')
        stack.append(("close", ""))
        for k in reversed(kids):
            stack.append(("node", k))

    root = graph.root
    top = sorted(set(children.get(root, ())), key=lambda k: graph.components[k].name.lower())
    stack: list[tuple[str, str]] = [("node", k) for k in reversed(top)]
    expanded.add(root)
    while stack:
        what, cid = stack.pop()
        if what == "close":
            lines.append("</ul></details></li>")
        else:
            node(cid)
    out.append(f'<p class="meta">{_e(_label(graph.root_component))} and what it needs '
               f"({len(top)} at the top).</p>")
    if budget[0] <= 0:
        out.append(f'<p class="meta">Cut after {MAX_TREE_NODES} entries; the SBOMs hold every edge.</p>')
    out.append('<ul class="tree">' + "".join(lines) + "</ul>")
    return "\n".join(out) + "</details></section>"


def _bundled(graph: Graph, where: dict[str, str]) -> str:
    inside: dict[str, list[Component]] = {}
    for rel in graph.relationships:
        if rel.type is RelType.CONTAINS and rel.target in graph.components:
            child = graph.components[rel.target]
            if child.kind in _BUNDLED:
                inside.setdefault(rel.source, []).append(child)
    out = ['<section id="bundled"><details open><summary><h2>Bundled inside distributions</h2></summary>']
    if not inside:
        out.append('<p class="empty">Nothing bundled was found: no native libraries, vendored projects, '
                   "JavaScript libraries or embedded SBOMs.</p>")
        return "\n".join(out) + "</details></section>"
    owners = sorted(inside, key=lambda o: (graph.components[o].name.lower() if o in graph.components else o))
    for owner in owners:
        parent = graph.components.get(owner)
        kids = sorted(inside[owner], key=lambda c: (c.kind.value, c.name.lower(), c.version or ""))
        place = where.get(owner, "")
        sits = f": {_e(place)}" if place else ""
        out.append(f"<details><summary><b>{_e(_label(parent) or owner)}</b> "
                   f'<span class="meta">{len(kids)} inside{sits}</span></summary>'
                   "<table><thead><tr><th>Name</th><th>Version</th><th>Kind</th><th>Found in</th>"
                   "</tr></thead><tbody>")
        for c in kids:
            files = sorted({e.location for e in c.evidence if e.location})
            shown = "<br>".join(_e(f) for f in files[:6])
            if len(files) > 6:
                shown += f"<br>… {len(files) - 6} more"
            out.append(f"<tr><td>{_e(c.name)}</td><td>{_e(c.version or 'unknown')}</td>"
                       f'<td>{_e(c.kind.value)}</td><td class="path">{shown}</td></tr>')
        out.append("</tbody></table></details>")
    return "\n".join(out) + "</details></section>"


def _integrity(report: ScanReport) -> str:
    i = report.integrity
    out = ['<section id="integrity"><details open><summary><h2>Integrity</h2></summary>']
    if i is None:
        out.append('<p class="empty">Not an installed environment: there are no installed files to check '
                   "against their RECORD.</p>")
        return "\n".join(out) + "</details></section>"
    state = "clean" if i.clean else "NOT clean"
    counts = ", ".join(f"{n} {c}" for c, n in i.counts().items()) or "no issues"
    out.append(f"<p><b>{_e(state)}</b>: {i.files_checked} files of {i.distributions} distributions checked "
               f"against their RECORD; {_e(counts)}.</p>")
    if i.issues:
        issues = sorted(i.issues, key=lambda x: (x.category not in ("modified", "missing"), x.category,
                                                 x.path))
        out.append("<table><thead><tr><th>Issue</th><th>File</th><th>Distribution</th><th>Detail</th></tr>"
                   "</thead><tbody>")
        for issue in issues[:MAX_ISSUES]:
            out.append(f"<tr><td>{_e(issue.category)}</td><td class=\"path\">{_e(issue.path)}</td>"
                       f"<td>{_e(issue.distribution)}</td><td>{_e(issue.detail)}</td></tr>")
        out.append("</tbody></table>")
        if len(issues) > MAX_ISSUES:
            out.append(f'<p class="meta">… and {len(issues) - MAX_ISSUES} more in integrity.json.</p>')
    return "\n".join(out) + "</details></section>"


def _unknowns(graph: Graph) -> str:
    if not graph.unknowns:
        return ""
    items = "".join(f"<li><code>{_e(u.reason)}</code> {_e(u.detail or u.subject)}</li>"
                    for u in graph.unknowns[:MAX_UNKNOWNS])
    more = f'<p class="meta">… and {len(graph.unknowns) - MAX_UNKNOWNS} more.</p>' \
        if len(graph.unknowns) > MAX_UNKNOWNS else ""
    return (f'<section id="unknowns"><details><summary><h2>Unknowns ({len(graph.unknowns)})</h2></summary>'
            f"<ul>{items}</ul>{more}</details></section>")


def dumps(report: ScanReport, *, created: datetime, color: bool | None = None) -> str:
    graph = report.graph
    where = graph.placements()
    target = graph.metadata.get("target") or _label(graph.root_component) or "this environment"
    csp = (f"default-src 'none'; style-src {_csp_hash(_CSS)}; script-src {_csp_hash(_JS)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    docs = ", ".join(report.documents)
    kind = graph.metadata.get("target-kind") or graph.metadata.get("target_kind")
    parts: list[Any] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(csp, quote=False)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>assay scan of {_e(target)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<header><h1>assay scan of {_e(target)}</h1>",
        '<div class="meta">' + " · ".join(_e(p) for p in (
            _label(graph.root_component), kind, created.isoformat().replace("+00:00", "Z"),
            f"assay {__version__}") if p) + "</div>",
        _verdict(report),
        _cards(report),
        "</header><main>",
        _findings(report, where),
        _inventory(graph, where),
        _tree(graph),
        _bundled(graph, where),
        _integrity(report),
        _unknowns(graph),
        f'<p class="meta">Written beside: {_e(docs)}.</p>' if docs else "",
        f"</main><script>{_JS}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


__all__ = ["dumps"]
