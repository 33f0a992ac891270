"""Which numbers in a text are observations, and of what kind (spec: "Which numbers are
observations", `kind`, `qualifier`, `change`, `denominator`).

Why separate from `numbers`: reading "12.597" is grammar; deciding that "phiên họp thứ 8",
"Đề án 06", "2 năm" or "024.3822.1234" are not observations while "đứng thứ 86/193" and
"gấp 2,5 lần" are is a matter of the words around the number. Those words are lexicons in
extractors/data/lexicon.yaml; this module holds only the decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import alternation, load, trie_alternation
from extractors.lowered import case_blind, lowered
from extractors.numbers import (FIGURE_PATTERN, NUMBER_RE, comma_group, figure_value, scale_value, unit_kind,
                                writes_english_decimals)

_LEX = load("lexicon")
_I = re.IGNORECASE


def _rx(key: str, flags: int = _I) -> re.Pattern:
    return re.compile(_LEX[key], flags)


_PLAIN_QUALIFIER_OF = {w: cat for cat, words in _LEX["qualifiers"].items() for w in words}
_QUALIFIER_OF = {**_PLAIN_QUALIFIER_OF, **{w: cat for cat, words in _LEX["verb_qualifiers"].items() for w in words}}
_QUALIFIER_RE = re.compile(rf"(?<!\w)({alternation(_QUALIFIER_OF, boundary=False)})\s+$", _I)
# What the change cues allow between the verb and its number ("tăng khoảng 5%"): no verb qualifier.
_QUAL_ALT = alternation(_PLAIN_QUALIFIER_OF, boundary=False)
_LABEL_RE = re.compile(alternation(_LEX["label_before"]) + r"\s*$", _I)
# "mức độ 3, 4", "Điều 5 và 6": later numbers of a label list are labels too.
_LABEL_LIST_RE = re.compile(alternation(_LEX["label_before"]) + r"\s*(?:\d+\s*(?:,|và|hoặc|-|–)\s*)*(?P<last>\d+)\s*(?:,|và|hoặc|-|–)\s*$", _I)
_LABEL_EXCEPTION_RE = re.compile(alternation(_LEX["label_exceptions"]) + r"\s*$", _I)
_GROUP_LABELS = frozenset(w.lower() for w in _LEX["group_labels"])
_GROUP_NOUN_RE = re.compile(r"\s+" + alternation(_LEX["group_counted_nouns"]), _I)
_DURATION_RE = re.compile(r"\s*" + _LEX["duration_after"], _I)
_PHONE_BEFORE_RE = _rx("phone_before")
_DATE_WORDS_RE = _rx("date_words_before")
_COMPARATIVE_RE = _rx("comparative_before_hon")
_LOCATIVE_RE = re.compile(r"\s*" + _LEX["locative_tren_nouns"], _I)
_QUANTITY_VERB_RE = _rx("quantity_verbs_before")
_CHANGE_RE = re.compile(_LEX["change_before"].replace("{qual}", f"(?:{_QUAL_ALT})"), _I)
_CHANGE_RANGE_RE = _rx("change_range_before")
_RANGE_AFTER_RE = _rx("range_after")
_PERCENT_CHANGE_RE = re.compile(_LEX["percent_change_before"].replace("{qual}", f"(?:{_QUAL_ALT})"), _I)
_MULTIPLE_RE = _rx("multiple_before")
_EARLIER_POINT_RE = _rx("earlier_point_after")
_EARLIER_TIME_OBJECT_RE = _rx("earlier_time_object_after")
_GROWTH_RE = re.compile(_LEX["growth_rate_before"].replace("{qual}", f"(?:{_QUAL_ALT})"), _I)
_QUALIFIER_AFTER_OF = {w: cat for cat, words in _LEX["qualifiers_after"].items() for w in words}
# The opening word of those qualifiers ("trở"), lower-cased: a literal test before the regex (with
# several opening words, the empty string: every figure asks the regex).
_AFTER_OPENERS = sorted({w.split()[0].lower() for w in _QUALIFIER_AFTER_OF})
_AFTER_GATE = _AFTER_OPENERS[0] if len(_AFTER_OPENERS) == 1 else ""
# (up to three plain words between: the counted noun, "10 lao động trở lên")
_QUALIFIER_AFTER_RE = re.compile(r"\s*(?:[^\W\d_]+\s+){0,3}?(" + alternation(_QUALIFIER_AFTER_OF, boundary=False) + r")(?!\w)", _I)
_THRESHOLD_OF = {w: cat for cat, words in _LEX["comparative_threshold"].items() for w in words}
_COMPARISON_POINT_RE = _rx("comparison_point_after")
_EXCEED_BY_RE = _rx("exceed_by_after")
_FRACTION_RE = _rx("fraction_before")
_RANGE_LOW_RE = _rx("range_low_before")
_NO_NOUN_RE = _rx("no_noun_after")
_SCORE_MOVE_RE = _rx("score_move_after")
# A number opening the text or a line, then "." or ")" and a space, labels a list item ("1. Trong năm
# 2024, …", "2) Kết nối …"); a figure keeps its own tail ("1.245 dịch vụ", "95,6% hồ sơ").
_LIST_LABEL_MARKS = (".", ")")
_LIST_LABEL_SPACES = (" ", "\t", "\u00a0")
_RANK_CONTEXT_RE = _rx("rank_context")
_RANK_DENOM_RE = _rx("rank_denominator_after")
_RANK_ADJECTIVE_RE = _rx("rank_adjective_before")
_RANK_LIST_ITEM_RE = _rx("rank_list_item_before")
_RANK_LIST_HEAD_RE = _rx("rank_list_head")
_NAMED_DAY_RE = _rx("named_day_before")
_CHANGE_PERCENT_GAP_RE = _rx("change_percent_gap")
_OWN_PREDICATE_RE = _rx("own_predicate_after")
_MONEY_CUE_RE = _rx("money_cues")
_RANK_STRONG_RE = re.compile(
    r"(?<!\w)(?:đứng|xếp|xếp\s+hạng|vị\s+trí|thứ\s+hạng|hạng|top)(?:\s+(?:thứ|số))?\s*$|(?<!\w)(?:đứng|xếp|vị\s+trí|hạng|lên|xuống|tụt)\s+thứ\s*$",
    _I,
)
_RANK_WEAK_RE = re.compile(r"(?<!\w)(?:từ|lên|xuống|tụt)\s+(?:vị\s+trí\s+|hạng\s+|thứ\s+)?$", _I)
_SLASH_RE = re.compile(r"[ \t]?/[ \t]?(\d{1,3}(?:\.\d{3})+(?![\d/]|[.,]\d)|\d{1,6})(?![\d/])")
_THOUSANDS_INT_RE = re.compile(r"\d{1,3}(?:\.\d{3})+")     # "12.716" (no decimal part)
_GLUED_ID_RE = re.compile(r"(?:[^\W\d_]|\d)[-–]$")   # "COVID-19", "H5N1-", "B-52"
_MONEY_TAIL_RE = re.compile(r"\s*(?:$|[/;,.)(\"”]|so\s+với|mỗi\s+năm|một\s+năm|hằng\s+năm|hàng\s+năm|trong\b|cho\b)", _I)
_SPELLED_RE = re.compile(
    rf"(?<!\w)({alternation(_LEX['spelled_numbers'], boundary=False)})\s+(?={alternation(_LEX['spelled_nouns'], boundary=False)}(?!\w))",
    _I,
)
_SPELLED_VALUE = {k.lower(): v for k, v in _LEX["spelled_numbers"].items()}
# The same language on lower-cased text, without the leading lookbehind (checked in Python):
# a pattern that opens with plain lower-case letters lets the engine jump to them instead of
# trying every position of the article (a case-insensitive one cannot).
_SPELLED_LOWER_RE = re.compile(
    rf"({alternation([w.lower() for w in _LEX['spelled_numbers']], boundary=False)})\s+"
    rf"(?=(?:{trie_alternation([w.lower() for w in _LEX['spelled_nouns']])})(?!\w))"   # (a trie: 130 nouns)
)


def _lower_words(key: str, boundary: bool = False) -> str:
    """A lower-case alternation of a lexicon entry's words (a list, or a dict's keys)."""
    return alternation([w.lower() for w in _LEX[key]], boundary=boundary)


# Spelled figures other than counts, read on the lower-cased copy (each scan opens with a literal
# word, and runs only when that word is in the article): "đứng thứ hai" (a rank), "gấp đôi"
# (a multiple), "giảm một bậc" (a move in a ranking).
_SPELLED_ORDINAL = {k.lower(): v for k, v in _LEX["spelled_ordinals"].items()}
_SPELLED_ORDINAL_LOW = re.compile(rf"thứ\s+({_lower_words('spelled_ordinals')})(?!\w)")
_SPELLED_RANK_VERB_LOW = re.compile(_lower_words("spelled_rank_verbs", True) + r"\s+$")
_SPELLED_RANK_VERB_WORDS = max(len(w.split()) for w in _LEX["spelled_rank_verbs"])
_SPELLED_MULTIPLE = {k.lower(): v for k, v in _LEX["spelled_multiples"].items()}
_QUAL_LOW_ALT = alternation([w.lower() for w in _QUALIFIER_OF], boundary=False)
_SPELLED_MULTIPLE_LOW = re.compile(   # group 1: a qualifier after "gấp"; 2: the number; 3: "lần rưỡi"
    rf"gấp\s+(?:({_QUAL_LOW_ALT})\s+)?({_lower_words('spelled_multiples')})(?:\s+lần(\s+rưỡi)?)?(?!\w)")
_SPELLED_STEP_BEFORE_LOW = re.compile(   # before "bậc": group 1 a qualifier, 2 the number
    rf"{_lower_words('spelled_step_verbs', True)}(?:\s+(?:thêm|lên|xuống|được))?\s+"
    rf"(?:({_QUAL_LOW_ALT})\s+)?({_lower_words('spelled_step_numbers')})\s+$")
_SPELLED_STEP = {k.lower(): v for k, v in _LEX["spelled_step_numbers"].items()}
# One pattern per unit word: a pattern that opens with one literal word is found by a fast skip,
# an alternation of two is tried at every position that starts with either first letter.
_STEP_UNITS_LOW = tuple((u.lower(), re.compile(rf"{re.escape(u.lower())}(?!\w)(?!\s+mục)"))
                        for u in _LEX["rank_step_units"])
_SPELLED_CONTINUED_LOW = re.compile(r"\s+" + _lower_words("spelled_continued_by", True))
_SPELLED_AFTER_TEN_LOW = re.compile(r"\s+" + _lower_words("spelled_after_ten", True))
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
_CODE_RE = re.compile(r"0\d{2,}")
# Digit groups that are not quantities, recognised where a numeral starts.
# One alternation, tried in this order, reads what trying each in turn would (none refers back
# to a numbered group): one match attempt per number instead of three.
_NOT_QUANTITY = "|".join(f"(?:{_LEX[k]})" for k in ("date_like", "time_like", "phone_like"))
_NOT_QUANTITY_RE = re.compile(_NOT_QUANTITY, _I)
# Where a numeral starts: a digit run whose first digit follows none of NUMBER_RE's lookbehind
# characters (checked after the first digit, so the engine can still skip ahead to digits).
_NUMERAL_START_RE = re.compile(r"\d(?<![\w.,/]\d)\d*")
# At such a start, one match reads what _not_quantity, NUMBER_RE and the numeral's tail read in turn:
# group "nq" when a date, time or phone number starts there, else the numeral with its tail.
_FIGURE_RE = re.compile(rf"(?P<nq>{_NOT_QUANTITY})|{FIGURE_PATTERN}", _I)
_MAX_NUMERAL_CHARS = 24   # "1.234.567.890.123,45": longer runs are codes, not quantities
_RANGE_GAP_RE = re.compile(r"\s*(?:đến|tới|-|–)\s*", _I)
# "từ 1 đến 2 ngày", "2-3 tháng": the low end of a range whose upper end is a duration is one too.
_RANGED_DURATION_RE = re.compile(_RANGE_GAP_RE.pattern + r"\d+(?:[.,]\d+)?" + _DURATION_RE.pattern, _I)
_RANGE_LOW_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
_PAREN_GAP_RE = re.compile(r"\s*\(\s*")
_AND_GAP_RE = re.compile(r"[^;,.()\d]{0,30}\svà\s*", _I)
_MAX_GAP = 30 + 3   # the longest of these gaps without its outer whitespace: 30 characters, " và"
# Compiled once here rather than looked up in re's cache on every figure.
_THU_END_RE = re.compile(r"(?<!\w)thứ\s*$", _I)
_NOUN_START_RE = re.compile(r"\s+[^\W\d_]")
_SPACES_RE = re.compile(r"\s+")
_SPELLED_NOT_BEFORE_RE = re.compile(alternation(_LEX["spelled_not_after"]) + r"\s*$", _I)
# "2024" (a year) or "0912" (a code or phone fragment): one attempt for the two refusals.
_YEAR_OR_CODE_RE = re.compile(rf"{_YEAR_RE.pattern}|{_CODE_RE.pattern}")

# The classifier reads a lower-cased copy of the article (_lower_copy) with case-sensitive copies of
# the case-blind patterns above, which stay the readable reference: the engine compares a plain
# letter faster than a case-blind one, and can skip ahead to a pattern's possible first letters.
_PATTERN_TOKEN_RE = re.compile(r"(\\.|\(\?P<\w+>|\(\?P=\w+\))|([^\\(]+|\()")


def _for_lower(rx: re.Pattern) -> re.Pattern:
    """`rx` for lower-cased text: its letters lower-cased, case-sensitive. Escapes keep their case
    (upper-case \\W, \\S, \\D mean other things), and so do group names."""
    pattern = _PATTERN_TOKEN_RE.sub(lambda m: m.group(1) or m.group(2).lower(), rx.pattern)
    return re.compile(pattern, rx.flags & ~re.IGNORECASE)


# `text` lower-cased so that the _LOW patterns read it as the case-blind ones read `text`.
_lower_copy = case_blind


_FIGURE_LOW = _for_lower(_FIGURE_RE)
_FIGURE_GROUPS = ("nq", "num", "scale", "unit")   # what find_mentions unpacks from one groups() call
_QUALIFIER_LOW = _for_lower(_QUALIFIER_RE)
_LABEL_LOW = _for_lower(_LABEL_RE)
_LABEL_LIST_LOW = _for_lower(_LABEL_LIST_RE)
_LABEL_EXCEPTION_LOW = _for_lower(_LABEL_EXCEPTION_RE)
_GROUP_NOUN_LOW = _for_lower(_GROUP_NOUN_RE)
_DURATION_LOW = _for_lower(_DURATION_RE)
_PHONE_BEFORE_LOW = _for_lower(_PHONE_BEFORE_RE)
_DATE_WORDS_LOW = _for_lower(_DATE_WORDS_RE)
_COMPARATIVE_LOW = _for_lower(_COMPARATIVE_RE)
_LOCATIVE_LOW = _for_lower(_LOCATIVE_RE)
_QUANTITY_VERB_LOW = _for_lower(_QUANTITY_VERB_RE)
_CHANGE_LOW = _for_lower(_CHANGE_RE)
_CHANGE_RANGE_LOW = _for_lower(_CHANGE_RANGE_RE)
_RANGE_AFTER_LOW = _for_lower(_RANGE_AFTER_RE)
_PERCENT_CHANGE_LOW = _for_lower(_PERCENT_CHANGE_RE)
_MULTIPLE_LOW = _for_lower(_MULTIPLE_RE)
_EARLIER_POINT_LOW = _for_lower(_EARLIER_POINT_RE)
_EARLIER_TIME_OBJECT_LOW = _for_lower(_EARLIER_TIME_OBJECT_RE)
_GROWTH_LOW = _for_lower(_GROWTH_RE)
_QUALIFIER_AFTER_LOW = _for_lower(_QUALIFIER_AFTER_RE)
_COMPARISON_POINT_LOW = _for_lower(_COMPARISON_POINT_RE)
_EXCEED_BY_LOW = _for_lower(_EXCEED_BY_RE)
_FRACTION_LOW = _for_lower(_FRACTION_RE)
_RANGE_LOW_LOW = _for_lower(_RANGE_LOW_RE)
_NO_NOUN_LOW = _for_lower(_NO_NOUN_RE)
_SCORE_MOVE_LOW = _for_lower(_SCORE_MOVE_RE)
_RANK_CONTEXT_LOW = _for_lower(_RANK_CONTEXT_RE)
_RANK_DENOM_LOW = _for_lower(_RANK_DENOM_RE)
_RANK_ADJECTIVE_LOW = _for_lower(_RANK_ADJECTIVE_RE)
_RANK_LIST_HEAD_LOW = _for_lower(_RANK_LIST_HEAD_RE)
_RANK_LIST_ITEM_LOW = _for_lower(_RANK_LIST_ITEM_RE)
_NAMED_DAY_LOW = _for_lower(_NAMED_DAY_RE)
_CHANGE_PERCENT_GAP_LOW = _for_lower(_CHANGE_PERCENT_GAP_RE)
_OWN_PREDICATE_LOW = _for_lower(_OWN_PREDICATE_RE)
_RANGED_DURATION_LOW = _for_lower(_RANGED_DURATION_RE)
_MONEY_CUE_LOW = _for_lower(_MONEY_CUE_RE)
_RANK_STRONG_LOW = _for_lower(_RANK_STRONG_RE)
_RANK_WEAK_LOW = _for_lower(_RANK_WEAK_RE)
_MONEY_TAIL_LOW = _for_lower(_MONEY_TAIL_RE)
_RANGE_GAP_LOW = _for_lower(_RANGE_GAP_RE)
_AND_GAP_LOW = _for_lower(_AND_GAP_RE)
_THU_END_LOW = _for_lower(_THU_END_RE)
_SPELLED_NOT_BEFORE_LOW = _for_lower(_SPELLED_NOT_BEFORE_RE)
_SPELLED_YEAR_LOW = _for_lower(_rx("spelled_year_after"))
_SPELLED_YEAR_NOUN_LOW = re.compile(_lower_words("spelled_year_nouns") + r"(?!\w)")
# Every change cue holds "tăng" or "giảm", or "hơn" after one of _COMPARED ("cao hơn", "ít hơn"):
# a lower-cased window without them needs no search (most qualified figures, "hơn 5 triệu" too).
_CHANGE_VERBS = ("tăng", "giảm")
# Every growth_rate_before cue holds this word ("tăng trưởng"): a percent's window without it needs no search.
_GROWTH_WORD = "trưởng"
_COMPARED = ("cao", "thấp", "nhiều", "ít")

# Cheap gates in front of the end-anchored cue regexes above. Each cue must end the 48-character
# window, so a window whose last word is none of a cue's possible last words cannot match it;
# checking that costs one `endswith` instead of a regex attempt at every position of the window
# (the search was a third of the extractor's time). Gates only ever skip a search that would fail.
_QUAL_ENDS = tuple({w.split()[-1].lower() for w in _QUALIFIER_OF})
_PLAIN_QUAL_ENDS = tuple({w.split()[-1].lower() for w in _PLAIN_QUALIFIER_OF})
# Last words only a verb qualifier ends with ("đạt", "chiếm", "tăng", "mốc"): common before figures,
# so behind them the qualifier cue is searched only when a verb qualifier's first word ("ước",
# "vượt") is in the window.
_VERB_QUAL_ENDS = tuple({w.split()[-1].lower() for w in _QUALIFIER_OF} - set(_PLAIN_QUAL_ENDS))
_VERB_QUAL_OPENERS = tuple({w.split()[0].lower() for w in _QUALIFIER_OF if w not in _PLAIN_QUALIFIER_OF})
_LABEL_ENDS = tuple({w.split()[-1].lower() for w in _LEX["label_before"]})
_CHANGE_ENDS = _PLAIN_QUAL_ENDS + ("tăng", "giảm", "hơn", "thêm", "được", "mạnh", "nhanh")
_CHANGE_OR_RANGE_ENDS = _CHANGE_ENDS + ("từ",)
_PERCENT_CHANGE_ENDS = _PLAIN_QUAL_ENDS + ("giảm", "giản", "tăng", "hóa", "thêm", "được")
_MULTIPLE_ENDS = ("gấp", "tăng", "giảm", "bằng", "thêm", "lên", "khoảng", "gần", "hơn", "trên", "xỉ")
_RANK_STRONG_ENDS = ("đứng", "xếp", "hạng", "trí", "top", "thứ", "số")
_RANK_WEAK_ENDS = ("từ", "lên", "xuống", "tụt", "trí", "hạng", "thứ")
_LABEL_LIST_ENDS = (",", "và", "hoặc", "-", "–")
_PHONE_ENDS = ("thoại", "đt", "hotline", "tel", "đài", "máy", "fax", "zalo", "sđt", "nóng")

# How many whitespace-separated words a match of each end-anchored cue can touch. A match lies
# within the window's last N words, so searching from where they begin gives the same match as
# searching the whole window, for a third of the cost (the engine tries every position of a
# search). Counted from the patterns: the lexicon's word lists are counted, the fixed words in
# lexicon.yaml's cue patterns are written out here (tests/test_extraction_speed_a.py checks them).
_QUAL_WORDS = max(len(w.split()) for w in _QUALIFIER_OF)
_LABEL_WORDS = max(len(w.split()) for w in _LEX["label_before"])
_EXCEPTION_WORDS = max(len(w.split()) for w in _LEX["label_exceptions"])
_CUE_WORDS = {
    "qualifier": _QUAL_WORDS,
    "change": 2 + 2 + _QUAL_WORDS,            # "cao hơn" "thêm được" {qual}
    "change_range": 1 + 4 + 1,                # "tăng" up to 4 words "từ"
    "percent_change": 2 + 4 + 1 + _QUAL_WORDS,  # "cắt giảm" ", đơn giản hóa" "được" {qual}
    "rank_strong": 3,                         # "xếp hạng thứ", "vị trí thứ"
    "rank_weak": 3,                           # "lên vị trí"
    "phone": 4,                               # "đường dây nóng" ":"
    "quantity_verb": 2,                       # "tiếp nhận"
    "growth": 2 + 2 + 2 + _QUAL_WORDS,        # "tăng trưởng" "bình quân" "ở mức" {qual}
}


def _cue(rx: re.Pattern, window: str, words: int) -> re.Match | None:
    """rx.search(window) for an end-anchored cue that touches at most `words` words: the search
    starts at the end of the word before them (lookbehinds still see what precedes it)."""
    parts = window.rsplit(None, words)
    return rx.search(window, len(parts[0]) if len(parts) > words else 0)


def _ends(s: str, words: tuple, spaced: bool = False) -> bool:
    """Whether `s` (trailing whitespace aside; `spaced`: with some) ends with one of `words`."""
    has_space, end = _tail(s)
    if spaced and not has_space:
        return False
    return True if end is None else end.endswith(words)


# The last string _tail read, with its reading: a figure's gates all ask about the same `before`.
# One tuple, so threads see whole entries; `is` on the kept string cannot mistake another for it.
_last_tail: tuple = ("", (False, ""))


def _tail(s: str) -> tuple[bool, str | None]:
    """(does `s` end in whitespace?, its last 16 characters before that, lower-cased — or None
    when they hold "ı", "ſ" or "İ", which the regex matches to "i" / "s" case-blind and str.lower
    does not: then every gate must let the regex decide)."""
    global _last_tail
    entry = _last_tail
    if entry[0] is s:
        return entry[1]
    tail = s.rstrip()
    end = tail[-16:]
    reading = (len(tail) != len(s), None if ("ı" in end or "ſ" in end or "İ" in end) else end.lower())
    _last_tail = (s, reading)
    return reading


# The gates a figure's window is asked about, as bits of one number: _gates reads the window's last
# word once and looks its answers up, where each _ends call would read it again (a figure asks up to
# seven). Bit i is set when _ends(window, words, spaced) of entry i holds.
_GATE_WORDS = [(_QUAL_ENDS, True), (_LABEL_ENDS, False), (_LABEL_LIST_ENDS, False), (_CHANGE_OR_RANGE_ENDS, True),
               (_PERCENT_CHANGE_ENDS, True), (_RANK_STRONG_ENDS, False), (_RANK_WEAK_ENDS, True), (("từ",), True),
               (_VERB_QUAL_ENDS, True)]
_QUAL, _LABEL, _LABEL_LIST, _CHANGE, _PERCENT_CHANGE, _RANK_STRONG, _RANK_WEAK, _FROM, _VERB_QUAL = (
    1 << i for i in range(len(_GATE_WORDS)))
# Two more bits: _PHONE, set unless _phone_before's own end-word test is known to fail, and _GLUED,
# set when the last word ends with a letter or digit and a dash ("COVID-", before "19"), which
# _GLUED_ID_RE needs (its $ also matches before a final newline: spacing is left to the regex).
_PHONE = 1 << len(_GATE_WORDS)
_GLUED = _PHONE << 1
_ALL_GATES = (1 << len(_GATE_WORDS)) - 1 | _PHONE | _GLUED
_UNSPACED_GATES = sum(1 << i for i, (_, spaced) in enumerate(_GATE_WORDS) if not spaced) | _PHONE | _GLUED
_GATE_CACHE_SIZE = 20_000
_gate_bits: dict[tuple[bool, str], int] = {}   # (ends in whitespace?, last word) -> bits


def _gates(window: str) -> int:
    """Which of _GATE_WORDS' gates `window` passes, as bits. A gate's words hold no whitespace, so
    the window's tail ends with one exactly when its last word does: the answer depends only on
    (trailing whitespace?, last word), and the same few hundred words precede most figures."""
    has_space, end = _tail(window)
    if end is None:
        return _ALL_GATES if has_space else _UNSPACED_GATES
    words = end.rsplit(None, 1)
    key = (has_space, words[-1] if words else "")
    bits = _gate_bits.get(key)
    return _bits_of(key) if bits is None else bits


def _low_gates(before: str) -> int:
    """_gates of a window of the lower-cased copy, which holds no "ı", "ſ", "İ" and nothing to
    lower: the same reading without _tail's checks (and without keeping it for _ends)."""
    tail = before.rstrip()
    words = tail[-16:].rsplit(None, 1)
    key = (len(tail) != len(before), words[-1] if words else "")
    bits = _gate_bits.get(key)
    return _bits_of(key) if bits is None else bits


def _bits_of(key: tuple[bool, str]) -> int:
    if len(_gate_bits) >= _GATE_CACHE_SIZE:
        _gate_bits.clear()
    has_space, word = key
    bits = 0
    for i, (ends, spaced) in enumerate(_GATE_WORDS):
        if (has_space or not spaced) and word.endswith(ends):
            bits |= 1 << i
    # _phone_before's end test reads the word before a final ":" or "."; a lone ":" hides it.
    if word[-1:] in (":", ".") and (len(word) == 1 or word[:-1].endswith(_PHONE_ENDS)) or \
            word[-1:] not in (":", ".") and word.endswith(_PHONE_ENDS):
        bits |= _PHONE
    if word[-1:] in ("-", "–") and word[-2:-1].isalnum():    # (isalnum: the regex's [^\W\d_]|\d)
        bits |= _GLUED
    _gate_bits[key] = bits
    return bits


def _phone_before(before: str, rx: re.Pattern = _PHONE_BEFORE_RE) -> bool:
    tail = before.rstrip()
    if tail[-1:] in (":", "."):
        ends = _ends(tail[:-1], _PHONE_ENDS)
    else:
        ends = _ends(before, _PHONE_ENDS)    # the same answer, and `before`'s reading is at hand
    return ends and bool(_cue(rx, before, _CUE_WORDS["phone"]))


@dataclass(slots=True)      # slots: one is built per figure, and read often downstream
class Mention:
    """A candidate observation: `start`/`end` cover its `text` in the source string."""

    start: int
    end: int
    value: float
    denominator: int | None
    kind: str
    qualifier: str
    change: bool
    rule: str
    lead: int          # where the figure's own words begin (qualifier / change verb included)
    scale: str | None = None
    consumed: int = 0  # end of words read with the figure beyond `end` ("… trong tổng số 193")


def find_mentions(text: str, masked: bytearray, sentence_of) -> list[Mention]:
    """Every observation-worthy number in `text`, left to right.

    `masked[i]` is set where `text[i]` belongs to a date, time expression, legal symbol, phone
    number or URL; `sentence_of(offset)` gives the (start, end) of the sentence around an offset.
    """
    low = _lower_copy(text)   # what the cues read; numbers and offsets are the same in both
    mentions: list[Mention] = []
    consumed_until = -1
    written: list[tuple[Mention, str]] = []     # figures with a separator, as written
    for run in _NUMERAL_START_RE.finditer(text):
        start = run.start()
        if masked[start] or start < consumed_until:
            continue
        m = _FIGURE_LOW.match(low, start)
        nq, literal, scale, unit = m.groups()     # its only groups, in this order (_FIGURE_GROUPS)
        if nq is not None:
            consumed_until = m.end()          # a date, time or phone number: not a quantity
            continue
        mention = _classify(text, low, m, literal, scale, unit, sentence_of)
        if mention is not None:
            mentions.append(mention)
            consumed_until = max(mention.end, mention.consumed)
            if "," in literal or "." in literal:
                written.append((mention, literal))
    if written:
        _read_notation(written)
    spelled = _spelled(text, low, masked)
    if spelled:               # (the figures above came in order of their starts)
        # "xếp thứ ba trong số 26": the 26 was read with the rank, as "thứ 3 trong số 26" reads it
        read_with = [(m.end, m.consumed) for m in spelled if m.consumed]
        if read_with:
            mentions = [x for x in mentions if not any(e <= x.start < c for e, c in read_with)]
        mentions.extend(spelled)
        mentions.sort(key=lambda x: x.start)
    if _AFTER_GATE in low:    # "trở lên" is rare: one literal scan of the article spares every figure
        _qualify_after(low, mentions)
    _propagate(low, mentions)
    return mentions


def _read_notation(written: list[tuple[Mention, str]]) -> None:
    """"1,847" is 1847 in a text that writes its decimals the English way (numbers.
    writes_english_decimals, read from the text's own figures), else 1.847 (the spec's rule)."""
    grouped = [(m, literal) for m, literal in written if comma_group(literal)]
    if grouped and writes_english_decimals([literal for _, literal in written]):
        for m, literal in grouped:
            m.value = figure_value(literal.replace(",", ""), m.scale)


def _numerals(text: str):
    """NUMBER_RE's matches, left to right. A numeral starts a digit run (its lookbehind refuses
    a word character, a dot or a comma before it) and ends one, so trying each run's start finds
    the same matches as scanning every position — several times faster on prose."""
    for run in _NUMERAL_START_RE.finditer(text):
        yield NUMBER_RE.match(text, run.start())


def _spelled_matches(text: str):
    """_SPELLED_RE's matches (group 1: the number word), left to right."""
    # lowered (which reads "İ" as "i", as the regex engine's case-insensitivity does) and the
    # engine agree on every letter of these words but "ı" and "ſ" (match "i", "s" case-blind):
    # texts with those take the plain scan.
    if "ı" in text or "ſ" in text:
        yield from _SPELLED_RE.finditer(text)
        return
    low = lowered(text)
    for m in _SPELLED_LOWER_RE.finditer(low):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue                      # inside a word: the original's (?<!\w)
        yield m


def _not_quantity(text: str, start: int) -> int:
    """End of a date, time or phone number starting at `start`, or 0."""
    m = _NOT_QUANTITY_RE.match(text, start)
    return m.end() if m else 0


# What a unit decides alone: (kind, rule, change, denominator, consumed).
_UNIT_READING = {"percent": ("percent", "percent", False, None, 0), "money": ("money", "money_unit", False, None, 0),
                 "rank_step": ("rank", "rank_step", True, None, 0),
                 "percent_point": ("percent", "percent_point", True, None, 0)}
_NOT_OBSERVED = (None, None, False, None, 0)
# Units that measure a difference: "thấp hơn 3 điểm phần trăm", "vượt 5 bậc" say by how much.
_DIFFERENCE_RULES = frozenset(("percent_point", "rank_step"))


def _classify(text: str, low: str, m: re.Match, literal: str, scale, unit, sentence_of) -> Mention | None:
    """The figure `m`, a _FIGURE_LOW match on `low` (_lower_copy(text), which every cue below reads
    with the _LOW patterns), whose groups `literal`, `scale` and `unit` are passed as `low` spells
    them. Reads the numeral as numbers.numeral_of(m, text) does, without building a Numeral."""
    s = m.start()
    literal_end = m.end(2)
    if literal_end - s > _MAX_NUMERAL_CHARS:
        return None                                       # a digit run, not a quantity
    before = low[max(0, s - 48):s]    # every cue in the lexicon fits in the last few words
    if (s == 0 or text[s - 1] == "\n") and text[literal_end:literal_end + 1] in _LIST_LABEL_MARKS and \
            text[literal_end + 1:literal_end + 2] in _LIST_LABEL_SPACES:
        return None                                       # "\n\n2. 47,8% hồ sơ …": the item's label
    g = _low_gates(before)
    end = m.end()
    if g & _GLUED and _GLUED_ID_RE.search(before, len(before) - 3) and \
            not _range_high(text, before, literal, literal_end, scale, unit):
        return None                                       # "COVID-19", "B-52" (not "40-50%": a range)
    if scale is None and unit is None:
        nxt = low[literal_end:literal_end + 1]
        if nxt and (nxt.isalpha() or nxt in "_@"):
            return None                                   # "5G", "19h"
        if nxt == "/":
            return _slash(text, low, s, literal, literal_end, before, g, sentence_of)
        q = _gated_qualifier(before, g) if g & _QUAL else None
        kind, rule, change, denominator, consumed = _bare_kind(text, low, s, literal, literal_end, before, g, sentence_of)
    else:
        # The words as written ("Triệu"), as numeral_of reads them: so a unit spelled with "ı" or
        # "ſ", which the lower-cased copy maps to "i" / "s", is still no known unit.
        if scale is not None:
            scale = text[m.start(3):m.end(3)]
        kind_of_unit = None if unit is None else unit_kind(text[m.start(4):m.end(4)])
        q = _gated_qualifier(before, g) if g & _QUAL else None
        kind, rule, change, denominator, consumed = _UNIT_READING.get(kind_of_unit) or \
            _worded_reading(text, low, s, literal, literal_end, end, scale, kind_of_unit, before, q, g, sentence_of)
    if kind is None:
        return None
    change = change or (bool(g & _CHANGE) and _is_change(low, before, end, g)) or (
        kind == "percent" and (g & _PERCENT_CHANGE or _GROWTH_WORD in before) and _percent_change(before, g))
    value = figure_value(literal, scale)
    if q is None:             # most figures: no qualifier, the figure's words start with it
        return Mention(s, end, value, denominator, kind, "exact", change, rule, s, scale, consumed)
    qualifier = _qualifier(low, before, q, end, rule in _DIFFERENCE_RULES)
    if change and qualifier != "exact" and _compares(before, q):
        change = False                                    # "thấp hơn 30%": a threshold, not a change
    return Mention(s, end, value, denominator, kind, qualifier, change, rule, _lead(before, q, s), scale, consumed)


def _score_move(low: str, literal_end: int) -> bool:
    """Whether a bare decimal moves to another bare one ("từ 0,6667 lên 0,7593."): a score's low end."""
    move = _SCORE_MOVE_LOW.match(low, literal_end)
    return bool(move) and bool(_NO_NOUN_LOW.match(low, move.end()))


def _range_high(text: str, before: str, literal: str, literal_end: int, scale, unit) -> bool:
    """Whether a figure glued to a dash before it is a range's upper end ("40-50%", "10-50 triệu",
    "15-20 lượt"), not an identifier's tail: the whole last word is a number and the dash. Without a
    unit or scale word it is a count range only before its noun, rising from a number that is no
    year or code ("3-1" is a score, "1900-8198" a phone number, "10-12/2023" months)."""
    last = before.rsplit(None, 1)[-1]
    if not _RANGE_LOW_LOW.fullmatch(last):
        return False
    if scale is not None or unit is not None:
        return True
    low_end = _RANGE_LOW_NUMBER_RE.search(last).group()
    return _noun_follows(text, literal_end) and not _YEAR_OR_CODE_RE.fullmatch(low_end) and \
        figure_value(low_end) < figure_value(literal)


def _worded_reading(text, low, start, literal, literal_end, end, scale, kind_of_unit, before, q, g, sentence_of):
    """(kind, rule, change, denominator, consumed_until) of a figure with a scale word or a unit
    other than those of _UNIT_READING; (None, …) for a non-observation.
    Here and below, `low` is the lower-cased text and `before` a window of it."""
    if kind_of_unit == "multiple":
        head = before[:q.start()] if q else before
        for window in (head, before):
            verb = _ends(window, _MULTIPLE_ENDS, True) and _MULTIPLE_LOW.search(window)
            if verb:
                return "multiple", "multiple", _multiple_change(low, window, verb, end), None, 0
        return "count", "count_times", False, None, 0
    if scale:
        if _MONEY_TAIL_LOW.match(low, end) and _MONEY_CUE_LOW.search(_clause_before(low, start)):
            return "money", "money_cue", False, None, 0
        return "count", "count_scaled", False, None, 0
    return _bare_kind(text, low, start, literal, literal_end, before, g, sentence_of)


def _bare_kind(text, low, start, literal, literal_end, before, g, sentence_of):
    fraction = ("," in literal or "." in literal) and not figure_value(literal).is_integer()
    if not fraction and (
            (g & _RANK_STRONG and (_rank_strong(before) or _verbless_rank(text, low, start, before, sentence_of))) or
            (g & _RANK_WEAK and _weak_rank(low, start, before, sentence_of))):   # a rank is never a fraction
        denom = _RANK_DENOM_LOW.match(low, literal_end)
        if denom:
            return "rank", "rank_of_total", False, int(denom.group(1)), denom.end()
        return "rank", "rank", False, None, 0
    if g & _LABEL:
        label = _cue(_LABEL_LOW, before, _LABEL_WORDS)
        if label and not _cue(_LABEL_EXCEPTION_LOW, before, _EXCEPTION_WORDS) and \
                not (_qualifier_word(label.group().strip()) in _GROUP_LABELS and _GROUP_NOUN_LOW.match(low, literal_end)):
            return _NOT_OBSERVED                          # "phiên họp thứ 8" (not "nhóm 50 nước": a count)
    if g & _LABEL_LIST:
        listed = _LABEL_LIST_LOW.search(before)
        # "năm 2023, 2024" lists years; "Năm 2024, 12 xã" is a figure after its year.
        if listed and not (len(listed.group("last")) == 4 and len(literal) != 4):
            return _NOT_OBSERVED
    if _DURATION_LOW.match(low, literal_end) or _RANGED_DURATION_LOW.match(low, literal_end) or \
            (g & _PHONE and _phone_before(before, _PHONE_BEFORE_LOW)):
        return _NOT_OBSERVED                              # "2 năm", "từ 1 đến 2 ngày", a phone number
    if _YEAR_OR_CODE_RE.fullmatch(literal):
        return _NOT_OBSERVED                              # a year, a code or phone fragment
    if fraction and (_NO_NOUN_LOW.match(low, literal_end) or _score_move(low, literal_end)):
        return _NOT_OBSERVED                              # "EGDI đạt 0,7709,", "từ 0,6667 lên 0,7593.": a score
    return "count", "count", False, None, 0


# The helpers below are called only when their gate bit is set (a call costs more than the test).
def _qualifier_match(before: str) -> re.Match | None:
    return _cue(_QUALIFIER_LOW, before, _QUAL_WORDS)


def _gated_qualifier(before: str, g: int) -> re.Match | None:
    """_qualifier_match for a window that passed the _QUAL gate: none after "đạt" unless "ước" is near."""
    if g & _VERB_QUAL:
        for word in _VERB_QUAL_OPENERS:      # a loop, not any(): no generator per figure
            if word in before:
                break
        else:
            return None
    return _qualifier_match(before)


def _rank_strong(before: str) -> bool:
    return bool(_cue(_RANK_STRONG_LOW, before, _CUE_WORDS["rank_strong"]))


def _verbless_rank(text: str, low: str, start: int, before: str, sentence_of) -> bool:
    """"cao thứ 3" (the third highest), or "Thái Lan thứ 52" in a list after "Malaysia đứng thứ 39":
    a "thứ N" whose rank verb is implied. Labels keep theirs: "lần thứ 2", "Kỳ họp thứ 8"."""
    if not _cue(_THU_END_LOW, before, 1):
        return False
    if _cue(_RANK_ADJECTIVE_LOW, before, 2):
        return True
    item = _RANK_LIST_ITEM_LOW.search(low, max(0, start - 60), start)
    if item is None or not text[item.start(1)].isupper():
        return False                                      # an item opens with a name ("Cộng hòa Séc")
    name_end = item.end(1)
    if _cue(_LABEL_LOW, low[item.start(1):name_end], _LABEL_WORDS):
        return False                                      # "Phiên Họp thứ 4" in title case
    s_start, _ = sentence_of(start)
    return bool(_RANK_LIST_HEAD_LOW.search(low, s_start, item.start()))


def _weak_rank(low, start, before, sentence_of) -> bool:
    if not _cue(_RANK_WEAK_LOW, before, _CUE_WORDS["rank_weak"]):
        return False
    s_start, s_end = sentence_of(start)
    return bool(_RANK_CONTEXT_LOW.search(low, s_start, s_end))


def _slash(text, low, start, literal, literal_end, before, g, sentence_of) -> Mention | None:
    """"36/63" (ratio), "thứ 86/193" (rank), "24/4" (a date) or "06/CP" (an identifier)."""
    sm = _SLASH_RE.match(low, literal_end)
    if sm is None or "," in literal or "." in literal and not _THOUSANDS_INT_RE.fullmatch(literal):
        return None                                       # ("12.716/12.815": thousands dots on both sides)
    a, b = int(literal.replace(".", "")), int(sm.group(1).replace(".", ""))
    end = sm.end()
    nxt = low[end:end + 1]
    if nxt and nxt.isalpha():
        return None
    q = _gated_qualifier(before, g) if g & _QUAL else None
    qualifier = _qualifier(low, before, q, end)
    lead = _lead(before, q, start)
    if (g & _RANK_STRONG and _rank_strong(before)) or _cue(_THU_END_LOW, before, 1):
        return Mention(start, end, float(a), b, "rank", qualifier, False, "rank_slash", lead)
    if _cue(_DATE_WORDS_LOW, before, 1) or (1 <= a <= 31 and 1 <= b <= 12 and not (a <= b and _noun_follows(text, end))
                                             and not (a < b and _share_before(before, q))):
        return None
    if 1 <= a <= 31 and 1 <= b <= 12 and "ngày" in before and _named_day(text, low, start, before):
        return None                                       # "Ngày Pháp luật Việt Nam 9/11": its date
    if not 0 < a <= b:
        return None
    change = bool(g & _CHANGE) and _is_change(low, before, end, g) and \
        not (qualifier != "exact" and _compares(before, q))    # "ít hơn 1/3": a threshold
    return Mention(start, end, float(a), b, "ratio", qualifier, change, "ratio", lead)


def _named_day(text: str, low: str, start: int, before: str) -> bool:
    """Whether the day/month at `start` follows the name of a day ("Ngày Quốc tế Lao động 1/5"):
    "Ngày", a capitalised word, words only; not a count after a verb ("Ngày … có 5/8 huyện")."""
    m = _NAMED_DAY_LOW.search(low, max(0, start - 60), start)
    return m is not None and text[m.start()].isupper() and text[m.start(1)].isupper() and \
        not _cue(_QUANTITY_VERB_LOW, before, _CUE_WORDS["quantity_verb"])


def _share_before(before: str, q: re.Match | None) -> bool:
    """"gần 2/3", "chiếm 2/3 GMV": a part of a whole, not a day and month (no date is qualified)."""
    return q is not None or bool(_cue(_FRACTION_LOW, before, 1))


def _multiple_change(low: str, window: str, verb: re.Match, end: int) -> bool:
    """"tăng 5 lần" is a change; "gấp N lần" only against an earlier point (spec: `change`);
    "bằng 25 lần GDP" a size against another thing, "bằng 1,8 lần cùng kỳ" a change (its object
    an earlier time of the same measure)."""
    if verb.group().startswith("bằng"):
        return bool(_EARLIER_TIME_OBJECT_LOW.match(low, end))
    if not verb.group().startswith("gấp") or window[:verb.start()].rstrip().endswith(_CHANGE_VERBS):
        return True                                       # "tăng 5 lần", "tăng gấp 3 lần"
    return bool(_EARLIER_POINT_LOW.match(low[end:end + 60]))


def _percent_change(before: str, g: int) -> bool:
    """A percent that is a change by its verb: "giảm 20%", "cắt giảm 30%", "tăng trưởng 8%"."""
    if g & _PERCENT_CHANGE and _cue(_PERCENT_CHANGE_LOW, before, _CUE_WORDS["percent_change"]):
        return True
    return _GROWTH_WORD in before and bool(_cue(_GROWTH_LOW, before, _CUE_WORDS["growth"]))


def _noun_follows(text: str, pos: int) -> bool:
    # the article as written: islower() of the lower-cased copy would always hold
    return bool(_NOUN_START_RE.match(text[pos:pos + 3])) and text[pos + 1:pos + 2].islower()


def _qualifier(low: str, before: str, q: re.Match | None, end: int, difference: bool = False) -> str:
    """`difference`: the figure's unit measures a difference ("điểm phần trăm", "bậc"), so "thấp
    hơn" and "vượt" before it say by how much, never more or less than."""
    if not q:
        return "exact"
    word = _qualifier_word(q.group(1))
    head = before[:q.start()]
    if word == "hơn":
        comparative = _cue(_COMPARATIVE_LOW, head, 1)
        if comparative:
            return "exact" if difference else _threshold(low, head, comparative, end)
    if word == "trên" and _LOCATIVE_LOW.match(low, end) and \
            not _cue(_QUANTITY_VERB_LOW, head, _CUE_WORDS["quantity_verb"]):
        return "exact"                                    # "ưu tiên trên 12 lĩnh vực": across
    if word == "vượt" and (difference or _EXCEED_BY_LOW.match(low, end)):
        return "exact"                                    # "vượt 15% kế hoạch": by, not more than
    return _QUALIFIER_OF.get(word, "exact")


def _threshold(low: str, head: str, comparative: re.Match, end: int) -> str:
    """"cao hơn 5% so với năm trước", "đạt 45%, cao hơn 2%" compare: by 5% (exact). Without a
    comparison point, "có tỷ lệ thấp hơn 30%" is a threshold: at most 30%."""
    category = _THRESHOLD_OF.get(comparative.group().strip())
    if category is None or _COMPARISON_POINT_LOW.match(low, end) or \
            head[:comparative.start()].rstrip().endswith(","):
        return "exact"
    return category


def _compares(before: str, q: re.Match) -> bool:
    """Whether the qualifier `q` is the "hơn" of a comparative ("thấp hơn")."""
    return _qualifier_word(q.group(1)) == "hơn" and bool(_cue(_COMPARATIVE_LOW, before[:q.start()], 1))


def _qualify_after(low: str, mentions: list[Mention]) -> None:
    """A qualifier written after a figure or its noun, "8% trở lên", "200 lao động trở lên", makes
    an exact figure at least (at most) that. For an article that holds _AFTER_GATE."""
    for mention in mentions:
        end = mention.end
        if mention.qualifier == "exact" and low.find(_AFTER_GATE, end, end + 40) >= 0:
            m = _QUALIFIER_AFTER_LOW.match(low, end)
            if m:
                mention.qualifier = _QUALIFIER_AFTER_OF[_qualifier_word(m.group(1))]


@lru_cache(maxsize=4096)
def _qualifier_word(matched: str) -> str:
    """The lexicon's spelling of a matched qualifier (the same few words and spacings recur)."""
    return _SPACES_RE.sub(" ", matched.lower())


def _lead(before: str, q: re.Match | None, start: int) -> int:
    return start - (len(before) - q.start()) if q else start


def _is_change(low: str, before: str, end: int, g: int) -> bool:
    """For a window that passed the _CHANGE gate."""
    if not (_CHANGE_VERBS[0] in before or _CHANGE_VERBS[1] in before or
            "hơn" in before and any(word in before for word in _COMPARED)):
        return False
    if _cue(_CHANGE_LOW, before, _CUE_WORDS["change"]):
        return True
    return bool(g & _FROM and _cue(_CHANGE_RANGE_LOW, before, _CUE_WORDS["change_range"])
                and _RANGE_AFTER_LOW.match(low[end:end + 8]))


def _clause_before(low: str, start: int) -> str:
    window = low[max(0, start - 120):start]
    cut = max(window.rfind(";"), window.rfind(". "), window.rfind("\n"))
    return window[cut + 1:]


def _spelled(text: str, low: str, masked: bytearray) -> list[Mention]:
    out = []
    for m in _spelled_matches(text):
        if masked[m.start()]:
            continue
        before = low[max(0, m.start() - 40):m.start()]
        if _cue(_SPELLED_NOT_BEFORE_LOW, before, 1):
            continue
        word = m.group(1).lower()
        if word == "năm" and (_cue(_SPELLED_YEAR_LOW, before, 1) or _SPELLED_YEAR_NOUN_LOW.match(low, m.end())):
            continue                      # "trong năm huyện đã …", "là năm đột phá": the year
        value = float(_SPELLED_VALUE[word])
        g = _low_gates(before)
        q = _qualifier_match(before) if g & _QUAL else None
        out.append(Mention(m.start(1), m.end(1), value, None, "count", _qualifier(low, before, q, m.end(1)),
                           bool(g & _CHANGE) and _is_change(low, before, m.end(1), g), "spelled", _lead(before, q, m.start())))
    # Each scan below finds its literal word with str.find (it returns at once when the article
    # has none): "thứ", "gấp", "bậc", "hạng".
    out.extend(_spelled_ranks(low, masked))
    out.extend(_spelled_multiples(low, masked))
    for unit, rx in _STEP_UNITS_LOW:
        out.extend(_spelled_steps(low, masked, rx, unit))
    return out


def _literal_finditer(rx: re.Pattern, low: str, word: str):
    """rx.finditer(low) for a pattern that opens with the literal `word` (no assertion before it):
    a match can start only where `word` does, so trying rx.match at each str.find hit, on from a
    match's end as finditer goes on, finds the same matches. str.find skips to the word about twice
    as fast as the engine's literal-prefix scan, and an `in` gate before it is no longer needed."""
    at = low.find(word)
    while at != -1:
        m = rx.match(low, at)
        if m is None:
            at = low.find(word, at + 1)
        else:
            yield m
            at = low.find(word, m.end())


def _continued(low: str, word: str, end: int) -> bool:
    """Whether the spelled number `word` ending at `end` goes on into a bigger one ("hai mươi")."""
    return bool(_SPELLED_CONTINUED_LOW.match(low, end) or word == "mười" and _SPELLED_AFTER_TEN_LOW.match(low, end))


def _word_start(low: str, at: int) -> bool:
    return not at or not (low[at - 1].isalnum() or low[at - 1] == "_")


def _spelled_ranks(low: str, masked: bytearray) -> list[Mention]:
    """"đứng thứ hai", "xếp thứ nhất", "vị trí thứ ba trong số 26": an ordinal after a rank verb."""
    out = []
    for m in _literal_finditer(_SPELLED_ORDINAL_LOW, low, "thứ"):
        start, end = m.span(1)
        if masked[start] or not _word_start(low, m.start()) or _continued(low, m.group(1), end):
            continue
        if not _cue(_SPELLED_RANK_VERB_LOW, low[max(0, m.start() - 24):m.start()], _SPELLED_RANK_VERB_WORDS) and \
                not _cue(_RANK_ADJECTIVE_LOW, low[max(0, start - 30):start], 2):   # "nhanh thứ hai", as "cao thứ 3"
            continue                      # "lần thứ hai", "phiên họp thứ ba", "Thứ hai,": labels
        denom = _RANK_DENOM_LOW.match(low, end)
        out.append(Mention(start, end, float(_SPELLED_ORDINAL[m.group(1)]), int(denom.group(1)) if denom else None,
                           "rank", "exact", False, "spelled_rank", start, None, denom.end() if denom else 0))
    return out


def _spelled_multiples(low: str, masked: bytearray) -> list[Mention]:
    """"gấp đôi", "gần gấp rưỡi", "gấp hơn ba lần": multiples, changes as "gấp 2 lần" is."""
    out = []
    for m in _literal_finditer(_SPELLED_MULTIPLE_LOW, low, "gấp"):
        start, end = m.start(), m.end()
        word = m.group(2)
        if masked[start] or not _word_start(low, start) or (m.end(2) == end and _continued(low, word, end)):
            continue
        value = _SPELLED_MULTIPLE[word] + (0.5 if m.group(3) else 0.0)
        if m.group(1):                    # "gấp hơn hai lần": the qualifier inside
            before = low[max(0, m.start(2) - 48):m.start(2)]
            q, lead = _qualifier_match(before), start
        else:                             # "gần gấp rưỡi": one before "gấp", if any
            before = low[max(0, start - 48):start]
            q = _qualifier_match(before) if _low_gates(before) & _QUAL else None
            lead = _lead(before, q, start)
        out.append(Mention(start, end, value, None, "multiple", _qualifier(low, before, q, end), True,
                           "spelled_multiple", lead))
    return out


def _spelled_steps(low: str, masked: bytearray, unit_rx: re.Pattern, unit: str) -> list[Mention]:
    """"giảm một bậc", "tăng thêm hai bậc": a move in a ranking (unit_rx: the unit, opening with
    the word `unit`), after a change verb."""
    out = []
    for u in _literal_finditer(unit_rx, low, unit):
        if not _word_start(low, u.start()):
            continue
        before = low[max(0, u.start() - 48):u.start()]
        m = _SPELLED_STEP_BEFORE_LOW.search(before)
        if m is None:
            continue
        offset = u.start() - len(before)
        start = offset + m.start(2)
        if masked[start]:
            continue
        head = before[:m.start(2)]
        q = _qualifier_match(head) if m.group(1) else None
        out.append(Mention(start, u.end(), float(_SPELLED_STEP[m.group(2)]), None, "rank",
                           _qualifier(low, head, q, u.end()), True, "spelled_rank_step", _lead(head, q, start)))
    return out


def _propagate(low: str, mentions: list[Mention]) -> None:
    """Ranges and asides share their neighbour's reading: "từ 10% đến 50%" are both changes when
    the first is; in "tăng 311 (14,5%)" the aside is a change too; "từ 10 đến 50%" are percents."""
    for a, b in zip(mentions, mentions[1:]):
        gap = low[a.end:b.lead]
        if a.change and b.kind == "percent" and not b.change and _CHANGE_PERCENT_GAP_LOW.fullmatch(gap):
            b.change = True                               # "giảm 400 hồ sơ, tương ứng 33,3%": the change in percent
            continue
        if len(gap) > _MAX_GAP and len(gap.strip()) > _MAX_GAP:
            continue                  # none of the gaps below: most neighbours are words apart
        if _RANGE_GAP_LOW.fullmatch(gap):
            if a.kind == "count" and a.scale is None and a.rule == "count" and \
                    (b.kind in ("percent", "money") or b.kind == "count" and b.scale):
                a.kind = b.kind                           # "40-50%", "10 đến 50 triệu đồng"
                a.value = a.value * scale_value(b.scale)
                if a.kind == "percent" and not a.change:
                    window = low[max(0, a.start - 48):a.start]
                    a.change = _percent_change(window, _low_gates(window))
            b.change = b.change or a.change
            if b.qualifier == "exact":
                b.qualifier = a.qualifier                 # "khoảng 40-50%": both about
        elif _PAREN_GAP_RE.fullmatch(gap) and a.change:
            b.change = True
        elif _AND_GAP_LOW.fullmatch(gap) and a.change and a.kind == b.kind == "percent" and \
                not _OWN_PREDICATE_LOW.match(low, b.end):
            b.change = True                               # "giảm 20% số quy định và 20% chi phí"
            # (not "giảm 20% thủ tục và 100% hồ sơ được số hóa": a statement of its own)


__all__ = ["Mention", "find_mentions"]
