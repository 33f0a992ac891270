"""Where everything lives, and the environment Prefect needs, set before Prefect is imported.

Everything the pipeline writes lives under one home folder, `$EGOV_HOME` (default `./data`):
the warehouse, the raw archive, the releases, and Prefect's own state. Prefect's analytics are
switched off so that nothing but 127.0.0.1 is ever contacted (shared/notes/dependencies.md).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TUNABLES = tomllib.loads(Path(__file__).with_name("settings.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Home:
    root: Path

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def frontier(self) -> Path:
        """One SQLite file per site: the crawl queue and fetch log (warehouse/frontier.py)."""
        return self.root / "frontier"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    @property
    def prefect(self) -> Path:
        return self.root / "prefect"


def home(root: str | Path | None = None) -> Home:
    return Home(Path(root or os.environ.get("EGOV_HOME") or "data").resolve())


def configure_prefect(h: Home) -> None:
    """Prefect reads these at import: call before the first `import prefect`."""
    h.root.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(h.prefect))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # The temporary server a bare flow starts needs 7–17 s on this class of machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
