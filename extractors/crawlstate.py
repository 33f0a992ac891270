"""The crawl's memory between runs: which article URLs a site's crawl has queued, which it has
already stored, so a crawl killed at any point resumes where it stopped.

Why a Protocol here and the storage elsewhere: the crawler must not know the warehouse
(extractors/ never imports warehouse/), yet its frontier and fetch log must outlive a killed
run. So the crawler talks to this small interface; warehouse/frontier.py implements it over
one SQLite file per site, and `MemoryFrontier` (no persistence) is the
default, so there is one code path either way.

A site's crawl is a *session*: `start` opens it (or reopens the unfinished one a killed run
left, returning the pages that run already stored), `enqueue` records what discovery found,
`record` logs each page once it is archived and its WARC record written, `finish` closes the
session. An implementation may buffer `record`s and make them durable in batches (the
warehouse's does: see warehouse/frontier.py), as long as `finish` and its own reads see them all;
a crash then loses at most the buffer, and those pages are fetched again, never skipped.
"""

from __future__ import annotations

import threading
from typing import Protocol


class Frontier(Protocol):
    def start(self, site_id: str, run_id: str) -> list[dict]:
        """Open the site's session; the pages (without error) an unfinished session stored."""

    def pending(self, site_id: str) -> list[str] | None:
        """The open session's queue (None: discovery did not finish, discover again)."""

    def enqueue(self, site_id: str, urls: list[str]) -> None:
        """Discovery is complete: these article URLs, in order, are the session's queue."""

    def record(self, page: dict) -> None:
        """A page is fetched (or failed) and archived: log it; a page without error is done.
        May be buffered; `finish` (and `start`/`pending`) must see every recorded page."""

    def finish(self, site_id: str) -> None:
        """Every queued URL was tried: the session is closed."""


class MemoryFrontier:
    """A Frontier that forgets everything when the process ends (tests; callers with no warehouse)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.queues: dict[str, list[str] | None] = {}
        self.stored: dict[str, dict[str, dict]] = {}
        self.log: list[dict] = []

    def start(self, site_id: str, run_id: str) -> list[dict]:
        with self._lock:
            self.queues.setdefault(site_id, None)
            return list(self.stored.setdefault(site_id, {}).values())

    def pending(self, site_id: str) -> list[str] | None:
        with self._lock:
            return self.queues.get(site_id)

    def enqueue(self, site_id: str, urls: list[str]) -> None:
        with self._lock:
            self.queues[site_id] = list(urls)

    def record(self, page: dict) -> None:
        with self._lock:
            self.log.append(dict(page))
            if not page.get("error"):
                self.stored.setdefault(page["site_id"], {})[page["url"]] = dict(page)

    def finish(self, site_id: str) -> None:
        with self._lock:
            self.queues.pop(site_id, None)
            self.stored.pop(site_id, None)
