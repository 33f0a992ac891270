"""`releases/catalog.json`, `releases/LATEST` and the stable path `releases/latest`.

The catalogue lists every release ever published; it and the pointers are replaced
atomically (write a temporary file, then rename), after the release folder is in place.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from publish import settings

CATALOG = "catalog.json"
POINTER = "LATEST"


def read(releases_dir: Path) -> dict:
    path = releases_dir / CATALOG
    if not path.exists():
        return {"name": settings.PACKAGE_NAME, "title": settings.TITLE, "latest": None, "releases": []}
    return json.loads(path.read_text(encoding="utf-8"))


def latest(releases_dir: Path) -> dict | None:
    cat = read(releases_dir)
    return next((r for r in cat["releases"] if r["version"] == cat["latest"]), None)


def add(releases_dir: Path, entry: dict) -> None:
    cat = read(releases_dir)
    cat["releases"].append(entry)
    cat["latest"] = entry["version"]
    _write_atomic(releases_dir / CATALOG, json.dumps(cat, ensure_ascii=False, indent=2))
    _write_atomic(releases_dir / POINTER, entry["version"] + "\n")
    link = releases_dir / "latest"
    tmp = releases_dir / ".latest.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(entry["version"], target_is_directory=True)
    os.replace(tmp, link)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
