"""What `egov compact` gives back on a warehouse whose articles were re-processed, and what it costs.

Why: loads never merge row groups (`max_vacuum_tasks = 0`, warehouse/settings.toml), so a
re-processed article's old rows stay stored, marked deleted, and each batch keeps row groups of
its own. This measures a warehouse of N real-length articles (bench/load_memory.py's: ~6,200
characters of body, 25 observations each) loaded in batches of 500, then re-processed R times (a
random 30% of the articles each time, loaded in batches of 500), three ways side by side:
as loaded; after DuckDB's own vacuum (`SET max_vacuum_tasks = 100`, a change, `CHECKPOINT`: what
docs/scaling.md first proposed) on a copy; after `warehouse.compact` on another copy. Each
compaction runs in a fresh process, its RSS sampled every 5 ms (peak above the process's RSS
before it). The query is `egov query`'s (flows/query.run_query): facts per indicator, each run in
a fresh process, the three warehouses in alternation (the order rotating each round), so that a
busy spell on this shared machine hits all three alike; the table gives medians and the ratio to
the warehouse as loaded.

    .venv/bin/python bench/compact.py [--articles 10000] [--rounds 3] [--query-runs 7] [--keep DIR]

--keep DIR builds in DIR and keeps the files; a DIR that already holds built.duckdb is re-used.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

import warehouse  # noqa: E402
from flows.query import run_query  # noqa: E402
from bench.load_memory import BATCH, make_batch, peak_above_start  # noqa: E402

FACTS_QUERY = ("SELECT indicator, area, count(*) AS facts, sum(n_articles) AS articles, max(value) AS largest "
               "FROM facts WHERE period_start IS NULL GROUP BY ALL ORDER BY ALL")
REPROCESSED = 0.3


def build(path: Path, n: int, rounds: int) -> None:
    for first in range(0, n, BATCH):
        with warehouse.connect(path) as con:
            warehouse.load_batch(con, make_batch(first, min(BATCH, n - first)))
    rng = random.Random(7)
    for r in range(rounds):   # a new extractor version re-extracts some articles: their rows are replaced
        chosen = sorted(rng.sample(range(n), int(n * REPROCESSED)))
        for j in range(0, len(chosen), BATCH):
            batch: dict[str, list[dict]] = {"pages": [], "articles": [], "observations": []}
            for i in chosen[j:j + BATCH]:
                one = make_batch(i, 1)
                for a in one["articles"]:
                    a["run_id"] = f"re{r}"
                for o in one["observations"]:
                    o["extractor_version"] = f"re{r}"
                for k in batch:
                    batch[k] += one[k]
            with warehouse.connect(path) as con:
                warehouse.load_batch(con, batch)


def in_place_vacuum(path: Path) -> None:
    """DuckDB's own vacuum: a checkpoint with vacuum tasks, after a change (with none it does nothing)."""
    with duckdb.connect(str(path)) as con:
        con.execute("SET max_vacuum_tasks = 100")
        con.execute("CREATE TABLE _vacuum_trigger (i INTEGER)")
        con.execute("DROP TABLE _vacuum_trigger")
        con.execute("CHECKPOINT")


def one(way: str, path: Path) -> dict:
    """In a fresh process: compact `path` one way; peak RSS above the start and seconds."""
    run = {"vacuum": in_place_vacuum, "compact": warehouse.compact}[way]
    with duckdb.connect(":memory:") as con:     # DuckDB's own start-up is not the compaction's
        con.execute("SELECT 1").fetchall()
    peak, seconds = peak_above_start(lambda: run(path), interval=0.005)
    return {"peak_mb": peak, "seconds": seconds}


def time_query(path: Path) -> float:
    """Seconds of the facts query via `egov query`, after one small query elsewhere (imports and
    DuckDB's first-call costs are not the query's)."""
    with duckdb.connect(":memory:") as con:
        con.execute("SELECT 1").fetchall()
    start = time.perf_counter()
    run_query(path, FACTS_QUERY, "csv")
    return time.perf_counter() - start


def alternated_queries(paths: dict[str, Path], runs: int) -> dict[str, list[float]]:
    """Each warehouse's facts query `runs` times, each in a fresh process, in alternation."""
    times: dict[str, list[float]] = {label: [] for label in paths}
    labels = list(paths)
    for r in range(runs):
        for label in labels[r % len(labels):] + labels[:r % len(labels)]:
            out = subprocess.run([sys.executable, __file__, "--query", str(paths[label])],
                                 capture_output=True, text=True, check=True)
            times[label].append(float(out.stdout))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--query-runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build in this directory and keep the files (re-used if built)")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--query", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], Path(args.one[1]))))
        return
    if args.query:
        print(time_query(args.query))
        return
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.keep, args)
    else:
        with tempfile.TemporaryDirectory(prefix="egov-compact-") as tmp:
            run(Path(tmp), args)


def run(work: Path, args: argparse.Namespace) -> None:
    built = work / "built.duckdb"
    start = time.perf_counter()
    if not built.exists():
        build(built, args.articles, args.rounds)
    print(f"{args.articles:,} real-length articles in batches of {BATCH}, then {args.rounds} rounds re-processing "
          f"{REPROCESSED:.0%} of them ({time.perf_counter() - start:.0f} s)\n")
    paths, costs = {"as loaded": built}, {"as loaded": None}
    for way, label in (("vacuum", "DuckDB vacuum in place"), ("compact", "egov compact")):
        copy = work / way / "warehouse.duckdb"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(built, copy)
        out = subprocess.run([sys.executable, __file__, "--one", way, str(copy)],
                             capture_output=True, text=True, check=True)
        paths[label], costs[label] = copy, json.loads(out.stdout)
    times = alternated_queries(paths, args.query_runs)
    base = statistics.median(times["as loaded"])
    results = {label: ({**warehouse.storage_figures(p), "query_s": statistics.median(times[label]),
                        "query_ratio": statistics.median(times[label]) / base,
                        "query_all": times[label]}, costs[label]) for label, p in paths.items()}
    _table(results, args.query_runs)
    print("\nfacts query seconds, run by run: " + "; ".join(
        f"{label}: " + " ".join(f"{t:.2f}" for t in m["query_all"]) for label, (m, _) in results.items()))


def _table(results: dict, runs: int) -> None:
    print("| | " + " | ".join(results) + " |")
    print("|---|" + "---:|" * len(results))
    rows = [("file MB", lambda m, c: f"{m['bytes'] / 1e6:,.1f}")]
    for table in ("articles", "observations", "pages"):
        rows.append((f"{table}: row groups", lambda m, c, t=table: f"{m['tables'][t]['row_groups']:,}"))
        rows.append((f"{table}: deleted rows kept", lambda m, c, t=table: f"{m['tables'][t]['deleted']:,}"))
    rows += [(f"facts query s (egov query, fresh process, alternated, median of {runs})",
              lambda m, c: f"{m['query_s']:.3f}"),
             ("facts query / as loaded", lambda m, c: f"{m['query_ratio']:.2f}"),
             ("compaction s", lambda m, c: f"{c['seconds']:.1f}" if c else ""),
             ("compaction peak RSS MB (above start)", lambda m, c: f"{c['peak_mb']:,.0f}" if c else "")]
    for name, cell in rows:
        print(f"| {name} | " + " | ".join(cell(m, c) for m, c in results.values()) + " |")


if __name__ == "__main__":
    main()
