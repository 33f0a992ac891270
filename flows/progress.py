"""Progress of a long command: the flow's stages report, the CLI draws the bars.

Why a sink rather than bars in the flow: a flow also runs unattended (deployments, workers), where
there is no terminal to draw on. Reports are plain calls that cost nothing when no one listens; the
CLI installs a listener around the flow it runs. Reports from other processes (Dask workers) are
not forwarded: the bars then move per batch, as each batch comes back to the flow.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator

STAGES = {"pages": "pages crawled", "articles": "pages cleaned + extracted", "rows": "rows loaded"}

_listener: Callable[[str, int, int], None] | None = None
_lock = threading.Lock()


def advance(stage: str, done: int = 1, total: int = 0) -> None:
    """`done` more units of `stage` finished; `total` more are now expected (thread-safe)."""
    listener = _listener
    if listener is not None:
        with _lock:
            listener(stage, done, total)


@contextlib.contextmanager
def listening(listener: Callable[[str, int, int], None]) -> Iterator[None]:
    """Send every report to `listener(stage, done, total)` while the block runs."""
    global _listener
    _listener = listener
    try:
        yield
    finally:
        _listener = None


@contextlib.contextmanager
def bars(enabled: bool | None = None) -> Iterator[None]:
    """Draw one bar per stage on stderr while the block runs (default: only on a terminal;
    EGOV_PROGRESS=1 or 0 forces them on or off)."""
    if enabled is None:
        forced = os.environ.get("EGOV_PROGRESS")
        enabled = sys.stderr.isatty() if forced is None else forced == "1"
    if not enabled:
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description:<26}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        tasks = {stage: progress.add_task(label, total=0) for stage, label in STAGES.items()}
        totals = dict.fromkeys(STAGES, 0)

        def listener(stage: str, done: int, total: int) -> None:
            if total:
                totals[stage] += total
                progress.update(tasks[stage], total=totals[stage])
            progress.advance(tasks[stage], done)

        with listening(listener):
            yield
