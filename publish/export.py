"""Write each resource as CSV (UTF-8, RFC 4180) and Parquet (zstd), and all of them as one
DuckDB database file.

Rows are ordered by primary key so that the same data always gives the same bytes: that is
what lets a run whose data did not change publish nothing new. A large resource's CSV is
written in parts of `part_rows` rows, each with the header, and the published file is their
exact concatenation (headers after the first dropped): the gate validates the parts in
parallel and proves, by hash, that they are the published file.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from pathlib import Path

import duckdb

from publish.settings import DATABASE_FILE, default

PARTS = ".parts"


def _columns(schema: dict, for_csv: bool) -> str:
    columns = []
    for field in schema["fields"]:
        name = f'"{field["name"]}"'
        if for_csv and field["type"] == "datetime":
            # RFC 3339 with Viet Nam's offset, which is what the articles state.
            name = f"strftime({name} AT TIME ZONE 'Asia/Ho_Chi_Minh', '%Y-%m-%dT%H:%M:%S+07:00') AS {name}"
        columns.append(name)
    return ", ".join(columns)


def export_resource(con: duckdb.DuckDBPyConnection, res: dict, folder: Path, part_rows: int,
                    parts_up_to: int | None = None, row_group_bytes: str | None = None) -> dict:
    """Write `res` (from tables.published) under `folder`; return its paths, parts and row count.
    A CSV of more than `parts_up_to` rows is written whole: DuckDB, not frictionless, checks it."""
    schema, name = res["schema"], res["name"]
    row_group_bytes = row_group_bytes or default().row_group_bytes
    order = ", ".join(f'"{k}"' for k in schema["primaryKey"])
    # Sorted once; scans of the temporary table keep that order (preserve_insertion_order).
    con.execute("SET preserve_insertion_order = true")
    try:
        _sorted_copy(con, res["relation"], _columns(schema, False), order, res.get("sort_chunk_rows"))
        rows = con.execute("SELECT count(*) FROM _egov_export").fetchall()[0][0]
        paths = {"csv": folder / f"{name}.csv", "parquet": folder / f"{name}.parquet"}
        with _one_thread(con):
            con.execute(f"COPY (SELECT {_columns(schema, False)} FROM _egov_export) "
                        f"TO '{paths['parquet']}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE_BYTES '{row_group_bytes}')")
            if rows <= part_rows or (parts_up_to is not None and rows > parts_up_to):
                _copy_csv(con, schema, paths["csv"])
                parts = [{"path": paths["csv"], "first_row": 0}]
            else:
                parts = _write_csv_parts(con, schema, folder / PARTS, name, rows, part_rows)
                _concatenate(parts, paths["csv"])
    finally:
        con.execute("DROP TABLE IF EXISTS _egov_export")
        con.execute("DROP TABLE IF EXISTS _egov_keys")
    return {"paths": paths, "parts": parts, "rows": rows}


@contextlib.contextmanager
def _one_thread(con):
    """The files are written by one DuckDB thread. Threads writing in order hold the output of a
    whole storage row group (122,880 rows) each until its turn: for 100,000 articles of ~6,000
    characters, a 1 GB allocation for the CSV, and the Parquet ran out of 512 MB."""
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {threads}")


def _sorted_copy(con, relation: str, columns: str, order: str, chunk_rows: int | None) -> None:
    """`_egov_export`: the relation's rows in key order, numbered by `_rn`. With `chunk_rows`,
    only the keys are sorted whole and the rows follow in chunks of that many, each sorted on
    its own: DuckDB cannot spill a sort of full article texts, and 100,000 articles of ~6,000
    characters then needed more than the memory limit."""
    if not chunk_rows:
        con.execute(f'CREATE TEMP TABLE _egov_export AS SELECT row_number() OVER (ORDER BY {order}) AS _rn, '
                    f'{columns} FROM "{relation}" ORDER BY {order}')
        return
    con.execute(f'CREATE TEMP TABLE _egov_keys AS SELECT {order}, row_number() OVER (ORDER BY {order}) AS _rn '
                f'FROM "{relation}"')
    con.execute(f'CREATE TEMP TABLE _egov_export AS SELECT 0::BIGINT AS _rn, {columns} FROM "{relation}" LIMIT 0')
    rows = con.execute("SELECT count(*) FROM _egov_keys").fetchall()[0][0]
    for first in range(0, rows, chunk_rows):
        con.execute(f'INSERT INTO _egov_export SELECT k._rn, {columns} FROM "{relation}" JOIN _egov_keys k USING ({order}) '
                    f'WHERE k._rn > {first} AND k._rn <= {first + chunk_rows} ORDER BY k._rn')


def _copy_csv(con, schema: dict, path: Path, where: str = "true") -> None:
    con.execute(f"COPY (SELECT {_columns(schema, True)} FROM _egov_export WHERE {where}) TO '{path}' (FORMAT csv, HEADER true)")


def _write_csv_parts(con, schema: dict, folder: Path, name: str, rows: int, part_rows: int) -> list[dict]:
    folder.mkdir(exist_ok=True)
    parts = []
    for i, first in enumerate(range(0, rows, part_rows)):
        path = folder / f"{name}.{i:04d}.csv"
        _copy_csv(con, schema, path, f"_rn > {first} AND _rn <= {first + part_rows}")
        parts.append({"path": path, "first_row": first})
    return parts


def _concatenate(parts: list[dict], target: Path) -> None:
    with target.open("wb") as out:
        for i, part in enumerate(parts):
            with part["path"].open("rb") as fh:
                if i:
                    fh.readline()  # the header, written once
                shutil.copyfileobj(fh, out, 1 << 20)


def part_bytes(parts: list[dict]):
    """The bytes the published CSV must equal, streamed from its parts."""
    for i, part in enumerate(parts):
        with Path(part["path"]).open("rb") as fh:
            if i:
                fh.readline()
            yield from iter(lambda: fh.read(1 << 20), b"")


def write_database(resources: list[dict], files: dict, staging: Path, memory_limit: str | None = None) -> Path:
    """One DuckDB file holding every resource as a table (read from its Parquet), documented
    with the Table Schemas' descriptions, for users who ATTACH and query at once. Past
    `memory_limit`, DuckDB writes out what it buffered: unbounded, it held a 100,000-article
    release's tables whole (+700 MB)."""
    path = staging / DATABASE_FILE
    with duckdb.connect(str(path), config={"memory_limit": memory_limit} if memory_limit else {}) as db:
        for res in resources:
            name = res["name"]
            db.execute(f"CREATE TABLE \"{name}\" AS SELECT * FROM read_parquet('{files[name]['paths']['parquet']}')")
            db.execute(f"COMMENT ON TABLE \"{name}\" IS {_quote(res['schema'].get('description', ''))}")
            for field in res["schema"]["fields"]:
                db.execute(f'COMMENT ON COLUMN "{name}"."{field["name"]}" IS {_quote(field.get("description", ""))}')
        db.execute("CHECKPOINT")
    return path


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
