"""`egov query`: read-only SQL on the warehouse, printed as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb

import warehouse


def run_query(warehouse_path: Path, sql: str, fmt: str = "table") -> str:
    with warehouse.connect(warehouse_path, read_only=True) as con:
        try:
            rel = con.sql(sql)
        except duckdb.Error as exc:
            raise ValueError(_one_line(exc)) from None
        if rel is None:
            return ""
        try:
            columns, rows = rel.columns, rel.fetchall()
        except duckdb.Error as exc:
            raise ValueError(_one_line(exc)) from None
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue()
    if fmt == "json":
        return "".join(json.dumps(dict(zip(columns, r)), ensure_ascii=False, default=str) + "\n" for r in rows)
    return _table(columns, rows)


def _one_line(exc: Exception) -> str:
    """DuckDB's message with its position marker (LINE n: …) folded onto one line."""
    return " | ".join(line.rstrip() for line in str(exc).splitlines() if line.strip())


def _table(columns: list[str], rows: list[tuple], max_width: int = 60) -> str:
    def cell(v) -> str:
        s = "" if v is None else str(v)
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    body = [[cell(v) for v in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(columns)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in body]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
