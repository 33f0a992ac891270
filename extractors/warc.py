"""The crawl archive as WARC: every response we got, and every failure, in the web's archive format.

Why WARC (ISO 28500, written with warcio): it keeps what a page-per-file archive loses — the
status line and headers of every response, the failures, the order and time of a crawl — in a
format any web-archive tool reads, so `egov reprocess` can rebuild every article from the archive
with no network, and a better extractor can be re-run on crawls years old.

Layout: `archive_dir/warc/<run_id>/<site_id>.warc.gz`, one file per site per run (the sites of a
run are crawled in parallel threads; one writer per file needs no cross-thread coordination
beyond a lock). A resumed run with the same run id appends. Each record is its own gzip member
and is flushed at once, so a SIGKILL loses at most the record being written; readers skip a
truncated tail.

What is stored: a `response` record per HTTP response (redirects, 304s and 5xx included), with
the body as the application saw it — Content-Encoding undone, so the header is dropped — and a
`metadata` record (JSON) per request that got no usable response (timeout, reset, refused
redirect, oversized body), with its one-line error. Two extension fields tie records to the
registry: `WARC-Egov-Site` and `WARC-Egov-Requested-URI` (the URL before redirects).
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SITE_FIELD = "WARC-Egov-Site"
REQUESTED_FIELD = "WARC-Egov-Requested-URI"
DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}   # body is stored decoded


def warc_path(archive_dir: Path, run_id: str, site_id: str) -> Path:
    return Path(archive_dir) / "warc" / run_id / f"{site_id}.warc.gz"


def _warc_date(fetched_at: str) -> str:
    return fetched_at.replace("+00:00", "Z")


class WarcLog:
    """Appends records for one site of one run; safe to call from several threads."""

    def __init__(self, path: Path, site_id: str):
        self.path, self.site_id = Path(path), site_id
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("ab")
        self._writer = WARCWriter(self._file, gzip=True)
        self._lock = threading.Lock()

    def response(self, *, url: str, requested: str, status: int, reason: str, headers: list[tuple[str, str]],
                 body: bytes, fetched_at: str) -> None:
        kept = [(k, v) for k, v in headers if k.lower() not in DROPPED_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http,
            warc_headers_dict=self._fields(requested, fetched_at),
        )
        self._write(record)

    def failure(self, *, url: str, requested: str, error: str, fetched_at: str, status: int | None = None) -> None:
        content = json.dumps({"error": error, "status": status}, ensure_ascii=False).encode()
        record = self._writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(content), warc_content_type="application/json",
            warc_headers_dict=self._fields(requested, fetched_at),
        )
        self._write(record)

    def _fields(self, requested: str, fetched_at: str) -> dict[str, str]:
        return {SITE_FIELD: self.site_id, REQUESTED_FIELD: requested, "WARC-Date": _warc_date(fetched_at)}

    def _write(self, record) -> None:
        with self._lock:
            if self._file.closed:
                return
            self._writer.write_record(record)
            self._file.flush()

    def close(self) -> None:
        with self._lock:
            self._file.close()


def iter_records(archive_dir: Path) -> Iterator[dict]:
    """Every response and failure record under `archive_dir/warc`, oldest run first, as dicts:
    `{kind, url, requested, site_id, fetched_at, status, headers, body, error, warc_file}`."""
    for path in sorted((Path(archive_dir) / "warc").glob("*/*.warc.gz")):
        yield from _records_of(path)


def _records_of(path: Path) -> Iterator[dict]:
    with path.open("rb") as f:
        try:
            for record in ArchiveIterator(f):
                if record.rec_type in ("response", "metadata"):
                    yield _as_dict(record, path)
        except Exception:  # noqa: BLE001 - a tail cut by a killed run: the records before it stand
            return


def _as_dict(record, path: Path) -> dict:
    fields = record.rec_headers
    out = {
        "kind": record.rec_type, "url": fields.get_header("WARC-Target-URI"),
        "requested": fields.get_header(REQUESTED_FIELD), "site_id": fields.get_header(SITE_FIELD),
        "fetched_at": fields.get_header("WARC-Date"), "status": None, "headers": {}, "body": b"",
        "error": None, "warc_file": str(path),
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


def iter_pages(archive_dir: Path, *, latest: bool = True) -> Iterator[dict]:
    """The pages a crawl got (2xx responses with a body), keyed by the URL as requested (before
    redirects — the URL the warehouse knows). `latest`: only the newest copy of each URL."""
    pages = (r for r in iter_records(archive_dir) if r["kind"] == "response" and 200 <= r["status"] < 300)
    if not latest:
        yield from pages
        return
    newest: dict[str, dict] = {}
    for page in pages:
        key = page["requested"] or page["url"]
        if key not in newest or page["fetched_at"] >= newest[key]["fetched_at"]:
            newest[key] = page
    yield from newest.values()
