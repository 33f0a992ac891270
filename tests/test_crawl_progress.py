"""crawl_site's progress hooks (for the CLI's progress bars): `on_discovered` once with the
number of URLs to fetch, `on_page` with each stored page; a failing hook never fails the crawl."""

from __future__ import annotations

from extractors.crawlstate import MemoryFrontier
from extractors.fetch import crawl_site_sync
from tests.helpers_http import Reply, ScriptedServer
from tests.test_fetch import make_site, rss

PATHS = [f"/news/p-{n}.html" for n in range(6)]


def routes() -> dict:
    return {"/feed.rss": rss(*PATHS, "/about.html"), **{p: Reply(body=f"<p>{p}</p>") for p in PATHS},
            "/news/p-5.html": Reply(404)}


def test_hooks_report_the_urls_to_fetch_and_every_stored_page(tmp_path):
    discovered, pages = [], []
    with ScriptedServer(routes()) as s:
        result = crawl_site_sync(make_site(s), tmp_path, on_discovered=discovered.append, on_page=pages.append)
    assert discovered == [len(PATHS)]                           # article URLs only, once
    assert sorted(p["url"] for p in pages) == sorted(p["url"] for p in result.pages)
    assert [p for p in pages if p["error"]] == [p for p in result.pages if p["error"]]   # failures too
    assert all(p["sha256"] for p in pages if not p["error"]) and result.warnings == []


def test_a_resumed_crawl_counts_only_what_is_left(tmp_path):
    frontier = MemoryFrontier()
    with ScriptedServer(routes()) as s:
        site = make_site(s)
        frontier.start(site["id"], "r1")
        frontier.enqueue(site["id"], [s.url(p) for p in PATHS])
        frontier.record({"url": s.url(PATHS[0]), "site_id": site["id"], "status": 200, "error": None})
        discovered, pages = [], []
        result = crawl_site_sync(site, tmp_path, frontier=frontier, on_discovered=discovered.append, on_page=pages.append)
    assert discovered == [len(PATHS) - 1] and len(pages) == len(PATHS) - 1 and result.resumed == 1


def test_a_failing_hook_is_dropped_with_a_warning_and_the_crawl_goes_on(tmp_path):
    calls = []

    def broken(page: dict) -> None:
        calls.append(page["url"])
        raise RuntimeError("terminal closed")

    with ScriptedServer(routes()) as s:
        result = crawl_site_sync(make_site(s), tmp_path, on_page=broken)
    assert len(calls) == 1 and len(result.pages) == len(PATHS)
    assert [w for w in result.warnings if "progress hook on_page failed" in w and "terminal closed" in w]
