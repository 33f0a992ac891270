"""The time-expression shortcuts (extractors.periods) read what the plain computations read.

Issue 3's speed work tries each period pattern only where a literal search says it can start, reads
a marker from its last word instead of searching its window, reads the year from the pattern's own
group, ends months from a table and fills a TimeExpr without its frozen __init__. Each test runs the
shortcut and the plain computation side by side on many seeded random texts built from the pieces
the patterns are made of (odd whitespace, Unicode digits, "İ"/"ı"), so a shortcut that drifts fails.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import replace
from datetime import date

import pytest

from extractors import periods

_GAPS = [" ", " ", "  ", "\t", "\xa0", "", "\n", " \n", "   \t  "]
_PIECES = [
    # dates and their look-alikes
    "1", "5", "12", "123", "2023", "1999", "2024", "20", "19", "٣", "/", ".", "-", " / ", "10/10/2023",
    "30 /6/ 2024", "1.1.2020", "12.597", "15/2023/nđ-cp", "36/63", "5-6-2021", "1/12/2/2023", "9/9/19999",
    # day/month cues and "now" cues
    "ngày", "sáng", "chiều", "tối", "trưa", "đêm", "hôm", "đến", "tới", "từ", "tính", "cho", "hiện", "nay",
    "thời", "điểm", "này", "tại", "đang", "hiệnnay", "thời điểm hiện tại", "cho tới", "tính đến nay",
    "từ ngày 5/6", "sáng 1/10", "ngày ngày 3/4", "đến 30/6/2024", "thực hiện", "ngaynay", "İ", "ı",
    # months, quarters, years
    "tháng", "tháng 3", "tháng 12/2024", "6 tháng đầu năm", "06 tháng", "123 tháng", "năm", "quý", "iii",
    "đầu", "cuối", "nửa", "x", "(", ",",
]


def _texts(seed: int, count: int, pieces=_PIECES, most: int = 10, gaps=_GAPS):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(pieces) + rng.choice(gaps) for _ in range(rng.randint(1, most)))


def test_every_start_finder_gives_every_match_the_full_scan_gives():
    found = dict.fromkeys(periods._STARTS, 0)
    for text in _texts(101, 5000):
        words = periods._Words(text)
        for (name, rx), where in zip(periods._COMPILED, periods._WHERE):
            fast = [(m.span(), m.groups()) for m in periods._matches(rx, where, words)]
            assert fast == [(m.span(), m.groups()) for m in rx.finditer(text)], (name, where, text)
            if where:
                found[where] += len(fast)
    assert min(found.values()) > 150, found


def test_start_finders_on_dense_dates_and_slashes():
    pieces = ["1", "12", "2023", "20", "/", "/", ".", "-", " ", "\xa0", "ngày ", "từ ", "đến ", "x", "2024 ", "/2024 ",
              ".2019,", "-2020", "5/", "ngày 5", "sáng 12 ", "3/4 ", "/ 6", "٣"]
    hits = 0
    for text in _texts(103, 6000, pieces, most=14, gaps=["", "", "", " ", "\xa0"]):
        words = periods._Words(text)
        for (name, rx), where in zip(periods._COMPILED, periods._WHERE):
            if where in ("numeric date", "day/month"):
                fast = [m.span() for m in periods._matches(rx, where, words)]
                assert fast == [m.span() for m in rx.finditer(text)], (name, text)
                hits += len(fast)
    assert hits > 400


def test_marker_read_from_its_last_word_is_the_window_search():
    words = ["tính", "đến", "tới", "hết", "chết", "cho", "trong", "riêng", "cả", "chỉ", "ngay", "suốt", "từ",
             "kể", "ngày", "ngàyngày", "từngày", "x", "năm", "tất cả", "cho đến hết ngày", "kể từ ngày",
             "tính tới hết", "ngay trong", "abcdefghijklmnopqrstuvwxyz", "\n", "İ", "ı", "lũy", "luỹ", "kế",
             "lũy kế", "thiết kế", "lũykế", "cuối", "đến cuối", "hết cuối", "cuốiđến"]
    rng = random.Random(107)
    kinds = {}
    for _ in range(20000):
        text = "".join(rng.choice(words) + rng.choice(_GAPS) for _ in range(rng.randint(0, 8)))
        for start in {len(text), max(0, len(text) - rng.randint(0, 6))}:
            text_at = text[:start] + "2024" + text[start:]
            plain = periods._MARKER_RE.search(text_at, max(0, start - periods._MARKER_WINDOW), start)
            expected = "bare" if not plain else {"cum": "cumulative", "per": "period", "from": "from"}[plain.lastgroup]
            assert periods._marker(text_at, start) == expected, (text_at, start)
            kinds[expected] = kinds.get(expected, 0) + 1
    assert min(kinds.values()) > 1000, kinds


def test_years_read_from_the_pattern_group_are_the_whole_match_s():
    published = date(2024, 4, 24)
    checked = 0
    pieces = ["năm", "nay", "2023", "đầu", "nửa", "cuối", "19999", "nayx", "x", "đầu năm", "nửa cuối năm"]
    for text in _texts(109, 4000, pieces, gaps=[" ", " ", "", "\n"]):
        for name, rx in periods._COMPILED:
            if name not in ("half", "yearstart", "year"):
                continue
            for m in rx.finditer(text):
                group = m.group(2) if name == "half" else m.group(1)
                for context_year in (None, 2011):
                    assert periods._named_year(group, published, context_year) == \
                        periods._year(m.group(), published, context_year)
                checked += 1
    assert checked > 1000


def test_month_end_from_the_table_is_calendars():
    for year in (1900, 2000, 2023, 2024, 2100):
        for month in range(-1, 15):
            try:
                expected = date(year, month, calendar.monthrange(year, month)[1])
            except ValueError:
                with pytest.raises(ValueError):
                    periods._month_end(year, month)
                continue
            assert periods._month_end(year, month) == expected


def test_time_expr_filled_directly_is_the_dataclass_s():
    values = (3, 17, date(2024, 6, 30), date(2024, 1, 1), "period", True, "months", False)
    fast, plain = periods._time_expr(*values), periods.TimeExpr(*values)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert list(vars(fast).items()) == list(vars(plain).items())
    assert replace(fast, marker="cumulative") == replace(plain, marker="cumulative")
    assert fast.is_period and replace(fast, marker="cumulative").is_period is False
    with pytest.raises(AttributeError):
        fast.marker = "bare"
