"""The `reprocess` flow: rebuild every article, observation and release from the WARC archive,
with no network — after an extractor or cleaner change, or on a machine that never crawled.

Pages are the newest archived copy of each URL that its site's registry entry calls an article;
they go through the same clean → extract → load tasks as a crawl, in one run of their own.

Why it ends with a compaction: a reprocess after an extractor change replaces every observation
and legal reference row (their extractor_version changes), and loads never merge row groups
(warehouse/settings.toml), so the whole old data would stay stored as deleted rows, the file
roughly doubling each time. One compaction at the end (warehouse/compact.py), before publishing,
gives that back. It is an extra, not the run's purpose: if it fails, the warehouse stays as it was
(compaction renames a checked copy or changes nothing) and the reprocess goes on with a warning.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from prefect import flow, get_run_logger

import warehouse
from extractors.registry import REGISTRY_PATH, load_sites
from extractors.warc import iter_pages
from flows import settings, storage, tasks
from flows.refresh import BATCH_PAGES, _finish_run, _record_failure, _start_run, provenance


@flow(name="reprocess", log_prints=True)
def reprocess(home: str | None = None, registry: str | None = None, publish: bool = True,
              archive: str | None = None, compact: bool = True) -> dict:
    """`archive`: a folder or fsspec URL to read the WARC files from (default: the home's archive),
    e.g. the object store a crawl replicated them to, on a machine that never crawled.
    `compact`: compact the warehouse after the loads (result["compaction"]: its figures, or
    {"error": ...} if it failed and left the warehouse as it was; None when not asked)."""
    h = settings.home(home)
    sites = {s["id"]: s for s in load_sites(registry or REGISTRY_PATH)}
    run = _start_run(h, list(sites.values()), mirror=None)
    try:
        pages: dict[str, list[dict]] = {site_id: [] for site_id in sites}
        remote = archive is not None and "://" in archive
        source = archive if remote else (Path(archive) if archive else h.archive)
        options = storage.load(h.root).options if remote else None
        for record in iter_pages(source, storage_options=options):
            site = sites.get(record["site_id"])
            url = record["requested"] or record["url"]
            if site and re.match(site["article_url"], url):
                pages[site["id"]].append(_page(record, url))
        report = _process_and_load(sites, pages, h, run["run_id"])
    except BaseException:
        _record_failure(h, run)
        raise
    run = _finish_run(h, run, report)
    compaction = _compact(h.warehouse) if compact else None
    release = None
    if publish:
        release = tasks.publish_release(h.warehouse, h.releases, provenance(h, run))
        for line in storage.replicate(h.root, h.archive, h.releases, archive=False)["errors"]:
            print(line)
    return {"run": run, "sites": report, "release": release, "home": str(h.root), "compaction": compaction}


def _process_and_load(sites: dict, pages: dict[str, list[dict]], h: settings.Home, run_id: str) -> dict:
    """Each site's archived pages cleaned, extracted and loaded in batches; the report per site."""
    report = {}
    for site_id, site_pages in pages.items():
        report[site_id] = {"fetched": 0, "unchanged": 0, "failed": 0, "articles": 0, "drift": 0,
                           "discovered": len(site_pages), "errors": [], "warnings": []}
        for start in range(0, len(site_pages), BATCH_PAGES):
            result = tasks.process_pages(sites[site_id], site_pages[start:start + BATCH_PAGES], h.root, run_id)
            result["batch"].pop("pages")  # the crawl log stays as the crawls wrote it
            tasks.load(h.warehouse, result["batch"], label=site_id)
            for key, n in result["stats"].items():
                report[site_id][key] += n
    return report


def _compact(path: Path) -> dict:
    """warehouse.compact's figures; a failure is a one-line warning and {"error": ...}, never the run's."""
    try:
        return warehouse.compact(path)
    except Exception as exc:  # noqa: BLE001 — whatever it was, the old file is untouched (warehouse/compact.py)
        message = f"compaction of {path} failed, warehouse left as it was: {type(exc).__name__}: {exc}"
        get_run_logger().warning(message)
        return {"error": message}


def _page(record: dict, url: str) -> dict:
    headers = record["headers"]
    return {
        "url": url, "site_id": record["site_id"], "status": record["status"], "body": record["body"],
        "sha256": hashlib.sha256(record["body"]).hexdigest(), "bytes": len(record["body"]),
        "fetched_at": record["fetched_at"], "content_type": headers.get("content-type"),
        "etag": headers.get("etag"), "last_modified": headers.get("last-modified"),
    }
