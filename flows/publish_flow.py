"""The `publish` flow: a release from whatever the warehouse holds, on its own schedule, so that
per-site crawls can run as often as their sites need while releases come out once a day."""

from __future__ import annotations

from prefect import flow

from flows import settings, tasks
from flows.refresh import provenance


@flow(name="publish")
def publish(home: str | None = None) -> dict | None:
    h = settings.home(home)
    return tasks.publish_release(h.warehouse, h.releases, provenance(h, run=None))
