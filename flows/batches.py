"""Clean and extract a batch of one site's pages into warehouse rows: the CPU-bound step of a run.

A plain function of plain data, with no Prefect in it, so that it runs the same in the flow's
threads, in the flow's worker processes (flows/cpu.py) and on Dask workers. A page that fails is
recorded once, with its error, and never stops the batch.
"""

from __future__ import annotations

from pathlib import Path

from extractors.charset import decode, detect_encoding
from extractors.clean import clean
from extractors.extract import EXTRACTOR_VERSION, extract
from warehouse import rows


def process_batch(site: dict, pages: list[dict], home_root: Path, run_id: str) -> dict:
    """{"batch": rows per table, "stats": page counts, "warnings": one line per failed page}."""
    batch: dict[str, list[dict]] = {"pages": [], "articles": [], "observations": [], "legal_refs": []}
    stats = {"fetched": 0, "unchanged": 0, "failed": 0, "articles": 0, "drift": 0}
    warnings = []
    for page in pages:
        error = page.get("error")
        if error or page.get("unchanged"):
            stats["failed" if error else "unchanged"] += 1
            batch["pages"].append(rows.page_row(page, run_id))
            continue
        stats["fetched"] += 1
        try:
            _process_page(site, page, home_root, run_id, batch, stats)
        except Exception as exc:  # one broken page must not stop the site
            stats["failed"] += 1
            message = f"parse failed for {page['url']}: {type(exc).__name__}: {exc}"
            warnings.append(message)
            batch["pages"].append(rows.page_row(page, run_id, error=message))
    return {"batch": batch, "stats": stats, "warnings": warnings}


def _process_page(site: dict, page: dict, home_root: Path, run_id: str, batch: dict, stats: dict) -> None:
    raw = page["body"] if "body" in page else (home_root / page["archive_path"]).read_bytes()
    html = decode(raw, page.get("encoding") or detect_encoding(page.get("content_type"), raw))
    article = clean(html, url=page["url"], adapter=site["adapter"])
    if not article["is_article"]:
        batch["pages"].append(rows.page_row(page, run_id))
        return
    row = rows.article_row(page, article, run_id)
    facts = extract(row["body"], row["published"], default_area=site["area"], title=row["title"],
                    tables=article.get("tables"))
    observations = rows.observation_rows(row, facts["observations"], EXTRACTOR_VERSION)
    legal_refs = rows.legal_ref_rows(row, facts["legal_refs"], EXTRACTOR_VERSION)
    # Rows are appended only once every step has worked, so a page that fails midway is recorded
    # once, with its error, and leaves no partial rows behind.
    batch["pages"].append(rows.page_row(page, run_id))
    batch["articles"].append(row)
    batch["observations"] += observations
    batch["legal_refs"] += legal_refs
    stats["articles"] += 1
    stats["drift"] += bool(article.get("drift"))
