"""Object storage (flows/storage.py): what replicating costs, side by side in one run.

Reads the same WARC archive from local disk, from a file:// URL and from an S3 API on loopback
(moto's server, through s3fs), and times a release's first upload against the routine no-op
sync. moto is a Python stand-in for S3: its figures show our overhead and the request count's
effect, not a real store's throughput.

    .venv/bin/python bench/storage.py [--pages 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import fsspec  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

import publish  # noqa: E402
import warehouse  # noqa: E402
from extractors.warc import WarcLog, iter_pages, warc_path  # noqa: E402
from flows import storage  # noqa: E402
from publish_fixtures import fill  # noqa: E402

BODY = ("<html><body><article><p>" + "Đã cấp 83,76 triệu thẻ căn cước gắn chíp. " * 300 + "</p></article></body></html>").encode()


def make_archive(root: Path, pages: int) -> Path:
    archive = root / "archive"
    for site in ("a.vn", "b.vn", "c.vn"):
        log = WarcLog(warc_path(archive, "run-1", site), site)
        for i in range(pages // 3):
            url = f"https://{site}/tin-{i}.html"
            log.response(url=url, requested=url, status=200, reason="OK", body=BODY,
                         headers=[("Content-Type", "text/html; charset=utf-8")], fetched_at="2026-11-22T00:00:00+00:00")
        log.close()
    return archive


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="egov-bench-storage-"))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    options = {"key": "bench", "secret": "bench", "endpoint_url": f"http://{host}:{port}"}
    fsspec.filesystem("s3", **options).mkdir("bench")
    try:
        archive = make_archive(root, args.pages)
        mb = sum(p.stat().st_size for p in archive.rglob("*.warc.gz")) / 1e6
        s3_archive, file_archive = "s3://bench/archive", f"file://{root}/share/archive"
        rows = []
        upload = time.perf_counter()
        storage.sync_archive(archive, s3_archive, options)
        rows.append(("archive upload, s3 (moto)", time.perf_counter() - upload, f"{mb:.1f} MB gz"))
        rows.append(("archive re-sync (no-op), s3", timed(lambda: storage.sync_archive(archive, s3_archive, options), args.repeat), ""))
        storage.sync_archive(archive, file_archive)
        for name, source, kw in (("iter_pages local", archive, {}), ("iter_pages file://", file_archive, {}),
                                 ("iter_pages s3 (moto)", s3_archive, {"storage_options": options})):
            seconds = timed(lambda: sum(1 for _ in iter_pages(source, **kw)), args.repeat)
            rows.append((name, seconds, f"{args.pages / seconds:,.0f} pages/s"))

        releases = root / "releases"
        with warehouse.connect(root / "w.duckdb") as con:
            fill(con)
            publish.publish_release(con, releases, {})
        files = sum(1 for p in (releases / "1.0.0").rglob("*") if p.is_file())
        first = []
        for _ in range(args.repeat):
            url = f"s3://bench/releases-{uuid.uuid4().hex[:6]}"
            start = time.perf_counter()
            storage.sync_releases(releases, url, options)
            first.append(time.perf_counter() - start)
        rows.append((f"release upload, s3 ({files} files + latest/ + catalogue)", statistics.median(first), ""))
        rows.append(("release re-sync (no-op), s3", timed(lambda: storage.sync_releases(releases, url, options), args.repeat), ""))
    finally:
        server.stop()
    print(f"\n{args.pages} pages, median of {args.repeat}\n")
    print("| step | seconds | note |\n| --- | ---: | --- |")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.3f} | {note} |")
    base = rows[2][1]
    print(f"\niter_pages from s3 (moto) / local: {rows[4][1] / base:.2f}x; file:// / local: {rows[3][1] / base:.2f}x")


if __name__ == "__main__":
    main()
