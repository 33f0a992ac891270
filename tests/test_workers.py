"""Fan-out for real: a local Prefect server, a process work pool, two `prefect worker start`
processes, one crawl deployment run per site over the mirror, then the publish deployment. The
release must hold the same data as one single-process `refresh` of the same mirror, both workers
must have taken runs, and nothing that was started may outlive the test."""

from __future__ import annotations

import os
from pathlib import Path

from release_data import assert_same_data, release_rows

# Four of the eight sites: each flow run is a fresh process (~3 s to import Prefect and the
# flow, more under load) and the warehouse's one writer serialises the runs, so all eight take
# ~100 s here. Four are enough for both workers to take runs and for the release to be compared.
SITES = ["baochinhphu.vn", "chinhphu.vn", "thanhtra.com.vn", "mst.gov.vn"]


def processes_with_env(name: str, value: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"{name}={value}".encode() in env:
            found.append(int(pid))
    return found


def test_two_process_workers_share_the_sites_and_publish_the_single_process_release(
        prefect_server, mirror_url, fast_registry, tmp_path):
    from flows.refresh import refresh
    from flows.workers import run_local

    single, pooled = tmp_path / "single", tmp_path / "pooled"
    reference = refresh(mirror=mirror_url, home=str(single), sites=SITES, registry=str(fast_registry))
    assert reference["run"]["status"] == "ok", reference["sites"]

    result = run_local(home=str(pooled), mirror=mirror_url, workers=2, only=SITES,
                       registry=str(fast_registry), timeout=300)

    assert result["failed"] == [], result
    assert len(result["runs"]) == len(reference["sites"]) + 1  # a crawl per site, then the publish
    assert all(result["workers"].values()), f"a worker took no run: {result['workers']}"
    assert sorted(sum(result["workers"].values(), [])) == sorted(result["runs"]), result["workers"]
    expected = release_rows(single)
    assert len(expected["observations"]) > 100
    assert_same_data(release_rows(pooled), expected, "fanned out over the pool")
    assert processes_with_env("PREFECT_HOME", str(pooled / "prefect")) == [], "server, worker or flow run left running"
