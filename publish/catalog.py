"""`releases/catalog.json`, `releases/LATEST` and the stable path `releases/latest`.

The catalogue lists every release ever published; it and the pointers are replaced
atomically (write a temporary file, then rename), after the release folder is in place. The
catalogue is the truth: if a crash leaves the pointers behind it, `point_latest` re-syncs them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from publish import settings

CATALOG = "catalog.json"
POINTER = "LATEST"
LINK = "latest"


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
    write_atomic(releases_dir / CATALOG, json.dumps(cat, ensure_ascii=False, indent=2))
    point_latest(releases_dir)


def point_latest(releases_dir: Path) -> None:
    version = read(releases_dir)["latest"]
    write_atomic(releases_dir / POINTER, version + "\n")
    tmp = releases_dir / f".{LINK}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(version, target_is_directory=True)
    os.replace(tmp, releases_dir / LINK)


def pointers_agree(releases_dir: Path) -> bool:
    version = read(releases_dir)["latest"]
    pointer = releases_dir / POINTER
    link = releases_dir / LINK
    return (pointer.exists() and pointer.read_text().strip() == version
            and link.is_symlink() and os.readlink(link) == version)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
