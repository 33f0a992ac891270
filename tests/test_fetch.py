"""crawl_site over real HTTP on loopback: retries, timeouts, conditional GET, redirects, size
limits, robots.txt, politeness, archive layout, decoding, the mirror transport."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from extractors.fetch import crawl_site_sync, decode, detect_encoding, retry_after_seconds
from extractors.robots import policy_from_response
from extractors.warc import iter_pages
from tests.helpers_http import Reply, ScriptedServer, redirect

PAGE_KEYS = {
    "url", "site_id", "status", "fetched_at", "content_type", "encoding", "sha256", "bytes", "archive_path",
    "etag", "last_modified", "is_candidate", "unchanged", "error",
}
ARTICLE = "<html><head><title>t</title></head><body><h1>Tin {n}</h1></body></html>"


def rss(*hrefs: str) -> Reply:
    items = "".join(f"<item><link>{h}</link></item>" for h in hrefs)
    return Reply(body=f"<rss><channel>{items}</channel></rss>", content_type="application/rss+xml")


def make_site(server: ScriptedServer, **overrides) -> dict:
    """A registry-shaped site on the scripted server, politeness lifted unless a test sets it."""
    site = {
        "id": "test.local", "name": "Test", "base_url": server.base, "adapter": "generic", "area": "Việt Nam",
        "article_url": r"^http://127\.0\.0\.1:\d+/news/[a-z0-9-]+-\d+\.html$",
        "user_agent": "egov-data/0.1 (+https://example.org/egov-data; tests)",
        "requests_per_second": 1000.0, "concurrency": 4, "timeout_s": 2.0, "max_retries": 2,
        "max_bytes": 100_000, "max_pages": 20, "backoff_s": 0.01,
        "discovery": [{"kind": "rss", "urls": [server.url("/feed.rss")]}],
    }
    site.update(overrides)
    return site


def crawl(server, tmp_path, **kwargs):
    site = kwargs.pop("site", None) or make_site(server)
    return crawl_site_sync(site, tmp_path / "archive", **kwargs)


def by_url(result) -> dict[str, dict]:
    return {page["url"]: page for page in result.pages}


# ---------------------------------------------------------------------------- the happy path


def test_pages_are_fetched_archived_and_described(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/tin-a-1.html", "/news/tin-b-2.html", "/about.html"),
        "/news/tin-a-1.html": Reply(body=ARTICLE.format(n=1), headers={"ETag": '"a1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}),
        "/news/tin-b-2.html": Reply(body=ARTICLE.format(n=2)),
    }) as s:
        result = crawl(s, tmp_path)
    assert result.errors == [] and result.discovered == 3
    assert [p["url"] for p in result.pages] == [s.url("/news/tin-a-1.html"), s.url("/news/tin-b-2.html")]
    assert not s.hits("/about.html")                            # not an article URL: not fetched
    page = result.pages[0]
    assert set(page) == PAGE_KEYS
    assert page["status"] == 200 and page["is_candidate"] and not page["unchanged"] and page["error"] is None
    assert page["content_type"] == "text/html" and page["encoding"] == "utf-8"
    assert page["etag"] == '"a1"' and page["last_modified"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert page["fetched_at"].endswith("+00:00")
    body = ARTICLE.format(n=1).encode()
    assert page["bytes"] == len(body)
    path = Path(page["archive_path"])
    assert path == tmp_path / "archive" / "test.local" / page["sha256"][:2] / f"{page['sha256']}.html"
    assert path.read_bytes() == body
    assert not path.with_suffix(".json").exists()                # no sidecar: the WARC holds the response
    record = next(r for r in iter_pages(tmp_path / "archive") if r["requested"] == page["url"])
    assert record["status"] == 200 and record["body"] == body and record["headers"]["etag"] == '"a1"'
    assert record["fetched_at"] == page["fetched_at"].replace("+00:00", "Z")
    assert not [f for f in (tmp_path / "archive").rglob("*") if f.name.endswith(".tmp")]
    assert all(r.headers["User-Agent"] == make_site(s)["user_agent"] for r in s.requests)
    assert s.hits("/robots.txt")                                # robots.txt asked first (404 here)


def test_duplicate_urls_are_fetched_once(tmp_path):
    with ScriptedServer({"/news/a-1.html": Reply(body="x")}) as s:
        host = s.base.replace("http://127.0.0.1", "HTTP://127.0.0.1")
        s.route("/feed.rss", rss("/news/a-1.html", f"{host}/news/a-1.html#comments", "/news/a-1.html"))
        result = crawl(s, tmp_path)
    assert len(result.pages) == 1 and len(s.hits("/news/a-1.html")) == 1


def test_listing_pages_are_not_archived(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html"), "/news/a-1.html": Reply(body="one")}) as s:
        result = crawl(s, tmp_path)
    archived = list((tmp_path / "archive").rglob("*.html"))
    assert [p.read_bytes() for p in archived] == [b"one"] and len(result.pages) == 1


# ---------------------------------------------------------------------------- retries


def test_500_then_200_is_retried(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": [Reply(500), Reply(503), Reply(body="ok")],
    }) as s:
        result = crawl(s, tmp_path)
    assert result.pages[0]["status"] == 200 and result.errors == []
    assert len(s.hits("/news/a-1.html")) == 3


def test_persistent_500_is_reported_and_other_pages_still_fetched(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html", "/news/b-2.html"),
        "/news/a-1.html": Reply(500),
        "/news/b-2.html": Reply(body="ok"),
    }) as s:
        result = crawl(s, tmp_path)
        pages = by_url(result)
        bad, good = pages[s.url("/news/a-1.html")], pages[s.url("/news/b-2.html")]
    line = f"GET {s.url('/news/a-1.html')} → HTTP 500 after 2 retries"
    assert result.errors == [line]
    assert bad["error"] == line and bad["status"] == 500 and bad["sha256"] is None
    assert good["status"] == 200 and good["error"] is None
    assert len(s.hits("/news/a-1.html")) == 3                   # 1 + max_retries


def test_404_is_not_retried(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html")}) as s:
        result = crawl(s, tmp_path)
        assert len(s.hits("/news/a-1.html")) == 1
    assert result.pages[0]["status"] == 404 and "HTTP 404" in result.pages[0]["error"]


def test_429_honours_retry_after(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": [Reply(429, headers={"Retry-After": "1"}), Reply(body="ok")],
    }) as s:
        result = crawl(s, tmp_path)
        first, second = s.hits("/news/a-1.html")
    assert result.pages[0]["status"] == 200
    assert second.at - first.at >= 0.95


def test_a_too_long_retry_after_gives_up_at_once(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": Reply(503, headers={"Retry-After": "3600"}),
    }) as s:
        page = crawl(s, tmp_path).pages[0]
        assert len(s.hits("/news/a-1.html")) == 1
    assert page["status"] == 503 and "Retry-After 3600s: given up" in page["error"]


def test_retry_after_forms():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0     # in the past
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_slow_response_times_out_and_is_retried(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": Reply(body="late", delay=1.0),
    }) as s:
        site = make_site(s, timeout_s=0.2, max_retries=1)
        started = time.monotonic()
        result = crawl(s, tmp_path, site=site)
        elapsed = time.monotonic() - started
        assert len(s.hits("/news/a-1.html")) == 2
    page = result.pages[0]
    assert page["status"] is None and "timeout" in page["error"] and "after 1 retries" in page["error"]
    assert elapsed < 1.5


def test_unreachable_site_returns_errors_instead_of_raising(tmp_path):
    with ScriptedServer() as s:
        dead = s.base
    site = make_site(s, base_url=dead, max_retries=1, discovery=[{"kind": "rss", "urls": [dead + "/feed.rss"]}])
    result = crawl_site_sync(site, tmp_path)
    assert result.pages == [] and result.discovered == 0
    assert any("connection error" in e and "after 1 retries" in e for e in result.errors)


def test_defaults_can_be_passed_apart(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html"), "/news/a-1.html": Reply(body="ok")}) as s:
        site = make_site(s)
        defaults = {key: site.pop(key) for key in ("user_agent", "timeout_s", "max_retries", "max_bytes")}
        result = crawl_site_sync(site, tmp_path, defaults=defaults)
    assert result.pages[0]["status"] == 200


def test_a_broken_site_entry_never_raises(tmp_path):
    with ScriptedServer() as s:
        site = make_site(s)
        del site["discovery"]
        result = crawl_site_sync(site, tmp_path)
    assert result.pages == [] and "crawl failed: KeyError" in result.errors[-1]


# ---------------------------------------------------------------------------- conditional GET


def test_304_marks_unchanged_and_keeps_the_archive(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": Reply(body="v1", headers={"ETag": '"v1"'}, if_none_match=Reply(304, headers={"ETag": '"v1"'})),
    }) as s:
        first = crawl(s, tmp_path).pages[0]
        seen = {first["url"]: {k: first[k] for k in ("etag", "last_modified", "sha256")}}
        second = crawl(s, tmp_path, seen=seen).pages[0]
        requests = s.hits("/news/a-1.html")
    assert "If-None-Match" not in requests[0].headers and requests[1].headers["If-None-Match"] == '"v1"'
    assert second["status"] == 304 and second["unchanged"] and second["error"] is None
    assert second["sha256"] == first["sha256"] and second["archive_path"] == first["archive_path"]
    assert second["etag"] == '"v1"'


def test_same_body_without_validators_is_unchanged(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html"), "/news/a-1.html": Reply(body="same")}) as s:
        first = crawl(s, tmp_path).pages[0]
        second = crawl(s, tmp_path, seen={first["url"]: {"sha256": first["sha256"]}}).pages[0]
        assert "If-Modified-Since" not in s.hits("/news/a-1.html")[1].headers
    assert second["status"] == 200 and second["unchanged"] and not first["unchanged"]


def test_if_modified_since_is_sent(tmp_path):
    stamp = "Mon, 01 Jan 2024 00:00:00 GMT"
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html"), "/news/a-1.html": Reply(304)}) as s:
        url = s.url("/news/a-1.html")
        page = crawl(s, tmp_path, seen={url: {"last_modified": stamp}}).pages[0]
        assert s.hits("/news/a-1.html")[0].headers["If-Modified-Since"] == stamp
    assert page["unchanged"] and page["last_modified"] == stamp and page["archive_path"] is None


# ---------------------------------------------------------------------------- redirects, size


def test_redirect_within_the_host_is_followed(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": redirect("/news/a-1-moved.html", 301),
        "/news/a-1-moved.html": redirect("/news/final-1.html"),
        "/news/final-1.html": Reply(body="here"),
    }) as s:
        page = crawl(s, tmp_path).pages[0]
    assert page["url"] == s.url("/news/a-1.html") and page["status"] == 200 and page["is_candidate"]
    record = next(r for r in iter_pages(tmp_path / "archive") if r["requested"] == page["url"])
    assert record["url"] == s.url("/news/final-1.html") and record["body"] == b"here"


def test_redirect_to_another_host_is_refused(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html")}) as s:
        s.route("/news/a-1.html", redirect(s.base.replace("127.0.0.1", "localhost") + "/elsewhere"))
        page = crawl(s, tmp_path).pages[0]
        assert not s.hits("/elsewhere")
    assert "is not in the source registry, not requested" in page["error"]


def test_redirect_loop_stops_after_five(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": redirect("/news/b-2.html"),
        "/news/b-2.html": redirect("/news/a-1.html"),
    }) as s:
        page = crawl(s, tmp_path, site=make_site(s)).pages
        loop = [p for p in page if p["url"].endswith("a-1.html")][0]
    assert "more than 5 redirects" in loop["error"]


@pytest.mark.parametrize("chunked", [False, True])
def test_body_over_max_bytes_is_refused_and_not_retried(tmp_path, chunked):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": Reply(body=b"x" * 50_000, chunked=chunked),
    }) as s:
        page = crawl(s, tmp_path, site=make_site(s, max_bytes=10_000)).pages[0]
        assert len(s.hits("/news/a-1.html")) == 1
    assert "max_bytes=10000" in page["error"] and page["archive_path"] is None


# ---------------------------------------------------------------------------- robots, politeness


def test_robots_disallow_is_obeyed(tmp_path):
    with ScriptedServer({
        "/robots.txt": Reply(body="User-agent: *\nDisallow: /news/secret", content_type="text/plain"),
        "/feed.rss": rss("/news/open-1.html", "/news/secret-2.html"),
        "/news/open-1.html": Reply(body="ok"),
        "/news/secret-2.html": Reply(body="no"),
    }) as s:
        result = crawl(s, tmp_path)
        assert not s.hits("/news/secret-2.html")
    assert [p["url"] for p in result.pages] == [s.url("/news/open-1.html")]
    assert "robots.txt disallows 1 of 2 article URLs" in result.errors[0]


def test_robots_group_for_our_product_token_applies(tmp_path):
    robots = "User-agent: *\nDisallow: /\n\nUser-agent: egov-data\nAllow: /\n"
    with ScriptedServer({
        "/robots.txt": Reply(body=robots, content_type="text/plain"),
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": Reply(body="ok"),
    }) as s:
        result = crawl(s, tmp_path)
    assert result.pages[0]["status"] == 200


def test_robots_5xx_skips_the_site(tmp_path):
    with ScriptedServer({"/robots.txt": Reply(503), "/feed.rss": rss("/news/a-1.html")}) as s:
        result = crawl(s, tmp_path)
        assert {r.path for r in s.requests} == {"/robots.txt"}
    assert result.pages == [] and "host skipped for this run" in result.errors[-1]


def test_robots_rules_table():
    ua = "egov-data/0.1 (+https://example.org)"
    assert policy_from_response(404, "").allows("https://a.vn/x", ua)
    assert policy_from_response(None, None).allows("https://a.vn/x", ua)
    assert not policy_from_response(503, "").allows("https://a.vn/x", ua)
    assert not policy_from_response(429, "").allows("https://a.vn/x", ua)
    rules = policy_from_response(200, "User-agent: *\nDisallow: /x\nCrawl-delay: 2\nSitemap: https://a.vn/s.xml")
    assert not rules.allows("https://a.vn/x/1", ua) and rules.allows("https://a.vn/y", ua)
    assert rules.crawl_delay(ua) == 2.0 and rules.sitemaps == ["https://a.vn/s.xml"]


def test_robots_that_cannot_be_loaded_allows_all(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html"), "/news/a-1.html": Reply(body="ok")}) as s:
        s.route("/robots.txt", redirect(s.base.replace("127.0.0.1", "localhost") + "/robots.txt"))
        result = crawl(s, tmp_path)
    assert result.pages[0]["status"] == 200
    assert "robots.txt not loaded, crawling as if allowed" in result.errors[0]


def test_crawl_delay_slows_requests(tmp_path):
    with ScriptedServer({
        "/robots.txt": Reply(body="User-agent: *\nCrawl-delay: 0.3\n", content_type="text/plain"),
        "/feed.rss": rss("/news/a-1.html", "/news/b-2.html", "/news/c-3.html"),
        "/news/a-1.html": Reply(body="a"), "/news/b-2.html": Reply(body="b"), "/news/c-3.html": Reply(body="c"),
    }) as s:
        crawl(s, tmp_path)
        starts = sorted(r.at for r in s.requests if r.path != "/robots.txt")
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(gaps) == 3 and min(gaps) >= 0.28


def test_requests_per_second_and_concurrency(tmp_path):
    paths = [f"/news/p-{n}.html" for n in range(6)]
    with ScriptedServer({"/feed.rss": rss(*paths), **{p: Reply(body=p, delay=0.15) for p in paths}}) as s:
        crawl(s, tmp_path, site=make_site(s, requests_per_second=10.0, concurrency=2))
        starts = sorted(r.at for r in s.requests if r.path in paths)
        assert s.max_in_flight <= 2
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.09


# ---------------------------------------------------------------------------- decoding


def test_encoding_from_header_then_meta_then_utf8():
    assert detect_encoding("text/html; charset=windows-1258", b"") == "cp1258"
    assert detect_encoding("text/html", b'<meta charset="ISO-8859-1"><p>') == "iso8859-1"
    assert detect_encoding(None, b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">') == "utf-8"
    assert detect_encoding("text/html; charset=nonsense", b"") == "utf-8"
    assert decode("Việt".encode() + b"\xff", "utf-8") == "Việt\ufffd"


def test_encoding_is_recorded(tmp_path):
    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html"),
        "/news/a-1.html": Reply(body="<meta charset='windows-1258'>".encode(), content_type="text/html"),
    }) as s:
        page = crawl(s, tmp_path).pages[0]
    assert page["encoding"] == "cp1258"


# ---------------------------------------------------------------------------- the mirror


def test_mirror_keeps_real_urls_and_host_header(tmp_path):
    real = "https://news.example.gov.vn"
    with ScriptedServer({
        "news.example.gov.vn/robots.txt": Reply(body="User-agent: *\nDisallow: /private", content_type="text/plain"),
        "news.example.gov.vn/rss": rss(f"{real}/tin/a-12345.html", "/tin/b-12346.html"),
        "news.example.gov.vn/tin/a-12345.html": Reply(body="A"),
        "news.example.gov.vn/tin/b-12346.html": Reply(body="B"),
    }) as s:
        site = make_site(
            s, id="news.example.gov.vn", base_url=real, article_url=r"^https://news\.example\.gov\.vn/tin/[a-z]-\d+\.html$",
            discovery=[{"kind": "rss", "urls": [f"{real}/rss"]}],
        )
        result = crawl(s, tmp_path, site=site, mirror=s.base)
        hosts = {r.host for r in s.requests}
    assert result.errors == []
    assert [p["url"] for p in result.pages] == [f"{real}/tin/a-12345.html", f"{real}/tin/b-12346.html"]
    assert hosts == {"news.example.gov.vn"}


MIRROR = Path(__file__).resolve().parent.parent / "mirror"


def mirror_file(url: str) -> Path:
    """The mirror file serving `url` (mirror/README.md, "URL → file")."""
    parts = urlsplit(url)
    rel = parts.path + ("index.html" if parts.path.endswith("/") else "")
    return MIRROR / "sites" / parts.netloc / (rel.lstrip("/") + (f"@{parts.query}" if parts.query else ""))


@pytest.mark.skipif(not (MIRROR / "server.py").exists(), reason="mirror/server.py not there yet")
def test_crawl_a_mirror_site_end_to_end(tmp_path):
    """thanhtra.com.vn from the registry, as is but politeness lifted, against the mirror: every
    article fetched is byte-for-byte the mirror's page (with its gold answer beside it), the
    recorded URLs are the real ones, and a second run with `seen` is all 304 / unchanged."""
    from extractors.registry import load_site
    from mirror.server import MirrorServer

    site = {**load_site("thanhtra.com.vn"), "requests_per_second": 1000.0, "concurrency": 8}
    with MirrorServer(port=0) as base:
        first = crawl_site_sync(site, tmp_path, mirror=base)
        seen = {p["url"]: {k: p[k] for k in ("etag", "last_modified", "sha256")} for p in first.pages}
        second = crawl_site_sync(site, tmp_path, mirror=base, seen=seen)

    ok = [p for p in first.pages if p["status"] == 200]
    assert ok and first.discovered >= len(ok), first.errors
    for page in ok:
        assert page["url"].startswith("https://thanhtra.com.vn/") and page["is_candidate"]
        served = mirror_file(page["url"])
        assert Path(page["archive_path"]).read_bytes() == served.read_bytes()
        assert served.with_name(served.name + ".gold.json").exists()
        assert page["encoding"] == "utf-8" and page["etag"]
    assert [p["url"] for p in second.pages] == [p["url"] for p in first.pages]
    assert all(p["status"] == 304 and p["unchanged"] for p in second.pages if p["url"] in seen)


@pytest.mark.skipif(not (MIRROR / "server.py").exists(), reason="mirror/server.py not there yet")
def test_the_registry_finds_every_mirror_article(tmp_path):
    """Every site of config/sources.toml, crawled through the mirror with politeness lifted,
    fetches exactly the mirror's articles (those with a gold answer): the registry's discovery
    entries, selectors and article_url patterns agree with the mirror's pages."""
    from extractors.registry import load_sites
    from mirror.server import MirrorServer

    files = [f for f in (MIRROR / "sites").rglob("*") if f.is_file()]
    pages = {f for f in files if f.name.endswith(".gold.json")}
    # discovery pages: neither gold nor an article (articles link related articles, listings link all)
    listed = html.unescape("".join(f.read_text(encoding="utf-8", errors="replace") for f in files
                     if f not in pages and not f.with_name(f.name + ".gold.json").exists()))
    gold = {url for url in (json.loads(p.read_text(encoding="utf-8"))["url"] for p in pages)
            if url.split("://", 1)[1].split("/", 1)[1] in listed}      # linked from somewhere (drifted pages are not)
    fetched, errors = set(), []
    with MirrorServer(port=0) as base:
        for site in load_sites():
            lifted = {**site, "requests_per_second": 1000.0, "concurrency": 8, "obey_crawl_delay": False}
            result = crawl_site_sync(lifted, tmp_path, mirror=base)
            fetched |= {p["url"] for p in result.pages if p["status"] == 200 and p["is_candidate"]}
            errors += [e for e in result.errors if not e.startswith("daily listing ")]   # today ≠ the mirror's days
    assert errors == []
    assert fetched == gold


# ---------------------------------------------------------------------------- safety, limits


def test_gzip_is_decoded_and_a_gzip_bomb_refused(tmp_path):
    import gzip

    with ScriptedServer({
        "/feed.rss": rss("/news/a-1.html", "/news/b-2.html"),
        "/news/a-1.html": Reply(body=gzip.compress("Việt".encode()), headers={"Content-Encoding": "gzip"}),
        "/news/b-2.html": Reply(body=gzip.compress(bytes(3_000_000)), headers={"Content-Encoding": "gzip"}),
    }) as s:
        pages = by_url(crawl(s, tmp_path, site=make_site(s, max_decoded_bytes=1_000_000)))
        assert len(s.hits("/news/b-2.html")) == 1                       # not retried
    assert Path(pages[s.url("/news/a-1.html")]["archive_path"]).read_bytes() == "Việt".encode()
    assert "max_decoded_bytes=1000000 (compression bomb?)" in pages[s.url("/news/b-2.html")]["error"]


def test_non_http_and_unlisted_hosts_are_never_requested(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html", "/news/b-2.html")}) as s:
        s.route("/news/a-1.html", redirect("ftp://127.0.0.1/news/a-1.html"))
        s.route("/news/b-2.html", redirect("http://10.0.0.1/news/b-2.html"))
        pages = by_url(crawl(s, tmp_path))
    assert "scheme 'ftp' is not http(s)" in pages[s.url("/news/a-1.html")]["error"]
    assert "host 10.0.0.1 is a private/loopback address" in pages[s.url("/news/b-2.html")]["error"]


def test_a_registry_name_resolving_to_loopback_is_refused(tmp_path):
    with ScriptedServer({"/feed.rss": rss("/news/a-1.html")}) as s:
        local = s.base.replace("127.0.0.1", "localhost")
        site = make_site(s, base_url=local, discovery=[{"kind": "rss", "urls": [local + "/feed.rss"]}])
        result = crawl_site_sync(site, tmp_path)
        assert s.requests == []
    assert any("resolves to the private/loopback address 127.0.0.1" in e for e in result.errors)


def test_the_global_connection_cap_holds_across_threads(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from extractors.politeness import CONNECTIONS

    paths = [f"/news/p-{n}.html" for n in range(8)]
    with ScriptedServer({"/feed.rss": rss(*paths), **{p: Reply(body=p, delay=0.1) for p in paths}}) as s:
        site = make_site(s, concurrency=8, max_connections=3)
        with ThreadPoolExecutor(3) as pool:                              # three "sites" at once, as the flow does
            results = list(pool.map(lambda k: crawl_site_sync({**site, "id": f"s{k}"}, tmp_path / str(k)), range(3)))
        assert s.max_in_flight <= 3
    assert all(len(r.pages) == 8 and not r.failed for r in results)
    CONNECTIONS.set_capacity(16)


def test_stop_at_known_walks_only_the_new_listing_pages(tmp_path):
    listing = lambda *ps: Reply(body="".join(f'<a class="t" href="{p}">x</a>' for p in ps))  # noqa: E731
    with ScriptedServer({
        "/l/1": listing("/news/a-1.html"), "/l/2": listing("/news/b-2.html"),
        "/news/a-1.html": Reply(body="a"), "/news/b-2.html": Reply(body="b"),
    }) as s:
        site = make_site(s, discovery=[{"kind": "listing", "url": s.url("/l/{page}"), "max_pages": 5, "links": "a.t"}])
        first = crawl(s, tmp_path, site=site)
        seen = {p["url"]: {"sha256": p["sha256"]} for p in first.pages}
        again = crawl(s, tmp_path, site=site, seen=seen, stop_at_known=True)
        assert len(s.hits("/l/2")) == 1                                  # only the first crawl went deeper
    assert len(first.pages) == 2 and [p["url"] for p in again.pages] == [s.url("/news/a-1.html")]
