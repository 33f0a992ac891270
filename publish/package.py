"""The Frictionless Data Package descriptor of a release (`datapackage.json`).

Each table is published twice, as CSV and as Parquet, with the same Table Schema taken from
`schemas/` — the schema users read is the schema the warehouse was built from.
"""

from __future__ import annotations

import copy
from pathlib import Path

import schemas
from publish import settings
from publish.export import sha256_file


def resource_name(table: str, fmt: str) -> str:
    return table if fmt == "csv" else f"{table}-{fmt}"


def resource(table: str, fmt: str, path: Path, root: Path, rows: int) -> dict:
    schema = copy.deepcopy(schemas.load(table))
    description = schema.pop("description", "")
    if fmt != "csv":
        # Declared as a file so that frictionless checks its bytes and hash; the gate proves
        # it holds exactly the rows of the CSV resource, which frictionless checks row by row.
        description += f" The same rows as resource {table!r}, as {fmt}."
    return {
        "name": resource_name(table, fmt),
        "type": "table" if fmt == "csv" else "file",
        "path": path.relative_to(root).as_posix(),
        "scheme": "file",
        **settings.FORMATS[fmt],
        "title": f"{table} ({fmt})",
        "description": description,
        "bytes": path.stat().st_size,
        "hash": f"sha256:{sha256_file(path)}",
        "schema": schema,
        "egov:rows": rows,
    }


def descriptor(*, version: str, created: str, resources: list[dict], sources: list[dict],
               provenance: dict) -> dict:
    return {
        "name": settings.PACKAGE_NAME,
        "title": settings.TITLE,
        "description": settings.DESCRIPTION,
        "version": version,
        "created": created,
        "licenses": settings.LICENSES,
        "contributors": settings.CONTRIBUTORS,
        "keywords": settings.KEYWORDS,
        "sources": [{"title": s["name"], "path": s["base_url"]} for s in sources],
        "resources": resources,
        "egov:provenance": provenance,
    }
