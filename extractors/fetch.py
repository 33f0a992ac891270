"""Crawl one site of the registry: the HTTP side of the Crawl contract (docs/architecture.md).

Why it looks the way it does:

- Politeness is per host and enforced here, in one place: a semaphore bounds simultaneous
  requests (`concurrency`), and a request slot opens at most every 1/`requests_per_second`
  seconds, or every robots.txt `Crawl-delay` if that is slower. Government portals are small
  servers; a crawler that is easy on them is one that keeps being allowed.
- Only transient failures are retried (5xx, 429, timeouts, connection errors), with exponential
  backoff plus jitter, and a server's `Retry-After` is honoured. Everything else is a fact about
  the page and is recorded, not retried.
- Nothing downstream ever needs the network again: every body fetched is archived raw,
  content-addressed (`<site>/<sha256[:2]>/<sha256>.html` + a `.json` sidecar), written through
  a temporary file and `os.replace` so a crash never leaves half a file.
- Re-runs are cheap: conditional GET from `seen` (ETag / Last-Modified); a 304, or a body whose
  sha256 is the one seen before, is marked `unchanged`.
- The offline mirror is a transport, not a mode: `MirrorTransport` sends each request to the
  mirror's address and keeps the real URL and `Host` header, so no other line here knows about it.
- A failing page never stops its site and a failing site never raises: failures become pages
  with `error` set and one-line entries in `CrawlResult.errors`.

Numbers (rates, timeouts, retries, sizes, User-Agent) come from the registry (`[defaults]` and
each `[[site]]`); the few below are protocol limits or fallbacks for keys the registry may omit.
Two optional site keys exist for tests and benchmarks only: `backoff_s` (first retry delay) and
`obey_crawl_delay = false` (benchmarks against our own mirror); the registry sets neither.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import email.utils
import hashlib
import json
import os
import random
import re
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from extractors.discovery import Fetched, canonical_url, discover
from extractors.robots import RobotsPolicy, policy_from_response, robots_url

MAX_REDIRECTS = 5                 # followed within the same host only
BACKOFF_BASE_S = 0.5              # fallback for a site's `backoff_s`: first retry waits ~this
BACKOFF_MAX_S = 30.0              # a single backoff never waits longer than this
RETRY_AFTER_MAX_S = 120.0         # a Retry-After longer than this: give up on the URL this run
ATTEMPT_DEADLINE_FACTOR = 2       # one attempt may take at most this × timeout_s in total
SITE_TZ = timezone(timedelta(hours=7))   # the sites' own "today" (Viet Nam, no DST)
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


@dataclass
class CrawlResult:
    pages: list[dict] = field(default_factory=list)
    discovered: int = 0           # distinct URLs discovery found (articles or not)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # not failures (see Discovery.warnings)


# ---------------------------------------------------------------------------- the mirror


class MirrorTransport(httpx.AsyncBaseTransport):
    """Send every request to `mirror` (http://host:port) instead; URL path, query and the real
    `Host` header are kept, so the mirror serves the page of the real URL."""

    def __init__(self, mirror: str, inner: httpx.AsyncBaseTransport | None = None):
        target = httpx.URL(mirror)
        self._scheme, self._host, self._port = target.scheme, target.host, target.port
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url.copy_with(scheme=self._scheme, host=self._host, port=self._port)
        forwarded = httpx.Request(
            request.method, url, headers=request.headers, stream=request.stream, extensions=request.extensions
        )
        return await self._inner.handle_async_request(forwarded)

    async def aclose(self) -> None:
        await self._inner.aclose()


# ---------------------------------------------------------------------------- politeness


class HostGate:
    """Per-host politeness: at most `concurrency` requests at once, one start per `interval`."""

    def __init__(self, concurrency: int, interval: float):
        self.slots = asyncio.Semaphore(concurrency)
        self.interval = interval
        self._next_start = 0.0
        self._lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)

    def pause(self, seconds: float) -> None:
        """No request to this host for `seconds` (a Retry-After is about the host, not one URL)."""
        self._next_start = max(self._next_start, time.monotonic() + seconds)


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


# ---------------------------------------------------------------------------- responses


@dataclass
class Got:
    """What one GET (retries and redirects included) came to. `status` None: no response."""

    url: str
    final_url: str
    status: int | None = None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""
    fetched_at: str = ""
    error: str | None = None


class FetchFailed(Exception):
    """A failure not worth retrying (too large, redirect off-host, …); the message is the line."""


class Retryable(Exception):
    """A transient failure; `wait` is the server's Retry-After, if it gave one."""

    def __init__(self, what: str, status: int | None = None, wait: float | None = None):
        super().__init__(what)
        self.status, self.wait = status, wait


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def backoff_seconds(attempt: int, base: float) -> float:
    """Exponential backoff with jitter: half fixed, half random, so retries do not line up."""
    delay = min(BACKOFF_MAX_S, base * 2**attempt)
    return delay / 2 + random.uniform(0, delay / 2)


# ---------------------------------------------------------------------------- decoding


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def _known_codec(name: str | bytes | None) -> str | None:
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def detect_encoding(content_type: str | None, body: bytes) -> str:
    """Charset from Content-Type, else from a <meta> in the first 4 KB, else utf-8."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(body[:4096])
    return (
        (_known_codec(header.group(1)) if header else None)
        or (_known_codec(meta.group(1)) if meta else None)
        or "utf-8"
    )


def decode(body: bytes, encoding: str) -> str:
    return body.decode(encoding, errors="replace")


def mime_type(content_type: str | None) -> str | None:
    return content_type.split(";", 1)[0].strip().lower() or None if content_type else None


# ---------------------------------------------------------------------------- archive


def archive_path_for(archive_dir: Path, site_id: str, sha256: str) -> Path:
    return Path(archive_dir) / site_id / sha256[:2] / f"{sha256}.html"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def archive(archive_dir: Path, site_id: str, got: Got, sha256: str) -> Path:
    """Raw body (written once: it is content-addressed) and its sidecar (the latest fetch)."""
    path = archive_path_for(archive_dir, site_id, sha256)
    if not path.exists():
        _write_atomically(path, got.body)
    sidecar = {
        "url": got.url,
        "final_url": got.final_url,
        "status": got.status,
        "headers": dict(got.headers.items()),
        "fetched_at": got.fetched_at,
    }
    _write_atomically(path.with_suffix(".json"), json.dumps(sidecar, ensure_ascii=False, indent=2).encode())
    return path


# ---------------------------------------------------------------------------- one site


class SiteCrawl:
    """The state of one crawl_site call: the site, its hosts' robots and gates, its errors."""

    def __init__(self, site: dict, archive_dir: Path, client: httpx.AsyncClient, seen: dict, today: date):
        self.site, self.archive_dir, self.client, self.seen, self.today = site, Path(archive_dir), client, seen, today
        self.user_agent = site["user_agent"]
        self.article_re = re.compile(site["article_url"])
        self.timeout = httpx.Timeout(site["timeout_s"])
        self.backoff = site.get("backoff_s", BACKOFF_BASE_S)
        self.result = CrawlResult()
        self._gates: dict[str, HostGate] = {}
        self._robots: dict[str, asyncio.Task[RobotsPolicy]] = {}

    def note(self, line: str) -> None:
        self.result.errors.append(line)

    # -- politeness ------------------------------------------------------------------------

    def gate(self, url: str) -> HostGate:
        host = host_of(url)
        if host not in self._gates:
            self._gates[host] = HostGate(self.site["concurrency"], 1.0 / self.site["requests_per_second"])
        return self._gates[host]

    async def robots(self, url: str) -> RobotsPolicy:
        """The host's policy, loaded once per host per run (concurrent callers share the load)."""
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = asyncio.ensure_future(self._load_robots(robots_url(url)))
        return await self._robots[host]

    async def _load_robots(self, url: str) -> RobotsPolicy:
        got = await self.get(url, robots=False)
        if got.status is None:
            self.note(f"{got.error}; robots.txt not loaded, crawling as if allowed")
        policy = policy_from_response(got.status, decode(got.body, detect_encoding(None, got.body)))
        if policy.disallow_all:
            self.note(f"GET {url} → {policy.reason}")
        delay = policy.crawl_delay(self.user_agent) if self.site.get("obey_crawl_delay", True) else None
        if delay:
            gate = self.gate(url)
            gate.interval = max(gate.interval, delay)
        return policy

    async def allowed(self, url: str) -> bool:
        return (await self.robots(url)).allows(url, self.user_agent)

    # -- HTTP ------------------------------------------------------------------------------

    async def get(self, url: str, headers: dict[str, str] | None = None, *, robots: bool = True) -> Got:
        """GET with retries on transient failures; never raises for network reasons.
        `robots=False` only for robots.txt itself (its redirects cannot wait for its rules)."""
        retries = self.site["max_retries"]
        for attempt in range(retries + 1):
            try:
                return await self._follow(url, headers or {}, robots)
            except FetchFailed as e:
                return _failed(url, str(e))
            except Retryable as e:
                failure = e
            if attempt == retries:
                break
            if failure.wait is None:
                await asyncio.sleep(backoff_seconds(attempt, self.backoff))
            elif failure.wait <= RETRY_AFTER_MAX_S:
                self.gate(url).pause(failure.wait)      # the next turn on this host waits for it
            else:
                return _failed(url, f"GET {url} → {failure}, Retry-After {failure.wait:.0f}s: given up", failure.status)
        return _failed(url, f"GET {url} → {failure} after {retries} retries", failure.status)

    async def _follow(self, url: str, headers: dict[str, str], robots: bool) -> Got:
        """One attempt: the request and its same-host redirects (at most MAX_REDIRECTS)."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            got = await self._request(url, current, headers)
            location = got.headers.get("location")
            if got.status not in REDIRECT_STATUSES or not location:
                return got
            target = canonical_url(urljoin(current, location))
            if host_of(target) != host_of(current):
                raise FetchFailed(f"GET {url} → HTTP {got.status} redirect to another host ({target}), not followed")
            if robots and not await self.allowed(target):
                raise FetchFailed(f"GET {url} → redirect to {target}, disallowed by robots.txt")
            current = target
        raise FetchFailed(f"GET {url} → more than {MAX_REDIRECTS} redirects")

    async def _request(self, url: str, current: str, headers: dict[str, str]) -> Got:
        gate = self.gate(current)
        async with gate.slots:
            await gate.wait_turn()
            try:
                async with asyncio.timeout(ATTEMPT_DEADLINE_FACTOR * self.site["timeout_s"]):
                    got = await self._stream(url, current, headers)
            except (httpx.TimeoutException, TimeoutError) as e:
                raise Retryable(f"timeout ({type(e).__name__}, timeout_s={self.site['timeout_s']})") from None
            except httpx.UnsupportedProtocol as e:
                raise FetchFailed(f"GET {current} → unsupported URL: {e}") from None
            except httpx.TransportError as e:
                raise Retryable(f"connection error ({type(e).__name__}: {_one_line(e)})") from None
        if got.status == 429 or got.status >= 500:
            raise Retryable(f"HTTP {got.status}", got.status, retry_after_seconds(got.headers.get("retry-after")))
        return got

    async def _stream(self, url: str, current: str, headers: dict[str, str]) -> Got:
        """The response, its body read while counting bytes: over max_bytes is refused."""
        limit = self.site["max_bytes"]
        request_headers = {"User-Agent": self.user_agent, **headers}
        async with self.client.stream("GET", current, headers=request_headers, timeout=self.timeout) as resp:
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchFailed(f"GET {current} → body of {declared} bytes exceeds max_bytes={limit}")
            body = bytearray()
            async for chunk in resp.aiter_bytes():
                body += chunk
                if len(body) > limit:
                    raise FetchFailed(f"GET {current} → body exceeds max_bytes={limit}, download stopped")
            return Got(url, current, resp.status_code, resp.headers, bytes(body), now_utc())

    # -- discovery and pages ---------------------------------------------------------------

    async def discovery_get(self, url: str, missing_ok: bool = False) -> Fetched | None:
        """A listing/feed page for discovery (not archived); failures are noted, None returned.
        `missing_ok`: a 404/410 is expected (a day without news) and not noted."""
        url = canonical_url(url)
        if not await self.allowed(url):
            self.note(f"GET {url} → disallowed by robots.txt")
            return None
        got = await self.get(url)
        if got.error or got.status is None or not 200 <= got.status < 300:
            if not (missing_ok and got.status in (404, 410)):
                self.note(got.error or f"GET {url} → HTTP {got.status}")
            return None
        content_type = got.headers.get("content-type")
        return Fetched(got.final_url, got.body, decode(got.body, detect_encoding(content_type, got.body)))

    async def fetch_page(self, url: str) -> dict:
        prior = self.seen.get(url) or {}
        validators = {}
        if prior.get("etag"):
            validators["If-None-Match"] = prior["etag"]
        if prior.get("last_modified"):
            validators["If-Modified-Since"] = prior["last_modified"]
        got = await self.get(url, validators)
        page = await asyncio.to_thread(self._page_record, got, prior)   # hashing, disk: off the loop
        if page["error"]:
            self.note(page["error"])
        return page

    def _page_record(self, got: Got, prior: dict) -> dict:
        content_type = got.headers.get("content-type")
        page = {
            "url": got.url, "site_id": self.site["id"], "status": got.status, "fetched_at": got.fetched_at,
            "content_type": mime_type(content_type), "encoding": None, "sha256": None, "bytes": None,
            "archive_path": None, "etag": got.headers.get("etag"), "last_modified": got.headers.get("last-modified"),
            "is_candidate": bool(self.article_re.match(got.final_url)), "unchanged": False, "error": got.error,
        }
        if got.status == 304:
            self._fill_unchanged(page, prior)
        elif got.status is not None and 200 <= got.status < 300 and not got.error:
            self._fill_body(page, got, prior)
        elif not got.error:
            page["error"] = f"GET {got.url} → HTTP {got.status}"
        return page

    def _fill_unchanged(self, page: dict, prior: dict) -> None:
        page.update(unchanged=True, sha256=prior.get("sha256"))
        page["etag"] = page["etag"] or prior.get("etag")
        page["last_modified"] = page["last_modified"] or prior.get("last_modified")
        if prior.get("sha256"):
            path = archive_path_for(self.archive_dir, self.site["id"], prior["sha256"])
            if path.exists():
                page.update(archive_path=str(path), bytes=path.stat().st_size)

    def _fill_body(self, page: dict, got: Got, prior: dict) -> None:
        sha256 = hashlib.sha256(got.body).hexdigest()
        path = archive(self.archive_dir, self.site["id"], got, sha256)
        page.update(
            encoding=detect_encoding(got.headers.get("content-type"), got.body), sha256=sha256,
            bytes=len(got.body), archive_path=str(path), unchanged=sha256 == prior.get("sha256"),
        )

    # -- the whole site --------------------------------------------------------------------

    async def run(self) -> CrawlResult:
        if (await self.robots(self.site["base_url"])).disallow_all:
            return self.result
        found = await discover(self.site, self.discovery_get, today=self.today)
        self.result.discovered = len(found.urls)
        self.result.errors.extend(found.errors)
        self.result.warnings.extend(found.warnings)
        articles = [url for url in found.urls if self.article_re.match(url)]
        allowed = [url for url in articles if await self.allowed(url)]
        if len(allowed) < len(articles):
            self.note(f"site {self.site['id']}: robots.txt disallows {len(articles) - len(allowed)} of {len(articles)} article URLs, not fetched")
        self.result.pages = list(await asyncio.gather(*(self.fetch_page(url) for url in allowed)))
        return self.result


def _failed(url: str, error: str, status: int | None = None) -> Got:
    return Got(url, url, status=status, fetched_at=now_utc(), error=error)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _client(site: dict, mirror: str | None) -> httpx.AsyncClient:
    transport = MirrorTransport(mirror) if mirror else None
    return httpx.AsyncClient(transport=transport, follow_redirects=False)   # UA, timeouts: per request


async def crawl_site(
    site: dict,
    archive_dir: Path,
    *,
    mirror: str | None = None,
    seen: dict[str, dict] | None = None,
    today: date | None = None,
    client: httpx.AsyncClient | None = None,
    defaults: dict | None = None,
) -> CrawlResult:
    """Crawl one registry site (see the module docstring and docs/architecture.md).

    `client`, if given, is used as is (and not closed), and `mirror` is then ignored: the caller
    owns that client's transport. `defaults` are merged under `site` (a site from
    extractors.registry already has them)."""
    site = {**(defaults or {}), **site}
    today = today or datetime.now(SITE_TZ).date()
    seen = {canonical_url(url): value for url, value in (seen or {}).items()}
    crawl: SiteCrawl | None = None
    try:
        async with contextlib.AsyncExitStack() as stack:
            if client is None:
                client = await stack.enter_async_context(_client(site, mirror))
            crawl = SiteCrawl(site, archive_dir, client, seen, today)
            return await crawl.run()
    except Exception as e:  # the contract: a failing site returns its errors, it never raises
        result = crawl.result if crawl else CrawlResult()
        result.errors.append(f"site {site.get('id', '?')}: crawl failed: {type(e).__name__}: {_one_line(e)}")
        return result


def crawl_site_sync(site: dict, archive_dir: Path, **kwargs) -> CrawlResult:
    """crawl_site for callers without an event loop (the CLI, Prefect tasks, tests)."""
    return asyncio.run(crawl_site(site, archive_dir, **kwargs))
