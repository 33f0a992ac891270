"""A crawl holds no lock on the warehouse: readers get turns while it runs, and its site's
frontier (a file of its own) tells a second run of the same site that the site is taken."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

import warehouse
from conftest import REPO
from warehouse.frontier import Frontier, FrontierBusy

SITE = "mst.gov.vn"


@pytest.fixture
def slow_registry(tmp_path):
    """One request a second: the crawl of the mirror's site lasts several seconds."""
    text = (REPO / "config" / "sources.toml").read_text(encoding="utf-8")
    path = tmp_path / "slow.toml"
    path.write_text(re.sub(r"(?m)^requests_per_second = [\d.]+", "requests_per_second = 1.0", text), encoding="utf-8")
    return path


def _frontier(home):
    """The site's frontier file, once the crawl has created it."""
    path = home / "frontier" / f"{SITE}.sqlite"
    return path if path.exists() else None


def test_readers_and_other_runs_get_turns_during_a_crawl(mirror_url, slow_registry, tmp_path):
    home = tmp_path / "home"
    crawl = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "refresh", "--mirror", mirror_url, "--site", SITE, "--no-publish",
         "--registry", str(slow_registry), "--home", str(home)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"})
    try:
        deadline = time.monotonic() + 90
        while not (frontier := _frontier(home)) and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert crawl.poll() is None, crawl.stdout.read()[-3000:]
        time.sleep(1.0)  # well into the crawl, which lasts several seconds more
        with warehouse.connect(home / "warehouse.duckdb", read_only=True, wait=5) as con:
            assert con.execute("SELECT count(*) FROM crawl_runs").fetchall()[0][0] == 1
        with pytest.raises(FrontierBusy, match="another run is crawling it"):
            Frontier(frontier)
        assert crawl.poll() is None, "the crawl should still be running"
        out, _ = crawl.communicate(timeout=180)
    finally:
        crawl.kill()
    assert crawl.returncode == 0, out[-3000:]
    with warehouse.connect(home / "warehouse.duckdb", read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] > 0
