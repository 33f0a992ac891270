"""The WARC archive: every response and failure of a run is in it, and iter_pages rebuilds the
fetched pages from it with no network."""

from __future__ import annotations

import gzip
from pathlib import Path

from extractors.fetch import crawl_site_sync
from extractors.warc import WarcLog, iter_pages, iter_records, warc_path
from tests.helpers_http import Reply, ScriptedServer
from tests.test_fetch import make_site, rss


def test_every_response_and_failure_is_archived_and_pages_rebuild_offline(tmp_path):
    gz = gzip.compress("<p>Việt Nam nén</p>".encode())
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html", "/news/b-2.html", "/news/c-3.html", "/news/d-4.html"),
        "/news/a-1.html": [Reply(503), Reply(body="<p>một</p>")],
        "/news/b-2.html": Reply(body=gz, headers={"Content-Encoding": "gzip"}),
        "/news/c-3.html": Reply(404, "gone"),
        "/news/d-4.html": Reply(body=b"x" * 50_000),
    }) as s:
        result = crawl_site_sync(make_site(s, max_bytes=10_000), tmp_path, run_id="run-1")
    assert Path(warc_path(tmp_path, "run-1", "test.local")).exists()
    records = list(iter_records(tmp_path))
    statuses = [(r["url"].rsplit("/", 1)[-1], r["status"]) for r in records if r["kind"] == "response"]
    assert ("a-1.html", 503) in statuses and ("a-1.html", 200) in statuses and ("c-3.html", 404) in statuses
    assert ("robots.txt", 404) in statuses and ("feed.rss", 200) in statuses        # discovery too
    failures = [r for r in records if r["kind"] == "metadata"]
    assert any("max_bytes=10000" in r["error"] and r["url"].endswith("d-4.html") for r in failures)

    pages = {p["url"]: p for p in iter_pages(tmp_path)}
    for page in result.pages:
        if page["status"] == 200:                             # same bytes as the page archive
            assert pages[page["url"]]["body"] == Path(page["archive_path"]).read_bytes()
    assert pages[s.url("/news/b-2.html")]["body"].decode() == "<p>Việt Nam nén</p>"
    assert "content-encoding" not in pages[s.url("/news/b-2.html")]["headers"]   # stored decoded
    assert all(p["site_id"] == "test.local" for p in pages.values())


def test_a_killed_writer_leaves_a_readable_archive(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html"), "/news/a-1.html": Reply(body="one")}) as s:
        crawl_site_sync(make_site(s), tmp_path, run_id="run-1")
    path = warc_path(tmp_path, "run-1", "test.local")
    data = path.read_bytes()
    path.write_bytes(data + data[: len(data) // 3])          # a record cut off mid-write
    assert [p["body"] for p in iter_pages(tmp_path) if "/news/" in p["url"]] == [b"one"]


def test_latest_copy_per_url(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html"), "/news/a-1.html": [Reply(body="v1"), Reply(body="v2")]}) as s:
        crawl_site_sync(make_site(s), tmp_path, run_id="run-1")
        crawl_site_sync(make_site(s), tmp_path, run_id="run-2")
    assert [p["body"] for p in iter_pages(tmp_path) if "/news/" in p["url"]] == [b"v2"]
    assert sorted(p["body"] for p in iter_pages(tmp_path, latest=False)
                  if p["url"].endswith("a-1.html")) == [b"v1", b"v2"]


def test_records_are_buffered_until_drained_and_written_at_close(tmp_path):
    path = warc_path(tmp_path, "run-1", "s")
    log = WarcLog(path, "s", buffer_bytes=1 << 20)
    for n in range(3):
        log.response(url=f"https://s.gov.vn/{n}", requested=f"https://s.gov.vn/{n}", status=200, reason="OK",
                     headers=[("Content-Type", "text/html")], body=f"<p>{n}</p>".encode(), fetched_at="2024-01-01T00:00:00+00:00")
    assert path.stat().st_size == 0                            # queued, not written one by one
    log.drain()
    assert [p["body"] for p in iter_pages(tmp_path)] == [b"<p>0</p>", b"<p>1</p>", b"<p>2</p>"]
    log.failure(url="https://s.gov.vn/x", requested="https://s.gov.vn/x", error="timeout", fetched_at="2024-01-01T00:00:01+00:00")
    log.close()
    assert [r["error"] for r in iter_records(tmp_path) if r["kind"] == "metadata"] == ["timeout"]
    log.response(url="https://s.gov.vn/late", requested="https://s.gov.vn/late", status=200, reason="OK",
                 headers=[], body=b"late", fetched_at="2024-01-01T00:00:02+00:00")
    log.drain()                                              # after close: nothing written, nothing raised


def test_a_full_buffer_is_written_without_waiting_for_drain(tmp_path):
    path = warc_path(tmp_path, "run-1", "s")
    log = WarcLog(path, "s", buffer_bytes=1000)
    for n in range(3):
        log.response(url=f"https://s.gov.vn/{n}", requested=f"https://s.gov.vn/{n}", status=200, reason="OK",
                     headers=[], body=b"x" * 600, fetched_at="2024-01-01T00:00:00+00:00")
    assert len(list(iter_pages(tmp_path))) == 2                # the second record went over 1000 bytes
    log.close()
    assert len(list(iter_pages(tmp_path))) == 3
