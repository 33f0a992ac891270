"""Publish an immutable, validated release of the warehouse.

load (export tables) → process (describe, version, validate) → save (move into place, update
`latest` and the catalogue). The release is built in a staging folder beside the releases and
renamed into place only after the gate passes, so a reader — or a crash — never sees half a
release, and a release folder, once there, is never modified again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path

import duckdb

import schemas
from publish import catalog, gate, package, settings
from publish.export import export_table


def run(con: duckdb.DuckDBPyConnection, releases_dir: Path, provenance: dict) -> dict | None:
    """Publish the warehouse behind `con`; return the catalogue entry, or None if unchanged."""
    releases_dir.mkdir(parents=True, exist_ok=True)
    staging = releases_dir / f".staging-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        entry = _build(con, releases_dir, staging, provenance)
        if entry is None:
            return None
        final = releases_dir / entry["version"]
        os.rename(staging, final)  # atomic on one filesystem; fails if the version exists
        catalog.add(releases_dir, entry)
        return entry
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _build(con, releases_dir: Path, staging: Path, provenance: dict) -> dict | None:
    data = staging / "data"
    data.mkdir()
    rows = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in settings.RESOURCES}
    files = {t: export_table(con, t, data) for t in settings.RESOURCES}
    fingerprint = _fingerprint(files)
    previous = catalog.latest(releases_dir)
    version = next_version(previous, fingerprint, _schema_signature())
    if version is None:
        return None
    created = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    resources = [
        package.resource(t, fmt, path, staging, rows[t])
        for t in settings.RESOURCES
        for fmt, path in files[t].items()
    ]
    sources = con.execute("SELECT name, base_url FROM sources ORDER BY source_id").fetchall()
    descriptor = package.descriptor(
        version=version, created=created, resources=resources,
        sources=[{"name": n, "base_url": u} for n, u in sources], provenance=provenance,
    )
    (staging / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    gate.check(staging / "datapackage.json")
    return {
        "version": version,
        "created": created,
        "path": f"{version}/datapackage.json",
        "rows": rows,
        "fingerprint": fingerprint,
        "schema": _schema_signature(),
    }


def _fingerprint(files: dict[str, dict[str, Path]]) -> str:
    digest = hashlib.sha256()
    for table in sorted(files):
        digest.update(table.encode())
        digest.update(files[table]["csv"].read_bytes())
    return digest.hexdigest()


def _schema_signature() -> dict[str, dict[str, str]]:
    return {t: {f["name"]: f["type"] for f in schemas.load(t)["fields"]} for t in settings.RESOURCES}


def next_version(previous: dict | None, fingerprint: str, schema: dict) -> str | None:
    """SemVer: MAJOR when a published field is removed or retyped, MINOR when data or fields
    are added or changed, nothing when the data is the same (PATCH is for metadata-only fixes,
    made by hand)."""
    if previous is None:
        return settings.FIRST_VERSION
    major, minor, _ = (int(x) for x in previous["version"].split("."))
    old = previous.get("schema", {})
    broken = any(
        name not in schema.get(t, {}) or schema[t][name] != typ
        for t, fields in old.items() for name, typ in fields.items()
    )
    if broken:
        return f"{major + 1}.0.0"
    if fingerprint != previous["fingerprint"] or schema != old:
        return f"{major}.{minor + 1}.0"
    return None
