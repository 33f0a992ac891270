"""DuckDB DDL and Arrow schemas, generated from the Table Schemas in `schemas/`.

Nothing here names a column: the Table Schemas are the single source of truth, so the
warehouse, the Arrow batches it loads and the published resources cannot drift apart.
Foreign keys are declared in the Table Schemas (and checked by the publish gate) but not in
DuckDB: DuckDB forbids replacing a parent row that children reference, which upserts need.
"""

from __future__ import annotations

import pyarrow as pa

import schemas

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


def create_table(table: str) -> str:
    schema = schemas.load(table)
    columns = []
    for field in schema["fields"]:
        column = f'"{field["name"]}" {DUCKDB_TYPES[field["type"]]}'
        if field.get("constraints", {}).get("required"):
            column += " NOT NULL"
        columns.append(column)
    keys = ", ".join(f'"{k}"' for k in schema["primaryKey"])
    columns.append(f"PRIMARY KEY ({keys})")
    return f'CREATE TABLE IF NOT EXISTS "{table}" (\n  ' + ",\n  ".join(columns) + "\n)"


def arrow_schema(table: str) -> pa.Schema:
    fields = schemas.load(table)["fields"]
    return pa.schema(
        [
            pa.field(f["name"], ARROW_TYPES[f["type"]], nullable=not f.get("constraints", {}).get("required"))
            for f in fields
        ]
    )
