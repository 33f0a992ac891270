"""The frontier and fetch log in a site's SQLite file: a crawl killed with SIGKILL resumes on the
next run without fetching again any page it had recorded (committed), and loses at most the
uncommitted batch, which it fetches again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from extractors.fetch import crawl_site_sync
from extractors.warc import iter_pages
from tests.helpers_http import Reply, ScriptedServer
from tests.test_fetch import make_site, rss
from warehouse.frontier import Frontier, FrontierBusy

REPO = Path(__file__).resolve().parents[1]
PATHS = [f"/news/p-{n}.html" for n in range(30)]


def routes(delay: float = 0.0) -> dict:
    return {"/feed.rss": rss(*PATHS), **{p: Reply(body=f"<p>{p}</p>", delay=delay) for p in PATHS}}


def test_a_finished_crawl_closes_its_session_and_logs_every_page(tmp_path):
    with ScriptedServer({**routes(), "/news/p-3.html": Reply(500)}) as s:
        with Frontier(tmp_path / "w.sqlite") as frontier:
            result = crawl_site_sync(make_site(s, max_retries=0), tmp_path / "a", frontier=frontier, run_id="r1")
            assert frontier.failures("r1") == [(s.url("/news/p-3.html"), result.failed[s.url("/news/p-3.html")])]
            assert frontier.pending("test.local") is None and frontier.start("test.local", "r2") == []
    assert _committed(tmp_path / "w.sqlite") == len(PATHS)


CHILD = """
import sys
from extractors.fetch import crawl_site_sync
from extractors.warc import iter_pages
from warehouse.frontier import Frontier
from tests.test_fetch import make_site
class S:  # the scripted server's address, as make_site needs it
    base = sys.argv[1]
    def url(self, p): return self.base + p
site = make_site(S(), concurrency=2, requests_per_second=1000.0)
with Frontier(sys.argv[2], batch_pages=int(sys.argv[4]), batch_s=60.0) as f:
    crawl_site_sync(site, sys.argv[3], frontier=f, run_id="killed")
"""


def test_sigkill_mid_crawl_resumes_without_refetching_stored_pages(tmp_path):
    warehouse, archive, batch = tmp_path / "w.sqlite", tmp_path / "archive", 4
    with ScriptedServer(routes(delay=0.05)) as s:
        child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), s.base, str(warehouse), str(archive),
                                  str(batch)], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        deadline = time.monotonic() + 20
        while len([r for r in s.requests if r.path in PATHS]) < 14 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        before = [r.path for r in s.requests if r.path in PATHS]
        assert 14 <= len(before) < len(PATHS), "the child should be killed mid-crawl"

        with Frontier(warehouse) as frontier:
            stored = {p["url"] for p in frontier.start("test.local", "probe")}
            assert stored, "pages fetched before the kill were recorded"
            # lost: at most the uncommitted batch (< batch), the pages in flight (2) and the
            # request the server had started answering as the child died
            assert len(before) - len(stored) <= batch - 1 + 2 + 1
            # a page recorded done has its WARC record in the file (written before the commit)
            assert stored <= {r["requested"] for r in iter_pages(archive)}
            s.requests.clear()
            result = crawl_site_sync(make_site(s), archive, frontier=frontier, run_id="resumed")
        again = [r.path for r in s.requests if r.path in PATHS]
    assert not any(s.url(p) in stored for p in again)                  # nothing stored is fetched twice
    assert {s.url(p) for p in again} | stored == {s.url(p) for p in PATHS}   # and nothing is lost
    assert result.resumed == len(stored) and len(result.pages) == len(PATHS) and not result.failed
    assert not [r for r in s.requests if r.path == "/feed.rss"]        # discovery had finished: not redone
    assert all(Path(p["archive_path"]).exists() for p in result.pages)


def _page(n: int, error: str | None = None) -> dict:
    return {"url": f"https://x.gov.vn/p-{n}", "site_id": "x", "status": 200, "error": error, "sha256": "ab" * 32}


def _committed(path: Path) -> int:
    """Rows another connection sees: what a killed process would have left (no flush here)."""
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM fetch_log").fetchall()[0][0]
    finally:
        con.close()


def test_records_are_committed_every_n_pages_and_at_finish(tmp_path):
    with Frontier(tmp_path / "w.sqlite", batch_pages=5, batch_s=3600.0) as frontier:
        frontier.start("x", "r1")
        frontier.enqueue("x", [f"https://x.gov.vn/p-{n}" for n in range(8)])
        for n in range(4):
            frontier.record(_page(n))
        assert _committed(tmp_path / "w.sqlite") == 0          # buffered: a kill now refetches these 4
        frontier.record(_page(4, error="GET … → HTTP 500"))
        assert _committed(tmp_path / "w.sqlite") == 5          # the 5th record commits the batch
        frontier.record(_page(5))
        assert _committed(tmp_path / "w.sqlite") == 5
        assert {p["url"] for p in frontier.start("x", "r1")} == {f"https://x.gov.vn/p-{n}" for n in (0, 1, 2, 3, 5)}
        assert frontier.failures("r1") == [("https://x.gov.vn/p-4", "GET … → HTTP 500")]
        frontier.record(_page(6))
        frontier.finish("x")
        assert _committed(tmp_path / "w.sqlite") == 7


def test_records_are_committed_after_batch_seconds(tmp_path):
    with Frontier(tmp_path / "w.sqlite", batch_pages=1000, batch_s=0.05) as frontier:
        frontier.start("x", "r1")
        frontier.enqueue("x", [f"https://x.gov.vn/p-{n}" for n in range(3)])
        frontier.record(_page(0))
        time.sleep(0.06)
        frontier.record(_page(1))                               # T seconds since the last commit
        assert _committed(tmp_path / "w.sqlite") == 2
    with Frontier(tmp_path / "w.sqlite") as frontier:
        pages = frontier.start("x", "r2")
    assert [p["url"] for p in pages] == ["https://x.gov.vn/p-0", "https://x.gov.vn/p-1"]
    assert pages[0]["sha256"] == "ab" * 32


def test_a_second_opener_is_refused_at_once_until_the_first_closes(tmp_path):
    path = tmp_path / "w.sqlite"
    with Frontier(path) as first:
        first.start("x", "r1")
        first.enqueue("x", ["https://x.gov.vn/p-0"])
        started = time.monotonic()
        with pytest.raises(FrontierBusy, match="another run is crawling it"):
            Frontier(path)                                          # the same process: refused too
        assert time.monotonic() - started < 1.0
    with Frontier(path) as second:                                  # closed: the site is free again
        assert second.pending("x") == ["https://x.gov.vn/p-0"]


def test_a_failed_flush_keeps_its_buffer(tmp_path):
    cause = [object()]                                              # not JSON, until the test removes it
    with Frontier(tmp_path / "w.sqlite", batch_pages=1000, batch_s=3600.0) as frontier:
        frontier.start("x", "r1")
        frontier.record(_page(0))
        frontier.record({**_page(1), "etag": cause})
        with pytest.raises(TypeError):
            frontier.flush()
        assert _committed(tmp_path / "w.sqlite") == 0                # the batch is all or nothing
        cause.clear()                                               # the cause goes away: the next try
        frontier.flush()                                            # commits both records it kept
        assert _committed(tmp_path / "w.sqlite") == 2


def test_a_duckdb_frontier_of_an_earlier_version_is_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "site.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(sqlite3.DatabaseError, match=r"site\.duckdb is not a SQLite frontier"):
        Frontier(path)
    with pytest.raises(sqlite3.DatabaseError):                     # the claim was released: not busy
        Frontier(path)
