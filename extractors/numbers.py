"""Vietnamese number grammar: numerals, scale words and units, as written in news text.

Why its own module: the same digits mean different things by notation. Vietnamese writes a
decimal comma and a thousands dot ("83,76" = 83.76, "12.597" = 12597); some sites write a
decimal dot ("6.2 triệu", "98.2%"). Rule (spec): a dot followed by exactly three digits is a
thousands separator, otherwise a decimal point. Scale words (nghìn/ngàn, triệu, tỷ/tỉ,
"nghìn tỷ") multiply. This module only reads numbers; deciding whether a number is an
observation is `extractors.quantities`' job.

All patterns are compiled once and are linear: no nested quantifiers over the same characters.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple

from extractors.lexicon import alternation, load

_LEX = load("lexicon")

# The numeral alone, in the notations above (tried in this order):
_NUMERAL = (r"(?:\d{1,3}(?:\.\d{3})+(?!\d)(?:,\d+)?"   # 12.597   1.234,5   (thousands dot, decimal comma)
            r"|\d{1,3}(?:,\d{3})+\.(?!\d{3}(?!\d))\d+"     # 1,250.6          (English thousands, decimal dot)
            r"|\d{1,3}(?:,\d{3}){2,}(?!\d)"             # 12,500,000       (English thousands, 2+ groups)
            r"|\d+\.(?!\d{3}(?!\d))\d+"                 # 6.2   98.2       (decimal dot: not 3 digits)
            r"|\d+(?:,\d+)?)")                          # 24   83,76      (integer, decimal comma)
# Lookbehind keeps a match from starting inside another numeral ("1.234", "36/63", "a1").
NUMBER_RE = re.compile(r"(?<![\w.,/])" + _NUMERAL)

_EN_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3}){2,}")
_VI_THOUSANDS_RE = re.compile(r"\d{1,3}(?:\.\d{3})+")
_EN_DECIMAL_RE = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+")

SCALES: dict[str, int] = {k: int(v) for k, v in _LEX["scale_words"].items()}
_SPACES_RE = re.compile(r"\s+")
_SCALE_KEY = {re.sub(r"\s+", " ", k): v for k, v in SCALES.items()}

_UNIT_KINDS = {}
for _kind, _key in (("percent", "percent_units"), ("percent_point", "percent_point_units"), ("money", "money_units"),
                    ("multiple", "multiple_units"), ("rank_step", "rank_step_units")):
    for _u in _LEX[_key]:
        _UNIT_KINDS[_u.lower()] = _kind

_SCALE_ALT = alternation(SCALES, boundary=False)
_WORD_UNITS = [u for u in _UNIT_KINDS if u != "%"]
_UNIT_ALT = alternation(_WORD_UNITS, boundary=False)
_TAIL = rf"(?:[ \t\xa0]*(?P<scale>{_SCALE_ALT})(?!\w))?(?:[ \t\xa0]*(?P<unit>%|(?:{_UNIT_ALT})(?!\w)))?"
TAIL_RE = re.compile(_TAIL, re.IGNORECASE)
# A numeral and its tail in one match (group "num": the numeral), for callers that read many: one
# regex call per figure instead of two. The tail is all optional, so it never changes which numeral
# is read; the leading lookbehind is the caller's (it knows where numerals can start).
# Compile with re.IGNORECASE (it changes nothing in the numeral).
FIGURE_PATTERN = rf"(?P<num>{_NUMERAL}){_TAIL}"


class Numeral(NamedTuple):
    """One number as written: `start`/`end` cover the numeral, scale word and unit. (A named
    tuple, not a frozen dataclass: one is built per number of every article, and a frozen
    dataclass costs several times as much to build.)"""

    start: int
    end: int
    literal_end: int
    literal: str
    value: float          # fully scaled
    scale: str | None
    unit: str | None
    unit_kind: str | None  # percent | percent_point | money | multiple | rank_step | None


# One text's own notation. A comma before exactly three digits ("1,847") is a decimal comma by the
# spec's rule, but English-style copy writes its thousands so. A text that writes its decimals with a
# dot ("6.2 triệu", "75.2%") and never with a comma nor thousands with a dot ("12.597") is written
# the English way throughout: there "1,847" is 1847 (not "0,775": no thousands start with 0).
_COMMA_GROUP_RE = re.compile(r"[1-9]\d{0,2},\d{3}")
_DECIMAL_DOT_RE = re.compile(r"\d+\.\d+")            # (after _VI_THOUSANDS_RE said no)


def comma_group(literal: str) -> bool:
    """Whether `literal` is "1,847": one comma before three digits, read by the text's notation."""
    return _COMMA_GROUP_RE.fullmatch(literal) is not None


def writes_english_decimals(literals) -> bool:
    """Whether the numerals of one text (as written) show a decimal dot and no Vietnamese sign
    (a decimal comma, a thousands dot): then comma_group literals are thousands."""
    dot = False
    for literal in literals:
        if "," in literal:
            if "." in literal or comma_group(literal) or _EN_THOUSANDS_RE.fullmatch(literal):
                continue                    # "1,250.6", "1,847", "2,145,380": English or open
            return False                    # "83,76": a decimal comma
        if _VI_THOUSANDS_RE.fullmatch(literal):
            return False                    # "12.597": a thousands dot
        dot = dot or _DECIMAL_DOT_RE.fullmatch(literal) is not None
    return dot


def parse_number(literal: str) -> float:
    """The value of a numeral written the Vietnamese way (no scale word).

    >>> parse_number("83,76"), parse_number("12.597"), parse_number("6.2"), parse_number("1.234,5")
    (83.76, 12597.0, 6.2, 1234.5)
    >>> parse_number("1,250.6")
    1250.6
    """
    s = literal.strip()
    if s.isdigit():
        return float(s)                     # the common case: none of the rules below applies
    if s.count(",") >= 2 and _EN_THOUSANDS_RE.fullmatch(s):     # (it needs two commas)
        return float(s.replace(",", ""))
    if "," in s and "." in s and _EN_DECIMAL_RE.fullmatch(s):
        return float(s.replace(",", ""))    # "1,250.6": English thousands comma, decimal dot
    if "," in s:
        whole, frac = s.split(",", 1)
        return float(whole.replace(".", "") + "." + frac)
    if _VI_THOUSANDS_RE.fullmatch(s):
        return float(s.replace(".", ""))
    return float(s)


@lru_cache(maxsize=1024)    # the same few scale words, as written, on every page
def scale_value(scale: str | None) -> int:
    if not scale:
        return 1
    return _SCALE_KEY.get(_SPACES_RE.sub(" ", scale.lower()), 1)


def read_numeral(text: str, match: re.Match) -> Numeral:
    """The numeral at `match` with the scale word and unit that follow it, if any."""
    literal = match.group()
    tail = TAIL_RE.match(text, match.end())
    scale = tail.group("scale") if tail else None
    unit = tail.group("unit") if tail else None
    end = tail.end() if tail and (scale or unit) else match.end()
    value = parse_number(literal) * scale_value(scale)
    unit_kind = _UNIT_KINDS.get(unit.lower()) if unit else None
    return Numeral(match.start(), end, match.end(), literal, _clean(value), scale, unit, unit_kind)


# Numeral(...) passes through the named tuple's Python-level __new__; one is built per figure.
_new_numeral = tuple.__new__


def numeral_of(m: re.Match, text: str | None = None) -> Numeral:
    """The Numeral read by a match of FIGURE_PATTERN: what read_numeral gives at its "num".
    `text`: the text as written, when `m` read a lower-cased copy of it (same offsets)."""
    literal, scale, unit = m.group("num", "scale", "unit")
    start, end = m.span()
    if scale is None and unit is None:
        return _new_numeral(Numeral, (start, end, end, literal, figure_value(literal), None, None, None))
    if text is not None:      # the words as written ("Triệu"), as read_numeral gives them
        scale = None if scale is None else text[m.start("scale"):m.end("scale")]
        unit = None if unit is None else text[m.start("unit"):m.end("unit")]
    return _new_numeral(Numeral, (start, end, m.end("num"), literal, figure_value(literal, scale), scale, unit,
                                  unit_kind(unit)))


def figure_value(literal: str, scale: str | None = None) -> float:
    """The value of a numeral and the scale word after it (as written), as read_numeral gives it."""
    if scale is None:         # times 1; a string of digits needs no rounding
        return float(literal) if literal.isdigit() else _clean(parse_number(literal))
    return _clean(parse_number(literal) * scale_value(scale))


def unit_kind(unit: str | None) -> str | None:
    """percent | percent_point | money | multiple | rank_step for a unit as written, None for no
    unit or another ("điểm phần trăm", a difference of percentages, is percent_point)."""
    return _UNIT_KINDS.get(unit.lower()) if unit else None


def find_numerals(text: str):
    """Every numeral in `text`, left to right."""
    for m in NUMBER_RE.finditer(text):
        yield read_numeral(text, m)


def parse_quantity(text: str) -> float | None:
    """The value of a whole quantity string such as "4,8 nghìn tỷ đồng" or "62,7%"."""
    m = NUMBER_RE.search(text)
    return read_numeral(text, m).value if m else None


def _clean(value: float) -> float:
    # 83,76 triệu is 83760000 exactly: round away binary noise from the scaling.
    if not math.isfinite(value):
        return value
    if value.is_integer() and value >= 0:
        return value                        # what the rounding below gives back, for less
    rounded = round(value, 6)
    return float(int(rounded)) if rounded == int(rounded) else rounded


def as_number(value: float) -> int | float:
    """An int when integral (the spec's `value`), else the float."""
    return int(value) if float(value).is_integer() else value
