"""Every row of a large CSV resource proven valid against its Table Schema, by DuckDB.

frictionless checks about 20,000 observation rows a second per core; a million rows would
take the gate past its 30 s budget on two cores. So for resources above `frictionless_max_rows`
the Table Schema is compiled to SQL and DuckDB checks every cell. The compiled checks are
deliberately *stricter* than frictionless (a cell they accept, frictionless accepts: e.g.
integers as `-?[0-9]+`, where frictionless also takes `+1` or `1_000`), so a pass here is a
pass there; tests/test_publish_gate.py feeds both the same bad cells and requires the same
verdict, row and field. A schema using anything not compiled here raises Unsupported and the
gate falls back to frictionless for that resource.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


class Unsupported(ValueError):
    """The Table Schema uses a type, format or constraint with no SQL check here."""


# Each type's accepted text, as DuckDB's CSV writer produces it (full match), and the cast
# that proves the value real (2024-02-30 matches the pattern but is no date).
TYPES = {
    "string": (None, None),
    "integer": (r"-?[0-9]+", "BIGINT"),
    "number": (r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|-?inf|nan", "DOUBLE"),
    "boolean": (r"true|false", "BOOLEAN"),
    "date": (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "DATE"),
    "datetime": (r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?", "TIMESTAMPTZ"),
}
SUPPORTED = {"required", "enum", "pattern", "minimum", "maximum"}
# String formats: frictionless requires a URI to have a scheme (rfc3986); this asks for more.
FORMATS = {"uri": r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+"}


def _lit(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def checks(schema: dict) -> list[tuple[str, str, str]]:
    """(field, SQL condition that is TRUE for a bad cell, message) per check, in field order."""
    out = []
    for field in schema["fields"]:
        name, typ = field["name"], field.get("type", "string")
        fmt = field.get("format", "default")
        if typ not in TYPES or not (fmt == "default" or (typ == "string" and fmt in FORMATS)):
            raise Unsupported(f"field {name!r}: type {typ!r} with format {fmt!r}")
        extra = set(field.get("constraints", {})) - SUPPORTED
        if extra or "missingValues" in field or "trueValues" in field or "falseValues" in field:
            raise Unsupported(f"field {name!r}: {sorted(extra) or 'custom values'}")
        col = '"' + name.replace('"', '""') + '"'
        present = f"({col} IS NOT NULL AND {col} <> '')"
        pattern, cast = TYPES[typ]
        constraints = field.get("constraints", {})
        if constraints.get("required"):
            out.append((name, f"NOT {present}", "a required value is missing"))
        if pattern:
            out.append((name, f"{present} AND (NOT regexp_full_match({col}, {_lit(pattern)}) "
                              f"OR TRY_CAST({col} AS {cast}) IS NULL)", f"not a valid {typ}"))
        if fmt in FORMATS:
            out.append((name, f"{present} AND NOT regexp_full_match({col}, {_lit(FORMATS[fmt])})", f"not a valid {fmt}"))
        if "enum" in constraints:
            if typ != "string":
                raise Unsupported(f"field {name!r}: enum on {typ}")
            out.append((name, f"{present} AND {col} NOT IN ({', '.join(_lit(v) for v in constraints['enum'])})",
                        f"not one of {constraints['enum']}"))
        if "pattern" in constraints:
            out.append((name, f"{present} AND NOT regexp_full_match({col}, {_lit(constraints['pattern'])})",
                        f"does not match pattern {constraints['pattern']!r}"))
        for key, op in (("minimum", "<"), ("maximum", ">")):
            if key in constraints:
                if not cast or typ == "boolean":
                    raise Unsupported(f"field {name!r}: {key} on {typ}")
                out.append((name, f"{present} AND TRY_CAST({col} AS {cast}) {op} CAST({_lit(constraints[key])} AS {cast})",
                            f"{key} is {constraints[key]}"))
    return out


def csv_source(path: Path | str, names: list[str]) -> str:
    """DuckDB's reading of one of our CSV files, every column as text, header skipped. One reader
    thread (`parallel=false`): our texts span lines, and DuckDB's parallel reader, starting a
    chunk inside a quoted multi-line text, stops with an error on such files past a few tens of
    MB (found publishing 100,000 real-length articles; tests/test_publish_gate.py has one)."""
    columns = ", ".join(f"{_lit(name)}: 'VARCHAR'" for name in names)
    return (f"read_csv({_lit(str(path))}, header=true, auto_detect=false, columns={{{columns}}}, "
            f"delim=',', quote='\"', escape='\"', strict_mode=true, parallel=false)")


def first_error(con: duckdb.DuckDBPyConnection, name: str, path: Path, schema: dict) -> str | None:
    """One line naming the resource, row (header = row 1, as frictionless) and field of the
    first bad cell; None if every row is valid. Raises Unsupported."""
    found = checks(schema)
    with Path(path).open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\r\n")
    expected = ",".join(f["name"] for f in schema["fields"])
    if header != expected:
        return f"validation failed at resource {name!r}, row 1: header {header!r} is not {expected!r}"
    source = csv_source(path, [f["name"] for f in schema["fields"]])
    cases = " ".join(f"WHEN {cond} THEN {i}" for i, (_, cond, _) in enumerate(found))
    where = " OR ".join(f"({cond})" for _, cond, _ in found) or "false"
    sql = (f"SELECT _row, CASE {cases} END FROM (SELECT row_number() OVER () + 1 AS _row, * FROM {source}) "
           f"WHERE {where} ORDER BY _row LIMIT 1")
    try:
        rows = con.execute(sql).fetchall()
    except duckdb.Error as exc:
        return f"validation failed at resource {name!r}: the CSV does not parse: {str(exc).splitlines()[0]}"
    if not rows:
        return None
    row, i = rows[0]
    field, _, message = found[i]
    return f"validation failed at resource {name!r}, row {row}, field {field}: {message}"
