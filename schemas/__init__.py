"""Table Schemas: the one place a table's columns, types, descriptions and keys are written.

The warehouse DDL and the published `datapackage.json` are both generated from these files
(Frictionless Table Schema, https://specs.frictionlessdata.io/table-schema/), so the two can
never drift apart. This package imports nothing else of ours.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Load order matters: a table comes after the tables its foreign keys point to.
TABLES = ("sources", "crawl_runs", "pages", "articles", "observations", "legal_refs")


@cache
def load(table: str) -> dict:
    """The Table Schema of `table`, as a dict (cached: treat it as read-only)."""
    path = HERE / f"{table}.schema.json"
    if not path.exists():
        raise KeyError(f"no Table Schema for table {table!r} in {HERE}")
    return json.loads(path.read_text(encoding="utf-8"))


def field_names(table: str) -> list[str]:
    return [f["name"] for f in load(table)["fields"]]
