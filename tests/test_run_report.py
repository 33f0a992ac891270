"""The run report's warehouse queries run within bounds (flows/settings.toml [report]), and a
query DuckDB cannot fit there runs again unbounded: a big warehouse costs memory, never the report."""

from __future__ import annotations

import duckdb
import pytest

import warehouse
from flows import report
from publish_fixtures import batch, make, obs


@pytest.fixture
def db(tmp_path):
    path = make(tmp_path / "w.duckdb")   # three articles of two sites
    with warehouse.connect(path) as con:  # and a fourth that contradicts the second's 80 million
        warehouse.load_batch(con, batch(4, [obs(81e6, "chip_id_cards_issued", "2023-12-31")]))
    return path


def test_findings_name_each_sites_observations_and_new_conflicts(db):
    findings = report.site_findings(db, "r1", set())
    assert findings == {"a.vn": {"observations": 6, "new_conflicts": 1}, "b.vn": {"observations": 2, "new_conflicts": 0}}
    assert report.site_findings(db, "r1", report.conflict_ids(db))["a.vn"]["new_conflicts"] == 0


def test_a_query_that_does_not_fit_the_bounds_runs_again_unbounded(db, monkeypatch):
    expected = report.site_findings(db, "r1", set()), report.conflict_ids(db)
    monkeypatch.setitem(report.BOUNDS, "memory_limit", "1MB")
    with duckdb.connect(str(db), read_only=True) as con, pytest.raises(duckdb.OutOfMemoryException):
        con.execute("SET memory_limit = '1MB'")
        con.execute("SELECT * FROM conflicts").fetchall()           # what the bounds alone would give
    assert (report.site_findings(db, "r1", set()), report.conflict_ids(db)) == expected
