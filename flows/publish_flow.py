"""The `publish` flow: a release from whatever the warehouse holds, on its own schedule, so that
per-site crawls can run as often as their sites need while releases come out once a day."""

from __future__ import annotations

from prefect import flow, get_run_logger

from flows import alerts, settings, storage, tasks
from flows.refresh import provenance


@flow(name="publish")
def publish(home: str | None = None) -> dict | None:
    h = settings.home(home)
    release = tasks.publish_release(h.warehouse, h.releases, provenance(h, run=None))
    errors = storage.replicate(h.root, h.archive, h.releases, archive=False)["errors"]
    for line in errors:  # the release is safe locally; the next publish or `egov sync` uploads it
        get_run_logger().warning("%s", line)
    if errors:
        alerts.notify({"text": "egov-data publish: release upload failed: " + "; ".join(errors)})
    return release
