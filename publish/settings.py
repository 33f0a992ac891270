"""The publishing settings, read from `publish/release.toml`: metadata, resources, tunables.

They live in TOML so that a title, a keyword, the publisher or the gate's part size changes as
data. `Config` is a frozen dataclass so a test (or a benchmark) can vary one setting with
`dataclasses.replace` without touching the file.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOML = HERE / "release.toml"
REPO = HERE.parent

FORMATS = {
    "csv": {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"},
    "parquet": {"format": "parquet", "mediatype": "application/vnd.apache.parquet"},
    "duckdb": {"format": "duckdb", "mediatype": "application/vnd.duckdb.database"},
}
DATABASE_FILE = "egov-data.duckdb"


@dataclasses.dataclass(frozen=True)
class Config:
    package: dict
    keywords: dict
    dcat: dict
    resources: tuple[dict, ...]
    part_rows: int
    workers: int
    parallel_min_rows: int
    memory_limit: str | None
    row_group_bytes: str
    frictionless_max_rows: int | None
    max_keys: int
    # Folders searched for `<name>.schema.json` after `schemas/` (which holds every published
    # resource's, the indicator catalogue's included): any a test adds.
    schema_dirs: tuple[Path, ...] = ()


def load(path: Path = TOML) -> Config:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return Config(
        package=raw["package"], keywords=raw["keywords"], dcat=raw["dcat"],
        resources=tuple(raw["resources"]), part_rows=raw["gate"]["part_rows"],
        workers=raw["gate"]["workers"], parallel_min_rows=raw["gate"]["parallel_min_rows"], memory_limit=raw["gate"].get("memory_limit"), row_group_bytes=raw["export"]["parquet_row_group_bytes"], frictionless_max_rows=raw["gate"].get("frictionless_max_rows"), max_keys=raw["changes"]["max_keys"],
    )


_DEFAULT = load()
PACKAGE_NAME = _DEFAULT.package["name"]
TITLE = _DEFAULT.package["title"]


def default() -> Config:
    return _DEFAULT
