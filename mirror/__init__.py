"""The offline mirror (mirror/README.md): a fixed snapshot of the news sites, served on loopback.

A snapshot must be crawled as of the day it was taken, not as of the calendar: discovery that
counts back from "today" (a site's per-day listing pages) would otherwise find less every day
the snapshot ages, and nothing at all a few weeks after it was taken. The snapshot's days are
computed from its articles, so they move with the data; they are Viet Nam days (+07:00), the
sites' own calendar.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path


def snapshot_dates(articles_dir: Path | None = None, registry_path: Path | None = None) -> dict[str, date]:
    """Each site's snapshot day: the newest `published` day (Viet Nam time) of its listed articles.

    The mirror's sites are sampled separately (one site's newest article is months older than
    another's), so each site is "as of" its own newest article; a site without a dated article
    is left out (it is crawled as of the real today). Defaults: mirror/articles, config/sources.toml."""
    from mirror import build  # the build's loader: the same sources, validation and time zone

    sites = build.load_sites(articles_dir or build.ARTICLES_DIR, registry_path or build.SOURCES_TOML)
    newest = {s.id: max((a.published for a in s.sorted_articles() if a.published), default=None) for s in sites}
    return {site: when.date() for site, when in newest.items() if when is not None}

