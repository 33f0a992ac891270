"""Crawler benchmark: throughput against a bare httpx loop, politeness accuracy, incremental bytes.

    .venv/bin/python bench/crawl.py [--articles 1000] [--rounds 5]

Why a synthetic site: the bundled mirror has a few dozen articles, too few to time; this builds a
mirror-format site of `--articles` pages (each a real mirror article page with its text varied)
in a temporary folder and serves it with the real MirrorServer on loopback. Side by side in one
run, medians over `--rounds`:

1. politeness lifted, 64 connections: crawl_site (discovery, robots, archive, WARC included)
   vs a bare httpx.AsyncClient loop fetching the same article URLs — pages/s and their ratio
   (target: ≥ 0.80);
2. politeness on (requests_per_second from the registry-shaped site): the measured per-host rate,
   its highest 1-second window and its smallest gap between requests (target: never above the
   limit, ≥ 90% of it);
3. incremental: bytes the server sent for a re-crawl of the unchanged site with `seen` from the
   first crawl, over the first crawl's (target: < 5%).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
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
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rps", type=float, default=20.0, help="per-host limit for the politeness run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="egov-bench-") as tmp:
        tmp = Path(tmp)
        urls = build_site(tmp / "sites", args.articles)
        server = MirrorServer(tmp / "sites")
        with server as base:
            bare, mine = [], []
            for k in range(args.rounds):          # interleaved, so drift hits both alike
                bare.append(asyncio.run(bare_loop(base, urls)))
                mine.append(asyncio.run(ours(base, tmp / f"run{k}", args.articles))[0])
            polite = politeness(server, base, tmp / "polite", args.rps, int(args.rps * 5))
            first, second = incremental(server, base, tmp / "incr", args.articles)
    b, m = statistics.median(bare), statistics.median(mine)
    print(f"\n{args.articles} articles, {args.rounds} rounds, medians\n")
    print("| measure | value | target |\n| --- | ---: | --- |")
    print(f"| bare httpx.AsyncClient loop, 64 connections | {b:.0f} pages/s | |")
    print(f"| crawl_site, politeness lifted, 64 connections | {m:.0f} pages/s | |")
    print(f"| ratio crawl_site / bare | {m / b:.2f} | ≥ 0.80 |")
    print(f"| politeness on: limit | {args.rps:.1f} req/s per host | |")
    for side in ("sent", "arrived"):
        p = polite[side]
        print(f"| {side}: rate over {p['requests']} requests | {p['rate']:.2f} req/s ({p['rate'] / args.rps:.1%}) "
              f"| ≥ 90%, ≤ 100% |")
        print(f"| {side}: most requests in any 1 s window | {p['max_1s']} | ≤ {int(args.rps)} |")
        print(f"| {side}: smallest gap | {p['min_gap'] * 1000:.1f} ms | ≥ {1000 / args.rps:.1f} ms |")
    print(f"| first crawl, bytes sent | {first:,} | |")
    print(f"| re-crawl of the unchanged site, bytes sent | {second:,} ({second / first:.2%}) | < 5% |")
    print(f"\nper round, pages/s: bare {[round(x) for x in bare]}, crawl_site {[round(x) for x in mine]}")


if __name__ == "__main__":
    main()
