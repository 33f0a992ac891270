"""`egov serve`: the refresh flow as a Prefect deployment on a cron schedule.

A bare flow run starts a temporary Prefect server that cannot schedule anything
(shared/notes/dependencies.md), so with no PREFECT_API_URL set we start a real local server
(SQLite under $EGOV_HOME/prefect), point this process at it, serve, and stop the server on exit.
With PREFECT_API_URL set, the team's own server is used and nothing is started.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

SERVER_START_TIMEOUT_S = 90


def serve(cron: str, mirror: str | None, home: str | None) -> int:
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        server, api = start_local_server()
        os.environ["PREFECT_API_URL"] = api
        print(f"local Prefect server at {api.removesuffix('/api')} (stopped when you stop this command)")
    try:
        from flows.refresh import refresh  # after PREFECT_API_URL is set: Prefect reads it at import

        refresh.serve(name="scheduled-refresh", cron=cron, parameters={"mirror": mirror, "home": home})
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    return 0


def start_local_server() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the local Prefect server exited with status {proc.returncode}: run `{' '.join(cmd)}` to see why")
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return proc, api
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"the local Prefect server did not answer on {api} within {SERVER_START_TIMEOUT_S} s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
