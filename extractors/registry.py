"""The source registry (config/sources.toml), loaded once and checked before anything is fetched.

Why a loader of its own: the registry is hand-edited data, and a typo in it (a missing key, a
regular expression that does not compile, a listing URL without its `{page}` slot) should stop a
run at once with one line that says which file, which site and which key, rather than surface
half-way through a crawl as a KeyError. Sites come back as plain dicts (the stage-boundary rule
of docs/architecture.md) with `[defaults]` merged underneath each site's own values; a site's
discovery entries are merged with nothing, so each entry says what it means.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "config" / "sources.toml"

# Keys every site must end up with (after [defaults] are merged), and the type each must have.
SITE_KEYS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "name": str,
    "base_url": str,
    "adapter": str,
    "area": str,
    "article_url": str,
    "discovery": list,
    "user_agent": str,
    "requests_per_second": (int, float),
    "concurrency": int,
    "timeout_s": (int, float),
    "max_retries": int,
    "max_bytes": int,
    "max_pages": int,
}
POSITIVE_KEYS = ("requests_per_second", "concurrency", "timeout_s", "max_bytes", "max_pages")
# Optional keys (fetch.py falls back when absent); each, when given, must be a positive number.
OPTIONAL_POSITIVE_KEYS = ("connect_timeout_s", "read_timeout_s", "total_timeout_s", "max_decoded_bytes",
                          "max_articles", "max_connections", "backoff_s")

# Discovery kinds and the keys each needs; a listing URL must also carry one of its slots.
DISCOVERY_KEYS: dict[str, tuple[str, ...]] = {
    "rss": ("urls",),
    "sitemap": ("urls",),
    "listing": ("url", "links"),
    "daily_listing": ("url", "links", "days"),
}
LISTING_SLOTS = ("{page}", "{offset}")
DAILY_SLOT = re.compile(r"\{date(:[^}]*)?\}")


def load_sites(path: Path | str = REGISTRY_PATH) -> list[dict[str, Any]]:
    """Every `[[site]]` of the registry, `[defaults]` merged in, validated."""
    path = Path(path)
    data = _read_toml(path)
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ValueError(f"{path}: [defaults] must be a table")
    sites = data.get("site")
    if not isinstance(sites, list) or not sites:
        raise ValueError(f"{path}: no [[site]] tables")
    merged = [{**defaults, **site} for site in sites]
    seen_ids: set[str] = set()
    for index, site in enumerate(merged):
        _validate_site(site, path, index)
        if site["id"] in seen_ids:
            raise ValueError(f"{path}: site {site['id']!r}: key 'id': duplicate site id")
        seen_ids.add(site["id"])
    return merged


def load_site(site_id: str, path: Path | str = REGISTRY_PATH) -> dict[str, Any]:
    """One site of the registry by id (ValueError naming the id if there is none)."""
    for site in load_sites(path):
        if site["id"] == site_id:
            return site
    raise ValueError(f"{path}: no site with id {site_id!r}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ValueError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path}: not valid TOML: {_one_line(str(e))}") from None


def _validate_site(site: dict[str, Any], path: Path, index: int) -> None:
    name = site.get("id") if isinstance(site.get("id"), str) else f"#{index + 1}"

    def fail(key: str, problem: str) -> None:
        raise ValueError(f"{path}: site {name!r}: key {key!r}: {problem}")

    for key, kind in SITE_KEYS.items():
        if key not in site:
            fail(key, "missing")
        value = site[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            fail(key, f"expected {_type_name(kind)}, got {type(value).__name__} {value!r}")
    for key in POSITIVE_KEYS:
        if site[key] <= 0:
            fail(key, f"must be > 0, got {site[key]!r}")
    for key in OPTIONAL_POSITIVE_KEYS:
        value = site.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
            fail(key, f"must be a number > 0, got {value!r}")
    if site["max_retries"] < 0:
        fail("max_retries", f"must be >= 0, got {site['max_retries']!r}")
    if not re.match(r"^https?://[^/]+$", site["base_url"].rstrip("/")):
        fail("base_url", f"not an http(s) site address: {site['base_url']!r}")
    try:
        re.compile(site["article_url"])
    except re.error as e:
        fail("article_url", f"invalid regular expression: {e}")
    if not site["discovery"]:
        fail("discovery", "no [[site.discovery]] entries")
    for number, entry in enumerate(site["discovery"], start=1):
        problem = _discovery_problem(entry)
        if problem:
            key, text = problem
            fail(f"discovery[{number}].{key}", text)


def _discovery_problem(entry: Any) -> tuple[str, str] | None:
    """(key, problem) for the first thing wrong with one discovery entry, else None."""
    if not isinstance(entry, dict):
        return "", "must be a table"
    kind = entry.get("kind")
    if kind not in DISCOVERY_KEYS:
        return "kind", f"unknown kind {kind!r} (known: {', '.join(DISCOVERY_KEYS)})"
    for key in DISCOVERY_KEYS[kind]:
        if key not in entry:
            return key, "missing"
    if "urls" in entry and not (
        isinstance(entry["urls"], list) and entry["urls"] and all(isinstance(u, str) for u in entry["urls"])
    ):
        return "urls", "must be a non-empty list of URLs"
    if kind == "listing" and not any(slot in entry["url"] for slot in LISTING_SLOTS):
        return "url", f"a listing URL needs a {' or '.join(LISTING_SLOTS)} slot"
    if kind == "daily_listing" and not DAILY_SLOT.search(entry["url"]):
        return "url", "a daily listing URL needs a {date:FORMAT} slot"
    for key in ("first_page", "step", "max_pages", "days"):
        if key in entry and (not isinstance(entry[key], int) or isinstance(entry[key], bool)):
            return key, f"expected an integer, got {entry[key]!r}"
    for key in ("step", "max_pages", "days"):
        if key in entry and entry[key] <= 0:
            return key, f"must be > 0, got {entry[key]!r}"
    if "links" in entry and not (isinstance(entry["links"], str) and entry["links"].strip()):
        return "links", "must be a CSS selector"
    return None


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {"str": "a string", "int": "an integer", "float": "a number", "list": "a list"}
    return " or ".join(names.get(k.__name__, k.__name__) for k in kinds)


def _one_line(text: str) -> str:
    return " ".join(text.split())
