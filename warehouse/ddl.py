"""DuckDB DDL, view wrappers and Arrow schemas, generated from the Table Schemas in `schemas/`.

Nothing here names a column: the Table Schemas are the single source of truth, so the
warehouse, the Arrow batches it loads and the published resources cannot drift apart. A view's
SQL (warehouse/views.py) is wrapped in a projection generated from its Table Schema, so a view
has exactly the schema's columns, in its order, with its types — or fails to be created.

Primary keys are declared in the Table Schemas and kept by the loader, not by DuckDB: ids are
hashes of what identifies a row (warehouse/rows.py), every load anti-joins on them and keeps one
row per id (warehouse/load.py), tests load twice and count distinct ids, and the publish gate
checks every key before a release goes out. A DuckDB PRIMARY KEY is an ART index that DuckDB
reads whole into memory on the first insert of every connection — and the pipeline opens one
connection per batch. With them, one 500-article batch load took +106 MB into a warehouse of
10,000 real-length articles and +270 MB into one of 100,000, growing with the warehouse;
without them +97 and +140 MB, and 0.38 s instead of 0.64 at 100,000 (bench/load_memory.py;
DuckDB's documentation warns that ART indexes must fit in memory).
The warehouse had them up to schema version 3; version 4 rebuilds its tables without them
(warehouse/migrations.py; 31 s and 650 MB at 100,000 articles). Foreign keys are declared in the Table Schemas (and checked by the
publish gate) but not in DuckDB either: DuckDB forbids replacing a parent row that children
reference, which upserts need.

Every table has one column no Table Schema names: `_row_hash`, a hash of the row's values,
kept so that re-loading unchanged rows costs a join on (id, hash) instead of a rewrite. It is
bookkeeping — never published, never loaded from a batch.
"""

from __future__ import annotations

import pyarrow as pa

import schemas

ROW_HASH = "_row_hash"
INTERNAL_COLUMNS = {ROW_HASH: "UBIGINT"}

DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMPTZ",
}

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def column_sql(field: dict) -> str:
    column = f'{quote(field["name"])} {DUCKDB_TYPES[field["type"]]}'
    if field.get("constraints", {}).get("required"):
        column += " NOT NULL"
    return column


def create_table(table: str, name: str | None = None) -> str:
    """`table` as its Table Schema says, with no key index (module docstring); `name`: created
    under another name (a migration's rebuild)."""
    schema = schemas.load(table)
    columns = [column_sql(f) for f in schema["fields"]]
    columns += [f"{quote(column)} {typ}" for column, typ in INTERNAL_COLUMNS.items()]
    return f"CREATE TABLE IF NOT EXISTS {quote(name or table)} (\n  " + ",\n  ".join(columns) + "\n)"


def create_view(view: str, select_sql: str) -> str:
    """CREATE OR REPLACE VIEW `view` with exactly its Table Schema's columns and types."""
    columns = ",\n  ".join(
        f'CAST({quote(f["name"])} AS {DUCKDB_TYPES[f["type"]]}) AS {quote(f["name"])}'
        for f in schemas.load(view)["fields"]
    )
    return f"CREATE OR REPLACE VIEW {quote(view)} AS\nSELECT\n  {columns}\nFROM (\n{select_sql.strip()}\n) AS _v"


def data_columns(table: str) -> list[str]:
    """The columns a batch carries: the Table Schema's fields, without bookkeeping columns."""
    return schemas.field_names(table)


def arrow_schema(table: str) -> pa.Schema:
    fields = schemas.load(table)["fields"]
    return pa.schema(
        [
            pa.field(f["name"], ARROW_TYPES[f["type"]], nullable=not f.get("constraints", {}).get("required"))
            for f in fields
        ]
    )
