"""Crawl one site of the registry: the HTTP side of the Crawl contract (docs/architecture.md).

Why it looks the way it does:

- Politeness is enforced here, in one place (extractors/politeness.py): per host a semaphore
  bounds simultaneous requests (`concurrency`) and request starts are spaced 1/`requests_per_second`
  apart, or robots.txt's `Crawl-delay` if that is slower; a `Retry-After` pauses the host; and a
  process-wide cap (`max_connections`) bounds all sites' connections together. Government portals
  are small servers; a crawler that is easy on them is one that keeps being allowed.
- Only transient failures are retried (5xx, 429, timeouts, resets, truncated bodies), with
  exponential backoff plus jitter. Everything else is a fact about the page, recorded, not retried.
- Only registry hosts are ever contacted (extractors/urls.py): redirects elsewhere, to private or
  loopback addresses, or to other schemes are refused and recorded; names that resolve to
  internal addresses are refused too (the mirror, explicitly configured, is the one exception).
- Bodies are bounded twice while streaming: `max_bytes` on the wire and `max_decoded_bytes`
  after gzip/deflate, decompressed here chunk by chunk with a ceiling, so a gzip bomb is refused
  after at most max_decoded_bytes of work and memory.
- Nothing downstream ever needs the network again: every response and every failure goes to this
  run's WARC files (extractors/warc.py), and each page's body also to a content-addressed file
  (`<site>/<sha256[:2]>/<sha256>.html`) that the flow reads today. There is no per-page JSON
  sidecar any more: its fields (URL, final URL, status, headers, time) are in the WARC record and
  the page record, and nothing read it.
- The per-page disk work stays off the event loop and is batched: a finished page joins a queue,
  and one worker trip at a time (`store_batch_pages` in extractors/crawl.toml) hashes and archives
  the pages queued meanwhile, writes their WARC records in one write, then tells the frontier —
  one thread hop per batch instead of one per page (measured in bench/crawl.py).
- Re-runs are cheap: canonical URLs, conditional GET from `seen` (ETag / Last-Modified), a 304
  or an unchanged sha256 marks a page `unchanged`, discovery stops at pages already seen or older
  than `since`, and `max_articles` bounds a site's page fetches per run.
- Runs resume: a Frontier (extractors/crawlstate.py; the warehouse's in the flow) remembers
  the queue and every stored page, so a killed crawl starts where it stopped.
- The offline mirror is a transport, not a mode: `MirrorTransport` sends each request to the
  mirror's address and keeps the real URL and `Host` header.
- A failing page never stops its site and a failing site never raises: failures become pages
  with `error` set and one-line entries in `CrawlResult.errors`.

Numbers (rates, timeouts, retries, sizes, User-Agent) come from the registry (`[defaults]` and
each `[[site]]`); the few below are protocol limits or fallbacks for keys the registry may omit.
Two optional site keys exist for tests and benchmarks only: `backoff_s` (first retry delay) and
`obey_crawl_delay = false` (benchmarks against our own mirror); the registry sets neither.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hashlib
import os
import random
import re
import socket
import threading
import time
import tomllib
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin

import httpx

from extractors.charset import decode, detect_encoding
from extractors.crawlstate import Frontier, MemoryFrontier
from extractors.discovery import Fetched, discover
from extractors.politeness import CONNECTIONS, HostGate
from extractors.robots import RobotsPolicy, policy_from_response, robots_url
from extractors.urls import canonical_url, host_of, hostname_of, ip_literal, is_internal, refusal, registry_hosts
from extractors.warc import WarcLog, warc_path

__all__ = ["CrawlResult", "MirrorTransport", "crawl_site", "crawl_site_sync", "decode", "detect_encoding",
           "retry_after_seconds", "canonical_url"]

MAX_REDIRECTS = 5                 # followed within the registry's hosts only
BACKOFF_BASE_S = 0.5              # fallback for a site's `backoff_s`: first retry waits ~this
BACKOFF_MAX_S = 30.0              # a single backoff never waits longer than this
RETRY_AFTER_MAX_S = 120.0         # a Retry-After longer than this: give up on the URL this run
DECODED_PER_WIRE_BYTE = 4         # fallback max_decoded_bytes = this × max_bytes
SITE_TZ = timezone(timedelta(hours=7))   # the sites' own "today" (Viet Nam, no DST)
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
ACCEPT_ENCODING = "gzip, deflate"  # what _Decoder can bound; no br/zstd
SETTINGS = tomllib.loads(Path(__file__).with_name("crawl.toml").read_text(encoding="utf-8"))


@dataclass
class CrawlResult:
    pages: list[dict] = field(default_factory=list)
    discovered: int = 0           # distinct URLs discovery found (articles or not)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # not failures (see Discovery.warnings)
    run_id: str = ""              # names this run's WARC files: archive_dir/warc/<run_id>/
    resumed: int = 0              # pages an unfinished earlier crawl had stored (not fetched again)

    @property
    def failed(self) -> dict[str, str]:
        """Every page this crawl could not get, URL → reason."""
        return {p["url"]: p["error"] for p in self.pages if p.get("error")}


# ---------------------------------------------------------------------------- the mirror


class MirrorTransport(httpx.AsyncBaseTransport):
    """Send every request to `mirror` (http://host:port) instead; URL path, query and the real
    `Host` header are kept, so the mirror serves the page of the real URL."""

    def __init__(self, mirror: str, inner: httpx.AsyncBaseTransport | None = None, limits: httpx.Limits | None = None):
        target = httpx.URL(mirror)
        self._scheme, self._host, self._port = target.scheme, target.host, target.port
        self._inner = inner or httpx.AsyncHTTPTransport(limits=limits or httpx.Limits())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url.copy_with(scheme=self._scheme, host=self._host, port=self._port)
        forwarded = httpx.Request(
            request.method, url, headers=request.headers, stream=request.stream, extensions=request.extensions
        )
        return await self._inner.handle_async_request(forwarded)

    async def aclose(self) -> None:
        await self._inner.aclose()


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
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


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


def mime_type(content_type: str | None) -> str | None:
    return content_type.split(";", 1)[0].strip().lower() or None if content_type else None


class _Decoder:
    """Content-Encoding undone chunk by chunk, never producing more than `limit` bytes in all."""

    def __init__(self, encoding: str | None, limit: int, where: str):
        self.limit, self.where, self.produced = limit, where, 0
        name = (encoding or "identity").strip().lower()
        if name in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif name == "deflate":
            self._z = zlib.decompressobj(32 + zlib.MAX_WBITS)    # zlib or gzip header, auto
        elif name in ("identity", ""):
            self._z = None
        else:
            raise FetchFailed(f"GET {where} → unsupported Content-Encoding {name!r}")

    def feed(self, data: bytes) -> bytes:
        if self._z is None:
            out = data
        else:
            try:
                out = self._z.decompress(data, self.limit + 1 - self.produced)
            except zlib.error as e:
                raise FetchFailed(f"GET {self.where} → corrupt compressed body ({e})") from None
            if self._z.unconsumed_tail:
                self.produced = self.limit + 1
        self.produced += len(out)
        if self.produced > self.limit:
            raise FetchFailed(f"GET {self.where} → decompressed body exceeds max_decoded_bytes={self.limit} "
                              "(compression bomb?), download stopped")
        return out

    def flush(self) -> bytes:
        return self.feed(b"") if self._z is None else self._z.flush()


# ---------------------------------------------------------------------------- archive


def archive_path_for(archive_dir: Path, site_id: str, sha256: str) -> Path:
    return Path(archive_dir) / site_id / sha256[:2] / f"{sha256}.html"


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary name, then rename: a killed run never leaves a partial file under a
    content address (which would be trusted forever). The name is unique per process and thread;
    the folder is made only when the first write finds it missing (one mkdir per folder)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        try:
            f = open(tmp, "wb")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            f = open(tmp, "wb")
        with f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def archive(archive_dir: Path, site_id: str, got: Got, sha256: str) -> Path:
    """The raw body, written once: it is content-addressed. (Its headers are in the WARC.)"""
    path = archive_path_for(archive_dir, site_id, sha256)
    if not path.exists():
        _write_atomically(path, got.body)
    return path


# ---------------------------------------------------------------------------- one site


@dataclass
class CrawlContext:
    """What one crawl_site call shares with its SiteCrawl besides the site itself."""

    archive_dir: Path
    client: httpx.AsyncClient
    seen: dict
    today: date
    since: date | None
    stop_at_known: bool
    mirror: str | None
    frontier: Frontier
    warc: WarcLog
    on_page: Callable[[dict], None] | None = None
    on_discovered: Callable[[int], None] | None = None
    keep_pages: bool = True


class StoreBatches:
    """Fetched pages waiting to be stored. `put` returns a future for the page record; one
    worker trip at a time takes up to `limit` waiting pages to `store` in a thread, so pages
    that finish while a batch is being stored form the next batch (no timer, no added delay)."""

    def __init__(self, store: Callable[[list[tuple[Got, dict]]], list[dict]], limit: int):
        self._store, self._limit = store, max(1, limit)
        self._waiting: list[tuple[Got, dict, asyncio.Future]] = []
        self._worker: asyncio.Task | None = None

    def put(self, got: Got, prior: dict) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((got, prior, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.ensure_future(self._work())
        return future

    async def _work(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._limit], self._waiting[self._limit:]
            try:
                pages = await asyncio.to_thread(self._store, [(got, prior) for got, prior, _ in batch])
            except Exception as e:  # noqa: BLE001 - handed to every waiter, as its own call would have raised
                for *_, future in batch:
                    if not future.done():
                        future.set_exception(e)
                continue
            for (*_, future), page in zip(batch, pages):
                if not future.done():
                    future.set_result(page)


class SiteCrawl:
    """The state of one crawl_site call: the site, its hosts' robots and gates, its errors."""

    def __init__(self, site: dict, ctx: CrawlContext):
        self.site, self.ctx = site, ctx
        self.archive_dir, self.client, self.seen = Path(ctx.archive_dir), ctx.client, ctx.seen
        self.user_agent = site["user_agent"]
        self.article_re = re.compile(site["article_url"])
        total = site.get("total_timeout_s", 2 * site["timeout_s"])
        self.total_timeout = total
        self.timeout = httpx.Timeout(
            site["timeout_s"], connect=site.get("connect_timeout_s", site["timeout_s"]),
            read=site.get("read_timeout_s", site["timeout_s"]),
        )
        self.backoff = site.get("backoff_s", BACKOFF_BASE_S)
        self.max_decoded = site.get("max_decoded_bytes", DECODED_PER_WIRE_BYTE * site["max_bytes"])
        self.allowed_hosts = registry_hosts(site)
        self.result = CrawlResult()
        self._gates: dict[str, HostGate] = {}
        self._robots: dict[str, asyncio.Task[RobotsPolicy]] = {}
        self._resolved: dict[str, asyncio.Task[str | None]] = {}
        self.store = StoreBatches(self._store_batch, SETTINGS["store_batch_pages"])

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
        text = decode(got.body, detect_encoding(got.headers.get("content-type"), got.body))
        policy = policy_from_response(got.status, text, got.headers.get("content-type"))
        if policy.disallow_all:
            self.note(f"GET {url} → {policy.reason}")
        elif policy.warning:
            self.result.warnings.append(f"GET {url} → {policy.warning}")
        delay = policy.crawl_delay(self.user_agent) if self.site.get("obey_crawl_delay", True) else None
        if delay:
            gate = self.gate(url)
            gate.interval = max(gate.interval, delay)
        return policy

    async def allowed(self, url: str) -> bool:
        return (await self.robots(url)).allows(url, self.user_agent)

    # -- safety ----------------------------------------------------------------------------

    async def refused(self, url: str) -> str | None:
        """Why `url` must not be requested (None: go ahead), see extractors/urls.py."""
        why = refusal(url, self.allowed_hosts)
        if why or self.ctx.mirror:
            return why                       # through the mirror no name is ever resolved
        name = hostname_of(url)
        if ip_literal(name) is not None:
            return None                      # written in the registry as an address: explicit
        if name not in self._resolved:
            self._resolved[name] = asyncio.ensure_future(_resolves_internal(name))
        return await self._resolved[name]

    # -- HTTP ------------------------------------------------------------------------------

    async def get(self, url: str, headers: dict[str, str] | None = None, *, robots: bool = True) -> Got:
        """GET with retries on transient failures; never raises for network reasons.
        `robots=False` only for robots.txt itself (its redirects cannot wait for its rules)."""
        retries = self.site["max_retries"]
        for attempt in range(retries + 1):
            try:
                return await self._follow(url, headers or {}, robots)
            except FetchFailed as e:
                return self._failed(url, str(e))
            except Retryable as e:
                failure = e
            if attempt == retries:
                break
            if failure.wait is None:
                await asyncio.sleep(backoff_seconds(attempt, self.backoff))
            elif failure.wait <= RETRY_AFTER_MAX_S:
                self.gate(url).pause(failure.wait)      # the next turn on this host waits for it
            else:
                return self._failed(url, f"GET {url} → {failure}, Retry-After {failure.wait:.0f}s: given up", failure.status)
        return self._failed(url, f"GET {url} → {failure} after {retries} retries", failure.status)

    def _failed(self, url: str, error: str, status: int | None = None) -> Got:
        got = Got(url, url, status=status, fetched_at=now_utc(), error=error)
        self.ctx.warc.failure(url=url, requested=url, error=error, fetched_at=got.fetched_at, status=status)
        return got

    async def _follow(self, url: str, headers: dict[str, str], robots: bool) -> Got:
        """One attempt: the request and its redirects within the registry's hosts (≤ MAX_REDIRECTS)."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            why = await self.refused(current)
            if why:
                what = "redirect to " + current if current != url else "refused"
                raise FetchFailed(f"GET {url} → {what}: {why}, not requested")
            got = await self._request(url, current, headers)
            location = got.headers.get("location")
            if got.status not in REDIRECT_STATUSES or not location:
                return got
            target = canonical_url(urljoin(current, location.strip()))
            if robots and not refusal(target, self.allowed_hosts) and not await self.allowed(target):
                raise FetchFailed(f"GET {url} → redirect to {target}, disallowed by robots.txt")
            current = target
        raise FetchFailed(f"GET {url} → more than {MAX_REDIRECTS} redirects")

    async def _request(self, url: str, current: str, headers: dict[str, str]) -> Got:
        gate = self.gate(current)
        async with gate.slots, CONNECTIONS:      # slots first: the turn is taken just before sending
            await gate.wait_turn()
            got = await self._attempt(url, current, headers)
        if got.status == 429 or got.status >= 500:
            raise Retryable(f"HTTP {got.status}", got.status, retry_after_seconds(got.headers.get("retry-after")))
        return got

    async def _attempt(self, url: str, current: str, headers: dict[str, str]) -> Got:
        """One request, its failures as FetchFailed/Retryable, each response or failure in the WARC."""
        try:
            async with asyncio.timeout(self.total_timeout):
                return await self._stream(url, current, headers)
        except (httpx.TimeoutException, TimeoutError) as e:
            error = f"timeout ({type(e).__name__}, timeout_s={self.site['timeout_s']}, total_timeout_s={self.total_timeout})"
            exc: Exception = Retryable(error)
        except httpx.UnsupportedProtocol as e:
            error = f"GET {current} → unsupported URL: {e}"
            exc = FetchFailed(error)
        except httpx.TransportError as e:
            error = f"connection error ({type(e).__name__}: {_one_line(e)})"
            exc = Retryable(error)
        if isinstance(exc, Retryable):     # a final failure is logged once, by get()
            self.ctx.warc.failure(url=current, requested=url, error=error, fetched_at=now_utc())
        raise exc from None

    async def _stream(self, url: str, current: str, headers: dict[str, str]) -> Got:
        """The response, its body read while counting wire and decoded bytes (see _Decoder)."""
        limit = self.site["max_bytes"]
        request_headers = {"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING, **headers}
        async with self.client.stream("GET", current, headers=request_headers, timeout=self.timeout) as resp:
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchFailed(f"GET {current} → body of {declared} bytes exceeds max_bytes={limit}")
            decoder = _Decoder(resp.headers.get("content-encoding"), self.max_decoded, current)
            body, wire = bytearray(), 0
            async for chunk in resp.aiter_raw():
                wire += len(chunk)
                if wire > limit:
                    raise FetchFailed(f"GET {current} → body exceeds max_bytes={limit}, download stopped")
                body += decoder.feed(chunk)
            body += decoder.flush()
            got = Got(url, current, resp.status_code, resp.headers, bytes(body), now_utc())
            self.ctx.warc.response(url=current, requested=url, status=resp.status_code, reason=resp.reason_phrase,
                                   headers=resp.headers.multi_items(), body=got.body, fetched_at=got.fetched_at)
            return got

    # -- discovery and pages ---------------------------------------------------------------

    async def discovery_get(self, url: str, missing_ok: bool = False) -> Fetched | None:
        """A listing/feed page for discovery (in the WARC, not in the page archive); failures are
        noted, None returned. `missing_ok`: a 404/410 is expected (a day without news), not noted."""
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
        page = await self.store.put(got, prior)   # hashing, disk, on_page: off the loop, in batches
        if page["error"]:
            self.note(page["error"])
        return page

    def _store_batch(self, items: list[tuple[Got, dict]]) -> list[dict]:
        """In a worker thread: archive the pages, write the WARC records queued so far (theirs
        among them), and only then tell the frontier — a page recorded done is on disk — and
        `on_page`. Here, not on the event loop, because `on_page` may block to hold the crawl
        back: the site's fetches then wait on this batch, while the requests in flight finish."""
        pages = [self._page_record(got, prior) for got, prior in items]
        self.ctx.warc.drain()
        for page in pages:
            self.ctx.frontier.record(page)
        for page in pages:
            self._progress("on_page", page)
        return pages

    def _progress(self, hook: str, value) -> None:
        """Call a progress hook; one that fails is dropped with a warning, never fails the crawl."""
        call = getattr(self.ctx, hook)
        if call is None:
            return
        try:
            call(value)
        except Exception as e:  # noqa: BLE001 - a progress bar must not stop a crawl
            setattr(self.ctx, hook, None)
            self.result.warnings.append(f"site {site_label(self.site)}: progress hook {hook} failed and was "
                                        f"dropped: {type(e).__name__}: {_one_line(e)}")

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
        frontier, site_id = self.ctx.frontier, self.site["id"]
        stored = [p for p in frontier.start(site_id, self.result.run_id) if not p.get("error")]
        self.result.resumed = len(stored)
        if (await self.robots(self.site["base_url"])).disallow_all:
            return self.result
        queue = frontier.pending(site_id)
        if queue is None:
            queue = await self._discover()
            frontier.enqueue(site_id, queue)
        done = {p["url"] for p in stored}
        todo = [url for url in queue if url not in done]
        self._progress("on_discovered", len(todo))
        fetched = await self._fetch_all(todo)
        self.result.pages = stored + fetched
        frontier.finish(site_id)
        return self.result

    async def _fetch_all(self, urls: list[str]) -> list[dict]:
        """Fetch `urls` with a fixed set of workers, not one task per URL: 100,000 pending tasks
        held ~300 MB before the first page came back. Enough workers to fill the host's slots
        while a full batch waits for the store. Page records are kept (in `urls`' order) unless
        the caller takes them through `on_page` and said `keep_pages=False`."""
        keep = self.ctx.keep_pages
        pages: list[dict | None] = [None] * len(urls) if keep else []
        todo = iter(enumerate(urls))

        async def worker() -> None:
            for i, url in todo:  # one shared iterator: each URL goes to exactly one worker
                page = await self.fetch_page(url)
                if keep:
                    pages[i] = page

        workers = min(len(urls), self.site["concurrency"] + SETTINGS["store_batch_pages"])
        await asyncio.gather(*(worker() for _ in range(workers)))
        return pages

    async def _discover(self) -> list[str]:
        """The article URLs to fetch this run: discovered, robots-allowed, within the budget."""
        found = await discover(self.site, self.discovery_get, today=self.ctx.today,
                               known=set(self.seen) if self.ctx.stop_at_known else set(), since=self.ctx.since)
        self.result.discovered = len(found.urls)
        self.result.errors.extend(found.errors)
        self.result.warnings.extend(found.warnings)
        articles = [url for url in found.urls if self.article_re.match(url) and not refusal(url, self.allowed_hosts)]
        allowed = [url for url in articles if await self.allowed(url)]
        if len(allowed) < len(articles):
            self.note(f"site {site_label(self.site)}: robots.txt disallows {len(articles) - len(allowed)} of "
                      f"{len(articles)} article URLs, not fetched")
        budget = self.site.get("max_articles")
        if budget is not None and len(allowed) > budget:
            self.result.warnings.append(f"site {site_label(self.site)}: page budget max_articles={budget} reached; "
                                        f"{len(allowed) - budget} article URLs left for a later run")
            allowed = allowed[:budget]
        return allowed


def site_label(site: dict) -> str:
    return site.get("id", "?")


async def _resolves_internal(name: str) -> str | None:
    """A refusal if `name` resolves to a private/loopback address (None if public or unresolved:
    an unresolvable name fails as a connection error, with its own reason)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except OSError:
        return None
    for info in infos:
        address = ip_literal(info[4][0])
        if address is not None and is_internal(address):
            return f"host {name} resolves to the private/loopback address {address}"
    return None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _client(site: dict, mirror: str | None) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=site.get("max_connections", CONNECTIONS.capacity), max_keepalive_connections=None)
    transport = MirrorTransport(mirror, limits=limits) if mirror else httpx.AsyncHTTPTransport(limits=limits)
    return httpx.AsyncClient(transport=transport, follow_redirects=False)   # UA, timeouts: per request


def new_run_id() -> str:
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


async def crawl_site(
    site: dict,
    archive_dir: Path,
    *,
    mirror: str | None = None,
    seen: dict[str, dict] | None = None,
    today: date | None = None,
    client: httpx.AsyncClient | None = None,
    defaults: dict | None = None,
    since: date | None = None,
    frontier: Frontier | None = None,
    run_id: str | None = None,
    stop_at_known: bool = False,
    on_page: Callable[[dict], None] | None = None,
    on_discovered: Callable[[int], None] | None = None,
    keep_pages: bool = True,
) -> CrawlResult:
    """Crawl one registry site (see the module docstring and docs/architecture.md).

    `client`, if given, is used as is (and not closed); `mirror` must still name the mirror so
    that its loopback address is not refused. `defaults` are merged under `site` (a site from
    extractors.registry already has them). `since`: discovery skips items dated before it.
    `frontier`: where the queue and stored pages live between runs (default: in memory only).
    `run_id` names this run's WARC folder (default: a new one; pass the flow's run id).
    `stop_at_known`: listings stop paging at the first page whose links are all in `seen` (pages
    only linked deeper are then not revalidated this run).
    Progress hooks (a hook that raises is dropped with a warning): `on_discovered(n)` once, on
    the crawl's own thread, with the number of URLs this run will fetch (after discovery, or from
    a resumed queue, minus the pages already stored); `on_page(page)` with each page record as it
    is stored, on the thread that stores it, one store batch at a time. `on_page` may block: that
    is how a caller that cannot keep up holds the crawl back, and the event loop never waits on
    it, so requests in flight never time out for it. `keep_pages=False` (for a caller that takes the pages through
    `on_page`): the result holds only the pages resumed from the frontier, so memory stays flat
    however many pages the crawl fetches."""
    site = {**(defaults or {}), **site}
    if "max_connections" in site:
        CONNECTIONS.set_capacity(site["max_connections"])
    run_id = run_id or new_run_id()
    seen = {canonical_url(url): value for url, value in (seen or {}).items()}
    crawl: SiteCrawl | None = None
    warc = None
    try:
        async with contextlib.AsyncExitStack() as stack:
            if client is None:
                client = await stack.enter_async_context(_client(site, mirror))
            warc = WarcLog(warc_path(archive_dir, run_id, site["id"]), site["id"])
            stack.callback(warc.close)
            ctx = CrawlContext(Path(archive_dir), client, seen, today or datetime.now(SITE_TZ).date(), since,
                               stop_at_known, mirror, frontier or MemoryFrontier(), warc, on_page, on_discovered,
                               keep_pages)
            crawl = SiteCrawl(site, ctx)
            crawl.result.run_id = run_id
            return await crawl.run()
    except Exception as e:  # the contract: a failing site returns its errors, it never raises
        result = crawl.result if crawl else CrawlResult(run_id=run_id)
        result.errors.append(f"site {site.get('id', '?')}: crawl failed: {type(e).__name__}: {_one_line(e)}")
        return result


def crawl_site_sync(site: dict, archive_dir: Path, **kwargs) -> CrawlResult:
    """crawl_site for callers without an event loop (the CLI, Prefect tasks, tests)."""
    return asyncio.run(crawl_site(site, archive_dir, **kwargs))
