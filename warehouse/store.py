"""Opening the warehouse: one writer at a time, readers in between, always the current schema.

DuckDB lets one process open a database file read-write and then no other process open it at
all, not even read-only. So the pipeline keeps its write connections short — one per batch —
and holds the writer lock (warehouse/lock.py) across the run; a reader (egov query) waits for
the current batch to end instead of failing, and a writer waits for a reader's query the same
way. How long each waits is data (warehouse/settings.toml). Measured turn-taking: docs/queries.md.
"""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

import duckdb

from warehouse import migrations
from warehouse.lock import WarehouseLocked, holder, writer_lock
from warehouse.settings import SETTINGS



@contextlib.contextmanager
def connect(path: Path | str, *, read_only: bool = False, wait: float | None = None):
    """`with connect(path) as con:` a DuckDB connection to the warehouse at `path`.

    Read-write: takes the writer lock, then creates or migrates the schema. Read-only: refuses
    a missing file, and migrates an older warehouse first (briefly as a writer).
    `wait`: seconds to wait for another process (default: warehouse/settings.toml).
    """
    path = Path(path)
    if read_only:
        with _reader(path, wait) as con:
            yield con
        return
    wait = SETTINGS["writer_wait_s"] if wait is None else wait
    with writer_lock(path, wait, SETTINGS["poll_s"]):
        con = _open(path, False, wait)
        try:
            # The close's checkpoint must not rewrite what earlier batches stored (settings.toml)
            con.execute(f"SET max_vacuum_tasks = {int(SETTINGS['max_vacuum_tasks'])}")
            migrations.ensure(con, str(path))
            yield con
        finally:
            con.close()


@contextlib.contextmanager
def _reader(path: Path, wait: float | None):
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `egov demo` or `egov refresh` first")
    wait = SETTINGS["reader_wait_s"] if wait is None else wait
    con = _open(path, True, wait)
    try:
        found = migrations.version(con, str(path))
        migrations.check_not_newer(found, str(path))
        if found != migrations.SCHEMA_VERSION:  # older: migrate once, then read
            con.close()
            with connect(path, wait=wait):
                pass
            con = _open(path, True, wait)
        yield con
    finally:
        con.close()


def _open(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried while another process has the file open, up to `wait` seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseLocked(_locked_message(path, read_only, wait, str(exc))) from None
            time.sleep(SETTINGS["poll_s"])
    con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")  # show times as Viet Nam readers do
    return con


def _locked_message(path: Path, read_only: bool, wait: float, duckdb_message: str) -> str:
    pid = re.search(r"PID (\d+)", duckdb_message)
    who = f"process {pid.group(1)}" if pid else "another process"
    if read_only:
        who = holder(path) if holder(path) != "another process" else who
        return (f"warehouse {path} is in use by {who}, which is writing to it; DuckDB lets no one read "
                f"a file while another process writes it. Waited {wait:g} s — try again when the load ends")
    return (f"warehouse {path} is in use by {who} (a reader, or a writer that does not take egov's lock); "
            f"DuckDB allows one process at a time. Waited {wait:g} s — try again when it ends")
