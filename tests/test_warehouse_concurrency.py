"""One writer at a time, readers in between, and loads that survive SIGKILL — with real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import warehouse
from tests.warehouse_batches import article_batch

REPO = Path(__file__).resolve().parents[1]
PER_BATCH = 100 * 100  # tests/warehouse_batches.numbered_batch


def _loader(path: Path, batches: int, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.warehouse_loader", str(path), str(batches), *args],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(proc: subprocess.Popen, prefix: str) -> str:
    for line in proc.stdout:
        if line.startswith(prefix):
            return line
    raise AssertionError(f"loader ended without printing {prefix!r}: {proc.stderr.read()}")


def test_second_writer_is_refused_with_the_holders_pid(tmp_path):
    path = tmp_path / "w.duckdb"
    with warehouse.connect(path):
        proc = _loader(path, 1, "--wait", "0.3")
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err
    assert out.startswith("LOCKED") and f"being written by process {os.getpid()}" in out
    assert "waited 0.3 s" in out


def test_second_writer_waits_for_the_first(tmp_path):
    path = tmp_path / "w.duckdb"
    holder = _loader(path, 1, "--hold", "1.0")
    _wait_for(holder, "open")
    started = time.monotonic()
    with warehouse.connect(path, wait=30) as con:  # blocks until the holder has loaded and closed
        waited = time.monotonic() - started
        assert warehouse.row_counts(con)["observations"] == PER_BATCH
    holder.wait(timeout=60)
    assert waited > 0.5


def test_readers_keep_working_while_a_run_loads(tmp_path):
    path = tmp_path / "w.duckdb"
    with warehouse.connect(path) as con:
        warehouse.load_batch(con, article_batch())
    writer = _loader(path, 8, "--per-batch")
    _wait_for(writer, "committed 0")
    seen = []
    while writer.poll() is None:
        with warehouse.connect(path, read_only=True, wait=20) as con:
            seen.append(con.execute("SELECT count(*) FROM observations").fetchall()[0][0])
    assert writer.returncode == 0, writer.stderr.read()
    assert len(seen) >= 2 and seen == sorted(seen)
    assert all((n - 3) % PER_BATCH == 0 for n in seen)  # whole batches only, ever


def test_a_reader_blocks_a_writer_only_while_it_reads(tmp_path):
    path = tmp_path / "w.duckdb"
    with warehouse.connect(path):
        pass
    with warehouse.connect(path, read_only=True):
        proc = _loader(path, 1, "--wait", "0.3")
        out, _ = proc.communicate(timeout=60)
    assert "LOCKED" in out and "DuckDB allows one process at a time" in out
    assert _loader(path, 1).wait(timeout=60) == 0


def test_killed_load_leaves_whole_batches_and_a_rerun_completes_it(tmp_path):
    path = tmp_path / "w.duckdb"
    proc = _loader(path, 12)
    _wait_for(proc, "committed 1")
    time.sleep(0.15)  # well inside a later batch
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with warehouse.connect(path, wait=5) as con:  # opens at once: the kernel dropped the dead writer's lock
        n_obs = warehouse.row_counts(con)["observations"]
        n_articles = warehouse.row_counts(con)["articles"]
        per_article = con.execute("SELECT DISTINCT count(*) FROM observations GROUP BY article_id").fetchall()
    assert n_obs % PER_BATCH == 0 and 2 * PER_BATCH <= n_obs < 12 * PER_BATCH, n_obs
    assert n_articles * 100 == n_obs and per_article == [(100,)]
    rerun = _loader(path, 12)
    assert rerun.wait(timeout=120) == 0, rerun.stderr.read()
    with warehouse.connect(path) as con:
        total, distinct = con.execute("SELECT count(*), count(DISTINCT observation_id) FROM observations").fetchall()[0]
    assert total == distinct == 12 * PER_BATCH


@pytest.mark.parametrize("wait", [0.2])
def test_lock_is_reentrant_within_a_process(tmp_path, wait):
    path = tmp_path / "w.duckdb"
    with warehouse.writer_lock(path, wait=wait):
        with warehouse.connect(path, wait=wait) as con:
            warehouse.load_batch(con, article_batch())
        with warehouse.connect(path, wait=wait) as con:
            assert warehouse.row_counts(con)["articles"] == 1


# A holder that takes the flock and writes its record only 0.4 s later, asking waiters to wait
# for it (as a compaction does), then lets go 0.6 s after that. Exaggerates the instant between
# a real holder's flock and its record.
_SLOW_RECORDER = """
import fcntl, json, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
os.ftruncate(fd, 0)
print("locked", flush=True)
time.sleep(0.4)
os.pwrite(fd, json.dumps({"pid": os.getpid(), "purpose": "compaction", "until": time.time() + 30}).encode(), 0)
time.sleep(0.6)
os.ftruncate(fd, 0)
fcntl.flock(fd, fcntl.LOCK_UN)
"""


def test_a_waiter_gives_a_holder_that_has_not_yet_written_its_record_time_to_say_how_long_it_holds(tmp_path):
    path = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", _SLOW_RECORDER, str(str(path) + ".lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with warehouse.writer_lock(path, wait=0.05):    # its own wait ends while the record is empty
            waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert waited > 0.5                                  # it read the record, then waited for the holder
