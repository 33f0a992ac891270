"""The crawl frontier and fetch log, in a SQLite file per site: what makes a killed crawl resumable.

Why a file per site and not the warehouse: a crawl keeps its frontier open for as long as it
runs (minutes to hours at a polite rate). In the warehouse, that would lock readers (`egov
query`) and every other run out for the whole crawl; in a file of its own per site, runs of
different sites (other Prefect workers) crawl side by side, and a second run of the same site is
refused at once (`FrontierBusy`). Why not in the generated tables of schemas/: these are the
crawler's working state, not published data. The flows keep the files under
`$EGOV_HOME/frontier/<site>.sqlite`; a `.duckdb` frontier an earlier version left there is
simply not resumed (those sites are crawled afresh), and a DuckDB file opened here by mistake is
refused with an error that says so.

Why SQLite (stdlib sqlite3) and not DuckDB: the workload is OLTP — enqueue a site's URLs once,
append a batch of page records every 200 pages or 2 s, read back on resume — and a flow keeps
one file open per site. Each DuckDB instance brought its own buffer manager and in-memory
write-ahead log; SQLite's page cache is ~2 MB per connection. 8 frontiers × 12,500 pages
(issue 8's RSS probe, medians of 3 side by side, imports 81 MB either way): RSS at the end
275 → 115 MB, peak 291 → 115 MB (210 → 33 MB above imports); recording the 100,000 pages
4.99 → 1.70 s, resuming them 0.96 → 0.83 s.

One run at a time: an exclusive, non-blocking `flock` on a sidecar `<file>.lock`, held for the
Frontier's life, makes a second opener (another process, or another Frontier in this process)
fail at once with `FrontierBusy`. SQLite's own locks are per transaction, not per connection,
so they cannot say "a run has this site". The lock is on a sidecar and not on the database's own
descriptor because SQLite locks the database with POSIX fcntl locks, which the kernel drops for
the whole process as soon as *any* descriptor of that file is closed (sqlite.org/howtocorrupt.html
§2.2): a second descriptor of ours there could silently unlock SQLite. The sidecar is never
deleted (deleting it would let two runs lock two different inodes).

Tables (created here, IF NOT EXISTS):
- `crawl_sessions`  one open crawl per site: its run, whether discovery finished;
- `crawl_frontier`  the session's queue of article URLs, in order;
- `crawl_done`      the session's pages stored so far (append-only);
- `fetch_log`       every page outcome of every run, append-only: the per-URL failure record.
Page records are JSON text.

Records are buffered and committed in one transaction every `frontier_batch_pages` pages or
`frontier_batch_s` seconds (warehouse/settings.toml; the time is checked as records arrive), at
`finish`, at `close`, and before any read. A transaction per page cost more than fetching the
page (bench/crawl.py). The journal is WAL with synchronous=NORMAL: a commit is in the OS's hands
before it returns, so it survives a process crash (SIGKILL) — only a power loss or kernel crash
can take back the last commits. So a SIGKILL loses at most the uncommitted buffer and the pages
in flight: those are simply fetched again; everything committed `done` is returned by `start` on
the next run and not fetched again. `Frontier` implements extractors.crawlstate.Frontier; it is
called from the crawler's worker threads, so every call takes one lock around one connection.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from warehouse.settings import SETTINGS

DDL = """
CREATE TABLE IF NOT EXISTS crawl_sessions (
    site_id TEXT PRIMARY KEY, run_id TEXT, started_at TEXT, discovered INTEGER);
CREATE TABLE IF NOT EXISTS crawl_frontier (
    site_id TEXT, url TEXT, position INTEGER, PRIMARY KEY (site_id, url));
CREATE TABLE IF NOT EXISTS crawl_done (site_id TEXT, url TEXT, page TEXT);
CREATE TABLE IF NOT EXISTS fetch_log (
    run_id TEXT, site_id TEXT, url TEXT, status INTEGER, fetched_at TEXT, sha256 TEXT,
    bytes INTEGER, unchanged INTEGER, error TEXT, page TEXT);
"""


def _lock(path: Path) -> int:
    """The run's claim on the site: an exclusive flock on `<path>.lock`, or FrontierBusy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise FrontierBusy(f"another run is crawling it: its frontier {path} is open") from None
    return fd


def _open(path: Path) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; every write here says BEGIN … COMMIT.
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        con.executescript(DDL)
    except sqlite3.DatabaseError as exc:
        con.close()
        if "not a database" not in str(exc):
            raise
        raise sqlite3.DatabaseError(
            f"{path} is not a SQLite frontier (a DuckDB one from an earlier version?): "
            "move it away to crawl the site afresh") from None
    return con


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _log_row(run_id: str | None, page: dict, blob: str) -> tuple:
    unchanged = page.get("unchanged")
    return (run_id, page.get("site_id"), page.get("url"), page.get("status"), page.get("fetched_at"),
            page.get("sha256"), page.get("bytes"), None if unchanged is None else bool(unchanged),
            page.get("error"), blob)


class FrontierBusy(RuntimeError):
    """Another run has the frontier file open: another run is crawling this site."""


class Frontier:
    """One site's frontier file (any number of sites may share one): `Frontier(path)`."""

    def __init__(self, path: Path | str, *, batch_pages: int | None = None, batch_s: float | None = None):
        path = Path(path)
        self._lockfd = _lock(path)
        try:
            self._con = _open(path)
        except BaseException:
            os.close(self._lockfd)
            raise
        self._lock = threading.Lock()
        self._runs: dict[str, str] = {}
        self.batch_pages = SETTINGS["frontier_batch_pages"] if batch_pages is None else batch_pages
        self.batch_s = SETTINGS["frontier_batch_s"] if batch_s is None else batch_s
        self._buffer: list[tuple[str | None, dict]] = []
        self._flushed_at = time.monotonic()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            with self._lock:
                if self._lockfd >= 0:
                    self._con.close()          # first the database, then the claim on it
                    os.close(self._lockfd)
                    self._lockfd = -1

    def __enter__(self) -> "Frontier":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- extractors.crawlstate.Frontier --------------------------------------------------------

    def start(self, site_id: str, run_id: str) -> list[dict]:
        with self._lock:
            self._flush()
            self._runs[site_id] = run_id
            open_session = self._con.execute(
                "SELECT run_id FROM crawl_sessions WHERE site_id = ?", [site_id]).fetchall()
            if not open_session:
                self._con.execute("BEGIN")
                self._con.execute("INSERT INTO crawl_sessions VALUES (?, ?, ?, 0)", [site_id, run_id, _now()])
                self._con.execute("DELETE FROM crawl_frontier WHERE site_id = ?", [site_id])
                self._con.execute("DELETE FROM crawl_done WHERE site_id = ?", [site_id])
                self._con.execute("COMMIT")
                return []
            # max(d.rowid) makes SQLite take the bare d.page from that row: a URL's latest record.
            rows = self._con.execute(
                """SELECT d.page, max(d.rowid) FROM crawl_done d
                   JOIN crawl_frontier f ON f.site_id = d.site_id AND f.url = d.url
                   WHERE d.site_id = ? GROUP BY f.position ORDER BY f.position""", [site_id]).fetchall()
        return [json.loads(page) for page, _ in rows]

    def pending(self, site_id: str) -> list[str] | None:
        with self._lock:
            found = self._con.execute(
                "SELECT discovered FROM crawl_sessions WHERE site_id = ?", [site_id]).fetchall()
            if not found or not found[0][0]:
                return None
            rows = self._con.execute(
                "SELECT url FROM crawl_frontier WHERE site_id = ? ORDER BY position", [site_id]).fetchall()
        return [url for (url,) in rows]

    def enqueue(self, site_id: str, urls: list[str]) -> None:
        with self._lock:
            self._con.execute("BEGIN")
            try:
                self._con.execute("DELETE FROM crawl_frontier WHERE site_id = ?", [site_id])
                self._con.executemany("INSERT INTO crawl_frontier (site_id, url, position) VALUES (?, ?, ?)",
                                      ((site_id, url, k) for k, url in enumerate(urls)))
                self._con.execute("UPDATE crawl_sessions SET discovered = 1 WHERE site_id = ?", [site_id])
                self._con.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def record(self, page: dict) -> None:
        with self._lock:
            self._buffer.append((self._runs.get(page["site_id"]), dict(page)))
            if len(self._buffer) >= self.batch_pages or time.monotonic() - self._flushed_at >= self.batch_s:
                self._flush()

    def flush(self) -> None:
        """Commit the buffered records now (finish, close and every read do this themselves)."""
        with self._lock:
            self._flush()

    def _flush(self) -> None:
        """One transaction for the whole buffer; on failure the buffer is kept for the next try."""
        self._flushed_at = time.monotonic()
        if not self._buffer:
            return
        buffered, self._buffer = self._buffer, []
        try:
            rows = [_log_row(run_id, page, json.dumps(page, ensure_ascii=False)) for run_id, page in buffered]
            self._con.execute("BEGIN")
            self._con.executemany("INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._con.executemany("INSERT INTO crawl_done VALUES (?, ?, ?)",
                                  [(r[1], r[2], r[9]) for r in rows if r[8] is None])
            self._con.execute("COMMIT")
        except BaseException:
            self._rollback()
            self._buffer = buffered + self._buffer
            raise

    def _rollback(self) -> None:
        if self._con.in_transaction:
            self._con.execute("ROLLBACK")

    def finish(self, site_id: str) -> None:
        with self._lock:
            self._flush()
            self._con.execute("BEGIN")
            for table in ("crawl_frontier", "crawl_done", "crawl_sessions"):
                self._con.execute(f"DELETE FROM {table} WHERE site_id = ?", [site_id])
            self._con.execute("COMMIT")

    # -- for reports and tests -----------------------------------------------------------------

    def failures(self, run_id: str | None = None) -> list[tuple[str, str]]:
        """(url, error) of every failed page in the fetch log (of one run, if given)."""
        sql = "SELECT url, error FROM fetch_log WHERE error IS NOT NULL"
        with self._lock:
            self._flush()
            if run_id is None:
                return self._con.execute(sql + " ORDER BY fetched_at").fetchall()
            return self._con.execute(sql + " AND run_id = ? ORDER BY fetched_at", [run_id]).fetchall()
