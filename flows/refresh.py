"""The `refresh` flow: crawl → clean → extract → load → publish, for every configured site.

Sites are crawled concurrently (one task each; each task keeps its own per-host limits); each
site's pages are then cleaned and extracted as one batch and loaded in one transaction. The
warehouse has a single writer — this flow — so loads run one after another. A site that fails
degrades the run but never stops it; the release is published from whatever the warehouse
then holds, and only if its data changed.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import uuid

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

import warehouse
from extractors.extract import EXTRACTOR_VERSION
from extractors.registry import REGISTRY_PATH, load_sites
from flows import alerts, settings, tasks
from warehouse import rows
from warehouse.frontier import Frontier


def _alert_failure(flow, flow_run, state) -> None:
    alerts.notify(alerts.message({"run_id": flow_run.name, "status": state.name.lower()}, {}, None,
                                 error=state.message))


@flow(name="refresh", log_prints=True, on_failure=[_alert_failure], on_crashed=[_alert_failure])
def refresh(mirror: str | None = None, home: str | None = None, sites: list[str] | None = None,
            registry: str | None = None, publish: bool = True, since: dt.date | None = None,
            resumable: bool = True) -> dict:
    h = settings.home(home)
    config = [s for s in load_sites(registry or REGISTRY_PATH) if not sites or s["id"] in sites]
    # One writer at a time: a second run waits for this one (or gives up with a clear message)
    # rather than interleaving its batches with ours.
    with warehouse.writer_lock(h.warehouse, wait=warehouse.store.SETTINGS["writer_wait_s"]):
        return _refresh(h, config, mirror, publish, since, resumable)


def _refresh(h: settings.Home, config: list[dict], mirror: str | None, publish: bool,
             since: dt.date | None, resumable: bool) -> dict:
    run = _start_run(h, config, mirror)

    seen = _seen_pages(h)
    # Every site is crawled, then cleaned and extracted, concurrently (on the flow's task
    # runner: threads by default, Dask workers with `egov refresh --dask N`) ...
    # The frontier lives in the warehouse file, which only one process may write: resumable
    # crawls share one frontier between the crawl threads of this process (not with Dask).
    frontier = Frontier(h.warehouse) if resumable else None
    try:
        crawled = {s["id"]: tasks.crawl_site.submit(s, h.archive, h.root, mirror, seen, run["run_id"], since, frontier)
                   for s in config}
        processed = {s["id"]: tasks.process_site.submit(s, crawled[s["id"]], h.root, run["run_id"]) for s in config}
        report = {}
        for site in config:  # ... but loaded one after another: the warehouse has one writer.
            crawl, result = crawled[site["id"]].result(), processed[site["id"]].result()
            tasks.load(h.warehouse, result["batch"], label=site["id"])
            report[site["id"]] = {**result["stats"], "discovered": crawl["discovered"],
                                  "errors": crawl["errors"], "warnings": crawl["warnings"]}
    finally:
        if frontier is not None:
            frontier.close()

    run = _finish_run(h, run, report)
    release = None
    if publish:
        try:
            release = tasks.publish_release(h.warehouse, h.releases, provenance(h, run))
        except Exception:  # the gate refused: nothing published; the failure hook sends the alert
            _set_status(h, run, "failed")
            raise
    _report(run, report, release, h)
    if run["status"] != "ok":
        alerts.notify(alerts.message(run, report, release))
    return {"run": run, "sites": report, "release": release, "home": str(h.root)}


def _start_run(h: settings.Home, config: list[dict], mirror: str | None) -> dict:
    now = dt.datetime.now(dt.timezone.utc)
    run = {
        "run_id": f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}", "started_at": now.isoformat(),
        "target": "mirror" if mirror else "live", "mirror_url": mirror, "sites": len(config),
        "extractor_version": EXTRACTOR_VERSION, "code_revision": _code_revision(), "status": "running",
    }
    batch = {"sources": [rows.source_row(s) for s in config], "crawl_runs": [run]}
    with warehouse.connect(h.warehouse) as con:
        warehouse.load_batch(con, batch)
    return run


def _finish_run(h: settings.Home, run: dict, report: dict) -> dict:
    totals = {k: sum(r[k] for r in report.values()) for k in ("fetched", "unchanged", "failed", "articles")}
    degraded = totals["failed"] or any(r["errors"] or r["drift"] for r in report.values())
    with warehouse.connect(h.warehouse) as con:
        observations = con.execute(
            "SELECT count(*) FROM observations o JOIN articles a USING (article_id) WHERE a.run_id = ?",
            [run["run_id"]],
        ).fetchall()[0][0]
        run = {
            **run, "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "pages_fetched": totals["fetched"], "pages_unchanged": totals["unchanged"],
            "pages_failed": totals["failed"], "articles": totals["articles"],
            "observations": observations, "status": "degraded" if degraded else "ok",
        }
        warehouse.load_batch(con, {"crawl_runs": [run]})
    return run


def _set_status(h: settings.Home, run: dict, status: str) -> dict:
    run = {**run, "status": status}
    with warehouse.connect(h.warehouse) as con:
        warehouse.load_batch(con, {"crawl_runs": [run]})
    return run


def _seen_pages(h: settings.Home) -> dict:
    """What earlier runs stored of each page, for conditional GET and change detection."""
    with warehouse.connect(h.warehouse) as con:
        found = con.execute(
            "SELECT url, etag, last_modified, sha256 FROM pages WHERE error IS NULL AND sha256 IS NOT NULL"
        ).fetchall()
    return {url: {"etag": e, "last_modified": m, "sha256": s} for url, e, m, s in found}


def provenance(h: settings.Home, run: dict | None) -> dict:
    """What produced a release: the crawl runs, the archive, the extractor and code versions."""
    with warehouse.connect(h.warehouse) as con:
        runs = con.execute(
            "SELECT run_id, target, pages_fetched, pages_unchanged, pages_failed, articles, status "
            "FROM crawl_runs ORDER BY started_at"
        ).fetchall()
        pages = con.execute("SELECT count(*) FROM pages").fetchall()[0][0]
    keys = ("run_id", "target", "pages_fetched", "pages_unchanged", "pages_failed", "articles", "status")
    return {
        "crawl_runs": [dict(zip(keys, r)) for r in runs], "pages_in_archive": pages,
        "extractor_version": EXTRACTOR_VERSION, "code_revision": _code_revision(),
        "published_by_run": run["run_id"] if run else None,
    }


def _code_revision() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=settings.REPO,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _report(run: dict, report: dict, release: dict | None, h: settings.Home) -> None:
    lines = ["| site | discovered | fetched | unchanged | failed | articles | drift |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for site, r in report.items():
        lines.append(f"| {site} | {r['discovered']} | {r['fetched']} | {r['unchanged']} | "
                     f"{r['failed']} | {r['articles']} | {r['drift']} |")
    where = f"release {release['version']} in {h.releases / release['version']}" if release else "no new release (data unchanged)"
    text = f"# Run {run['run_id']}: {run['status']}\n\n" + "\n".join(lines) + f"\n\n{where}\n"
    create_markdown_artifact(markdown=text, key="refresh-report", description="Pages and articles per site")
    create_table_artifact(
        key="refresh-sites", description="Per site: pages found, fetched, unchanged, failed; drift",
        table=[{"site": site, **{k: r[k] for k in ("discovered", "fetched", "unchanged", "failed", "articles", "drift")},
                "errors": "; ".join(r["errors"])} for site, r in report.items()],
    )
    get_run_logger().info("%s", text)
