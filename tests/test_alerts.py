"""Alerts reach a real webhook receiver on loopback; an unreachable webhook never raises."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flows import alerts


class _Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers["Content-Type"], json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_degraded_run_posts_a_slack_compatible_message():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run = {"run_id": "r1", "status": "degraded"}
        sites = {"a.vn": {"failed": 2, "drift": 1, "errors": ["GET https://a.vn/x → HTTP 500 after 3 retries"]}}
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        assert alerts.notify(alerts.message(run, sites, None), url)
    finally:
        server.shutdown()
    (content_type, payload), = _Receiver.received
    assert content_type == "application/json"
    assert payload["text"].startswith("egov-data run r1 degraded")
    assert "a.vn: 2 pages failed" in payload["text"] and "template drift" in payload["text"]
    assert "HTTP 500" in payload["text"]


def test_unreachable_webhook_is_logged_not_raised(caplog):
    assert alerts.notify({"text": "x"}, "http://127.0.0.1:9/nothing-listens-here") is False
    assert "not delivered" in caplog.text


def test_no_webhook_configured_sends_nothing(monkeypatch):
    monkeypatch.delenv(alerts.ENV, raising=False)
    assert alerts.notify({"text": "x"}) is False
