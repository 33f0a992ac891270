"""Releases: validated before they appear, immutable, versioned, with change notes, listed in
the catalogue. Every release here is built from a real DuckDB warehouse and checked with the
real frictionless CLI."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys

import duckdb
import pytest

import publish
import warehouse
from publish import catalog, gate, settings
from publish.export import sha256_file
from publish.release import next_version

from publish_fixtures import batch, fill, obs


@pytest.fixture
def con(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        fill(con)
        yield con


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _frictionless_cli(package):
    out = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(package)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]


PROVENANCE = {"crawl_runs": [{"run_id": "r1", "pages_fetched": 3}], "pages_in_archive": 3,
              "extractor_version": "0", "code_revision": "abc1234"}


def test_release_is_a_valid_data_package_with_every_resource(con, tmp_path):
    releases = tmp_path / "releases"
    entry = publish.publish_release(con, releases, PROVENANCE)
    assert entry["version"] == "1.0.0"
    folder = releases / "1.0.0"
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["egov:provenance"]["code_revision"] == "abc1234"
    assert {s["path"] for s in package["sources"]} == {"https://a.vn", "https://b.vn"}
    names = {r["name"] for r in package["resources"]}
    for table in ("sources", "indicators", "articles", "observations", "legal_refs", "facts", "conflicts"):
        assert {table, f"{table}-parquet"} <= names
    assert "database" in names
    assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0 for r in package["resources"])
    observations = next(r for r in package["resources"] if r["name"] == "observations")
    assert {"fields": ["indicator"], "reference": {"resource": "indicators", "fields": ["indicator"]}} \
        in observations["schema"]["foreignKeys"]
    _frictionless_cli(folder / "datapackage.json")
    assert (releases / "LATEST").read_text().strip() == "1.0.0"
    assert (releases / "latest" / "datapackage.json").exists()
    assert catalog.read(releases)["releases"][0]["rows"]["observations"] == 7


def test_database_file_attaches_and_holds_every_table(con, tmp_path):
    publish.publish_release(con, tmp_path / "releases", PROVENANCE)
    with duckdb.connect() as db:
        db.execute(f"ATTACH '{tmp_path / 'releases' / 'latest' / 'egov-data.duckdb'}' AS rel (READ_ONLY)")
        assert db.execute("SELECT count(*) FROM rel.observations WHERE indicator = 'chip_id_cards_issued'").fetchall() == [(3,)]
        assert db.execute("SELECT name_en FROM rel.indicators WHERE indicator = 'eid_accounts_activated'").fetchall()
        comment = db.execute("SELECT comment FROM duckdb_columns() WHERE database_name = 'rel' "
                             "AND table_name = 'observations' AND column_name = 'value'").fetchall()[0][0]
        assert comment.startswith("The number, fully scaled")


def test_unchanged_data_publishes_nothing_and_changed_data_a_minor_version_with_change_notes(con, tmp_path):
    releases = tmp_path / "releases"
    publish.publish_release(con, releases, {})
    before = _tree(releases / "1.0.0")
    assert publish.publish_release(con, releases, {}) is None
    # article 1 corrected (one figure changed, one gone), a new article with a conflicting figure
    warehouse.load_batch(con, batch(1, [obs(71e6, "chip_id_cards_issued", "2023-06-30"), obs(3, start=20)]))
    warehouse.load_batch(con, batch(4, [obs(88e6, "chip_id_cards_issued", "2024-06-30")]))
    assert publish.publish_release(con, releases, {})["version"] == "1.1.0"
    assert _tree(releases / "1.0.0") == before
    assert [r["version"] for r in catalog.read(releases)["releases"]] == ["1.0.0", "1.1.0"]
    assert (releases / "LATEST").read_text().strip() == "1.1.0"

    changes = json.loads((releases / "1.1.0" / "changes.json").read_text())
    assert changes["previous"] == "1.0.0"
    obs_diff = changes["resources"]["observations"]
    assert (obs_diff["added"], obs_diff["removed"], obs_diff["changed"]) == (2, 2, 0)  # ids hash the text
    assert changes["resources"]["articles"]["added"] == 1
    assert changes["resources"]["sources"] == {**changes["resources"]["sources"], "added": 0, "removed": 0, "changed": 0}
    values = changes["indicator_values"]
    changed = {(v["indicator"], v["as_of"]): (v["old_value"], v["value"]) for v in values["changed"]}
    assert changed == {("chip_id_cards_issued", "2023-06-30"): (70e6, 71e6),
                       ("chip_id_cards_issued", "2024-06-30"): (87.5e6, 88e6)}
    assert values["new_count"] == 0
    gone = [v for v in changes["resources"]["facts"]["removed_keys"]]
    assert len(gone) == 2  # eid_accounts_activated in article 1, and the old 70 M
    assert changes["new_conflicts"]["count"] == 1
    assert changes["new_conflicts"]["rows"][0]["values"] == "87500000;88000000"
    notes = (releases / "1.1.0" / "CHANGES.md").read_text()
    assert "chip_id_cards_issued, Việt Nam, 2023-06-30: 70,000,000 → 71,000,000" in notes
    assert "## New conflicts: 1" in notes


def _pointers(releases):
    return ((releases / "LATEST").read_text(), (releases / "latest").readlink(), (releases / "catalog.json").read_text())


@pytest.mark.parametrize("frictionless_max_rows", [None, 2], ids=["by frictionless", "by DuckDB"])
def test_failed_gate_publishes_nothing_and_names_resource_row_field(con, tmp_path, frictionless_max_rows):
    releases = tmp_path / "releases"
    config = dataclasses.replace(settings.default(), frictionless_max_rows=frictionless_max_rows)
    publish.publish_release(con, releases, {}, config)
    before, pointers = _tree(releases), _pointers(releases)
    con.execute("UPDATE observations SET kind = 'bogus' WHERE value = 43.7")
    row = 1 + con.execute("SELECT count(*) FROM observations WHERE observation_id <= "
                          "(SELECT observation_id FROM observations WHERE value = 43.7)").fetchall()[0][0]
    with pytest.raises(publish.GateFailed, match=rf"resource 'observations', row {row}, field kind: "):
        publish.publish_release(con, releases, {}, config)
    assert _tree(releases) == before and _pointers(releases) == pointers
    assert not list(releases.glob(".staging-*"))


def test_row_numbers_count_across_parts_validated_in_parallel(con, tmp_path):
    """With parts of 2 rows, the bad 6th observation is in the third part; the error still
    names the published file's row (header = row 1, as frictionless counts)."""
    rows = con.execute("SELECT observation_id FROM observations ORDER BY observation_id").fetchall()
    con.execute("UPDATE observations SET qualifier = 'roughly' WHERE observation_id = ?", [rows[5][0]])
    config = dataclasses.replace(settings.default(), part_rows=2, workers=2)
    with pytest.raises(publish.GateFailed, match=r"resource 'observations', row 7, field qualifier"):
        publish.publish_release(con, tmp_path / "releases", {}, config)
    assert not (tmp_path / "releases" / "LATEST").exists()


def test_parts_are_concatenated_into_one_valid_csv(con, tmp_path):
    config = dataclasses.replace(settings.default(), part_rows=2, workers=1)
    publish.publish_release(con, tmp_path / "releases", {}, config)
    folder = tmp_path / "releases" / "1.0.0"
    assert not (folder / "data" / ".parts").exists()
    with duckdb.connect() as db:
        n = db.execute(f"SELECT count(*) FROM read_csv('{folder / 'data' / 'observations.csv'}')").fetchall()[0][0]
    assert n == 7
    _frictionless_cli(folder / "datapackage.json")


def test_unknown_indicator_fails_the_foreign_key_check(con, tmp_path):
    warehouse.load_batch(con, batch(4, [obs(5, "no_such_indicator")]))
    with pytest.raises(publish.GateFailed,
                       match=r"resource 'observations', row \d+, field indicator: \('no_such_indicator',\) is not in resource 'indicators'"):
        publish.publish_release(con, tmp_path / "releases", {})


def test_duplicate_primary_key_names_the_second_row(con, tmp_path):
    con.execute("CREATE VIEW legal_refs_twice AS SELECT * FROM legal_refs UNION ALL "
                "(SELECT * FROM legal_refs ORDER BY legal_ref_id LIMIT 1)")
    config = settings.default()
    resources = tuple({**r, "relation": "legal_refs_twice"} if r["name"] == "legal_refs" else r for r in config.resources)
    with pytest.raises(publish.GateFailed, match=r"resource 'legal_refs', row 3, field legal_ref_id: .*primary key"):
        publish.publish_release(con, tmp_path / "releases", {}, dataclasses.replace(config, resources=resources))


def test_semver_major_for_removed_or_retyped_fields_minor_for_added():
    prev = {"version": "1.4.0", "fingerprint": "f", "schema": {"observations": {"value": "number", "kind": "string"}}}
    assert next_version(prev, "f", {"observations": {"value": "number", "kind": "string"}}) is None
    assert next_version(prev, "g", {"observations": {"value": "number", "kind": "string"}}) == "1.5.0"
    assert next_version(prev, "f", {"observations": {"value": "number", "kind": "string", "x": "integer"}}) == "1.5.0"
    assert next_version(prev, "f", {"observations": {"value": "number"}}) == "2.0.0"
    assert next_version(prev, "f", {"observations": {"value": "string", "kind": "string"}}) == "2.0.0"
    assert next_version(None, "f", {}) == "1.0.0"


def test_gate_proves_parquet_and_database_hold_the_csv_rows(con, tmp_path):
    """A Parquet file that differs from its CSV twin in one value fails the gate, at that row."""
    publish.publish_release(con, tmp_path / "releases", {})
    folder = tmp_path / "copy"
    shutil.copytree(tmp_path / "releases" / "1.0.0", folder)
    parquet = folder / "data" / "observations.parquet"
    with duckdb.connect() as db:
        db.execute(f"COPY (SELECT * REPLACE (CASE WHEN value = 43.7 THEN 43.8 ELSE value END AS value) "
                   f"FROM read_parquet('{parquet}')) TO '{folder / 'tampered.parquet'}' (FORMAT parquet)")
        row = 1 + db.execute(f"SELECT count(*) FROM read_parquet('{parquet}') WHERE observation_id <= "
                             f"(SELECT observation_id FROM read_parquet('{parquet}') WHERE value = 43.7)").fetchall()[0][0]
    (folder / "tampered.parquet").replace(parquet)
    package = json.loads((folder / "datapackage.json").read_text())
    for res in package["resources"]:  # a consistent descriptor: only the rows can tell
        if res["name"] == "observations-parquet":
            res["bytes"], res["hash"] = parquet.stat().st_size, f"sha256:{sha256_file(parquet)}"
    (folder / "datapackage.json").write_text(json.dumps(package))
    parts = {r["name"]: [{"path": folder / r["path"], "first_row": 0}] for r in package["resources"] if r["type"] == "table"}
    with pytest.raises(publish.GateFailed, match=rf"resource 'observations-parquet': it differs from resource 'observations' at row {row}"):
        gate.check(folder / "datapackage.json", parts)


def test_parquet_row_groups_are_bounded_in_bytes(tmp_path):
    """DuckDB's default row group (122,880 rows) held all 100,000 articles of a big release in
    memory at once while their Parquet was written: the export then outgrew its memory limit."""
    from publish import tables
    from publish.export import export_resource
    from publish_fixtures import RUN, SITES
    from warehouse import rows

    pages = [{"url": f"https://a.vn/tin-{n}.html", "site_id": "a.vn", "sha256": "0" * 64, "status": 200} for n in range(6000)]
    articles = [rows.article_row(p, {"title": "Tin", "published": "2024-07-12T10:15:00+07:00",
                                     "body": f"Bài {n}. " + "Chuyển đổi số. " * 130, "adapter_used": "generic"}, "r1")
                for n, p in enumerate(pages)]                    # ~2,000 characters each: 12 MB of text
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.load_batch(con, {"sources": [rows.source_row(s) for s in SITES], "crawl_runs": [RUN],
                                   "pages": [rows.page_row(p, "r1") for p in pages], "articles": articles})
        res = next(r for r in tables.published(con, settings.default()) if r["name"] == "articles")
        out = export_resource(con, res, tmp_path, part_rows=10**6, row_group_bytes="2MB")
    groups = duckdb.sql(f"SELECT DISTINCT row_group_id FROM parquet_metadata('{out['paths']['parquet']}')").fetchall()
    assert out["rows"] == 6000 and len(groups) >= 3, groups


def _long_articles(path, n: int, chars: int):
    """A warehouse of `n` articles of about `chars` characters each, in a shuffled key order."""
    from publish_fixtures import RUN, SITES
    from warehouse import rows

    pages = [{"url": f"https://a.vn/tin-{(n * 7919 + k * 104729) % 1_000_003}.html", "site_id": "a.vn", "sha256": "0" * 64,
              "status": 200} for k in range(n)]
    articles = [rows.article_row(p, {"title": "Tin", "published": "2024-07-12T10:15:00+07:00",
                                     "body": f"Bài {k}. " + "Chuyển đổi số. " * (chars // 15), "adapter_used": "generic"}, "r1")
                for k, p in enumerate(pages)]
    with warehouse.connect(path) as con:
        warehouse.load_batch(con, {"sources": [rows.source_row(s) for s in SITES], "crawl_runs": [RUN],
                                   "pages": [rows.page_row(p, "r1") for p in pages], "articles": articles})
    return path


def test_long_articles_export_in_sorted_chunks_within_the_memory_limit(tmp_path):
    """Sorting full texts whole needed them all in memory (DuckDB does not spill that sort), and
    threads writing in order held a storage row group's output each: 100,000 real-length articles
    ran out at 512 MB. Sorted in chunks and written by one thread, the files are the same bytes."""
    from publish import tables
    from publish.export import export_resource

    db = _long_articles(tmp_path / "w.duckdb", 16_000, 6_000)          # 96 MB of text
    out = {}
    with warehouse.connect(db, read_only=True) as con:
        res = next(r for r in tables.published(con, settings.default()) if r["name"] == "articles")
        for chunk, limit in ((None, "2GB"), (2000, "128MB")):  # whole: runs out at 128 MB
            folder = tmp_path / f"chunk-{chunk}"
            folder.mkdir()
            con.execute(f"SET memory_limit = '{limit}'")
            out[chunk] = export_resource(con, {**res, "sort_chunk_rows": chunk}, folder, 10**6, row_group_bytes="4MB")
    assert out[2000]["rows"] == 16_000
    assert sha256_file(out[2000]["paths"]["csv"]) == sha256_file(out[None]["paths"]["csv"])
