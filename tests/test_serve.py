"""`egov serve` for real: a local Prefect server, deployments on a short interval against the
mirror, runs that fire on schedule, a release that appears, and everything stopped on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO


def _processes_of(session_id: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,sid="], capture_output=True, text=True).stdout.split("\n")
    return [int(p) for p, s in (line.split() for line in out if line.strip()) if int(s) == session_id]


def test_serve_runs_on_schedule_publishes_and_stops_everything(mirror_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    cmd = [sys.executable, "-m", "flows.cli", "--home", str(tmp_path), "serve", "--interval", "5",
           "--site", "thanhtra.com.vn", "--mirror", mirror_url]
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not (tmp_path / "releases" / "LATEST").exists():
            assert proc.poll() is None, proc.stdout.read()[-3000:]
            time.sleep(1)
        assert (tmp_path / "releases" / "LATEST").exists(), "no release within 180 s"
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0, output[-3000:]
    assert "local Prefect server at http://127.0.0.1:" in output
    deadline = time.monotonic() + 30
    while _processes_of(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _processes_of(proc.pid) == [], "serve left processes behind"
