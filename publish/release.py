"""Publish an immutable, validated release of the warehouse.

export → describe → version → diff → validate → move into place → update `latest`, the
catalogues and the HTML site. The release is built in a staging folder beside the releases
and renamed into place only after the gate passes, so a reader — or a crash — never sees half
a release, and a release folder, once there, is never modified again. One publisher at a
time (a lock file); a publisher killed anywhere leaves at worst a staging folder, removed by
the next run, or a complete release not yet in the catalogue, which the next run adds.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import duckdb

from publish import catalog, changes, gate, package, site, tables
from publish.export import PARTS, export_resource, sha256_file, write_database
from publish.settings import Config, default

STAGING = ".staging-"


def run(con: duckdb.DuckDBPyConnection, releases_dir: Path, provenance: dict,
        config: Config | None = None, timings: dict | None = None) -> dict | None:
    """Publish the warehouse behind `con`; return the catalogue entry, or None if unchanged.
    `timings`, if given, receives the seconds each step took (for bench/publish.py)."""
    config = config or default()
    step = _Steps(timings if timings is not None else {})
    releases_dir.mkdir(parents=True, exist_ok=True)
    with _locked(releases_dir):
        recover(releases_dir, config)
        staging = releases_dir / f"{STAGING}{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        try:
            entry = _build(con, releases_dir, staging, provenance, config, step)
            if entry is None:
                return None
            with step("move into place, catalogues"):
                os.rename(staging, releases_dir / entry["version"])  # atomic; fails if the version exists
                catalog.add(releases_dir, entry)
                site.write_catalogues(releases_dir, config)
            return entry
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _locked(releases_dir: Path):
    with (releases_dir / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # released by the OS if we are killed
        yield


def recover(releases_dir: Path, config: Config) -> None:
    """Undo what a killed publisher left: staging folders go; a release folder that made it into
    place (so it passed the gate) but not into the catalogue is added; pointers and the
    catalogues derived from catalog.json are rewritten from it."""
    for leftover in releases_dir.glob(f"{STAGING}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in releases_dir.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    listed = {r["version"] for r in catalog.read(releases_dir)["releases"]}
    orphans = [p for p in releases_dir.iterdir() if p.is_dir() and not p.is_symlink()
               and not p.name.startswith(".") and p.name not in listed and (p / "release.json").exists()]
    for folder in sorted(orphans, key=lambda p: tuple(int(x) for x in p.name.split("."))):
        catalog.add(releases_dir, json.loads((folder / "release.json").read_text(encoding="utf-8")))
    if catalog.read(releases_dir)["releases"] and not catalog.pointers_agree(releases_dir):
        catalog.point_latest(releases_dir)
    if listed or orphans:
        site.write_catalogues(releases_dir, config)


class _Steps:
    def __init__(self, timings: dict):
        self.timings = timings

    @contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        yield
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def _build(con, releases_dir: Path, staging: Path, provenance: dict, config: Config, step: _Steps) -> dict | None:
    data = staging / "data"
    data.mkdir()
    with step("export CSV + Parquet"):
        if config.memory_limit:  # DuckDB spills the export's sorts to disk past it
            con.execute(f"SET memory_limit = '{config.memory_limit}'")
        resources = tables.published(con, config)
        files = {r["name"]: export_resource(con, r, data, config.part_rows, config.frictionless_max_rows,
                                            config.row_group_bytes)
                 for r in resources}
    with step("fingerprint, version"):
        fingerprint = _fingerprint(files)
        signature = {r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]} for r in resources}
        previous = catalog.latest(releases_dir)
        version = next_version(previous, fingerprint, signature, config.package["first_version"])
    if version is None:
        return None
    created = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    with step("DuckDB database file"):
        database = write_database(resources, files, staging, config.memory_limit)
    with step("describe (hash files)"):
        described = [package.resource(r, fmt, files[r["name"]]["paths"][fmt], staging, files[r["name"]]["rows"])
                     for r in resources for fmt in ("csv", "parquet")]
        described.append(package.database_resource(database, staging, {n: f["rows"] for n, f in files.items()}))
    sources = con.execute("SELECT name, base_url FROM sources ORDER BY source_id").fetchall()
    descriptor = package.descriptor(
        config, version=version, created=created, resources=described,
        sources=[{"name": n, "base_url": u} for n, u in sources], provenance=provenance,
    )
    descriptor["egov:coverage"] = _coverage(con)
    (staging / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    with step("gate: validate every row"):
        gate.check(staging / "datapackage.json", {r["name"]: files[r["name"]]["parts"] for r in resources},
                   workers=config.workers, frictionless_max_rows=config.frictionless_max_rows,
                   parallel_min_rows=config.parallel_min_rows, memory_limit=config.memory_limit,
                   timings=step.timings)
    shutil.rmtree(data / PARTS, ignore_errors=True)
    with step("change notes"):
        previous_dir = releases_dir / previous["version"] if previous else None
        diff = changes.compute(staging, previous_dir, descriptor, config.max_keys)
        changes.write(staging, diff)
    entry = {
        "version": version,
        "created": created,
        "path": f"{version}/datapackage.json",
        "rows": {n: f["rows"] for n, f in files.items()},
        "fingerprint": fingerprint,
        "schema": signature,
        "previous": previous["version"] if previous else None,
    }
    with step("HTML page"):
        site.write_release_page(staging, descriptor, diff, config)
    # Written last: its presence marks a folder as a finished release (see recover).
    (staging / "release.json").write_text(json.dumps(entry, ensure_ascii=False, indent=2), encoding="utf-8")
    return entry


def _coverage(con) -> dict:
    """The period and places the figures describe, for the catalogue's temporal coverage."""
    start, end, areas = con.execute(
        "SELECT CAST(min(coalesce(period_start, as_of)) AS VARCHAR), CAST(max(as_of) AS VARCHAR), "
        "list(DISTINCT area ORDER BY area) FROM observations"
    ).fetchall()[0]
    return {"start": start, "end": end, "areas": areas or []}


def _fingerprint(files: dict[str, dict]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(sha256_file(files[name]["paths"]["csv"]).encode())
    return digest.hexdigest()


def next_version(previous: dict | None, fingerprint: str, schema: dict, first: str = "1.0.0") -> str | None:
    """SemVer: MAJOR when a published field is removed or retyped, MINOR when data or fields
    are added or changed, nothing when the data is the same (PATCH is for metadata-only fixes,
    made by hand)."""
    if previous is None:
        return first
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
