"""Prefect tasks: one per site or per batch, never per page (a task costs 5–30 ms of Prefect
bookkeeping; a page costs less than that to clean). Each task calls one stage and catches
nothing it cannot report: page-level failures come back as data, in the rows they concern.
No task is cached: their inputs are whole batches, and hashing them for a cache key would cost
more than the work it could save."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

import publish
import warehouse
from extractors.charset import decode, detect_encoding
from extractors.clean import clean
from extractors.extract import EXTRACTOR_VERSION, extract
from extractors.fetch import crawl_site_sync
from flows import progress
from warehouse import rows
from warehouse.frontier import Frontier, FrontierBusy


@task(name="crawl-site", task_run_name="crawl {site[id]}", cache_policy=NO_CACHE)
def crawl_site(site: dict, archive: Path, home_root: Path, mirror: str | None, seen: dict,
               run_id: str, since: dt.date | None = None, frontier: Path | None = None) -> dict:
    """Crawl one site. With a `frontier` file, the site's queue and fetch log live there, so a run
    killed midway resumes without fetching again what it stored; a frontier another process has
    open means another run is crawling the site, which is then left to it."""
    try:
        with contextlib.ExitStack() as stack:
            state = stack.enter_context(Frontier(frontier)) if frontier else None
            result = crawl_site_sync(site, archive, mirror=mirror, seen=seen, run_id=run_id, since=since,
                                     frontier=state, on_discovered=lambda n: progress.advance("pages", 0, total=n),
                                     on_page=lambda page: progress.advance("pages"))
    except FrontierBusy as exc:
        return {"pages": [], "discovered": 0, "errors": [f"site {site['id']}: {exc}"], "warnings": []}
    logger = get_run_logger()
    for line in result.errors + result.warnings:
        logger.warning("%s: %s", site["id"], line)
    for page in result.pages:  # stored relative to $EGOV_HOME, so the home can move
        if page.get("archive_path"):
            page["archive_path"] = os.path.relpath(page["archive_path"], home_root)
    return {"pages": result.pages, "discovered": result.discovered, "errors": result.errors,
            "warnings": result.warnings}


@task(name="process-pages", task_run_name="clean+extract {site[id]}", cache_policy=NO_CACHE)
def process_pages(site: dict, pages: list[dict], home_root: Path, run_id: str) -> dict:
    """Clean and extract a batch of one site's pages (the new or changed ones) into warehouse rows."""
    batch: dict[str, list[dict]] = {"pages": [], "articles": [], "observations": [], "legal_refs": []}
    stats = {"fetched": 0, "unchanged": 0, "failed": 0, "articles": 0, "drift": 0}
    for page in pages:
        error = page.get("error")
        if error or page.get("unchanged"):
            stats["failed" if error else "unchanged"] += 1
            batch["pages"].append(rows.page_row(page, run_id))
            continue
        stats["fetched"] += 1
        try:
            _process_page(site, page, home_root, run_id, batch, stats)
        except Exception as exc:  # one broken page must not stop the site
            stats["failed"] += 1
            message = f"parse failed for {page['url']}: {type(exc).__name__}: {exc}"
            get_run_logger().warning(message)
            batch["pages"].append(rows.page_row(page, run_id, error=message))
    return {"batch": batch, "stats": stats}


def _process_page(site: dict, page: dict, home_root: Path, run_id: str, batch: dict, stats: dict) -> None:
    raw = page["body"] if "body" in page else (home_root / page["archive_path"]).read_bytes()
    html = decode(raw, page.get("encoding") or detect_encoding(page.get("content_type"), raw))
    article = clean(html, url=page["url"], adapter=site["adapter"])
    if not article["is_article"]:
        batch["pages"].append(rows.page_row(page, run_id))
        return
    row = rows.article_row(page, article, run_id)
    facts = extract(row["body"], row["published"], default_area=site["area"], title=row["title"],
                    tables=article.get("tables"))
    observations = rows.observation_rows(row, facts["observations"], EXTRACTOR_VERSION)
    legal_refs = rows.legal_ref_rows(row, facts["legal_refs"], EXTRACTOR_VERSION)
    # Rows are appended only once every step has worked, so a page that fails midway is recorded
    # once, with its error, and leaves no partial rows behind.
    batch["pages"].append(rows.page_row(page, run_id))
    batch["articles"].append(row)
    batch["observations"] += observations
    batch["legal_refs"] += legal_refs
    stats["articles"] += 1
    stats["drift"] += bool(article.get("drift"))


@task(name="load", task_run_name="load {label}", cache_policy=NO_CACHE)
def load(warehouse_path: Path, batch: dict, label: str) -> dict:
    with warehouse.connect(warehouse_path) as con:
        return warehouse.load_batch(con, batch)


@task(name="publish", cache_policy=NO_CACHE)
def publish_release(warehouse_path: Path, releases: Path, provenance: dict) -> dict | None:
    with warehouse.connect(warehouse_path, read_only=True) as con:
        return publish.publish_release(con, releases, provenance)
