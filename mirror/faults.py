"""Fault modes of the offline mirror: a server that misbehaves on purpose, reproducibly.

Why: the crawler's robustness is only as good as the faults it was tried against, and real
government sites produce all of these — 5xx bursts, 429s, resets, stalls, cut-off bodies,
redirect loops, links off-site, mislabelled charsets, a runaway page, broken feeds and robots
files. `FaultPlan(rate, seed, only)` decides per URL, deterministically from the seed, whether
and how a request misbehaves, so a failing test can be replayed exactly.

Two families:
- TRANSIENT faults go away: a URL hit by one misbehaves for its first `burst` requests (1 to
  `max_burst`), then is served normally; the charset faults are permanent but lose nothing if the
  crawler decodes well. A random plan (`rate` > 0, no `only`) draws from these, so a correct
  crawler with enough retries ends with exactly the articles of a fault-free crawl.
- PERMANENT faults make a page unobtainable (or must be refused): a crawler can only record them.
  Chosen by name with `only={...}`.

Which requests a fault can hit depends on what is asked for: robots.txt, XML (feeds, sitemaps)
or an HTML page; `eligible()` says which.
"""

from __future__ import annotations

import random
import re
import socket
import struct
import threading
import time
import unicodedata
import zlib
from dataclasses import dataclass, field

TRANSIENT = ("server_error", "rate_limited", "reset", "slow", "truncated",
             "wrong_charset", "missing_charset", "legacy_charset")
PERMANENT = ("redirect_loop", "offsite_redirect", "loopback_redirect", "gzip_bomb", "huge_page",
             "malformed_robots", "malformed_xml", "robots_disallow")
ALL = TRANSIENT + PERMANENT
NETWORK = ("server_error", "rate_limited", "reset", "slow", "truncated")
BY_KIND = {
    "robots": NETWORK + ("malformed_robots", "robots_disallow"),
    "xml": NETWORK + ("malformed_xml",),
    "html": NETWORK + ("wrong_charset", "missing_charset", "legacy_charset", "redirect_loop",
                       "offsite_redirect", "loopback_redirect", "gzip_bomb", "huge_page"),
}
ALWAYS = ("wrong_charset", "missing_charset", "legacy_charset") + PERMANENT   # not a burst: every request
LOOP_MARK = "loop=1"
_META_CHARSET = re.compile(rb"""<meta[^>]*charset\s*=\s*["']?[A-Za-z0-9._:-]+["']?[^>]*>""", re.I)


@dataclass
class FaultPlan:
    rate: float = 0.0
    seed: int = 0
    only: set[str] | frozenset[str] | None = None
    max_burst: int = 2                 # a transient fault lasts 1..max_burst requests of its URL
    retry_after_s: int = 1             # what a 429 asks for
    slow_s: float = 3.0                # how long a slow response stalls before its status line
    bomb_mb: int = 200                 # decompressed size of the gzip bomb
    huge_mb: int = 50                  # size of the runaway page
    disallow: str = "/"                # the section robots_disallow closes
    injected: list[tuple[str, str, str]] = field(default_factory=list)   # (host, target, fault) first hits
    _hits: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.only or ()) - set(ALL)
        if unknown:
            raise ValueError(f"unknown fault(s) {sorted(unknown)}; known: {', '.join(ALL)}")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be within 0..1, got {self.rate}")

    def eligible(self, kind: str) -> list[str]:
        pool = BY_KIND[kind] if self.only else [f for f in BY_KIND[kind] if f in TRANSIENT]
        return [f for f in pool if not self.only or f in self.only]

    def pick(self, host: str, target: str) -> str | None:
        """The fault for this request (None: serve it normally)."""
        if LOOP_MARK in target:
            return "redirect_loop"             # the other end of a loop always sends back
        kind = request_kind(target)
        pool = self.eligible(kind)
        if not pool:
            return None
        rng = random.Random(f"{self.seed}:{host}{target}")
        if rng.random() >= self.rate:
            return None
        fault, burst = rng.choice(pool), rng.randint(1, self.max_burst)
        with self._lock:
            hits = self._hits.get((host, target), 0)
            self._hits[(host, target)] = hits + 1
            if hits == 0:
                self.injected.append((host, target, fault))
        return fault if fault in ALWAYS or hits < burst else None

    def faulty(self, family: tuple[str, ...] = PERMANENT) -> set[tuple[str, str]]:
        """(host, target) of every request that was given a fault of `family`."""
        with self._lock:
            return {(h, t) for h, t, f in self.injected if f in family}


def request_kind(target: str) -> str:
    path = target.split("?", 1)[0].lower()
    if path == "/robots.txt":
        return "robots"
    if path.endswith((".xml", ".rss", ".xml.gz", "/rss", ".atom")):
        return "xml"
    return "html"


def parse_only(names: list[str] | None) -> frozenset[str] | None:
    """`--fault NAME` values (repeatable, or comma-separated) as a FaultPlan's `only`."""
    picked = {n.strip() for name in names or [] for n in name.split(",") if n.strip()}
    return frozenset(picked) or None


# ---------------------------------------------------------------------------- bodies


def encode_cp1258(text: str) -> bytes:
    """Vietnamese text in windows-1258: letters with a tone are a base letter + combining tone."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += (base + tones).encode("cp1258", errors="xmlcharrefreplace")
    return bytes(out)


def without_meta_charset(body: bytes) -> bytes:
    return _META_CHARSET.sub(b"", body)


_BOMBS: dict[int, bytes] = {}


def gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of zeros, gzipped (~1000:1), built once per size."""
    if megabytes not in _BOMBS:
        z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = bytes(1024 * 1024)
        _BOMBS[megabytes] = b"".join([*(z.compress(block) for _ in range(megabytes)), z.flush()])
    return _BOMBS[megabytes]


MALFORMED_ROBOTS = b"<!DOCTYPE html><html><body><h1>Trang ch\xe1\xbb\xa7</h1>Disallow everything?</body></html>\n"


def malformed_xml(body: bytes) -> bytes:
    """The document cut off in the middle of an element, as a crashed generator leaves it."""
    cut = body[: max(1, len(body) * 2 // 3)]
    return cut.rsplit(b"<", 1)[0] + b"<ite"


# ---------------------------------------------------------------------------- responses


def respond(handler, fault: str, plan: FaultPlan, host: str, target: str, body: bytes | None,
            content_type: str, serve) -> bool:
    """Misbehave on `handler`'s request; False if the fault only alters the normal response, which
    `serve(body, content_type)` then sends. `body` is the normal file's bytes (None: no file)."""
    if fault == "server_error":
        return _plain(handler, host, random.Random(target).choice((500, 502, 503)), b"Service Unavailable\n")
    if fault == "rate_limited":
        return _plain(handler, host, 429, b"Too Many Requests\n", {"Retry-After": str(plan.retry_after_s)})
    if fault == "reset":
        return _reset(handler, host)
    if fault == "slow":
        time.sleep(plan.slow_s)
        return False
    if fault in ("redirect_loop", "offsite_redirect", "loopback_redirect"):
        return _redirect(handler, host, fault, target)
    if body is None:
        return False                             # nothing to distort: the normal 404
    if fault == "truncated":
        return _truncated(handler, host, body, content_type)
    if fault in ("wrong_charset", "missing_charset", "legacy_charset"):
        serve(*_charset_variant(fault, body, content_type))
        return True
    if fault == "gzip_bomb":
        return _plain(handler, host, 200, gzip_bomb(plan.bomb_mb), {"Content-Encoding": "gzip"}, content_type)
    if fault == "huge_page":
        return _huge(handler, host, plan.huge_mb)
    if fault == "malformed_robots":
        return _plain(handler, host, 200, MALFORMED_ROBOTS, ctype="text/plain; charset=utf-8")
    if fault == "robots_disallow":
        return _plain(handler, host, 200, body + f"\nUser-agent: *\nDisallow: {plan.disallow}\n".encode(),
                      ctype="text/plain; charset=utf-8")
    if fault == "malformed_xml":
        return _plain(handler, host, 200, malformed_xml(body), ctype=content_type)
    return False


def _charset_variant(fault: str, body: bytes, content_type: str) -> tuple[bytes, str]:
    mime = content_type.split(";", 1)[0]
    if fault == "wrong_charset":                 # a UTF-8 page labelled Latin-1
        return body, f"{mime}; charset=iso-8859-1"
    if fault == "missing_charset":               # no label anywhere
        return without_meta_charset(body), mime
    legacy = encode_cp1258(body.decode("utf-8"))  # the page in windows-1258, labelled so
    return without_meta_charset(legacy), f"{mime}; charset=windows-1258"


def _plain(handler, host: str, status: int, body: bytes, headers: dict | None = None,
           ctype: str = "text/plain; charset=utf-8") -> bool:
    _log(handler, host, status, len(body))
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        _write(handler, body)
    return True


def _redirect(handler, host: str, fault: str, target: str) -> bool:
    port = handler.server.server_address[1]
    if fault == "redirect_loop":               # target → target?loop=1 → target → …
        looped = LOOP_MARK in target
        location = target.replace(LOOP_MARK, "").rstrip("?&") if looped else \
            target + ("&" if "?" in target else "?") + LOOP_MARK
    elif fault == "offsite_redirect":
        location = f"https://evil.example.net{target}"
    else:
        location = f"http://127.0.0.1:{port}/admin{target}"
    _log(handler, host, 302)
    handler.send_response(302)
    handler.send_header("Location", location)
    handler.send_header("Content-Length", "0")
    handler.end_headers()
    return True


def _reset(handler, host: str) -> bool:
    """Close the connection with a TCP RST instead of an answer."""
    _log(handler, host, 0)
    handler.close_connection = True
    try:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    return True


def _truncated(handler, host: str, body: bytes, content_type: str) -> bool:
    """Promise the whole body, send half, hang up."""
    _log(handler, host, 200, len(body) // 2)
    handler.close_connection = True
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    _write(handler, body[: len(body) // 2])
    return True


def _huge(handler, host: str, megabytes: int) -> bool:
    """A page that never seems to end: `megabytes` MB, no Content-Length, the end is the close."""
    _log(handler, host, 200, megabytes * 1024 * 1024)
    handler.close_connection = True
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Connection", "close")
    handler.end_headers()
    chunk = b"<p>" + b"x" * (64 * 1024 - 8) + b"</p>\n"
    for _ in range(megabytes * 16):
        if not _write(handler, chunk):
            break
    return True


def _log(handler, host: str, status: int, sent: int = 0) -> None:
    handler.server.mirror._record(host, handler.command, handler.path, status, handler.headers.get("User-Agent", ""),
                                  sent, getattr(handler, "arrived", None))


def _write(handler, data: bytes) -> bool:
    try:
        handler.wfile.write(data)
        return True
    except (BrokenPipeError, ConnectionResetError, OSError):
        handler.close_connection = True
        return False
