"""Object storage (flows/storage.py): releases and the WARC archive replicated to a real S3 API
on loopback (moto's server, through s3fs), the archive read back by `iter_pages` from the URL.

The store is reached through a small HTTP relay of our own on loopback, so a test can make the
store fail from the client's side (every request answered 503, as when it goes down) after a
given number of uploads, and come back.
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import shutil
import socket
import threading
import uuid
from pathlib import Path

import pytest

import publish
import warehouse
from extractors.fetch import crawl_site_sync
from extractors.registry import load_sites
from extractors.warc import iter_pages, iter_records
from flows import storage
from publish_fixtures import batch, fill

moto_server = pytest.importorskip("moto.server")
pytest.importorskip("s3fs")

PROVENANCE = {"crawl_runs": ["r1"], "extractor_version": "0", "code_revision": "test"}


class FlakyRelay:
    """Forwards HTTP to the store; after `fail_after` PUTs, answers everything 503 until reset."""

    def __init__(self, upstream: str):
        self.upstream, self.fail_after, self.puts = upstream, None, 0
        relay = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True   # else every request waits for a delayed ACK

            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.command == "PUT":
                    relay.puts += 1
                if relay.fail_after is not None and relay.puts > relay.fail_after:
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                conn = http.client.HTTPConnection(*relay.upstream.split(":"))
                conn.connect()
                conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn.request(self.command, self.path, body=body, headers=dict(self.headers))
                reply = conn.getresponse()
                data = reply.read()
                self.send_response(reply.status)
                for key, value in reply.getheaders():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(key, value)
                length = reply.getheader("Content-Length") if self.command == "HEAD" else None
                self.send_header("Content-Length", length or str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                conn.close()

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"

    def fail_after_puts(self, n: int | None) -> None:
        self.puts, self.fail_after = 0, n


@pytest.fixture(scope="module")
def s3():
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")   # never ask a cloud for credentials
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    relay = FlakyRelay(f"{host}:{port}")
    yield relay
    relay.server.shutdown()
    server.stop()


def _options(endpoint: str) -> dict:
    # No retries: a failing store must fail the test's upload at once, not after backoff.
    return {"key": "testing", "secret": "testing", "endpoint_url": endpoint,
            "config_kwargs": {"retries": {"max_attempts": 1}}, "skip_instance_cache": True}


@pytest.fixture
def bucket(s3):
    """A fresh bucket: (url, storage options, the relay). Each test starts with a healthy store."""
    s3.fail_after_puts(None)
    name = f"egov-{uuid.uuid4().hex[:12]}"
    options = _options(s3.endpoint)
    fs = storage.fsspec.filesystem("s3", **_options(f"http://{s3.upstream}"))   # the store itself
    fs.mkdir(name)
    return f"s3://{name}/egov/releases", options, s3, fs


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    """Release folders as the publisher leaves them: after 1.0.0, and after 1.1.0 (built once;
    each test copies one, so each owns its local releases)."""
    base = tmp_path_factory.mktemp("published")
    releases, snapshots = base / "releases", {}
    with warehouse.connect(base / "w.duckdb") as con:
        fill(con)
        assert publish.publish_release(con, releases, PROVENANCE)["version"] == "1.0.0"
        snapshots["1.0.0"] = shutil.copytree(releases, base / "after-1.0.0", symlinks=True)
        warehouse.load_batch(con, batch(4))
        assert publish.publish_release(con, releases, PROVENANCE)["version"] == "1.1.0"
        snapshots["1.1.0"] = shutil.copytree(releases, base / "after-1.1.0", symlinks=True)
    return snapshots


def _releases(published, version: str, tmp_path: Path) -> Path:
    return shutil.copytree(published[version], tmp_path / "releases", symlinks=True)


def _local_tree(releases: Path) -> dict[str, bytes]:
    """Every file of the releases folder, as the store should hold it (no hidden files; `latest`
    is a symlink locally and a copy remotely, compared apart)."""
    files = {p.relative_to(releases): p for p in sorted(releases.rglob("*")) if p.is_file() and not p.is_symlink()}
    return {rel.as_posix(): p.read_bytes() for rel, p in files.items()
            if rel.parts[0] != "latest" and not any(part.startswith(".") for part in rel.parts)}


def _remote_tree(fs, url: str) -> dict[str, bytes]:
    root = url.removeprefix("s3://")
    fs.invalidate_cache()
    return {p.removeprefix(root + "/"): data for p, data in fs.cat(fs.find(root)).items()}


def test_publish_then_upload_and_a_second_upload_is_a_no_op(tmp_path, bucket, published):
    url, options, _, fs = bucket
    releases = _releases(published, "1.0.0", tmp_path)
    first = storage.sync_releases(releases, url, options)
    assert first["uploaded"] == ["1.0.0"]
    assert first["catalogue"] == ["catalog.jsonld", "index.html", "catalog.json", "LATEST"]
    remote = _remote_tree(fs, url)
    local = _local_tree(releases)
    assert {k: v for k, v in remote.items() if not k.startswith("latest/")} == local
    assert {k.removeprefix("latest/"): v for k, v in remote.items() if k.startswith("latest/")} == \
           {k.removeprefix("1.0.0/"): v for k, v in local.items() if k.startswith("1.0.0/")}
    stamps = {p: i["LastModified"] for p, i in fs.find(url.removeprefix("s3://"), detail=True).items()}

    second = storage.sync_releases(releases, url, options)
    assert second == {"url": url, "uploaded": [], "skipped": ["1.0.0"], "catalogue": []}
    fs.invalidate_cache()
    assert {p: i["LastModified"] for p, i in fs.find(url.removeprefix("s3://"), detail=True).items()} == stamps
    assert storage.verify_release(releases, "1.0.0", url, options) == []


def test_a_tampered_remote_release_is_refused_loudly_and_nothing_is_overwritten(tmp_path, bucket, published):
    url, options, _, fs = bucket
    releases = _releases(published, "1.0.0", tmp_path)
    storage.sync_releases(releases, url, options)
    root = url.removeprefix("s3://")
    fs.pipe_file(f"{root}/1.0.0/data/observations.csv", b"tampered\n")
    before = _remote_tree(fs, url)
    with pytest.raises(storage.ImmutableReleaseError) as refused:
        storage.sync_releases(releases, url, options)
    message = str(refused.value)
    assert "\n" not in message and f"{url}/1.0.0/data/observations.csv" in message and "immutable" in message
    assert _remote_tree(fs, url) == before                       # refused, not repaired

    # The same bytes count, not just the size: a byte flipped in the descriptor is refused too,
    # and a full verification finds a same-size change in a data file.
    fs.pipe_file(f"{root}/1.0.0/data/observations.csv", (releases / "1.0.0/data/observations.csv").read_bytes())
    descriptor = (releases / "1.0.0/datapackage.json").read_bytes()
    fs.pipe_file(f"{root}/1.0.0/datapackage.json", descriptor.replace(b"1.0.0", b"9.9.9", 1))
    with pytest.raises(storage.ImmutableReleaseError, match="datapackage.json"):
        storage.sync_releases(releases, url, options)
    fs.pipe_file(f"{root}/1.0.0/datapackage.json", descriptor)
    csv = (releases / "1.0.0/data/legal_refs.csv").read_bytes()
    fs.pipe_file(f"{root}/1.0.0/data/legal_refs.csv", csv[:-2] + b"X\n")
    assert storage.verify_release(releases, "1.0.0", url, options) == ["1.0.0/data/legal_refs.csv"]


def test_a_catalogue_naming_releases_we_lack_is_not_replaced(tmp_path, bucket, published):
    url, options, _, fs = bucket
    root = url.removeprefix("s3://")
    theirs = {"releases": [{"version": "1.0.0"}, {"version": "7.0.0"}], "latest": "7.0.0"}
    fs.pipe_file(f"{root}/catalog.json", json.dumps(theirs).encode())
    releases = _releases(published, "1.0.0", tmp_path)
    with pytest.raises(storage.StorageError, match=r"lists releases this machine does not have \(7\.0\.0\)"):
        storage.sync_releases(releases, url, options)
    assert json.loads(fs.cat_file(f"{root}/catalog.json")) == theirs


def test_an_upload_failing_midway_leaves_the_remote_catalogue_and_local_data_intact_and_the_next_run_completes_it(
        tmp_path, bucket, published):
    url, options, relay, fs = bucket
    storage.sync_releases(_releases(published, "1.0.0", tmp_path / "before"), url, options)
    releases = _releases(published, "1.1.0", tmp_path)
    catalogue_before = {k: v for k, v in _remote_tree(fs, url).items() if "/" not in k}
    local_before = _local_tree(releases)

    relay.fail_after_puts(3)                     # the store goes down after three files of 1.1.0
    with pytest.raises(storage.StorageError) as failed:
        storage.sync_releases(releases, url, options)
    message = str(failed.value)
    assert "\n" not in message and message.startswith("upload failed: ") and f"{url}/1.1.0/" in message
    remote = _remote_tree(fs, url)
    assert len([k for k in remote if k.startswith("1.1.0/")]) == 3
    assert "1.1.0/release.json" not in remote                   # not complete, and not named:
    assert {k: v for k, v in remote.items() if "/" not in k} == catalogue_before
    assert remote["LATEST"] == b"1.0.0\n" and remote["latest/release.json"] == local_before["1.0.0/release.json"]
    assert _local_tree(releases) == local_before

    relay.fail_after_puts(None)                  # back up: the next run sends what is missing
    report = storage.sync_releases(releases, url, options)
    assert report["uploaded"] == ["1.1.0"] and report["skipped"] == ["1.0.0"]
    remote = _remote_tree(fs, url)
    assert {k: v for k, v in remote.items() if not k.startswith("latest/")} == local_before
    assert remote["LATEST"] == b"1.1.0\n"
    assert [r["version"] for r in json.loads(remote["catalog.json"])["releases"]] == ["1.0.0", "1.1.0"]
    assert {k.removeprefix("latest/"): v for k, v in remote.items() if k.startswith("latest/")} == \
           {k.removeprefix("1.1.0/"): v for k, v in local_before.items() if k.startswith("1.1.0/")}
    assert storage.verify_release(releases, "1.1.0", url, options) == []


# ------------------------------------------------------------------------------ the archive


@pytest.fixture(scope="module")
def crawled(mirror_url, tmp_path_factory):
    """Two mirror sites crawled for real (politeness lifted: it is our own mirror), WARCs and all."""
    archive = tmp_path_factory.mktemp("home") / "archive"
    sites = {s["id"]: s for s in load_sites()}
    chosen = [sites["baochinhphu.vn"], sites["bacgiang.gov.vn"]]
    for site in chosen:
        lifted = {**site, "requests_per_second": 1000.0, "concurrency": 8, "obey_crawl_delay": False}
        crawl_site_sync(lifted, archive, mirror=mirror_url, run_id="run-1")
    return archive, chosen


def test_archive_upload_is_idempotent_and_reports_a_failure_in_one_line(crawled, bucket):
    archive, _ = crawled
    url, options, relay, fs = bucket
    url = url.replace("/releases", "/archive")
    local = sorted(p.relative_to(archive).as_posix() for p in (archive / "warc").glob("*/*.warc.gz"))

    relay.fail_after_puts(1)
    with pytest.raises(storage.StorageError) as failed:
        storage.sync_archive(archive, url, options)
    assert str(failed.value).startswith(f"1 of {len(local)} archive files not uploaded; first: upload failed: ")
    assert "\n" not in str(failed.value)

    relay.fail_after_puts(None)
    first = storage.sync_archive(archive, url, options)
    assert len(first["uploaded"]) == len(local) - 1 and first["skipped"] == 1     # only the missing one
    assert storage.sync_archive(archive, url, options) == {"url": url, "uploaded": [], "skipped": len(local)}
    assert sorted(_remote_tree(fs, url)) == local


def test_reprocess_from_the_remote_archive_gives_the_same_facts_as_from_local(crawled, bucket):
    from prefect.logging import disable_run_logger

    from flows import tasks
    from flows.reprocess import _page

    archive, sites = crawled
    url, options, _, _ = bucket
    url = url.replace("/releases", "/archive")
    storage.sync_archive(archive, url, options)

    def records(source, **kw):
        return [{k: v for k, v in r.items() if k != "warc_file"} for r in iter_records(source, **kw)]

    assert records(url, storage_options=options) == records(archive)

    def facts(source, **kw):
        out = {}
        with disable_run_logger():
            for site in sites:
                pages = [_page(r, r["requested"] or r["url"]) for r in iter_pages(source, **kw)
                         if r["site_id"] == site["id"]]
                rows = tasks.process_pages.fn(site, pages, archive.parent, "reprocess")["batch"]
                out[site["id"]] = {t: sorted(map(repr, rows[t])) for t in ("articles", "observations", "legal_refs")}
        return out

    local = facts(archive)
    assert sum(len(f["observations"]) for f in local.values()) > 10      # real figures, not an empty match
    assert facts(url, storage_options=options) == local


def test_an_unknown_scheme_is_one_clear_line(tmp_path):
    with pytest.raises(storage.StorageError, match=r"^cannot open storage URL nosuch://x/y: "):
        storage.sync_archive(tmp_path, "nosuch://x/y")


def test_settings_come_from_the_environment_over_the_home_file(tmp_path):
    (tmp_path / "storage.toml").write_text('archive_url = "file:///srv/a"\nreleases_url = "s3://b/r"\n'
                                           '[storage_options]\nendpoint_url = "http://127.0.0.1:9000"\n')
    config = storage.load(tmp_path, environ={"EGOV_RELEASES_URL": "memory://rel"})
    assert (config.archive_url, config.releases_url) == ("file:///srv/a", "memory://rel")
    assert config.options == {"endpoint_url": "http://127.0.0.1:9000"}
    assert storage.load(tmp_path / "none", environ={}).archive_url is None


def test_any_fsspec_url_works_the_same_local_and_in_memory(tmp_path, published, crawled):
    """file:// (a mounted share) and memory:// need no server: the same code, other filesystems."""
    releases = _releases(published, "1.1.0", tmp_path)
    for url in (f"file://{tmp_path}/share/releases", f"memory://egov-{uuid.uuid4().hex[:8]}/releases"):
        assert storage.sync_releases(releases, url)["uploaded"] == ["1.0.0", "1.1.0"]
        assert storage.sync_releases(releases, url)["uploaded"] == []
        assert storage.verify_release(releases, "1.1.0", url) == []
    shared = tmp_path / "share" / "releases"
    assert (shared / "LATEST").read_text() == "1.1.0\n"
    assert (shared / "latest" / "release.json").read_bytes() == (releases / "1.1.0" / "release.json").read_bytes()

    archive, _ = crawled
    url = f"file://{tmp_path}/share/archive"
    storage.sync_archive(archive, url)
    assert [p["body"] for p in iter_pages(url)] == [p["body"] for p in iter_pages(archive)]


def test_replicate_never_raises_and_reports_each_failure_in_one_line(tmp_path, published, s3):
    """What the flows call: a store that is down degrades the run, it does not fail it."""
    releases = _releases(published, "1.0.0", tmp_path)
    s3.fail_after_puts(0)
    config = storage.Storage(releases_url="s3://egov-nobucket-down/r", options=_options(s3.endpoint))
    try:
        out = storage.replicate(tmp_path, tmp_path / "archive", releases, config=config)
    finally:
        s3.fail_after_puts(None)
    assert out["archive"] is None and out["releases"] is None
    assert len(out["errors"]) == 1 and "\n" not in out["errors"][0] and "s3://egov-nobucket-down/r" in out["errors"][0]
    assert _local_tree(releases) == _local_tree(published["1.0.0"])
