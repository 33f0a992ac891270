"""The DuckDB warehouse: open it, make sure its tables exist, load batches idempotently.

Every row carries a stable id (a hash of what identifies it), and every batch is written in
one transaction with INSERT OR REPLACE on those ids, so re-running a run — or re-processing
the raw archive — yields the same rows, never duplicates. Rows that belong to an article
(observations, legal references) are replaced as a set when the article is re-processed, so a
figure that disappeared from a corrected article disappears from the warehouse too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa

import schemas
from warehouse.ddl import arrow_schema, create_table
from warehouse.views import VIEWS

SCHEMA_VERSION = 1
CHILD_TABLES = ("observations", "legal_refs")  # replaced per article


class WarehouseLocked(RuntimeError):
    """Another process holds the warehouse open for writing."""


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `egov demo` or `egov refresh` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseLocked(f"warehouse {path} is in use by another process; try again when it ends") from exc
        raise
    con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")  # show times as Viet Nam readers do
    if not read_only:
        ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS _meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for table in schemas.TABLES:
        con.execute(create_table(table))
    for sql in VIEWS.values():
        con.execute(sql)
    con.execute("INSERT OR REPLACE INTO _meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def to_arrow(table: str, rows: list[dict]) -> pa.Table:
    schema = arrow_schema(table)
    columns = {
        field.name: [_coerce(row.get(field.name), field.type) for row in rows] for field in schema
    }
    return pa.Table.from_pydict(columns, schema=schema)


def _coerce(value, arrow_type: pa.DataType):
    """ISO strings from the stages become dates and datetimes; the rest passes through."""
    if value is None or value == "":
        return None
    if pa.types.is_timestamp(arrow_type) and isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if pa.types.is_date(arrow_type) and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def upsert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> int:
    if not rows:
        return 0
    batch = to_arrow(table, rows)
    columns = ", ".join(f'"{c}"' for c in batch.column_names)
    con.register("_batch", batch)
    try:
        con.execute(f'INSERT OR REPLACE INTO "{table}" ({columns}) SELECT {columns} FROM _batch')
    finally:
        con.unregister("_batch")
    return batch.num_rows


def load_batch(con: duckdb.DuckDBPyConnection, batch: dict[str, list[dict]]) -> dict[str, int]:
    """Load one batch (table name → rows) in one transaction; return rows written per table.

    Child rows of every article in the batch are replaced as a set, so the batch must hold
    all of an article's observations and legal references.
    """
    article_ids = sorted({row["article_id"] for row in batch.get("articles", [])})
    written = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for table in CHILD_TABLES:
            if article_ids:
                con.execute(f'DELETE FROM "{table}" WHERE article_id IN (SELECT unnest(?))', [article_ids])
        for table in schemas.TABLES:
            if table in batch:
                written[table] = upsert(con, table, batch[table])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return written


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in schemas.TABLES}
