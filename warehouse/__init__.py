"""The DuckDB warehouse: tables generated from `schemas/`, idempotent batch loads, views."""

from warehouse.store import (  # noqa: F401
    SCHEMA_VERSION,
    WarehouseLocked,
    connect,
    load_batch,
    row_counts,
    upsert,
)
