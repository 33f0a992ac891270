"""A release's data as plain rows, for tests that compare two releases made different ways."""

from __future__ import annotations

import csv
import json
from pathlib import Path

VOLATILE = {"run_id"}  # which crawl run stored an article differs by construction between runs


def release_rows(home: Path) -> dict[str, list[list[str]]]:
    """Every CSV resource of the latest release under `home`, header first, volatile columns dropped."""
    release = home / "releases" / "latest"
    out = {}
    for resource in json.loads((release / "datapackage.json").read_text())["resources"]:
        if not resource["path"].endswith(".csv"):
            continue
        with (release / resource["path"]).open(newline="", encoding="utf-8") as f:
            header, *rows = list(csv.reader(f))
        keep = [i for i, name in enumerate(header) if name not in VOLATILE]
        out[resource["name"]] = [[header[i] for i in keep]] + [[r[i] for i in keep] for r in rows]
    return out


def assert_same_data(got: dict, expected: dict, how: str) -> None:
    assert set(got) == set(expected), f"resources {sorted(got)} {how}, {sorted(expected)} expected"
    for name, rows in expected.items():
        assert got[name] == rows, f"{name}: {len(got[name]) - 1} rows {how}, {len(rows) - 1} expected"
