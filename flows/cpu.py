"""Worker processes for the CPU-bound step of a run, beside the flow's threads.

Why: the flow's own process is busy crawling (an event loop per site, all under one GIL), and
cleaning and extraction are pure CPU: on a thread of that process they would wait for the crawl
and the crawl for them. A small pool of spawned processes runs them on the other cores while the
crawl goes on. Each batch keeps its Prefect task in the flow's process (visible in the UI, with
its logs); the task waits on its batch. Where no pool was started — `egov parse`, tests, Dask
workers, which are other processes already — the work runs inline.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

_pool: ProcessPoolExecutor | None = None
log = logging.getLogger(__name__)


def workers(setting: int | str) -> int:
    """`auto`: one process per core but the one the flow's own process (the crawl) keeps."""
    return max(0, (os.cpu_count() or 1) - 1) if setting == "auto" else int(setting)


@contextlib.contextmanager
def pool(n: int) -> Iterator[None]:
    """Run `run(...)` calls on `n` worker processes while the block lasts (inline if n < 1)."""
    global _pool
    if n < 1:
        yield
        return
    # Spawned, not forked: a fork would copy the flow's threads' locks and open DuckDB files.
    executor = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"), initializer=_die_with_parent)
    _pool = executor
    try:
        yield
    finally:
        _pool = None
        executor.shutdown(wait=True, cancel_futures=True)


def run(fn: Callable, *args):
    """fn(*args) on the pool if one is running, else here. A pool whose processes cannot start
    (e.g. a script that starts the flow at import, without `if __name__ == "__main__":`) is
    given up for the rest of the block, with a warning, and the work runs here."""
    global _pool
    executor = _pool
    if executor is not None:
        try:
            return executor.submit(fn, *args).result()
        except BrokenProcessPool as exc:
            if _pool is executor:
                _pool = None
                log.warning("worker processes failed (%s); cleaning and extraction run in the flow's process", exc)
    return fn(*args)


def _die_with_parent() -> None:
    """Have the kernel SIGKILL this worker when the flow's process dies (Linux PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the worker still exits when its queue's pipe closes
    if os.getppid() == 1:
        os._exit(1)
