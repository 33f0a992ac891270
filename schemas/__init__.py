"""Table Schemas: the one place a table's columns, types, descriptions and keys are written.

The warehouse DDL, the Arrow schemas it loads with, its views' columns and the published
`datapackage.json` are all generated from these files (Frictionless Table Schema,
https://specs.frictionlessdata.io/table-schema/), so none of them can drift apart. This
package imports nothing else of ours.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Load order matters: a table comes after the tables its foreign keys point to.
TABLES = ("sources", "crawl_runs", "pages", "articles", "observations", "legal_refs")

# Logs are tables too, but grow with every run by design (one row per page per run): kept apart
# so that "a run with nothing new adds no rows" holds for TABLES.
LOGS = ("page_fetches",)
STORED = TABLES[:3] + LOGS + TABLES[3:]  # every table the warehouse holds, in load order

# Views have Table Schemas too (facts and conflicts are published); order: a view comes after
# the views it reads.
VIEWS = ("facts", "conflicts", "indicator_series", "latest_indicators", "articles_by_site", "crawl_health")


@cache
def load(table: str) -> dict:
    """The Table Schema of `table` (or view), as a dict (cached: treat it as read-only)."""
    path = HERE / f"{table}.schema.json"
    if not path.exists():
        raise KeyError(f"no Table Schema for table {table!r} in {HERE}")
    return json.loads(path.read_text(encoding="utf-8"))


def field_names(table: str) -> list[str]:
    return [f["name"] for f in load(table)["fields"]]
