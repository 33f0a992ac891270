"""The crawl archive as WARC: every response we got, and every failure, in the web's archive format.

Why WARC (ISO 28500, written with warcio): it keeps what a page-per-file archive loses — the
status line and headers of every response, the failures, the order and time of a crawl — in a
format any web-archive tool reads, so `egov reprocess` can rebuild every article from the archive
with no network, and a better extractor can be re-run on crawls years old.

Layout: `archive_dir/warc/<run_id>/<site_id>.warc.gz`, one file per site per run (the sites of a
run are crawled in parallel threads; one writer per file needs no cross-thread coordination
beyond a lock). A resumed run with the same run id appends. Each record is its own gzip member,
so readers skip a truncated tail. Records are buffered, not flushed one by one: `response` and
`failure` only queue their fields (they run on the crawler's event loop); `drain` builds and
compresses the queued records and writes them in one write, from the crawler's store thread
before it tells the frontier those pages are done — so a page recorded done always has its
record in the file, and a SIGKILL loses only records of pages not yet recorded (fetched again on
resume). The buffer size and gzip level are data (extractors/crawl.toml).

What is stored: a `response` record per HTTP response (redirects, 304s and 5xx included), with
the body as the application saw it — Content-Encoding undone, so the header is dropped — and a
`metadata` record (JSON) per request that got no usable response (timeout, reset, refused
redirect, oversized body), with its one-line error. Two extension fields tie records to the
registry: `WARC-Egov-Site` and `WARC-Egov-Requested-URI` (the URL before redirects).
"""

from __future__ import annotations

import functools
import io
import json
import shutil
import tempfile
import threading
import tomllib
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SITE_FIELD = "WARC-Egov-Site"
REQUESTED_FIELD = "WARC-Egov-Requested-URI"
DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}   # body is stored decoded
SETTINGS = tomllib.loads(Path(__file__).with_name("crawl.toml").read_text(encoding="utf-8"))


def warc_path(archive_dir: Path, run_id: str, site_id: str) -> Path:
    return Path(archive_dir) / "warc" / run_id / f"{site_id}.warc.gz"


def _warc_date(fetched_at: str) -> str:
    return fetched_at.replace("+00:00", "Z")


class WarcLog:
    """Appends records for one site of one run; safe to call from several threads. Records are
    queued by `response`/`failure` and written by `drain` (also at `close`, and by whichever
    call finds more than `buffer_bytes` queued)."""

    def __init__(self, path: Path, site_id: str, *, buffer_bytes: int | None = None, gzip_level: int | None = None):
        self.path, self.site_id = Path(path), site_id
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.buffer_bytes = SETTINGS["warc_buffer_bytes"] if buffer_bytes is None else buffer_bytes
        self.gzip_level = SETTINGS["warc_gzip_level"] if gzip_level is None else gzip_level
        self._file = self.path.open("ab")
        self._lock = threading.Lock()          # guards the queue
        self._write_lock = threading.Lock()    # one drain at a time, so records keep their order
        self._queued: list[functools.partial] = []
        self._queued_bytes = 0

    def response(self, *, url: str, requested: str, status: int, reason: str, headers: list[tuple[str, str]],
                 body: bytes, fetched_at: str) -> None:
        self._queue(functools.partial(self._response_record, url, requested, status, reason, headers, body,
                                      fetched_at), len(body))

    def failure(self, *, url: str, requested: str, error: str, fetched_at: str, status: int | None = None) -> None:
        self._queue(functools.partial(self._failure_record, url, requested, error, fetched_at, status), len(error))

    def _queue(self, build: functools.partial, size: int) -> None:
        with self._lock:
            self._queued.append(build)
            self._queued_bytes += size
            full = self._queued_bytes > self.buffer_bytes
        if full:
            self.drain()

    def drain(self) -> None:
        """Build, compress and write every queued record, in one write."""
        with self._write_lock:
            with self._lock:
                builds, self._queued, self._queued_bytes = self._queued, [], 0
            if not builds or self._file.closed:
                return
            self._file.write(b"".join(self._member(build()) for build in builds))
            self._file.flush()

    def _member(self, record) -> bytes:
        """One record as its own gzip member (what warcio writes with gzip=True, at our level)."""
        raw = io.BytesIO()
        WARCWriter(raw, gzip=False).write_record(record)
        packer = zlib.compressobj(self.gzip_level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        return packer.compress(raw.getvalue()) + packer.flush()

    def _response_record(self, url, requested, status, reason, headers, body, fetched_at):
        kept = [(k, v) for k, v in headers if k.lower() not in DROPPED_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        return _BUILDER.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                           warc_headers_dict=self._fields(requested, fetched_at))

    def _failure_record(self, url, requested, error, fetched_at, status):
        content = json.dumps({"error": error, "status": status}, ensure_ascii=False).encode()
        return _BUILDER.create_warc_record(url, "metadata", payload=io.BytesIO(content),
                                           warc_content_type="application/json",
                                           warc_headers_dict=self._fields(requested, fetched_at))

    def _fields(self, requested: str, fetched_at: str) -> dict[str, str]:
        return {SITE_FIELD: self.site_id, REQUESTED_FIELD: requested, "WARC-Date": _warc_date(fetched_at)}

    def close(self) -> None:
        self.drain()
        with self._write_lock:
            self._file.close()


_BUILDER = WARCWriter(io.BytesIO(), gzip=False)   # builds records only (stateless); never writes


def iter_records(archive_dir: Path | str, storage_options: dict | None = None) -> Iterator[dict]:
    """Every response and failure record under `archive_dir/warc`, oldest run first, as dicts:
    `{kind, url, requested, site_id, fetched_at, status, headers, body, error, warc_file}`.
    `archive_dir` may be an fsspec URL (s3://bucket/egov/archive, …): a machine that never
    crawled reads the archive from object storage, file by file, without copying it first."""
    for path, opener in _warc_files(archive_dir, storage_options or {}):
        yield from _records_of(path, opener)


def _warc_files(archive_dir: Path | str, storage_options: dict) -> Iterator[tuple[str, Callable]]:
    if "://" not in str(archive_dir):   # a local folder, the common case: no fsspec in the way
        for path in sorted((Path(archive_dir) / "warc").glob("*/*.warc.gz")):
            yield str(path), path.open
        return
    import fsspec   # only for archives addressed by URL

    fs, root = fsspec.core.url_to_fs(str(archive_dir).rstrip("/"), **storage_options)
    for path in sorted(fs.glob(f"{root.rstrip('/')}/warc/*/*.warc.gz")):
        yield fs.unstrip_protocol(path), functools.partial(_fetched, fs, path)


def _fetched(fs, path: str, mode: str = "rb"):
    """The whole remote file, fetched before parsing: a network failure must raise here, not
    pass for the cut-off tail of a killed run that `_records_of` forgives. Spooled to disk
    beyond 64 MB, so a large WARC never sits in memory."""
    spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)
    with fs.open(path, mode) as src:
        shutil.copyfileobj(src, spool, 1 << 20)
    spool.seek(0)
    return spool


def _records_of(path: str, opener: Callable) -> Iterator[dict]:
    with opener("rb") as f:
        try:
            for record in ArchiveIterator(f):
                if record.rec_type in ("response", "metadata"):
                    yield _as_dict(record, path)
        except Exception:  # noqa: BLE001 - a tail cut by a killed run: the records before it stand
            return


def _as_dict(record, path: str) -> dict:
    fields = record.rec_headers
    out = {
        "kind": record.rec_type, "url": fields.get_header("WARC-Target-URI"),
        "requested": fields.get_header(REQUESTED_FIELD), "site_id": fields.get_header(SITE_FIELD),
        "fetched_at": fields.get_header("WARC-Date"), "status": None, "headers": {}, "body": b"",
        "error": None, "warc_file": path,
    }
    payload = record.content_stream().read()
    if record.rec_type == "response":
        out["status"] = int(record.http_headers.get_statuscode())
        out["headers"] = {k.lower(): v for k, v in record.http_headers.headers}
        out["body"] = payload
    else:
        meta = json.loads(payload or b"{}")
        out["error"], out["status"] = meta.get("error"), meta.get("status")
    return out


def iter_pages(archive_dir: Path | str, *, latest: bool = True,
               storage_options: dict | None = None) -> Iterator[dict]:
    """The pages a crawl got (2xx responses with a body), keyed by the URL as requested (before
    redirects — the URL the warehouse knows). `latest`: only the newest copy of each URL.
    `archive_dir` may be an fsspec URL (see iter_records)."""
    pages = (r for r in iter_records(archive_dir, storage_options)
             if r["kind"] == "response" and 200 <= r["status"] < 300)
    if not latest:
        yield from pages
        return
    newest: dict[str, dict] = {}
    for page in pages:
        key = page["requested"] or page["url"]
        if key not in newest or page["fetched_at"] >= newest[key]["fetched_at"]:
            newest[key] = page
    yield from newest.values()
