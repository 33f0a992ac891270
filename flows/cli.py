"""`egov`: the command line of egov-data.

Every command has --help; every failure is one line on stderr and a non-zero exit. Prefect is
imported only by the commands that run flows, so `egov parse` and `egov query` answer at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from flows import progress, settings

EXAMPLE_QUERY = (
    "SELECT indicator, area, as_of, value, text FROM observations "
    "WHERE indicator IS NOT NULL ORDER BY indicator, as_of"
)


class UserError(Exception):
    """A problem the user can fix: printed as one line, exit status 2."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print("egov: interrupted", file=sys.stderr)
        return 130
    except (UserError, FileNotFoundError, ValueError, *_warehouse_errors()) as exc:
        print(f"egov {args.command}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence says what failed, in one line
        print(f"egov {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _warehouse_errors() -> tuple[type[Exception], ...]:
    """Locked, too new, not a warehouse: problems the user fixes, reported in one line."""
    import warehouse

    return (warehouse.WarehouseLocked, warehouse.WarehouseTooNew, warehouse.NotAWarehouse)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="egov",
        description="Open data on Viet Nam's digital government, extracted from government news.",
        epilog="Everything is written under --home (default $EGOV_HOME or ./data).",
    )
    parser.add_argument("--home", help="home folder for the warehouse, archive and releases (default: $EGOV_HOME or ./data)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Accept --home after the command too; SUPPRESS keeps a top-level value from being reset.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    p = sub.add_parser("demo", parents=[common], help="serve the offline mirror, crawl it, publish a release",
                       description="Start the bundled offline mirror on 127.0.0.1, run the refresh flow against it, "
                                   "publish a validated release and print where it is.")
    p.add_argument("--port", type=int, default=0, help="mirror port (default: a free one)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("refresh", parents=[common], help="crawl the configured sites, load the warehouse, publish",
                       description="Run the refresh flow once: crawl → clean → extract → load → publish.")
    p.add_argument("--mirror", metavar="URL", help="crawl a running offline mirror at URL instead of the real sites")
    p.add_argument("--site", action="append", metavar="ID", help="only this site (repeatable), e.g. baochinhphu.vn")
    p.add_argument("--registry", metavar="FILE", help="source registry (default: config/sources.toml)")
    p.add_argument("--no-publish", action="store_true", help="load the warehouse but publish no release")
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="skip feed and sitemap items dated before this day")
    p.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                   help="crawl as if today were DATE: for replaying a snapshot such as the bundled mirror")
    p.add_argument("--dask", type=int, metavar="N",
                   help="run the crawl and the CPU-bound cleaning and extraction on a local Dask cluster of N processes")
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("reprocess", parents=[common], help="rebuild articles, observations and a release from the archive, offline",
                       description="Clean, extract and load again every article page in the WARC archive under --home, "
                                   "with no network (e.g. after an extractor change), then publish.")
    p.add_argument("--no-publish", action="store_true", help="load the warehouse but publish no release")
    p.add_argument("--archive", metavar="PATH|URL",
                   help="read the WARC archive from this folder or fsspec URL (s3://…, gs://…, file://…) "
                        "instead of <home>/archive")
    p.add_argument("--no-compact", action="store_true",
                   help="leave the replaced rows stored (by default the warehouse is compacted at the end, as `egov compact`)")
    p.set_defaults(func=cmd_reprocess)

    p = sub.add_parser("sync", parents=[common], help="upload the archive and releases to object storage",
                       description="Copy the WARC archive and the validated releases under --home to the fsspec URLs "
                                   "in EGOV_ARCHIVE_URL / EGOV_RELEASES_URL (or <home>/storage.toml). Releases are "
                                   "never overwritten; what is already there is skipped; the catalogue goes last. "
                                   "Every refresh and publish does this too; `sync` retries what a failure left.")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("parse", parents=[common], help="clean and extract saved pages; print one JSON object per file",
                       description="Clean and extract saved pages (.html) or article texts (.txt: the text is the body). "
                                   "Runs no flow and starts no server.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--url", help="the page's URL (picks the site's adapter from the registry)")
    p.add_argument("--published", metavar="ISO", help="publication time, when the page does not state it")
    p.add_argument("--adapter", help="cleaning adapter to use (default: from --url's site, else generic)")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("eval", parents=[common], help="score the extractor (and the cleaner) on gold annotations",
                       description="Score extraction on gold JSON annotations (files or folders; format of "
                                   "shared/gold/README.md, plus an optional `tables`: the article's tables as rows of cell "
                                   "strings, header rows first): observation precision, recall and F1 (one-to-one on kind + "
                                   "value + denominator), field accuracies on matched pairs, legal-reference F1. "
                                   "With --cleaning, score the cleaner on every page that has a <page>.gold.json beside it.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--cleaning", action="store_true", help="score cleaning of HTML pages instead (body token F1, title, time, is_article)")
    p.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("query", parents=[common], help="run read-only SQL on the warehouse",
                       description="Run SQL on the warehouse, opened read-only. Tables: sources, crawl_runs, pages, "
                                   "page_fetches, articles, observations, legal_refs; views: facts, conflicts, "
                                   "indicator_series, latest_indicators, articles_by_site, crawl_health "
                                   "(examples: docs/queries.md).")
    p.add_argument("sql", nargs="?", help="SQL text; '-' or nothing reads stdin")
    p.add_argument("-f", "--file", type=Path, help="read the SQL from a file")
    p.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (required for parquet)")
    p.add_argument("--shell", action="store_true", help="interactive SQL prompt; statements end with ';'")
    p.add_argument("--wait", type=float, metavar="SECONDS", help="how long to wait for a running load (default 30)")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("compact", parents=[common], help="give back the space that deleted rows hold in the warehouse",
                       description="Rewrite the warehouse with only its live rows, in full row groups: loads leave the "
                                   "rows of re-processed articles behind until a compaction. Waits for a running load, "
                                   "holds off the next ones meanwhile (queries still answer); run it at a quiet time.")
    p.add_argument("--wait", type=float, metavar="SECONDS", help="how long to wait for a running load (default 30)")
    p.set_defaults(func=cmd_compact)

    p = sub.add_parser("serve", parents=[common], help="run the pipeline on the schedules in config/schedules.toml (Prefect)",
                       description="Serve one crawl deployment per site and a daily publish deployment, on the cron "
                                   "schedules in config/schedules.toml. With no PREFECT_API_URL set, a local Prefect "
                                   "server is started under --home and stopped on exit (Ctrl-C or SIGTERM).")
    p.add_argument("--interval", type=float, metavar="SECONDS",
                   help="run every deployment every SECONDS instead of its cron schedule (for trying it out)")
    p.add_argument("--site", action="append", metavar="ID", help="only this site (repeatable)")
    p.add_argument("--mirror", metavar="URL", help="crawl a running offline mirror at URL instead of the real sites")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("fanout", parents=[common], help="refresh now as one run per site on a Prefect work pool, then publish",
                       description="Register each site's crawl deployment and the publish deployment in the work pool "
                                   "of config/workers.toml, run every site once, then publish once they have all ended. "
                                   "With no PREFECT_API_URL set, a local Prefect server and --workers process workers "
                                   "are started under --home and stopped at the end; with it set, the workers you "
                                   "started (`prefect worker start --pool egov --type process`) run the sites.")
    p.add_argument("--workers", type=int, default=2, help="process workers to start when PREFECT_API_URL is not set (default 2)")
    p.add_argument("--site", action="append", metavar="ID", help="only this site (repeatable)")
    p.add_argument("--mirror", metavar="URL", help="crawl a running offline mirror at URL instead of the real sites")
    p.add_argument("--registry", metavar="FILE", help="source registry (default: config/sources.toml)")
    p.set_defaults(func=cmd_fanout)

    p = sub.add_parser("serve-data", parents=[common], help="serve the releases folder over HTTP (range requests)",
                       description="Serve <home>/releases on 127.0.0.1 with HTTP range requests, so DuckDB and other "
                                   "readers fetch only the parts of Parquet and DuckDB files a query needs.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8766)
    p.set_defaults(func=cmd_serve_data)

    p = sub.add_parser("status", parents=[common], help="per site: last run, health, next scheduled run; the latest release",
                       description="Show, per site, the last crawl, its health and the next scheduled run "
                                   "(config/schedules.toml), and the latest release.")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("mirror", parents=[common], help="serve the bundled offline mirror of the news sites",
                       description="Serve the offline mirror on 127.0.0.1. Crawl it with `egov refresh --mirror URL`; "
                                   "browse it at URL/<host>/.")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--synthetic", type=int, metavar="N",
                   help="serve N generated articles (mirror/synthetic.py) instead of the bundled mirror")
    from mirror.server import add_fault_arguments

    add_fault_arguments(p)
    p.set_defaults(func=cmd_mirror)
    return parser


def _flows(args):
    """Import the flow only now: Prefect reads its settings at import time."""
    settings.configure_prefect(settings.home(args.home))
    from flows.refresh import refresh

    return refresh


def cmd_demo(args) -> int:
    import mirror
    from mirror.server import MirrorServer

    refresh = _flows(args)
    as_of = mirror.snapshot_dates()  # a snapshot is crawled as of the day it was taken, not the calendar's
    with MirrorServer(port=args.port) as url:
        print(f"offline mirror (snapshot of {max(as_of.values())}; each site crawled as of its newest article) "
              f"serving at {url}")
        with progress.bars():
            result = refresh(mirror=url, home=args.home, today=as_of)
    _print_summary(result)
    return 0


def cmd_refresh(args) -> int:
    refresh = _flows(args)
    if args.dask:
        from prefect_dask import DaskTaskRunner

        runner = DaskTaskRunner(cluster_kwargs={"n_workers": args.dask, "threads_per_worker": 1, "processes": True})
        refresh = refresh.with_options(task_runner=runner)
    with progress.bars():
        result = refresh(mirror=args.mirror, home=args.home, sites=args.site, registry=args.registry,
                         publish=not args.no_publish, since=args.since, today=args.today)
    _print_summary(result)
    return 0 if result["run"]["status"] != "failed" else 1


def cmd_reprocess(args) -> int:
    _flows(args)
    from flows.reprocess import reprocess

    with progress.bars():
        result = reprocess(home=args.home, publish=not args.no_publish, archive=args.archive,
                           compact=not args.no_compact)
    _print_summary(result)
    _print_compaction(result["compaction"])
    return 0


def _print_compaction(compaction: dict | None) -> None:
    if compaction is None:
        return
    if "error" in compaction:
        print(f"warning: {compaction['error']}")
        return
    before, after = compaction["before"], compaction["after"]
    deleted = [sum(t["deleted"] for t in f["tables"].values()) for f in (before, after)]
    print(f"compacted the warehouse in {compaction['seconds']:.1f} s: file {before['bytes'] / 1e6:.1f} -> "
          f"{after['bytes'] / 1e6:.1f} MB, deleted rows kept {deleted[0]:,} -> {deleted[1]:,}")


def cmd_sync(args) -> int:
    from flows import storage

    h = settings.home(args.home)
    config = storage.load(h.root)
    if not (config.archive_url or config.releases_url):
        raise UserError("no object store configured: set EGOV_ARCHIVE_URL and/or EGOV_RELEASES_URL "
                        f"(or archive_url / releases_url in {h.root / 'storage.toml'})")
    out = storage.replicate(h.root, h.archive, h.releases, config=config)
    for name, url in (("archive", config.archive_url), ("releases", config.releases_url)):
        if url and out[name] is not None:
            print(f"{name} → {url}: {json.dumps(out[name], ensure_ascii=False)}")
    for line in out["errors"]:
        print(f"egov sync: {line}", file=sys.stderr)
    return 1 if out["errors"] else 0


def _print_summary(result: dict) -> None:
    home = Path(result["home"])
    run, release = result["run"], result["release"]
    print("\n" + _site_table(result["sites"]))
    print(f"\nrun {run['run_id']}: {run['status']} — {run['articles']} articles, "
          f"{run['observations']} observations, {run['pages_unchanged']} pages unchanged, "
          f"{run['pages_failed']} failed")
    if release:
        print(f"release {release['version']}: {home / 'releases' / release['path']}")
        for table, n in release["rows"].items():
            print(f"  {table:<14}{n:>7} rows")
    else:
        print("no new release: the data did not change since the last one")
    print(f"\nwarehouse: {home / 'warehouse.duckdb'}\ntry:\n  egov query \"{EXAMPLE_QUERY}\"")
    print(f"  duckdb -c \"SELECT * FROM '{home / 'releases' / 'latest' / 'data' / 'observations.parquet'}' LIMIT 5\"")


def _site_table(sites: dict) -> str:
    columns = ("discovered", "fetched", "unchanged", "failed", "articles", "observations", "new_conflicts")
    header = ["site", *(c.replace("_", " ") for c in columns)]
    body = [[site, *(str(r.get(c, "")) for c in columns)] for site, r in sites.items()]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in [header, *body]]
    problems = [f"  {site}: {line}" for site, r in sites.items() for line in r.get("errors", [])]
    return "\n".join(lines + (["errors:", *problems] if problems else []))


def cmd_parse(args) -> int:
    from flows.parse import parse_file

    for path in args.files:
        print(json.dumps(parse_file(path, url=args.url, published=args.published, adapter=args.adapter),
                         ensure_ascii=False))
    return 0


def cmd_eval(args) -> int:
    if args.cleaning:
        from extractors.evaluate_cleaning import format_report, run

        results = [run(Path(p)) for p in args.paths]
        for result in results:
            print(format_report(result))
        return 0
    from extractors.evaluate import format_report, run

    result = run(args.paths)
    print(format_report(result, details=args.verbose))
    if not result["files"]:
        raise UserError(f"no gold annotations found in {' '.join(args.paths)}")
    return 0


def cmd_query(args) -> int:
    from flows.query import run_query, shell

    if args.shell:
        return shell(settings.home(args.home).warehouse)
    sql = args.file.read_text(encoding="utf-8") if args.file else args.sql
    if sql in (None, "-"):
        sql = sys.stdin.read()
    if not sql or not sql.strip():
        raise UserError("no SQL given: pass it as an argument, with -f FILE, or on stdin")
    print(run_query(settings.home(args.home).warehouse, sql, args.format, output=args.output, wait=args.wait), end="")
    return 0


def cmd_compact(args) -> int:
    import warehouse

    result = warehouse.compact(settings.home(args.home).warehouse, wait=args.wait)
    before, after = result["before"], result["after"]
    print(f"{'table':<14} {'row groups':>18} {'deleted rows':>22}")
    for table, b in before["tables"].items():
        a = after["tables"][table]
        print(f"{table:<14} {b['row_groups']:>8,} -> {a['row_groups']:>6,} {b['deleted']:>12,} -> {a['deleted']:>6,}")
    print(f"{'file MB':<14} {before['bytes'] / 1e6:>8.1f} -> {after['bytes'] / 1e6:>6.1f}\n"
          f"compacted {result['path']} in {result['seconds']:.1f} s")
    return 0


def cmd_serve(args) -> int:
    settings.configure_prefect(settings.home(args.home))
    from flows.schedule import serve

    home = str(settings.home(args.home).root)  # absolute: flow runs start in other processes
    return serve(mirror=args.mirror, home=home, interval=args.interval, only=args.site)


def cmd_fanout(args) -> int:
    settings.configure_prefect(settings.home(args.home))
    from flows import workers

    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    home = str(settings.home(args.home).root)  # absolute: flow runs start in other processes
    result = workers.run(home=home, mirror=args.mirror, workers=args.workers, only=args.site, registry=args.registry)
    for key, run in result["runs"].items():
        print(f"{key}: {run['state']}")
    for worker, runs in result.get("workers", {}).items():
        print(f"{worker}: {', '.join(runs)}")
    for line in result["failed"]:
        print(f"egov fanout: {line}", file=sys.stderr)
    return 1 if result["failed"] else 0


def cmd_serve_data(args) -> int:
    from publish.serve import serve_forever

    serve_forever(settings.home(args.home).releases, args.host, args.port)
    return 0


def cmd_status(args) -> int:
    from flows.status import render, status

    print(render(status(args.home)), end="")
    return 0


def cmd_mirror(args) -> int:
    if args.synthetic:
        from mirror.synthetic import main as synthetic_main

        return synthetic_main(["--articles", str(args.synthetic), "--seed", str(args.seed), "--port", str(args.port)]) or 0
    from mirror.server import fault_plan, serve_forever

    serve_forever(args.port, faults=fault_plan(args))
    return 0


def _date(text: str):
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


if __name__ == "__main__":
    sys.exit(main())
