"""The `refresh` flow: crawl → clean → extract → load → publish, for every configured site.

Sites are crawled concurrently (one task each; each task keeps its own per-host limits); as each
site's crawl ends, its pages are cleaned and extracted in batches, and each batch is loaded in one
transaction as soon as it is ready. The warehouse has a single writer — this flow — so loads run
one after another. A site that fails
degrades the run but never stops it; the release is published from whatever the warehouse
then holds, and only if its data changed.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import platform
import queue
import subprocess
import threading
import uuid
from pathlib import Path

from prefect import flow
from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

import warehouse
from extractors.extract import EXTRACTOR_VERSION
from extractors.registry import REGISTRY_PATH, load_sites
from flows import alerts, cpu, progress, settings, storage, tasks
from flows import report as report_tables
from warehouse import rows

TUNABLES = settings.TUNABLES["refresh"]
BATCH_PAGES = TUNABLES["batch_pages"]


def _limit_malloc_arenas(n: int) -> None:
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        M_ARENA_MAX = -8  # malloc.h
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, n)


_limit_malloc_arenas(TUNABLES["malloc_arenas"])  # see settings.toml: set before any thread exists


def _alert_failure(flow, flow_run, state) -> None:
    alerts.notify(alerts.message({"run_id": flow_run.name, "status": state.name.lower()}, {}, None,
                                 error=state.message))


@flow(name="refresh", log_prints=True, on_failure=[_alert_failure], on_crashed=[_alert_failure])
def refresh(mirror: str | None = None, home: str | None = None, sites: list[str] | None = None,
            registry: str | None = None, publish: bool = True, since: dt.date | None = None,
            resumable: bool = True, today: dt.date | dict[str, dt.date] | None = None) -> dict:
    """`today`: crawl as if today were that day — discovery's "today" only (a site's per-day
    listings count back from it), for replaying a snapshot such as the offline mirror; a mapping
    gives each site id its own day (a site it lacks: the real today). Default: the real today.
    The run's own timestamps are always real time."""
    h = settings.home(home)
    config = [s for s in load_sites(registry or REGISTRY_PATH) if not sites or s["id"] in sites]
    # The warehouse is written in short turns (one per batch, under its writer lock), never held
    # for the whole run: readers get turns during a long crawl, and runs of other sites (other
    # Prefect workers) crawl at the same time and only take turns to load.
    run = _start_run(h, config, mirror)
    try:
        report = _crawl_and_load(h, config, mirror, run["run_id"], since, resumable, today)
    except BaseException:
        _record_failure(h, run)
        raise
    run = _finish_run(h, run, report)
    # The archive is replicated before publishing, so it reaches the store even if the gate refuses.
    stored = storage.replicate(h.root, h.archive, h.releases, releases=False)
    release = None
    if publish:
        try:
            release = tasks.publish_release(h.warehouse, h.releases, provenance(h, run))
        except Exception:  # the gate refused: nothing published; the failure hook sends the alert
            _set_status(h, run, "failed")
            raise
        stored["errors"] += storage.replicate(h.root, h.archive, h.releases, archive=False)["errors"]
    if stored["errors"]:  # the data is safe on local disk; the next run uploads what is missing
        report_tables.note_storage_errors(report, stored["errors"])
        run = _set_status(h, run, "degraded") if run["status"] == "ok" else run
    report_tables.publish_artifacts(run, report, release, h.releases)
    if run["status"] != "ok":
        alerts.notify(alerts.message(run, report, release))
    return {"run": run, "sites": report, "release": release, "home": str(h.root)}


def _crawl_and_load(h: settings.Home, config: list[dict], mirror: str | None, run_id: str, since: dt.date | None,
                    resumable: bool, today: dt.date | dict[str, dt.date] | None) -> dict:
    """The run's crawl, clean + extract and loads; its report per site, with what it found."""
    conflicts_before = report_tables.conflict_ids(h.warehouse)
    # Each site's frontier is a file of its own, opened by its crawl task wherever that runs
    # (a thread here, a Dask worker, another worker's process): a second run of the same site
    # finds it locked and leaves the site to the first.
    frontiers = {s["id"]: h.frontier / f"{s['id']}.sqlite" if resumable else None for s in config}
    in_process = isinstance(FlowRunContext.get().task_runner, ThreadPoolTaskRunner)  # not Dask
    workers = cpu.workers(TUNABLES["cpu_workers"]) if in_process else 0
    with cpu.pool(workers):
        report = _crawl_process_load(h, config, mirror, _seen_pages(h), run_id, since, frontiers,
                                     stream=in_process, in_flight=max(workers, 1) + TUNABLES["batches_waiting"],
                                     today=today)
    for site, found in report_tables.site_findings(h.warehouse, run_id, conflicts_before).items():
        report.get(site, {}).update(found)
    return report


def _crawl_process_load(h: settings.Home, config: list[dict], mirror: str | None, seen: dict, run_id: str,
                        since: dt.date | None, frontiers: dict[str, Path | None], stream: bool,
                        in_flight: int = 1, today: dt.date | dict[str, dt.date] | None = None) -> dict:
    """Every site is crawled concurrently. Its pages go to clean + extract in batches — as the
    crawl stores them (`stream`: crawl tasks on this process's threads), else when its crawl
    ends (Dask) — and each batch is loaded as soon as it is ready, one at a time: the warehouse
    has one writer. Streamed, at most `in_flight` batches are between crawl and load at once:
    a crawl that runs ahead waits for a load, so memory stays at a few batches however big the
    crawl and however slow the machine."""
    events: queue.Queue = queue.Queue()   # (kind, site, payload), from task callbacks and crawl threads
    slots = _Slots(in_flight)
    report = {s["id"]: _site_report() for s in config}
    waiting = 0

    def watch(future, site: dict, kind: str) -> None:
        nonlocal waiting
        waiting += 1
        future.add_done_callback(lambda f: events.put((kind, site, f)))

    def dispatch(site: dict, pages: list[dict], kind: str = "batch") -> None:
        progress.advance("articles", 0, total=len(pages))
        for start in range(0, len(pages), BATCH_PAGES):
            watch(tasks.process_pages.submit(site, pages[start:start + BATCH_PAGES], h.root, run_id), site, kind)

    for site in config:
        sink = _BatchSink(site, events, slots) if stream else None
        as_of = today.get(site["id"]) if isinstance(today, dict) else today
        watch(tasks.crawl_site.submit(site, h.archive, h.root, mirror, seen, run_id, since, frontiers[site["id"]], sink,
                                      today=as_of),
              site, "crawl")
    try:
        while waiting:
            kind, site, payload = events.get()
            r = report[site["id"]]
            if kind == "pages":  # a batch the crawl has stored so far, holding one of the slots
                dispatch(site, payload, "streamed")
                continue
            waiting -= 1
            try:
                result = payload.result()
            except Exception as exc:  # a task that crashed degrades its site, never the run
                r["errors"].append(f"{kind} failed: {type(exc).__name__}: {exc}")
                continue
            finally:
                if kind == "streamed":
                    slots.release()  # before the load, so the crawl refills the workers while it runs
            if kind == "crawl":
                r.update(discovered=result["discovered"], errors=r["errors"] + result["errors"], warnings=result["warnings"])
                # Streamed, the crawl's result holds only the pages resumed from its frontier, which
                # the sink never saw; else every page. Either way none was dispatched yet.
                dispatch(site, result["pages"])
            else:
                # quote: Prefect would otherwise walk every row of the batch looking for futures
                changed = tasks.load(h.warehouse, quote(result["batch"]), label=site["id"])
                for key, n in result["stats"].items():
                    r[key] += n
                progress.advance("articles", len(result["batch"]["pages"]))
                progress.advance("rows", sum(changed.values()), total=sum(changed.values()))
    finally:
        slots.open()  # the loop ended, even by an error: no crawl may wait for a slot forever
    return report


class _BatchSink:
    """Called by the site's crawl with each page it stores: full batches go to the flow's queue,
    and `close()`, when the crawl ends, sends the rest. Each batch takes one of the flow's
    `slots` first, waiting (and so holding the crawl back) while all are taken."""

    def __init__(self, site: dict, events: queue.Queue, slots: "_Slots"):
        self.site, self.events, self.slots, self.pending = site, events, slots, []

    def __call__(self, page: dict) -> None:
        self.pending.append(page)
        if len(self.pending) >= BATCH_PAGES:
            self.close()

    def close(self) -> None:
        if self.pending:
            self.slots.acquire()
            self.events.put(("pages", self.site, self.pending))
            self.pending = []


class _Slots:
    """A semaphore that `open()` turns off: once the flow stops taking batches (it ended, or a
    load raised), a crawl waiting for a slot goes on instead of waiting forever."""

    def __init__(self, n: int):
        self._free, self._open, self._cond = n, False, threading.Condition()

    def acquire(self) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._free > 0 or self._open)
            self._free -= 1

    def release(self) -> None:
        with self._cond:
            self._free += 1
            self._cond.notify()

    def open(self) -> None:
        with self._cond:
            self._open = True
            self._cond.notify_all()


def _site_report() -> dict:
    return {"discovered": 0, "fetched": 0, "unchanged": 0, "failed": 0, "articles": 0, "drift": 0,
            "observations": 0, "new_conflicts": 0, "errors": [], "warnings": []}


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


def _record_failure(h: settings.Home, run: dict) -> None:
    """A run that raised ends 'failed', with the time it ended, instead of staying 'running' for
    ever. Best effort: when the warehouse is what failed this may fail too, and the run's own
    error is the one to report."""
    try:
        _set_status(h, {**run, "finished_at": dt.datetime.now(dt.timezone.utc).isoformat()}, "failed")
    except Exception as exc:
        print(f"run {run['run_id']}: its failure could not be recorded in {h.warehouse}: {exc}")


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
