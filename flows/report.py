"""The run report: what each site brought this run, as Prefect artifacts and in the run's result.

Why a module of its own: the figures (pages, new observations, new conflicts) come from the
warehouse after the loads, and the same table is shown three ways (markdown and table artifacts,
the flow's log), so the refresh flow stays a list of stages.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

import warehouse
from flows import settings

BOUNDS = settings.TUNABLES["report"]

COLUMNS = ("discovered", "fetched", "unchanged", "failed", "articles", "observations", "new_conflicts", "drift")


def conflict_ids(warehouse_path: Path) -> set[str]:
    """The conflicts the warehouse holds now: taken before a run, so the run's new ones stand out."""
    with warehouse.connect(warehouse_path, read_only=True) as con:
        return {row[0] for row in _bounded(con, "SELECT conflict_id FROM conflicts")}


def site_findings(warehouse_path: Path, run_id: str, conflicts_before: set[str]) -> dict[str, dict]:
    """Per site: observations of the articles this run stored, and conflicts that are new since
    `conflicts_before` and involve the site (a conflict between two sites counts for both)."""
    with warehouse.connect(warehouse_path, read_only=True) as con:
        observations = dict(_bounded(
            con, "SELECT a.source_id, count(o.article_id) FROM articles a "
                 "LEFT JOIN observations o USING (article_id) WHERE a.run_id = ? GROUP BY a.source_id", [run_id]))
        involved = _bounded(
            con, "SELECT c.conflict_id, list_distinct(flatten(list(string_split(f.source_ids, ';')))) "
                 "FROM conflicts c, unnest(string_split(c.fact_ids, ';')) AS u(fact_id) "
                 "JOIN facts f ON f.fact_id = u.fact_id GROUP BY c.conflict_id")
    findings: dict[str, dict] = {}
    for site, n in observations.items():
        findings.setdefault(site, {"observations": 0, "new_conflicts": 0})["observations"] = n
    for conflict_id, sites in involved:
        if conflict_id not in conflicts_before:
            for site in sites:
                findings.setdefault(site, {"observations": 0, "new_conflicts": 0})["new_conflicts"] += 1
    return findings


def _bounded(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """`sql`'s rows, computed within BOUNDS (flows/settings.toml), or unbounded if DuckDB cannot."""
    con.execute(f"SET threads = {int(BOUNDS['threads'])}")
    con.execute(f"SET memory_limit = '{BOUNDS['memory_limit']}'")
    try:
        return con.execute(sql, params or []).fetchall()
    except duckdb.OutOfMemoryException:
        con.execute("RESET memory_limit")
        con.execute("RESET threads")
        return con.execute(sql, params or []).fetchall()


def note_storage_errors(report: dict, errors: list[str]) -> None:
    """Uploads that failed belong to no site: they are listed under the pseudo-site "storage"."""
    report["storage"] = {**dict.fromkeys(COLUMNS, 0), "errors": list(errors), "warnings": []}


def publish_artifacts(run: dict, report: dict, release: dict | None, releases: Path) -> str:
    """The markdown and table artifacts of one run; returns the markdown (also logged)."""
    lines = ["| site | " + " | ".join(c.replace("_", " ") for c in COLUMNS) + " |",
             "| --- |" + " ---: |" * len(COLUMNS)]
    for site, r in report.items():
        lines.append(f"| {site} | " + " | ".join(str(r.get(c, 0)) for c in COLUMNS) + " |")
    where = (f"release {release['version']} in {releases / release['version']}" if release
             else "no new release (data unchanged)")
    problems = [f"- {site}: {line}" for site, r in report.items() for line in r["errors"] + r["warnings"]]
    text = (f"# Run {run['run_id']}: {run['status']}\n\n" + "\n".join(lines) + f"\n\n{where}\n"
            + ("\n## Errors and warnings\n\n" + "\n".join(problems) + "\n" if problems else ""))
    create_markdown_artifact(markdown=text, key="refresh-report", description="Pages, observations and conflicts per site")
    create_table_artifact(
        key="refresh-sites", description="Per site: pages found, fetched, unchanged, failed; new observations and conflicts; drift",
        table=[{"site": site, **{c: r.get(c, 0) for c in COLUMNS}, "errors": "; ".join(r["errors"])}
               for site, r in report.items()],
    )
    get_run_logger().info("%s", text)
    return text
