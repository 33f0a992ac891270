"""Time expressions and the `as_of` / `period_start` they give a figure (spec: `as_of`).

Why: a figure is only comparable across articles with the date it describes. The spec's grammar:
a point ("đến 10/10/2023") gives that date; a quarter, "N tháng đầu năm", a month or a year gives
its last day; "đến nay" / "hiện nay" or nothing gives the publication date. The nearest
expression BEFORE the figure in the same sentence governs it, and one inside a "so với …"
comparison never does. "trong", "riêng", "từ … đến" make it a period (period_start = the first
day); "đến", "tính đến", "đến hết" make it a cumulative total (no period_start). "giai đoạn 2021 -
2025" ends with its last year when a marker stands before it or it opens a clause (else it names a
programme: "Chương trình … giai đoạn 2021-2025").

The expression alone does not settle whether a figure is what happened inside its period
(`covers_period`): the spec's "otherwise judge by meaning" is read from the figure's own words,
kept as data in lexicon.yaml — an event verb or noun makes a bare year's figure a flow ("Năm 2024,
tỉnh bố trí 18,5 tỷ đồng", "215.400 giao dịch"), while inside any period a running total ("nâng
tổng số … lên"), the institutions that did the flow ("148 Trung tâm … đã tiếp nhận …") and a score
stay levels. A date with no year ("sáng 7/1", "Trong 9 tháng,") takes the publication's year.
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

# (name, pattern, where it can start) in priority order: when two overlap, the earlier-listed,
# then longer, wins. Patterns run on the lower-cased text. Those with a literal prefix ("quý",
# "năm") are scanned whole: the engine skips ahead to the literal. The others would be tried at
# every position of the article (a digit or one of several words first), so each is tried only
# at the offsets its start finder (_STARTS) gives: a superset of where it can match, found by
# literal searches. Tests check every finder against the full scan.
_NOW = r"(?:nay|thời\s+điểm\s+(?:này|hiện\s+tại))(?!\w)"
_NOW_CUES = (r"tính\s+đến", r"tính\s+tới", r"cho\s+đến", r"cho\s+tới", "đến", "tới")
_NOW_HIEN = r"hiện\s+(?:nay|tại|đang)(?!\w)"
# A time of day before a day/month dates an event: "sáng 7/1".
_EVENT_DAY_CUES = ("sáng", "chiều", "tối", "trưa", "đêm", "hôm")
_DAY_CUES = ("ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "đến", "tới", "từ")
# Day cues that are markers too: a "từ ngày 1/7" match starts at its marker, read inside it.
_DAY_MARKER_CUES = ("đến", "tới", "từ")
_PATTERNS = [
    ("now", "|".join(rf"{cue}\s+{_NOW}" for cue in _NOW_CUES) + "|" + _NOW_HIEN, "now"),
    ("months", r"(\d\d?)\s+tháng\s+(?:(đầu|cuối)\s+)?(?:(?:của\s+)?năm(?:\s+(?:(?:19|20)\d{2}|nay))?|(?:19|20)\d{2})(?![\d\w])",
     "digits before tháng"),
    # "Trong 9 tháng, …": a fronted period of N months with no year (kept only after "trong" /
    # "riêng" … opening a clause: "thời hạn trong 3 tháng, …", "Trong 3 tháng, kể từ …" are durations).
    ("months_fronted", r"(\d\d?)\s+tháng(?=\s*,)(?!\s*,\s*(?:kể\s+)?từ(?!\w))", "digits before tháng"),
    ("half", r"nửa\s+(đầu|cuối)\s+năm(?:\s+((?:19|20)\d{2}|nay))?(?!\w)", None),
    ("quarter", r"quý\s+(iv|i{1,3}|[1-4])(?!\w)(?:\s*(?:(?:của\s+)?năm\s+|/\s*|-\s*)" + _Y + r")?", None),
    ("date", r"(\d\d?)\s*([/.-])\s*(\d{1,2})\s*\2\s*" + _Y, "numeric date"),
    ("date", r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+(?:năm\s+)?" + _Y, None),
    ("daymonth", "(?:" + "|".join(_DAY_CUES) + r")\s+(?:ngày\s+)?(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])", "day/month"),
    ("month", r"tháng\s+(\d{1,2})\s*(?:/|-|\s+năm\s+|\s+)" + _Y, "tháng"),
    ("month", r"tháng\s+(\d{1,2})(?![\d/,.]\d)(?!\s*(?:hàng|hằng|mỗi)\s+năm)(?!\s+(?:năm\s+)?(?:19|20)\d{2})", "tháng"),
    ("yearstart", r"đầu(?<!dẫn\sđầu)(?<!đứng\sđầu)\s+năm(?:\s+((?:19|20)\d{2}|nay))?(?!\w)", None),
    ("year", r"năm\s+((?:19|20)\d{2}|nay)(?![\d\w])", None),
    # "trong giai đoạn 2026 - 2030": ends with its last year (kept only after a marker or opening a
    # clause: "Chương trình … giai đoạn 2021-2025" names a programme, not the figure's period).
    ("span", r"giai\s+đoạn\s+((?:19|20)\d{2})\s*[-–—]\s*" + _Y, None),
]
_COMPILED = [(name, re.compile(p)) for name, p, _where in _PATTERNS]
# Every pattern above reads a digit or one of these words (a test checks each on its own): a text
# with none of them holds no time expression.
_ANY_CUE_RE = re.compile(r"\d|nay|điểm|hiện|nửa|quý|đầu")
_WHERE = [where for _name, _p, where in _PATTERNS]
# A "now" is a "hiện nay" / "hiện tại" / "hiện đang" (a scan finds those whole) or opens with a
# cue before its "nay" or "thời điểm" ("đến nay", "tính tới thời điểm này"): "tính"/"cho" come
# before "đến"/"tới".
_NOW_HIEN_RE = re.compile(_NOW_HIEN)
_NOW_LAST_CUES = ("đến", "tới")
_NOW_FIRST_CUES = ("tính", "cho")
# A numeric date from its first separator on: one literal-led scan per separator finds every one;
# its day (one or two digits) ends where the whitespace before the separator starts.
_DATE_TAILS = [re.compile(re.escape(sep) + r"\s*\d{1,2}\s*" + re.escape(sep) + r"\s*" + _Y) for sep in "/.-"]
# A "5/6" day/month from its slash on: then one or two digits that no digit or slash follows.
_DAYMONTH_TAIL = re.compile(r"/\s*\d\d?(?![\d/])")
# The marker grammar, read in the _MARKER_WINDOW characters before an expression (`$` is its
# start). Every alternative ends with a word that is an alternative by itself, and no such last
# word ends another: so a marker is there exactly when one of those words ends where the
# whitespace (and "ngày") before the expression begins, and that word alone tells its kind.
# _marker reads it that way, without a search; tests check it against this pattern.
_MARKER_RE = re.compile(
    r"(?:(?P<cum>(?:(?:tính\s+)?(?:đến|tới)(?:\s+hết)?|hết|cho\s+đến(?:\s+hết)?)(?:\s+cuối)?)"
    r"|(?P<per>trong|riêng|cả|chỉ\s+trong|ngay\s+trong|suốt|l(?:ũy|uỹ)\s+kế)"
    r"|(?P<from>từ|kể\s+từ))\s*(?:ngày\s*)?$",
)
_MARKER_WINDOW = 24
_MARKER_KINDS = (("đến", "cumulative"), ("tới", "cumulative"), ("hết", "cumulative"), ("cuối", "cumulative"),
                 ("trong", "period"),
                 ("riêng", "period"), ("cả", "period"), ("suốt", "period"), ("kế", "period"), ("từ", "from"))
_MARKER_ENDS = tuple(word for word, _kind in _MARKER_KINDS)
# A last word that is a marker only after one of these: "lũy kế 9 tháng" (accumulated over the first
# 9 months, a period), not "thiết kế"; "đến cuối tháng 4/2025" (a running total at the end of the
# month, like "đến hết"), not a bare "cuối tháng 4/2025".
_MARKER_BEFORE = {"kế": ("lũy", "luỹ"), "cuối": ("đến", "tới", "hết")}
# "từ ngày 1/7/2024 – thời điểm Luật có hiệu lực – đến ngày 7/7/2024": an aside between dashes
# or in parentheses may stand before the "đến".
_MERGE_GAP = re.compile(r"^\s*,?\s*(?:(?:[–—]|-(?=\s))[^\n]*?(?:[–—]|(?<=\s)-)\s*|\([^()\n]*\)\s*)?"
                        r"(?:(?:đến|tới)(?:\s+hết)?(?:\s+ngày)?\s*)?$")
# "…, khi Luật có hiệu lực, đến …": a clause opened by lexicon.yaml's range_clause_openers.
_CLAUSE_GAP = re.compile(r"^\s*,\s*(?:" + _LEX["range_clause_openers"] + r")\s[^,;.!?\n()]*,\s*"
                         r"(?:(?:đến|tới)(?:\s+hết)?(?:\s+ngày)?\s*)?$")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
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


_new = object.__new__


def _time_expr(start, end, as_of, period_start, marker, explicit_year, kind, comparison) -> TimeExpr:
    """TimeExpr(...) with its fields written straight into the new instance's __dict__: the
    frozen dataclass's __init__ sets each through object.__setattr__, which costs twice as much.
    Equal instances with equal __dict__s (a test compares them); still frozen and replace()-able."""
    expr = _new(TimeExpr)
    expr.__dict__.update(start=start, end=end, as_of=as_of, period_start=period_start, marker=marker,
                         explicit_year=explicit_year, kind=kind, comparison=comparison)
    return expr


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
    # The patterns are lower-case: they read the lower-cased copy, whose offsets are the text's
    # even when it holds an "İ" (see extractors.lowered).
    text = lowered(text)
    if not _ANY_CUE_RE.search(text):
        return []               # a table cell or a title without a digit: one search, not eleven
    inside_excluded = _cover(excluded, len(text))
    words = _Words(text)
    raw = []
    for priority, (name, rx) in enumerate(_COMPILED):
        for m in _matches(rx, _WHERE[priority], words):
            start, end = m.span()
            if not inside_excluded[start]:
                raw.append((start, start - end, priority, name, m))
    raw.sort()
    comparisons = _finditer_at(_COMPARISON, text, _word_starts(text, _COMPARISON_WORDS))
    in_comparison = _cover([m.span() for m in comparisons], len(text))
    exprs: list[TimeExpr] = []
    last_end = 0
    context_year = None  # year of the last explicit expression in this paragraph
    for start, neg_len, _p, name, m in raw:
        if start < last_end:
            continue
        if text.find("\n", last_end, start) != -1:     # no slice: they can be paragraphs long
            context_year = None
        try:
            reading = _READERS[name](m, published, context_year)
        except ValueError:  # "31/2", "tháng 13": not a date after all
            continue
        if reading is None:
            continue
        as_of, period_start, explicit = reading
        comparison = bool(in_comparison[start])
        marker = "now" if name == "now" else _marker(text, _marker_end(text, name, m))
        if name == "months_fronted" and not (marker == "period" and _opens_clause(text, start)):
            continue
        if name == "span" and marker == "bare" and not _at_clause_start(text, start):
            continue
        exprs.append(_time_expr(start, start - neg_len, as_of, period_start, marker, explicit, name, comparison))
        if explicit and not comparison:
            context_year = as_of.year
        last_end = start - neg_len
    return _merge_ranges(text, exprs, inside_excluded)


class _Words:
    """Where words occur in one text, each searched for once: several start finders share one."""

    __slots__ = ("text", "_found")

    def __init__(self, text: str):
        self.text, self._found = text, {}

    def __call__(self, word: str) -> list[int]:
        found = self._found.get(word)
        if found is None:
            found = self._found[word] = _word_starts(self.text, (word,))
        return found


def _matches(rx: re.Pattern, where: str | None, words: _Words):
    """rx.finditer(words.text), tried only at the offsets its start finder gives, if it has one."""
    if where is None:
        return rx.finditer(words.text)
    return _finditer_at(rx, words.text, _STARTS[where](words))


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


def _now_starts(words: _Words) -> list[int]:
    """Where a "now" can start: each "hiện nay/tại/đang", and the cues before each "nay" and
    "thời điểm" (the pattern itself tells which of them are one)."""
    text = words.text
    ends = words("nay") + [t for q in words("điểm") for t in _words_before(text, q, ("thời",))]
    starts = [m.start() for m in _NOW_HIEN_RE.finditer(text)]
    for q in ends:
        for cue in _words_before(text, q, _NOW_LAST_CUES):
            starts.append(cue)
            starts += _words_before(text, cue, _NOW_FIRST_CUES)
    return sorted(starts)


def _date_starts(words: _Words) -> list[int]:
    """Where "30/6/2024", "1.1.2020", "5 - 6 - 2021" can start: the day before each first separator."""
    seps = sorted(m.start() for tail in _DATE_TAILS for m in tail.finditer(words.text))
    return _digits_before(words.text, seps, spaced=False)


def _daymonth_starts(words: _Words) -> list[int]:
    """Where "từ ngày 5/6", "sáng 1/10" can start: the cue before the day, or the one before its
    "ngày" (any cue word may stand there: the pattern itself tells)."""
    text = words.text
    starts = []
    for m in _DAYMONTH_TAIL.finditer(text):
        day = _space_before(text, m.start()) - 1      # its last digit, then perhaps one more
        if day > 0 and text[day - 1].isdecimal():
            day -= 1
        for cue in _words_before(text, day, _DAY_CUES) if day > 0 else ():
            starts.append(cue)
            starts += _words_before(text, cue, _DAY_CUES)
    return sorted(starts)


def _digits_before(text: str, offsets, spaced: bool) -> list[int]:
    """Where one or two digits can start that end at the whitespace before each of `offsets`
    (at least one whitespace character if `spaced`): "6 tháng", "30 /6/2024"."""
    starts = []
    for i in offsets:
        w = _space_before(text, i)
        if w > 0 and (w < i or not spaced) and text[w - 1].isdecimal():
            if w >= 2 and text[w - 2].isdecimal():
                starts.append(w - 2)
            starts.append(w - 1)
    return starts


def _space_before(text: str, i: int) -> int:
    """Where the run of whitespace that ends at offset `i` starts (`i` itself if there is none)."""
    while i and text[i - 1].isspace():
        i -= 1
    return i


def _words_before(text: str, i: int, words) -> list[int]:
    """Starts of those of `words` that end where the whitespace before offset `i` begins (none
    if no whitespace comes before `i`): the word before it in a pattern's "word\\s+…"."""
    w = _space_before(text, i)
    if w == i or not text.endswith(words, 0, w):     # one call tells most apart
        return []
    return [w - len(word) for word in words if text.endswith(word, 0, w)]


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


_STARTS = {
    "now": _now_starts,
    "digits before tháng": lambda words: _digits_before(words.text, words("tháng"), spaced=True),
    "numeric date": _date_starts,
    "day/month": _daymonth_starts,
    "tháng": lambda words: words("tháng"),
}


def _cover(spans, length: int) -> bytearray:
    """Which offsets of a text of `length` lie inside one of `spans` ([start, end) pairs): one
    lookup per expression instead of a scan of every span."""
    covered = bytearray(length + 1)
    for start, end in spans:
        start, end = max(start, 0), min(end, length + 1)
        if start < end:
            covered[start:end] = b"\x01" * (end - start)
    return covered


# One reader per pattern name: (as_of, period_start, explicit_year) of its match, or None; a
# ValueError if its numbers are no date ("31/2", "tháng 13").
def _read_now(m, published, context_year):
    return published, None, False


def _read_months(m, published, context_year):
    n, edge = int(m.group(1)), m.group(2)
    year, explicit = _year(m.group(), published, context_year)
    if not 1 <= n <= 12 or (edge is None and not explicit):
        return None
    if edge and edge.lower() == "cuối":
        return date(year, 12, 31), date(year, 13 - n, 1), explicit
    return _month_end(year, n), date(year, 1, 1), explicit


def _read_months_fronted(m, published, context_year):
    # "Trong 9 tháng, …" names no year: the publication's (the one before when those months end
    # more than a month after it), not a year an earlier sentence named for something else.
    n = int(m.group(1))
    if not 1 <= n <= 12:
        return None
    end = _yearless(_month_end(published.year, n), published, None)
    return end, date(end.year, 1, 1), False


def _read_half(m, published, context_year):
    year, explicit = _named_year(m.group(2), published, context_year)
    if m.group(1).lower() == "đầu":
        return date(year, 6, 30), date(year, 1, 1), explicit
    return date(year, 12, 31), date(year, 7, 1), explicit


def _read_quarter(m, published, context_year):
    q, year = m.groups()
    q = _ROMAN[q.lower()]
    year, explicit = (int(year), True) if year else (context_year or published.year, False)
    return _month_end(year, 3 * q), date(year, 3 * q - 2, 1), explicit


def _read_date(m, published, context_year):
    g = m.groups()
    day, month, year = (int(g[0]), int(g[2]), int(g[3])) if len(g) == 4 else map(int, g)
    return date(year, month, day), None, True


def _read_daymonth(m, published, context_year):
    day, month = int(m.group(1)), int(m.group(2))
    if m.group().startswith(_EVENT_DAY_CUES):
        # "sáng 7/1": the day an event took place, which news reports within days of it, so
        # the publication's year, not one named before ("hội nghị tổng kết năm 2025 sáng 7/1").
        context_year = None
    return _yearless(date(context_year or published.year, month, day), published, context_year), None, False


def _read_month(m, published, context_year):
    g = m.groups()
    month = int(g[0])
    if len(g) > 1 and g[1]:
        return _month_end(int(g[1]), month), date(int(g[1]), month, 1), True
    end = _yearless(_month_end(context_year or published.year, month), published, context_year)
    return end, date(end.year, month, 1), False


def _read_yearstart(m, published, context_year):
    year, explicit = _named_year(m.group(1), published, context_year)
    return date(year, 1, 1), date(year, 1, 1), explicit


def _read_span(m, published, context_year):
    first, last = int(m.group(1)), int(m.group(2))
    return (date(last, 12, 31), date(first, 1, 1), True) if first <= last else None


def _read_year(m, published, context_year):
    year, explicit = _named_year(m.group(1), published, context_year)
    return date(year, 12, 31), date(year, 1, 1), explicit


_READERS = {"now": _read_now, "months": _read_months, "months_fronted": _read_months_fronted, "half": _read_half,
            "quarter": _read_quarter, "date": _read_date, "daymonth": _read_daymonth, "month": _read_month,
            "yearstart": _read_yearstart, "year": _read_year, "span": _read_span}


def _marker(text: str, start: int) -> str:
    """What the words before an expression make it (see _MARKER_RE): its kind is that of the
    marker's last word, which ends the window before it, or its "ngày" ("từ ngày 1/7")."""
    window = text[max(0, start - _MARKER_WINDOW):start].rstrip()
    if window.endswith("ngày"):
        window = window[:-4].rstrip()
    if window.endswith(_MARKER_ENDS):
        for word, kind in _MARKER_KINDS:
            if window.endswith(word):
                before = _MARKER_BEFORE.get(word)
                if before and not _words_before(window, len(window) - len(word), before):
                    return "bare"
                return kind
    return "bare"


def _marker_end(text: str, name: str, m: re.Match) -> int:
    """Where the words that mark an expression end: its start, or for a day/month led by a marker
    cue ("từ ngày 1/7", "tính đến 30/6") its day, so that the cue is read as its marker."""
    if name == "daymonth" and text.startswith(_DAY_MARKER_CUES, m.start()):
        return m.start(1)
    return m.start()


def _opens_clause(text: str, start: int) -> bool:
    """Whether the marker before an expression opens a clause: "Trong 9 tháng, …", "Cụ thể, trong
    9 tháng, …", "; lũy kế 9 tháng, …", not "giải quyết trong 3 tháng, kể từ …"."""
    i = _word_start(text, start)
    if text[i:_space_before(text, start)] in _MARKER_BEFORE:     # its first word too: "lũy kế"
        i = _word_start(text, i)
    return _at_clause_start(text, i)


def _at_clause_start(text: str, i: int) -> bool:
    """Whether only whitespace stands between offset `i` and the start of its clause."""
    i = _space_before(text, i)
    return i == 0 or text[i - 1] in ",;:.\n"


def _word_start(text: str, i: int) -> int:
    """Where the word that ends at the whitespace before offset `i` starts."""
    i = _space_before(text, i)
    while i and text[i - 1].isalpha():
        i -= 1
    return i


def _named_year(group: str | None, published: date, context_year) -> tuple[int, bool]:
    """The year a pattern's year group ("2024", "nay" or nothing) names, and whether it says one:
    what _year reads in the whole match when the year is its only digits and its only "nay"."""
    if group is None:
        return context_year or published.year, False
    if group == "nay":
        return published.year, True
    return int(group), True


def _year(expr_text: str, published: date, context_year) -> tuple[int, bool]:
    """The year an expression names ("2024", "năm nay") or the paragraph's or publication's."""
    m = _YEAR_IN_RE.search(expr_text)
    if m:
        return int(m.group()), True
    if _NAY_RE.search(expr_text):
        return published.year, True
    return context_year or published.year, False


def _yearless(d: date, published: date, context_year) -> date:
    # "tháng 12" in an article of January means last December, unless the text set a year.
    if context_year is None and d > published + timedelta(days=31):
        return d.replace(year=d.year - 1)
    return d


def _month_end(year: int, month: int) -> date:
    # A table, not calendar.monthrange (which computes a weekday too); a month outside 1-12
    # raises ValueError as monthrange does.
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not in 1-12")
    if month == 2 and calendar.isleap(year):
        return date(year, 2, 29)
    return date(year, month, _MONTH_DAYS[month - 1])


def _merge_ranges(text: str, exprs: list[TimeExpr], inside_excluded: bytearray) -> list[TimeExpr]:
    # "từ đầu năm 2024 đến nay", "từ 1/1 đến 30/6/2024": one period from the first to the second.
    out: list[TimeExpr] = []
    for expr in exprs:
        prev = out[-1] if out else None
        if prev and prev.marker == "from" and _joins(text, prev, expr, inside_excluded):
            start_day = _range_start(prev, expr)
            out[-1] = TimeExpr(prev.start, expr.end, expr.as_of, start_day, "from",
                               prev.explicit_year or expr.explicit_year, "range")
            continue
        out.append(expr)
    return out


def _joins(text: str, first: TimeExpr, last: TimeExpr, inside_excluded: bytearray) -> bool:
    """Whether `last` ends the range `first` opens. A day/month ends one only when led by "đến"/"tới"
    ("từ ngày 1/7 đến ngày 7/7"; "sáng 7/7" dates an event). Between them: nothing, an aside in
    dashes or parentheses, or a "khi …" clause naming what began at the start ("từ ngày 1/7/2024,
    khi Luật … có hiệu lực, đến ngày 31/10/2024") in which no figure stands but a document's number."""
    if last.kind == "daymonth" and last.marker != "cumulative":
        return False
    gap = text[first.end:last.start]
    if _MERGE_GAP.match(gap):
        return True
    return last.marker == "cumulative" and _CLAUSE_GAP.match(gap) is not None and \
        not any(c.isdigit() and not inside_excluded[first.end + i] for i, c in enumerate(gap))


def _range_start(first: TimeExpr, last: TimeExpr) -> date:
    """The first day of a range: a start without a year ("từ 1/2 đến 28/2/2023") is in the year
    its end names, or the one before if it would fall after the end."""
    day = first.period_start or first.as_of
    if first.explicit_year or not last.explicit_year:
        return day
    try:
        day = day.replace(year=last.as_of.year)
        return day if day <= last.as_of else day.replace(year=day.year - 1)
    except ValueError:                  # 29/2 in a year without one
        return first.period_start or first.as_of


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


# Whether a figure is what happened inside its period (spec: period_start) is not the expression's
# alone: "Năm 2024, tỉnh có 148 xã" is a level, "Năm 2024, tỉnh bố trí 18,5 tỷ đồng" a flow; and
# inside a period a running total ("nâng tổng số … lên"), the count of the institutions that did it
# ("148 Trung tâm … đã tiếp nhận …"), a count of places or groups, or a score is a level. The words
# are data (lexicon.yaml).
_FLOW_VERB_RE = re.compile(_LEX["flow_verbs"], re.IGNORECASE)
_FLOW_NOUN_RE = re.compile(_LEX["flow_nouns"], re.IGNORECASE)
_FLOW_HEAD_RE = re.compile(r"\s*(?:" + _LEX["flow_nouns"] + ")", re.IGNORECASE)
_FLOW_AFTER_RE = re.compile(_LEX["flow_after"], re.IGNORECASE)
_FLOW_SUBJECT_RE = re.compile(_LEX["flow_subjects_before_year"], re.IGNORECASE)
_RUNNING_TOTAL_RE = re.compile(_LEX["running_total_before"], re.IGNORECASE)
_RUNNING_TOTAL_WORDS = ("lên", "kế")      # every running_total_before alternative holds one
_DOER_RE = re.compile("(?:" + _LEX["flow_verbs"] + ")" + _LEX["flow_object_gap"] + "$", re.IGNORECASE)
_AGENT_NOUN_RE = re.compile(_LEX["agent_nouns"], re.IGNORECASE)
_PASSIVE_BEFORE = ("được", "bị")
# A score, or a count of places or groups (lexicon.yaml): the words right after the figure.
_LEVEL_UNIT_RE = re.compile("(?:" + _LEX["level_unit_after"] + ")|(?:" + _LEX["level_count_after"] + ")",
                            re.IGNORECASE)


def covers_period(expr: TimeExpr, text: str, figure: tuple[int, int], clause: tuple[int, int],
                  next_lead: int | None = None) -> bool:
    """Whether a count or money figure at text[lead:end] (`figure`), in its clause text[left:right]
    (`clause`: up to a neighbouring figure or a ";"), governed by `expr`, covers only what happened
    inside expr's period. `next_lead` is where the sentence's next figure begins, if one follows."""
    lead, end = figure
    left, right = clause
    if expr.period_start is None:
        return False
    if expr.marker == "bare" and expr.kind in ("year", "span"):     # a year, or years: judge by meaning
        if not _flow_in_year(text, expr, lead, end, left, right):
            return False
    elif not expr.is_period:
        return False
    return not (_LEVEL_UNIT_RE.match(text, end)
                or _running_total(text, max(left, expr.end), lead)
                or _doer(text, expr.end, lead, end, next_lead))


def _flow_in_year(text: str, expr: TimeExpr, lead: int, end: int, left: int, right: int) -> bool:
    """Under a bare year: an event verb between the year and the figure, an event noun as the
    figure's own or before it in its clause, a money flow named before the year with no comma
    between ("Doanh thu … năm 2023 đạt …"), "trong năm" or a passive event verb after the figure."""
    since, after = expr.end, text[end:right]
    return bool(_FLOW_VERB_RE.search(text, since, lead) or _FLOW_HEAD_RE.match(text, end)
                or _FLOW_NOUN_RE.search(text, max(left, since), lead)
                or (left < expr.start and _flow_subject_before(text, expr.start, left))
                or ("trong" in after and _FLOW_AFTER_RE.search(text, end, right))
                or (("được" in after or "bị" in after) and _done_to(text, end, right)))


def _flow_subject_before(text: str, year: int, left: int) -> bool:
    """Whether a money flow ("doanh thu") is named before the year at `year`, in its clause and
    with no comma between: "Doanh thu … của tỉnh năm 2023 ước đạt …"."""
    return _FLOW_SUBJECT_RE.search(text, text.rfind(",", left, year) + 1 or left, year) is not None


def _done_to(text: str, end: int, right: int) -> bool:
    """Whether a passive flow verb follows the figure's noun, before any comma: "1.500 hồ sơ được
    giải quyết", "2 triệu thẻ được cấp" (what happened to them), not "148 cán bộ tiếp nhận …"."""
    verb = _FLOW_VERB_RE.search(text, end, right)
    if verb is None or "," in text[end:verb.start()] or ";" in text[end:verb.start()]:
        return False
    return verb.group().lower().startswith(_PASSIVE_BEFORE) or \
        text[end:verb.start()].rstrip().lower().endswith(_PASSIVE_BEFORE)


def _running_total(text: str, start: int, lead: int) -> bool:
    window = text[start:lead]
    return any(word in window for word in _RUNNING_TOTAL_WORDS) and bool(_RUNNING_TOTAL_RE.search(window))


def _doer(text: str, since: int, lead: int, end: int, next_lead: int | None) -> bool:
    """Whether the figure counts the institutions or places that did the flow the next figure
    measures: an active flow verb ends the words between them (no "," or ";" there), and none
    stands before the figure."""
    if next_lead is None or not _AGENT_NOUN_RE.match(text, end):
        return False
    slot = text[end:next_lead]
    if "," in slot or ";" in slot:
        return False
    verb = _DOER_RE.search(slot)
    if verb is None or slot[:verb.start()].rstrip().lower().endswith(_PASSIVE_BEFORE):
        return False
    return _FLOW_VERB_RE.search(text, since, lead) is None
