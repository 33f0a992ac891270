"""The flow's process keeps its heap in a few malloc arenas, however many threads allocate.

Why: a batch of the refresh flow is made on one thread (a crawl's store thread, a task thread,
DuckDB's per-connection threads) and freed on another, and glibc gives each thread an arena of
its own (up to 8 per core), each growing to the most it ever held: at 20,000 real-length
articles the flow's heap grew 7–8 MB per 1,000 pages crawled with no more memory in use
(docs/scaling.md). The structure that held it is the set of arenas, so that is what is counted:
in a fresh process that imported the flow, a dozen threads that each hold an allocation share
`malloc_arenas` (flows/settings.toml: 2) arenas (glibc's malloc_info lists one <heap> per arena).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

COUNT_ARENAS = textwrap.dedent("""
    import ctypes, tempfile, threading
    import flows.refresh  # what a flow's process imports first

    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    held, all_hold, done = [], threading.Barrier(13), threading.Event()

    def hold():
        held.append(bytearray(100_000))  # from this thread's arena (below the mmap threshold)
        all_hold.wait()
        done.wait()

    threads = [threading.Thread(target=hold) for _ in range(12)]
    for t in threads:
        t.start()
    all_hold.wait()
    try:
        with tempfile.NamedTemporaryFile() as f:
            fp = libc.fopen(f.name.encode(), b"w")
            libc.malloc_info(0, fp)
            libc.fclose(fp)
            print(open(f.name).read().count("<heap nr="))
    finally:
        done.set()
    for t in threads:
        t.join()
""")


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}  # glibc's own limit
    return {**env, "PYTHONPATH": str(REPO)}


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc malloc only")
def test_threads_of_the_flow_process_share_a_few_malloc_arenas():
    out = subprocess.run([sys.executable, "-c", COUNT_ARENAS], cwd=REPO, capture_output=True, text=True,
                         timeout=120, env=_env())
    assert out.returncode == 0, out.stderr[-2000:]
    arenas = int(out.stdout)
    assert arenas <= 2, f"{arenas} malloc arenas for 13 threads (flows/settings.toml malloc_arenas: 2)"
