"""Throughput of the CPU-bound stages (clean + extract) on one vs two Dask worker processes
(issue 8 target: two workers at least 1.7x one worker's pages/s).

Why this shape: cleaning and extraction are pure functions of a page, so they scale out by
handing batches of pages to processes — the same thing `egov refresh --dask N` does through
prefect-dask, without the crawl and Prefect bookkeeping in the measurement. Pages come from the
synthetic corpus (mirror/synthetic.py: real templates, any count, deterministic), are rendered
once into an archive folder, and each worker reads its batch's files, as the flow's clean+extract
task reads the crawl archive. Beside wall time, each worker's CPU seconds are summed: on a loaded
machine the wall-clock ratio says what the load left over, the CPU figure whether the work split.
Each cluster is started and warmed up (imports, compiled regexes) before it is timed; the 1- and
2-worker runs alternate so both see the same machine load, which is printed beside the figures
(this is a shared 2-core machine).

    .venv/bin/python bench/parallel.py [--pages 2000] [--batch 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from extractors.clean import clean
from extractors.extract import extract
from extractors.registry import load_sites
from mirror.synthetic import SyntheticCorpus


def corpus_pages(n: int, folder: Path, seed: int = 1) -> list[tuple[str, str, str, str]]:
    """(url, adapter, default area, archived file) of the first `n` synthetic article pages."""
    corpus = SyntheticCorpus(n, seed=seed)
    sites = {s["id"]: s for s in load_sites()}
    pages = []
    for i in range(n):
        url = corpus.url(i)
        site = sites[corpus.sites[corpus.site_of(i)].conf["id"]]
        host, _, path = url.split("://", 1)[1].partition("/")
        status, _, body = corpus.page(host, "/" + path)
        if status == 200:
            path = folder / f"{i}.html"
            path.write_bytes(body)
            pages.append((url, site["adapter"], site["area"], str(path)))
    return pages


def clean_extract(batch: list[tuple[str, str, str, str]]) -> tuple[int, int, int, float]:
    """The per-page work of flows.tasks' clean+extract task: (pages, articles, observations, CPU s)."""
    cpu = time.process_time()
    articles = observations = 0
    for url, adapter, area, path in batch:
        article = clean(Path(path).read_bytes(), url=url, adapter=adapter)
        if article["is_article"]:
            facts = extract(article["body"], article["published"], default_area=area,
                            title=article["title"], tables=article.get("tables"))
            articles += 1
            observations += len(facts["observations"])
    return len(batch), articles, observations, time.process_time() - cpu


def timed_run(client, batches: list) -> tuple[float, float, tuple[int, int, int]]:
    """Wall seconds, worker CPU seconds, and (pages, articles, observations)."""
    start = time.perf_counter()
    results = client.gather(client.map(clean_extract, batches, pure=False))
    elapsed = time.perf_counter() - start
    totals = tuple(map(sum, zip(*results)))
    return elapsed, totals[3], totals[:3]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=50, help="pages per task (a flow makes one task per site batch)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    archive = tempfile.TemporaryDirectory(prefix="bench-parallel-")
    pages = corpus_pages(args.pages, Path(archive.name))
    batches = [pages[i:i + args.batch] for i in range(0, len(pages), args.batch)]
    size = sum(Path(p[3]).stat().st_size for p in pages) / len(pages) / 1024
    print(f"{len(pages)} synthetic pages ({size:.1f} KiB each), {len(batches)} batches of {args.batch}; "
          f"{os.cpu_count()} CPUs")

    times: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    loads: list[float] = []
    totals = None
    for run in range(args.runs):
        for n in (1, 2):
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                client.gather(client.map(clean_extract, batches[:n], pure=False))  # warm every worker
                loads.append(os.getloadavg()[0])
                elapsed, cpu, counts = timed_run(client, batches)
            assert totals in (None, counts), f"{n} workers found {counts}, earlier runs {totals}"
            totals = counts
            times[n].append(elapsed)
            cpus[n].append(cpu)
            print(f"  run {run + 1}, {n} worker(s): {elapsed:.2f} s wall, {cpu:.2f} s CPU, load {loads[-1]:.2f}")

    one = statistics.median(times[1])
    print(f"\n{totals[0]} pages, {totals[1]} articles, {totals[2]} observations (identical on 1 and 2 workers)")
    print(f"load average (1 min) before the timed runs: min {min(loads):.2f}, max {max(loads):.2f}\n")
    print("| Dask workers (processes) | median wall s | pages/s | vs 1 worker | runs (s) | median CPU s | pages per CPU s |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")
    for n, ts in times.items():
        med, cpu = statistics.median(ts), statistics.median(cpus[n])
        print(f"| {n} | {med:.2f} | {totals[0] / med:.0f} | {one / med:.2f}x | {', '.join(f'{t:.2f}' for t in ts)} "
              f"| {cpu:.2f} | {totals[0] / cpu:.0f} |")
    print("\ntarget: 2 workers >= 1.70x one worker (wall clock); needs two idle cores")
    archive.cleanup()


if __name__ == "__main__":
    main()
