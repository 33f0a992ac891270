"""Compaction: give back the space that deleted and replaced rows hold in the warehouse file.

Why a copy and not DuckDB's own vacuum: the loads set `max_vacuum_tasks = 0` (settings.toml), so
each batch keeps its row groups and an article re-processed leaves its old rows behind, marked
deleted, until the whole row group is. `SET max_vacuum_tasks = 100; CHECKPOINT` does merge the
row groups and drop those rows (it needs a change to checkpoint: with none, CHECKPOINT does
nothing), but DuckDB writes the merged groups to new blocks and only marks the old ones free for
later loads: the file never shrinks, and it grew 134 -> 181 MB on the 10,000-article warehouse of
bench/compact.py. `COPY FROM DATABASE` into a new file writes only the live rows, in full row
groups (134 -> 49 MB there), and the new file then takes the old one's name in one rename.

Safe against a crash at any point: the copy is written beside the warehouse under another name,
checked table by table (row count and a hash of every row) against the old file, synced, and only
then renamed over it; before the rename the old file is untouched, after it the new one is whole.
The writer lock is held throughout, as a load holds it, so no load runs meanwhile and compaction
waits its turn between a run's batches; it records itself in the lock as a compaction that may
hold it `compaction_hold_s` (settings.toml), so a run's load that arrives meanwhile waits for it
(warehouse/lock.py) instead of failing the run after a load's `writer_wait_s`. The old file is
read read-only, so `egov query` answers during the copy. Memory is bounded like a migration's (`compact_memory_limit`, settings.toml).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

import schemas
from warehouse import store
from warehouse.ddl import quote
from warehouse.lock import writer_lock

SETTINGS = store.SETTINGS


def compact(path: Path | str, *, wait: float | None = None) -> dict:
    """Rewrite the warehouse at `path` with only its live rows; return its figures before and after.

    {"path", "seconds", "before": figures, "after": figures} (see `figures`). Waits up to `wait`
    seconds (default: writer_wait_s) for a load to end, then raises WarehouseLocked."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `egov demo` or `egov refresh` first")
    wait = SETTINGS["writer_wait_s"] if wait is None else wait
    with writer_lock(path, wait, SETTINGS["poll_s"], purpose="compaction", holds_up_to=SETTINGS["compaction_hold_s"]):
        started = time.perf_counter()
        with store.connect(path, wait=wait):   # the current schema; its close leaves no WAL behind
            pass
        before = figures(path, wait)
        _rewrite(path, wait)
        after = figures(path, wait)
    return {"path": str(path), "seconds": time.perf_counter() - started, "before": before, "after": after}


def figures(path: Path | str, wait: float | None = None) -> dict:
    """{"bytes": file size, "tables": {table: {"row_groups", "rows", "deleted"}}} for our tables.

    `deleted`: rows the row groups still store but that were deleted (replaced by a re-load)."""
    path = Path(path)
    wait = SETTINGS["reader_wait_s"] if wait is None else wait
    tables = {}
    with store.connect(path, read_only=True, wait=wait) as con:
        for table in sorted(_base_tables(con) & set(schemas.STORED)):
            groups, stored = con.execute(
                "SELECT count(DISTINCT row_group_id), coalesce(sum(count) FILTER (column_path = '[0]'), 0) "
                "FROM pragma_storage_info(?)", [table]).fetchall()[0]
            live = con.execute(f"SELECT count(*) FROM {quote(table)}").fetchall()[0][0]
            tables[table] = {"row_groups": groups, "rows": live, "deleted": stored - live}
    return {"bytes": path.stat().st_size, "tables": tables}


def _rewrite(path: Path, wait: float) -> None:
    """Copy the live rows to a new file beside `path`, check it, and rename it over `path`."""
    fresh = path.with_name(path.name + ".compacting")
    _remove(fresh)                             # what a compaction killed midway left
    unchanged = _stamp(path)
    try:
        _copy(path, fresh, wait)
        if _stamp(path) != unchanged or _wal(path).exists():
            raise RuntimeError(f"warehouse {path} changed during compaction (a writer that does not take "
                               "egov's lock?); left as it was")
        if _wal(fresh).exists():
            raise RuntimeError(f"compacted copy {fresh} was not closed cleanly; warehouse {path} left as it was")
        _fsync(fresh)
        os.replace(fresh, path)
        _fsync(path.parent)
    finally:
        _remove(fresh)


def _copy(path: Path, fresh: Path, wait: float) -> None:
    """COPY FROM DATABASE within compact_memory_limit (DuckDB spills what does not fit); once more
    unbounded if it cannot fit at all, so a big warehouse costs memory, never its compaction."""
    try:
        _copy_within(path, fresh, wait, SETTINGS["compact_memory_limit"])
    except duckdb.OutOfMemoryException:
        _remove(fresh)
        _copy_within(path, fresh, wait, None)


def _copy_within(path: Path, fresh: Path, wait: float, memory_limit: str | None) -> None:
    with store.connect(path, read_only=True, wait=wait) as con:   # readers keep their turns meanwhile
        if memory_limit:
            con.execute(f"SET memory_limit = '{memory_limit}'")
        old = con.execute("SELECT current_database()").fetchall()[0][0]
        con.execute(f"ATTACH '{_sql_string(fresh)}' AS _compacted (READ_WRITE)")
        con.execute(f"COPY FROM DATABASE {quote(old)} TO _compacted")
        _check_same(con, old, "_compacted", path)
        con.execute("DETACH _compacted")       # checkpoints the copy: no WAL left beside it


def _check_same(con: duckdb.DuckDBPyConnection, old: str, new: str, path: Path) -> None:
    """Every table of the copy holds the rows of the original: same count, same hash of all rows."""
    tables = _base_tables(con, old)
    if tables != _base_tables(con, new):
        raise RuntimeError(f"compacted copy of {path} lacks tables; warehouse left as it was")
    for table in sorted(tables):
        sums = [con.execute(f"SELECT count(*), sum(hash(_row)) FROM {quote(db)}.{quote(table)} AS _row").fetchall()[0]
                for db in (old, new)]
        if sums[0] != sums[1]:
            raise RuntimeError(f"compacted copy of {path}: table {table} differs ({sums[0][0]} rows, "
                               f"copy {sums[1][0]}); warehouse left as it was")


def _base_tables(con: duckdb.DuckDBPyConnection, database: str | None = None) -> set[str]:
    database = database or con.execute("SELECT current_database()").fetchall()[0][0]
    return {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND NOT temporary", [database]).fetchall()}


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    for p in (path, _wal(path)):
        p.unlink(missing_ok=True)


def _sql_string(path: Path) -> str:
    return str(path).replace("'", "''")
