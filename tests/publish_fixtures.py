"""A small real warehouse for the publishing tests: rows built by warehouse/rows.py and loaded
with warehouse.load_batch, as the flow does — two sites, a few articles, indicator series
over several dates and areas, one conflict (the same figure reported with two values)."""

from __future__ import annotations

from pathlib import Path

import warehouse
from warehouse import rows

SITES = [
    {"id": "a.vn", "name": "Báo A", "base_url": "https://a.vn", "adapter": "generic", "area": "Việt Nam"},
    {"id": "b.vn", "name": "Cổng B", "base_url": "https://b.vn", "adapter": "generic", "area": "Việt Nam"},
]
RUN = {"run_id": "r1", "started_at": "2024-04-24T00:00:00+00:00", "target": "mirror",
       "extractor_version": "0", "status": "ok"}


def obs(value, indicator=None, as_of="2024-04-24", area="Việt Nam", kind="count", start=0):
    return {"value": value, "denominator": None, "kind": kind, "change": False, "qualifier": "exact",
            "indicator": indicator, "area": area, "as_of": as_of, "period_start": None,
            "text": f"{value:g}", "sentence": f"Đã cấp {value:g} thẻ.", "start": start, "end": start + 3, "rule": "r"}


# article number → (site, its observations)
ARTICLES = {
    1: ("a.vn", [obs(70e6, "chip_id_cards_issued", "2023-06-30"), obs(61.4e6, "eid_accounts_activated", "2024-03-31", start=10),
                 obs(3, start=20)]),
    2: ("a.vn", [obs(80e6, "chip_id_cards_issued", "2023-12-31"), obs(43.7, "online_application_rate", "2024-06-30",
                                                                      kind="percent", start=10)]),
    3: ("b.vn", [obs(87.5e6, "chip_id_cards_issued", "2024-06-30"), obs(1.12e6, "eid_accounts_activated", "2024-06-30",
                                                                        area="Bắc Giang", start=10)]),
}


def batch(n: int, observations: list[dict] | None = None) -> dict:
    site, default = ARTICLES.get(n, ("a.vn", [obs(1)]))
    page = {"url": f"https://{site}/tin-{n}.html", "site_id": site, "sha256": "0" * 64, "status": 200}
    article = rows.article_row(page, {"title": f"Tin {n}", "published": "2024-07-12T10:15:00+07:00",
                                      "body": "Đoạn một.\n\nĐoạn \"hai\", có dấu phẩy.", "adapter_used": "generic"}, "r1")
    refs = [{"symbol": "06/QĐ-TTg", "type": "Quyết định", "issued": "2022-01-06", "start": 0, "end": 9}]
    return {
        "sources": [rows.source_row(s) for s in SITES],
        "crawl_runs": [RUN],
        "pages": [rows.page_row(page, "r1")],
        "articles": [article],
        "observations": rows.observation_rows(article, default if observations is None else observations, "0"),
        "legal_refs": rows.legal_ref_rows(article, refs, "0"),
    }


def fill(con) -> None:
    for n in ARTICLES:
        warehouse.load_batch(con, batch(n))


def make(path: Path) -> Path:
    with warehouse.connect(path) as con:
        fill(con)
    return path
