"""Write warehouse tables as Parquet (zstd) and CSV (UTF-8, RFC 4180) files.

Rows are ordered by primary key so that the same data always gives the same bytes: that is
what lets a run whose data did not change publish nothing new.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

import schemas


def _select(table: str, for_csv: bool) -> str:
    schema = schemas.load(table)
    columns = []
    for field in schema["fields"]:
        name = f'"{field["name"]}"'
        if for_csv and field["type"] == "datetime":
            # RFC 3339 with Viet Nam's offset, which is what the articles state.
            name = f"strftime({name} AT TIME ZONE 'Asia/Ho_Chi_Minh', '%Y-%m-%dT%H:%M:%S+07:00') AS {name}"
        columns.append(name)
    order = ", ".join(f'"{k}"' for k in schema["primaryKey"])
    return f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY {order}'


def export_table(con: duckdb.DuckDBPyConnection, table: str, folder: Path) -> dict[str, Path]:
    paths = {"csv": folder / f"{table}.csv", "parquet": folder / f"{table}.parquet"}
    con.execute(f"COPY ({_select(table, True)}) TO '{paths['csv']}' (FORMAT csv, HEADER true)")
    con.execute(
        f"COPY ({_select(table, False)}) TO '{paths['parquet']}' (FORMAT parquet, COMPRESSION zstd)"
    )
    return paths


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
