"""Discovery: feeds, sitemaps (and indexes), listings by page/offset, daily listings; safe XML."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import pytest

from extractors.discovery import (
    Fetched,
    canonical_url,
    daily_listing_urls,
    discover,
    feed_links,
    html_links,
    listing_urls,
    parse_xml,
    sitemap_links,
)
from tests.helpers_http import Reply, ScriptedServer

# ---------------------------------------------------------------------------- pure parsing


def test_canonical_url_lowercases_scheme_and_host_drops_fragment_and_default_port():
    assert canonical_url("HTTPS://BaoChinhPhu.VN:443/Tin-102.htm#top") == "https://baochinhphu.vn/Tin-102.htm"
    assert canonical_url("http://a.vn:80") == "http://a.vn/"
    assert canonical_url("http://a.vn:8080/x?b=1&a=2") == "http://a.vn:8080/x?b=1&a=2"


def test_rss_and_atom_item_links_resolved_against_the_feed():
    rss = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
      <link>https://site.vn/</link>
      <item><title>A</title><link>https://site.vn/a-1.htm</link></item>
      <item><title>B</title><link>/b-2.htm</link></item>
      <item><guid isPermaLink="true">https://site.vn/c-3.htm</guid></item>
    </channel></rss>"""
    assert feed_links(rss, "https://site.vn/rss/home.rss") == [
        "https://site.vn/a-1.htm", "https://site.vn/b-2.htm", "https://site.vn/c-3.htm",
    ]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://site.vn/"/>
      <entry><link rel="alternate" href="https://site.vn/d-4.htm"/><link rel="edit" href="/x"/></entry>
    </feed>"""
    assert feed_links(atom, "https://site.vn/atom") == ["https://site.vn/d-4.htm"]


def test_sitemap_and_sitemap_index():
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://moha.gov.vn/tin-tuc/a-12345.html</loc></url>
      <url><loc> https://moha.gov.vn/tin-tuc/b-12346.html </loc></url></urlset>"""
    assert sitemap_links(urlset, "https://moha.gov.vn/sitemap.xml") == (
        ["https://moha.gov.vn/tin-tuc/a-12345.html", "https://moha.gov.vn/tin-tuc/b-12346.html"], [],
    )
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://moha.gov.vn/sitemap-1.xml</loc></sitemap></sitemapindex>"""
    assert sitemap_links(index, "https://moha.gov.vn/sitemap.xml") == ([], ["https://moha.gov.vn/sitemap-1.xml"])


def test_xml_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>
      <rss><channel><item><link>https://a.vn/&x;</link></item></channel></rss>""".encode()
    root = parse_xml(xxe)
    assert "TOP-SECRET" not in "".join(root.itertext())


def test_billion_laughs_does_not_expand():
    lol = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
      <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
      <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
      <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
      <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
      <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
      <urlset><url><loc>&lol6;</loc></url></urlset>"""
    root = parse_xml(lol)
    assert len("".join(root.itertext())) < 1000


def test_broken_xml_is_a_value_error():
    with pytest.raises(ValueError):
        parse_xml(b"   ")


def test_html_links_use_the_selector_and_resolve_relative_links():
    html = """<div class="list-news"><h3><a href="/tin-a-197240101.htm">A</a></h3>
      <h3><a href="tin-b-197240102.htm#c">B</a></h3></div><a href="/elsewhere">x</a>"""
    assert html_links(html, "https://mst.gov.vn/tin-tuc-su-kien/xem.htm", "div.list-news h3 a") == [
        "https://mst.gov.vn/tin-a-197240101.htm", "https://mst.gov.vn/tin-tuc-su-kien/tin-b-197240102.htm",
    ]


def test_listing_urls_by_page_and_by_offset():
    by_page = {"url": "https://b.vn/timelinelist/1027/{page}.htm", "first_page": 1, "max_pages": 3}
    assert listing_urls(by_page, 200) == [f"https://b.vn/timelinelist/1027/{n}.htm" for n in (1, 2, 3)]
    by_offset = {"url": "https://t.vn/x&BRSR={offset}", "first_page": 0, "step": 16, "max_pages": 3}
    assert listing_urls(by_offset, 200) == ["https://t.vn/x&BRSR=0", "https://t.vn/x&BRSR=16", "https://t.vn/x&BRSR=32"]
    assert len(listing_urls(by_page, 2)) == 2          # the site's page budget caps an entry


def test_daily_listing_walks_back_from_today():
    entry = {"url": "https://mst.gov.vn/xem-theo-ngay-{date:%d-%m-%Y}.htm", "days": 3}
    assert daily_listing_urls(entry, date(2024, 3, 1)) == [
        "https://mst.gov.vn/xem-theo-ngay-01-03-2024.htm",
        "https://mst.gov.vn/xem-theo-ngay-29-02-2024.htm",
        "https://mst.gov.vn/xem-theo-ngay-28-02-2024.htm",
    ]


# ---------------------------------------------------------------------------- walks over HTTP


def _discover(site: dict, today: date = date(2024, 3, 1)):
    """discover() with a plain httpx GET on loopback (fetch.py's politeness is tested there)."""

    async def run():
        async with httpx.AsyncClient() as client:
            async def get(url, missing_ok=False):
                r = await client.get(url)
                return Fetched(str(r.url), r.content, r.text) if r.status_code == 200 else None

            return await discover(site, get, today=today)

    return asyncio.run(run())


def _page(*hrefs: str) -> str:
    items = "".join(f'<div class="item"><a class="t" href="{h}">x</a></div>' for h in hrefs)
    return f"<html><body>{items}<a href='/menu'>menu</a></body></html>"


def test_listing_stops_at_a_page_with_no_new_links():
    with ScriptedServer({
        "/list/1": Reply(body=_page("/a-1", "/a-2")),
        "/list/2": Reply(body=_page("/a-3")),
        "/list/3": Reply(body=_page("/a-3")),          # the site repeats its last page
        "/list/4": Reply(body=_page("/a-4")),
    }) as s:
        site = {"max_pages": 200, "discovery": [
            {"kind": "listing", "url": s.url("/list/{page}"), "first_page": 1, "max_pages": 10, "links": "div.item a.t"},
        ]}
        found = _discover(site)
    assert found.urls == [s.url("/a-1"), s.url("/a-2"), s.url("/a-3")]
    assert found.pages_fetched == 3 and not s.hits("/list/4")


def test_listing_by_offset_respects_max_pages():
    routes = {f"/x&BRSR={o}": Reply(body=_page(f"/n-{o}")) for o in range(0, 200, 16)}
    with ScriptedServer(routes) as s:
        site = {"max_pages": 200, "discovery": [
            {"kind": "listing", "url": s.url("/x&BRSR={offset}"), "first_page": 0, "step": 16, "max_pages": 3,
             "links": "a.t"},
        ]}
        found = _discover(site)
    assert found.urls == [s.url("/n-0"), s.url("/n-16"), s.url("/n-32")]


def test_sitemap_index_is_followed_and_feeds_are_merged_without_duplicates():
    index = """<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>/sm-1.xml</loc></sitemap><sitemap><loc>/sm-2.xml</loc></sitemap></sitemapindex>"""
    def urlset(*locs):
        body = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
        return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    with ScriptedServer({
        "/sitemap.xml": Reply(body=index, content_type="application/xml"),
        "/sm-1.xml": Reply(body=urlset("/p-1", "/p-2"), content_type="application/xml"),
        "/sm-2.xml": Reply(body=urlset("/p-2", "/p-3"), content_type="application/xml"),
        "/rss": Reply(body="<rss><channel><item><link>/p-3#top</link></item><item><link>/p-4</link></item></channel></rss>"),
    }) as s:
        site = {"max_pages": 200, "discovery": [
            {"kind": "sitemap", "urls": [s.url("/sitemap.xml")]},
            {"kind": "rss", "urls": [s.url("/rss")]},
        ]}
        found = _discover(site)
    assert found.urls == [s.url(p) for p in ("/p-1", "/p-2", "/p-3", "/p-4")]
    assert found.pages_fetched == 4 and not found.errors


def test_daily_listing_walks_every_day_even_past_empty_days():
    with ScriptedServer({
        "/ngay-01-03-2024.htm": Reply(body=_page("/d-1")),
        "/ngay-29-02-2024.htm": Reply(body=_page()),        # a quiet day
        "/ngay-28-02-2024.htm": Reply(body=_page("/d-2", "/d-1")),
    }) as s:
        site = {"max_pages": 200, "discovery": [
            {"kind": "daily_listing", "url": s.url("/ngay-{date:%d-%m-%Y}.htm"), "days": 4, "links": "a.t"},
        ]}
        found = _discover(site)
    assert found.urls == [s.url("/d-1"), s.url("/d-2")]
    assert found.pages_fetched == 4                          # the 404 of 27-02 counted, not fatal


def test_page_budget_caps_all_entries_together():
    with ScriptedServer({f"/l/{n}": Reply(body=_page(f"/z-{n}")) for n in range(1, 20)}) as s:
        site = {"max_pages": 4, "discovery": [
            {"kind": "listing", "url": s.url("/l/{page}"), "first_page": 1, "max_pages": 3, "links": "a.t"},
            {"kind": "listing", "url": s.url("/l/{page}"), "first_page": 10, "max_pages": 3, "links": "a.t"},
        ]}
        found = _discover(site)
    assert found.pages_fetched == 4 and len(found.urls) == 4
    assert any("budget of 4" in e for e in found.errors)


def test_unparsable_feed_is_an_error_line_not_an_exception():
    with ScriptedServer({"/rss": Reply(body="")}) as s:
        found = _discover({"max_pages": 200, "discovery": [{"kind": "rss", "urls": [s.url("/rss")]}]})
    assert found.urls == [] and found.errors == [f"feed {s.url('/rss')}: could not be parsed (not XML)"]


def test_daily_listing_with_no_page_at_all_warns_once():
    with ScriptedServer() as s:
        entry = {"kind": "daily_listing", "url": s.url("/ngay-{date:%d-%m-%Y}.htm"), "days": 3, "links": "a.t"}
        found = _discover({"max_pages": 200, "discovery": [entry]})
    assert found.urls == [] and found.errors == [] and found.warnings == [
        f"daily listing {entry['url']}: no page for any of the 3 days up to 2024-03-01"
    ]


# ---------------------------------------------------------------------------- incremental, safety


def test_tracking_parameters_and_trailing_dots_are_dropped():
    assert canonical_url("https://A.vn./x?utm_source=fb&id=3&fbclid=Z#c") == "https://a.vn/x?id=3"
    assert canonical_url("https://a.vn/x?gclid=1") == "https://a.vn/x"
    assert canonical_url("https://a.vn/x?b=1&a=2") == "https://a.vn/x?b=1&a=2"     # order kept when nothing dropped


def test_listing_stops_at_a_page_of_known_links_and_since_skips_old_items():
    feed = """<rss><channel>
      <item><link>/new-1</link><pubDate>Fri, 01 Mar 2024 08:00:00 +0700</pubDate></item>
      <item><link>/old-2</link><pubDate>Mon, 01 Jan 2024 08:00:00 +0700</pubDate></item></channel></rss>"""
    with ScriptedServer({
        "/l/1": Reply(body=_page("/a-1", "/a-2")), "/l/2": Reply(body=_page("/a-3")), "/rss": Reply(body=feed),
    }) as s:
        site = {"max_pages": 200, "discovery": [
            {"kind": "listing", "url": s.url("/l/{page}"), "first_page": 1, "max_pages": 5, "links": "a.t"},
            {"kind": "rss", "urls": [s.url("/rss")]}]}

        async def run():
            async with httpx.AsyncClient() as client:
                async def get(url, missing_ok=False):
                    r = await client.get(url)
                    return Fetched(str(r.url), r.content, r.text) if r.status_code == 200 else None
                return await discover(site, get, today=date(2024, 3, 1), since=date(2024, 2, 1),
                                      known={s.url("/a-1"), s.url("/a-2")})

        found = asyncio.run(run())
        assert not s.hits("/l/2")                                      # page 1 was all known
    assert found.urls == [s.url("/a-1"), s.url("/a-2"), s.url("/new-1")]


def test_malformed_xml_keeps_what_it_can_and_says_so():
    problems: list[str] = []
    root = parse_xml(b"<urlset><url><loc>https://a.vn/1</loc></url><url><loc>https://a.vn/2</lo", problems)
    assert root is not None and problems and problems[0].startswith("malformed XML")
