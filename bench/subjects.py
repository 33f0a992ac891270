"""Subjects benchmark: what reading each figure's `subject` adds to extraction.

    .venv/bin/python bench/subjects.py [FOLDER] [--runs 7]

Why a benchmark: issue 3 adds a step to every observation, and extraction speed is a target
another module is tuned for; this shows, side by side in one process, the median pass of
extract() over the articles and of subject() alone over the same figures, and its share.
FOLDER (default mirror/articles) holds article JSON files with `body` (and `title`, `published`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.extract import extract  # noqa: E402
from extractors.subjects import subject  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(ROOT / "mirror" / "articles"))
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    articles = [a for a in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(args.folder).rglob("*.json")))
                if a.get("body")]
    figures = [(a["body"], o["end"], o["kind"]) for a in articles
               for o in extract(a["body"], a.get("published"), title=a.get("title"))["observations"] if o["start"] >= 0]

    def extract_pass():
        for a in articles:
            extract(a["body"], a.get("published"), title=a.get("title"))

    def subject_pass():
        for body, end, kind in figures:
            subject(body, end, kind)

    timings = {"extract": [], "subject": []}
    for _ in range(args.runs):        # interleaved, so both see the same machine state
        for name, run in (("extract", extract_pass), ("subject", subject_pass)):
            t = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - t)
    med = {k: statistics.median(v) for k, v in timings.items()}
    found = sum(subject(*f) is not None for f in figures)
    print(f"{len(articles)} articles, {len(figures)} body figures, {found} with a subject; median of {args.runs} runs\n")
    print("| pass | median ms | µs per figure |")
    print("|---|---:|---:|")
    for name in ("extract", "subject"):
        print(f"| {name} | {med[name] * 1000:.1f} | {med[name] / len(figures) * 1e6:.1f} |")
    print(f"\nsubject() is {med['subject'] / med['extract']:.1%} of extract() (which includes it)")


if __name__ == "__main__":
    main()
