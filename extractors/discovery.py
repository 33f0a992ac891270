"""Turn a site's `[[site.discovery]]` entries into the URLs of candidate articles.

Why it is separate from fetching: discovery is about *where links live* on each kind of page
(RSS/Atom items, sitemap `<loc>`s, a CSS selector over a listing), and about *when to stop
walking* (a listing page with no new links, `max_pages`, the site's page budget, `days` of a
daily listing). The HTTP work is handed in as `get(url)`, an async callable supplied by
fetch.py that applies robots.txt, rate limits and retries and returns None when a page could
not be had (fetch.py records why). So this module can be read, and tested, as pure page logic.

XML from the network is parsed with entity resolution, network access and huge trees all off:
a feed or sitemap must not be able to read local files (XXE) or expand itself into gigabytes
("billion laughs").
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup
from lxml import etree

DEFAULT_PORTS = {"http": 80, "https": 443}
SITEMAP_MAX_DEPTH = 3                 # index → index → urlset is already unusual
SITEMAP_MAX_UNZIPPED = 50 * 1024**2   # the sitemaps.org limit for one (uncompressed) sitemap
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"   # RSS 1.0 items name their link rdf:about


@dataclass
class Fetched:
    """A page discovery asked for: `url` is where it ended up (after same-host redirects)."""

    url: str
    body: bytes
    text: str


# get(url, missing_ok=False) -> the page, or None (the caller of discover records why, except
# for a 404/410 when missing_ok: a daily listing's quiet day is not an error)
GetPage = Callable[..., Awaitable[Fetched | None]]


@dataclass
class Discovery:
    urls: list[str] = field(default_factory=list)     # canonical, de-duplicated, in found order
    pages_fetched: int = 0
    errors: list[str] = field(default_factory=list)
    # Worth a look but not a failure: e.g. a daily listing with no page in its window (a quiet
    # fortnight on a live site, or a mirror snapshot older than the window).
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- URLs


def canonical_url(url: str) -> str:
    """Lowercase scheme and host, drop the fragment and a default port; path and query kept."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:                                   # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _web_links(hrefs: Iterable[str | None], base: str) -> list[str]:
    out = []
    for href in hrefs:
        if not href or not href.strip():
            continue
        url = urljoin(base, href.strip())
        if urlsplit(url).scheme in ("http", "https"):
            out.append(canonical_url(url))
    return out


# ---------------------------------------------------------------------------- parsing pages


def html_links(html: str, page_url: str, selector: str) -> list[str]:
    """Hrefs of the elements `selector` picks (or of the first link inside each), resolved."""
    soup = BeautifulSoup(html, "lxml")
    base_tag = soup.find("base", href=True)
    base = urljoin(page_url, base_tag["href"]) if base_tag else page_url
    hrefs = []
    for element in soup.select(selector):
        if not element.has_attr("href"):
            element = element.find("a", href=True)
        if element is not None:
            hrefs.append(element.get("href"))
    return _web_links(hrefs, base)


def parse_xml(body: bytes) -> etree._Element:
    """A safely parsed XML document (raises ValueError if nothing usable came out)."""
    if body[:2] == b"\x1f\x8b":                       # a .xml.gz served without Content-Encoding
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
            body = f.read(SITEMAP_MAX_UNZIPPED + 1)
        if len(body) > SITEMAP_MAX_UNZIPPED:
            raise ValueError("gzipped XML larger than 50 MB unzipped")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=True
    )
    root = etree.fromstring(body.lstrip(), parser=parser) if body.strip() else None
    if root is None:
        raise ValueError("not XML")
    return root


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def feed_links(body: bytes, feed_url: str) -> list[str]:
    """Item links of an RSS 2.0 / RSS 1.0 / Atom feed."""
    hrefs = []
    for element in parse_xml(body).iter():
        name = _local(element)
        if name == "item":
            links = _children(element, "link")
            guids = [g for g in _children(element, "guid") if g.get("isPermaLink", "true") == "true"]
            pick = links or guids
            hrefs.append(pick[0].text if pick else element.get(f"{{{_RDF}}}about"))
        elif name == "entry":
            links = [l for l in _children(element, "link") if l.get("rel", "alternate") == "alternate"]
            hrefs.append(links[0].get("href") if links else None)
    return _web_links(hrefs, feed_url)


def sitemap_links(body: bytes, sitemap_url: str) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap or sitemap index."""
    root = parse_xml(body)
    locs = [loc.text for entry in root for loc in _children(entry, "loc")]
    if _local(root) == "sitemapindex":
        return [], _web_links(locs, sitemap_url)
    return _web_links(locs, sitemap_url), []


# ---------------------------------------------------------------------------- walking a site


def listing_urls(entry: dict, max_pages: int) -> list[str]:
    """The listing pages of an entry: `{page}`/`{offset}` = first_page, +step, … (max_pages)."""
    first, step = entry.get("first_page", 1), entry.get("step", 1)
    count = min(entry.get("max_pages", max_pages), max_pages)
    return [entry["url"].format(page=first + k * step, offset=first + k * step) for k in range(count)]


def daily_listing_urls(entry: dict, today: date) -> list[str]:
    """One listing page per day, from `today` back over `days` days (today included)."""
    return [entry["url"].format(date=today - timedelta(days=k)) for k in range(entry["days"])]


class _Walk:
    """Shared state of one site's discovery: the page budget, the URLs found, the errors."""

    def __init__(self, get: GetPage, budget: int):
        self.get, self.budget = get, budget
        self.result = Discovery()
        self._known: set[str] = set()

    async def fetch(self, url: str, missing_ok: bool = False) -> Fetched | None:
        if self.exhausted():
            self.note(f"discovery: budget of {self.budget} listing/feed pages reached; later pages not walked")
            return None
        self.result.pages_fetched += 1
        return await (self.get(url, missing_ok=True) if missing_ok else self.get(url))

    def add(self, urls: Iterable[str]) -> None:
        for url in urls:
            if url not in self._known:
                self._known.add(url)
                self.result.urls.append(url)

    def note(self, line: str) -> None:
        if line not in self.result.errors:
            self.result.errors.append(line)

    def parsed(self, parse: Callable[[], Any], what: str, url: str, default: Any = ()) -> Any:
        """parse(), or `default` with a note when the page is not what its kind promises."""
        try:
            return parse()
        except (ValueError, etree.Error, OSError, EOFError) as e:
            self.note(f"{what} {url}: could not be parsed ({' '.join(str(e).split()) or type(e).__name__})")
            return default

    def exhausted(self) -> bool:
        return self.result.pages_fetched >= self.budget


async def _walk_feeds(walk: _Walk, entry: dict) -> None:
    for url in entry["urls"]:
        page = await walk.fetch(url)
        if page is not None:
            walk.add(walk.parsed(lambda: feed_links(page.body, page.url), "feed", url))


async def _walk_sitemaps(walk: _Walk, entry: dict) -> None:
    queue = [(url, 0) for url in entry["urls"]]
    visited: set[str] = set()
    while queue:
        url, depth = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        page = await walk.fetch(url)
        if page is None:
            continue
        pages, children = walk.parsed(lambda: sitemap_links(page.body, page.url), "sitemap", url, ([], []))
        walk.add(pages)
        if children and depth + 1 >= SITEMAP_MAX_DEPTH:
            walk.note(f"sitemap {url}: nested deeper than {SITEMAP_MAX_DEPTH} levels, not followed")
            continue
        queue.extend((child, depth + 1) for child in children)


async def _walk_listing(walk: _Walk, entry: dict, max_pages: int) -> None:
    """Page by page until a page adds no link this walk has not seen (or fails, or max_pages)."""
    seen_here: set[str] = set()
    for url in listing_urls(entry, max_pages):
        page = await walk.fetch(url)
        if page is None:
            return
        links = walk.parsed(lambda: html_links(page.text, page.url, entry["links"]), "listing", url)
        new = [link for link in links if link not in seen_here]
        if not new:
            return
        seen_here.update(new)
        walk.add(new)


async def _walk_daily(walk: _Walk, entry: dict, today: date) -> None:
    """Every day's page: a quiet day (no links, or no page) does not end the walk."""
    urls = daily_listing_urls(entry, today)
    missing = 0
    for url in urls:
        page = await walk.fetch(url, missing_ok=True)
        if page is None:
            missing += 1
        else:
            walk.add(walk.parsed(lambda: html_links(page.text, page.url, entry["links"]), "listing", url))
    if missing == len(urls):
        walk.result.warnings.append(f"daily listing {entry['url']}: no page for any of the {len(urls)} days up to {today}")


async def discover(site: dict, get: GetPage, *, today: date) -> Discovery:
    """All candidate URLs of `site`'s discovery entries, walked in registry order."""
    walk = _Walk(get, budget=site["max_pages"])
    for entry in site["discovery"]:
        kind = entry["kind"]
        if kind == "rss":
            await _walk_feeds(walk, entry)
        elif kind == "sitemap":
            await _walk_sitemaps(walk, entry)
        elif kind == "listing":
            await _walk_listing(walk, entry, site["max_pages"])
        elif kind == "daily_listing":
            await _walk_daily(walk, entry, today)
        else:
            walk.note(f"discovery: unknown kind {kind!r} for site {site.get('id')}")
    return walk.result
