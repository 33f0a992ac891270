"""What changed since the previous release: `changes.json` for machines, `CHANGES.md` for people.

Rows are matched by primary key, per resource: added, removed, changed (any published value
differs). On top, what users of the figures ask first: which indicator values are new, which
changed, and which new conflicts (one indicator, place and date reported with different
values) appeared. Everything is read from the two releases' Parquet files, so a diff can be
recomputed from published releases alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

# One indicator value: the series key and the highest reported value, as the warehouse's
# `indicator_series` view defines it.
SERIES_KEY = ("indicator", "area", "as_of", "period_start", "change")
SERIES = """SELECT indicator, area, CAST(as_of AS VARCHAR) AS as_of, CAST(period_start AS VARCHAR) AS period_start,
  change, max(value) AS value, count(DISTINCT value) AS values_reported
FROM read_parquet('{path}') WHERE indicator IS NOT NULL GROUP BY ALL"""


def compute(new_dir: Path, old_dir: Path | None, descriptor: dict, max_keys: int) -> dict:
    tables = {r["name"]: r for r in descriptor["resources"] if r.get("type") == "table"}
    out = {"version": descriptor["version"], "previous": old_dir.name if old_dir else None, "resources": {}}
    with duckdb.connect() as con:
        for name, res in tables.items():
            new = new_dir / "data" / f"{name}.parquet"
            old = old_dir / "data" / f"{name}.parquet" if old_dir else None
            out["resources"][name] = _diff_rows(con, new, old if old and old.exists() else None,
                                                res["schema"]["primaryKey"], max_keys)
        obs_old = old_dir / "data" / "observations.parquet" if old_dir else None
        out["indicator_values"] = _diff_values(con, new_dir / "data" / "observations.parquet",
                                               obs_old if obs_old and obs_old.exists() else None, max_keys)
        out["new_conflicts"] = _new_conflicts(con, new_dir, old_dir, tables, max_keys)
    return out


def _diff_rows(con, new: Path, old: Path | None, key: list[str], max_keys: int) -> dict:
    if old is None:
        n = con.execute(f"SELECT count(*) FROM read_parquet('{new}')").fetchall()[0][0]
        return {"new_resource": old is None, "added": n, "removed": 0, "changed": 0,
                "added_keys": [], "removed_keys": [], "changed_keys": []}
    common = [c for c in _columns(con, new) if c in set(_columns(con, old))]
    k = ", ".join(f'"{c}"' for c in key)
    on = " AND ".join(f'n."{c}" = o."{c}"' for c in key)
    differs = " OR ".join(f'n."{c}" IS DISTINCT FROM o."{c}"' for c in common if c not in key) or "false"
    queries = {
        "added": f"SELECT {k} FROM read_parquet('{new}') n ANTI JOIN read_parquet('{old}') o ON {on}",
        "removed": f"SELECT {k} FROM read_parquet('{old}') o ANTI JOIN read_parquet('{new}') n ON {on}",
        "changed": f"SELECT {', '.join('n.' + chr(34) + c + chr(34) for c in key)} FROM read_parquet('{new}') n "
                   f"JOIN read_parquet('{old}') o ON {on} WHERE {differs}",
    }
    out = {"new_resource": False}
    for kind, sql in queries.items():
        out[kind] = con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
        keys = con.execute(f"SELECT * FROM ({sql}) ORDER BY ALL LIMIT {max_keys}").fetchall()
        out[f"{kind}_keys"] = [row[0] if len(row) == 1 else list(row) for row in keys]
    return out


def _columns(con, path: Path) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()]


def _diff_values(con, new: Path, old: Path | None, max_keys: int) -> dict:
    on = " AND ".join(f"n.{c} IS NOT DISTINCT FROM o.{c}" for c in SERIES_KEY)
    cols = ", ".join(f"n.{c}" for c in SERIES_KEY)
    new_sql = SERIES.format(path=new)
    old_sql = SERIES.format(path=old) if old else f"SELECT * FROM ({new_sql}) WHERE false"
    added = f"SELECT {cols}, n.value FROM ({new_sql}) n ANTI JOIN ({old_sql}) o ON {on}"
    changed = f"SELECT {cols}, o.value AS old_value, n.value AS value FROM ({new_sql}) n JOIN ({old_sql}) o ON {on} WHERE n.value <> o.value"
    return {
        "new": _records(con, added, max_keys), "new_count": _count(con, added),
        "changed": _records(con, changed, max_keys), "changed_count": _count(con, changed),
    }


def _new_conflicts(con, new_dir: Path, old_dir: Path | None, tables: dict, max_keys: int) -> dict:
    """From the published `conflicts` resource when the release has one; else the indicator
    values reported with more than one value."""
    if "conflicts" in tables:
        key = tables["conflicts"]["schema"]["primaryKey"]
        new = new_dir / "data" / "conflicts.parquet"
        old = old_dir / "data" / "conflicts.parquet" if old_dir else None
        on = " AND ".join(f'n."{c}" = o."{c}"' for c in key)
        sql = f"SELECT n.* FROM read_parquet('{new}') n"
        if old and old.exists():
            sql += f" ANTI JOIN read_parquet('{old}') o ON {on}"
    else:
        on = " AND ".join(f"n.{c} IS NOT DISTINCT FROM o.{c}" for c in SERIES_KEY)
        new_sql = SERIES.format(path=new_dir / "data" / "observations.parquet") + " HAVING count(DISTINCT value) > 1"
        sql = f"SELECT n.* EXCLUDE (value) FROM ({new_sql}) n"
        old = old_dir / "data" / "observations.parquet" if old_dir else None
        if old and old.exists():
            sql += f" ANTI JOIN ({SERIES.format(path=old)} HAVING count(DISTINCT value) > 1) o ON {on}"
    return {"rows": _records(con, sql, max_keys), "count": _count(con, sql)}


def _records(con, sql: str, limit: int) -> list[dict]:
    rel = con.execute(f"SELECT * FROM ({sql}) ORDER BY ALL LIMIT {limit}")
    names = [d[0] for d in rel.description]
    return [dict(zip(names, row)) for row in rel.fetchall()]


def _count(con, sql: str) -> int:
    return con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]


def write(folder: Path, diff: dict) -> None:
    (folder / "changes.json").write_text(json.dumps(diff, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    (folder / "CHANGES.md").write_text(markdown(diff), encoding="utf-8")


def markdown(diff: dict) -> str:
    since = f"since {diff['previous']}" if diff["previous"] else "(first release)"
    lines = [f"# Changes in {diff['version']} {since}", "", "| resource | added | removed | changed |",
             "| --- | ---: | ---: | ---: |"]
    for name, r in diff["resources"].items():
        label = f"{name} (new)" if r["new_resource"] and diff["previous"] else name
        lines.append(f"| {label} | {r['added']} | {r['removed']} | {r['changed']} |")
    values = diff["indicator_values"]
    lines += ["", f"## Indicator values: {values['new_count']} new, {values['changed_count']} changed", ""]
    for v in values["new"]:
        lines.append(f"- new: {v['indicator']}, {v['area']}, {v['as_of']}: {_num(v['value'])}")
    for v in values["changed"]:
        lines.append(f"- changed: {v['indicator']}, {v['area']}, {v['as_of']}: {_num(v['old_value'])} → {_num(v['value'])}")
    conflicts = diff["new_conflicts"]
    lines += ["", f"## New conflicts: {conflicts['count']}", ""]
    for c in conflicts["rows"]:
        lines.append("- " + ", ".join(f"{k}={_num(v)}" for k, v in c.items() if v is not None))
    shown = len(values["new"]) + len(values["changed"]) + len(conflicts["rows"])
    total = values["new_count"] + values["changed_count"] + conflicts["count"]
    if shown < total:
        lines += ["", f"({total - shown} more in changes.json's counts; lists are capped.)"]
    return "\n".join(lines) + "\n"


def _num(v) -> str:
    if isinstance(v, float):
        return f"{int(v):,}" if v.is_integer() else f"{v:,.6g}"
    return str(v)
