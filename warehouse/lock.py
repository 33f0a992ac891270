"""One writer at a time: an advisory lock file beside the warehouse, naming its holder.

DuckDB already refuses a second process that opens the file read-write, but only while the
first has it open — and the pipeline opens it briefly, once per batch, so that readers get
turns, and so that runs of different sites (other Prefect workers) load between each other's
batches. The lock makes each turn exclusive; a caller may hold it longer (`writer_lock`, e.g.
a test or a bulk import). It is re-entrant within a process (per-batch connections reuse it),
and is an flock: the kernel drops it when the holder dies, even by SIGKILL, so a crashed run
never leaves a stale lock behind. The file keeps the holder's pid and command line, so the one
who waits is told whom they wait for.

A holder that knows it keeps the lock long (a compaction rewrites the whole file: 50 s at
100,000 articles on a busy machine) says so: `holds_up_to` seconds, recorded in the file as a
wall-clock `until`. A waiter whose own wait (a load's 30 s, made for one batch's turn) runs out
keeps waiting until then, so a run's load that arrives during a compaction lands after it
instead of failing the run; past `until`, it refuses as usual. Only such a holder extends the
waits: a stuck load or a forgotten shell still gets a load refused after its own wait.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sys
import threading
import time
from pathlib import Path

from warehouse.settings import SETTINGS

_held: dict[Path, list] = {}  # warehouse path -> [fd, depth]
_guard = threading.Lock()


class WarehouseLocked(RuntimeError):
    """Another process holds the warehouse (for writing, or — for a writer — for reading)."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def holder(db_path: Path) -> str:
    """Who holds the lock, in words: 'process 123 (egov refresh) since 10:02:03Z'."""
    try:
        info = json.loads(lock_path(db_path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "another process"
    doing = f", a {info['purpose']}" if info.get("purpose") else ""
    return f"process {info.get('pid')} ({info.get('command', '?')}{doing}) since {info.get('since', '?')}"


def _holder_until(db_path: Path) -> float:
    """The wall-clock time until which the holder asked waiters to wait (0: it asked nothing)."""
    try:
        return float(json.loads(lock_path(db_path).read_text(encoding="utf-8") or "{}").get("until", 0))
    except (OSError, ValueError, TypeError, AttributeError):
        return 0.0


def _holder_recorded(db_path: Path, overdue: float) -> bool:
    """Has the holder written its record yet? A new holder writes it just after taking the lock,
    so for an instant the file is empty: a waiter whose wait ended in that instant would read no
    `until` and refuse behind a compaction that has not yet said how long it holds. An empty
    record gets `record_grace_s` more; after that, the holder is taken as having asked nothing."""
    try:
        written = lock_path(db_path).stat().st_size > 0
    except OSError:
        written = False
    return written or overdue >= SETTINGS["record_grace_s"]


@contextlib.contextmanager
def writer_lock(db_path: Path | str, wait: float, poll: float = 0.05, *,
                purpose: str | None = None, holds_up_to: float | None = None):
    """Hold the writer lock of `db_path`; wait up to `wait` seconds for it (longer while its holder
    said it may hold it longer), then refuse. `purpose` and `holds_up_to` (seconds): what this
    holder does and how long others should be ready to wait for it (module docstring)."""
    key = Path(db_path).resolve()
    with _guard:
        if key in _held:
            _held[key][1] += 1
            fd = None
        else:
            fd = _acquire(key, wait, poll, purpose, holds_up_to)
            _held[key] = [fd, 1]
    try:
        yield
    finally:
        with _guard:
            _held[key][1] -= 1
            if _held[key][1] == 0:
                fd = _held.pop(key)[0]
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)


def _acquire(key: Path, wait: float, poll: float, purpose: str | None, holds_up_to: float | None) -> int:
    key.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(key), os.O_RDWR | os.O_CREAT, 0o644)
    started = time.monotonic()
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            waited = time.monotonic() - started
            if waited >= wait and time.time() >= _holder_until(key) and _holder_recorded(key, waited - wait):
                os.close(fd)
                raise WarehouseLocked(
                    f"warehouse {key} is being written by {holder(key)}; waited "
                    f"{wait:g} s for it" + (f" ({waited:.0f} s: it asked for longer)" if waited > wait + 1 else "")
                    + " — try again when that run ends"
                ) from None
            time.sleep(poll)
    info = {"pid": os.getpid(), "command": " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv))[:200],
            "since": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if purpose:
        info["purpose"] = purpose
    if holds_up_to:
        info["until"] = time.time() + holds_up_to
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)
    return fd
