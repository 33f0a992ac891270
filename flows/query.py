"""`egov query`: read-only SQL on the warehouse, printed as a table, CSV or JSON, or written as Parquet.

Each query opens the warehouse read-only for as long as it runs and no longer: DuckDB lets no
other process open a file that one process has open read-write, so a reader that held it would
stall the pipeline, and a pipeline that held it would stall readers (warehouse/store.py). The
shell follows the same rule, one connection per statement, so a `refresh` can load between two
of a user's queries.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

import warehouse

FORMATS = ("table", "csv", "json", "parquet")


def run_query(warehouse_path: Path, sql: str, fmt: str = "table", output: Path | None = None,
              wait: float | None = None) -> str:
    """Run `sql` read-only; return the text to print (or a one-line note when written to `output`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt == "parquet" and output is None:
        raise ValueError("--format parquet needs --output FILE (Parquet is binary)")
    with warehouse.connect(warehouse_path, read_only=True, wait=wait) as con:
        try:
            rel = con.sql(sql)
            if rel is None:
                return ""
            table = rel.to_arrow_table()
        except duckdb.Error as exc:
            raise ValueError(error_message(exc, sql)) from None
    if fmt == "parquet":
        pq.write_table(table, output, compression="zstd")
        return f"{table.num_rows} rows written to {output}\n"
    text = render(table.column_names, [tuple(r.values()) for r in table.to_pylist()], fmt)
    if output is not None:
        Path(output).write_text(text, encoding="utf-8")
        return f"{table.num_rows} rows written to {output}\n"
    return text


def render(columns: list[str], rows: list[tuple], fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue()
    if fmt == "json":
        return "".join(json.dumps(dict(zip(columns, r)), ensure_ascii=False, default=str) + "\n" for r in rows)
    return _table(columns, rows)


def error_message(exc: Exception, sql: str) -> str:
    """DuckDB's message on one line, with the position it points at as line and column."""
    lines = str(exc).splitlines()
    message = " ".join(line.strip() for line in lines if line.strip() and not line.startswith("LINE ")
                       and not set(line.strip()) <= {"^"})
    for i, line in enumerate(lines):
        found = re.match(r"LINE (\d+): ", line)
        if found and i + 1 < len(lines) and "^" in lines[i + 1]:
            column = lines[i + 1].index("^") - len(found.group(0)) + 1
            source = sql.splitlines()[int(found.group(1)) - 1] if sql.splitlines() else ""
            column = max(1, column)
            return f"{message} (at line {found.group(1)}, column {column}: {source.strip()[:80]!r})"
    return message


def shell(warehouse_path: Path, stdin=None, stdout=None) -> int:
    """A small interactive SQL prompt: statements end with ';'. `.help` lists the commands."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        try:
            import readline  # noqa: F401 - line editing and history, where available
        except ImportError:
            pass
    fmt, buffer = "table", []
    say = lambda text: print(text, end="" if text.endswith("\n") else "\n", file=stdout)  # noqa: E731
    if interactive:
        say(f"egov query shell on {warehouse_path} (read-only). End statements with ';'. .help for help, .quit to leave.")
    while True:
        if interactive:
            stdout.write("egov> " if not buffer else "  ... ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        stripped = line.strip()
        if not buffer and stripped.startswith("."):
            command, _, arg = stripped.partition(" ")
            if command in (".quit", ".exit"):
                break
            fmt = _dot_command(command, arg.strip(), fmt, warehouse_path, say)
            continue
        buffer.append(line)
        if stripped.endswith(";"):
            sql, buffer = "".join(buffer), []
            try:
                say(run_query(warehouse_path, sql, fmt))
            except (ValueError, warehouse.WarehouseLocked) as exc:
                say(f"error: {exc}")
    return 0


SHELL_HELP = """.tables            tables and views, with their descriptions
.schema NAME       the columns of a table or view
.format FORMAT     table, csv or json
.quit              leave"""


def _dot_command(command: str, arg: str, fmt: str, warehouse_path: Path, say) -> str:
    if command == ".format" and arg in ("table", "csv", "json"):
        return arg
    if command == ".tables":
        say(run_query(warehouse_path, "SELECT table_name AS name, table_type AS kind FROM information_schema.tables "
                                      "WHERE table_schema = 'main' AND table_name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY 1"))
    elif command == ".schema" and arg:
        try:
            say(run_query(warehouse_path, f"DESCRIBE {_ident(arg)}"))
        except ValueError as exc:
            say(f"error: {exc}")
    else:
        say(SHELL_HELP)
    return fmt


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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
