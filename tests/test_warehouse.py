"""The warehouse: idempotent loads keyed by stable ids, child rows replaced per article, atomic batches."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

import schemas
import warehouse
from tests.warehouse_batches import article_batch, obs


@pytest.fixture
def con(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        yield con


def _distinct_ids_equal_counts(con):
    for table in schemas.STORED:
        keys = ", ".join(f'"{k}"' for k in schemas.load(table)["primaryKey"])
        total, distinct = con.execute(f'SELECT count(*), count(DISTINCT ({keys})) FROM "{table}"').fetchall()[0]
        assert total == distinct > 0, table


def test_loading_twice_adds_no_rows_and_changes_none(con):
    first = warehouse.load_batch(con, article_batch())
    assert first["observations"] == 3 and first["articles"] == 1
    counts = warehouse.row_counts(con)
    again = warehouse.load_batch(con, article_batch())
    assert warehouse.row_counts(con) == counts
    assert set(again.values()) == {0}, again
    _distinct_ids_equal_counts(con)


def test_a_changed_row_is_replaced_not_duplicated(con):
    warehouse.load_batch(con, article_batch())
    batch = article_batch()
    batch["articles"][0]["title"] = "corrected"
    assert warehouse.load_batch(con, batch)["articles"] == 1
    assert con.execute("SELECT title FROM articles").fetchall() == [("corrected",)]
    _distinct_ids_equal_counts(con)


def test_reprocessed_article_replaces_its_observations(con):
    warehouse.load_batch(con, article_batch(observations=[obs(v, start=i) for i, v in enumerate((1, 2, 3))]))
    changed = warehouse.load_batch(con, article_batch(observations=[obs(7, start=0)]))
    assert con.execute("SELECT value FROM observations").fetchall() == [(7.0,)]
    assert changed["observations"] == 4  # three stale rows deleted, one new


def test_article_with_no_figures_left_loses_them(con):
    warehouse.load_batch(con, article_batch())
    warehouse.load_batch(con, article_batch(observations=[], refs=False))
    assert warehouse.row_counts(con)["observations"] == warehouse.row_counts(con)["legal_refs"] == 0


def test_other_articles_keep_their_observations(con):
    warehouse.load_batch(con, article_batch(1))
    warehouse.load_batch(con, article_batch(2, observations=[obs(9)]))
    assert warehouse.row_counts(con)["observations"] == 4


def test_one_id_twice_in_a_batch_keeps_the_last(con):
    batch = article_batch()
    twin = dict(batch["articles"][0], title="second")
    batch["articles"].append(twin)
    warehouse.load_batch(con, batch)
    assert con.execute("SELECT title FROM articles").fetchall() == [("second",)]


def test_failed_batch_leaves_nothing_behind(con):
    warehouse.load_batch(con, article_batch())
    before = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in schemas.STORED}
    bad = article_batch(observations=[obs(5)])
    bad["articles"][0]["title"] = "new title"
    bad["observations"][0]["kind"] = None  # NOT NULL violation, after the stale rows were deleted
    with pytest.raises(duckdb.ConstraintException, match="observations.kind"):
        warehouse.load_batch(con, bad)
    after = {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in schemas.STORED}
    assert after == before


def test_unknown_table_is_refused_by_name(con):
    with pytest.raises(ValueError, match="no table bogus"):
        warehouse.load_batch(con, {"bogus": [{"x": 1}]})


def test_arrow_batches_load_like_dicts(con, tmp_path):
    dict_batch = article_batch()
    arrow_batch = {t: pa.Table.from_pylist(warehouse.to_arrow(t, r).to_pylist()) for t, r in dict_batch.items()}
    warehouse.load_batch(con, arrow_batch)
    assert set(warehouse.load_batch(con, dict_batch).values()) == {0}


def test_published_time_keeps_its_instant(con):
    warehouse.load_batch(con, article_batch())
    (published,) = con.execute("SELECT strftime(published AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM articles").fetchall()[0]
    assert published == "2024-04-24 07:29"


def test_pages_become_the_crawl_log(con):
    batch = article_batch()
    warehouse.load_batch(con, batch)
    run2 = dict(batch["crawl_runs"][0], run_id="r2")
    page = dict(batch["pages"][0], run_id="r2", unchanged=True)
    warehouse.load_batch(con, {"crawl_runs": [run2], "pages": [page]})
    assert con.execute("SELECT run_id, unchanged FROM page_fetches ORDER BY run_id").fetchall() == [
        ("r1", False), ("r2", True)]
    assert con.execute("SELECT run_id FROM pages").fetchall() == [("r2",)]


def test_read_only_on_missing_warehouse_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="egov demo"):
        with warehouse.connect(tmp_path / "missing.duckdb", read_only=True):
            pass


def _batch(values=(1, 2, 3)):
    """One article with figures `values` (test_cli and test_publish build their warehouses with it)."""
    return article_batch(observations=[obs(v, start=i) for i, v in enumerate(values)])
