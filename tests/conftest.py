"""Shared test set-up. Prefect's environment is set here, before any test imports Prefect:
analytics off and its home in a throw-away folder, so tests contact nothing but 127.0.0.1."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="egov-test-prefect-"))
os.environ["PREFECT_HOME"] = str(_PREFECT_HOME)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
os.environ.pop("PREFECT_API_URL", None)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


# ------------------------------------------------------------------------ the offline mirror
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def mirror_root() -> Path:
    """mirror/sites: the generated mirror, one folder per host."""
    return REPO / "mirror" / "sites"


@pytest.fixture(scope="session")
def mirror_url(mirror_root):
    """Base URL (http://127.0.0.1:PORT) of the mirror served on a free port for the session."""
    from mirror.server import MirrorServer

    with MirrorServer(mirror_root) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect server for the session, stopped by the fixture — not at
    interpreter exit, when pytest has already closed the streams Prefect logs to."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def fast_registry(tmp_path_factory) -> Path:
    """config/sources.toml with the per-host rate raised to 50/s: the mirror is local, so flow
    tests need not spend their time being polite (robots.txt Crawl-delay still applies)."""
    import re

    text = (REPO / "config" / "sources.toml").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("registry") / "sources.toml"
    path.write_text(re.sub(r"(?m)^requests_per_second = [\d.]+", "requests_per_second = 50.0", text), encoding="utf-8")
    return path
