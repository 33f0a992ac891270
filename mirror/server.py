"""The offline mirror's HTTP server (stdlib only).

Serves ``mirror/sites/<host>/…`` (see mirror/README.md, "URL → file"):

* the site is chosen by the ``Host`` header (port stripped), so a crawler sends the real site's
  requests with the real ``Host`` and only the address it connects to changes;
* ``http://127.0.0.1:PORT/<host>/<path>`` works too (for browsers), and ``/`` lists the sites when
  the ``Host`` is not a mirrored site;
* GET and HEAD, ``Content-Type`` with ``charset=utf-8``, ``Content-Length``, ``ETag`` (sha256 of
  the bytes) and ``Last-Modified`` (the article's published time, else a fixed date), ``304`` on
  ``If-None-Match`` / ``If-Modified-Since``; ``404`` with an HTML body;
* never serves ``*.gold.json`` and never leaves the root.

``MirrorServer`` keeps a per-host request counter and a request log (for politeness tests and
benchmarks: each entry has the body bytes sent). ``MirrorServer(faults=FaultPlan(...))`` makes it
misbehave on purpose (mirror/faults.py).

CLI: ``python -m mirror.server [--port 8000] [--host 127.0.0.1] [--root mirror/sites]
[--faults RATE --seed N] [--fault NAME ...]``.
"""
from __future__ import annotations

import argparse
import hashlib
import html
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mirror import faults as fault_modes
from mirror.faults import FaultPlan

DEFAULT_ROOT = Path(__file__).resolve().parent / "sites"
GOLD_SUFFIX = ".gold.json"
FIXED_LAST_MODIFIED = datetime(2025, 1, 1, tzinfo=timezone.utc)
INDEX_KEY = "_index"  # counter key for requests that name no mirrored site

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


@dataclass(frozen=True)
class LoggedRequest:
    t: float  # time.monotonic()
    host: str  # mirrored host, or "_index"
    method: str
    path: str
    status: int
    user_agent: str
    bytes: int = 0  # body bytes sent


def content_type_for(file: Path, body: bytes) -> str:
    """By extension of the path part (before any ``@query``); extensionless files are sniffed."""
    name = file.name.split("@", 1)[0]
    suffix = Path(name).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    head = body[:512].lstrip()
    if head.startswith(b"<?xml"):
        if b"<rss" in head:
            return CONTENT_TYPES[".rss"]
        return CONTENT_TYPES[".xml"]
    return CONTENT_TYPES[".html"]


def _http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(timezone.utc), usegmt=True)


class _Site:
    """Lookups and caches for one root directory (shared by the handler threads)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._lm_cache: dict[Path, datetime] = {}
        self._lock = threading.Lock()

    def hosts(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def is_host(self, host: str) -> bool:
        return bool(host) and "/" not in host and "\\" not in host and host not in (".", "..") \
            and (self.root / host).is_dir()

    def resolve(self, host: str, path: str, query: str) -> Path | None:
        """The file for a request, or None (missing, forbidden, or outside the root)."""
        path = unquote(path)
        if "\x00" in path or "\\" in path or "/" in query or "\x00" in query:
            return None
        segments = path.split("/")
        if any(s in ("..", ".") for s in segments):
            return None
        rel = path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if query:
            rel += "@" + query
        if rel.endswith(GOLD_SUFFIX) or rel.split("@", 1)[0].endswith(GOLD_SUFFIX):
            return None
        site_root = (self.root / host).resolve()
        try:
            file = (site_root / rel).resolve()
        except (OSError, ValueError):
            return None
        if not file.is_relative_to(site_root) or not file.is_file():
            return None
        if file.name.endswith(GOLD_SUFFIX):
            return None
        return file

    def last_modified(self, file: Path) -> datetime:
        with self._lock:
            if file in self._lm_cache:
                return self._lm_cache[file]
        lm = FIXED_LAST_MODIFIED
        gold = file.with_name(file.name + GOLD_SUFFIX)
        if gold.is_file():
            try:
                published = json.loads(gold.read_text(encoding="utf-8")).get("published")
                if published:
                    dt = datetime.fromisoformat(published)
                    if dt.tzinfo is None:
                        dt = dt.replace(tzinfo=timezone.utc)
                    lm = dt
            except (OSError, ValueError, AttributeError):
                pass
        with self._lock:
            self._lm_cache[file] = lm
        return lm

    def not_found_body(self, host: str | None) -> bytes:
        if host:
            page = self.root / host / "404.html"
            if page.is_file():
                return page.read_bytes()
        return (b"<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>404 Not Found</title>"
                b"</head><body><h1>404 - Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y trang</h1></body></html>\n")

    def index_body(self) -> bytes:
        items = "\n".join(
            f'<li><a href="/{html.escape(h)}/">{html.escape(h)}</a></li>' for h in self.hosts()
        )
        return (
            "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>egov-data mirror</title>"
            "</head><body><h1>egov-data offline mirror</h1><p>Mirrored sites (send the real "
            "<code>Host</code> header, or browse <code>/&lt;host&gt;/&lt;path&gt;</code>):</p>"
            f"<ul>\n{items}\n</ul></body></html>\n"
        ).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server_version = "egov-mirror/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, each keep-alive response
    # waits ~40 ms for the client's delayed ACK (measured: 43 ms → 1 ms per request).
    disable_nagle_algorithm = True

    # the ThreadingHTTPServer carries these
    server: "_HTTPServer"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: no stderr spam
        return

    def do_GET(self) -> None:  # noqa: N802
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def _method_not_allowed(self) -> None:
        body = b"Method Not Allowed\n"
        self.close_connection = True
        self.server.mirror._record(INDEX_KEY, self.command, self.path, 405, self.headers.get("User-Agent", ""))
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = _method_not_allowed  # noqa: N815

    def _serve(self, head: bool) -> None:
        self.arrived = time.monotonic()  # the log's time: when the request came, not when it was answered
        site: _Site = self.server.site
        host_header = (self.headers.get("Host") or "").strip().lower()
        host = host_header.rsplit(":", 1)[0] if not host_header.startswith("[") else host_header
        target = self.path
        if "://" in target.split("?", 1)[0]:  # absolute-form request target (a proxy-style client)
            parts = urlsplit(target)
            host = (parts.hostname or host).lower()
            target = parts.path + (("?" + parts.query) if parts.query else "")
        path, _, query = target.partition("?")
        path = path.split("#", 1)[0] or "/"

        if not site.is_host(host):
            # Not a mirrored Host: "/" is the index, "/<host>/<path>" browses a site.
            segs = path.lstrip("/").split("/", 1)
            if path == "/":
                return self._send(200, site.index_body(), "text/html; charset=utf-8", INDEX_KEY, head)
            if site.is_host(unquote(segs[0])):
                host = unquote(segs[0])
                if len(segs) == 1:
                    return self._redirect(f"/{host}/", host, head)
                path = "/" + segs[1]
            else:
                return self._send(404, site.not_found_body(None), "text/html; charset=utf-8", INDEX_KEY, head)

        file = site.resolve(host, path, query)
        plan = self.server.mirror.faults
        if plan is not None and plan.rate > 0:
            fault = plan.pick(host, target)
            if fault and self._misbehave(fault, plan, host, target, file, head):
                return
        if file is None:
            return self._send(404, site.not_found_body(host), "text/html; charset=utf-8", host, head)
        try:
            body = file.read_bytes()
        except OSError:
            return self._send(404, site.not_found_body(host), "text/html; charset=utf-8", host, head)
        self._send_file(file, body, content_type_for(file, body), host, head)

    def _misbehave(self, fault: str, plan: FaultPlan, host: str, target: str, file: Path | None, head: bool) -> bool:
        """Apply `fault`; False when the normal response should follow (a slow one, or no file)."""
        try:
            body = file.read_bytes() if file is not None else None
        except OSError:
            body = None
        ctype = content_type_for(file, body) if file is not None and body is not None else "text/html; charset=utf-8"
        serve = lambda b, c: self._send_file(file, b, c, host, head)  # noqa: E731
        return fault_modes.respond(self, fault, plan, host, target, body, ctype, serve)

    def _send_file(self, file: Path, body: bytes, ctype: str, host: str, head: bool) -> None:
        site: _Site = self.server.site
        etag = '"' + hashlib.sha256(body).hexdigest() + '"'
        last_modified = site.last_modified(file)
        headers = {"ETag": etag, "Last-Modified": _http_date(last_modified), "Cache-Control": "max-age=60"}
        if self._not_modified(etag, last_modified):
            return self._send(304, b"", None, host, head, headers)
        return self._send(200, body, ctype, host, head, headers)

    def _not_modified(self, etag: str, last_modified: datetime) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:  # If-None-Match takes precedence over If-Modified-Since (RFC 9110)
            tags = [t.strip() for t in inm.split(",")]
            return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError, IndexError):
                return False
            if since is None:
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=timezone.utc)
            return int(last_modified.timestamp()) <= int(since.timestamp())
        return False

    def _redirect(self, location: str, host: str, head: bool) -> None:
        self._send(301, b"", None, host, head, {"Location": location})

    def _send(self, status: int, body: bytes, ctype: str | None, host: str, head: bool,
              headers: dict[str, str] | None = None) -> None:
        # recorded before the reply goes out, so a client that has its answer sees it counted
        sent = 0 if head or status == 304 else len(body)
        self.server.mirror._record(host, self.command, self.path, status, self.headers.get("User-Agent", ""), sent,
                                   getattr(self, "arrived", None))
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if ctype:
            self.send_header("Content-Type", ctype)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and status != 304 and body:
            self.wfile.write(body)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the stdlib's 5 drops SYNs when a crawler opens 64 connections at once
    site: _Site
    mirror: "MirrorServer"


class MirrorServer:
    """The mirror on 127.0.0.1 in a background thread.

    >>> with MirrorServer() as base_url:   # doctest: +SKIP
    ...     httpx.get(base_url + "/rss/home.rss", headers={"Host": "baochinhphu.vn"})
    """

    def __init__(self, root: Path | None = None, host: str = "127.0.0.1", port: int = 0,
                 faults: FaultPlan | None = None) -> None:
        self.root = Path(root) if root is not None else DEFAULT_ROOT
        self.faults = faults
        self.host = host
        self.port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.log: list[LoggedRequest] = []

    # -- lifecycle
    def start(self) -> str:
        if self._httpd is not None:
            return self.base_url
        httpd = _HTTPServer((self.host, self.port), _Handler)
        httpd.site = _Site(self.root)
        httpd.mirror = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"mirror-server:{self.port}", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- request accounting (politeness tests)
    def _record(self, host: str, method: str, path: str, status: int, user_agent: str, sent: int = 0,
                at: float | None = None) -> None:
        with self._lock:
            self.counts[host] += 1
            self.log.append(LoggedRequest(at or time.monotonic(), host, method, path, status, user_agent, sent))

    def bytes_sent(self) -> int:
        with self._lock:
            return sum(r.bytes for r in self.log)

    def request_count(self, host: str | None = None) -> int:
        with self._lock:
            return sum(self.counts.values()) if host is None else self.counts[host]

    def requests_for(self, host: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if r.host == host]

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()
            self.log.clear()


def serve_forever(port: int, host: str = "127.0.0.1", root: Path | None = None,
                  faults: FaultPlan | None = None) -> None:
    """Run the mirror in the foreground until interrupted (the CLI)."""
    httpd = _HTTPServer((host, port), _Handler)
    httpd.site = _Site(Path(root) if root is not None else DEFAULT_ROOT)
    httpd.mirror = MirrorServer(root, host, port, faults=faults)
    print(f"egov mirror serving {httpd.site.root} on http://{host}:{httpd.server_address[1]}/ "
          f"({len(httpd.site.hosts())} sites)", flush=True)
    if faults is not None and faults.rate > 0:
        picked = ", ".join(sorted(faults.only)) if faults.only else "random transient faults"
        print(f"faults: {faults.rate:.0%} of URLs, seed {faults.seed} ({picked})", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m mirror.server", description="Serve the offline mirror.")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--root", type=Path, default=None, help="directory of <host>/ trees (default mirror/sites)")
    add_fault_arguments(ap)
    args = ap.parse_args(argv)
    serve_forever(args.port, args.host, args.root, fault_plan(args))


def add_fault_arguments(ap: argparse.ArgumentParser) -> None:
    """--faults RATE --seed N --fault NAME (shared with `egov mirror`)."""
    ap.add_argument("--faults", type=float, default=0.0, metavar="RATE",
                    help="share of URLs (0..1) that misbehave; random transient faults unless --fault picks")
    ap.add_argument("--seed", type=int, default=0, help="seed of the fault plan (same seed, same faults)")
    ap.add_argument("--fault", action="append", metavar="NAME",
                    help=f"only this fault (repeatable): {', '.join(fault_modes.ALL)}")


def fault_plan(args: argparse.Namespace) -> FaultPlan | None:
    only = fault_modes.parse_only(args.fault)
    rate = args.faults if args.faults or not only else 1.0     # --fault alone: every eligible URL
    return FaultPlan(rate=rate, seed=args.seed, only=only) if rate > 0 else None


if __name__ == "__main__":
    main()
