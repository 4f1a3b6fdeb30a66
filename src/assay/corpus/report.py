# ruff: noqa: S608 (the SQL here is built from this module's constants only; no input reaches it)
"""The first tables a person wants from a corpus store, for the terminal and one HTML page.

1. bundled libraries by the number of projects that ship them;
2. versions in the wild with known vulnerabilities (scans with ``--audit``);
3. projects whose distributions carry a vulnerable bundled copy;
4. distributions with unreadable binaries, and distributions that failed to scan.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assay.corpus.query import connect
from assay.corpus.store import CorpusStore

BUNDLED_KINDS = ("native-library", "vendored-package", "javascript-library")
UNREADABLE = ("unreadable-member", "skipped-member", "unreadable-sbom", "unreadable-metadata")
_SEVERITY_RANK = "CASE severity WHEN 'critical' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 " \
                 "WHEN 'low' THEN 2 WHEN 'none' THEN 1 ELSE 0 END"
_RANK_NAME = "CASE {x} WHEN 5 THEN 'critical' WHEN 4 THEN 'high' WHEN 3 THEN 'medium' " \
             "WHEN 2 THEN 'low' WHEN 1 THEN 'none' ELSE 'unknown' END"


@dataclass(slots=True)
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    note: str = ""
    total: int = 0  # rows before the limit


@dataclass(slots=True)
class Report:
    store: str
    overview: list[tuple[str, Any]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def _kinds_sql() -> str:
    return ", ".join(f"'{k}'" for k in BUNDLED_KINDS)


def build(store: CorpusStore, *, limit: int = 50) -> Report:
    con = connect(store)
    try:
        return _build(con, store, limit)
    finally:
        con.close()


def _section(con: Any, key: str, title: str, sql: str, limit: int, note: str = "") -> Section:
    total = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    cur = con.execute(f"{sql} LIMIT {int(limit)}")
    cols = [d[0] for d in cur.description]
    return Section(key, title, cols, cur.fetchall(), note, total)


def _build(con: Any, store: CorpusStore, limit: int) -> Report:
    rep = Report(str(store.root))
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    audited = one("SELECT count(*) FROM all_findings") > 0
    rep.overview = [
        ("distributions", one("SELECT count(*) FROM distributions")),
        ("scanned ok", one("SELECT count(*) FROM distributions WHERE status = 'ok'")),
        ("failed", one("SELECT count(*) FROM distributions WHERE status <> 'ok'")),
        ("projects", one("SELECT count(DISTINCT lower(project)) FROM distributions")),
        ("bundled components", one(f"SELECT count(*) FROM components WHERE kind IN ({_kinds_sql()})")),
        ("distributions bundling something", one(
            f"SELECT count(DISTINCT sha256) FROM components WHERE kind IN ({_kinds_sql()})")),
        ("findings", one("SELECT count(*) FROM findings") if audited else "not audited (scan with --audit)"),
        ("batches", len(store.batches())),
    ]
    rep.sections.append(_section(con, "libraries", "Bundled libraries by number of projects", f"""
        SELECT name AS library, kind,
               count(DISTINCT lower(project)) AS projects,
               count(DISTINCT sha256) AS distributions,
               count(DISTINCT version) AS versions,
               count(*) FILTER (WHERE version IS NULL) AS "unknown version",
               string_agg(DISTINCT version, ', ' ORDER BY version) AS "versions seen"
        FROM components WHERE kind IN ({_kinds_sql()})
        GROUP BY name, kind ORDER BY projects DESC, distributions DESC, library""", limit))
    note = "" if audited else "No findings in this store: rerun the scan with --audit to fill this table."
    title = "Versions in the wild with known vulnerabilities"
    rep.sections.append(_section(con, "vulnerable-versions", title, f"""
        SELECT component_name AS component, component_version AS version,
               {_RANK_NAME.format(x=f"max({_SEVERITY_RANK})")} AS "worst severity",
               count(DISTINCT advisory) AS advisories,
               string_agg(DISTINCT advisory, ', ' ORDER BY advisory) AS ids,
               count(DISTINCT lower(project)) AS projects,
               count(DISTINCT sha256) AS distributions
        FROM findings GROUP BY component_name, component_version
        ORDER BY max({_SEVERITY_RANK}) DESC, projects DESC, component, version""", limit, note))
    rep.sections.append(_section(con, "vulnerable-copies", "Projects with vulnerable bundled copies", f"""
        SELECT f.project, f.dist_version AS version, f.filename AS file,
               f.component_name AS component, f.component_version AS "component version",
               {_RANK_NAME.format(x=f"max({_SEVERITY_RANK})")} AS "worst severity",
               string_agg(DISTINCT f.advisory, ', ' ORDER BY f.advisory) AS advisories,
               any_value(c.path) AS path
        FROM findings f JOIN components c ON c.sha256 = f.sha256 AND c.id = f.component_id
        WHERE c.kind IN ({_kinds_sql()})
        GROUP BY f.project, f.dist_version, f.filename, f.component_name, f.component_version
        ORDER BY max({_SEVERITY_RANK}) DESC, f.project, file, component""",
                                 limit, note))
    unreadable = ", ".join(f"'{r}'" for r in UNREADABLE)
    rep.sections.append(_section(con, "unreadable", "Distributions with unreadable binaries or failed scans",
                                 f"""
        SELECT d.project, d.version, d.filename AS file, 'scan failed' AS problem, d.error AS detail
        FROM distributions d WHERE d.status <> 'ok'
        UNION ALL
        SELECT d.project, d.version, d.filename, u.reason, u.subject || ': ' || u.detail
        FROM unknowns u JOIN distributions d ON d.sha256 = u.sha256
        WHERE u.reason IN ({unreadable})
        ORDER BY problem, file, detail""", limit))
    return rep


# -- rendering -----------------------------------------------------------------

def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def render_terminal(rep: Report, console: Any) -> None:
    from rich.table import Table

    overview = Table(title=f"Corpus store {rep.store}", show_header=False, title_justify="left")
    overview.add_column(style="bold")
    overview.add_column()
    for k, v in rep.overview:
        overview.add_row(k, _cell(v))
    console.print(overview)
    for s in rep.sections:
        t = Table(title=s.title, title_justify="left")
        for i, c in enumerate(s.columns):
            t.add_column(c, overflow="fold", no_wrap=i < 2)
        for row in s.rows:
            t.add_row(*(_cell(v) for v in row))
        console.print()
        if s.rows:
            console.print(t)
            if s.total > len(s.rows):
                console.print(f"… {s.total - len(s.rows)} more rows (--limit, or `assay corpus query`)")
        else:
            console.print(f"[bold]{html.escape(s.title, quote=False)}[/]: none. {s.note}".rstrip(),
                          markup=True)


_CSS = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1b1f24}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;max-width:100%}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#57606a}.sev-critical{color:#fff;background:#8b0000}.sev-high{background:#ffb3b3}
.sev-medium{background:#ffe08a}.sev-low{background:#e6f0ff}
"""


def render_html(rep: Report) -> str:
    e = lambda v: html.escape(_cell(v))  # noqa: E731
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>assay corpus report: {html.escape(rep.store)}</title>",
           f"<style>{_CSS}</style></head><body>",
           f"<h1>assay corpus report</h1><p class=note>Store <code>{html.escape(rep.store)}</code>, "
           f"generated {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}.</p>",
           '<table id="overview"><tbody>']
    for k, v in rep.overview:
        out.append(f"<tr><th>{html.escape(k)}</th><td class=n>{e(v)}</td></tr>")
    out.append("</tbody></table>")
    for s in rep.sections:
        out.append(f'<section id="{s.key}"><h2>{html.escape(s.title)}</h2>')
        if not s.rows:
            out.append(f"<p class=note>None. {html.escape(s.note)}</p></section>")
            continue
        out.append("<table><thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in s.columns)
                   + "</tr></thead><tbody>")
        for row in s.rows:
            cells = []
            for col, v in zip(s.columns, row, strict=True):
                cls = ' class=n' if isinstance(v, int | float) else ""
                if col == "worst severity":
                    cls = f' class="sev-{html.escape(_cell(v))}"'
                cells.append(f"<td{cls}>{e(v)}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
        if s.total > len(s.rows):
            out.append(f"<p class=note>… and {s.total - len(s.rows)} more rows.</p>")
        out.append("</section>")
    out.append("</body></html>\n")
    return "\n".join(out)
