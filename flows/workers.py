"""Fan the refresh out per site over a Prefect process work pool, so several workers share the sites.

Why a work pool and not threads: a pool lets workers on any number of machines pick up crawls
from one Prefect server, each in its own process, and Prefect records who ran what. Why one
deployment per site (the same `crawl-<site>` deployments `egov serve` registers): a site is the
unit that fails, retries and gets scheduled on its own; the publish deployment then makes one
release from whatever the warehouse holds once every site's run has ended.

The pieces are separate so each can be used alone: `ensure_pool` + `register` for a team's own
server, `start_worker` for a machine that runs crawls, `fanout` to trigger a refresh now, and
`run_local` for all of it on one machine (a local server and N workers, stopped at the end).
The warehouse has one writer, so with one `$EGOV_HOME` the workers' runs queue on its lock
(warehouse/settings.toml: writer_wait_s); the pool spreads processes, Dask spreads the CPU.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from contextlib import ExitStack, contextmanager
from pathlib import Path

from flows import settings
from flows.schedule import deployments, load_schedules, start_local_server, stop

CONFIG = tomllib.loads((settings.REPO / "config" / "workers.toml").read_text(encoding="utf-8"))
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def ensure_pool(name: str = CONFIG["pool"]) -> None:
    """Create the process work pool `name` unless the server already has it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
        except ObjectNotFound:
            template = ProcessWorker.get_default_base_job_template()
            client.create_work_pool(WorkPoolCreate(name=name, type="process", base_job_template=template))


def register(sites: list[dict], *, mirror: str | None, home: str | None, pool: str = CONFIG["pool"],
             scheduled: bool = True, registry: str | None = None) -> list[str]:
    """Register every site's crawl deployment and the publish deployment in `pool`; their names.

    The flow runs start in the repository (job variable `working_dir`), so the module-path
    entrypoints import whatever the workers' Python environment holds of this code."""
    job = {"working_dir": str(settings.REPO)}
    names = []
    for d in deployments(sites, load_schedules(), mirror=mirror, home=home, scheduled=scheduled,
                         registry=registry):
        d.job_variables = job
        d.apply(work_pool_name=pool)
        names.append(f"{d.flow_name}/{d.name}")
    return names


def start_worker(name: str, log: Path, *, pool: str = CONFIG["pool"], env: dict | None = None) -> subprocess.Popen:
    """`prefect worker start` in its own session (so `stop` ends it and its flow runs), logging to `log`."""
    env = {**os.environ, **(env or {}), "PREFECT_WORKER_QUERY_SECONDS": str(CONFIG["worker_query_s"])}
    cmd = [sys.executable, "-m", "prefect", "worker", "start", "--pool", pool, "--type", "process",
           "--name", name, "--limit", str(CONFIG["runs_per_worker"])]
    with log.open("ab") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=settings.REPO,
                                start_new_session=True)


def fanout(site_ids: list[str], *, timeout: float = CONFIG["timeout_s"]) -> dict:
    """One run of each site's crawl deployment, all at once; when every one has ended, one
    publish run. Returns each run's id and final state; a failed site never stops the others."""
    from prefect.deployments import run_deployment

    deadline = time.monotonic() + timeout
    crawls = {site: run_deployment(f"refresh/crawl-{site}", timeout=0, as_subflow=False).id for site in site_ids}
    crawl_states = _wait(crawls, deadline)
    published = {"publish": run_deployment("publish/daily-release", timeout=0, as_subflow=False).id}
    publish_state = _wait(published, deadline)
    runs = {**{k: {"id": str(crawls[k]), "state": v} for k, v in crawl_states.items()},
            "publish": {"id": str(published["publish"]), "state": publish_state["publish"]}}
    failed = [f"{k}: {r['state']}" for k, r in runs.items() if r["state"] != "COMPLETED"]
    return {"runs": runs, "failed": failed}


def _wait(runs: dict, deadline: float) -> dict[str, str]:
    """Each run's final state name; a run still going at the deadline is reported as TIMEOUT."""
    from prefect.client.orchestration import get_client

    states: dict[str, str] = {}
    with get_client(sync_client=True) as client:
        while True:
            for key, run_id in runs.items():
                if key not in states or states[key] not in FINAL:
                    state = client.read_flow_run(run_id).state
                    states[key] = state.type.value if state else "PENDING"
            if all(s in FINAL for s in states.values()):
                return states
            if time.monotonic() >= deadline:
                return {k: s if s in FINAL else f"TIMEOUT ({s})" for k, s in states.items()}
            time.sleep(CONFIG["poll_s"])


@contextmanager
def local_pool(h: settings.Home, workers: int, *, pool: str = CONFIG["pool"]):
    """A local Prefect server (SQLite under $EGOV_HOME/prefect), the pool and `workers` process
    workers; yields {"api", "logs"}. Everything it started is stopped on the way out, failures included."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with ExitStack() as stack:
        own = {"PREFECT_HOME": str(h.prefect)}  # this server's SQLite, not whatever else runs here
        server, api = start_local_server(h, env=own)
        stack.callback(stop, server)
        stack.enter_context(temporary_settings(updates={PREFECT_API_URL: api}))
        ensure_pool(pool)
        logs = []
        for i in range(1, workers + 1):
            log = h.root / f"prefect-worker-{i}.log"
            proc = start_worker(f"egov-worker-{i}", log, pool=pool, env={**own, "PREFECT_API_URL": api})
            stack.callback(stop, proc)
            logs.append(log)
        _wait_for_workers(pool, workers, logs)
        yield {"api": api, "logs": logs}


def _wait_for_workers(pool: str, n: int, logs: list[Path]) -> None:
    """Until `n` workers poll `pool`: else the first one up could take every run there is."""
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + CONFIG["worker_start_s"]
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            online = [w for w in client.read_workers_for_work_pool(pool) if w.status.value == "ONLINE"]
            if len(online) >= n:
                return
            time.sleep(CONFIG["poll_s"])
    raise RuntimeError(f"work pool {pool!r}: {len(online)} of {n} workers online after "
                       f"{CONFIG['worker_start_s']} s; see {', '.join(map(str, logs))}")


def run(*, home: str | None, mirror: str | None, workers: int = 2, only: list[str] | None = None,
        registry: str | None = None) -> dict:
    """`egov fanout`: with PREFECT_API_URL set, register in that server's pool and let its workers
    (started elsewhere) run the sites; without, do it all locally with `workers` workers."""
    if not os.environ.get("PREFECT_API_URL"):
        return run_local(home=home, mirror=mirror, workers=workers, only=only, registry=registry)
    from extractors.registry import REGISTRY_PATH, load_sites

    sites = [s for s in load_sites(registry or REGISTRY_PATH) if not only or s["id"] in only]
    ensure_pool()
    register(sites, mirror=mirror, home=home, registry=registry)
    return fanout([s["id"] for s in sites])


def run_local(*, home: str | None, mirror: str | None, workers: int = 2, only: list[str] | None = None,
              registry: str | None = None, timeout: float = CONFIG["timeout_s"]) -> dict:
    """`egov fanout` without a server of one's own: start one, fan out over `workers` workers, stop."""
    from extractors.registry import REGISTRY_PATH, load_sites

    h = settings.home(home)
    h.root.mkdir(parents=True, exist_ok=True)
    sites = [s for s in load_sites(registry or REGISTRY_PATH) if not only or s["id"] in only]
    with local_pool(h, workers) as pool:
        register(sites, mirror=mirror, home=str(h.root), scheduled=False, registry=registry)
        result = fanout([s["id"] for s in sites], timeout=timeout)
        return {**result, "workers": runs_by_worker(pool["logs"], result["runs"])}


def runs_by_worker(logs: list[Path], runs: dict) -> dict[str, list[str]]:
    """Which worker ran which run, read from the workers' logs: each logs the runs it submits,
    and the submissions the server refused because another worker had the run already."""
    found = {}
    for log in logs:
        text = log.read_text(encoding="utf-8", errors="replace")
        found[log.stem] = sorted(key for key, run in runs.items()
                                 if f"submitting flow run '{run['id']}'" in text
                                 and f"Aborted submission of flow run '{run['id']}'" not in text)
    return found
