"""The crawl frontier and fetch log, in the warehouse file: what makes a killed crawl resumable.

Why in the warehouse: the frontier describes the same pages the `pages` table does, and a run
is resumed from the same file it loads; one file to back up, one lock to respect. Why not in the
generated tables of schemas/: these are the crawler's working state, not published data.

Tables (created here, IF NOT EXISTS):
- `crawl_sessions`  one open crawl per site: its run, whether discovery finished;
- `crawl_frontier`  the session's queue of article URLs and each one's state (queued | done);
- `fetch_log`       every page outcome of every run, append-only: the per-URL failure record.

Each `record` is its own transaction, committed before the crawler moves on, so a SIGKILL loses
at most the pages in flight: everything recorded `done` is returned by `start` on the next run
and not fetched again. `Frontier` implements extractors.crawlstate.Frontier; it is called from
the crawler's worker threads, so every call takes one lock around one cursor.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path

import duckdb

DDL = (
    """CREATE TABLE IF NOT EXISTS crawl_sessions (
        site_id VARCHAR PRIMARY KEY, run_id VARCHAR, started_at TIMESTAMPTZ, discovered BOOLEAN)""",
    """CREATE TABLE IF NOT EXISTS crawl_frontier (
        site_id VARCHAR, url VARCHAR, position INTEGER, state VARCHAR, page JSON, updated_at TIMESTAMPTZ,
        PRIMARY KEY (site_id, url))""",
    """CREATE TABLE IF NOT EXISTS fetch_log (
        run_id VARCHAR, site_id VARCHAR, url VARCHAR, status INTEGER, fetched_at VARCHAR, sha256 VARCHAR,
        bytes BIGINT, unchanged BOOLEAN, error VARCHAR, page JSON)""",
)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Frontier:
    """The warehouse's frontier. `Frontier(path)` opens its own connection; `Frontier(con=…)` shares one."""

    def __init__(self, path: Path | str | None = None, *, con: duckdb.DuckDBPyConnection | None = None):
        if con is None and path is None:
            raise ValueError("Frontier needs a warehouse path or a connection")
        self._own = con is None
        self._con = con if con is not None else duckdb.connect(str(path))
        self._lock = threading.Lock()
        self._runs: dict[str, str] = {}
        with self._lock:
            for statement in DDL:
                self._con.execute(statement)

    def close(self) -> None:
        if self._own:
            self._con.close()

    def __enter__(self) -> "Frontier":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- extractors.crawlstate.Frontier --------------------------------------------------------

    def start(self, site_id: str, run_id: str) -> list[dict]:
        with self._lock:
            self._runs[site_id] = run_id
            open_session = self._con.execute(
                "SELECT run_id FROM crawl_sessions WHERE site_id = ?", [site_id]).fetchall()
            if not open_session:
                self._con.execute("INSERT INTO crawl_sessions VALUES (?, ?, ?, false)", [site_id, run_id, _now()])
                self._con.execute("DELETE FROM crawl_frontier WHERE site_id = ?", [site_id])
                return []
            rows = self._con.execute(
                "SELECT page FROM crawl_frontier WHERE site_id = ? AND state = 'done' ORDER BY position",
                [site_id]).fetchall()
        return [json.loads(page) for (page,) in rows]

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
        now = _now()
        with self._lock:
            self._con.execute("BEGIN")
            self._con.execute("DELETE FROM crawl_frontier WHERE site_id = ?", [site_id])
            if urls:
                self._con.executemany(
                    "INSERT INTO crawl_frontier VALUES (?, ?, ?, 'queued', NULL, ?)",
                    [[site_id, url, n, now] for n, url in enumerate(urls)])
            self._con.execute("UPDATE crawl_sessions SET discovered = true WHERE site_id = ?", [site_id])
            self._con.execute("COMMIT")

    def record(self, page: dict) -> None:
        site_id, blob = page["site_id"], json.dumps(page, ensure_ascii=False)
        with self._lock:
            self._con.execute("BEGIN")
            self._con.execute(
                "INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [self._runs.get(site_id), site_id, page["url"], page.get("status"), page.get("fetched_at"),
                 page.get("sha256"), page.get("bytes"), page.get("unchanged"), page.get("error"), blob])
            if not page.get("error"):
                self._con.execute(
                    "UPDATE crawl_frontier SET state = 'done', page = ?, updated_at = ? WHERE site_id = ? AND url = ?",
                    [blob, _now(), site_id, page["url"]])
            self._con.execute("COMMIT")

    def finish(self, site_id: str) -> None:
        with self._lock:
            self._con.execute("BEGIN")
            self._con.execute("DELETE FROM crawl_frontier WHERE site_id = ?", [site_id])
            self._con.execute("DELETE FROM crawl_sessions WHERE site_id = ?", [site_id])
            self._con.execute("COMMIT")

    # -- for reports and tests -----------------------------------------------------------------

    def failures(self, run_id: str | None = None) -> list[tuple[str, str]]:
        """(url, error) of every failed page in the fetch log (of one run, if given)."""
        sql = "SELECT url, error FROM fetch_log WHERE error IS NOT NULL"
        with self._lock:
            if run_id is None:
                return self._con.execute(sql + " ORDER BY fetched_at").fetchall()
            return self._con.execute(sql + " AND run_id = ? ORDER BY fetched_at", [run_id]).fetchall()
