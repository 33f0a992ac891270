"""Schema versions: bring any older warehouse forward to what the code expects, or refuse.

A warehouse records its schema version in `_meta`. Opening it for writing runs, in one
transaction, everything between its version and SCHEMA_VERSION: tables the Table Schemas
name but the file lacks are created, columns appended to a Table Schema are added (a field may
only be appended, so a migrated table has the same column order as a new one), then each
version's own backfill SQL runs, row hashes are recomputed and the views are recreated from
their Table Schemas. Nothing is dropped but the key indexes of version 3 and earlier: a table
that has one is rebuilt without it, rows and column order kept (why: warehouse/ddl.py). A warehouse newer than the code is refused: an old
egov must not rewrite tables it does not understand.
"""

from __future__ import annotations

import duckdb

import schemas
from warehouse.ddl import INTERNAL_COLUMNS, ROW_HASH, column_sql, create_table, create_view, quote
from warehouse.settings import SETTINGS
from warehouse.views import VIEWS

SCHEMA_VERSION = 4

# What each version adds beyond new tables and columns (which are generic): the backfills.
BACKFILLS: dict[int, list[str]] = {
    2: [
        # v1 stored a parse failure's message as "parse failed for <url>: …" in pages.error.
        """UPDATE pages SET failure_kind = CASE WHEN error LIKE 'parse failed%' THEN 'parse'
                                               WHEN error IS NOT NULL THEN 'fetch' END""",
        # The crawl log starts with what v1 kept: each page's last attempt.
        """INSERT INTO page_fetches (run_id, page_id, source_id, url, fetched_at, status,
                                                unchanged, failure_kind, error)
           SELECT run_id, page_id, source_id, url, fetched_at, status, unchanged, failure_kind, error FROM pages""",
    ],
    # v3 appends observations.subject (added generically). No SQL can read a noun phrase back out
    # of `sentence`, so rows loaded before v3 keep it empty until `egov reprocess` re-extracts them.
    3: [],
    # v4 drops the key indexes (PRIMARY KEY constraints): every table that has one is rebuilt
    # without it (_rebuild_unkeyed, generic like new columns); nothing to backfill.
    4: [],
}


class WarehouseTooNew(RuntimeError):
    """The warehouse was written by a newer egov-data than this one."""


class NotAWarehouse(RuntimeError):
    """The file is a DuckDB database, but not an egov-data warehouse."""


def version(con: duckdb.DuckDBPyConnection, where: str = "the database") -> int | None:
    """The warehouse's schema version; None when none of its tables exist yet.

    Other tables may share the file (the crawl frontier keeps its own there); a table of ours
    without `_meta` means the file is someone else's, and it is left alone."""
    tables = _tables(con)
    if "_meta" not in tables:
        ours = sorted(tables & set(schemas.STORED))
        if ours:
            raise NotAWarehouse(f"{where} has a table {ours[0]!r} but no _meta table: not an egov-data "
                                "warehouse, left untouched")
        return None
    found = con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchall()
    return int(found[0][0]) if found else 1


def check_not_newer(found: int | None, where: str) -> None:
    if found is not None and found > SCHEMA_VERSION:
        raise WarehouseTooNew(
            f"warehouse {where} has schema version {found}, but this egov-data understands up to "
            f"{SCHEMA_VERSION}: upgrade egov-data to use it (it was left untouched)"
        )


def ensure(con: duckdb.DuckDBPyConnection, where: str) -> int | None:
    """Create or migrate the warehouse behind a read-write `con`; return the version it had."""
    found = version(con, where)
    check_not_newer(found, where)
    if found == SCHEMA_VERSION:
        return found
    # A migration copies or rewrites whole tables in one transaction: within DuckDB's default
    # limit (80% of RAM) it kept 2.7 GB at 100,000 articles, within this one 650 MB. What does
    # not fit runs once more unbounded, so a big warehouse costs memory, never its migration.
    con.execute(f"SET memory_limit = '{SETTINGS['migration_memory_limit']}'")
    try:
        _migrate(con, found)
    except duckdb.OutOfMemoryException:
        con.execute("RESET memory_limit")
        _migrate(con, found)
    finally:
        con.execute("RESET memory_limit")
    return found


def _migrate(con: duckdb.DuckDBPyConnection, found: int | None) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE TABLE IF NOT EXISTS _meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        for table in schemas.STORED:
            _create_or_extend(con, table)
        for step in range((found or SCHEMA_VERSION) + 1, SCHEMA_VERSION + 1):
            for sql in BACKFILLS.get(step, []):
                con.execute(sql)
        for table in schemas.STORED:
            if _has_index(con, table):
                _rebuild_unkeyed(con, table)      # its copy computes the row hashes
            else:
                con.execute(f"UPDATE {quote(table)} SET {ROW_HASH} = {row_hash_sql(table)}")
        for view in schemas.VIEWS:
            con.execute(create_view(view, VIEWS[view]))
        con.execute("INSERT OR REPLACE INTO _meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def row_hash_sql(table: str, prefix: str = "") -> str:
    """The hash of a row's values, in Table Schema order — one formula for loads and migrations."""
    return "hash(" + ", ".join(prefix + quote(c) for c in schemas.field_names(table)) + ")"


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'").fetchall()}


def _create_or_extend(con: duckdb.DuckDBPyConnection, table: str) -> None:
    existing = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()]
    if not existing:
        con.execute(create_table(table))
        return
    wanted = schemas.field_names(table) + list(INTERNAL_COLUMNS)
    data_present = [c for c in existing if c not in INTERNAL_COLUMNS]
    if data_present != wanted[: len(data_present)]:
        raise RuntimeError(f"table {table}: columns {data_present} are not a prefix of its Table Schema's "
                           f"{wanted}; a field may only be appended — write a migration for this change")
    fields = {f["name"]: f for f in schemas.load(table)["fields"]}
    for name in wanted[len(data_present):]:
        if name in existing:
            continue
        if name in INTERNAL_COLUMNS:
            con.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(name)} {INTERNAL_COLUMNS[name]}")
        else:  # NOT NULL cannot be added to rows that exist: a required new field needs a backfill
            con.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {column_sql(fields[name]).removesuffix(' NOT NULL')}")


def _has_index(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute("SELECT index_count FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?",
                       [table]).fetchall()[0][0] > 0


def _rebuild_unkeyed(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """`table` copied, with fresh row hashes, into a new one without its key index, which then
    takes its name. DuckDB can neither drop a PRIMARY KEY constraint nor its index: only a new
    table is without one."""
    fields = ", ".join(quote(c) for c in schemas.field_names(table))
    rebuilt = f"{table}__v4"
    con.execute(create_table(table, rebuilt))
    con.execute(f"INSERT INTO {quote(rebuilt)} ({fields}, {ROW_HASH}) "
                f"SELECT {fields}, {row_hash_sql(table)} FROM {quote(table)}")
    con.execute(f"DROP TABLE {quote(table)}")
    con.execute(f"ALTER TABLE {quote(rebuilt)} RENAME TO {quote(table)}")
