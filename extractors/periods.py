"""Time expressions and the `as_of` / `period_start` they give a figure (spec: `as_of`).

Why: a figure is only comparable across articles with the date it describes. The spec's grammar:
a point ("đến 10/10/2023") gives that date; a quarter, "N tháng đầu năm", a month or a year gives
its last day; "đến nay" / "hiện nay" or nothing gives the publication date. The nearest
expression BEFORE the figure in the same sentence governs it, and one inside a "so với …"
comparison never does. "trong", "riêng", "từ … đến" make it a period (period_start = the first
day); "đến", "tính đến", "đến hết" make it a cumulative total (no period_start).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from extractors.lexicon import load

_LEX = load("lexicon")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Y = r"((?:19|20)\d{2})(?!\d)"

# (name, pattern) in priority order: when two overlap, the earlier-listed, then longer, wins.
# Patterns run on the lower-cased text and each starts with a required literal or digit, so the
# regex engine can skip ahead instead of trying every position.
# Every branch and every leading digit is written out ("\d\d?", not "\d{1,2}"; each cue before
# "nay" spelled in full) because that is the shape the engine recognises as a first-character set.
_NOW = r"(?:nay|thời\s+điểm\s+(?:này|hiện\s+tại))(?!\w)"
_PATTERNS = [
    ("now", "|".join(rf"{cue}\s+{_NOW}" for cue in (r"tính\s+đến", r"tính\s+tới", r"cho\s+đến", r"cho\s+tới", "đến", "tới"))
            + r"|hiện\s+(?:nay|tại|đang)(?!\w)"),
    ("months", r"(\d\d?)\s+tháng\s+(?:(đầu|cuối)\s+)?(?:(?:của\s+)?năm(?:\s+(?:(?:19|20)\d{2}|nay))?|(?:19|20)\d{2})(?![\d\w])"),
    ("half", r"nửa\s+(đầu|cuối)\s+năm(?:\s+((?:19|20)\d{2}|nay))?(?!\w)"),
    ("quarter", r"quý\s+(iv|i{1,3}|[1-4])(?!\w)(?:\s*(?:(?:của\s+)?năm\s+|/\s*|-\s*)" + _Y + r")?"),
    ("date", r"(\d\d?)\s*([/.-])\s*(\d{1,2})\s*\2\s*" + _Y),
    ("date", r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+(?:năm\s+)?" + _Y),
    ("daymonth", r"(?:ngày|sáng|chiều|tối|trưa|đêm|hôm|đến|tới|từ)\s+(?:ngày\s+)?(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])"),
    ("month", r"tháng\s+(\d{1,2})\s*(?:/|-|\s+năm\s+|\s+)" + _Y),
    ("month", r"tháng\s+(\d{1,2})(?![\d/,.]\d)(?!\s*(?:hàng|hằng|mỗi)\s+năm)(?!\s+(?:năm\s+)?(?:19|20)\d{2})"),
    ("yearstart", r"đầu(?<!dẫn\sđầu)(?<!đứng\sđầu)\s+năm(?:\s+((?:19|20)\d{2}|nay))?(?!\w)"),
    ("year", r"năm\s+((?:19|20)\d{2}|nay)(?![\d\w])"),
]
_COMPILED = [(name, re.compile(p)) for name, p in _PATTERNS]
_MARKER_RE = re.compile(
    r"(?:(?P<cum>(?:tính\s+)?(?:đến|tới)(?:\s+hết)?|hết|cho\s+đến(?:\s+hết)?)"
    r"|(?P<per>trong|riêng|cả|chỉ\s+trong|ngay\s+trong|suốt)"
    r"|(?P<from>từ|kể\s+từ))\s*(?:ngày\s*)?$",
)
_MERGE_GAP = re.compile(r"^\s*,?\s*(?:(?:đến|tới)(?:\s+hết)?(?:\s+ngày)?\s*)?$")
_YEAR_IN_RE = re.compile(r"(?:19|20)\d{2}")
_NAY_RE = re.compile(r"\bnay\b")
_COMPARISON = re.compile(_LEX["comparison_start"] + r"[^,;.()]*")


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int
    as_of: date
    period_start: date | None  # first day of the period the expression names (None for a point)
    marker: str                # cumulative | period | from | bare | now
    explicit_year: bool
    kind: str = ""             # months | quarter | month | year | date | … (the pattern's name)
    comparison: bool = False   # inside a "so với …" clause: never governs

    @property
    def is_period(self) -> bool:
        """Does a count governed by this expression cover only what happened inside it?"""
        if self.period_start is None or self.marker in ("cumulative", "now"):
            return False
        if self.marker == "bare":
            # "Năm 2024, cả 3 chỉ số …" is a level in that year; "6 tháng đầu năm 2024, … tiếp
            # nhận 412.000 hồ sơ" or "Quý III/2023, … tiếp nhận" is what happened in the period.
            return self.kind in ("months", "half", "quarter", "month")
        return self.marker in ("period", "from")


def to_date(value) -> date | None:
    """A `date` from a date, a datetime or an ISO string (a +07:00 offset is kept as local)."""
    if value is None:
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    return date.fromisoformat(text[:10]) if len(text) >= 10 else None


def find_time_expressions(text: str, published: date, excluded=()) -> list[TimeExpr]:
    """Every time expression in `text`, left to right, with its resolved dates.

    `excluded` are spans (legal references with their issue date) whose dates name a document,
    not the period of a figure.
    """
    lowered = text.lower()
    if len(lowered) == len(text):   # lower-casing Vietnamese keeps offsets; other scripts may not
        text = lowered
    raw = []
    for priority, (name, rx) in enumerate(_COMPILED):
        for m in rx.finditer(text):
            if not excluded or not any(s <= m.start() < e for s, e in excluded):
                raw.append((m.start(), -(m.end() - m.start()), priority, name, m))
    raw.sort()
    comparisons = [(m.start(), m.end()) for m in _COMPARISON.finditer(text)]
    exprs: list[TimeExpr] = []
    last_end = 0
    context_year = None  # year of the last explicit expression in this paragraph
    for start, _neg_len, _p, name, m in raw:
        if start < last_end:
            continue
        if text.find("\n", last_end, start) != -1:     # no slice: they can be paragraphs long
            context_year = None
        reading = _build(name, m, text, published, context_year)
        if reading is None:
            continue
        comparison = bool(comparisons) and any(s <= start < e for s, e in comparisons)
        # Built once, here: a frozen dataclass costs more to build than the whole _build.
        expr = TimeExpr(start, m.end(), *reading, name, comparison)
        if not comparison and expr.explicit_year:
            context_year = expr.as_of.year
        exprs.append(expr)
        last_end = m.end()
    return _merge_ranges(text, exprs)


def _build(name, m, text, published, context_year) -> tuple | None:
    """(as_of, period_start, marker, explicit_year) of the expression matched by `m`, or None."""
    marker = _marker(text, m.start())
    default_year = context_year or published.year
    g = m.groups()
    try:
        if name == "now":
            return published, None, "now", False
        if name == "months":
            n = int(g[0])
            year, explicit = _year(m.group(), default_year, published)
            if not 1 <= n <= 12 or (g[1] is None and not explicit):
                return None
            if g[1] and g[1].lower() == "cuối":
                return _expr(m, date(year, 12, 31), date(year, 13 - n, 1), marker, explicit)
            return _expr(m, _month_end(year, n), date(year, 1, 1), marker, explicit)
        if name == "half":
            year, explicit = _year(m.group(), default_year, published)
            if g[0].lower() == "đầu":
                return _expr(m, date(year, 6, 30), date(year, 1, 1), marker, explicit)
            return _expr(m, date(year, 12, 31), date(year, 7, 1), marker, explicit)
        if name == "quarter":
            q = _ROMAN[g[0].lower()]
            year, explicit = (int(g[1]), True) if g[1] else (default_year, False)
            return _expr(m, _month_end(year, 3 * q), date(year, 3 * q - 2, 1), marker, explicit)
        if name == "date":
            day, month, year = (int(g[0]), int(g[2]), int(g[3])) if len(g) == 4 else map(int, g)
            return _expr(m, date(year, month, day), None, marker, True)
        if name == "daymonth":
            day, month = int(g[0]), int(g[1])
            point = _yearless(date(default_year, month, day), published, context_year)
            return _expr(m, point, None, marker, False)
        if name == "month":
            month = int(g[0])
            if len(g) > 1 and g[1]:
                return _expr(m, _month_end(int(g[1]), month), date(int(g[1]), month, 1), marker, True)
            end = _yearless(_month_end(default_year, month), published, context_year)
            return _expr(m, end, date(end.year, month, 1), marker, False)
        if name == "yearstart":
            year, explicit = _year(m.group(), default_year, published)
            return _expr(m, date(year, 1, 1), date(year, 1, 1), marker, explicit)
        if name == "year":
            year, explicit = _year(m.group(), default_year, published)
            return _expr(m, date(year, 12, 31), date(year, 1, 1), marker, explicit)
    except ValueError:  # "31/2", "tháng 13": not a date after all
        return None
    return None


def _expr(m, as_of, period_start, marker, explicit) -> tuple:
    return as_of, period_start, marker, explicit


def _marker(text: str, start: int) -> str:
    mm = _MARKER_RE.search(text, max(0, start - 24), start)
    if not mm:
        return "bare"
    if mm.group("cum"):
        return "cumulative"
    return "period" if mm.group("per") else "from"


def _year(expr_text: str, default_year: int, published: date) -> tuple[int, bool]:
    m = _YEAR_IN_RE.search(expr_text)
    if m:
        return int(m.group()), True
    if _NAY_RE.search(expr_text):
        return published.year, True
    return default_year, False


def _yearless(d: date, published: date, context_year) -> date:
    # "tháng 12" in an article of January means last December, unless the text set a year.
    if context_year is None and d > published + timedelta(days=31):
        return d.replace(year=d.year - 1)
    return d


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _merge_ranges(text: str, exprs: list[TimeExpr]) -> list[TimeExpr]:
    # "từ đầu năm 2024 đến nay", "từ 1/1 đến 30/6/2024": one period from the first to the second.
    out: list[TimeExpr] = []
    for expr in exprs:
        prev = out[-1] if out else None
        if prev and prev.marker == "from" and _MERGE_GAP.match(text[prev.end:expr.start]):
            start_day = prev.period_start or prev.as_of
            out[-1] = TimeExpr(prev.start, expr.end, expr.as_of, start_day, "from",
                               prev.explicit_year or expr.explicit_year, "range")
            continue
        out.append(expr)
    return out


def governing(exprs: list[TimeExpr], position: int, sentence_start: int, allowed=None) -> TimeExpr | None:
    """The expression that governs a figure at `position`: the nearest one before it in the
    same sentence, outside comparisons, and accepted by `allowed` (parenthesis scoping)."""
    best = None
    for e in exprs:
        if e.start >= position:
            break
        if e.start < sentence_start or e.comparison or e.end > position:
            continue
        if allowed is not None and not allowed(e):
            continue
        best = e
    return best


def resolve(expr: TimeExpr | None, published: date, period_allowed: bool) -> tuple[str, str | None]:
    """(`as_of`, `period_start`) as ISO strings for a figure governed by `expr`."""
    if expr is None:
        return published.isoformat(), None
    start = expr.period_start.isoformat() if period_allowed and expr.is_period else None
    return expr.as_of.isoformat(), start
