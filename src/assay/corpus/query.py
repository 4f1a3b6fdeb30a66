# ruff: noqa: S608 (view SQL is built from table names and the store's own file paths, quoted)
"""DuckDB over the store's Parquet files.

Views (the newest row per artifact: a retried failure shows its retry):

    distributions   one row per artifact (sha256): project, version, file, status, error, timings
    components      what was found inside each artifact (name, version, kind, purl, cpes, path, evidence)
    unknowns        what the cataloguer could not settle, per artifact (reason, detail)
    findings        advisories matched to components (scans with --audit)
    all_<table>     every row ever written, retries included

Functions: ``vercmp(a, b)`` (-1, 0, 1) compares native library versions the way the audit
does (1.3.1 < 1.3.2 < 1.10; 1.1.1w > 1.1.1); ``pep440_cmp(a, b)`` compares Python versions.
"""

from __future__ import annotations

from typing import Any

from assay.corpus import require
from assay.corpus.store import TABLES, CorpusStore, schemas


def _vercmp(a: str, b: str) -> int:
    from assay.vulndb.versions import native_compare

    return native_compare(a, b)


def _pep440_cmp(a: str, b: str) -> int | None:
    from packaging.version import InvalidVersion, Version

    try:
        va, vb = Version(a), Version(b)
    except InvalidVersion:
        return None
    return (va > vb) - (va < vb)


def _sql_list(paths: list[Any]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def connect(store: CorpusStore) -> Any:
    """An in-memory DuckDB connection with the views above over ``store``."""
    require("duckdb", "pyarrow")
    import duckdb
    import pyarrow as pa

    con = duckdb.connect(":memory:")
    con.create_function("vercmp", _vercmp, ["VARCHAR", "VARCHAR"], "INTEGER", side_effects=False)
    con.create_function("pep440_cmp", _pep440_cmp, ["VARCHAR", "VARCHAR"], "INTEGER", side_effects=False)
    for table, schema in schemas().items():
        files = store.files(table)
        if files:
            con.execute(f"CREATE VIEW all_{table} AS SELECT * FROM read_parquet({_sql_list(files)})")
        else:
            con.register(f"_empty_{table}", pa.Table.from_pylist([], schema=schema))
            con.execute(f"CREATE VIEW all_{table} AS SELECT * FROM _empty_{table}")
    con.execute("""
        CREATE VIEW distributions AS
        SELECT * FROM all_distributions
        QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY batch DESC) = 1""")
    for table in TABLES[1:]:
        con.execute(f"""
            CREATE VIEW {table} AS
            SELECT t.* FROM all_{table} t
            JOIN (SELECT sha256, batch FROM distributions) d
              ON t.sha256 = d.sha256 AND t.batch = d.batch""")
    return con


def run_sql(store: CorpusStore, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of ``sql`` over the store; a bad query is an InputError."""
    import duckdb

    from assay.errors import InputError

    con = connect(store)
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()
    except duckdb.Error as exc:
        first = " ".join(str(exc).split())
        raise InputError(f"query failed: {first}") from None
    finally:
        con.close()
