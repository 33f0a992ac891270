"""`egov parse`: clean and extract saved pages without a flow, a server or the warehouse."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from extractors.clean import clean
from extractors.extract import extract
from extractors.registry import load_sites

SPEC_FIELDS = ("value", "denominator", "kind", "change", "qualifier", "indicator", "area", "as_of",
               "period_start", "text", "sentence", "start", "end", "subject")


def parse_file(path: Path, url: str | None = None, published: str | None = None,
               adapter: str | None = None) -> dict:
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    site = _site_for(url)
    if path.suffix.lower() == ".txt":
        article = {"is_article": True, "title": None, "published": published,
                   "body": path.read_text(encoding="utf-8").strip()}
    else:
        article = clean(path.read_bytes(), url=url, adapter=adapter or (site or {}).get("adapter"))
        article["published"] = article.get("published") or published
    out = {"path": str(path), "is_article": article["is_article"], "title": article.get("title"),
           "published": article.get("published"), "body": article.get("body") or "",
           "observations": [], "legal_refs": []}
    if article["is_article"]:
        facts = extract(out["body"], out["published"], default_area=(site or {}).get("area", "Việt Nam"),
                        title=out["title"], tables=article.get("tables"))
        out["observations"] = [{k: o.get(k) for k in SPEC_FIELDS} for o in facts["observations"]]
        out["legal_refs"] = facts["legal_refs"]
    return out


def _site_for(url: str | None) -> dict | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    for site in load_sites():
        if urlsplit(site["base_url"]).hostname == host:
            return site
    return None
