"""`refresh` on prefect-dask's DaskTaskRunner over a two-process Dask cluster publishes the same
release as the default thread runner, and the site tasks really ran on the cluster."""

from __future__ import annotations

from release_data import assert_same_data, release_rows

SITES = ["chinhphu.vn", "thanhtra.com.vn"]


def test_dask_runner_gives_the_release_of_the_default_runner(prefect_server, mirror_url, fast_registry, tmp_path):
    from distributed import Client, LocalCluster
    from prefect_dask import DaskTaskRunner

    from flows import tasks
    from flows.refresh import refresh

    run = dict(mirror=mirror_url, sites=SITES, registry=str(fast_registry))
    threads = refresh(home=str(tmp_path / "threads"), **run)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        on_dask = refresh.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))
        dask = on_dask(home=str(tmp_path / "dask"), **run)  # as `egov refresh --dask N`: frontiers opened on the workers
        # The scheduler keeps a prefix (the function's name) for every kind of task it was given.
        ran = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert threads["run"]["status"] == dask["run"]["status"] == "ok", (threads["sites"], dask["sites"])
    assert tasks.crawl_site.fn.__name__ in ran and len(ran) >= 2, f"the cluster ran {ran}, not the site tasks"
    expected = release_rows(tmp_path / "threads")
    assert len(expected["articles"]) > 1
    assert_same_data(release_rows(tmp_path / "dask"), expected, "on Dask")
