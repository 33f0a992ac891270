"""Prefect tasks: one per site or per batch, never per page (a task costs 5–30 ms of Prefect
bookkeeping; a page costs less than that to clean). Each task calls one stage and catches
nothing it cannot report: page-level failures come back as data, in the rows they concern.
No task is cached: their inputs are whole batches, and hashing them for a cache key would cost
more than the work it could save."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from typing import Protocol
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

import publish
import warehouse
from extractors.fetch import crawl_site_sync
from flows import cpu, progress
from flows.batches import process_batch
from warehouse.frontier import Frontier, FrontierBusy


class PageSink(Protocol):
    """Takes a crawl's pages as they are stored; `close()` when the crawl ends."""

    def __call__(self, page: dict) -> None: ...

    def close(self) -> None: ...


@task(name="crawl-site", task_run_name="crawl {site[id]}", cache_policy=NO_CACHE)
def crawl_site(site: dict, archive: Path, home_root: Path, mirror: str | None, seen: dict,
               run_id: str, since: dt.date | None = None, frontier: Path | None = None,
               sink: PageSink | None = None, today: dt.date | None = None) -> dict:
    """Crawl one site, as of `today` (discovery's "today", for replaying a snapshot; default the
    site's real today). With a `frontier` file, the site's queue and fetch log live there, so a run
    killed midway resumes without fetching again what it stored; a frontier another process has
    open means another run is crawling the site, which is then left to it. `sink`, if given, gets
    each page as it is stored (`sink(page)`), for processing while the crawl goes on, and
    `sink.close()` when the crawl ends; the result then holds only the pages resumed from the
    frontier, so the crawl's memory stays flat however many pages it fetches."""

    def on_page(page: dict) -> None:
        progress.advance("pages")
        if sink is not None:
            sink(_relative(page, home_root))

    try:
        with contextlib.ExitStack() as stack:
            if sink is not None:
                stack.callback(sink.close)
            state = stack.enter_context(Frontier(frontier)) if frontier else None
            result = crawl_site_sync(site, archive, mirror=mirror, seen=seen, run_id=run_id, since=since,
                                     today=today, frontier=state,
                                     on_discovered=lambda n: progress.advance("pages", 0, total=n),
                                     on_page=on_page, keep_pages=sink is None)
    except FrontierBusy as exc:
        return {"pages": [], "discovered": 0, "errors": [f"site {site['id']}: {exc}"], "warnings": []}
    logger = get_run_logger()
    for line in result.errors + result.warnings:
        logger.warning("%s: %s", site["id"], line)
    return {"pages": [_relative(p, home_root) for p in result.pages], "discovered": result.discovered,
            "errors": result.errors, "warnings": result.warnings}


def _relative(page: dict, home_root: Path) -> dict:
    """The page with its archive path relative to $EGOV_HOME, so that the home can move."""
    if not page.get("archive_path") or not os.path.isabs(page["archive_path"]):
        return page
    return {**page, "archive_path": os.path.relpath(page["archive_path"], home_root)}


@task(name="process-pages", task_run_name="clean+extract {site[id]}", cache_policy=NO_CACHE)
def process_pages(site: dict, pages: list[dict], home_root: Path, run_id: str) -> dict:
    """Clean and extract a batch of one site's pages (the new or changed ones) into warehouse rows,
    on the flow's worker processes if it started them (flows/cpu.py)."""
    result = cpu.run(process_batch, site, pages, home_root, run_id)
    logger = get_run_logger()
    for line in result.pop("warnings"):
        logger.warning(line)
    return result


@task(name="load", task_run_name="load {label}", cache_policy=NO_CACHE)
def load(warehouse_path: Path, batch: dict, label: str) -> dict:
    with warehouse.connect(warehouse_path) as con:
        return warehouse.load_batch(con, batch)


@task(name="publish", cache_policy=NO_CACHE)
def publish_release(warehouse_path: Path, releases: Path, provenance: dict) -> dict | None:
    with warehouse.connect(warehouse_path, read_only=True) as con:
        return publish.publish_release(con, releases, provenance)
