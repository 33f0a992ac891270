"""The frontier and fetch log in the warehouse file: a crawl killed with SIGKILL resumes on the
next run without fetching again any page it had stored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb

from extractors.fetch import crawl_site_sync
from tests.helpers_http import Reply, ScriptedServer
from tests.test_fetch import make_site, rss
from warehouse.frontier import Frontier

REPO = Path(__file__).resolve().parents[1]
PATHS = [f"/news/p-{n}.html" for n in range(30)]


def routes(delay: float = 0.0) -> dict:
    return {"/feed.rss": rss(*PATHS), **{p: Reply(body=f"<p>{p}</p>", delay=delay) for p in PATHS}}


def test_a_finished_crawl_closes_its_session_and_logs_every_page(tmp_path):
    with ScriptedServer({**routes(), "/news/p-3.html": Reply(500)}) as s:
        with Frontier(tmp_path / "w.duckdb") as frontier:
            result = crawl_site_sync(make_site(s, max_retries=0), tmp_path / "a", frontier=frontier, run_id="r1")
            assert frontier.failures("r1") == [(s.url("/news/p-3.html"), result.failed[s.url("/news/p-3.html")])]
            assert frontier.pending("test.local") is None and frontier.start("test.local", "r2") == []
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert con.execute("SELECT count(*) FROM fetch_log").fetchall()[0][0] == len(PATHS)


CHILD = """
import sys
from extractors.fetch import crawl_site_sync
from warehouse.frontier import Frontier
from tests.test_fetch import make_site
class S:  # the scripted server's address, as make_site needs it
    base = sys.argv[1]
    def url(self, p): return self.base + p
site = make_site(S(), concurrency=2, requests_per_second=1000.0)
with Frontier(sys.argv[2]) as f:
    crawl_site_sync(site, sys.argv[3], frontier=f, run_id="killed")
"""


def test_sigkill_mid_crawl_resumes_without_refetching_stored_pages(tmp_path):
    warehouse, archive = tmp_path / "w.duckdb", tmp_path / "archive"
    with ScriptedServer(routes(delay=0.05)) as s:
        child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), s.base, str(warehouse), str(archive)],
                                 cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        deadline = time.monotonic() + 20
        while len([r for r in s.requests if r.path in PATHS]) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        before = [r.path for r in s.requests if r.path in PATHS]
        assert 10 <= len(before) < len(PATHS), "the child should be killed mid-crawl"

        with Frontier(warehouse) as frontier:
            stored = {p["url"] for p in frontier.start("test.local", "probe")}
            assert stored, "pages fetched before the kill were recorded"
            s.requests.clear()
            result = crawl_site_sync(make_site(s), archive, frontier=frontier, run_id="resumed")
        again = [r.path for r in s.requests if r.path in PATHS]
    assert not any(s.url(p) in stored for p in again)                  # nothing stored is fetched twice
    assert {s.url(p) for p in again} | stored == {s.url(p) for p in PATHS}   # and nothing is lost
    assert result.resumed == len(stored) and len(result.pages) == len(PATHS) and not result.failed
    assert not [r for r in s.requests if r.path == "/feed.rss"]        # discovery had finished: not redone
    assert all(Path(p["archive_path"]).exists() for p in result.pages)
