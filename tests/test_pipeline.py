"""End to end: the real `refresh` flow crawls the offline mirror over HTTP, loads DuckDB and
publishes a release that validates and holds the seed articles' facts; a second run adds no
row and publishes nothing new."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import frictionless
import pytest

import schemas
from conftest import SHARED

SEED_GOLD = sorted((SHARED / "gold" / "seeds").glob("*.json"))


@pytest.fixture(scope="module")
def two_runs(prefect_server, mirror_url, tmp_path_factory):
    from flows.refresh import refresh

    home = tmp_path_factory.mktemp("home")
    first = refresh(mirror=mirror_url, home=str(home))
    counts_after_first = _counts(home)
    second = refresh(mirror=mirror_url, home=str(home))
    return home, first, second, counts_after_first


def _counts(home: Path) -> dict[str, int]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in schemas.TABLES}


def test_first_run_publishes_a_valid_release(two_runs):
    home, first, _, _ = two_runs
    assert first["run"]["status"] == "ok", first["sites"]
    assert first["release"]["version"] == "1.0.0"
    package = home / "releases" / "1.0.0" / "datapackage.json"
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:5]
    assert first["release"]["rows"]["articles"] >= 35
    assert all(site["articles"] > 0 for site in first["sites"].values()), first["sites"]


@pytest.mark.skipif(not SEED_GOLD, reason="shared/gold/seeds not found beside the repository")
def test_release_holds_the_seed_facts(two_runs):
    home = two_runs[0]
    data = home / "releases" / "latest" / "data"
    with duckdb.connect() as con:
        published = set(con.execute(
            f"SELECT indicator, round(value, 4), kind FROM read_parquet('{data / 'observations.parquet'}') "
            "WHERE indicator IS NOT NULL").fetchall())
    gold = [(o["indicator"], round(float(o["value"]), 4), o["kind"])
            for path in SEED_GOLD for o in json.loads(path.read_text())["observations"] if o["indicator"]]
    found = sum(fact in published for fact in gold)
    assert found / len(gold) >= 0.9, f"{found}/{len(gold)} seed indicator facts in the release"


def test_second_run_adds_no_rows_and_no_release(two_runs):
    home, first, second, counts_after_first = two_runs
    assert second["release"] is None
    after = _counts(home)
    logs = {"crawl_runs", "page_fetches"}  # append-only logs: one more run, one more entry per fetch
    assert {t: n for t, n in after.items() if t not in logs} == \
        {t: n for t, n in counts_after_first.items() if t not in logs}
    assert after["crawl_runs"] == counts_after_first["crawl_runs"] + 1
    assert second["run"]["pages_unchanged"] == first["run"]["pages_fetched"]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        for table in schemas.TABLES:
            key = schemas.load(table)["primaryKey"][0]
            total, distinct = con.execute(f'SELECT count(*), count(DISTINCT "{key}") FROM "{table}"').fetchall()[0]
            assert total == distinct, table


def test_provincial_figures_never_land_in_the_national_series(two_runs):
    home = two_runs[0]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        areas = dict(con.execute(
            "SELECT area, count(*) FROM observations WHERE source_id = 'bacgiang.gov.vn' GROUP BY area").fetchall())
    assert areas.get("Bắc Giang", 0) > 0


def _facts(home: Path) -> set:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        obs = con.execute("SELECT observation_id, value, kind, indicator, area, as_of, period_start, text "
                          "FROM observations").fetchall()
        refs = con.execute("SELECT legal_ref_id, symbol, issued FROM legal_refs").fetchall()
        arts = con.execute("SELECT article_id, title, published, body FROM articles").fetchall()
    return set(obs) | set(refs) | set(arts)


def test_reprocess_rebuilds_the_same_data_from_the_archive_alone(two_runs):
    """Runs last in this module: it adds a run to the shared home."""
    from flows.reprocess import reprocess

    home = two_runs[0]
    before = _facts(home)
    result = reprocess(home=str(home), publish=False)
    assert result["run"]["articles"] == 37
    assert _facts(home) == before


def _home_copy(two_runs, tmp_path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(two_runs[0], home, ignore=shutil.ignore_patterns("prefect"))
    return home


def _reprocess_after_extractor_change(home: Path, monkeypatch, **kwargs) -> dict:
    """Reprocess `home` as after an extractor change: every observation and legal reference row is
    replaced (new extractor_version); check that every row is still there, the same."""
    import flows.batches
    from flows.reprocess import reprocess

    facts, counts = _facts(home), _counts(home)
    monkeypatch.setattr(flows.batches, "EXTRACTOR_VERSION", "0.0.0+reprocess-test")
    result = reprocess(home=str(home), publish=False, **kwargs)
    assert _facts(home) == facts
    after = _counts(home)
    assert after.pop("crawl_runs") == counts.pop("crawl_runs") + 1
    assert after == counts
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT DISTINCT extractor_version FROM observations").fetchall() == [("0.0.0+reprocess-test",)]
    return result


def test_reprocess_ends_with_a_compact_warehouse(two_runs, tmp_path, monkeypatch):
    import warehouse

    home = _home_copy(two_runs, tmp_path)
    compaction = _reprocess_after_extractor_change(home, monkeypatch)["compaction"]
    loaded = compaction["before"]                   # what the loads left: one row group per batch, old blocks
    assert loaded["tables"]["observations"]["row_groups"] > 1
    figures = warehouse.storage_figures(home / "warehouse.duckdb")
    assert compaction["after"] == figures
    for table, f in figures["tables"].items():
        assert f["deleted"] == 0, table
        assert f["row_groups"] == (1 if f["rows"] else 0), table
        assert f["rows"] == loaded["tables"][table]["rows"], table
    assert figures["bytes"] < loaded["bytes"]


def test_reprocess_goes_on_when_its_compaction_fails(two_runs, tmp_path, monkeypatch):
    import warehouse

    home = _home_copy(two_runs, tmp_path)
    (home / "warehouse.duckdb.compacting").mkdir()   # a leftover the compaction cannot remove
    result = _reprocess_after_extractor_change(home, monkeypatch)
    assert result["run"]["status"] == "ok"
    error = result["compaction"]["error"]
    assert error.startswith("compaction of ") and "left as it was" in error and "\n" not in error
    figures = warehouse.storage_figures(home / "warehouse.duckdb")
    assert figures["tables"]["observations"]["row_groups"] > 1    # as the loads left it


def test_reprocess_no_compact_leaves_the_warehouse_as_loaded(two_runs, tmp_path, monkeypatch):
    import warehouse

    home = _home_copy(two_runs, tmp_path)
    result = _reprocess_after_extractor_change(home, monkeypatch, compact=False)
    assert result["compaction"] is None
    assert warehouse.storage_figures(home / "warehouse.duckdb")["tables"]["observations"]["row_groups"] > 1


def test_run_report_counts_new_observations_and_conflicts_per_site(two_runs):
    """The report names, per site, the observations its articles brought this run and the
    conflicts that are new; a second run over unchanged pages brings neither."""
    home, first, second, _ = two_runs
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        per_site = dict(con.execute(
            "SELECT a.source_id, count(*) FROM observations o JOIN articles a USING (article_id) GROUP BY 1").fetchall())
        conflicts = con.execute("SELECT count(*) FROM conflicts").fetchall()[0][0]
    assert {s: r["observations"] for s, r in first["sites"].items() if r["observations"]} == per_site
    assert conflicts > 0
    # every new conflict counts for each site it involves: at least once, at most once per site
    assert conflicts <= sum(r["new_conflicts"] for r in first["sites"].values()) <= conflicts * len(first["sites"])
    assert all(r["observations"] == 0 and r["new_conflicts"] == 0 for r in second["sites"].values())


def test_run_report_artifact_names_the_release(two_runs, prefect_server):
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts()
    reports = [a.data for a in artifacts if a.key == "refresh-report"]
    first_run = two_runs[1]["run"]["run_id"]
    text = next(t for t in reports if first_run in t)
    assert "new conflicts" in text and "release 1.0.0" in text


def test_a_reprocess_whose_load_fails_is_recorded_as_failed(two_runs, tmp_path, monkeypatch):
    """A real fault midway (a column the loader writes dropped): the reprocess raises, and its
    crawl_runs row ends 'failed' with its finish time, not 'running' for ever."""
    import flows.batches
    from flows.reprocess import reprocess

    home = _home_copy(two_runs, tmp_path)
    monkeypatch.setattr(flows.batches, "EXTRACTOR_VERSION", "0.0.0+reprocess-test")   # every row is new
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("ALTER TABLE observations DROP COLUMN subject")
        runs_before = con.execute("SELECT count(*) FROM crawl_runs").fetchall()[0][0]
    with pytest.raises(Exception, match="subject"):
        reprocess(home=str(home), publish=False)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        newest = con.execute("SELECT status, finished_at IS NOT NULL FROM crawl_runs ORDER BY started_at DESC LIMIT 1").fetchall()
        runs_after = con.execute("SELECT count(*) FROM crawl_runs").fetchall()[0][0]
    assert (runs_after, newest) == (runs_before + 1, [("failed", True)])
