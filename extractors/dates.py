"""Publication times, read with a handful of regular expressions.

Why not dateparser: it is slow to import and to run, it fills missing parts from *today*
(shared/notes/dependencies.md), and the sites we read show a small, known set of formats —
ISO 8601 in metadata (JSON-LD, `article:published_time`, `<time datetime>`) and a few visible
Vietnamese date lines ("Thứ tư, 24/04/2024 - 14:29", "06:52 | 11/03/2021 GMT+7",
"16/11/2023 | 04:19 AM", "Ngày đăng : 12:14, 19/04/2023", "28/04/2022 08:31"). Day comes before
month everywhere in Viet Nam, which removes the one real ambiguity.

Every result is Viet Nam time as "YYYY-MM-DDTHH:MM:SS+07:00": a time without a zone is taken as
Viet Nam time (that is what the pages mean), a time with another zone is converted.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

VN = timezone(timedelta(hours=7))

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?"
)
_DATE = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
_DATE_WORDS = r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:,|năm)\s*(?P<y>\d{4})"
_TIME = (r"(?P<H>\d{1,2})\s*[:hH]\s*(?P<M>\d{2})(?:\s*:\s*(?P<S>\d{2}))?"
         r"(?:\s*(?P<ap>[AaPp]\.?\s?[Mm]\b\.?|SA\b|CH\b))?")
_SEP = r"(?:\s|[,|\-–—;(]|lúc|ngày|Ngày)*"
_PATTERNS = [
    re.compile(_DATE + _SEP + _TIME),
    re.compile(_TIME + _SEP + _DATE),
    re.compile(_DATE_WORDS + _SEP + _TIME),
    re.compile(_TIME + _SEP + _DATE_WORDS),
]
_DATE_ONLY = [re.compile(r"(?<!\d)" + _DATE + r"(?!\d)"), re.compile(_DATE_WORDS)]
_ZONE = re.compile(r"^\s*\)?\s*\(?(?:GMT|UTC)\s*(?:(?P<sign>[+-])\s*(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?)?")


def _iso_out(moment: datetime) -> str:
    """Viet Nam time, seconds precision, explicit offset."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN)
    return moment.astimezone(VN).replace(microsecond=0).isoformat()


def _offset(text: str) -> timezone | None:
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_iso(text: str | None) -> str | None:
    """An ISO 8601 date or date-time (as metadata carries it), or None."""
    match = _ISO.search(text or "")
    if not match:
        return None
    y, mo, d, h, mi, s, zone = match.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    if zone:
        moment = moment.replace(tzinfo=_offset(zone))
    return _iso_out(moment)


def _hour(groups: dict) -> int:
    hour, marker = int(groups["H"]), (groups.get("ap") or "").upper().replace(".", "")
    if marker.replace(" ", "") in ("PM", "CH") and hour < 12:
        return hour + 12
    if marker.replace(" ", "") in ("AM", "SA") and hour == 12:
        return 0
    return hour


def _build(groups: dict, tail: str) -> str | None:
    try:
        moment = datetime(int(groups["y"]), int(groups["m"]), int(groups["d"]),
                          _hour(groups) if groups.get("H") else 0,
                          int(groups.get("M") or 0), int(groups.get("S") or 0))
    except ValueError:
        return None
    zone = _ZONE.match(tail)
    if zone and zone["sign"]:
        sign = "+" if zone["sign"] == "+" else "-"
        moment = moment.replace(tzinfo=_offset(f"{sign}{int(zone['zh']):02d}{zone['zm'] or '00'}"))
    return _iso_out(moment)


def parse_vietnamese(text: str | None) -> str | None:
    """The first date (with its time when one stands next to it) in a visible date line."""
    if not text:
        return None
    found = [m for p in _PATTERNS for m in p.finditer(text)]
    if not found:
        found = [m for p in _DATE_ONLY for m in p.finditer(text)]
    for match in sorted(found, key=lambda m: m.start()):
        result = _build(match.groupdict(), text[match.end():match.end() + 20])
        if result:
            return result
    return None


def parse(text: str | None) -> str | None:
    """Any supported form: ISO 8601 first (metadata), else a visible Vietnamese date line."""
    if not text:
        return None
    text = text.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return parse_iso(text)
    return parse_vietnamese(text)
