"""The offline mirror: build (deterministic, up to date), templates (adapter selectors find the
gold), discovery (listings, feeds and sitemaps reach every article), and the HTTP server
(Host routing, validators and 304, 404s, no gold files, no path traversal)."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import tomllib
import urllib.robotparser
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from conftest import REPO
from mirror import build
from mirror.server import MirrorServer

REGISTRY = tomllib.loads((REPO / "config" / "sources.toml").read_text(encoding="utf-8"))
SITES = {s["id"]: s for s in REGISTRY["site"]}
ADAPTERS = tomllib.loads((REPO / "extractors" / "adapters.toml").read_text(encoding="utf-8"))


def host_of(site_id: str) -> str:
    return urlsplit(SITES[site_id]["base_url"]).netloc.lower()


def path_of(url: str) -> str:
    p = urlsplit(url)
    return (p.path or "/") + (("?" + p.query) if p.query else "")


@pytest.fixture(scope="module")
def pages() -> list[build.Page]:
    return build.build_pages()


@pytest.fixture(scope="module")
def articles(pages) -> list[build.Page]:
    return [p for p in pages if p.kind == "article"]


def get(base: str, url: str, **headers) -> httpx.Response:
    """GET the real URL from the mirror, with the real Host header."""
    return httpx.get(base + path_of(url), headers={"Host": urlsplit(url).netloc, **headers}, timeout=10)


# ------------------------------------------------------------------------------------ build
def test_build_check_is_clean():
    r = subprocess.run([sys.executable, "-m", "mirror.build", "--check"], cwd=REPO,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]


def test_build_is_deterministic(pages):
    again = build.build_pages()
    assert [(p.rel, p.content) for p in again] == [(p.rel, p.content) for p in pages]


def test_check_detects_a_changed_and_a_stale_file(pages, tmp_path):
    build.write(pages, tmp_path)
    assert build.diff(pages, tmp_path) == []
    victim = tmp_path / next(p.rel for p in pages if p.kind == "robots")
    victim.write_text("User-agent: *\nDisallow: /\n")
    (tmp_path / "stale.html").write_text("old")
    problems = build.diff(pages, tmp_path)
    assert any(p.startswith("differs:") for p in problems) and "stale: stale.html" in problems
    build.write(pages, tmp_path)
    assert build.diff(pages, tmp_path) == []


def test_url_to_file_rule():
    assert build.url_to_relpath("https://vanban.chinhphu.vn/?pageid=27160&docid=207416") == \
        "vanban.chinhphu.vn/index.html@pageid=27160&docid=207416"
    assert build.url_to_relpath("https://baochinhphu.vn/rss/home.rss") == "baochinhphu.vn/rss/home.rss"
    assert build.url_to_relpath("https://thoidai.com.vn/chinh-tri-xa-hoi&BRSR=16") == \
        "thoidai.com.vn/chinh-tri-xa-hoi&BRSR=16"
    assert build.url_to_relpath("https://mst.gov.vn/") == "mst.gov.vn/index.html"


def drifted_urls() -> set[str]:
    """URLs of the drifted (redesigned-layout) evaluation pages."""
    return {a.url for s in build.load_sites() for a in s.articles if a.layout}


def test_every_article_has_its_gold_beside_it(pages, articles, mirror_root):
    gold_fields = set(build.GOLD_FIELDS)
    for art in articles:
        gold_file = mirror_root / (art.rel + build.GOLD_SUFFIX)
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        want = gold_fields | ({"layout"} if art.url in drifted_urls() else set())
        assert set(gold) == want, gold_file
        assert gold["url"] == art.url and gold["site"] == art.site_id


def test_seed_articles_keep_the_shared_gold(articles, mirror_root):
    seeds = sorted((REPO.parent / "shared" / "gold" / "seeds").glob("*.json"))
    if not seeds:
        pytest.skip("shared/gold/seeds not found")
    ours = {json.loads((mirror_root / (a.rel + build.GOLD_SUFFIX)).read_text())["id"]:
            json.loads((mirror_root / (a.rel + build.GOLD_SUFFIX)).read_text()) for a in articles}
    for path in seeds:
        want = json.loads(path.read_text(encoding="utf-8"))
        got = ours[want["id"]]
        for key in ("title", "published", "body", "observations", "legal_refs"):
            assert got[key] == want[key], (path.name, key)


# ------------------------------------------------------------------------ URLs and regexes
def test_article_urls_match_their_site_regex_and_nothing_else_does(pages):
    for p in pages:
        regex = SITES[p.site_id]["article_url"]
        if p.kind in ("article", "gold"):
            assert re.search(regex, p.url), p.url
        else:
            assert not re.search(regex, p.url), f"{p.kind} page {p.url} looks like an article URL"


def test_listing_pages_are_not_article_pages(pages):
    """Listing/home/404 pages have teasers but never the adapter's article body element."""
    for p in pages:
        if p.kind not in ("listing", "home", "404"):
            continue
        adapter = ADAPTERS["adapter"].get(SITES[p.site_id].get("adapter", "generic"), {})
        soup = BeautifulSoup(p.content, "lxml")
        if "body" in adapter:
            assert not soup.select(adapter["body"]), p.url
        assert not soup.select("meta[property='article:published_time']"), p.url


# ---------------------------------------------------------------------- templates vs adapters
def _check_selectors(page: build.Page, gold: dict) -> None:
    site = SITES[page.site_id]
    name = site.get("adapter", "generic")
    adapter = ADAPTERS["adapter"].get(name, {})
    soup = BeautifulSoup(page.content, "lxml")
    paras = gold["body"].split("\n\n")
    if not adapter.get("body"):  # generic: JSON-LD and OpenGraph carry the title and date
        ld = json.loads(soup.select_one("script[type='application/ld+json']").string)
        assert ld["@type"] == "NewsArticle" and ld["headline"] == gold["title"]
        assert ld["datePublished"] == gold["published"]
        assert soup.select_one("meta[property='og:title']")["content"] == gold["title"]
        return
    title = soup.select_one(adapter["title"])
    assert title is not None and title.get_text(strip=True) == gold["title"], page.url
    lead_el = soup.select_one(adapter["lead"])
    lead = lead_el.get("content") if lead_el.name == "meta" else lead_el.get_text(" ", strip=True)
    if adapter.get("lead_prefix"):
        assert re.match(adapter["lead_prefix"], lead), page.url  # the site's "(Chinhphu.vn) - "
        lead = re.sub(adapter["lead_prefix"], "", lead)
    assert lead == paras[0], page.url
    time_el = soup.select_one(adapter["time"])
    assert time_el is not None, page.url
    body = soup.select_one(adapter["body"])
    assert body is not None, page.url
    for sel in ADAPTERS["common"]["drop"] + adapter.get("drop", []):
        for el in body.select(sel):
            el.decompose()
    got = [p.get_text(" ", strip=True) for p in body.find_all("p")]
    got = [t for t in got if t]
    want = paras[1:]
    if got and got[0] == paras[0]:  # a site that repeats the sapo in the body (mst)
        got = got[1:]
    assert got == want, page.url


def test_article_pages_follow_the_adapter_selectors(articles, mirror_root):
    drifted = drifted_urls()
    for art in articles:
        if art.url in drifted:
            continue
        gold = json.loads((mirror_root / (art.rel + build.GOLD_SUFFIX)).read_text(encoding="utf-8"))
        _check_selectors(art, gold)


# ------------------------------------------------------------------------- drifted layouts
def test_at_least_twenty_drifted_pages_over_several_sites(articles):
    drifted = [a for a in articles if a.url in drifted_urls()]
    assert len(drifted) >= 20
    assert len({a.site_id for a in drifted}) >= 5


def test_drifted_pages_escape_their_adapter(articles):
    """A redesign keeps the site's words but none of the adapter's body or title markup."""
    for art in (a for a in articles if a.url in drifted_urls()):
        adapter = ADAPTERS["adapter"][SITES[art.site_id]["adapter"]]
        soup = BeautifulSoup(art.content, "lxml")
        assert not soup.select(adapter["body"]), art.url
        assert not soup.select(adapter["title"]), art.url


def test_drifted_pages_are_linked_from_nowhere(pages):
    """Evaluation pages only: no listing, feed, sitemap, home page or teaser links to them, so
    the default crawl (egov demo) never meets template drift."""
    drifted = drifted_urls()
    paths = {path_of(u) for u in drifted}
    for p in pages:
        assert not drifted & set(p.links), p.url
        if p.kind != "gold" and p.url not in drifted:
            text = p.content.decode("utf-8")
            assert not any(u in text for u in drifted), p.url
            assert not any(f'href="{q}"' in text for q in paths), p.url


def test_drifted_source_copies_its_article_and_rejects_unknown_layouts(tmp_path):
    site = tmp_path / "thanhtra.com.vn"
    site.mkdir()
    base = json.loads((build.ARTICLES_DIR / "thanhtra.com.vn" / "tt_001.json").read_text(encoding="utf-8"))
    (site / "tt_001.json").write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    drift = {"id": "tt_001_redesign", "url": base["url"].replace(".html", "9.html"),
             "layout": "redesign-2025", "same_as": "tt_001"}
    (site / "tt_001_redesign.json").write_text(json.dumps(drift), encoding="utf-8")
    built = build.build_pages(articles_dir=tmp_path)
    golds = {json.loads(p.content)["id"]: json.loads(p.content) for p in built if p.kind == "gold"}
    assert golds["tt_001_redesign"]["body"] == base["body"] and golds["tt_001_redesign"]["layout"] == "redesign-2025"
    assert "layout" not in golds["tt_001"]
    (site / "tt_001_redesign.json").write_text(json.dumps({**drift, "layout": "nope"}), encoding="utf-8")
    with pytest.raises(build.BuildError, match="unknown layout 'nope'"):
        build.build_pages(articles_dir=tmp_path)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> list[build.Page]:
    """One article per registry site (the seed golds, moved), built with the real templates: every
    adapter's templates are exercised whatever articles the mirror holds today."""
    seeds = sorted((REPO.parent / "shared" / "gold" / "seeds").glob("*.json"))
    if not seeds:
        pytest.skip("shared/gold/seeds not found")
    root = tmp_path_factory.mktemp("articles")
    urls = {
        "baochinhphu.vn": "https://baochinhphu.vn/chinh-phu-so-{n}-102240424142900{n}.htm",
        "chinhphu.vn": "https://vanban.chinhphu.vn/?pageid=27160&docid=2074{n}",
        "thanhtra.com.vn": "https://thanhtra.com.vn/chuyen-doi-so/bai-viet-{n}-22741{n}.html",
        "thoidai.com.vn": "https://thoidai.com.vn/bai-viet-{n}-13546{n}.html",
        "tapchitaichinh.vn": "https://tapchitaichinh.vn/tai-chinh-so/bai-viet-{n}-32257{n}.html",
        "mst.gov.vn": "https://mst.gov.vn/bai-viet-{n}-19723041912140000{n}.htm",
        "bacgiang.gov.vn": "https://bacgiang.gov.vn/web/guest/tin-tuc-su-kien/-/asset_publisher/M0UUAFstbTMS/content/bai-viet-{n}",
        "moha.gov.vn": "https://moha.gov.vn/tin-tuc/bai-viet-{n}-4821{n}.html",
    }
    for i, site_id in enumerate(SITES):
        for n, seed in enumerate(seeds[:2]):
            gold = json.loads(seed.read_text(encoding="utf-8"))
            gold.update(id=f"syn_{i}_{n}", site=site_id, url=urls[site_id].format(n=n),
                        author="Thu Hằng", source_line="Theo TTXVN",
                        captions=["Quang cảnh phiên họp. Ảnh: VGP", "Ảnh: Nhật Bắc"])
            d = root / site_id
            d.mkdir(exist_ok=True)
            (d / f"syn_{n}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return build.build_pages(articles_dir=root)


def test_every_adapter_template_follows_its_selectors(synthetic):
    golds = {p.rel: json.loads(p.content) for p in synthetic if p.kind == "gold"}
    arts = [p for p in synthetic if p.kind == "article"]
    assert {p.site_id for p in arts} == set(SITES)
    for art in arts:
        _check_selectors(art, golds[art.rel + build.GOLD_SUFFIX])


def test_boilerplate_is_on_the_page_but_not_in_the_gold(synthetic):
    golds = {p.rel: json.loads(p.content) for p in synthetic if p.kind == "gold"}
    for art in (p for p in synthetic if p.kind == "article"):
        html = art.content.decode("utf-8")
        body = golds[art.rel + build.GOLD_SUFFIX]["body"]
        for junk in ("Quang cảnh phiên họp. Ảnh: VGP", "Theo TTXVN", "Thu Hằng", "<script"):
            assert junk in html, (art.url, junk)
            assert junk not in body
        assert re.search(r"Điện thoại: [\d.]+", html), art.url  # footers with phone numbers


def test_times_are_shown_as_the_real_sites_show_them(synthetic):
    shown = {
        "baochinhphu.vn": r"<div data-role=\"publishdate\">\d\d/\d\d/\d{4} \d\d:\d\d</div>",
        "thoidai.com.vn": r"class=\"article-detail-date\">\d\d:\d\d \| \d\d/\d\d/\d{4} GMT\+7<",
        "thanhtra.com.vn": r"<p class=\"text-sm[^\"]*\">(Thứ \w+|Chủ nhật), \d\d/\d\d/\d{4} - \d\d:\d\d</p>",
        "tapchitaichinh.vn": r"<time datetime=\"\d{4}-\d\d-\d\dT[\d:]+\+07:00\">\d\d/\d\d/\d{4} \d\d:\d\d</time>",
        "mst.gov.vn": r"Ngày đăng : \d\d:\d\d, \d\d/\d\d/\d{4}",
        "bacgiang.gov.vn": r"class=\"publish-date\">\d\d/\d\d/\d{4} \d\d:\d\d<",
        "moha.gov.vn": r"\d\d/\d\d/\d{4} \| \d\d:\d\d [AP]M",
    }
    for art in (p for p in synthetic if p.kind == "article"):
        if art.site_id in shown:
            assert re.search(shown[art.site_id], art.content.decode("utf-8")), art.url


# ------------------------------------------------------------------------------- discovery
def _discover(base: str, site: dict, article_days: set) -> tuple[set[str], dict[str, int]]:
    """Walk the site's registry discovery through the server; returns linked URLs and the number
    of non-empty pages per discovery URL template."""
    found: set[str] = set()
    nonempty: dict[str, int] = {}
    for disc in site.get("discovery", []):
        kind = disc["kind"]
        if kind in ("listing", "daily_listing"):
            if kind == "listing":
                first, step = disc.get("first_page", 1), disc.get("step", 1)
                urls = [disc["url"].format(page=first + k * step, offset=first + k * step)
                        for k in range(disc.get("max_pages", 5))]
            else:
                urls = [disc["url"].format(date=d) for d in sorted(article_days)]
            for url in urls:
                r = get(base, url)
                assert r.status_code == 200, url
                assert r.headers["content-type"] == "text/html; charset=utf-8"
                links = [urljoin(url, a["href"]) for a in BeautifulSoup(r.content, "lxml").select(disc["links"])]
                for link in links:
                    assert re.search(site["article_url"], link), (url, link)
                found |= set(links)
                nonempty[disc["url"]] = nonempty.get(disc["url"], 0) + bool(links)
        elif kind in ("rss", "sitemap"):
            for url in disc["urls"]:
                r = get(base, url)
                assert r.status_code == 200, url
                soup = BeautifulSoup(r.content, "xml")
                if kind == "rss":
                    assert r.headers["content-type"] == "application/rss+xml; charset=utf-8"
                    items = soup.find_all("item")
                    assert all(it.pubDate and it.pubDate.get_text() for it in items), url
                    found |= {it.link.get_text(strip=True) for it in items}
                else:
                    assert r.headers["content-type"] == "application/xml; charset=utf-8"
                    found |= {loc.get_text(strip=True) for loc in soup.find_all("loc")}
    return found, nonempty


def test_discovery_reaches_every_article(mirror_url, pages, articles):
    by_site: dict[str, list[build.Page]] = {}
    drifted = drifted_urls()
    for a in (a for a in articles if a.url not in drifted):
        by_site.setdefault(a.site_id, []).append(a)
    for site_id, site in SITES.items():
        arts = by_site.get(site_id, [])
        days = {a.last_modified.astimezone(build.VN_TZ).date() for a in arts}
        found, nonempty = _discover(mirror_url, site, days)
        missing = {a.url for a in arts} - found
        assert not missing, (site_id, sorted(missing))
        for template, n in nonempty.items():
            linked = {u for p in pages if p.site_id == site_id and p.kind == "listing"
                      and p.url.split("?")[0].startswith(template.split("{")[0].split("?")[0]) for u in p.links}
            if len(linked) >= 2 and ("{page}" in template or "{offset}" in template):
                assert n >= 2, f"{template}: only {n} non-empty page(s) for {len(linked)} articles"


def test_synthetic_listings_paginate(synthetic):
    """With two articles per site every paginated listing has at least two non-empty pages, and
    thoidai keeps the registry's offset step of 16."""
    for site_id, site in SITES.items():
        for disc in site.get("discovery", []):
            if disc["kind"] != "listing":
                continue
            listing = [p for p in synthetic if p.kind == "listing" and p.site_id == site_id
                       and p.selector == disc["links"]]
            assert sum(bool(p.links) for p in listing) >= 2, site_id
            for p in listing:  # the registry's selector finds exactly the page's articles
                soup = BeautifulSoup(p.content, "lxml")
                assert {urljoin(p.url, a["href"]) for a in soup.select(disc["links"])} == set(p.links)
    thoidai = [p.url for p in synthetic if p.site_id == "thoidai.com.vn" and p.kind == "listing"]
    assert "https://thoidai.com.vn/chinh-tri-xa-hoi&BRSR=16" in thoidai


def test_feeds_carry_pubdates_and_sitemaps_lastmod(synthetic):
    for p in synthetic:
        if p.kind == "rss":
            soup = BeautifulSoup(p.content, "xml")
            dates = [it.pubDate.get_text() for it in soup.find_all("item")]
            assert dates and all(re.match(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$", d) for d in dates)
        elif p.kind == "sitemap":
            soup = BeautifulSoup(p.content, "xml")
            assert soup.find("urlset") is not None and soup.find_all("lastmod")


def test_robots_allow_articles_and_discovery(pages):
    delays = 0
    for p in (p for p in pages if p.kind == "robots"):
        rp = urllib.robotparser.RobotFileParser()
        rp.parse(p.content.decode("utf-8").splitlines())
        ua = REGISTRY["defaults"]["user_agent"]
        for q in pages:
            if q.site_id == p.site_id and q.kind in ("article", "listing", "rss", "sitemap", "home"):
                assert rp.can_fetch(ua, q.url), q.url
        assert not rp.can_fetch(ua, urlsplit(p.url)._replace(path="/admin/").geturl())
        delays += rp.crawl_delay(ua) is not None
        assert "Sitemap: " in p.content.decode()
    assert delays == 1


# --------------------------------------------------------------------------------- server
def test_every_article_is_served_at_its_real_path(mirror_url, articles):
    for art in articles:
        r = get(mirror_url, art.url)
        assert r.status_code == 200, art.url
        assert r.content == art.content
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert r.headers["content-length"] == str(len(art.content))
        assert r.headers["last-modified"] == format_datetime(art.last_modified.astimezone(timezone.utc), usegmt=True)


def test_host_header_port_is_ignored_and_browser_paths_work(mirror_url, articles):
    art = articles[0]
    p = urlsplit(art.url)
    r = httpx.get(mirror_url + path_of(art.url), headers={"Host": p.netloc + ":443"})
    assert r.status_code == 200 and r.content == art.content
    r = httpx.get(f"{mirror_url}/{p.netloc}{path_of(art.url)}")  # Host is 127.0.0.1:PORT
    assert r.status_code == 200 and r.content == art.content
    index = httpx.get(mirror_url + "/")
    assert index.status_code == 200 and "text/html" in index.headers["content-type"]
    for site_id in SITES:
        assert f'href="/{host_of(site_id)}/"' in index.text


def test_content_types(mirror_url):
    r = get(mirror_url, "https://baochinhphu.vn/rss/home.rss")
    assert r.headers["content-type"] == "application/rss+xml; charset=utf-8"
    r = get(mirror_url, "https://tapchitaichinh.vn/rss")  # no extension: sniffed
    assert r.headers["content-type"] == "application/rss+xml; charset=utf-8"
    r = get(mirror_url, "https://mst.gov.vn/sitemap.xml")
    assert r.headers["content-type"] == "application/xml; charset=utf-8"
    r = get(mirror_url, "https://thanhtra.com.vn/robots.txt")
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    r = get(mirror_url, "https://vanban.chinhphu.vn/he-thong-van-ban?classid=1&mode=1&page=1")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"


def test_conditional_get_and_head(mirror_url, articles):
    url = articles[0].url
    r = get(mirror_url, url)
    etag, lm = r.headers["etag"], r.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{64}"', etag)
    r304 = get(mirror_url, url, **{"If-None-Match": etag})
    assert r304.status_code == 304 and r304.content == b"" and r304.headers["etag"] == etag
    assert get(mirror_url, url, **{"If-None-Match": f'"nope", W/{etag}'}).status_code == 304
    assert get(mirror_url, url, **{"If-None-Match": '"other"'}).status_code == 200
    assert get(mirror_url, url, **{"If-Modified-Since": lm}).status_code == 304
    earlier = format_datetime(articles[0].last_modified.astimezone(timezone.utc) - timedelta(days=1), usegmt=True)
    assert get(mirror_url, url, **{"If-Modified-Since": earlier}).status_code == 200
    # If-None-Match wins over If-Modified-Since
    assert get(mirror_url, url, **{"If-None-Match": '"other"', "If-Modified-Since": lm}).status_code == 200
    assert get(mirror_url, url, **{"If-Modified-Since": "garbage"}).status_code == 200
    head = httpx.head(mirror_url + path_of(url), headers={"Host": urlsplit(url).netloc})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == r.headers["content-length"] and head.headers["etag"] == etag
    # a listing page has the fixed/newest date and its own ETag too
    r = get(mirror_url, "https://thoidai.com.vn/chinh-tri-xa-hoi&BRSR=0")
    assert get(mirror_url, "https://thoidai.com.vn/chinh-tri-xa-hoi&BRSR=0",
               **{"If-None-Match": r.headers["etag"]}).status_code == 304


def test_404_has_an_html_body(mirror_url):
    for url in ("https://baochinhphu.vn/khong-co-bai-nay-102999999999999.htm",
                "https://moha.gov.vn/tin-tuc/khong-co-99999.html",
                "https://thoidai.com.vn/chinh-tri-xa-hoi&BRSR=999"):
        r = get(mirror_url, url)
        assert r.status_code == 404, url
        assert r.headers["content-type"] == "text/html; charset=utf-8" and "<html" in r.text.lower()
    r = httpx.get(mirror_url + "/no-such-host.example/x.html")
    assert r.status_code == 404 and "<html" in r.text.lower()
    assert httpx.post(mirror_url + "/", headers={"Host": "baochinhphu.vn"}).status_code == 405


def test_gold_files_are_never_served(mirror_url, articles):
    for art in articles:
        p = urlsplit(art.url)
        # the gold of a query URL sits at <file>@<query>.gold.json
        gold_path = p.path + (("?" + p.query) if p.query else "") + build.GOLD_SUFFIX
        for path in (gold_path, gold_path.replace(".gold.json", "%2Egold%2Ejson"),
                     f"/{p.netloc}{gold_path}"):
            headers = {} if path.startswith(f"/{p.netloc}/") else {"Host": p.netloc}
            r = httpx.get(mirror_url + path, headers=headers)
            assert r.status_code == 404, path
            assert '"observations"' not in r.text


def _raw_get(base: str, path: str, host: str) -> int:
    """http.client sends the path exactly as given (no dot-segment normalisation)."""
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        assert b"[site]" not in body and b"root:" not in body
        return resp.status
    finally:
        conn.close()


def test_no_path_traversal(mirror_url):
    attempts = [
        ("/../../../config/sources.toml", "baochinhphu.vn"),
        ("/%2e%2e/%2e%2e/%2e%2e/config/sources.toml", "baochinhphu.vn"),
        ("/..%2f..%2f..%2fconfig%2fsources.toml", "baochinhphu.vn"),
        ("/../thoidai.com.vn/robots.txt", "baochinhphu.vn"),
        ("/robots.txt?x=/../../../../config/sources.toml", "baochinhphu.vn"),
        ("/etc/passwd", "baochinhphu.vn"),
        ("//etc/passwd", "baochinhphu.vn"),
        ("/config/sources.toml", ".."),
        ("/../config/sources.toml", "127.0.0.1"),
        ("/baochinhphu.vn/../../../config/sources.toml", "127.0.0.1"),
        ("/baochinhphu.vn/%2e%2e/%2e%2e/%2e%2e/config/sources.toml", "127.0.0.1"),
        ("/..%5c..%5cconfig%5csources.toml", "baochinhphu.vn"),
        ("/robots.txt%00.html", "baochinhphu.vn"),
    ]
    for path, host in attempts:
        assert _raw_get(mirror_url, path, host) in (400, 404), (path, host)


def test_request_counter_per_host(mirror_root):
    with MirrorServer(mirror_root) as base:
        server_hosts = ["baochinhphu.vn", "mst.gov.vn"]
        for h in server_hosts:
            httpx.get(base + "/robots.txt", headers={"Host": h})
        httpx.get(base + "/robots.txt", headers={"Host": "mst.gov.vn"})
        httpx.get(base + "/")
    # the context manager stopped it; counts survive for inspection
    # (a new instance starts from zero)
    srv = MirrorServer(mirror_root)
    base = srv.start()
    try:
        httpx.get(base + "/robots.txt", headers={"Host": "mst.gov.vn"})
        httpx.get(base + "/robots.txt", headers={"Host": "mst.gov.vn:80"})
        httpx.head(base + "/", headers={"Host": "baochinhphu.vn"})
        assert srv.request_count("mst.gov.vn") == 2
        assert srv.request_count("baochinhphu.vn") == 1
        assert [r.method for r in srv.requests_for("baochinhphu.vn")] == ["HEAD"]
        srv.reset_counts()
        assert srv.request_count() == 0
    finally:
        srv.stop()


def test_server_start_stop_and_context_manager(mirror_root):
    srv = MirrorServer(mirror_root)
    base = srv.start()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
    assert httpx.get(base + "/robots.txt", headers={"Host": "mst.gov.vn"}).status_code == 200
    srv.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/robots.txt", headers={"Host": "mst.gov.vn"}, timeout=2)
    srv.stop()  # idempotent
