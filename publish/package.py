"""The Frictionless Data Package descriptor of a release (`datapackage.json`).

Each table is published as CSV and as Parquet with the same Table Schema, taken from
`schemas/` — the schema users read is the schema the warehouse was built from — and all of
them once more as one DuckDB database file.
"""

from __future__ import annotations

import copy
from pathlib import Path

from publish.export import sha256_file
from publish.settings import FORMATS, Config


def resource_name(table: str, fmt: str) -> str:
    return table if fmt == "csv" else f"{table}-{fmt}"


def resource(res: dict, fmt: str, path: Path, root: Path, rows: int) -> dict:
    schema = copy.deepcopy(res["schema"])
    description = schema.pop("description", "")
    table = res["name"]
    if fmt != "csv":
        # Declared as a file so that frictionless checks its bytes and hash; the gate proves
        # it holds exactly the rows of the CSV resource, which is validated row by row.
        description += f" The same rows as resource {table!r}, as {fmt}."
    return {
        "name": resource_name(table, fmt),
        "type": "table" if fmt == "csv" else "file",
        "path": path.relative_to(root).as_posix(),
        "scheme": "file",
        **FORMATS[fmt],
        "title": f"{table} ({fmt})",
        "description": description,
        "bytes": path.stat().st_size,
        "hash": f"sha256:{sha256_file(path)}",
        "schema": schema,
        "egov:rows": rows,
    }


def database_resource(path: Path, root: Path, tables: dict[str, int]) -> dict:
    return {
        "name": "database",
        "type": "file",
        "path": path.relative_to(root).as_posix(),
        "scheme": "file",
        **FORMATS["duckdb"],
        "title": "All tables as one DuckDB database",
        "description": "Every table of this release in one DuckDB file: ATTACH it and query. "
                       "Its tables hold exactly the rows of the CSV resources of the same names.",
        "bytes": path.stat().st_size,
        "hash": f"sha256:{sha256_file(path)}",
        "egov:tables": tables,
    }


def descriptor(config: Config, *, version: str, created: str, resources: list[dict],
               sources: list[dict], provenance: dict) -> dict:
    pkg = config.package
    return {
        "name": pkg["name"],
        "title": pkg["title"],
        "description": pkg["description"],
        "version": version,
        "created": created,
        "homepage": pkg["homepage"],
        "licenses": pkg["licenses"],
        "contributors": pkg["contributors"],
        "keywords": config.keywords["en"] + config.keywords["vi"],
        "sources": [{"title": s["name"], "path": s["base_url"]} for s in sources],
        "resources": resources,
        "egov:provenance": provenance,
    }
