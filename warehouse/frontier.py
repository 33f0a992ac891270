"""The crawl frontier and fetch log, in a DuckDB file per site: what makes a killed crawl resumable.

Why a file per site and not the warehouse: a crawl keeps its frontier open for as long as it
runs (minutes to hours at a polite rate), and DuckDB lets no other process open a file another
has open. In the warehouse, that would lock readers (`egov query`) and every other run out for
the whole crawl; in a file of its own per site, runs of different sites (other Prefect workers)
crawl side by side, and a second run of the same site is refused at once (`FrontierBusy`).
Why not in the generated tables of schemas/: these are the crawler's working state, not
published data. The flows keep the files under `$EGOV_HOME/frontier/<site>.duckdb`.

Tables (created here, IF NOT EXISTS):
- `crawl_sessions`  one open crawl per site: its run, whether discovery finished;
- `crawl_frontier`  the session's queue of article URLs, in order;
- `crawl_done`      the session's pages stored so far (append-only: marking the queue's rows
                    done with an UPDATE kept DuckDB's version records of every row in memory,
                    ~40 MB per 10,000 pages and site);
- `fetch_log`       every page outcome of every run, append-only: the per-URL failure record.

Records are buffered and committed in one transaction every `frontier_batch_pages` pages or
`frontier_batch_s` seconds (warehouse/settings.toml; the time is checked as records arrive), at
`finish`, at `close`, and before any read. A transaction per page cost more than fetching the
page (bench/crawl.py). So a SIGKILL loses at most the uncommitted buffer and the pages in
flight: those are simply fetched again; everything committed `done` is returned by `start` on the
next run and not fetched again. `Frontier` implements extractors.crawlstate.Frontier; it is
called from the crawler's worker threads, so every call takes one lock around one cursor.
"""

from __future__ import annotations

import json
import threading
import time
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import duckdb

SETTINGS = tomllib.loads(Path(__file__).with_name("settings.toml").read_text(encoding="utf-8"))

DDL = (
    """CREATE TABLE IF NOT EXISTS crawl_sessions (
        site_id VARCHAR PRIMARY KEY, run_id VARCHAR, started_at TIMESTAMPTZ, discovered BOOLEAN)""",
    """CREATE TABLE IF NOT EXISTS crawl_frontier (
        site_id VARCHAR, url VARCHAR, position INTEGER, PRIMARY KEY (site_id, url))""",
    "CREATE TABLE IF NOT EXISTS crawl_done (site_id VARCHAR, url VARCHAR, page JSON)",
    """CREATE TABLE IF NOT EXISTS fetch_log (
        run_id VARCHAR, site_id VARCHAR, url VARCHAR, status INTEGER, fetched_at VARCHAR, sha256 VARCHAR,
        bytes BIGINT, unchanged BOOLEAN, error VARCHAR, page JSON)""",
)


# A batch of page records, from two list parameters (run ids, page JSON), one row per page.
BATCH = "SELECT unnest(?::VARCHAR[]) AS run_id, unnest(?::VARCHAR[])::JSON AS p"
LOG_COLUMNS = ("run_id, p->>'site_id', p->>'url', (p->>'status')::INTEGER, p->>'fetched_at', p->>'sha256', "
               "(p->>'bytes')::BIGINT, (p->>'unchanged')::BOOLEAN, p->>'error', p")


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise FrontierBusy(f"another run is crawling it: its frontier {path} is open in another process") from None
    # SET, not connect(config=…): DuckDB refuses a second connection whose config differs.
    con.execute(f"SET checkpoint_threshold = '{SETTINGS['frontier_checkpoint_threshold']}'")
    return con


def _now() -> datetime:
    return datetime.now(timezone.utc)


class FrontierBusy(RuntimeError):
    """Another process has the frontier file open: another run is crawling this site."""


class Frontier:
    """The warehouse's frontier. `Frontier(path)` opens its own connection; `Frontier(con=…)` shares one."""

    def __init__(self, path: Path | str | None = None, *, con: duckdb.DuckDBPyConnection | None = None,
                 batch_pages: int | None = None, batch_s: float | None = None):
        if con is None and path is None:
            raise ValueError("Frontier needs a warehouse path or a connection")
        self._own = con is None
        self._con = con if con is not None else _open(Path(path))
        self._lock = threading.Lock()
        self._runs: dict[str, str] = {}
        self.batch_pages = SETTINGS["frontier_batch_pages"] if batch_pages is None else batch_pages
        self.batch_s = SETTINGS["frontier_batch_s"] if batch_s is None else batch_s
        self._buffer: list[tuple[str | None, dict]] = []
        self._flushed_at = time.monotonic()
        with self._lock:
            for statement in DDL:
                self._con.execute(statement)

    def close(self) -> None:
        self.flush()
        if self._own:
            self._con.close()

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
                self._con.execute("INSERT INTO crawl_sessions VALUES (?, ?, ?, false)", [site_id, run_id, _now()])
                self._con.execute("DELETE FROM crawl_frontier WHERE site_id = ?", [site_id])
                self._con.execute("DELETE FROM crawl_done WHERE site_id = ?", [site_id])
                return []
            rows = self._con.execute(
                """SELECT any_value(d.page) FROM crawl_done d JOIN crawl_frontier f USING (site_id, url)
                   WHERE site_id = ? GROUP BY f.position ORDER BY f.position""", [site_id]).fetchall()
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
        with self._lock:
            self._con.execute("BEGIN")
            self._con.execute("DELETE FROM crawl_frontier WHERE site_id = ?", [site_id])
            if urls:  # two list parameters, unnested side by side: executemany bound 4 values a row
                self._con.execute(
                    "INSERT INTO crawl_frontier (site_id, url, position) SELECT ?, unnest(?::VARCHAR[]), unnest(?::INTEGER[])",
                    [site_id, urls, list(range(len(urls)))])
            self._con.execute("UPDATE crawl_sessions SET discovered = true WHERE site_id = ?", [site_id])
            self._con.execute("COMMIT")

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
        runs = [run_id for run_id, _ in buffered]
        blobs = [json.dumps(page, ensure_ascii=False) for _, page in buffered]
        try:
            # The batch goes in as two list parameters unnested in SQL: binding one parameter per
            # value (executemany, or a VALUES list) cost ~5x more than the commit it saved.
            self._con.execute("BEGIN")
            self._con.execute(f"INSERT INTO fetch_log SELECT {LOG_COLUMNS} FROM ({BATCH})", [runs, blobs])
            self._con.execute(
                f"INSERT INTO crawl_done SELECT p->>'site_id', p->>'url', p FROM ({BATCH}) WHERE p->>'error' IS NULL",
                [runs, blobs])
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            self._buffer = buffered + self._buffer
            raise

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
