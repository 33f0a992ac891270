"""Alerts: tell someone when an unattended run fails or degrades.

A JSON POST to the webhook in $EGOV_ALERT_WEBHOOK (Slack-compatible: the message is in `text`,
the details beside it for other receivers). An alert that cannot be delivered is logged, never
raised: a broken webhook must not turn a degraded run into a failed one.
"""

from __future__ import annotations

import logging
import os

import httpx

ENV = "EGOV_ALERT_WEBHOOK"
log = logging.getLogger(__name__)


def message(run: dict, sites: dict, release: dict | None, error: str | None = None) -> dict:
    problems = []
    for site, r in sites.items():
        if r.get("failed"):
            problems.append(f"{site}: {r['failed']} pages failed")
        if r.get("drift"):
            problems.append(f"{site}: template drift on {r['drift']} pages")
        problems += [f"{site}: {line}" for line in r.get("errors", [])[:3]]
    if error:
        problems.append(error)
    head = f"egov-data run {run.get('run_id', '?')} {run.get('status', 'failed')}"
    text = head + ("\n• " + "\n• ".join(problems) if problems else "")
    return {"text": text, "run": run, "problems": problems,
            "release": release and release.get("version")}


def notify(payload: dict, url: str | None = None) -> bool:
    url = url or os.environ.get(ENV)
    if not url:
        return False
    try:
        httpx.post(url, json=payload, timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        log.warning("alert to %s not delivered: %s", url, exc)
        return False
    return True
