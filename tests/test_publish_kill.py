"""A publisher killed (SIGKILL) at random points leaves only complete, valid releases, and
`latest` always names one of them; the next run cleans up and publishes normally. The CSVs are
split into parts of 3 rows, so the gate's frictionless worker processes run too: none may
outlive the killed publisher (they would hold the releases lock)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import publish
import warehouse

from publish_fixtures import batch, make, obs

REPO = Path(__file__).resolve().parents[1]
CHILD = """
import dataclasses, sys
from pathlib import Path
import publish, warehouse
from publish import settings
config = dataclasses.replace(settings.default(), part_rows=3, workers=2)
with warehouse.connect(Path(sys.argv[1]), read_only=True) as con:
    print("go", flush=True)
    entry = publish.publish_release(con, Path(sys.argv[2]), {}, config)
print("done", entry and entry["version"], flush=True)
"""


def _publish(db: Path, releases: Path, kill_after: float | None = None) -> float:
    """Run the publish step in a child process; kill it `kill_after` seconds into publishing.
    Returns how long publishing took (or ran before the kill)."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(releases)], cwd=REPO, start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "go", child.stderr.read()
        start = time.monotonic()
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(child.pid, signal.SIGKILL)  # the publisher only, as a crash or the OOM killer would
        out, err = child.communicate(timeout=60)
        if kill_after is None:
            assert child.returncode == 0, err[-2000:]
        took = time.monotonic() - start
        _assert_no_survivors(child.pid)
        return took
    finally:
        _kill_group(child.pid)


def _assert_no_survivors(group: int) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("a process of the killed publisher is still running")


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_complete(folder: Path) -> None:
    package = json.loads((folder / "datapackage.json").read_text())
    assert (folder / "release.json").exists() and (folder / "index.html").exists()
    for res in package["resources"]:
        path = folder / res["path"]
        assert path.stat().st_size == res["bytes"] and f"sha256:{_sha256(path)}" == res["hash"], path


def _assert_consistent(releases: Path) -> list[str]:
    visible = sorted(p.name for p in releases.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    for name in visible:
        _assert_complete(releases / name)
    latest = (releases / "LATEST").read_text().strip()
    assert latest in visible
    assert os.readlink(releases / "latest") in visible
    listed = [r["version"] for r in json.loads((releases / "catalog.json").read_text())["releases"]]
    assert set(listed) <= set(visible)
    return visible


def test_killed_publisher_leaves_only_complete_releases(tmp_path):
    db, releases = make(tmp_path / "w.duckdb"), tmp_path / "releases"
    with warehouse.connect(db) as con:
        publish.publish_release(con, releases, {})  # 1.0.0, in this process

    def change(n: int) -> None:
        with warehouse.connect(db) as con:
            warehouse.load_batch(con, batch(10 + n, [obs(1000 + n, "chip_id_cards_issued", f"2024-0{1 + n % 9}-28")]))

    change(0)
    duration = _publish(db, releases)  # 1.1.0, timed
    rng = random.Random(6)
    kill_points = sorted(rng.uniform(0.05, 1.0) * duration for _ in range(4))
    for i, after in enumerate(kill_points, start=1):
        change(i)
        _publish(db, releases, kill_after=after)
        _assert_consistent(releases)
    change(9)
    _publish(db, releases)
    visible = _assert_consistent(releases)
    assert not list(releases.glob(".staging-*"))
    listed = [r["version"] for r in json.loads((releases / "catalog.json").read_text())["releases"]]
    assert listed == sorted(visible, key=lambda v: tuple(map(int, v.split("."))))  # every finished release listed
    assert (releases / "LATEST").read_text().strip() == listed[-1]
    out = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(releases / "latest" / "datapackage.json")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-2000:]
