"""`egov serve`: the pipeline as Prefect deployments on the schedules in config/schedules.toml.

One crawl deployment per site (the `refresh` flow limited to that site, no publishing) and one
daily `publish` deployment. A bare flow run starts a temporary Prefect server that cannot
schedule anything (shared/notes/dependencies.md), so with no PREFECT_API_URL set we start a
real local server (SQLite under $EGOV_HOME/prefect), point this process at it, serve, and stop
the server on exit — Ctrl-C or SIGTERM. With PREFECT_API_URL set, that server is used and
nothing is started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx

from flows import settings

SCHEDULES = settings.REPO / "config" / "schedules.toml"
SERVER_START_TIMEOUT_S = 120


def load_schedules(path: Path = SCHEDULES) -> dict:
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
        config["crawl"]["cron"], config["publish"]["cron"]  # noqa: B018 - required keys
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a valid schedule file ({type(exc).__name__}: {exc})") from None
    return config


def deployments(sites: list[dict], schedules: dict, *, mirror: str | None, home: str | None,
                interval: float | None = None, scheduled: bool = True, registry: str | None = None) -> list:
    """Prefect deployments for every site's crawl and the daily publish. `scheduled=False`
    leaves them unscheduled, to be triggered (flows/workers.py fans them out on demand)."""
    from flows.publish_flow import publish
    from flows.refresh import refresh

    from prefect.deployments.runner import EntrypointType

    tz = schedules.get("timezone", "Asia/Ho_Chi_Minh")
    # Flow runs import the flow by module path, so they work from any working directory.
    by_module = {"entrypoint_type": EntrypointType.MODULE_PATH}

    def when(cron: str) -> dict:
        if not scheduled:
            return {}
        if interval:
            return {"interval": interval}
        from prefect.schedules import Cron

        return {"schedule": Cron(cron, timezone=tz)}

    per_site = schedules["crawl"].get("sites", {})
    other_registry = {"registry": registry} if registry else {}
    out = [
        refresh.to_deployment(
            name=f"crawl-{site['id']}", tags=["crawl", site["id"]],
            parameters={"mirror": mirror, "home": home, "sites": [site["id"]], "publish": False,
                        **other_registry},
            **when(per_site.get(site["id"], schedules["crawl"]["cron"])), **by_module,
        )
        for site in sites
    ]
    out.append(publish.to_deployment(name="daily-release", tags=["publish"], parameters={"home": home},
                                     **when(schedules["publish"]["cron"]), **by_module))
    return out


def serve(*, mirror: str | None, home: str | None, interval: float | None = None,
          only: list[str] | None = None) -> int:
    from extractors.registry import load_sites

    sites = [s for s in load_sites() if not only or s["id"] in only]
    schedules = load_schedules()
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        server, api = start_local_server(settings.home(home))
        os.environ["PREFECT_API_URL"] = api
        print(f"local Prefect server at {api.removesuffix('/api')} (stopped when this command stops)")
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        from prefect import serve as prefect_serve  # after PREFECT_API_URL is set

        # limit=1: the warehouse has one writer, so this process runs one flow run at a time.
        prefect_serve(*deployments(sites, schedules, mirror=mirror, home=home, interval=interval), limit=1)
    except KeyboardInterrupt:
        print("stopping")
    finally:
        if server is not None:
            stop(server)
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def start_local_server(h: settings.Home, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`prefect server start` on a free loopback port, in its own session; (process, API URL)."""
    port = _free_port()
    cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    log = (h.root / "prefect-server.log").open("ab")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, **(env or {})})
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the local Prefect server exited with status {proc.returncode}; see {log.name}")
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return proc, api
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop(proc)
    raise RuntimeError(f"the local Prefect server did not answer on {api} within {SERVER_START_TIMEOUT_S} s; see {log.name}")


def stop(proc: subprocess.Popen) -> None:
    """The server and the workers it spawned live in their own process group: end them all."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
