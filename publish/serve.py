"""`egov serve-data`: serve the releases folder over HTTP, with range requests.

Parquet and DuckDB readers fetch a file's footer first and then only the row groups and
columns a query needs, with `Range: bytes=…` requests; a server without ranges makes them
download whole files. Python's http.server has no ranges, so this handler adds them (one
range per request — what those readers send — answered 206 with Content-Range; a range past
the end is 416). It serves files under the releases folder only, the `latest` symlink
included, and never lists directories.
"""

from __future__ import annotations

import http.server
import os
import re
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

TYPES = {
    ".parquet": "application/vnd.apache.parquet", ".duckdb": "application/vnd.duckdb.database",
    ".csv": "text/csv; charset=utf-8", ".json": "application/json", ".jsonld": "application/ld+json",
    ".md": "text/markdown; charset=utf-8", ".html": "text/html; charset=utf-8",
}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 1 << 16


class Handler(http.server.BaseHTTPRequestHandler):
    root: Path
    protocol_version = "HTTP/1.1"  # keep-alive: readers send many small range requests

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        path = self._resolve()
        if path is None:
            return self._error(404, "not found")
        size = path.stat().st_size
        start, end = 0, size - 1
        status = 200
        header = self.headers.get("Range")
        if header:
            parsed = _parse_range(header, size)
            if parsed is None:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start, end = parsed
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", TYPES.get(path.suffix, "application/octet-stream"))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if body:
            with path.open("rb") as fh:
                fh.seek(start)
                left = end - start + 1
                while left > 0:
                    chunk = fh.read(min(CHUNK, left))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    left -= len(chunk)

    def _resolve(self) -> Path | None:
        rel = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")
        path = (self.root / rel).resolve()
        if path.is_dir():
            path = path / "index.html"
        root = self.root.resolve()
        if root not in path.parents or not path.is_file() or any(p.startswith(".") for p in Path(rel).parts):
            return None
        return path

    def _error(self, status: int, message: str) -> None:
        data = message.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if os.environ.get("EGOV_SERVE_LOG"):
            super().log_message(format, *args)


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """One `bytes=a-b`, `bytes=a-` or `bytes=-n` range as (first, last) inclusive; None if
    unsatisfiable or not understood (several ranges are not served)."""
    m = RANGE.match(header.strip())
    if not m or not (m.group(1) or m.group(2)):
        return None
    first, last = m.group(1), m.group(2)
    if not first:
        n = int(last)
        if n == 0 or size == 0:
            return None
        return max(0, size - n), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return None
    return start, end


def server(root: Path, host: str = "127.0.0.1", port: int = 0) -> http.server.ThreadingHTTPServer:
    handler = type("ReleasesHandler", (Handler,), {"root": Path(root)})
    srv = http.server.ThreadingHTTPServer((host, port), handler)
    srv.daemon_threads = True
    return srv


@contextmanager
def serving(root: Path, host: str = "127.0.0.1", port: int = 0):
    """Serve `root` in a background thread; yields the base URL (http://host:port/)."""
    srv = server(root, host, port)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{srv.server_address[1]}/"
    finally:
        srv.shutdown()
        srv.server_close()


def serve_forever(root: Path, host: str = "127.0.0.1", port: int = 8766) -> None:
    """What `egov serve-data` runs: serve until interrupted."""
    srv = server(root, host, port)
    print(f"serving {root} at http://{host}:{srv.server_address[1]}/ (Ctrl-C to stop)", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
