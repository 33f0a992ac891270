"""Object storage as a replica of the archive and the releases, addressed by fsspec URLs.

Why a replica and not the working copy: the pipeline stays on local disk, where it is fast
and where DuckDB needs its file, and a shared object store (s3://, gs://, file:// on a mounted
share, memory:// in tests) receives what is finished — the WARC files of a crawl, and releases
once they have passed the gate. A fresh machine can then rebuild the warehouse from the store
alone (`extractors.warc.iter_pages` reads a URL) and readers download from the store.

What makes the copy safe without rename or locks (object stores have neither):
- releases are immutable: a release already complete remotely with the same bytes is skipped,
  one with different bytes is refused, never overwritten;
- order is the commit: a release's `release.json` goes last within it, and the catalogue files
  (LATEST last of all) go only after every release they name is complete remotely, so a reader
  never follows the catalogue to half a release;
- every sync starts by comparing against a listing of the store, so a failed or killed upload
  is completed by the next run, and an upload that fails leaves the local data untouched.
Upload failures are one line naming the file and the URL (`StorageError`); orchestration
decides whether they degrade a run (they should never abort one).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import fsspec

from publish.export import sha256_file

CONFIG = Path(__file__).with_name("storage.toml")
ENV = {"archive_url": "EGOV_ARCHIVE_URL", "releases_url": "EGOV_RELEASES_URL"}
RELEASE_MARKER = "release.json"   # publish/release.py writes it last: its presence means complete
LATEST_DIR = "latest"


class StorageError(RuntimeError):
    """An upload or a check against the store failed; the message is one line: what and where."""


class ImmutableReleaseError(StorageError):
    """A release is in the store with other bytes than ours: releases never change, so we stop."""


@dataclass(frozen=True)
class Storage:
    archive_url: str | None = None
    releases_url: str | None = None
    options: dict = field(default_factory=dict)
    catalogue_files: tuple[str, ...] = ("catalog.jsonld", "index.html", "catalog.json", "LATEST")
    latest_copy: bool = True
    verify_files: tuple[str, ...] = (RELEASE_MARKER, "datapackage.json")


def load(home_root: Path | str | None = None, environ: dict | None = None) -> Storage:
    """flows/storage.toml, overlaid by `$EGOV_HOME/storage.toml` if present, then the environment."""
    environ = os.environ if environ is None else environ
    values = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    local = Path(home_root or environ.get("EGOV_HOME") or "data") / "storage.toml"
    if local.exists():
        values.update(tomllib.loads(local.read_text(encoding="utf-8")))
    for key, name in ENV.items():
        if environ.get(name):
            values[key] = environ[name]
    return Storage(
        archive_url=values.get("archive_url") or None, releases_url=values.get("releases_url") or None,
        options=dict(values.get("storage_options") or {}),
        catalogue_files=tuple(values["catalogue_files"]), latest_copy=bool(values["latest_copy"]),
        verify_files=tuple(values["verify_files"]),
    )


def replicate(home_root: Path, archive_dir: Path, releases_dir: Path, *, archive: bool = True,
              releases: bool = True, config: Storage | None = None) -> dict:
    """What the flows call: sync whatever has a URL configured. Never raises — a store that is
    down must not fail a crawl whose data is safe on local disk; the failures come back as
    one-line `errors` for the run's report and alert, and the next call retries."""
    config = config or load(home_root)
    out: dict = {"archive": None, "releases": None, "errors": []}
    jobs = [("archive", archive and config.archive_url,
             lambda: sync_archive(archive_dir, config.archive_url, config.options)),
            ("releases", releases and config.releases_url,
             lambda: sync_releases(releases_dir, config.releases_url, config.options, config))]
    for name, wanted, job in jobs:
        if not wanted:
            continue
        try:
            out[name] = job()
        except StorageError as exc:
            out["errors"].append(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bad option or setting must not fail the run either
            out["errors"].append(f"{name} sync failed: {_one_line(exc)}")
    return out


# ------------------------------------------------------------------------------ the archive


def sync_archive(archive_dir: Path, url: str, options: dict | None = None) -> dict:
    """Upload every WARC file under `archive_dir/warc` that the store lacks or holds shorter (a
    resumed run appends to its files). Each file is tried even if another failed; the failures
    are raised together afterwards, so one bad file never holds back the others."""
    store = _Store(url, options)
    remote = store.listing("warc")
    local = sorted((Path(archive_dir) / "warc").glob("*/*.warc.gz"))
    report = {"url": url, "uploaded": [], "skipped": 0}
    errors = []
    for path in local:
        rel = path.relative_to(archive_dir).as_posix()
        if remote.get(rel) == path.stat().st_size:
            report["skipped"] += 1
            continue
        try:
            store.put(path, rel)
            report["uploaded"].append(rel)
        except StorageError as exc:
            errors.append(str(exc))
    if errors:
        raise StorageError(f"{len(errors)} of {len(local)} archive files not uploaded; first: {errors[0]}")
    return report


# ------------------------------------------------------------------------------ the releases


def sync_releases(releases_dir: Path, url: str, options: dict | None = None,
                  config: Storage | None = None) -> dict:
    """Upload every release in the local catalogue that the store lacks (oldest first), then the
    `latest/` copy and the catalogue files. Stops at the first failure, before the catalogue."""
    config = config or Storage()
    catalogue = _snapshot(Path(releases_dir), config.catalogue_files)
    if "catalog.json" not in catalogue:
        return {"url": url, "uploaded": [], "skipped": [], "catalogue": []}
    listed = json.loads(catalogue["catalog.json"])
    versions = [r["version"] for r in listed["releases"]]
    store = _Store(url, options)
    remote = store.listing()
    _refuse_foreign_catalogue(store, remote, versions)
    report = {"url": url, "uploaded": [], "skipped": [], "catalogue": []}
    for version in versions:
        done = _sync_release(store, releases_dir, version, remote, config)
        report["uploaded" if done else "skipped"].append(version)
    if config.latest_copy and listed.get("latest"):
        _sync_latest(store, releases_dir, listed["latest"], remote)
    report["catalogue"] = _sync_catalogue(store, releases_dir, catalogue, remote, config)
    return report


def _snapshot(releases_dir: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    """The catalogue files as one consistent set: read under the publisher's lock (publish/
    release.py's `releases/.lock`), so a release published meanwhile is neither half-listed nor
    named before its folder is uploaded. Release folders need no lock: they never change."""
    if not releases_dir.is_dir():
        return {}
    with (releases_dir / ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        return {name: (releases_dir / name).read_bytes() for name in names if (releases_dir / name).is_file()}


def verify_release(releases_dir: Path, version: str, url: str, options: dict | None = None) -> list[str]:
    """Every file of a release whose remote bytes differ from the local ones (sha256 of every
    byte, downloaded): empty when the remote copy is exact."""
    store = _Store(url, options)
    remote = store.listing(version)
    return [rel for rel, path in _release_files(releases_dir, version)
            if remote.get(rel) != path.stat().st_size or store.sha256(rel) != sha256_file(path)]


def _sync_release(store: _Store, releases_dir: Path, version: str, remote: dict, config: Storage) -> bool:
    files = _release_files(releases_dir, version)
    if f"{version}/{RELEASE_MARKER}" in remote:   # complete remotely: it may only be identical
        _check_immutable(store, files, version, remote, config)
        return False
    # Incomplete remotely (a failed or killed upload): send what is missing or differs; the
    # marker last, so the release counts as complete only once everything else is there.
    for rel, path in files:
        if remote.get(rel) != path.stat().st_size or store.sha256(rel) != sha256_file(path):
            store.put(path, rel)
    return True


def _check_immutable(store: _Store, files: list, version: str, remote: dict, config: Storage) -> None:
    local = {rel for rel, _ in files}
    extra = sorted(rel for rel in remote if rel.startswith(f"{version}/") and rel not in local)
    for rel, path in files:
        checked = rel.removeprefix(f"{version}/") in config.verify_files
        if remote.get(rel) != path.stat().st_size or (checked and store.sha256(rel) != sha256_file(path)):
            raise ImmutableReleaseError(
                f"release {version} at {store.url(rel)} differs from {path}: releases are immutable, "
                f"refusing to overwrite it (check the store; remove a corrupt copy by hand)")
    if extra:
        raise ImmutableReleaseError(
            f"release {version} at {store.url(version)} holds a file the local release lacks: {extra[0]}: "
            f"releases are immutable, refusing to continue")


def _refuse_foreign_catalogue(store: _Store, remote: dict, versions: list[str]) -> None:
    """Replacing a catalogue that names releases we do not have would unlist them."""
    name = "catalog.json"
    if name not in remote:
        return
    try:
        theirs = {r["version"] for r in json.loads(store.cat(name))["releases"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise StorageError(f"unreadable catalogue at {store.url(name)}: {exc}") from exc
    unknown = sorted(theirs - set(versions))
    if unknown:
        raise StorageError(f"the catalogue at {store.url(name)} lists releases this machine does not have "
                           f"({', '.join(unknown)}): refusing to replace it (another publisher?)")


def _sync_latest(store: _Store, releases_dir: Path, version: str, remote: dict) -> None:
    """`latest/` mirrors the newest release: copied inside the store (server-side where the store
    can), its marker last, then files of an older release that the newest lacks removed."""
    local = {rel.removeprefix(f"{version}/"): path for rel, path in _release_files(releases_dir, version)}
    files = list(local)   # the marker last
    same = all(remote.get(f"{LATEST_DIR}/{name}") == path.stat().st_size for name, path in local.items())
    if same and store.sha256(f"{LATEST_DIR}/{RELEASE_MARKER}") == sha256_file(local[RELEASE_MARKER]):
        return
    for name in files:
        store.copy(f"{version}/{name}", f"{LATEST_DIR}/{name}")
    for rel in remote:
        if rel.startswith(f"{LATEST_DIR}/") and rel.removeprefix(f"{LATEST_DIR}/") not in files:
            store.remove(rel)


def _sync_catalogue(store: _Store, releases_dir: Path, catalogue: dict[str, bytes], remote: dict,
                    config: Storage) -> list[str]:
    """From the snapshot, in the configured order (LATEST last)."""
    sent = []
    for name in config.catalogue_files:
        data = catalogue.get(name)
        if data is not None and (remote.get(name) != len(data) or store.sha256(name) != _digest(data)):
            store.pipe(data, name, source=Path(releases_dir) / name)
            sent.append(name)
    return sent


def _release_files(releases_dir: Path, version: str) -> list[tuple[str, Path]]:
    """(path relative to the releases folder, local path), the marker last."""
    folder = Path(releases_dir) / version
    if not (folder / RELEASE_MARKER).is_file():
        raise StorageError(f"release {version} is listed in {releases_dir}/catalog.json but {folder} is incomplete")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    files.sort(key=lambda p: p.name == RELEASE_MARKER and p.parent == folder)
    return [(p.relative_to(releases_dir).as_posix(), p) for p in files]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------ the store


class _Store:
    """One fsspec filesystem under a root, with paths relative to it and one-line errors."""

    def __init__(self, url: str, options: dict | None):
        self.base = url.rstrip("/")
        try:
            self.fs, root = fsspec.core.url_to_fs(self.base, **(options or {}))
        except (ImportError, ValueError) as exc:   # e.g. s3:// without s3fs installed
            raise StorageError(f"cannot open storage URL {url}: {exc}") from exc
        self.root = root.rstrip("/")
        self.fs.invalidate_cache()   # a listing cached by an earlier sync may be stale

    def url(self, rel: str) -> str:
        return f"{self.base}/{rel}"

    def _path(self, rel: str) -> str:
        return f"{self.root}/{rel}"

    def listing(self, under: str = "") -> dict[str, int]:
        """Relative path → size of every object under `under`."""
        top = self._path(under) if under else self.root
        try:
            found = self.fs.find(top, detail=True)
        except FileNotFoundError:
            return {}
        except Exception as exc:  # noqa: BLE001 - any store failure becomes one line
            raise StorageError(f"cannot list {self.url(under)}: {_one_line(exc)}") from exc
        prefix = self.root + "/"
        return {p.removeprefix(prefix): info["size"] for p, info in found.items() if info["type"] == "file"}

    def cat(self, rel: str) -> bytes:
        try:
            return self.fs.cat_file(self._path(rel))
        except FileNotFoundError:
            return b""
        except Exception as exc:  # noqa: BLE001
            raise StorageError(f"cannot read {self.url(rel)}: {_one_line(exc)}") from exc

    def sha256(self, rel: str) -> str | None:
        try:
            with self.fs.open(self._path(rel), "rb") as fh:
                digest = hashlib.sha256()
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
                return digest.hexdigest()
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001
            raise StorageError(f"cannot read {self.url(rel)}: {_one_line(exc)}") from exc

    def put(self, local: Path, rel: str) -> None:
        target = self._path(rel)
        try:
            self.fs.makedirs(self.fs._parent(target), exist_ok=True)
            self.fs.put_file(str(local), target)
        except Exception as exc:  # noqa: BLE001
            raise StorageError(f"upload failed: {local} -> {self.url(rel)}: {_one_line(exc)}") from exc

    def pipe(self, data: bytes, rel: str, source: Path) -> None:
        target = self._path(rel)
        try:
            self.fs.makedirs(self.fs._parent(target), exist_ok=True)
            self.fs.pipe_file(target, data)
        except Exception as exc:  # noqa: BLE001
            raise StorageError(f"upload failed: {source} -> {self.url(rel)}: {_one_line(exc)}") from exc

    def copy(self, src: str, dst: str) -> None:
        try:
            self.fs.makedirs(self.fs._parent(self._path(dst)), exist_ok=True)
            self.fs.copy(self._path(src), self._path(dst))
        except Exception as exc:  # noqa: BLE001
            raise StorageError(f"copy failed: {self.url(src)} -> {self.url(dst)}: {_one_line(exc)}") from exc

    def remove(self, rel: str) -> None:
        try:
            self.fs.rm_file(self._path(rel))
        except FileNotFoundError:
            pass
        except Exception as exc:  # noqa: BLE001
            raise StorageError(f"cannot remove {self.url(rel)}: {_one_line(exc)}") from exc


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:500]
