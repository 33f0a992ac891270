"""The validation gate: nothing is published until every row of every resource is proven valid.

How every row is proven valid, affordably (see docs/releases.md):
- frictionless checks every row of each CSV resource against its Table Schema (types,
  constraints, primary key within the part). A large CSV is checked as the parts it was
  written from, in parallel processes; the parts hash to exactly the published file.
- DuckDB checks what spans parts: primary keys unique over the whole resource, foreign keys
  resolving, row counts equal to the warehouse's.
- The Parquet files and the DuckDB database are proven to hold exactly the CSV's rows
  (EXCEPT ALL both ways, values compared as the CSV writes them), so they are valid too —
  frictionless reads Parquet through pandas at six times the cost of CSV.
- Every file's bytes and sha256 match the descriptor.
The first failure is one line naming the resource, row and field.
"""

from __future__ import annotations

import copy
import ctypes
import hashlib
import json
import multiprocessing
import os
import signal
import tempfile
import time
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import frictionless

from publish import sqlcheck
from publish.export import part_bytes, sha256_file


class GateFailed(RuntimeError):
    """The release did not validate; nothing was published."""


def check(package_path: Path, parts: dict[str, list[dict]], *, workers: int = 1,
          frictionless_max_rows: int | None = None, parallel_min_rows: int = 0, memory_limit: str | None = None,
          timings: dict | None = None) -> dict:
    """Validate the release described by `package_path`; `parts` maps each CSV resource to the
    parts its file was written from. Resources with more than `frictionless_max_rows` rows are
    proven row by row by DuckDB (publish/sqlcheck.py), the rest by frictionless: in `workers`
    processes once they have `parallel_min_rows` rows to check between them (starting a process
    that imports frictionless costs about a second). Raises GateFailed; returns what was checked
    how. `timings` receives seconds per kind of check."""
    timings = timings if timings is not None else {}
    root = package_path.parent
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    with _timed(timings, "  gate: descriptor, bytes, sha256, parts = file"):
        _check_descriptor(descriptor)
        for res in descriptor["resources"]:
            _check_file(root, res, parts.get(res["name"]))
    tables = [r for r in descriptor["resources"] if r.get("type") == "table"]
    by_sql = [r for r in tables if frictionless_max_rows is not None and r["egov:rows"] > frictionless_max_rows
              and _compiles(r["schema"])]
    sized = [(_part_rows(r, parts[r["name"]], i), (r["name"], r["schema"], str(p["path"]), p["first_row"]))
             for r in tables if r not in by_sql for i, p in enumerate(parts[r["name"]])]
    # Largest parts first, so that the workers run out of work at about the same time.
    jobs = [job for _, job in sorted(sized, key=lambda s: -s[0])]
    parallel = workers if sum(n for n, _ in sized) >= parallel_min_rows else 1
    with _timed(timings, "  gate: frictionless rows"):
        _check_rows(jobs, parallel)
    with tempfile.TemporaryDirectory(prefix="egov-gate-") as spill, duckdb.connect(config=_limits(memory_limit, spill)) as con:
        with _timed(timings, "  gate: DuckDB rows (compiled Table Schema)"):
            for res in by_sql:
                error = sqlcheck.first_error(con, res["name"], root / res["path"], res["schema"])
                if error:
                    raise GateFailed(error)
        with _timed(timings, "  gate: DuckDB keys, foreign keys, counts"):
            con.execute("SET preserve_insertion_order = true")
            for res in tables:
                _load_csv(con, root, res)
            for res in tables:
                _check_keys(con, root, res, descriptor)
        with _timed(timings, "  gate: DuckDB Parquet + database = CSV"):
            for res in tables:
                _check_twins(con, root, res, descriptor)
    return {"resources": len(descriptor["resources"]), "rows": sum(r["egov:rows"] for r in tables),
            "by_frictionless": sorted({j[0] for j in jobs}), "by_duckdb": [r["name"] for r in by_sql]}


def _limits(memory_limit: str | None, spill: str) -> dict:
    """DuckDB spills to `spill` past `memory_limit`, instead of growing to its default (80% of RAM)."""
    return {"memory_limit": memory_limit, "temp_directory": spill} if memory_limit else {}


def _part_rows(res: dict, parts: list[dict], i: int) -> int:
    end = parts[i + 1]["first_row"] if i + 1 < len(parts) else res["egov:rows"]
    return end - parts[i]["first_row"]


@contextmanager
def _timed(timings: dict, name: str):
    start = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def _compiles(schema: dict) -> bool:
    try:
        sqlcheck.checks(schema)
        return True
    except sqlcheck.Unsupported:
        return False


def _check_descriptor(descriptor: dict) -> None:
    try:
        frictionless.Package.from_descriptor(copy.deepcopy(descriptor), basepath=".")
    except frictionless.FrictionlessException as exc:
        raise GateFailed(f"datapackage.json is not a valid Data Package: {exc.error.message}") from exc


def _check_file(root: Path, res: dict, parts: list[dict] | None) -> None:
    path = root / res["path"]
    size = path.stat().st_size if path.exists() else None
    if size != res["bytes"]:
        raise GateFailed(f"resource {res['name']!r}: {res['path']} has {size} bytes, the descriptor says {res['bytes']}")
    if f"sha256:{sha256_file(path)}" != res["hash"]:
        raise GateFailed(f"resource {res['name']!r}: {res['path']} does not match its sha256 hash")
    if parts is not None and [Path(p["path"]) for p in parts] != [path]:
        digest = hashlib.sha256()
        for chunk in part_bytes(parts):
            digest.update(chunk)
        if f"sha256:{digest.hexdigest()}" != res["hash"]:
            raise GateFailed(f"resource {res['name']!r}: {res['path']} is not the concatenation of its validated parts")


def _check_rows(jobs: list[tuple], workers: int) -> None:
    if workers > 1 and len(jobs) > 1:
        # Spawned, not forked: a forked worker would inherit the releases lock and the warehouse
        # file, and outlive a killed publisher holding them, blocked on its queue forever.
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_die_with_parent) as pool:
            errors = list(pool.map(validate_part, *zip(*jobs)))
    else:
        errors = [validate_part(*job) for job in jobs]
    for error in errors:
        if error:
            raise GateFailed(error)


def _die_with_parent() -> None:
    """Have the kernel SIGKILL this worker when the publisher dies (Linux PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the worker still exits when its queue's pipe closes
    if os.getppid() == 1:
        os._exit(1)


def validate_part(name: str, schema: dict, path: str, first_row: int) -> str | None:
    """frictionless, row by row, on one part; the first error as one line, or None.
    Row numbers are the published file's: the header is row 1, as frictionless counts."""
    schema = {k: v for k, v in schema.items() if k != "foreignKeys"}  # checked across parts by DuckDB
    part = Path(path)
    resource = frictionless.Resource(path=part.name, basepath=str(part.parent), schema=frictionless.Schema.from_descriptor(schema))
    report = frictionless.validate(resource)
    if report.valid:
        return None
    for task in report.tasks:
        for error in task.errors:
            where = [f"resource {name!r}"]
            row = getattr(error, "row_number", None)
            if row is not None:
                where.append(f"row {row + first_row}")
            field = getattr(error, "field_name", None)
            if field is None and error.type == "primary-key":
                field = ", ".join(schema["primaryKey"])
            if field is not None:
                where.append(f"field {field}")
            return f"validation failed at {', '.join(where)}: {error.message}"
    return f"validation failed at resource {name!r}: {report.errors[0].message if report.errors else 'invalid'}"


def _load_csv(con, root: Path, res: dict) -> None:
    """Each CSV read once, every column as text, rows numbered as frictionless numbers them
    (header = row 1); the key and twin checks read this copy."""
    source = sqlcheck.csv_source(root / res["path"], [f["name"] for f in res["schema"]["fields"]])
    con.execute(f'CREATE OR REPLACE TEMP TABLE "_csv_{res["name"]}" AS SELECT row_number() OVER () + 1 AS _row, * '
                f"FROM {source}")


def _csv(root: Path, res: dict) -> str:
    return f'"_csv_{res["name"]}"'


def _check_keys(con, root: Path, res: dict, descriptor: dict) -> None:
    name, schema = res["name"], res["schema"]
    count = con.execute(f"SELECT count(*) FROM {_csv(root, res)}").fetchall()[0][0]
    if count != res["egov:rows"]:
        raise GateFailed(f"resource {name!r} holds {count} rows, the warehouse {res['egov:rows']}")
    keys = ", ".join(f'"{k}"' for k in schema["primaryKey"])
    dup = con.execute(
        f"SELECT _row, {keys} FROM {_csv(root, res)} QUALIFY count(*) OVER (PARTITION BY {keys}) > 1 "
        f"ORDER BY _row LIMIT 1 OFFSET 1"
    ).fetchall()
    if dup:
        raise GateFailed(f"validation failed at resource {name!r}, row {dup[0][0]}, field {schema['primaryKey'][0]}: "
                         f"primary key {dup[0][1:]} is not unique")
    for fk in schema.get("foreignKeys", []):
        parent = next(r for r in descriptor["resources"] if r["name"] == fk["reference"]["resource"])
        cond = " AND ".join(f'c."{a}" = p."{b}"' for a, b in zip(fk["fields"], fk["reference"]["fields"]))
        present = " AND ".join(f'c."{a}" IS NOT NULL' for a in fk["fields"])
        bad = con.execute(
            f"SELECT c._row, {', '.join(f'c.{chr(34)}{a}{chr(34)}' for a in fk['fields'])} FROM {_csv(root, res)} c "
            f"WHERE {present} AND NOT EXISTS (SELECT 1 FROM {_csv(root, parent)} p WHERE {cond}) ORDER BY c._row LIMIT 1"
        ).fetchall()
        if bad:
            raise GateFailed(f"validation failed at resource {name!r}, row {bad[0][0]}, field {fk['fields'][0]}: "
                             f"{bad[0][1:]} is not in resource {parent['name']!r}")


def _as_text(schema: dict) -> str:
    columns = []
    for field in schema["fields"]:
        name = '"' + field["name"] + '"'
        if field["type"] == "datetime":
            columns.append(f"strftime({name} AT TIME ZONE 'Asia/Ho_Chi_Minh', '%Y-%m-%dT%H:%M:%S+07:00')")
        else:
            columns.append(f"CAST({name} AS VARCHAR)")
    return ", ".join(columns)


def _check_twins(con, root: Path, res: dict, descriptor: dict) -> None:
    """The Parquet twin and the database table hold exactly the CSV's rows, in the same order:
    scanned side by side (POSITIONAL JOIN), every value compared as the CSV writes it."""
    name, fields = res["name"], res["schema"]["fields"]
    others = {}
    for twin in descriptor["resources"]:
        if twin["name"] == f"{name}-parquet":
            others[twin["name"]] = f"read_parquet('{root / twin['path']}')"
        elif twin["name"] == "database":
            con.execute(f"ATTACH IF NOT EXISTS '{root / twin['path']}' AS _release (READ_ONLY)")
            others[f"database table {name}"] = f'_release."{name}"'
    csv = f"(SELECT * EXCLUDE (_row) FROM {_csv(root, res)})"
    try:
        for label, source in others.items():
            text = f"(SELECT {_as_text(res['schema'])} FROM {source})"
            differs = " OR ".join(f"c.c{i} IS DISTINCT FROM t.t{i}" for i in range(len(fields)))
            c_cols = ", ".join(f'"{f["name"]}" AS c{i}' for i, f in enumerate(fields))
            t_cols = ", ".join(f"#{i + 1} AS t{i}" for i in range(len(fields)))
            found = con.execute(
                f"SELECT count(*), min(_row) FILTER (WHERE {differs}) "
                f"FROM (SELECT row_number() OVER () + 1 AS _row, {c_cols} FROM {csv}) c "
                f"POSITIONAL JOIN (SELECT {t_cols} FROM {text}) t"
            ).fetchall()[0]
            total, first_bad = found
            if first_bad is not None or total != res["egov:rows"]:
                where = f"row {first_bad}" if first_bad is not None else f"{total} rows against {res['egov:rows']}"
                raise GateFailed(f"validation failed at resource {label!r}: it differs from resource {name!r} at {where}")
    finally:
        con.execute("DETACH DATABASE IF EXISTS _release")
