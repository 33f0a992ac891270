"""Extraction speed on cleaned article text: articles per second on one core (issue 3 target:
at least 1,000 articles/s on articles of about 5,000 characters).

Why this corpus: the gold articles of the mirror and the seeds are real-shaped government news,
dense with figures; their paragraphs are dealt round-robin into articles of ~5,000 characters so
the figure density per character stays what the sites publish. One process, one core, timings
are medians of 5 runs over the whole corpus, printed as a table.

    .venv/bin/python bench/extraction.py [--runs 5] [--chars 5000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from extractors.extract import EXTRACTOR_VERSION, extract

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "mirror" / "articles", ROOT.parent / "shared" / "gold" / "seeds", ROOT / "tests" / "gold"]


def gold_docs() -> list[dict]:
    docs = []
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(doc.get("body"), str):
                docs.append(doc)
    return docs


def corpus(chars: int) -> list[dict]:
    """Articles of about `chars` characters built from the gold paragraphs, in order."""
    docs = gold_docs()
    paragraphs = [(p, d["published"]) for d in docs for p in d["body"].split("\n\n") if p.strip()]
    articles, current, published = [], [], None
    for text, pub in paragraphs:
        current.append(text)
        published = published or pub
        if sum(len(p) + 2 for p in current) >= chars:
            articles.append({"body": "\n\n".join(current), "published": published, "title": current[0][:90]})
            current, published = [], None
    return articles


def timed(articles: list[dict], **kw) -> float:
    t0 = time.perf_counter()
    for a in articles:
        extract(a["body"], a["published"], title=a["title"] if kw.get("title", True) else None)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--chars", type=int, default=5000)
    args = ap.parse_args()
    articles = corpus(args.chars)
    n_chars = sum(len(a["body"]) for a in articles)
    n_obs = sum(len(extract(a["body"], a["published"], title=a["title"])["observations"]) for a in articles)
    rows = []
    for label, kw in (("body + title", {"title": True}), ("body only", {"title": False})):
        runs = [timed(articles, **kw) for _ in range(args.runs)]
        med = statistics.median(runs)
        rows.append((label, med, len(articles) / med, n_chars / med / 1e6))
    print(f"extractor {EXTRACTOR_VERSION}: {len(articles)} articles, mean {n_chars // len(articles)} chars, "
          f"{n_obs / len(articles):.1f} observations/article; median of {args.runs} runs, one core\n")
    print(f"| {'input':<13} | {'median s':>9} | {'articles/s':>10} | {'M chars/s':>9} | {'vs target 1,000/s':>17} |")
    print(f"| {'-' * 13} | {'-' * 9}: | {'-' * 10}: | {'-' * 9}: | {'-' * 17}: |".replace(" :", ":"))
    for label, med, rate, mchars in rows:
        print(f"| {label:<13} | {med:>9.4f} | {rate:>10.0f} | {mchars:>9.2f} | {rate / 1000:>16.2f}x |")


if __name__ == "__main__":
    main()
