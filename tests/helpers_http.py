"""A tiny real HTTP server on 127.0.0.1 with scripted responses, for the crawler's tests.

Why not mocks: the crawler's hard parts (timeouts, streamed size limits, redirects, the Host
header sent to the mirror, conditional GET) live in the HTTP exchange itself; a real server on
loopback exercises them as the network would, in milliseconds.

Routes are keyed by path (with query), or by "host/path" when a test needs the Host header to
pick the site (as the mirror does). Each route is a list of `Reply`s served in turn; the last one
repeats. Every request is recorded (`server.requests`) so tests can assert what was sent.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0                 # seconds before the status line (a slow server)
    content_type: str = "text/html; charset=utf-8"
    if_none_match: "Reply | None" = None   # served instead when If-None-Match equals our ETag
    chunked: bool = False              # no Content-Length: the size is only known by reading

    @property
    def data(self) -> bytes:
        return self.body.encode() if isinstance(self.body, str) else self.body


@dataclass
class Seen:
    method: str
    host: str
    path: str
    headers: dict[str, str]
    at: float


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers={"Location": location})


class ScriptedServer:
    """`with ScriptedServer({"/a": [Reply(500), Reply(200, "ok")]}) as s: s.url("/a")`"""

    def __init__(self, routes: dict[str, list[Reply] | Reply] | None = None):
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self.in_flight = 0
        self.max_in_flight = 0                 # most requests being answered at once
        self._lock = threading.Lock()
        for path, replies in (routes or {}).items():
            self.route(path, replies)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # -- setup -------------------------------------------------------------------------------

    def route(self, path: str, replies: list[Reply] | Reply) -> None:
        self.routes[path] = list(replies) if isinstance(replies, list) else [replies]

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path or f"{r.host}{r.path}" == path]

    def __enter__(self) -> "ScriptedServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- serving -----------------------------------------------------------------------------

    def _next_reply(self, host: str, path: str) -> Reply:
        with self._lock:
            replies = self.routes.get(f"{host}{path}") or self.routes.get(path)
            if not replies:
                return Reply(404, "not found")
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True     # headers and body go out in separate writes

            def do_GET(self) -> None:
                host = self.headers.get("Host", "")
                with server._lock:
                    server.requests.append(Seen("GET", host, self.path, dict(self.headers), time.monotonic()))
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    reply = server._next_reply(host, self.path)
                    if reply.if_none_match and self.headers.get("If-None-Match") == reply.headers.get("ETag"):
                        reply = reply.if_none_match
                    if reply.delay:
                        time.sleep(reply.delay)
                    self._send(reply)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _send(self, reply: Reply) -> None:
                data = b"" if reply.status in (204, 304) else reply.data
                try:
                    self.send_response(reply.status)
                    if reply.status not in (204, 304):
                        self.send_header("Content-Type", reply.content_type)
                        if reply.chunked:
                            self.send_header("Transfer-Encoding", "chunked")
                        else:
                            self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.chunked:
                        for start in range(0, len(data), 1024):
                            piece = data[start:start + 1024]
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass                       # the client gave up (timeout, size limit): fine

            def log_message(self, *args) -> None:
                pass

        return Handler
