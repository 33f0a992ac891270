"""Benchmark: publish a release of 1,000,000 observation rows — CSV + Parquet + DuckDB file,
every row validated — and time each step. Target (issue 6): under 30 s on this machine.

    .venv/bin/python bench/publish.py [--rows 1000000] [--repeat 3]

Builds a synthetic warehouse (real DuckDB, real schemas; rows valid by construction), then
publishes it `--repeat` times, interleaved, each into a fresh releases folder, two ways:
- the gate as configured (publish/release.toml): resources above `frictionless_max_rows` rows
  proven by the Table Schema compiled to SQL, the rest by frictionless;
- frictionless on every row of every resource, in parts, in `workers` processes.
Prints one table of median seconds per step, and the ratio.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import publish  # noqa: E402
import warehouse  # noqa: E402
from publish import settings  # noqa: E402

INDICATORS = ["chip_id_cards_issued", "eid_accounts_activated", "online_application_rate", "egdi_rank"]


def build(path: Path, rows: int, articles: int) -> None:
    with warehouse.connect(path) as con:
        con.execute("INSERT INTO sources (source_id, name, base_url, adapter, default_area) VALUES "
                    "('a.vn', 'Báo A', 'https://a.vn', 'generic', 'Việt Nam'), "
                    "('b.vn', 'Cổng B', 'https://b.vn', 'generic', 'Việt Nam')")
        con.execute(f"""INSERT INTO articles (article_id, url, source_id, title, published, body, adapter, drift, run_id)
            SELECT printf('%016x', i), 'https://a.vn/tin-' || i || '.html', CASE WHEN i % 2 = 0 THEN 'a.vn' ELSE 'b.vn' END,
                   'Tin ' || i, TIMESTAMPTZ '2023-01-01 08:00:00+07' + to_hours(i), 'Thân bài, "trích dẫn".' || chr(10) || 'Đoạn hai.',
                   'generic', false, 'r1'
            FROM range({articles}) t(i)""")
        kinds = "['count', 'count', 'percent', 'rank']"
        con.execute(f"""INSERT INTO observations (observation_id, article_id, source_id, indicator, value, denominator, kind,
                unit, change, qualifier, area, as_of, period_start, text, sentence, start, "end", rule, extractor_version)
            SELECT printf('%016x', i + 1000000000), printf('%016x', i % {articles}),
                   CASE WHEN (i % {articles}) % 2 = 0 THEN 'a.vn' ELSE 'b.vn' END,
                   CASE WHEN i % 3 = 0 THEN {INDICATORS}[1 + (i // 3) % 4] END,
                   CASE WHEN i % 3 = 0 THEN round(1000 * (1 + (i // 3) % 4) + (i % 97), 1) ELSE i * 1.5 END,
                   CASE WHEN i % 3 = 0 AND (i // 3) % 4 = 3 THEN 193 END,
                   CASE WHEN i % 3 = 0 THEN {kinds}[1 + (i // 3) % 4] ELSE 'count' END,
                   'count', false, 'exact', CASE WHEN i % 5 = 0 THEN 'Bắc Giang' ELSE 'Việt Nam' END,
                   DATE '2023-01-01' + CAST(i % 600 AS INTEGER), NULL,
                   'trên ' || i || ' nghìn', 'Đã cấp trên ' || i || ' nghìn thẻ căn cước gắn chíp cho công dân.',
                   i % 5000, i % 5000 + 12, 'count_scale', '1.0'
            FROM range({rows}) t(i)""")
        con.execute(f"""INSERT INTO legal_refs (legal_ref_id, article_id, symbol, type, issued, start, "end", extractor_version)
            SELECT printf('%016x', i + 2000000000), printf('%016x', i), '06/QĐ-TTg', 'Quyết định', DATE '2022-01-06', 0, 9, '1.0'
            FROM range({articles}) t(i)""")


def publish_once(db: Path, out: Path, config) -> dict[str, float]:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with warehouse.connect(db, read_only=True) as con:
        entry = publish.publish_release(con, out, {"bench": True}, config, timings=timings)
    timings["total"] = time.perf_counter() - start
    assert entry is not None, "nothing published"
    return timings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="only the gate as configured (skip the ~2 min variant)")
    args = ap.parse_args()
    base = settings.default()
    variants = {"gate as configured": base,
                f"frictionless every row ({base.workers} processes)": dataclasses.replace(base, frictionless_max_rows=None)}
    if args.quick:
        variants.pop(next(reversed(variants)))
    with tempfile.TemporaryDirectory(prefix="egov-bench-publish-") as tmp:
        tmp = Path(tmp)
        clock = time.perf_counter()
        build(tmp / "w.duckdb", args.rows, args.articles)
        print(f"built a warehouse of {args.rows:,} observations in {time.perf_counter() - clock:.1f} s "
              f"({os.cpu_count()} CPUs)\n")
        runs: dict[str, list[dict]] = {name: [] for name in variants}
        for i in range(args.repeat):
            for name, config in variants.items():  # interleaved: both see the same machine state
                runs[name].append(publish_once(tmp / "w.duckdb", tmp / f"releases-{name[:3]}-{i}", config))
        steps = list(dict.fromkeys(k for r in runs.values() for t in r for k in t))
        names = list(variants)
        print(f"median seconds of {args.repeat} runs, {args.rows:,} observation rows\n")
        print("| step | " + " | ".join(names) + " |")
        print("| --- |" + " ---: |" * len(names))
        for step in steps:
            cells = [f"{statistics.median(t.get(step, 0.0) for t in runs[n]):.2f}" for n in names]
            print(f"| {step} | " + " | ".join(cells) + " |")
        totals = [statistics.median(t["total"] for t in runs[n]) for n in names]
        if len(totals) > 1:
            print(f"\nratio {names[1]} / {names[0]} (total): {totals[1] / totals[0]:.2f}")
        print(f"target < 30 s: {'met' if totals[0] < 30 else 'NOT met'} ({totals[0]:.1f} s, {names[0]})")


if __name__ == "__main__":
    main()
