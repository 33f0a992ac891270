"""Migrations: a v1 warehouse (built with the v1 DDL as committed, tests/fixtures/warehouse/v1.sql)
opens with the current code, keeps every row, and gains what v2 adds; a v2 one (v2.sql) gains
v3's observations.subject the same way; a v3 one (v3.sql), keyed by PRIMARY KEY indexes, loses
them in v4 and keeps every row; a newer one is refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import schemas
import warehouse
from extractors.extract import extract
from tests.warehouse_batches import article_batch
from warehouse.ddl import INTERNAL_COLUMNS

V1_SQL = Path(__file__).parent / "fixtures" / "warehouse" / "v1.sql"
V2_SQL = Path(__file__).parent / "fixtures" / "warehouse" / "v2.sql"
V3_SQL = Path(__file__).parent / "fixtures" / "warehouse" / "v3.sql"

V1_ROWS = [
    "INSERT INTO sources VALUES ('a.vn', 'A', 'https://a.vn', 'generic', 'Việt Nam')",
    "INSERT INTO crawl_runs (run_id, started_at, target, extractor_version, status) "
    "VALUES ('r1', '2024-04-24 00:00:00+00', 'mirror', '0', 'ok')",
    "INSERT INTO pages (page_id, url, source_id, run_id, status, error) VALUES "
    "('00000000000000a1', 'https://a.vn/1.html', 'a.vn', 'r1', 200, NULL), "
    "('00000000000000a2', 'https://a.vn/2.html', 'a.vn', 'r1', NULL, 'timeout after 10 s: https://a.vn/2.html'), "
    "('00000000000000a3', 'https://a.vn/3.html', 'a.vn', 'r1', 200, 'parse failed for https://a.vn/3.html: ValueError: x')",
    "INSERT INTO articles (article_id, url, source_id, title, body, adapter, run_id) VALUES "
    "('00000000000000a1', 'https://a.vn/1.html', 'a.vn', 'T', 'b', 'generic', 'r1')",
    "INSERT INTO observations (observation_id, article_id, source_id, indicator, value, kind, unit, change, qualifier, "
    "area, as_of, text, sentence, start, \"end\", rule, extractor_version) VALUES "
    "('00000000000000b1', '00000000000000a1', 'a.vn', 'chip_id_cards_issued', 83760000, 'count', 'count', false, "
    "'exact', 'Việt Nam', '2023-10-10', '83,76 triệu', 's', 0, 11, 'r', '0')",
]


def make_v1(path: Path) -> dict[str, list]:
    with duckdb.connect(str(path)) as con:
        con.execute(V1_SQL.read_text(encoding="utf-8"))
        for sql in V1_ROWS:
            con.execute(sql)
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in schemas.STORED if t != "page_fetches"}


def test_v1_opens_migrated_with_every_row(tmp_path):
    path = tmp_path / "w.duckdb"
    before = make_v1(path)
    with warehouse.connect(path) as con:
        assert con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchall() == [(str(warehouse.SCHEMA_VERSION),)]
        for table, rows in before.items():
            v1_columns = len(rows[0]) if rows else 0
            now = con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
            assert [r[:v1_columns] for r in now] == rows, table
        kinds = dict(con.execute("SELECT page_id, failure_kind FROM pages").fetchall())
        assert kinds == {"00000000000000a1": None, "00000000000000a2": "fetch", "00000000000000a3": "parse"}
        assert con.execute("SELECT count(*) FROM page_fetches").fetchall() == [(3,)]
        assert con.execute("SELECT pages, fetch_failed, parse_failed FROM crawl_health").fetchall() == [(3, 1, 1)]
        assert con.execute("SELECT n_articles FROM facts").fetchall() == [(1,)]


def test_migrated_warehouse_matches_a_new_one_and_loads_idempotently(tmp_path):
    make_v1(tmp_path / "old.duckdb")
    with warehouse.connect(tmp_path / "old.duckdb") as old, warehouse.connect(tmp_path / "new.duckdb") as new:
        for rel in schemas.STORED + schemas.VIEWS:
            shape = f"SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = '{rel}' " \
                    f"AND column_name NOT IN ({', '.join(repr(c) for c in INTERNAL_COLUMNS)}) ORDER BY ordinal_position"
            assert old.execute(shape).fetchall() == new.execute(shape).fetchall(), rel
        # v1 rows got their hashes: re-loading them as v2 rows changes only what v2 added.
        warehouse.load_batch(old, article_batch())
        assert set(warehouse.load_batch(old, article_batch()).values()) == {0}


V2_ROWS = [
    "INSERT INTO sources (source_id, name, base_url, adapter, default_area) "
    "VALUES ('a.vn', 'A', 'https://a.vn', 'generic', 'Việt Nam')",
    *V1_ROWS[1:3],
    "INSERT INTO page_fetches (run_id, page_id, source_id, url, status) VALUES "
    "('r1', '00000000000000a1', 'a.vn', 'https://a.vn/1.html', 200)",
    V1_ROWS[3],
    "INSERT INTO observations (observation_id, article_id, source_id, indicator, value, kind, unit, change, qualifier, "
    "area, as_of, text, sentence, start, \"end\", rule, extractor_version) VALUES "
    "('00000000000000b1', '00000000000000a1', 'a.vn', 'chip_id_cards_issued', 83760000, 'count', 'count', false, "
    "'exact', 'Việt Nam', '2023-10-10', '83,76 triệu', 's', 0, 11, 'r', '0'), "
    "('00000000000000b2', '00000000000000a1', 'a.vn', NULL, 62.7, 'percent', '%', false, "
    "'exact', 'Việt Nam', '2023-10-10', '62,7%', 's', 20, 25, 'r', '0')",
    "INSERT INTO legal_refs (legal_ref_id, article_id, symbol, extractor_version) VALUES "
    "('00000000000000c1', '00000000000000a1', '06/QĐ-TTg', '0')",
]


def make_v2(path: Path, ddl: Path = V2_SQL) -> dict[str, list]:
    with duckdb.connect(str(path)) as con:
        con.execute(ddl.read_text(encoding="utf-8"))
        for sql in V2_ROWS:
            con.execute(sql)
        return {t: con.execute(f'SELECT * EXCLUDE (_row_hash) FROM "{t}" ORDER BY ALL').fetchall() for t in schemas.STORED}


def test_v2_opens_as_v3_with_every_row_and_an_empty_subject(tmp_path):
    path = tmp_path / "w.duckdb"
    before = make_v2(path)
    with warehouse.connect(path) as con:
        assert con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchall() == [
            (str(warehouse.SCHEMA_VERSION),)]
        for table, rows in before.items():
            now = con.execute(f'SELECT * EXCLUDE (_row_hash) FROM "{table}" ORDER BY ALL').fetchall()
            assert [r[:len(rows[0])] for r in now] == rows, table
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'observations' "
            "AND column_name != '_row_hash' ORDER BY ordinal_position").fetchall()]
        assert columns == schemas.field_names("observations") and columns[-1] == "subject"
        assert con.execute("SELECT count(*), count(subject) FROM observations").fetchall() == [(2, 0)]
        assert con.execute("SELECT count(*) FROM observations WHERE _row_hash IS NULL").fetchall() == [(0,)]
        # A v3 load stores the subject the extractor found.
        facts = extract("Đến 10/10/2023 đã cấp trên 83,76 triệu thẻ căn cước công dân gắn chíp.", "2023-10-16")
        warehouse.load_batch(con, article_batch(observations=facts["observations"]))
        assert con.execute("SELECT text, subject FROM observations WHERE subject IS NOT NULL").fetchall() == [
            ("83,76 triệu", "thẻ căn cước công dân gắn chíp")]


def _indexes(con) -> dict[str, int]:
    return dict(con.execute("SELECT table_name, index_count FROM duckdb_tables() WHERE table_name != '_meta'").fetchall())


def test_v3_opens_as_v4_without_key_indexes_and_with_every_row(tmp_path):
    path = tmp_path / "w.duckdb"
    before = make_v2(path, V3_SQL)
    with duckdb.connect(str(path)) as con:
        assert set(_indexes(con).values()) == {1}     # v3: one PRIMARY KEY index per table
    with warehouse.connect(path) as con:
        assert con.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchall() == [("4",)]
        assert set(_indexes(con)) == set(schemas.STORED) and set(_indexes(con).values()) == {0}
        for table, rows in before.items():
            assert con.execute(f'SELECT * EXCLUDE (_row_hash) FROM "{table}" ORDER BY ALL').fetchall() == rows, table
        assert con.execute("SELECT n_articles FROM facts").fetchall() == [(1,)]   # views recreated on the new tables
        # The loader keeps the key now: loading twice, and a batch holding one id twice, leave one row per id.
        warehouse.load_batch(con, article_batch())
        assert set(warehouse.load_batch(con, article_batch()).values()) == {0}
        twice = article_batch()
        twice["articles"] = twice["articles"] * 2
        warehouse.load_batch(con, twice)
        for table in schemas.STORED:
            key = ", ".join(f'"{k}"' for k in schemas.load(table)["primaryKey"])
            assert con.execute(f'SELECT count(*) = count(DISTINCT ({key})) FROM "{table}"').fetchall() == [(True,)], table


def test_a_new_warehouse_has_no_key_index(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        assert set(_indexes(con).values()) == {0}


def test_reading_an_old_warehouse_migrates_it_first(tmp_path):
    path = tmp_path / "w.duckdb"
    make_v1(path)
    with warehouse.connect(path, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM crawl_health").fetchall() == [(1,)]


def test_newer_warehouse_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "w.duckdb"
    with warehouse.connect(path) as con:
        con.execute("UPDATE _meta SET value = '99' WHERE key = 'schema_version'")
    for read_only in (False, True):
        with pytest.raises(warehouse.WarehouseTooNew, match=f"schema version 99.*understands up to {warehouse.SCHEMA_VERSION}.*upgrade"):
            with warehouse.connect(path, read_only=read_only):
                pass
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT value FROM _meta").fetchall() == [("99",)]


def test_a_database_with_our_table_names_but_no_meta_is_refused(tmp_path):
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE observations (x INT)")
    with pytest.raises(warehouse.NotAWarehouse, match="'observations' but no _meta.*left untouched"):
        with warehouse.connect(path):
            pass


def test_other_tables_in_the_file_are_left_beside_the_warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE crawl_frontier (url VARCHAR)")  # e.g. the crawler's working state
        con.execute("INSERT INTO crawl_frontier VALUES ('https://a.vn/1.html')")
    with warehouse.connect(path) as con:
        warehouse.load_batch(con, article_batch())
        assert con.execute("SELECT count(*) FROM crawl_frontier").fetchall() == [(1,)]


def test_a_migration_that_does_not_fit_its_memory_runs_again_unbounded(tmp_path, monkeypatch):
    from warehouse import migrations
    monkeypatch.setitem(migrations.SETTINGS, "migration_memory_limit", "1MB")
    path = tmp_path / "w.duckdb"
    before = make_v2(path, V3_SQL)
    with warehouse.connect(path) as con:
        assert set(_indexes(con).values()) == {0}
        for table, rows in before.items():
            assert con.execute(f'SELECT * EXCLUDE (_row_hash) FROM "{table}" ORDER BY ALL').fetchall() == rows, table
        assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] != "1.0 MiB"
