"""Turn a site's `[[site.discovery]]` entries into the URLs of candidate articles.

Why it is separate from fetching: discovery is about *where links live* on each kind of page
(RSS/Atom items, sitemap `<loc>`s, a CSS selector over a listing), and about *when to stop
walking* (a listing page with no new links, `max_pages`, the site's page budget, `days` of a
daily listing). The HTTP work is handed in as `get(url)`, an async callable supplied by
fetch.py that applies robots.txt, rate limits and retries and returns None when a page could
not be had (fetch.py records why). So this module can be read, and tested, as pure page logic.

XML from the network is parsed with entity resolution, network access and huge trees all off:
a feed or sitemap must not be able to read local files (XXE) or expand itself into gigabytes
("billion laughs"), and its size is bounded. A malformed document is parsed again in recovery
mode, its salvageable links kept and the fault recorded.

Incremental runs walk less: a listing stops at the first page whose links were all known from
earlier runs (`known`), and feed items, sitemap entries and daily listings dated before `since`
are skipped.
"""

from __future__ import annotations

import email.utils
import gzip
import io
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from lxml import etree

from extractors.urls import canonical_url  # noqa: F401  (re-exported: callers import it from here)

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
    try:
        base_tag = soup.find("base", href=True)
        base = urljoin(page_url, base_tag["href"]) if base_tag else page_url
        hrefs = []
        for element in soup.select(selector):
            if not element.has_attr("href"):
                element = element.find("a", href=True)
            if element is not None:
                hrefs.append(element.get("href"))
        return _web_links(hrefs, base)
    finally:
        _free(soup)


def _free(soup: BeautifulSoup) -> None:
    """Break the tree's reference cycles (parent, siblings, next/previous element) so that it is
    freed now. Left to the cyclic collector, whose full sweeps are rare in a process this size,
    the trees of a 100,000-article discovery (8 sites × 600 listing pages) held ~300 MB;
    `decompose()` leaves the cycles through the soup itself."""
    for element in list(soup.descendants):
        element.__dict__.clear()
    soup.__dict__.clear()


def parse_xml(body: bytes, problems: list[str] | None = None) -> etree._Element:
    """A safely parsed XML document (raises ValueError if nothing usable came out). A malformed
    one is parsed again in recovery mode; what was wrong is appended to `problems`."""
    if body[:2] == b"\x1f\x8b":                       # a .xml.gz served without Content-Encoding
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
            body = f.read(SITEMAP_MAX_UNZIPPED + 1)
        if len(body) > SITEMAP_MAX_UNZIPPED:
            raise ValueError("gzipped XML larger than 50 MB unzipped")
    if len(body) > SITEMAP_MAX_UNZIPPED:
        raise ValueError("XML larger than 50 MB")
    body = body.lstrip()
    if not body:
        raise ValueError("not XML")
    try:
        return etree.fromstring(body, parser=_xml_parser(recover=False))
    except etree.XMLSyntaxError as e:
        strict_error = " ".join(str(e).split())
    root = etree.fromstring(body, parser=_xml_parser(recover=True))
    if root is None:
        raise ValueError(f"not XML ({strict_error})")
    if problems is not None:
        problems.append(f"malformed XML ({strict_error})")
    return root


def _xml_parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=recover)


def _date_of(text: str | None) -> date | None:
    """An RSS (RFC 822) or Atom/sitemap (ISO 8601) date, or None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _child_text(element: etree._Element, *names: str) -> str | None:
    for name in names:
        for child in _children(element, name):
            return child.text
    return None


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def feed_items(body: bytes, feed_url: str, problems: list[str] | None = None) -> list[tuple[str, date | None]]:
    """(link, date) of each item of an RSS 2.0 / RSS 1.0 / Atom feed."""
    items: list[tuple[str | None, str | None]] = []
    for element in parse_xml(body, problems).iter():
        name = _local(element)
        if name == "item":
            links = _children(element, "link")
            guids = [g for g in _children(element, "guid") if g.get("isPermaLink", "true") == "true"]
            pick = links or guids
            href = pick[0].text if pick else element.get(f"{{{_RDF}}}about")
            items.append((href, _child_text(element, "pubDate", "date")))
        elif name == "entry":
            links = [l for l in _children(element, "link") if l.get("rel", "alternate") == "alternate"]
            items.append((links[0].get("href") if links else None, _child_text(element, "published", "updated")))
    return _dated_links(items, feed_url)


def feed_links(body: bytes, feed_url: str) -> list[str]:
    """Item links of an RSS 2.0 / RSS 1.0 / Atom feed."""
    return [url for url, _ in feed_items(body, feed_url)]


def sitemap_entries(body: bytes, sitemap_url: str, problems: list[str] | None = None):
    """(pages, child sitemaps) of a sitemap or sitemap index, each a list of (URL, lastmod)."""
    root = parse_xml(body, problems)
    entries = [(_child_text(entry, "loc"), _child_text(entry, "lastmod")) for entry in root]
    dated = _dated_links([e for e in entries if e[0] is not None], sitemap_url)
    if _local(root) == "sitemapindex":
        return [], dated
    return dated, []


def sitemap_links(body: bytes, sitemap_url: str) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap or sitemap index."""
    pages, children = sitemap_entries(body, sitemap_url)
    return [u for u, _ in pages], [u for u, _ in children]


def _dated_links(items: list[tuple[str | None, str | None]], base: str) -> list[tuple[str, date | None]]:
    out = []
    for href, when in items:
        links = _web_links([href], base)
        if links:
            out.append((links[0], _date_of(when)))
    return out


# ---------------------------------------------------------------------------- walking a site


def listing_urls(entry: dict, max_pages: int) -> list[str]:
    """The listing pages of an entry: `{page}`/`{offset}` = first_page, +step, … (max_pages)."""
    first, step = entry.get("first_page", 1), entry.get("step", 1)
    count = min(entry.get("max_pages", max_pages), max_pages)
    return [entry["url"].format(page=first + k * step, offset=first + k * step) for k in range(count)]


def daily_listing_urls(entry: dict, today: date, since: date | None = None) -> list[str]:
    """One listing page per day, from `today` back over `days` days (today included), none before `since`."""
    days = [today - timedelta(days=k) for k in range(entry["days"])]
    return [entry["url"].format(date=day) for day in days if since is None or day >= since]


class _Walk:
    """Shared state of one site's discovery: the page budget, the URLs found, the errors, and
    what makes an incremental run walk less (`known` URLs from earlier runs, `since`)."""

    def __init__(self, get: GetPage, budget: int, known: set[str], since: date | None):
        self.get, self.budget, self.known, self.since = get, budget, known, since
        self.result = Discovery()
        self._found: set[str] = set()

    async def fetch(self, url: str, missing_ok: bool = False) -> Fetched | None:
        if self.exhausted():
            self.note(f"discovery: budget of {self.budget} listing/feed pages reached; later pages not walked")
            return None
        self.result.pages_fetched += 1
        return await (self.get(url, missing_ok=True) if missing_ok else self.get(url))

    def add(self, urls: Iterable[str]) -> None:
        for url in urls:
            if url not in self._found:
                self._found.add(url)
                self.result.urls.append(url)

    def add_dated(self, items: Iterable[tuple[str, date | None]]) -> None:
        self.add(url for url, when in items if self.recent(when))

    def recent(self, when: date | None) -> bool:
        return self.since is None or when is None or when >= self.since

    def note(self, line: str) -> None:
        if line not in self.result.errors:
            self.result.errors.append(line)

    def parsed(self, parse: Callable[[list[str]], Any], what: str, url: str, default: Any = ()) -> Any:
        """parse(problems), or `default` with a note when the page is not what its kind promises;
        a page that parsed only in recovery mode is noted too (its links are kept)."""
        problems: list[str] = []
        try:
            value = parse(problems)
        except (ValueError, etree.Error, OSError, EOFError) as e:
            self.note(f"{what} {url}: could not be parsed ({' '.join(str(e).split()) or type(e).__name__})")
            return default
        for problem in problems:
            self.note(f"{what} {url}: {problem}; the links it still had were kept")
        return value

    def exhausted(self) -> bool:
        return self.result.pages_fetched >= self.budget


async def _walk_feeds(walk: _Walk, entry: dict) -> None:
    for url in entry["urls"]:
        page = await walk.fetch(url)
        if page is not None:
            walk.add_dated(walk.parsed(lambda p: feed_items(page.body, page.url, p), "feed", url))


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
        pages, children = walk.parsed(lambda p: sitemap_entries(page.body, page.url, p), "sitemap", url, ([], []))
        walk.add_dated(pages)
        children = [child for child, when in children if walk.recent(when)]
        if children and depth + 1 >= SITEMAP_MAX_DEPTH:
            walk.note(f"sitemap {url}: nested deeper than {SITEMAP_MAX_DEPTH} levels, not followed")
            continue
        queue.extend((child, depth + 1) for child in children)


async def _walk_listing(walk: _Walk, entry: dict, max_pages: int) -> None:
    """Page by page until a page adds no link this walk has not seen, or only links known from
    earlier runs (the rest is older still), or fails, or max_pages."""
    seen_here: set[str] = set()
    for url in listing_urls(entry, max_pages):
        page = await walk.fetch(url)
        if page is None:
            return
        links = walk.parsed(lambda p: html_links(page.text, page.url, entry["links"]), "listing", url)
        new = [link for link in links if link not in seen_here]
        if not new:
            return
        seen_here.update(new)
        walk.add(new)
        if walk.known and all(link in walk.known for link in new):
            return


async def _walk_daily(walk: _Walk, entry: dict, today: date) -> None:
    """Every day's page: a quiet day (no links, or no page) does not end the walk."""
    urls = daily_listing_urls(entry, today, walk.since)
    missing = 0
    for url in urls:
        page = await walk.fetch(url, missing_ok=True)
        if page is None:
            missing += 1
        else:
            walk.add(walk.parsed(lambda p: html_links(page.text, page.url, entry["links"]), "listing", url))
    if urls and missing == len(urls):
        walk.result.warnings.append(f"daily listing {entry['url']}: no page for any of the {len(urls)} days up to {today}")


async def discover(site: dict, get: GetPage, *, today: date, known: set[str] | None = None,
                   since: date | None = None) -> Discovery:
    """All candidate URLs of `site`'s discovery entries, walked in registry order. `known`: URLs
    stored by earlier runs (listings stop paging at them); `since`: nothing dated before it."""
    walk = _Walk(get, budget=site["max_pages"], known=known or set(), since=since)
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
