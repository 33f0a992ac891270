"""`egov compact` gives back what re-processed articles left behind, and changes no row.

Why: loads never merge row groups (max_vacuum_tasks = 0, test_warehouse_vacuum.py), so the rows an
article's re-load replaced stay stored, marked deleted, until a compaction rewrites the file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import schemas
import warehouse
from flows import cli
from tests.warehouse_batches import numbered_batch

ROOT = Path(__file__).resolve().parents[1]
BATCHES, ARTICLES, FIGURES = 4, 30, 4


def _reprocessed(round_: int, i: int) -> dict:
    """A third of batch `i`'s articles extracted again (two thirds in turn, so that no row group
    empties whole, which a load's checkpoint drops): new title, new values, one figure fewer."""
    batch = numbered_batch(i, articles=ARTICLES, per_article=FIGURES)
    ids = batch["articles"].column("article_id").to_pylist()[round_ % 2::3]
    articles = batch["articles"].filter(pc.is_in(batch["articles"].column("article_id"), pa.array(ids)))
    articles = articles.set_column(articles.schema.get_field_index("title"), "title",
                                   pa.array([f"round {round_}"] * articles.num_rows))
    obs = batch["observations"].filter(pc.is_in(batch["observations"].column("article_id"), pa.array(ids)))
    obs = obs.filter(pc.not_equal(pc.modulo(obs.column("start"), FIGURES), FIGURES - 1))
    obs = obs.set_column(obs.schema.get_field_index("value"), "value", pc.add(obs.column("value"), float(round_)))
    return {"articles": articles, "observations": obs}


def _build(path: Path) -> None:
    """Four batches loaded, then three rounds re-processing a third of every batch's articles."""
    for i in range(BATCHES):
        with warehouse.connect(path) as con:
            warehouse.load_batch(con, numbered_batch(i, articles=ARTICLES, per_article=FIGURES))
    for round_ in range(1, 4):
        for i in range(BATCHES):
            with warehouse.connect(path) as con:
                warehouse.load_batch(con, _reprocessed(round_, i))


def _contents(path: Path) -> dict:
    """Every table's and view's rows, sorted, and each table's count of distinct ids."""
    with warehouse.connect(path, read_only=True) as con:
        out = {name: con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
               for name in (*schemas.STORED, *schemas.VIEWS)}
        for table in schemas.STORED:
            key = schemas.load(table)["primaryKey"][0]
            out[f"{table} ids"] = con.execute(f'SELECT count(*), count(DISTINCT "{key}") FROM "{table}"').fetchall()
    return out


@pytest.fixture(scope="module")
def _built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("compact") / "warehouse.duckdb"
    _build(path)
    return path


@pytest.fixture
def reprocessed(_built, tmp_path) -> Path:
    """A fresh copy of the re-processed warehouse for each test."""
    path = tmp_path / "home" / "warehouse.duckdb"
    path.parent.mkdir()
    shutil.copy(_built, path)
    return path


def test_compaction_drops_deleted_rows_merges_row_groups_and_keeps_every_row(reprocessed):
    path = reprocessed
    contents = _contents(path)
    before = warehouse.storage_figures(path)
    assert before["tables"]["articles"]["deleted"] == BATCHES * ARTICLES * 2 // 3
    assert before["tables"]["observations"]["deleted"] > 0
    assert before["tables"]["articles"]["row_groups"] > BATCHES

    result = warehouse.compact(path)

    assert result["before"] == before
    after = warehouse.storage_figures(path)
    assert result["after"] == after
    for table, figures in after["tables"].items():
        assert figures["deleted"] == 0, table
        assert figures["row_groups"] == (1 if figures["rows"] else 0), table
        assert figures["rows"] == before["tables"][table]["rows"], table
    assert after["bytes"] < before["bytes"]
    assert _contents(path) == contents
    assert not path.with_name(path.name + ".compacting").exists()


def test_compacting_twice_is_harmless_and_loads_go_on_after_it(reprocessed):
    path = reprocessed
    contents = _contents(path)
    first = warehouse.compact(path)
    second = warehouse.compact(path)
    assert second["before"] == first["after"]
    assert second["after"]["tables"] == first["after"]["tables"]
    assert _contents(path) == contents

    with warehouse.connect(path) as con:            # still a warehouse that takes loads
        warehouse.load_batch(con, _reprocessed(4, 0))
    assert warehouse.storage_figures(path)["tables"]["articles"]["deleted"] == ARTICLES // 3


def test_a_killed_compaction_leaves_nothing_that_stops_the_next(reprocessed):
    path = reprocessed
    contents = _contents(path)
    leftover = path.with_name(path.name + ".compacting")
    leftover.write_bytes(b"half a copy")             # what a compaction killed midway leaves
    leftover.with_name(leftover.name + ".wal").write_bytes(b"x")
    warehouse.compact(path)
    assert _contents(path) == contents
    assert not leftover.exists()


def test_compaction_waits_for_a_running_load_then_refuses_after_its_wait(reprocessed):
    path = reprocessed
    holder = subprocess.Popen([sys.executable, "-m", "tests.warehouse_loader", str(path), "1", "--hold", "1.5"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"      # it holds the writer lock now
        with pytest.raises(warehouse.WarehouseLocked, match=r"being written by process \d+ .*waited 0.2 s"):
            warehouse.compact(path, wait=0.2)
        started = time.monotonic()
        result = warehouse.compact(path, wait=30)                # waits for the load to end, then runs
        assert time.monotonic() - started > 0.5
    finally:
        holder.wait(timeout=30)
    assert holder.returncode == 0
    with duckdb.connect(str(path), read_only=True) as con:   # the load happened first, whole
        assert con.execute("SELECT count(*) FROM articles WHERE title = 'batch 0'").fetchall()[0][0] == 100
    assert result["after"]["tables"]["articles"]["deleted"] == 0


def test_a_load_that_arrives_during_a_compaction_waits_for_it_past_its_own_wait_and_lands_whole(reprocessed):
    """A run's load waits writer_wait_s (30 s), a compaction can hold the lock longer (50 s at
    100,000 articles): the load must wait for it, not fail the run. Here the load's own wait is
    0.05 s and the real compaction, in another process, holds the lock longer than that."""
    path = reprocessed
    lock = path.with_name(path.name + ".lock")
    compaction = subprocess.Popen(
        [sys.executable, "-c", "import json, sys, warehouse; print(json.dumps(warehouse.compact(sys.argv[1])))",
         str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while f'"pid": {compaction.pid},' not in (lock.read_text() if lock.exists() else ""):   # it holds the lock
            assert compaction.poll() is None and time.monotonic() < deadline
            time.sleep(0.005)
        started = time.monotonic()
        with warehouse.connect(path, wait=0.05) as con:
            waited = time.monotonic() - started
            warehouse.load_batch(con, numbered_batch(BATCHES, articles=ARTICLES, per_article=FIGURES))
        assert compaction.wait(timeout=60) == 0
    finally:
        compaction.kill()
        compaction.wait()
    assert waited > 0.05                                     # it did wait past its own wait
    result = json.loads(compaction.stdout.read())
    assert result["after"]["tables"]["articles"]["rows"] == result["before"]["tables"]["articles"]["rows"]
    with warehouse.connect(path, read_only=True) as con:     # the compaction ran first, then the whole load
        assert con.execute("SELECT count(*) FROM articles WHERE title = ?", [f"batch {BATCHES}"]).fetchall()[0][0] \
            == ARTICLES
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == \
            result["after"]["tables"]["articles"]["rows"] + ARTICLES


def test_a_load_still_refuses_after_its_own_wait_when_the_holder_is_no_compaction(reprocessed):
    path = reprocessed
    holder = subprocess.Popen([sys.executable, "-m", "tests.warehouse_loader", str(path), "1", "--hold", "1.5"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        started = time.monotonic()
        with pytest.raises(warehouse.WarehouseLocked, match=r"being written by process \d+ .*waited 0.2 s"):
            with warehouse.connect(path, wait=0.2):
                pass
        assert time.monotonic() - started < 1.4
    finally:
        holder.wait(timeout=30)


def test_cli_prints_before_and_after_and_refuses_a_missing_warehouse(reprocessed, tmp_path, capsys):
    before = warehouse.storage_figures(reprocessed)["tables"]["articles"]
    assert cli.main(["compact", "--home", str(reprocessed.parent)]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("articles "))
    assert line.split() == ["articles", str(before["row_groups"]), "->", "1", f"{before['deleted']:,}", "->", "0"]
    assert "file MB" in out and "compacted" in out

    assert cli.main(["compact", "--home", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("egov compact: no warehouse at ")
