"""The flows replicate to object storage: a refresh uploads its WARC files and its release, and
`reprocess --archive URL` on a machine that never crawled rebuilds the same facts from the store.
(The store is a file:// URL here; tests/test_storage.py covers s3:// on a loopback S3 server.)"""

from __future__ import annotations

import duckdb


def _facts(home) -> set:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return set(con.execute("SELECT fact_id, value, n_articles FROM facts").fetchall())


def test_refresh_replicates_and_reprocess_rebuilds_from_the_store(prefect_server, mirror_url, tmp_path, monkeypatch):
    from flows.refresh import refresh
    from flows.reprocess import reprocess

    store = tmp_path / "store"
    monkeypatch.setenv("EGOV_ARCHIVE_URL", f"file://{store}/archive")
    monkeypatch.setenv("EGOV_RELEASES_URL", f"file://{store}/releases")
    crawled = tmp_path / "crawler"
    result = refresh(mirror=mirror_url, home=str(crawled), sites=["baochinhphu.vn", "mst.gov.vn"])
    assert result["run"]["status"] == "ok", result["sites"]
    assert (store / "releases" / "1.0.0" / "release.json").exists()
    assert (store / "releases" / "LATEST").read_text().strip() == "1.0.0"
    assert list((store / "archive").rglob("*.warc.gz"))

    fresh = tmp_path / "fresh"
    rebuilt = reprocess(home=str(fresh), archive=f"file://{store}/archive", publish=False)
    assert rebuilt["run"]["articles"] == result["run"]["articles"] > 0
    assert _facts(fresh) == _facts(crawled)


def test_a_store_that_is_down_degrades_the_run_and_loses_nothing(prefect_server, mirror_url, tmp_path, monkeypatch):
    from flows.refresh import refresh

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the store's folder should be")
    monkeypatch.setenv("EGOV_RELEASES_URL", f"file://{blocked}/releases")
    home = tmp_path / "home"
    result = refresh(mirror=mirror_url, home=str(home), sites=["mst.gov.vn"])
    assert result["run"]["status"] == "degraded"
    assert result["sites"]["storage"]["errors"] and "upload failed" in result["sites"]["storage"]["errors"][0]
    assert result["release"]["version"] == "1.0.0"
    assert (home / "releases" / "1.0.0" / "release.json").exists()   # the local release is intact
