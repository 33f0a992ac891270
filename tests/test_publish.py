"""Releases: validated before they appear, immutable, versioned, listed in the catalogue."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import publish
import warehouse
from publish import catalog

from test_warehouse import _batch


@pytest.fixture
def con(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.load_batch(con, _batch())
        yield con


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_release_is_a_valid_data_package(con, tmp_path):
    releases = tmp_path / "releases"
    entry = publish.publish_release(con, releases, {"runs": []})
    assert entry["version"] == "1.0.0"
    folder = releases / "1.0.0"
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    names = {r["name"] for r in package["resources"]}
    assert {"observations", "observations-parquet", "articles", "legal_refs", "sources"} <= names
    assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0 for r in package["resources"])
    cli = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(folder / "datapackage.json")],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout[-2000:]
    assert (releases / "LATEST").read_text().strip() == "1.0.0"
    assert (releases / "latest" / "datapackage.json").exists()
    assert catalog.read(releases)["releases"][0]["rows"]["observations"] == 3


def test_unchanged_data_publishes_nothing_and_changed_data_a_minor_version(con, tmp_path):
    releases = tmp_path / "releases"
    publish.publish_release(con, releases, {})
    before = _tree(releases / "1.0.0")
    assert publish.publish_release(con, releases, {}) is None
    warehouse.load_batch(con, _batch(values=(1, 2, 3, 4)))
    assert publish.publish_release(con, releases, {})["version"] == "1.1.0"
    assert _tree(releases / "1.0.0") == before
    assert [r["version"] for r in catalog.read(releases)["releases"]] == ["1.0.0", "1.1.0"]
    assert (releases / "LATEST").read_text().strip() == "1.1.0"


def test_failed_gate_publishes_nothing_and_names_resource_row_field(con, tmp_path):
    releases = tmp_path / "releases"
    publish.publish_release(con, releases, {})
    con.execute("UPDATE observations SET kind = 'bogus' WHERE value = 2")
    with pytest.raises(publish.GateFailed, match=r"resource 'observations', row \d+, field kind"):
        publish.publish_release(con, releases, {})
    assert sorted(p.name for p in releases.iterdir()) == ["1.0.0", "LATEST", "catalog.json", "latest"]
    assert (releases / "LATEST").read_text().strip() == "1.0.0"
