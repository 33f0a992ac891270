"""`egov status`: per site, its last run and health and when it runs next; the latest release."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from cronsim import CronSim

import warehouse
from extractors.registry import load_sites
from flows import settings
from flows.schedule import load_schedules
from publish import catalog

SITE_RUNS = """
SELECT source_id, run_id, max(fetched_at) AS last_fetch,
       count(*) FILTER (WHERE error IS NULL) AS ok, count(*) FILTER (WHERE error IS NOT NULL) AS failed
FROM pages GROUP BY source_id, run_id
QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY max(fetched_at) DESC NULLS LAST) = 1
"""


def status(home: str | None = None, now: dt.datetime | None = None) -> dict:
    h = settings.home(home)
    schedules = load_schedules()
    tz = ZoneInfo(schedules.get("timezone", "Asia/Ho_Chi_Minh"))
    now = (now or dt.datetime.now(tz)).astimezone(tz)
    last = {}
    if h.warehouse.exists():
        with warehouse.connect(h.warehouse, read_only=True) as con:
            last = {row[0]: row for row in con.execute(SITE_RUNS).fetchall()}
    sites = []
    for site in load_sites():
        cron = schedules["crawl"].get("sites", {}).get(site["id"], schedules["crawl"]["cron"])
        _, run_id, fetched, ok, failed = last.get(site["id"], (None, None, None, 0, 0))
        sites.append({
            "site": site["id"], "last_run": run_id, "last_fetch": fetched, "pages_ok": ok,
            "pages_failed": failed, "health": _health(run_id, ok, failed),
            "next_run": next(iter(CronSim(cron, now))), "schedule": cron,
        })
    return {"sites": sites, "latest_release": catalog.latest(h.releases), "releases": h.releases}


def _health(run_id, ok: int, failed: int) -> str:
    if run_id is None:
        return "never crawled"
    if failed and not ok:
        return "failing"
    return "degraded" if failed else "ok"


def render(report: dict) -> str:
    columns = ("site", "last_fetch", "pages_ok", "pages_failed", "health", "next_run", "schedule")
    fmt = lambda v: v.strftime("%Y-%m-%d %H:%M %z") if isinstance(v, dt.datetime) else ("" if v is None else str(v))  # noqa: E731
    rows = [[fmt(s[c]) for c in columns] for s in report["sites"]]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    latest = report["latest_release"]
    lines.append("")
    lines.append(f"latest release: {latest['version']} ({latest['created']}) in {report['releases'] / latest['version']}"
                 if latest else "latest release: none yet")
    return "\n".join(lines) + "\n"
