"""Warehouse load benchmark: 1,000,000 observation rows, first load and unchanged re-load,
against a plain DuckDB insert of the same Arrow rows, side by side in one run.

    .venv/bin/python bench/warehouse.py [--rows 1000000] [--repeat 5]

Each repetition uses a fresh warehouse file. Timed: `warehouse.load_batch` (one transaction:
hash, anti-join on id+hash, insert, commit — including DuckDB's checkpoint of the WAL), and the
baselines `INSERT INTO t SELECT * FROM arrow` into an unkeyed table and into a table with the
same primary key. Targets (issue 5): first load < 3 s; unchanged re-load writes 0 rows and
takes < 20% of the first load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import warehouse  # noqa: E402
from warehouse.ddl import arrow_schema, create_table  # noqa: E402
from warehouse.rows import stable_id  # noqa: E402

PER_ARTICLE = 100
INDICATORS = np.array(["chip_id_cards_issued", "eid_accounts_activated", None, "online_public_services"], dtype=object)


def make_batch(n_rows: int, seed: int = 0) -> dict[str, pa.Table]:
    """Realistic-shaped rows: 100 figures per article, ids as the pipeline makes them."""
    rng = np.random.default_rng(seed)
    n_articles = n_rows // PER_ARTICLE
    article_ids = np.array([stable_id("https://baochinhphu.vn/a-%d.htm" % i) for i in range(n_articles)], dtype=object)
    art = np.repeat(np.arange(n_articles), PER_ARTICLE)
    pos = np.tile(np.arange(PER_ARTICLE), n_articles)
    sites = np.array(["baochinhphu.vn", "moha.gov.vn", "mic.gov.vn"], dtype=object)
    obs = {
        "observation_id": pa.array([stable_id(a, p) for a, p in zip(article_ids[art], pos)]),
        "article_id": pa.array(article_ids[art]),
        "source_id": pa.array(sites[art % 3]),
        "indicator": pa.array(INDICATORS[pos % 4]),
        "value": pa.array(np.round(rng.random(n_rows) * 1e8, 2)),
        "kind": pa.array(np.where(pos % 2 == 0, "count", "percent").astype(object)),
        "unit": pa.array(np.where(pos % 2 == 0, "count", "%").astype(object)),
        "change": pa.array(pos % 7 == 0),
        "qualifier": pa.array(np.array(["exact", "approx", "at_least"], dtype=object)[pos % 3]),
        "area": pa.array(np.array(["Việt Nam", "Hà Nội", "Đà Nẵng"], dtype=object)[art % 3]),
        "as_of": pa.array((19000 + art % 1500).astype("int32")).cast(pa.date32()),
        "text": pa.array(np.array(["83,76 triệu", "62,7%", "36/63"], dtype=object)[pos % 3]),
        "sentence": pa.array(np.array([f"Đến nay đã cấp trên {k} triệu thẻ căn cước gắn chíp cho công dân."
                                       for k in range(50)], dtype=object)[pos % 50]),
        "start": pa.array(pos * 40), "end": pa.array(pos * 40 + 11),
        "rule": pa.array(np.array(["scaled_number"] * n_rows, dtype=object)),
        "extractor_version": pa.array(np.array(["0.4.0"] * n_rows, dtype=object)),
    }
    articles = {
        "article_id": pa.array(article_ids), "url": pa.array([f"https://baochinhphu.vn/a-{i}.htm" for i in range(n_articles)]),
        "source_id": pa.array(sites[np.arange(n_articles) % 3]), "title": pa.array(["Tiêu đề"] * n_articles),
        "body": pa.array(["Nội dung bài viết. " * 50] * n_articles), "adapter": pa.array(["generic"] * n_articles),
        "run_id": pa.array(["bench"] * n_articles),
    }
    return {"articles": warehouse.to_arrow("articles", pa.table(articles)),
            "observations": warehouse.to_arrow("observations", pa.table(obs))}


def plain_insert(folder: Path, rows: pa.Table, keyed: bool) -> float:
    ddl = create_table("observations").replace(",\n  \"_row_hash\" UBIGINT", "")
    if keyed:   # as the warehouse was up to schema version 3
        ddl = ddl.removesuffix("\n)") + ',\n  PRIMARY KEY ("observation_id")\n)'
    with duckdb.connect(str(folder / f"plain-{keyed}.duckdb")) as con:
        con.execute(ddl)
        start = time.perf_counter()
        con.register("rows", rows)
        con.execute("INSERT INTO observations SELECT * FROM rows")
        return time.perf_counter() - start


def warehouse_loads(folder: Path, batch: dict) -> tuple[float, float, dict, dict]:
    with warehouse.connect(folder / "w.duckdb") as con:
        start = time.perf_counter()
        first = warehouse.load_batch(con, batch)
        t_first = time.perf_counter() - start
        start = time.perf_counter()
        again = warehouse.load_batch(con, batch)
        t_again = time.perf_counter() - start
    return t_first, t_again, first, again


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    batch = make_batch(args.rows)
    assert batch["observations"].schema == arrow_schema("observations")
    times: dict[str, list[float]] = {"plain": [], "keyed": [], "first": [], "again": []}
    changed_again = set()
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="egov-bench-") as tmp:
            folder = Path(tmp)
            times["plain"].append(plain_insert(folder, batch["observations"], keyed=False))
            times["keyed"].append(plain_insert(folder, batch["observations"], keyed=True))
            t_first, t_again, first, again = warehouse_loads(folder, batch)
            assert first["observations"] == args.rows, first
            times["first"].append(t_first)
            times["again"].append(t_again)
            changed_again.add(sum(again.values()))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.rows:,} observation rows (+ {args.rows // PER_ARTICLE:,} articles for the warehouse loads), "
          f"median of {args.repeat}, duckdb {duckdb.__version__}\n")
    print("| load | median s | min s | max s | vs plain insert |")
    print("| --- | ---: | ---: | ---: | ---: |")
    labels = {"plain": "plain DuckDB insert from Arrow, no key", "keyed": "plain DuckDB insert from Arrow, primary key",
              "first": "warehouse.load_batch, first load", "again": "warehouse.load_batch, unchanged re-load"}
    for key, label in labels.items():
        print(f"| {label} | {med[key]:.3f} | {min(times[key]):.3f} | {max(times[key]):.3f} | {med[key] / med['plain']:.2f}× |")
    print(f"\nunchanged re-load: rows changed {sorted(changed_again)}, time {med['again'] / med['first']:.1%} of the first load")
    ok = med["first"] < 3.0 and changed_again == {0} and med["again"] < 0.2 * med["first"]
    print("targets (first < 3 s, re-load 0 rows and < 20%):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
