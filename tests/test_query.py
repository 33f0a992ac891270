"""`egov query` (flows/query.py): read-only SQL, four output formats, errors with their position, a shell."""

from __future__ import annotations

import io
import json

import pyarrow.parquet as pq
import pytest

import warehouse
from flows.query import run_query, shell
from tests.warehouse_batches import article_batch

SQL = "SELECT value, text FROM observations ORDER BY value"


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "w.duckdb"
    with warehouse.connect(path) as con:
        warehouse.load_batch(con, article_batch())
    return path


def test_table_csv_json(path):
    assert run_query(path, SQL).splitlines()[-1] == "(3 rows)"
    assert run_query(path, SQL, "csv").splitlines() == ["value,text", "1.0,1", "2.0,2", "3.0,3"]
    assert json.loads(run_query(path, SQL, "json").splitlines()[0]) == {"value": 1.0, "text": "1"}


def test_parquet_needs_an_output_file_and_writes_it(path, tmp_path):
    with pytest.raises(ValueError, match="--output FILE"):
        run_query(path, SQL, "parquet")
    note = run_query(path, SQL, "parquet", output=tmp_path / "o.parquet")
    assert note.startswith("3 rows written")
    assert pq.read_table(tmp_path / "o.parquet").column("value").to_pylist() == [1.0, 2.0, 3.0]


def test_syntax_error_shows_duckdbs_message_and_the_position(path):
    with pytest.raises(ValueError) as err:
        run_query(path, "SELECT value\nFROM observations WHERE FORM x")
    message = str(err.value)
    assert "Parser Error: syntax error" in message and "at line 2, column" in message and "\n" not in message


def test_unknown_column_says_which(path):
    with pytest.raises(ValueError, match='"nope" not found'):
        run_query(path, "SELECT nope FROM observations")


def test_the_warehouse_is_read_only(path):
    with pytest.raises(ValueError, match="read-only"):
        run_query(path, "DELETE FROM observations")
    assert run_query(path, "SELECT count(*) AS n FROM observations", "csv") == "n\n3\n"


def test_shell_runs_statements_across_lines_and_dot_commands(path):
    out = io.StringIO()
    shell(path, stdin=io.StringIO(".format csv\nSELECT count(*) AS n\nFROM observations;\nSELEC 1;\n.tables\n.quit\n"), stdout=out)
    text = out.getvalue()
    assert "n\n3\n" in text and "error: Parser Error" in text and "crawl_health" in text
