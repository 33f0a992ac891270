"""The DuckDB warehouse: tables generated from `schemas/`, migrations, idempotent batch loads, views."""

from warehouse.compact import compact, figures as storage_figures  # noqa: F401
from warehouse.load import load_batch, row_counts, to_arrow, upsert  # noqa: F401
from warehouse.lock import WarehouseLocked, writer_lock  # noqa: F401
from warehouse.migrations import SCHEMA_VERSION, NotAWarehouse, WarehouseTooNew  # noqa: F401
from warehouse.store import connect  # noqa: F401
