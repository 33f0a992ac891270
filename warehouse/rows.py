"""Rows as the warehouse stores them, built from what the stages hand over, with stable ids.

An id is a hash of what identifies the thing — a page by its URL, an observation by its
article, position and text, a legal reference by its article and symbol — so the same input
always yields the same id, and loading it twice replaces rather than duplicates.
"""

from __future__ import annotations

import hashlib

UNITS = {"money": "đồng", "percent": "%", "multiple": "times", "ratio": "ratio", "rank": "position"}


def stable_id(*parts) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def source_row(site: dict) -> dict:
    return {
        "source_id": site["id"], "name": site["name"], "base_url": site["base_url"],
        "adapter": site["adapter"], "default_area": site["area"],
    }


def page_row(page: dict, run_id: str, error: str | None = None) -> dict:
    """`error` is a parse failure found after a good fetch; the page's own error is a fetch failure."""
    return {
        "page_id": stable_id(page["url"]), "url": page["url"], "source_id": page["site_id"],
        "run_id": run_id, "fetched_at": page.get("fetched_at"), "status": page.get("status"),
        "content_type": page.get("content_type"), "sha256": page.get("sha256"),
        "bytes": page.get("bytes"), "archive_path": page.get("archive_path"),
        "etag": page.get("etag"), "last_modified": page.get("last_modified"),
        "error": error or page.get("error"),
        "failure_kind": "fetch" if page.get("error") else "parse" if error else None,
        "unchanged": bool(page.get("unchanged")),
    }


def page_fetch_rows(pages: list[dict]) -> list[dict]:
    """The crawl-log rows of some `pages` rows: the same attempt, kept per run."""
    keep = ("run_id", "page_id", "source_id", "url", "fetched_at", "status", "unchanged", "failure_kind", "error")
    return [{k: page.get(k) for k in keep} for page in pages]


def article_row(page: dict, article: dict, run_id: str) -> dict:
    return {
        "article_id": stable_id(page["url"]), "url": page["url"], "source_id": page["site_id"],
        "title": article["title"], "published": article.get("published"),
        "author": article.get("author"), "lead": article.get("lead"), "body": article["body"],
        "adapter": article.get("adapter_used") or "generic", "drift": bool(article.get("drift")),
        "content_sha256": page.get("sha256"), "run_id": run_id,
    }


def observation_rows(article: dict, observations: list[dict], version: str) -> list[dict]:
    rows = []
    for obs in observations:
        row = {k: obs.get(k) for k in (
            "indicator", "value", "denominator", "kind", "change", "qualifier", "area", "as_of",
            "period_start", "text", "sentence", "start", "end", "rule", "subject")}
        row["observation_id"] = stable_id(article["article_id"], obs["start"], obs["end"], obs["text"], obs["kind"])
        row["article_id"] = article["article_id"]
        row["source_id"] = article["source_id"]
        row["unit"] = UNITS.get(obs["kind"], "count")
        row["extractor_version"] = version
        rows.append(row)
    return rows


def legal_ref_rows(article: dict, refs: list[dict], version: str) -> list[dict]:
    return [
        {
            "legal_ref_id": stable_id(article["article_id"], ref["symbol"]),
            "article_id": article["article_id"], "symbol": ref["symbol"], "type": ref.get("type"),
            "issued": ref.get("issued"), "start": ref.get("start"), "end": ref.get("end"),
            "extractor_version": version,
        }
        for ref in refs
    ]
