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
from extractors.lowered import lowered

_LEX = load("lexicon")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Y = r"((?:19|20)\d{2})(?!\d)"

# (name, pattern) in priority order: when two overlap, the earlier-listed, then longer, wins.
# Patterns run on the lower-cased text and each starts with a required literal or digit, so the
# regex engine can skip ahead instead of trying every position.
# Every branch and every leading digit is written out ("\d\d?", not "\d{1,2}"; each cue before
# "nay" spelled in full) because that is the shape the engine recognises as a first-character set.
_NOW = r"(?:nay|thời\s+điểm\s+(?:này|hiện\s+tại))(?!\w)"
_NOW_CUES = (r"tính\s+đến", r"tính\s+tới", r"cho\s+đến", r"cho\s+tới", "đến", "tới")
_DAY_CUES = ("ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "đến", "tới", "từ")
_PATTERNS = [
    ("now", "|".join(rf"{cue}\s+{_NOW}" for cue in _NOW_CUES) + r"|hiện\s+(?:nay|tại|đang)(?!\w)"),
    ("months", r"(\d\d?)\s+tháng\s+(?:(đầu|cuối)\s+)?(?:(?:của\s+)?năm(?:\s+(?:(?:19|20)\d{2}|nay))?|(?:19|20)\d{2})(?![\d\w])"),
    ("half", r"nửa\s+(đầu|cuối)\s+năm(?:\s+((?:19|20)\d{2}|nay))?(?!\w)"),
    ("quarter", r"quý\s+(iv|i{1,3}|[1-4])(?!\w)(?:\s*(?:(?:của\s+)?năm\s+|/\s*|-\s*)" + _Y + r")?"),
    ("date", r"(\d\d?)\s*([/.-])\s*(\d{1,2})\s*\2\s*" + _Y),
    ("date", r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+(?:năm\s+)?" + _Y),
    ("daymonth", "(?:" + "|".join(_DAY_CUES) + r")\s+(?:ngày\s+)?(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])"),
    ("month", r"tháng\s+(\d{1,2})\s*(?:/|-|\s+năm\s+|\s+)" + _Y),
    ("month", r"tháng\s+(\d{1,2})(?![\d/,.]\d)(?!\s*(?:hàng|hằng|mỗi)\s+năm)(?!\s+(?:năm\s+)?(?:19|20)\d{2})"),
    ("yearstart", r"đầu(?<!dẫn\sđầu)(?<!đứng\sđầu)\s+năm(?:\s+((?:19|20)\d{2}|nay))?(?!\w)"),
    ("year", r"năm\s+((?:19|20)\d{2}|nay)(?![\d\w])"),
]
_COMPILED = [(name, re.compile(p)) for name, p in _PATTERNS]
# Patterns the engine cannot skip ahead in (no literal prefix: it tries them at every position of
# the article) are tried only where they can start, found by literal searches for a word:
# "one or two digits, whitespace, this word" ("6 tháng đầu năm") ...
_DIGITS_BEFORE = {"months": "tháng"}
# ... or "opens with one of these words" (the first word of each of the pattern's branches).
_OPENING_WORDS = {"now": ("tính", "cho", "đến", "tới", "hiện"), "daymonth": _DAY_CUES}
_MARKER_RE = re.compile(
    r"(?:(?P<cum>(?:tính\s+)?(?:đến|tới)(?:\s+hết)?|hết|cho\s+đến(?:\s+hết)?)"
    r"|(?P<per>trong|riêng|cả|chỉ\s+trong|ngay\s+trong|suốt)"
    r"|(?P<from>từ|kể\s+từ))\s*(?:ngày\s*)?$",
)
_MARKER_WORDS = 4
_MARKER_ENDS = ("đến", "tới", "hết", "trong", "riêng", "cả", "suốt", "từ")   # each marker's last word
_MERGE_GAP = re.compile(r"^\s*,?\s*(?:(?:đến|tới)(?:\s+hết)?(?:\s+ngày)?\s*)?$")
_YEAR_IN_RE = re.compile(r"(?:19|20)\d{2}")
_NAY_RE = re.compile(r"\bnay\b")
_COMPARISON = re.compile(_LEX["comparison_start"] + r"[^,;.()]*")
# Every comparison opens with one of these words (lexicon.yaml's comparison_start; a test checks it):
# they are found by literal searches instead of trying the alternation at every position.
_COMPARISON_WORDS = ("so", "cùng")


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
    low = lowered(text)
    if len(low) == len(text):   # lower-casing Vietnamese keeps offsets; other scripts may not
        text = low
    inside_excluded = _cover(excluded, len(text))
    raw = []
    for priority, (name, rx) in enumerate(_COMPILED):
        for m in _matches(name, rx, text):
            if not inside_excluded[m.start()]:
                raw.append((m.start(), -(m.end() - m.start()), priority, name, m))
    raw.sort()
    comparisons = _finditer_at(_COMPARISON, text, _word_starts(text, _COMPARISON_WORDS))
    in_comparison = _cover([m.span() for m in comparisons], len(text))
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
        comparison = bool(in_comparison[start])
        # Built once, here: a frozen dataclass costs more to build than the whole _build.
        expr = TimeExpr(start, m.end(), *reading, name, comparison)
        if not comparison and expr.explicit_year:
            context_year = expr.as_of.year
        exprs.append(expr)
        last_end = m.end()
    return _merge_ranges(text, exprs)


def _matches(name: str, rx: re.Pattern, text: str):
    """rx.finditer(text), trying only where a match can start when the pattern's name says where."""
    if name in _DIGITS_BEFORE:
        return _finditer_at(rx, text, _before_word(text, _DIGITS_BEFORE[name]))
    if name in _OPENING_WORDS:
        return _finditer_at(rx, text, _word_starts(text, _OPENING_WORDS[name]))
    return rx.finditer(text)


def _finditer_at(rx: re.Pattern, text: str, starts):
    """rx.finditer(text), for a pattern that can only match at one of `starts` (ascending): one
    attempt at each, where finditer's scan tries every position of the text."""
    pos = 0
    for q in starts:
        if q >= pos:
            m = rx.match(text, q)
            if m:
                yield m
                pos = m.end()


def _before_word(text: str, word: str):
    """Where "N word" can start ("6 tháng"): one or two digits, then whitespace, then `word`. The
    digits end where the whitespace before an occurrence of `word` begins, so they start one or
    two characters before it. Finding the word is a fast literal search; "months" (a digit-led
    pattern) otherwise costs a scan of the whole article."""
    i = text.find(word)
    while i != -1:
        w = i
        while w and text[w - 1].isspace():
            w -= 1
        if 0 < w < i:
            if w >= 2:
                yield w - 2
            yield w - 1
        i = text.find(word, i + 1)


def _word_starts(text: str, words) -> list[int]:
    """Every offset where one of `words` occurs, ascending."""
    starts = []
    for word in words:
        i = text.find(word)
        while i != -1:
            starts.append(i)
            i = text.find(word, i + 1)
    starts.sort()
    return starts


def _cover(spans, length: int) -> bytearray:
    """Which offsets of a text of `length` lie inside one of `spans` ([start, end) pairs): one
    lookup per expression instead of a scan of every span."""
    covered = bytearray(length + 1)
    for start, end in spans:
        start, end = max(start, 0), min(end, length + 1)
        if start < end:
            covered[start:end] = b"\x01" * (end - start)
    return covered


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
    lo = max(0, start - 24)
    window = text[lo:start]
    # A marker's last word ends the window, or comes just before a closing "ngày": most
    # expressions have none, and two `endswith` calls tell that without a search.
    tail = window.rstrip()
    if not (tail.endswith(_MARKER_ENDS) or (tail.endswith("ngày") and tail[:-4].rstrip().endswith(_MARKER_ENDS))):
        return "bare"
    # A marker is at most _MARKER_WORDS words ("tính đến hết ngày"): searching from the end of the
    # word before them finds the same match without trying every position.
    words = window.rsplit(None, _MARKER_WORDS)
    if len(words) > _MARKER_WORDS:
        lo += len(words[0])
    mm = _MARKER_RE.search(text, lo, start)
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
