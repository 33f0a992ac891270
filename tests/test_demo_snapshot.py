"""The offline mirror is crawled as of the day it was taken, not as of the calendar: its snapshot
days come from its articles, and the demo's `refresh` gets them, so mst.gov.vn's per-day listing
(walked back 14 days from "today") finds its pages whatever the date the tests run on."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

import duckdb
import pytest

import mirror
from conftest import REPO
from extractors.discovery import html_links
from extractors.registry import load_sites
from mirror.server import MirrorServer

MST = "mst.gov.vn"
DAILY = re.compile(r"/xem-theo-ngay-(\d\d)-(\d\d)-(\d{4})\.htm$")


# ---------------------------------------------------------------------------- the snapshot date
def _registry(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text("\n".join(
        f'[[site]]\nid = "{host}"\nbase_url = "https://{host}"\narticle_url = \'^https://{host}/a-\\d+\\.htm$\'\n'
        for host in ("a.vn", "b.vn", "c.vn")), encoding="utf-8")
    return path


def _article(folder, n: int, published: str | None, **extra) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    host = folder.name
    doc = {"id": f"{host}-{n}", "url": f"https://{host}/a-{n}.htm", "title": "t", "body": "b", **extra}
    if published:
        doc["published"] = published
    (folder / f"{n}.json").write_text(json.dumps(doc), encoding="utf-8")


def test_snapshot_date_is_the_newest_published_day_in_viet_nam_time(tmp_path):
    articles = tmp_path / "articles"
    _article(articles / "a.vn", 1, "2024-03-01T09:00:00+07:00")
    _article(articles / "a.vn", 2, "2024-07-11T18:30:00+00:00")     # 01:30 on 12 July in Viet Nam
    _article(articles / "a.vn", 3, "2025-01-01T08:00:00+07:00", layout="redesign-2025")  # linked nowhere
    _article(articles / "b.vn", 1, "2023-05-05T23:59:00+07:00")
    _article(articles / "c.vn", 1, None)                            # no date: no snapshot day
    registry = _registry(tmp_path)
    assert mirror.snapshot_dates(articles, registry) == {"a.vn": date(2024, 7, 12), "b.vn": date(2023, 5, 5)}
    _article(articles / "b.vn", 2, "2024-07-20T10:00:00+07:00")     # from the data, not a constant
    assert mirror.snapshot_dates(articles, registry)["b.vn"] == date(2024, 7, 20)


def test_the_bundled_mirror_s_snapshot_days_match_its_pages():
    """Read back from the generated tree: mst's newest per-day listing page is its snapshot day,
    and no article of the mirror is dated after the mirror's snapshot day."""
    days = mirror.snapshot_dates()
    daily = [date(int(y), int(m), int(d)) for p in (REPO / "mirror" / "sites" / MST).rglob("xem-theo-ngay-*.htm")
             for d, m, y in [DAILY.search(p.as_posix()).groups()]]
    assert days[MST] == max(daily)
    vn = timezone(timedelta(hours=7))
    published = [datetime.fromisoformat(json.loads(p.read_text(encoding="utf-8"))["published"]).astimezone(vn).date()
                 for p in (REPO / "mirror" / "sites").rglob("*.gold.json")
                 if json.loads(p.read_text(encoding="utf-8")).get("published")]
    assert max(published) == max(days.values())


# ------------------------------------------------------------------ the demo's crawl of mst.gov.vn
@pytest.fixture(scope="module")
def mst_as_of_snapshot(prefect_server, fast_registry, tmp_path_factory):
    """mst.gov.vn crawled by the real flow with what `egov demo` passes (mirror.snapshot_dates()),
    on a mirror server of its own, whose request log shows what discovery fetched."""
    from flows.refresh import refresh

    home = tmp_path_factory.mktemp("home")
    server = MirrorServer(REPO / "mirror" / "sites")
    with server as url:
        result = refresh(mirror=url, home=str(home), sites=[MST], registry=str(fast_registry), publish=False,
                         today=mirror.snapshot_dates())
        requests = server.requests_for(MST)
    return home, result, requests


def test_the_demo_crawl_of_mst_has_no_empty_daily_listing_warning(mst_as_of_snapshot):
    _, result, _ = mst_as_of_snapshot
    site = result["sites"][MST]
    assert not [w for w in site["warnings"] if "no page for any of" in w], site["warnings"]
    assert result["run"]["status"] == "ok", site


def test_the_daily_listing_finds_mst_articles(mst_as_of_snapshot):
    home, result, requests = mst_as_of_snapshot
    walked = {r.path: r.status for r in requests if DAILY.search(r.path)}
    (entry,) = [e for e in next(s for s in load_sites(REPO / "config" / "sources.toml") if s["id"] == MST)["discovery"]
                if e["kind"] == "daily_listing"]
    assert len(walked) == entry["days"]
    found = [path for path, status in walked.items() if status == 200]
    assert found, walked
    linked = set()
    for path in found:
        page_url = f"https://{MST}{path}"
        text = (REPO / "mirror" / "sites" / MST / path.lstrip("/")).read_text(encoding="utf-8")
        linked |= set(html_links(text, page_url, entry["links"]))
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        stored = {u for (u,) in con.execute("SELECT url FROM articles WHERE run_id = ?",
                                            [result["run"]["run_id"]]).fetchall()}
    assert linked and linked <= stored, (linked, stored)


def test_the_run_record_keeps_real_time(mst_as_of_snapshot):
    """Only discovery's "today" is the snapshot's; the run is stamped with the real time."""
    _, result, _ = mst_as_of_snapshot
    started = datetime.fromisoformat(result["run"]["started_at"])
    assert abs(datetime.now(timezone.utc) - started) < timedelta(hours=1)
