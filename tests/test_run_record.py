"""A run that fails midway says so in the warehouse: its crawl_runs row is 'failed', with the time
it ended, not 'running' for ever (what `egov status` and every later release's provenance read)."""

from __future__ import annotations

import duckdb
import pytest

import warehouse
from conftest import REPO
from flows import settings
from mirror.server import MirrorServer

SITE = "chinhphu.vn"


def test_a_run_whose_load_fails_is_recorded_as_failed(prefect_server, fast_registry, tmp_path):
    from flows.refresh import refresh

    h = settings.home(str(tmp_path / "home"))
    # A real fault in the middle of the run: the run's own record and its sources load, then its
    # first batch of observations does not (a column the loader writes is gone).
    with warehouse.connect(h.warehouse) as con:
        con.execute("ALTER TABLE observations DROP COLUMN subject")
    with MirrorServer(REPO / "mirror" / "sites") as url, pytest.raises(Exception, match="subject"):
        refresh(mirror=url, home=str(h.root), sites=[SITE], registry=str(fast_registry), publish=False)
    with duckdb.connect(str(h.warehouse), read_only=True) as con:
        runs = con.execute("SELECT status, finished_at IS NOT NULL FROM crawl_runs").fetchall()
    assert runs == [("failed", True)]
