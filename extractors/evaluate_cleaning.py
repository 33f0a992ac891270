"""Scores the cleaner on a folder of saved pages with gold answers beside them.

Why: the cleaner's targets (issue 4) are numbers — body token F1, title and publication-time
accuracy, is_article accuracy — and every change to a selector, a drop list or a scoring rule
must be judged by them, on the normal pages and on the drifted (redesigned-layout) ones alike.
The same scoring runs other extractors too (bench/cleaning.py passes trafilatura and
readability-lxml as `cleaner`), so all figures in one table come from one definition.

Folder layout (the mirror's, `mirror/sites`): `<host>/<path>` is a page; `<page>.gold.json` beside
it makes it an article with that gold (`title`, `published`, `body`; `layout` marks a drifted
page); an HTML page with no gold (listing, home, 404) must be recognised as *not* an article.
The cleaning adapter of a page is its site's (`config/sources.toml`, chosen by the URL's host).

Body F1 is the ScrapingHub article-extraction benchmark's token measure in its bag-of-words form:
precision and recall over the multiset of lowercase word tokens of extracted vs gold body
(tokens taken after NFC, so every tool is judged on its words, not on its Unicode form).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from .registry import load_sites

GOLD_SUFFIX = ".gold.json"
_HTML_START = (b"<!doctype html", b"<html", b"<div", b"<ul", b"<section", b"<article")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    path: Path
    url: str | None
    adapter: str
    gold: dict | None  # None: not an article

    @property
    def drifted(self) -> bool:
        return bool(self.gold and self.gold.get("layout"))


Cleaner = Callable[[bytes, str | None, str], dict]  # (html, url, adapter) -> Clean-contract dict


def tokens(text: str | None) -> Counter:
    """Lowercase word tokens, read after NFC: words are compared, not their byte forms (a tool
    that leaves decomposed diacritics would otherwise lose every accented word)."""
    return Counter(_TOKEN.findall(unicodedata.normalize("NFC", text or "").lower()))


def token_f1(got: str | None, want: str | None) -> float:
    """F1 over bags of lowercase word tokens (1.0 when both are empty)."""
    g, w = tokens(got), tokens(want)
    common = sum((g & w).values())
    if not common:
        return float(not g and not w)
    precision, recall = common / sum(g.values()), common / sum(w.values())
    return 2 * precision * recall / (precision + recall)


def _same_text(a: str | None, b: str | None) -> bool:
    norm = lambda s: " ".join(unicodedata.normalize("NFC", s or "").split())  # noqa: E731
    return bool(a) and norm(a) == norm(b)


def adapters_by_host(registry: Path | None = None) -> dict[str, str]:
    sites = load_sites(registry) if registry else load_sites()
    return {urlsplit(s["base_url"]).netloc.lower(): s["adapter"] for s in sites}


def _is_html(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(200).lstrip().lower().startswith(_HTML_START)


def load_pages(folder: Path | str, registry: Path | None = None) -> list[Page]:
    """Every scorable page under `folder`: articles (gold beside them) and other HTML pages."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"evaluate_cleaning: no such folder: {folder}")
    by_host = adapters_by_host(registry)
    pages = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name.endswith(GOLD_SUFFIX):
            continue
        gold_path = path.with_name(path.name + GOLD_SUFFIX)
        gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else None
        if gold is None and not _is_html(path):
            continue  # robots.txt, feeds, sitemaps
        url = (gold or {}).get("url")
        host = urlsplit(url).netloc.lower() if url else path.relative_to(folder).parts[0].lower()
        pages.append(Page(path, url, by_host.get(host, "generic"), gold))
    return pages


def score_page(page: Page, result: dict) -> dict:
    """One page's scores (article fields only for articles)."""
    row = {"path": str(page.path), "article": page.gold is not None, "drifted": page.drifted,
           "is_article_ok": bool(result.get("is_article")) == (page.gold is not None),
           "drift_flag": bool(result.get("drift"))}
    if page.gold is not None:
        gold, got = page.gold, result.get("published")
        row.update(
            f1=token_f1(result.get("body"), gold.get("body")),
            title_ok=_same_text(result.get("title"), gold.get("title")),
            published_ok=got is not None and got == gold.get("published"),
            published_day_ok=bool(got) and str(got)[:10] == str(gold.get("published"))[:10],
        )
    return row


def _summary(rows: list[dict]) -> dict:
    arts = [r for r in rows if r["article"]]
    n = len(arts)
    mean = lambda key: sum(r[key] for r in arts) / n if n else float("nan")  # noqa: E731
    return {"articles": n, "body_f1": mean("f1"), "min_f1": min((r["f1"] for r in arts), default=float("nan")),
            "title": mean("title_ok"), "published": mean("published_ok"),
            "published_day": mean("published_day_ok"),
            "pages": len(rows), "is_article": sum(r["is_article_ok"] for r in rows) / max(len(rows), 1)}


def score(pages: list[Page], cleaner: Cleaner) -> dict:
    """All pages through `cleaner`: overall, normal-layout and drifted summaries, per-page rows."""
    rows = [score_page(p, cleaner(p.path.read_bytes(), p.url, p.adapter)) for p in pages]
    drifted = [r for r in rows if r["drifted"]]
    normal = [r for r in rows if r["article"] and not r["drifted"]]
    others = [r for r in rows if not r["article"]]
    return {
        "all": _summary(rows), "normal": _summary(normal), "drifted": _summary(drifted),
        "non_articles": {"pages": len(others), "is_article": _summary(others)["is_article"]},
        "drift_detected": sum(r["drift_flag"] for r in drifted),
        "false_drift": sum(r["drift_flag"] for r in rows if not r["drifted"]),
        "rows": rows,
    }


def _clean(html: bytes, url: str | None, adapter: str) -> dict:
    from .clean import clean
    return clean(html, url=url, adapter=adapter)


def run(folder: Path | str, registry: Path | None = None, cleaner: Cleaner | None = None) -> dict:
    """Scores our cleaner (or `cleaner`) on every page of `folder`."""
    return score(load_pages(folder, registry), cleaner or _clean)


def format_report(result: dict, details: bool = False) -> str:
    """A plain-text table of a `run` result (with the failing pages when `details`)."""
    lines = [f"{'pages':<14}{'n':>5}{'body F1':>9}{'min F1':>8}{'title':>8}{'published':>11}"
             f"{'pub. day':>10}{'is_article':>12}"]
    for name in ("all", "normal", "drifted"):
        s = result[name]
        lines.append(f"{name:<14}{s['articles']:>5}{s['body_f1']:>9.4f}{s['min_f1']:>8.3f}{s['title']:>8.1%}"
                     f"{s['published']:>11.1%}{s['published_day']:>10.1%}{s['is_article']:>12.1%}")
    other = result["non_articles"]
    lines.append(f"{'non-articles':<14}{other['pages']:>5}{'':>46}{other['is_article']:>12.1%}")
    lines.append(f"drift reported on {result['drift_detected']} of {result['drifted']['articles']} drifted "
                 f"pages, on {result['false_drift']} other pages")
    if details:
        for r in result["rows"]:
            bad = not r["is_article_ok"] or (r["article"] and (
                r["f1"] < 0.98 or not r["title_ok"] or not r["published_ok"]))
            if bad:
                lines.append(f"  {r['path']}: " + ", ".join(
                    f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                    for k, v in r.items() if k not in ("path", "article")))
    return "\n".join(lines)


if __name__ == "__main__":  # python -m extractors.evaluate_cleaning [FOLDER] [-v]
    import sys

    args = [a for a in sys.argv[1:] if a != "-v"]
    folder = args[0] if args else Path(__file__).resolve().parent.parent / "mirror" / "sites"
    try:
        print(format_report(run(folder), details="-v" in sys.argv))
    except (FileNotFoundError, ValueError) as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)
