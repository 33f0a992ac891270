"""The clean + extract task on a batch of pages: a page that fails midway is recorded once."""

from __future__ import annotations

from pathlib import Path

import warehouse
from extractors.registry import load_sites
from flows import batches, tasks


def _page(url: str, html: str) -> dict:
    return {"url": url, "site_id": "baochinhphu.vn", "status": 200, "fetched_at": "2026-11-01T00:00:00+00:00",
            "content_type": "text/html", "encoding": "utf-8", "sha256": url[-8:].rjust(64, "0"),
            "bytes": len(html), "body": html.encode(), "unchanged": False, "error": None, "is_candidate": True}


MIRROR = Path(__file__).resolve().parents[1] / "mirror" / "sites" / "baochinhphu.vn"
ARTICLE = next(p for p in sorted(MIRROR.glob("*.htm")) if not p.name.startswith("404")).read_text(encoding="utf-8")


def test_a_page_whose_extraction_fails_is_one_row_with_its_error(prefect_server, monkeypatch, tmp_path):
    from prefect import flow

    site = next(s for s in load_sites() if s["id"] == "baochinhphu.vn")

    def broken(*args, **kwargs):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(batches, "extract", broken)
    pages = [_page("https://baochinhphu.vn/a-1.htm", ARTICLE), _page("https://baochinhphu.vn/a-2.htm", ARTICLE)]
    result = flow(name="one-batch")(lambda: tasks.process_pages(site, pages, tmp_path, "run-1"))()
    batch = result["batch"]
    assert [p["url"] for p in batch["pages"]] == [p["url"] for p in pages]   # once each
    assert all("extractor bug" in p["error"] for p in batch["pages"])
    assert batch["articles"] == [] and result["stats"]["failed"] == 2
    with warehouse.connect(tmp_path / "w.duckdb") as con:   # and the batch loads
        warehouse.load_batch(con, batch)
        assert con.execute("SELECT count(*) FROM pages WHERE error IS NOT NULL").fetchall()[0][0] == 2
