"""Crawler benchmark: throughput against a bare httpx loop, politeness accuracy, incremental bytes.

    .venv/bin/python bench/crawl.py [--articles 1000] [--rounds 5] [--baseline /path/to/older/checkout]

Why a synthetic site: the bundled mirror has a few dozen articles, too few to time; this builds a
mirror-format site of `--articles` pages (each a real mirror article page with its text varied)
in a temporary folder and serves it with the real MirrorServer on loopback. Side by side in one
run, medians over `--rounds`:

1. politeness lifted: crawl_site (discovery, robots, archive, WARC included), with the in-memory
   frontier and with the warehouse's SQLite frontier, vs a bare httpx.AsyncClient loop fetching
   the same article URLs — pages/s and their ratio (target: ≥ 0.80). The server runs in a
   process of its own and each measurement in a fresh process, so the crawler's own cost is
   what is compared (with the server in-process both share one GIL and the server dominates).
   `--baseline DIR` measures another checkout's crawler (e.g. `git worktree add /tmp/old HEAD~1`)
   in the same rounds, interleaved: before/after side by side;
2. politeness on (requests_per_second from the registry-shaped site): the measured per-host rate,
   its highest 1-second window and its smallest gap between requests (target: never above the
   limit, ≥ 90% of it);
4. `--synthetic N`: instead of 1–3, the crawl stage of bench/scale.py — every registry site at
   once, one thread each, politeness lifted as there, against `mirror.synthetic` with N articles
   in its own process — with the same rounds and `--baseline` interleaving, with the in-memory
   frontier (as bench/scale.py's staged run) and with one warehouse frontier shared by the site
   threads (as the `refresh` flow, which is resumable by default); pages/s (wall) and
   the crawling process's CPU ms per page (user + sys: steadier than wall time on a shared
   machine).
3. incremental: bytes the server sent for a re-crawl of the unchanged site with `seen` from the
   first crawl, over the first crawl's (target: < 5%).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.fetch import MirrorTransport, crawl_site  # noqa: E402
from mirror.server import MirrorServer  # noqa: E402

HOST = "bench.example.gov.vn"
UA = "egov-data/0.1 (+https://github.com/egov-data/egov-data; benchmark)"
MIRROR_SITES = Path(__file__).resolve().parents[1] / "mirror" / "sites"


def build_site(root: Path, articles: int) -> list[str]:
    """A mirror-format site of `articles` pages, a robots.txt and one sitemap; their URLs."""
    template = next(MIRROR_SITES.glob("baochinhphu.vn/*-102*.htm")).read_text(encoding="utf-8")
    site = root / HOST
    site.mkdir(parents=True)
    urls = []
    for n in range(articles):
        name = f"tin-so-{n:05d}-102{n:09d}.htm"
        (site / name).write_text(template.replace("Đề án 06", f"Đề án 06 (bản {n})"), encoding="utf-8")
        urls.append(f"https://{HOST}/{name}")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", encoding="utf-8")
    locs = "".join(f"<url><loc>{u}</loc><lastmod>2024-10-01</lastmod></url>" for u in urls)
    (site / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>',
        encoding="utf-8")
    return urls


def site_config(**overrides) -> dict:
    site = {
        "id": HOST, "name": "bench", "base_url": f"https://{HOST}", "adapter": "generic", "area": "Việt Nam",
        "article_url": rf"^https://{HOST.replace('.', '[.]')}/tin-so-\d+-102\d+\.htm$", "user_agent": UA,
        "requests_per_second": 1e6, "concurrency": 64, "max_connections": 64, "timeout_s": 20.0,
        "max_retries": 3, "max_bytes": 5_000_000, "max_pages": 200, "obey_crawl_delay": False,
        "discovery": [{"kind": "sitemap", "urls": [f"https://{HOST}/sitemap.xml"]}],
    }
    site.update(overrides)
    return site


async def bare_loop(base: str, urls: list[str], connections: int = 64) -> float:
    """The limit for this client: as many GETs at once as connections, nothing else."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(transport=MirrorTransport(base, limits=limits), timeout=20.0) as client:
        gate = asyncio.Semaphore(connections)

        async def one(url: str) -> None:
            async with gate:
                (await client.get(url, headers={"User-Agent": UA})).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(u) for u in urls))
        return len(urls) / (time.perf_counter() - started)


async def ours(base: str, work: Path, n: int, **site) -> tuple[float, object]:
    started = time.perf_counter()
    result = await crawl_site(site_config(**site), work, mirror=base)
    elapsed = time.perf_counter() - started
    ok = sum(1 for p in result.pages if p["status"] == 200)
    assert ok == n and not result.errors, (ok, result.errors[:3])
    return ok / elapsed, result


CONNECTIONS = 16   # the bare loop's best on this 2-core machine (64: 255 pages/s, 16: 512)
REPO = Path(__file__).resolve().parents[1]


def measure(code: Path, mode: str, base: str, work: Path, n: int) -> float:
    """One throughput figure, in a fresh process running the crawler of checkout `code`."""
    out = subprocess.run([sys.executable, __file__, "--one", str(code), mode, base, str(work), str(n)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def one(code: str, mode: str, base: str, work: str, n: int) -> None:
    """`--one`: print pages/s of `mode` (bare | memory | warehouse) with checkout `code`'s crawler."""
    sys.path.insert(0, code)
    for name in [m for m in sys.modules if m.split(".")[0] in ("extractors", "warehouse")]:
        del sys.modules[name]
    from extractors.fetch import crawl_site as theirs
    urls = [f"https://{HOST}/tin-so-{k:05d}-102{k:09d}.htm" for k in range(n)]
    if mode == "bare":
        print(asyncio.run(bare_loop(base, urls, CONNECTIONS)))
        return
    frontier = None
    if mode == "warehouse":
        from warehouse.frontier import Frontier
        Path(work).mkdir(parents=True, exist_ok=True)
        frontier = Frontier(Path(work) / "frontier.sqlite")
    site = site_config(concurrency=CONNECTIONS, max_connections=CONNECTIONS)
    started = time.perf_counter()
    result = asyncio.run(theirs(site, Path(work) / "archive", mirror=base, frontier=frontier))
    elapsed = time.perf_counter() - started
    if frontier is not None:
        frontier.close()
    ok = sum(1 for p in result.pages if p["status"] == 200)
    assert ok == n and not result.errors, (ok, result.errors[:3])
    print(ok / elapsed)


def throughput(root: Path, work: Path, n: int, rounds: int, baseline: Path | None) -> dict[str, list[float]]:
    server = subprocess.Popen([sys.executable, "-m", "mirror.server", "--port", "0", "--root", str(root)],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().split(" on ")[-1].split()[0].rstrip("/")
        codes = {"": REPO, **({"baseline ": baseline} if baseline else {})}
        figures: dict[str, list[float]] = {}
        for k in range(rounds):                   # interleaved, so drift hits all alike
            for label, code in codes.items():
                for mode in ("bare", "memory", "warehouse") if not label else ("memory", "warehouse"):
                    figures.setdefault(label + mode, []).append(measure(code, mode, base, work / f"{label}{mode}{k}", n))
        return figures
    finally:
        server.terminate()
        server.wait(timeout=10)


def one_synthetic(code: str, base: str, work: str, mode: str) -> None:
    """`--one-synthetic`: bench/scale.py's crawl stage with checkout `code`'s crawler; prints
    pages/s and CPU ms per page."""
    from concurrent.futures import ThreadPoolExecutor

    sys.path.insert(0, code)
    for name in [m for m in sys.modules if m.split(".")[0] in ("extractors", "warehouse")]:
        del sys.modules[name]
    from extractors.fetch import crawl_site_sync
    from extractors.registry import load_sites

    spec = importlib.util.spec_from_file_location("scale", REPO / "bench" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    sys.path.insert(0, code)                      # scale.py put this checkout first again
    Path(work).mkdir(parents=True)
    sites = load_sites(scale.fast_registry(Path(work) / "sources.toml"))
    frontier = None
    if mode == "warehouse":
        from warehouse.frontier import Frontier
        frontier = Frontier(Path(work) / "frontier.sqlite")
    cpu0, started = _cpu(), time.perf_counter()
    with ThreadPoolExecutor(len(sites)) as pool:
        crawls = list(pool.map(lambda site: crawl_site_sync(site, Path(work) / "archive", mirror=base,
                                                            frontier=frontier), sites))
    if frontier is not None:
        frontier.close()
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu0
    pages = sum(len(c.pages) for c in crawls)
    assert pages and not any(c.errors for c in crawls), [c.errors[:2] for c in crawls]
    print(pages / elapsed, 1000 * cpu / pages)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def synthetic(n: int, work: Path, rounds: int, baseline: Path | None) -> dict[str, list[tuple[float, float]]]:
    mirror = subprocess.Popen([sys.executable, "-m", "mirror.synthetic", "--articles", str(n), "--seed", "1",
                               "--port", "0"], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        base = mirror.stdout.readline().rsplit(" on ", 1)[-1].strip().rstrip("/")
        codes = {"current": REPO, **({"baseline": baseline} if baseline else {})}
        figures: dict[str, list[tuple[float, float]]] = {}
        for k in range(rounds):
            for mode in ("memory", "warehouse"):
                for label, code in codes.items():
                    out = subprocess.run([sys.executable, __file__, "--one-synthetic", str(code), base,
                                          str(work / f"{label}-{mode}{k}"), mode], capture_output=True, text=True,
                                         check=True)
                    rate, cpu = map(float, out.stdout.split()[-2:])
                    figures.setdefault(f"{label}, {mode} frontier", []).append((rate, cpu))
        return figures
    finally:
        mirror.terminate()
        mirror.wait(timeout=10)


def print_synthetic(n: int, rounds: int, figures: dict) -> None:
    print(f"\n{n} synthetic articles, all registry sites at once (bench/scale.py's crawl stage), "
          f"{rounds} rounds, medians\n")
    print("| crawler | pages/s | CPU ms/page |\n| --- | ---: | ---: |")
    med = {k: (statistics.median(r for r, _ in v), statistics.median(c for _, c in v)) for k, v in figures.items()}
    for label, (rate, cpu) in med.items():
        print(f"| {label} | {rate:.0f} | {cpu:.2f} |")
    for mode in ("memory", "warehouse"):
        if f"baseline, {mode} frontier" in med:
            (r1, c1), (r0, c0) = med[f"current, {mode} frontier"], med[f"baseline, {mode} frontier"]
            print(f"| current / baseline, {mode} frontier | {r1 / r0:.2f}x | {c1 / c0:.2f}x |")
    print("\nper round (pages/s, CPU ms/page): " + "; ".join(
        f"{k} {[(round(r), round(c, 2)) for r, c in v]}" for k, v in figures.items()))


def politeness(server: MirrorServer, base: str, work: Path, rps: float, pages: int) -> dict:
    """Request times as the crawler sent them (an httpx request hook) and as the server got them."""
    server.reset_counts()
    sent: list[float] = []

    async def run() -> None:
        async def hook(request: httpx.Request) -> None:
            sent.append(time.monotonic())

        async with httpx.AsyncClient(transport=MirrorTransport(base), event_hooks={"request": [hook]}) as client:
            await crawl_site(site_config(requests_per_second=rps, concurrency=2, max_articles=pages), work,
                             mirror=base, client=client)

    asyncio.run(run())
    return {"sent": _rates(sent), "arrived": _rates([r.t for r in server.log])}


def _rates(times: list[float]) -> dict:
    starts = sorted(times)
    window = max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts)
    return {"requests": len(starts), "rate": (len(starts) - 1) / (starts[-1] - starts[0]), "max_1s": window,
            "min_gap": min(b - a for a, b in zip(starts, starts[1:]))}


def incremental(server: MirrorServer, base: str, work: Path, n: int) -> tuple[int, int]:
    server.reset_counts()
    _, first = asyncio.run(ours(base, work, n))
    first_bytes = server.bytes_sent()
    seen = {p["url"]: {k: p[k] for k in ("etag", "last_modified", "sha256")} for p in first.pages}
    server.reset_counts()
    second = asyncio.run(crawl_site(site_config(), work, mirror=base, seen=seen))
    assert all(p["unchanged"] for p in second.pages)
    return first_bytes, server.bytes_sent()


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
        return
    if sys.argv[1:2] == ["--one-synthetic"]:
        one_synthetic(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rps", type=float, default=20.0, help="per-host limit for the politeness run")
    ap.add_argument("--baseline", type=Path, help="another checkout whose crawler to measure alongside")
    ap.add_argument("--synthetic", type=int, metavar="N", help="only the multi-site crawl of N synthetic articles")
    args = ap.parse_args()
    if args.synthetic:
        with tempfile.TemporaryDirectory(prefix="egov-bench-") as tmp:
            print_synthetic(args.synthetic, args.rounds,
                            synthetic(args.synthetic, Path(tmp), args.rounds, args.baseline))
        return
    with tempfile.TemporaryDirectory(prefix="egov-bench-") as tmp:
        tmp = Path(tmp)
        build_site(tmp / "sites", args.articles)
        figures = throughput(tmp / "sites", tmp, args.articles, args.rounds, args.baseline)
        server = MirrorServer(tmp / "sites")
        with server as base:
            polite = politeness(server, base, tmp / "polite", args.rps, int(args.rps * 5))
            first, second = incremental(server, base, tmp / "incr", args.articles)
    med = {k: statistics.median(v) for k, v in figures.items()}
    b = med["bare"]
    print(f"\n{args.articles} articles, {args.rounds} rounds, medians; server in its own process, "
          f"{CONNECTIONS} connections\n")
    print("| measure | pages/s | ratio to bare | target |\n| --- | ---: | ---: | --- |")
    print(f"| bare httpx.AsyncClient loop | {b:.0f} | 1.00 | |")
    for key, label in (("memory", "crawl_site, in-memory frontier"), ("warehouse", "crawl_site, warehouse frontier"),
                       ("baseline memory", "baseline crawl_site, in-memory frontier"),
                       ("baseline warehouse", "baseline crawl_site, warehouse frontier")):
        if key in med:
            print(f"| {label} | {med[key]:.0f} | {med[key] / b:.2f} | {'≥ 0.80' if key == 'memory' else ''} |")
    for mode in ("memory", "warehouse"):
        if f"baseline {mode}" in med:
            print(f"| speed-up over baseline, {mode} frontier | {med[mode] / med['baseline ' + mode]:.2f}x | | |")
    print("\n| measure | value | target |\n| --- | ---: | --- |")
    print(f"| politeness on: limit | {args.rps:.1f} req/s per host | |")
    for side in ("sent", "arrived"):
        p = polite[side]
        print(f"| {side}: rate over {p['requests']} requests | {p['rate']:.2f} req/s ({p['rate'] / args.rps:.1%}) "
              f"| ≥ 90%, ≤ 100% |")
        print(f"| {side}: most requests in any 1 s window | {p['max_1s']} | ≤ {int(args.rps)} |")
        print(f"| {side}: smallest gap | {p['min_gap'] * 1000:.1f} ms | ≥ {1000 / args.rps:.1f} ms |")
    print(f"| first crawl, bytes sent | {first:,} | |")
    print(f"| re-crawl of the unchanged site, bytes sent | {second:,} ({second / first:.2%}) | < 5% |")
    print("\nper round, pages/s: " + "; ".join(f"{k} {[round(x) for x in v]}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
