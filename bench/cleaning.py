"""Cleaning benchmark: our cleaner against trafilatura and readability-lxml on the mirror's pages.

    .venv/bin/python bench/cleaning.py [FOLDER] [--runs 5]

Why a benchmark and not a test: speed is a target (issue 4: at least 2x trafilatura's pages per
second), and timings are noise in a test suite. Every tool reads the same pages (FOLDER, default
mirror/sites: the articles with their gold, the drifted redesigns, and the listing / home / 404
pages) as bytes, in one process, one after another; each tool makes `--runs` timed passes over all
pages and the median pass gives its pages per second. Quality comes from one pass, scored by
extractors.evaluate_cleaning (the same definitions for every tool).

How the other tools are asked (their documented entry points):
- trafilatura: `bare_extraction(html, url=…, with_metadata=True)` → text, title, date (a day:
  trafilatura gives no time of day, so its date-time accuracy is ~0 by construction; the
  "pub. day" column compares days only);
- readability-lxml: `Document(html).summary()` (the article HTML, turned into paragraph text) and
  `short_title()`; it reads no dates.
Neither says whether a page is an article: for them a page is an article when the body they
return has at least 250 characters (the least prose our generic cleaner accepts with metadata).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.clean import clean  # noqa: E402
from extractors.evaluate_cleaning import load_pages, score  # noqa: E402

MIN_ARTICLE_CHARS = 250


def ours(html: bytes, url: str | None, adapter: str) -> dict:
    return clean(html, url=url, adapter=adapter)


def ours_generic(html: bytes, url: str | None, adapter: str) -> dict:
    """The generic cleaner alone (no site adapter): the like-for-like algorithm comparison."""
    return clean(html, url=url, adapter="generic")


def trafilatura_cleaner(html: bytes, url: str | None, adapter: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    text = (doc.text if doc is not None else "") or ""
    return {"is_article": len(text) >= MIN_ARTICLE_CHARS, "title": doc.title if doc else None,
            "published": doc.date if doc else None, "body": text}


def readability_cleaner(html: bytes, url: str | None, adapter: str) -> dict:
    import lxml.html
    from readability import Document

    doc = Document(html.decode("utf-8", errors="replace"), url=url)  # it takes text only
    summary = lxml.html.fromstring(doc.summary())
    blocks = [" ".join(el.text_content().split()) for el in summary.iter("p", "li", "h2", "h3", "h4", "td")]
    text = "\n\n".join(b for b in blocks if b)
    return {"is_article": len(text) >= MIN_ARTICLE_CHARS, "title": doc.short_title(),
            "published": None, "body": text}


TOOLS = {
    "ours (adapters)": ours,
    "ours (generic only)": ours_generic,
    "trafilatura": trafilatura_cleaner,
    "readability-lxml": readability_cleaner,
}


def timed_passes(cleaner, pages, runs: int) -> list[float]:
    """Seconds per pass over all pages (bytes read beforehand: only the cleaning is timed)."""
    inputs = [(p.path.read_bytes(), p.url, p.adapter) for p in pages]
    for html, url, adapter in inputs[:3]:  # warm-up: imports, compiled selectors, caches
        cleaner(html, url, adapter)
    passes = []
    for _ in range(runs):
        start = time.perf_counter()
        for html, url, adapter in inputs:
            cleaner(html, url, adapter)
        passes.append(time.perf_counter() - start)
    return passes


def parse_costs(pages, runs: int) -> dict[str, float]:
    """Where the time goes: parsing alone, per page (median of `runs` passes), in ms."""
    import lxml.html
    from bs4 import BeautifulSoup

    inputs = [p.path.read_bytes() for p in pages]
    out = {}
    for name, parse in (("lxml.html parse", lxml.html.document_fromstring),
                        ("BeautifulSoup(lxml) parse", lambda b: BeautifulSoup(b, "lxml"))):
        passes = []
        for _ in range(runs):
            start = time.perf_counter()
            for html in inputs:
                parse(html)
            passes.append(time.perf_counter() - start)
        out[name] = 1000 * statistics.median(passes) / len(inputs)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(ROOT / "mirror" / "sites"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    pages = load_pages(args.folder)
    n_art = sum(p.gold is not None for p in pages)
    n_drift = sum(p.drifted for p in pages)
    print(f"{len(pages)} pages: {n_art} articles ({n_drift} drifted layouts), "
          f"{len(pages) - n_art} non-articles; median of {args.runs} passes, one process\n")
    header = (f"{'tool':<21}{'body F1':>8}{'drifted F1':>11}{'title':>8}{'published':>10}{'pub. day':>9}"
              f"{'is_article':>11}{'ms/page':>9}{'pages/s':>9}")
    print(header)
    print("-" * len(header))
    speed = {}
    for name, cleaner in TOOLS.items():
        result = score(pages, cleaner)
        passes = timed_passes(cleaner, pages, args.runs)
        per_page = statistics.median(passes) / len(pages)
        speed[name] = 1 / per_page
        a, d = result["all"], result["drifted"]
        print(f"{name:<21}{a['body_f1']:>8.4f}{d['body_f1']:>11.4f}{a['title']:>8.1%}{a['published']:>10.1%}"
              f"{a['published_day']:>9.1%}{a['is_article']:>11.1%}{1000 * per_page:>9.2f}{speed[name]:>9.0f}")
    print()
    base = speed["trafilatura"]
    for name in TOOLS:
        print(f"{name:<21} {speed[name] / base:5.2f}x trafilatura's pages/s")
    print()
    for name, ms in parse_costs(pages, args.runs).items():
        print(f"{name:<27} {ms:6.2f} ms/page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
