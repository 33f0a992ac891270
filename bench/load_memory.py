"""Memory of one batch load as the warehouse grows.

Why: the pipeline opens one warehouse connection per batch, so whatever a load reads whole is
read again for every batch. Up to schema version 3 every table had a PRIMARY KEY, which DuckDB
keeps as an ART index and loads whole into memory on a connection's first insert: the load's
transient grew with the warehouse, not with the batch. This benchmark shows that growth and
its removal side by side in one run.

    .venv/bin/python bench/load_memory.py [--sizes 10000,100000] [--repeat 3]

For each size N it builds a warehouse of N real-length articles (~6,200 characters of body,
25 observations each, 500-page batches as the flow loads them), then copies it and adds the
schema-3 key indexes (`CREATE UNIQUE INDEX` on each table's key, what PRIMARY KEY built). Each
repetition loads one batch of 500 new articles into a fresh copy of each, in alternation, in a
fresh process that first did one small load elsewhere (imports and first-call costs are not
the batch's): the table gives the median peak RSS above what that process held before the
load (sampled every 2 ms; not ru_maxrss, which a child started by fork and exec reports as its
parent's when the parent's was higher), and the median seconds.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402

import schemas  # noqa: E402
import warehouse  # noqa: E402
from extractors.extract import EXTRACTOR_VERSION  # noqa: E402
from warehouse import rows  # noqa: E402

BATCH = 500              # pages a batch of the flow holds (flows/settings.toml batch_pages)
FIGURES = 25             # observations per article
BODY_CHARS = 6200        # a real article's body (the seed articles)
WORDS = ("chuyển đổi số dịch vụ công trực tuyến hồ sơ thủ tục hành chính người dân doanh nghiệp "
         "tỉnh thành phố cơ sở dữ liệu quốc gia định danh điện tử tài khoản kích hoạt thanh toán "
         "triển khai đề án nhiệm vụ giải pháp hiệu quả nâng cao chất lượng phục vụ").split()


def make_batch(first: int, n: int = BATCH) -> dict[str, list[dict]]:
    """Articles first … first+n-1, as the stages hand them to the loader (ids as they make them)."""
    rng = random.Random(first)
    batch: dict[str, list[dict]] = {"pages": [], "articles": [], "observations": []}
    for i in range(first, first + n):
        page = {"url": f"https://site{i % 8}.example/tin/{i}.html", "site_id": f"site{i % 8}",
                "fetched_at": "2026-01-01T00:00:00+00:00", "status": 200, "content_type": "text/html",
                "sha256": f"{i:064x}", "bytes": 40_000, "archive_path": f"archive/{i}.html"}
        body = " ".join(rng.choices(WORDS, k=BODY_CHARS // 3))[:BODY_CHARS]
        article = rows.article_row(page, {"title": body[:90], "published": "2026-01-01T08:00:00+07:00",
                                          "lead": body[:300], "body": body}, "bench")
        figures = [{"value": rng.random() * 1e6, "kind": "count", "change": False, "qualifier": "exact",
                    "indicator": "online_public_services", "area": "Việt Nam", "as_of": "2026-01-01",
                    "text": f"{k} triệu", "sentence": body[k * 200:k * 200 + 200], "start": k * 200,
                    "end": k * 200 + 8, "rule": "bench", "subject": "hồ sơ"} for k in range(FIGURES)]
        batch["pages"].append(rows.page_row(page, "bench"))
        batch["articles"].append(article)
        batch["observations"] += rows.observation_rows(article, figures, EXTRACTOR_VERSION)
    return batch


def build(path: Path, n_articles: int) -> None:
    for first in range(0, n_articles, BATCH):
        with warehouse.connect(path) as con:
            warehouse.load_batch(con, make_batch(first, min(BATCH, n_articles - first)))


def add_key_indexes(path: Path) -> None:
    """The ART indexes schema 3's PRIMARY KEYs kept, on the same rows."""
    with duckdb.connect(str(path)) as con:
        for table in schemas.STORED:
            keys = ", ".join(f'"{k}"' for k in schemas.load(table)["primaryKey"])
            con.execute(f'CREATE UNIQUE INDEX "{table}_key" ON "{table}" ({keys})')


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def peak_above_start(work, interval: float = 0.002) -> tuple[float, float]:
    """(peak RSS above the process's RSS before `work()`, MB, sampled every `interval` s; seconds)."""
    base = peak = _rss_mb()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_mb())
            time.sleep(interval)

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    try:
        work()
    finally:
        done.set()
        sampler.join()
    return peak - base, time.perf_counter() - start


def one_load(path: Path, scratch: Path) -> tuple[float, float]:
    """(peak RSS above the process's RSS before the load, MB; seconds) of one new batch."""
    with warehouse.connect(scratch) as con:            # warm-up: imports, first calls
        warehouse.load_batch(con, make_batch(10**8, 5))
    batch = make_batch(10**7)

    def load() -> None:
        with warehouse.connect(path) as con:
            warehouse.load_batch(con, batch)
    return peak_above_start(load)


def _measure(source: Path, work: Path) -> tuple[float, float]:
    target = work / "load.duckdb"
    shutil.copy(source, target)
    scratch = work / "scratch.duckdb"
    scratch.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, __file__, "--one", str(target), str(scratch)],
                         capture_output=True, text=True, check=True)
    mb, seconds = out.stdout.split()
    return float(mb), float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="articles already in the warehouse, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        mb, seconds = one_load(*args.one)
        print(f"{mb:.1f} {seconds:.3f}")
        return
    print(f"One batch of {BATCH} new real-length articles ({BATCH * FIGURES:,} observations) loaded into a "
          f"warehouse of N articles; medians of {args.repeat}, alternating\n")
    print(f"| {'N articles':>10} | {'observations':>12} | {'key indexes (v3) MB':>19} | {'no index (v4) MB':>16} "
          f"| {'v3 s':>5} | {'v4 s':>5} |")
    print(f"|{'-' * 12}|{'-' * 14}|{'-' * 21}|{'-' * 18}|{'-' * 7}|{'-' * 7}|")
    with tempfile.TemporaryDirectory(prefix="egov-loadmem-") as tmp:
        work = Path(tmp)
        for n in (int(s) for s in args.sizes.split(",")):
            plain, keyed = work / f"v4-{n}.duckdb", work / f"v3-{n}.duckdb"
            build(plain, n)
            shutil.copy(plain, keyed)
            add_key_indexes(keyed)
            runs: dict[str, list[tuple[float, float]]] = {"v3": [], "v4": []}
            for _ in range(args.repeat):
                runs["v3"].append(_measure(keyed, work))
                runs["v4"].append(_measure(plain, work))
            med = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for k, v in runs.items()}
            print(f"| {n:>10,} | {n * FIGURES:>12,} | {med['v3'][0]:>19.0f} | {med['v4'][0]:>16.0f} "
                  f"| {med['v3'][1]:>5.2f} | {med['v4'][1]:>5.2f} |", flush=True)
            keyed.unlink()
            plain.unlink()


if __name__ == "__main__":
    main()
