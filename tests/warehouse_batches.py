"""Batches for the warehouse tests: real rows built by warehouse/rows.py, as the flow builds them."""

from __future__ import annotations

from warehouse import rows

SITES = {
    "a.vn": {"id": "a.vn", "name": "A", "base_url": "https://a.vn", "adapter": "generic", "area": "Việt Nam"},
    "b.vn": {"id": "b.vn", "name": "B", "base_url": "https://b.vn", "adapter": "generic", "area": "Việt Nam"},
}
RUN = {"run_id": "r1", "started_at": "2024-04-24T00:00:00+00:00", "target": "mirror",
       "extractor_version": "0", "status": "ok"}


def obs(value, *, indicator=None, start=0, kind="count", qualifier="exact", as_of="2024-04-24",
        period_start=None, change=False, denominator=None, area="Việt Nam"):
    return {"value": value, "denominator": denominator, "kind": kind, "change": change, "qualifier": qualifier,
            "indicator": indicator, "area": area, "as_of": as_of, "period_start": period_start,
            "text": str(value), "sentence": "s", "start": start, "end": start + 1, "rule": "r"}


def article_batch(n: int = 1, site: str = "a.vn", observations=None, run: dict = RUN, refs=True) -> dict:
    """One batch: article number `n` of `site` with its observations (default: values 1, 2, 3)."""
    page = {"url": f"https://{site}/x-{n}.html", "site_id": site, "sha256": "0" * 64, "status": 200}
    article = rows.article_row(page, {"title": f"T{n}", "published": "2024-04-24T14:29:00+07:00",
                                      "body": "b", "adapter_used": "generic"}, run["run_id"])
    if observations is None:
        observations = [obs(v, start=i) for i, v in enumerate((1, 2, 3))]
    legal = [{"symbol": "76/NQ-CP", "type": "Nghị quyết", "issued": "2021-07-15", "start": 0, "end": 8}] if refs else []
    return {
        "sources": [rows.source_row(SITES[site])],
        "crawl_runs": [run],
        "pages": [rows.page_row(page, run["run_id"])],
        "articles": [article],
        "observations": rows.observation_rows(article, observations, "0"),
        "legal_refs": rows.legal_ref_rows(article, legal, "0"),
    }


def numbered_batch(i: int, articles: int = 100, per_article: int = 100):
    """Batch `i` of a long load, as Arrow: `articles` articles of `per_article` figures each."""
    import pyarrow as pa

    ids = [rows.stable_id("https://a.vn/big", i, a) for a in range(articles)]
    article_ids = [a for a in ids for _ in range(per_article)]
    n = len(article_ids)
    return {
        "articles": pa.table({"article_id": ids, "url": [f"https://a.vn/big-{i}-{a}.html" for a in range(articles)],
                              "source_id": ["a.vn"] * articles, "title": [f"batch {i}"] * articles,
                              "body": ["b"] * articles, "adapter": ["generic"] * articles, "run_id": ["r1"] * articles}),
        "observations": pa.table({
            "observation_id": [rows.stable_id(a, k) for a, k in zip(article_ids, range(n))],
            "article_id": article_ids, "source_id": ["a.vn"] * n, "value": [float(k) for k in range(n)],
            "kind": ["count"] * n, "unit": ["count"] * n, "change": [False] * n, "qualifier": ["exact"] * n,
            "area": ["Việt Nam"] * n, "as_of": pa.array([19800] * n, pa.int32()).cast(pa.date32()),
            "text": ["1"] * n, "sentence": ["Một câu khá dài để trang dữ liệu có khối lượng thật."] * n,
            "start": list(range(n)), "end": list(range(1, n + 1)), "rule": ["r"] * n, "extractor_version": ["0"] * n}),
    }
