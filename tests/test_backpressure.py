"""A crawl faster than cleaning, extraction and loading waits for them: pages crawled but not yet
loaded stay within the flow's slots, however big the crawl. Without the bound, the pile-up between
crawl and load took a 100,000-page flow past 1.1 GB on a loaded machine (issue 8)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from flows import progress
from mirror.synthetic import SyntheticCorpus, SyntheticServer

REPO = Path(__file__).resolve().parents[1]
BATCH = 20


def _bench_registry(path: Path) -> Path:
    """The benchmarks' registry: politeness lifted, so the crawl outruns the in-thread extraction."""
    spec = importlib.util.spec_from_file_location("bench_scale", REPO / "bench" / "scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    return scale.fast_registry(path)


def test_a_crawl_that_runs_ahead_waits_for_the_loads(prefect_server, tmp_path, monkeypatch):
    from flows import refresh as flow

    monkeypatch.setattr(flow, "BATCH_PAGES", BATCH)
    monkeypatch.setitem(flow.TUNABLES, "cpu_workers", 0)      # clean + extract on the flow's threads
    monkeypatch.setitem(flow.TUNABLES, "batches_waiting", 0)  # one batch between crawl and load
    counts = {"pages": 0, "articles": 0}
    ahead: list[int] = []

    def listener(stage: str, done: int, total: int) -> None:
        counts[stage] = counts.get(stage, 0) + done
        ahead.append(counts["pages"] - counts["articles"])    # crawled, not yet loaded

    corpus = SyntheticCorpus(3200, seed=3)
    site = "mst.gov.vn"
    with SyntheticServer(corpus) as url, progress.listening(listener):
        result = flow.refresh(mirror=url, home=str(tmp_path / "home"), registry=str(_bench_registry(tmp_path / "r.toml")),
                              sites=[site], publish=False, resumable=False)
    wanted = sum(corpus.gold(i)["site"] == site for i in range(corpus.n))
    assert wanted > 300 and counts["pages"] == counts["articles"] == wanted, result["sites"]
    # The slot's batch, the one being loaded (its slot is freed as its load starts) and the full
    # batch waiting for the slot: without the bound, hundreds of pages ran ahead here.
    assert max(ahead) <= 3 * BATCH, max(ahead)


def test_a_load_that_fails_leaves_no_crawl_waiting_for_a_slot(prefect_server, tmp_path, monkeypatch):
    """The flow stops taking batches when a load raises: crawls waiting for a slot must go on to
    their end, not hold the flow's process forever."""
    import subprocess
    import sys
    import threading

    import warehouse
    from flows import refresh as flow
    from warehouse import store

    monkeypatch.setattr(flow, "BATCH_PAGES", BATCH)
    monkeypatch.setitem(flow.TUNABLES, "cpu_workers", 0)
    monkeypatch.setitem(flow.TUNABLES, "batches_waiting", 0)
    monkeypatch.setitem(store.SETTINGS, "writer_wait_s", 0.5)   # a load refuses the held lock at once
    home, holder, outcome = tmp_path / "home", [], {}
    hold = ("import sys, time; from warehouse import writer_lock\n"
            "with writer_lock(sys.argv[1], 30):\n    print('held', flush=True); time.sleep(120)")

    def listener(stage: str, done: int, total: int) -> None:   # another process takes the warehouse
        if stage == "pages" and not holder:
            holder.append(subprocess.Popen([sys.executable, "-c", hold, str(home / "warehouse.duckdb")],
                                           cwd=REPO, stdout=subprocess.PIPE, text=True))
            holder[0].stdout.readline()

    def run(url: str) -> None:
        try:
            flow.refresh(mirror=url, home=str(home), registry=str(_bench_registry(tmp_path / "r.toml")),
                         sites=["mst.gov.vn"], publish=False, resumable=False)
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            outcome["error"] = exc

    corpus = SyntheticCorpus(3200, seed=3)
    try:
        with SyntheticServer(corpus) as url, progress.listening(listener):
            runner = threading.Thread(target=run, args=(url,), daemon=True)
            runner.start()
            runner.join(120)
        assert not runner.is_alive(), "the flow hung: a crawl waited for a slot that no load would free"
        assert isinstance(outcome.get("error"), warehouse.WarehouseLocked), outcome
    finally:
        for p in holder:
            p.kill()
