"""The views answer users' questions: the same figure from several sites is one fact, differing
figures are a conflict, period figures never mix with cumulative totals, crawl health per run."""

from __future__ import annotations

import pytest

import warehouse
from tests.warehouse_batches import RUN, article_batch, obs
from warehouse import rows

CHIP = "chip_id_cards_issued"


@pytest.fixture
def con(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.load_batch(con, article_batch(1, "a.vn", [obs(83760000, indicator=CHIP, as_of="2023-10-10"),
                                                           obs(2400000, indicator=CHIP, as_of="2023-10-31", start=5,
                                                               period_start="2023-01-01")]))
        warehouse.load_batch(con, article_batch(2, "b.vn", [obs(83760000, indicator=CHIP, as_of="2023-10-10",
                                                               qualifier="at_least")]))
        warehouse.load_batch(con, article_batch(3, "b.vn", [obs(83760000, indicator=CHIP, as_of="2023-10-10")]))
        warehouse.load_batch(con, article_batch(4, "a.vn", [obs(83000000, indicator=CHIP, as_of="2023-10-10"),
                                                           obs(36, indicator="x", kind="ratio", denominator=63, start=3),
                                                           obs(7, start=9)]))
        yield con


def test_the_same_figure_from_several_sites_is_one_fact(con):
    found = con.execute("SELECT value, qualifier, n_sources, n_articles, source_ids FROM facts "
                        "WHERE indicator = ? AND as_of = '2023-10-10' AND period_start IS NULL ORDER BY value", [CHIP]).fetchall()
    assert found == [(83000000.0, "exact", 1, 1, "a.vn"), (83760000.0, "exact", 2, 3, "a.vn;b.vn")]
    assert con.execute("SELECT count(*) FROM facts WHERE indicator IS NULL").fetchall() == [(0,)]


def test_fact_ids_are_stable_and_unique(con, tmp_path):
    ids = con.execute("SELECT fact_id FROM facts ORDER BY fact_id").fetchall()
    assert len(ids) == len(set(ids)) == 4
    warehouse.load_batch(con, article_batch(3, "b.vn", [obs(83760000, indicator=CHIP, as_of="2023-10-10")]))
    assert con.execute("SELECT fact_id FROM facts ORDER BY fact_id").fetchall() == ids


def test_differing_values_are_a_conflict_and_periods_are_kept_apart(con):
    found = con.execute('SELECT "values", n_values, period_start FROM conflicts').fetchall()
    assert found == [("83000000;83760000", 2, None)]
    fact_ids = con.execute("SELECT fact_ids FROM conflicts").fetchall()[0][0].split(";")
    values = [con.execute("SELECT value FROM facts WHERE fact_id = ?", [f]).fetchall()[0][0] for f in fact_ids]
    assert values == [83000000.0, 83760000.0]


def test_series_picks_the_most_reported_value_and_latest_skips_period_figures(con):
    series = con.execute("SELECT as_of, period_start, value, n_articles, n_values FROM indicator_series "
                         "WHERE indicator = ? ORDER BY as_of", [CHIP]).fetchall()
    assert [(str(a), p and str(p), v, n, k) for a, p, v, n, k in series] == [
        ("2023-10-10", None, 83760000.0, 3, 2), ("2023-10-31", "2023-01-01", 2400000.0, 1, 1)]
    latest = con.execute("SELECT as_of, value FROM latest_indicators WHERE indicator = ?", [CHIP]).fetchall()
    assert [(str(a), v) for a, v in latest] == [("2023-10-10", 83760000.0)]


def test_ratio_values_show_their_denominator(con):
    warehouse.load_batch(con, article_batch(5, "b.vn", [obs(40, indicator="x", kind="ratio", denominator=63)]))
    assert con.execute('SELECT "values" FROM conflicts WHERE indicator = \'x\'').fetchall() == [("36/63;40/63",)]


def test_articles_by_site(con):
    assert con.execute("SELECT source_id, articles, observations, indicator_observations, legal_refs "
                       "FROM articles_by_site").fetchall() == [("a.vn", 2, 5, 4, 2), ("b.vn", 2, 2, 2, 2)]


def test_crawl_health_tells_fetch_from_parse_failures_per_run(con):
    run2 = dict(RUN, run_id="r2", started_at="2024-04-25T00:00:00+00:00")
    pages = [
        rows.page_row({"url": "https://a.vn/x-1.html", "site_id": "a.vn", "unchanged": True, "status": 304}, "r2"),
        rows.page_row({"url": "https://a.vn/x-9.html", "site_id": "a.vn", "error": "HTTP 503 from https://a.vn/x-9.html"}, "r2"),
        rows.page_row({"url": "https://a.vn/x-4.html", "site_id": "a.vn", "status": 200}, "r2",
                      error="parse failed for https://a.vn/x-4.html: ValueError: no body"),
        rows.page_row({"url": "https://a.vn/x-5.html", "site_id": "a.vn", "status": 200}, "r2"),
    ]
    warehouse.load_batch(con, {"crawl_runs": [run2], "pages": pages})
    health = con.execute("SELECT run_id, source_id, pages, fetched, unchanged, fetch_failed, parse_failed, failure_rate "
                         "FROM crawl_health ORDER BY ALL").fetchall()
    assert health == [("r1", "a.vn", 2, 2, 0, 0, 0, 0.0), ("r1", "b.vn", 2, 2, 0, 0, 0, 0.0),
                      ("r2", "a.vn", 4, 1, 1, 1, 1, 0.5)]


def test_a_rank_reported_with_and_without_its_denominator_is_one_fact_not_a_conflict(tmp_path):
    rank = {"indicator": "egdi_rank", "kind": "rank", "as_of": "2022-12-31"}
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.load_batch(con, article_batch(1, "a.vn", [obs(86, denominator=193, **rank)]))
        warehouse.load_batch(con, article_batch(2, "b.vn", [obs(86, **rank)]))
        warehouse.load_batch(con, article_batch(3, "a.vn", [obs(71, denominator=193, **{**rank, "as_of": "2024-12-31"}),
                                                           obs(71, start=7, **{**rank, "as_of": "2024-12-31", "area": "X"})]))
        facts = con.execute("SELECT area, value, denominator, n_articles FROM facts ORDER BY as_of, area").fetchall()
        assert facts == [("Việt Nam", 86.0, 193.0, 2), ("Việt Nam", 71.0, 193.0, 1), ("X", 71.0, None, 1)]
        assert con.execute("SELECT count(*) FROM conflicts").fetchall() == [(0,)]
