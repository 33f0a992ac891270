"""One schema everywhere: DuckDB tables, views, Arrow schemas and published Table Schemas all
come from schemas/*.schema.json. Each test fails if one of them drifts."""

from __future__ import annotations

import json

import pytest

import schemas
import warehouse
from warehouse.ddl import DUCKDB_TYPES, INTERNAL_COLUMNS, arrow_schema
from warehouse.views import VIEWS


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    with warehouse.connect(tmp_path_factory.mktemp("w") / "w.duckdb") as con:
        yield con


def _columns(con, relation):
    return [(r[0], r[1]) for r in con.execute(f'DESCRIBE "{relation}"').fetchall() if r[0] not in INTERNAL_COLUMNS]


def _expected(relation):
    return [(f["name"], DUCKDB_TYPES[f["type"]].replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"))
            for f in schemas.load(relation)["fields"]]


@pytest.mark.parametrize("table", schemas.STORED)
def test_table_columns_and_types_are_its_table_schema(con, table):
    assert _columns(con, table) == _expected(table)


@pytest.mark.parametrize("view", schemas.VIEWS)
def test_view_columns_and_types_are_its_table_schema(con, view):
    assert _columns(con, view) == _expected(view)


@pytest.mark.parametrize("table", schemas.STORED)
def test_arrow_schema_is_the_table_schema(table):
    fields = schemas.load(table)["fields"]
    assert [f.name for f in arrow_schema(table)] == [f["name"] for f in fields]
    assert [f.nullable for f in arrow_schema(table)] == [not f.get("constraints", {}).get("required") for f in fields]


def test_every_view_has_a_table_schema_and_sql(con):
    assert set(schemas.VIEWS) == set(VIEWS)
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'VIEW'").fetchall()}
    assert present == set(schemas.VIEWS)


def test_not_null_follows_required(con):
    for table in schemas.STORED:
        nullable = {r[0]: r[2] == "YES" for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
        for f in schemas.load(table)["fields"]:
            assert nullable[f["name"]] == (not f.get("constraints", {}).get("required")), (table, f["name"])


def test_schemas_are_valid_frictionless_table_schemas():
    from frictionless import Schema

    for name in schemas.STORED + schemas.VIEWS:
        schema = Schema.from_descriptor(json.loads(json.dumps(schemas.load(name))))
        assert schema.field_names == schemas.field_names(name)
        for key in schemas.load(name).get("primaryKey", []):
            assert key in schema.field_names, (name, key)
