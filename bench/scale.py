"""Scale benchmark: crawl → clean → extract → load → validated release on N synthetic articles.

    .venv/bin/python bench/scale.py                 # N = 1,000 and 10,000
    .venv/bin/python bench/scale.py --full          # and 100,000
    .venv/bin/python bench/scale.py --sizes 2000 --no-flow
    .venv/bin/python bench/scale.py --sizes 10000 --body-chars 6200   # real-length bodies
    .venv/bin/python bench/scale.py --sizes 20000 --no-staged --body-chars 6200 --sample 5   # growth per 1,000 pages

Why --body-chars: the synthetic bodies are ~950 characters, real articles on these sites
~6,200; text storage, cleaning, extraction and publishing cost with the text, so the default run
understates a real corpus. With it the mirror pads every body to at least N characters with
background prose (no figures: the gold stays the same) and the table says so in its header.

Why two runs per size: the headline is the real Prefect flow `refresh` (what users run: the
temporary Prefect server, task bookkeeping and all), and the per-stage rates come from a second,
staged run that calls the same stage functions in the same order as the flow (crawl every site
concurrently, then clean + extract, then load, then publish) with a timer around each stage.

Each (size, mode) runs in its own Python process so that its peak RSS (getrusage) is its own; the
synthetic mirror (mirror/synthetic.py) is served by yet another process, so its rendering does
not share the pipeline's GIL (on this 2-core machine it still shares the CPUs: the crawl rate is
a lower bound of what a real crawl of N pages would cost us). Politeness is lifted through a copy
of config/sources.toml: 1,000 requests/s and 32 connections per host, no Crawl-delay, no page
budget.

Targets (issue 8): 10,000 articles < 120 s; 100,000 < 20 min; linear growth (exponent ≈ 1);
peak memory < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# No per-run page budget either: the registry's max_articles (1,000 a site) would otherwise stop
# a crawl of 10,000 synthetic articles over 8 sites at 8,000.
FAST = {"requests_per_second": 1000.0, "concurrency": 32, "obey_crawl_delay": False, "max_connections": 64,
        "max_articles": 10_000_000}


# ----------------------------------------------------------------------------- set-up
def fast_registry(path: Path) -> Path:
    """config/sources.toml with politeness lifted (a benchmark against our own loopback server)."""
    reg = tomllib.loads((REPO / "config" / "sources.toml").read_text(encoding="utf-8"))
    lines = ["[defaults]"] + [f"{k} = {_toml(v)}" for k, v in {**reg["defaults"], **FAST}.items()]
    for site in reg["site"]:
        lines += ["", "[[site]]"]
        lines += [f"{k} = {_toml(v)}" for k, v in {**site, **FAST}.items() if k != "discovery"]
        for entry in site["discovery"]:
            lines += ["[[site.discovery]]"] + [f"{k} = {_toml(v)}" for k, v in entry.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


class Mirror:
    """`python -m mirror.synthetic` in its own process, on a free port."""

    def __init__(self, n: int, seed: int, body_chars: int | None = None):
        length = ["--body-chars", str(body_chars)] if body_chars else []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mirror.synthetic", "--articles", str(n), "--seed", str(seed), "--port", "0",
             *length], cwd=REPO, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.url = line.rsplit(" on ", 1)[-1].strip().rstrip("/")

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _env(home: Path) -> None:
    os.environ.update(PREFECT_HOME=str(home / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                      DO_NOT_TRACK="1", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
                      PREFECT_LOGGING_LEVEL="WARNING")
    os.environ.pop("PREFECT_API_URL", None)


# ----------------------------------------------------------------------------- one measurement
def run_flow(n: int, seed: int, home: Path, body_chars: int | None = None) -> dict:
    _env(home)
    registry = fast_registry(home / "sources.toml")
    from flows.refresh import refresh

    with Mirror(n, seed, body_chars) as url:
        t0 = time.perf_counter()
        result = refresh(mirror=url, home=str(home), registry=str(registry))
        wall = time.perf_counter() - t0
    run = result["run"]
    return {"wall": wall, "articles": run["articles"], "observations": run["observations"],
            "pages": run["pages_fetched"], "status": run["status"],
            "release": (result["release"] or {}).get("version"),
            "problems": {site: {k: r[k] for k in ("failed", "drift", "errors")}
                         for site, r in result["sites"].items() if r["failed"] or r["drift"] or r["errors"]}}


def run_stages(n: int, seed: int, home: Path, body_chars: int | None = None) -> dict:
    """The flow's stages called directly, in the flow's order, each timed."""
    _env(home)
    registry = fast_registry(home / "sources.toml")
    import publish
    import warehouse
    from extractors.clean import clean
    from extractors.extract import EXTRACTOR_VERSION, extract
    from extractors.fetch import crawl_site_sync
    from extractors.registry import load_sites
    from flows import refresh as flow
    from flows import settings
    from warehouse import rows
    from warehouse.frontier import Frontier

    h = settings.home(home)
    sites = load_sites(registry)
    times: dict[str, float] = {}
    with Mirror(n, seed, body_chars) as url:
        run = flow._start_run(h, sites, url)
        t0 = time.perf_counter()
        frontier = Frontier(h.frontier / "bench.sqlite")  # shared by the site threads
        with ThreadPoolExecutor(len(sites)) as pool:  # the flow's thread task runner: sites at once
            crawls = list(pool.map(lambda s: crawl_site_sync(s, h.archive, mirror=url, frontier=frontier), sites))
        frontier.close()
        times["crawl"] = time.perf_counter() - t0
    pages = [(s, p) for s, c in zip(sites, crawls) for p in c.pages]
    batch = {"pages": [], "articles": [], "observations": [], "legal_refs": []}
    t0 = time.perf_counter()
    cleaned = []
    for site, page in pages:
        page["archive_path"] = os.path.relpath(page["archive_path"], h.root) if page.get("archive_path") else None
        batch["pages"].append(rows.page_row(page, run["run_id"]))
        if page.get("error"):
            continue
        article = clean((h.root / page["archive_path"]).read_bytes(), url=page["url"], adapter=site["adapter"])
        if article["is_article"]:
            cleaned.append((site, rows.article_row(page, article, run["run_id"])))
    times["clean"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for site, row in cleaned:
        facts = extract(row["body"], row["published"], default_area=site["area"], title=row["title"])
        batch["articles"].append(row)
        batch["observations"] += rows.observation_rows(row, facts["observations"], EXTRACTOR_VERSION)
        batch["legal_refs"] += rows.legal_ref_rows(row, facts["legal_refs"], EXTRACTOR_VERSION)
    times["extract"] = time.perf_counter() - t0
    loaded = sum(len(v) for v in batch.values())
    t0 = time.perf_counter()
    with warehouse.connect(h.warehouse) as con:
        warehouse.load_batch(con, batch)
    times["load"] = time.perf_counter() - t0
    report = {s["id"]: {"fetched": len(c.pages), "unchanged": 0, "failed": len(c.failed), "articles": 0,
                        "drift": 0, "errors": c.errors} for s, c in zip(sites, crawls)}
    run = flow._finish_run(h, run, report)
    t0 = time.perf_counter()
    with warehouse.connect(h.warehouse) as con:
        release = publish.publish_release(con, h.releases, flow.provenance(h, run))
    times["publish"] = time.perf_counter() - t0
    published = _release_rows(h.releases / release["version"]) if release else 0
    return {"times": times, "wall": sum(times.values()), "pages": len(pages), "articles": len(batch["articles"]),
            "observations": len(batch["observations"]), "rows_loaded": loaded, "rows_published": published,
            "body_chars_mean": sum(len(r["body"] or "") for r in batch["articles"]) / max(1, len(batch["articles"])),
            "errors": sum(len(c.errors) for c in crawls), "release": (release or {}).get("version")}


def _release_rows(folder: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in (folder / "data").glob("*.parquet"))


class Sampler:
    """This process's RSS and glibc heap every `every` s, against the pages crawled so far: the
    crawl-and-load phase's growth per 1,000 pages (a least-squares slope between 10% and 97.5%
    of the pages; one peak says nothing about growth). The heap is mallinfo2's arena bytes."""

    def __init__(self, every: float):
        import ctypes
        import threading

        self.every, self.pages, self.samples, self.stop = every, 0, [], threading.Event()
        fields = ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")
        self._info = type("MallInfo2", (ctypes.Structure,), {"_fields_": [(f, ctypes.c_size_t) for f in fields]})
        self._libc = ctypes.CDLL(None)
        self._libc.mallinfo2.restype = self._info
        self.thread = threading.Thread(target=self._run, daemon=True)

    def listener(self, stage: str, done: int, total: int) -> None:
        if stage == "pages":
            self.pages += done

    def _run(self) -> None:
        while not self.stop.wait(self.every):
            rss = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
            self.samples.append((self.pages, rss, self._libc.mallinfo2().arena / 2**20))

    def slopes(self, n: int) -> dict:
        crawl = [s for s in self.samples if 0.1 * n < s[0] < 0.975 * n]
        if len(crawl) < 3:
            return {}
        xs = [s[0] / 1000 for s in crawl]
        mean = sum(xs) / len(xs)
        spread = sum((x - mean) ** 2 for x in xs) or 1.0

        def slope(k: int) -> float:
            ys = [s[k] for s in crawl]
            return sum((x - mean) * (y - sum(ys) / len(ys)) for x, y in zip(xs, ys)) / spread
        return {"crawl_rss_slope": slope(1), "crawl_heap_slope": slope(2), "crawl_samples": len(crawl)}


def one(mode: str, n: int, seed: int, body_chars: int | None = None, sample_s: float = 0) -> None:
    """Child-process entry: one measurement, printed as a JSON line with this process's peak RSS."""
    sampler = Sampler(sample_s) if sample_s and mode == "flow" else None
    with tempfile.TemporaryDirectory(prefix=f"egov-scale-{mode}-{n}-") as tmp:
        if sampler:
            from flows import progress

            sampler.thread.start()
            with progress.listening(sampler.listener):
                result = run_flow(n, seed, Path(tmp), body_chars)
            sampler.stop.set()
            result.update(sampler.slopes(n))
        else:
            result = (run_flow if mode == "flow" else run_stages)(n, seed, Path(tmp), body_chars)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["children_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("RESULT " + json.dumps(result), flush=True)


def measure(mode: str, n: int, seed: int, body_chars: int | None = None, sample_s: float = 0) -> dict:
    length = ["--body-chars", str(body_chars)] if body_chars else []
    length += ["--sample", str(sample_s)] if sample_s else []
    out = subprocess.run([sys.executable, __file__, "--one", mode, str(n), "--seed", str(seed), *length],
                         cwd=REPO, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"bench/scale.py: {mode} run of {n} articles failed:\n{out.stderr[-3000:]}")


# ----------------------------------------------------------------------------- the table
def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10000])
    ap.add_argument("--full", action="store_true", help="also 100,000 articles")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-flow", action="store_true", help="staged run only (no Prefect flow)")
    ap.add_argument("--no-staged", action="store_true", help="flow run only (no per-stage rates)")
    ap.add_argument("--body-chars", type=int, default=None, metavar="N",
                    help="pad every synthetic body to at least N characters (real articles: ~6,200)")
    ap.add_argument("--sample", type=float, default=0, metavar="S",
                    help="sample the flow's RSS and heap every S s: growth per 1,000 pages crawled")
    ap.add_argument("--one", nargs=2, metavar=("MODE", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        return one(args.one[0], int(args.one[1]), args.seed, args.body_chars, args.sample)
    sizes = args.sizes + ([100_000] if args.full and 100_000 not in args.sizes else [])
    rows = []
    for n in sizes:
        staged = None if args.no_staged else measure("stages", n, args.seed, args.body_chars)
        flow = None if args.no_flow else measure("flow", n, args.seed, args.body_chars, args.sample)
        rows.append((n, staged, flow))
        print(f"... {n} articles done", file=sys.stderr, flush=True)
    print_table(rows, args.seed, args.body_chars)


def print_table(rows: list, seed: int = 1, body_chars: int | None = None) -> None:
    bodies = (f"bodies padded to ≥ {body_chars:,} characters" if body_chars
              else "bodies as generated (~950 characters)")
    print(f"synthetic corpus, seed {seed}, {bodies}\n")
    head = ("N", "flow s", "staged s", "crawl p/s", "clean p/s", "extract a/s", "load rows/s",
            "publish rows/s", "articles", "observations", "flow peak RSS MB", "staged peak RSS MB", "largest child MB")
    print("| " + " | ".join(head) + " |")
    print("|" + "---:|" * len(head))
    for n, s, f in rows:
        rates = ["-"] * 5
        if s:
            t = s["times"]
            rates = [f"{s['pages'] / t['crawl']:.0f}", f"{s['pages'] / t['clean']:.0f}",
                     f"{s['articles'] / t['extract']:.0f}", f"{s['rows_loaded'] / t['load']:.0f}",
                     f"{s['rows_published'] / t['publish']:.0f}"]
        either = s or f
        cells = [f"{n:,}", f"{f['wall']:.1f}" if f else "-", f"{s['wall']:.1f}" if s else "-", *rates,
                 f"{either['articles']:,}", f"{either['observations']:,}",
                 f"{f['rss_mb']:.0f}" if f else "-", f"{s['rss_mb']:.0f}" if s else "-",
                 f"{max(r['children_rss_mb'] for r in (s, f) if r):.0f}"]
        print("| " + " | ".join(cells) + " |")
    staged = [(n, s) for n, s, _ in rows if s]
    if staged:
        print("\nMean cleaned body (staged run): " + "; ".join(
            f"{n:,}: {s['body_chars_mean']:,.0f} characters" for n, s in staged))
        print("Stage seconds (staged run): " + "; ".join(
            f"{n:,}: " + ", ".join(f"{k} {v:.1f}" for k, v in s["times"].items()) for n, s in staged))
    for n, _, f in rows:
        if f and "crawl_rss_slope" in f:
            print(f"flow {n:,}: crawl-and-load phase grows {f['crawl_rss_slope']:.1f} MB RSS and "
                  f"{f['crawl_heap_slope']:.1f} MB glibc heap per 1,000 pages ({f['crawl_samples']} samples)")
    for (n1, s1, f1), (n2, s2, f2) in zip(rows, rows[1:]):
        ratio = math.log(n2 / n1)
        parts = []
        if s1 and s2:
            parts.append(f"staged exponent {math.log(s2['wall'] / s1['wall']) / ratio:.2f}")
        if f1 and f2:
            parts.append(f"flow exponent {math.log(f2['wall'] / f1['wall']) / ratio:.2f}")
        print(f"growth {n1:,} → {n2:,}: " + ", ".join(parts))
    for n, s, f in rows:
        if f and (f["status"] != "ok" or (s and f["articles"] != s["articles"])):
            print(f"note: {n:,}: flow run status {f['status']}, {f['articles']} articles"
                  + (f" (staged {s['articles']})" if s else "") + "; "
                  + json.dumps(f.get("problems"), ensure_ascii=False)[:600])


if __name__ == "__main__":
    main()
