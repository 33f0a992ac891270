"""Which character encoding a fetched page is in, and its text.

Why not simply trust the Content-Type header: Vietnamese government sites still serve pages in
windows-1258 and mislabel UTF-8 pages as ISO-8859-1, and a wrong guess silently turns every
"triệu" into mojibake that no extractor recovers from. The order is the HTML one — a BOM, then
the HTTP header, then `<meta charset>` — with two corrections that cost nothing on honest pages:

- a body that is valid UTF-8 and not plain ASCII *is* UTF-8, whatever is declared: the odds of a
  legacy-encoded Vietnamese page being valid UTF-8 by accident are negligible;
- a declared charset that cannot decode the body is ignored, and charset_normalizer (already an
  httpx dependency) guesses among the encodings; failing that, UTF-8 with replacement.

windows-1258 writes tone marks as combining characters, so decoded text is NFC-normalised:
"ệ" from cp1258 is then the same code point as "ệ" from UTF-8.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
META_SCAN_BYTES = 4096        # where HTML says a <meta charset> must be
DETECT_SCAN_BYTES = 64_000    # enough text to guess from; guessing is slow on megabytes


def known_codec(name: str | bytes | None) -> str | None:
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def declared_encodings(content_type: str | None, body: bytes) -> list[str]:
    """Known codecs the header and then the <meta> name, in that order."""
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(body[:META_SCAN_BYTES])
    names = [known_codec(header.group(1)) if header else None, known_codec(meta.group(1)) if meta else None]
    return [n for n in names if n]


def detect_encoding(content_type: str | None, body: bytes) -> str:
    """The encoding of `body` (a Python codec name), by the rules of the module docstring."""
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if not body.isascii() and _decodes(body, "utf-8"):
        return "utf-8"
    for encoding in declared_encodings(content_type, body):
        if _decodes(body, encoding):
            return encoding
    if body.isascii():
        return "utf-8"
    guess = charset_normalizer.from_bytes(body[:DETECT_SCAN_BYTES]).best()
    return known_codec(guess.encoding) if guess is not None and known_codec(guess.encoding) else "utf-8"


def decode(body: bytes, encoding: str) -> str:
    """The text, NFC-normalised; undecodable bytes become U+FFFD rather than an exception."""
    text = body.decode(encoding, errors="replace")
    return text if text.isascii() else unicodedata.normalize("NFC", text)
