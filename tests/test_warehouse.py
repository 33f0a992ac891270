"""The warehouse: tables from the Table Schemas, idempotent loads, child rows replaced per article."""

from __future__ import annotations

import duckdb
import pytest

import schemas
import warehouse
from warehouse import rows
from warehouse.ddl import arrow_schema

SITE = {"id": "a.vn", "name": "A", "base_url": "https://a.vn", "adapter": "generic", "area": "Việt Nam"}
PAGE = {"url": "https://a.vn/x-1.html", "site_id": "a.vn", "sha256": "0" * 64, "status": 200}


def _batch(values=(1, 2, 3)):
    article = rows.article_row(PAGE, {"title": "T", "published": "2024-04-24T14:29:00+07:00",
                                      "body": "b", "adapter_used": "generic"}, "r1")
    obs = [{"value": v, "denominator": None, "kind": "count", "change": False, "qualifier": "exact",
            "indicator": None, "area": "Việt Nam", "as_of": "2024-04-24", "period_start": None,
            "text": str(v), "sentence": "s", "start": i, "end": i + 1, "rule": "r"} for i, v in enumerate(values)]
    refs = [{"symbol": "76/NQ-CP", "type": "Nghị quyết", "issued": "2021-07-15", "start": 0, "end": 8}]
    return {
        "sources": [rows.source_row(SITE)],
        "crawl_runs": [{"run_id": "r1", "started_at": "2024-04-24T00:00:00+00:00", "target": "mirror",
                        "extractor_version": "0", "status": "ok"}],
        "pages": [rows.page_row(PAGE, "r1")],
        "articles": [article],
        "observations": rows.observation_rows(article, obs, "0"),
        "legal_refs": rows.legal_ref_rows(article, refs, "0"),
    }


@pytest.fixture
def con(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        yield con


def test_tables_match_their_table_schemas(con):
    for table in schemas.TABLES:
        described = con.execute(f'DESCRIBE "{table}"').fetchall()
        assert [c[0] for c in described] == schemas.field_names(table)
        assert [f.name for f in arrow_schema(table)] == schemas.field_names(table)


def test_loading_twice_adds_no_rows(con):
    warehouse.load_batch(con, _batch())
    first = warehouse.row_counts(con)
    warehouse.load_batch(con, _batch())
    assert warehouse.row_counts(con) == first
    for table in schemas.TABLES:
        key = schemas.load(table)["primaryKey"][0]
        total, distinct = con.execute(f'SELECT count(*), count(DISTINCT "{key}") FROM "{table}"').fetchall()[0]
        assert total == distinct > 0


def test_reprocessed_article_replaces_its_observations(con):
    warehouse.load_batch(con, _batch(values=(1, 2, 3)))
    warehouse.load_batch(con, _batch(values=(7,)))
    assert con.execute("SELECT value FROM observations").fetchall() == [(7.0,)]


def test_failed_batch_leaves_nothing_behind(con):
    warehouse.load_batch(con, _batch())
    bad = _batch(values=(5,))
    bad["observations"][0]["kind"] = None  # NOT NULL violation, after the delete of old rows
    with pytest.raises(duckdb.Error):
        warehouse.load_batch(con, bad)
    assert sorted(v for (v,) in con.execute("SELECT value FROM observations").fetchall()) == [1.0, 2.0, 3.0]


def test_published_time_keeps_its_instant(con):
    warehouse.load_batch(con, _batch())
    (published,) = con.execute("SELECT strftime(published AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M') FROM articles").fetchall()[0]
    assert published == "2024-04-24 07:29"


def test_second_writer_gets_a_clear_error(tmp_path):
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "w.duckdb"
    with warehouse.connect(path):
        code = textwrap.dedent(f"""
            import warehouse
            try:
                warehouse.connect({str(path)!r})
            except warehouse.WarehouseLocked as exc:
                print("LOCKED", exc)
        """)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.startswith("LOCKED") and "in use by another process" in out.stdout


def test_read_only_on_missing_warehouse_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="egov demo"):
        warehouse.connect(tmp_path / "missing.duckdb", read_only=True)
