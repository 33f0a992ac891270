"""The flow's worker processes: work goes to them while a pool is up, and a pool that breaks is
given up for the flow's own process, losing no work."""

from __future__ import annotations

import os
import signal

from flows import cpu


def _pid() -> int:
    return os.getpid()


def _die_unless_in(pid: int) -> int:
    """Kill the worker process that runs this; in process `pid` just return it."""
    if os.getpid() != pid:
        os.kill(os.getpid(), signal.SIGKILL)
    return pid


def test_work_runs_on_the_pool_while_it_is_up_and_here_otherwise():
    assert cpu.run(_pid) == os.getpid()
    with cpu.pool(1):
        assert cpu.run(_pid) != os.getpid()
    assert cpu.run(_pid) == os.getpid()


def test_a_broken_pool_is_given_up_and_the_work_runs_here(caplog):
    with cpu.pool(1):
        assert cpu.run(_die_unless_in, os.getpid()) == os.getpid()   # the worker died: it ran here instead
        assert "worker processes failed" in caplog.text
        assert cpu.run(_pid) == os.getpid()  # and the rest of the block runs here too


def test_auto_keeps_one_core_for_the_crawl():
    assert cpu.workers("auto") == max(0, (os.cpu_count() or 1) - 1)
    assert cpu.workers(3) == 3
