"""The noun phrase a figure counts — its `subject` ("83,76 triệu | thẻ căn cước công dân gắn chíp").

Why: a value without what it counts cannot be read on its own, and most figures fit no indicator
of the catalogue, so `indicator` alone leaves them unexplained. Vietnamese puts the counted noun
right after the number (and after "%"), and ends it with a verb, a preposition or punctuation;
a percent with nothing after it ("tỷ lệ … đạt 100%;") names its subject before the verb that
links it to the figure. Both readings are word lists in extractors/data/subjects.yaml, so a
missed verb is a data fix. A phrase that is only a place is no subject (the place is `area`).
Choices (money has none, pairs like "bộ, ngành" stay whole) are recorded in extractors/README.md.
"""

from __future__ import annotations

import re

from extractors import areas
from extractors.lexicon import load

_DATA = load("subjects")
_MAX_WORDS = int(_DATA["max_words"])
_WINDOW = int(_DATA["window"])
_NO_SUBJECT = frozenset(_DATA["no_subject_kinds"])
_DROP_LEADING = frozenset(_DATA["drop_leading"])
_WORD_RE = re.compile(r"\w+(?:-\w+)*")
_SPACED_WORD_RE = re.compile(r"[ \t\xa0]*(\w+(?:-\w+)*)")   # the spaces before a word and the word: one match
_DIGIT_RE = re.compile(r"\d")
_PERCENT_RE = re.compile(r"\d[\d.,]*\s*(?:%|phần trăm)\s*$", re.IGNORECASE)
# What ends a clause when reading backwards from the linking verb.
_CLAUSE_BREAK_RE = re.compile(r"[,;:.!?()\[\]|\"“”…\n/]")
# Everything up to the last clause break: `.*` runs to the end and backs off to the last one.
_UP_TO_LAST_BREAK_RE = re.compile(r".*" + _CLAUSE_BREAK_RE.pattern, re.DOTALL)


def _alternation(phrases) -> str:
    words = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in words)


_STOP_RE = re.compile(rf"(?:{_alternation(_DATA['stop_after'])})(?!\w)", re.IGNORECASE)
_PAIR_RE = re.compile(rf"(?:{_alternation(_DATA['keep_whole'])})(?!\w)", re.IGNORECASE)
_PAIR_FIRST = frozenset(re.match(r"\w+", p).group().lower() for p in _DATA["keep_whole"])
_STOP_FIRST = frozenset(re.match(r"\w+", p).group().lower() for p in _DATA["stop_after"])
_LINK_RE = re.compile(rf"(?<!\w)(?:{_alternation(_DATA['link_before'])})"
                      rf"(?:\s+(?:{_alternation(_DATA['hedges'])}))*\s*$", re.IGNORECASE)
# A text _LINK_RE matches ends, spaces aside, with the last word of a link or a hedge phrase.
_LINK_LAST = tuple({p.split()[-1].lower() for p in _DATA["link_before"] + _DATA["hedges"]})
_SKIP_BEFORE = [tuple(p.lower().split()) for p in _DATA["skip_before"]]
_STOP_BEFORE = [tuple(p.lower().split()) for p in _DATA["stop_before"]]
_SHARE_OF = [tuple(p.lower().split()) for p in _DATA["share_of"]]
_SHARE_OF_FIRST = frozenset(p[0] for p in _SHARE_OF)   # a cheap test before the phrase test
_CUT_BEFORE_AT = [tuple(p.lower().split()) for p in _DATA["cut_before_at"]]
_DROP_LEADING_BEFORE = [tuple(p.lower().split()) for p in _DATA["drop_leading_before"]]
# Last words of those phrases: a word that ends none of them needs no phrase test.
_SKIP_LAST = frozenset(p[-1] for p in _SKIP_BEFORE if p)
_STOP_LAST = frozenset(p[-1] for p in _STOP_BEFORE if p)


def subject(text: str, end: int, kind: str) -> str | None:
    """The noun phrase after the figure ending at `end` in `text` (for a percent with none after
    it, the phrase before its linking verb "đạt / chiếm / là"), or None when there is none."""
    if kind in _NO_SUBJECT or end < 0 or end > len(text):
        return None
    found = _after(text, end)
    if found is None and kind == "percent":
        found = _before_link(text, end)
    if found and _is_place(found):   # "Bắc Giang đạt 87,6%": a place, said in `area`
        return None
    return found


def _is_place(phrase: str) -> bool:
    return areas.is_place_name(phrase)


def _after(text: str, end: int) -> str | None:
    limit = end + _WINDOW      # the window ends here; no pattern below looks behind its start
    words: list[str] = []
    pos = end
    while len(words) < _MAX_WORDS:
        word = _SPACED_WORD_RE.match(text, pos, limit)
        if word is None:
            break                 # no word, so no pair either: every pair starts with a word
        pos = word.start(1)
        w = word.group(1)
        pair_first, numeric, stop_first, leading = _word_info(w)
        if pair_first:
            pair = _PAIR_RE.match(text, pos, limit)
            if pair:
                words += pair.group().split()
                pos = pair.end()
                continue
        if numeric or (stop_first and _STOP_RE.match(text, pos, limit)):
            break
        if words or not leading:
            words.append(w)
        pos = word.end()
    return " ".join(words[:_MAX_WORDS]) or None


_ANY = object()
# Letters the regex engine's case-blind matching equates with a letter of a word list although
# str.lower does not ("ı" matches "i", "ſ" "s", "İ" lower-cases to two characters): words with
# them take the regex.
_CASE_ODD = frozenset("ıſİẛ")
# word -> what _after asks of it (see _word_info). News reuses a few thousand syllables, so each
# is read once instead of at every figure; cleared when full, so it cannot grow without bound.
_WORD_INFO: dict = {}
_WORD_INFO_MAX = 50_000


def _word_info(w: str) -> tuple[bool, bool, bool, bool]:
    """(may start a pair?, a number-like word that ends the subject?, may start a stop phrase?,
    a leading word that is dropped?). Every pair and stop phrase starts with a whole word: a word
    that starts none of them needs neither regex (a set lookup instead of two alternations)."""
    info = _WORD_INFO.get(w)
    if info is None:
        if len(_WORD_INFO) >= _WORD_INFO_MAX:
            _WORD_INFO.clear()
        head = _head(w)
        info = _WORD_INFO[w] = (head is _ANY or head in _PAIR_FIRST,
                                not w.isalpha() and _DIGIT_RE.search(w) is not None,
                                head is _ANY or head in _STOP_FIRST,
                                w.lower() in _DROP_LEADING)
    return info


def _head(word: str):
    """The first run of word characters of `word`, lower-cased (or _ANY: ask the regex)."""
    head = word.split("-", 1)[0]
    return _ANY if not _CASE_ODD.isdisjoint(head) else head.lower()


def _before_link(text: str, end: int) -> str | None:
    head = text[max(0, end - _WINDOW):end]
    figure = _PERCENT_RE.search(head)
    if figure is None:
        return None
    if not _may_link(head[:figure.start()]):
        return None
    link = _LINK_RE.search(head, 0, figure.start())
    if link is None:
        return None
    clause = head[:link.start()]
    last_break = _UP_TO_LAST_BREAK_RE.match(clause)
    words = _WORD_RE.findall(clause[last_break.end() if last_break else 0:])
    low = [w.lower() for w in words]     # lower-cased once: every phrase test below reads them
    n = _numerator_end(low)
    while (k := _ends_with(low, n, _SKIP_BEFORE, _SKIP_LAST)):
        n -= k
    start = n
    while start > 0 and not _DIGIT_RE.search(words[start - 1]) and not _ends_with(low, start, _STOP_BEFORE, _STOP_LAST):
        start -= 1
    while start < n and (k := _starts_with(low, start, _DROP_LEADING_BEFORE)):
        start += k
    n = next((i for i in range(start, n) if _starts_with(low, i, _CUT_BEFORE_AT)), n)
    # Vietnamese puts the head noun first: a long phrase keeps its first words.
    return " ".join(words[start:n][:_MAX_WORDS]) or None


def _may_link(text: str) -> bool:
    """False only when _LINK_RE cannot match at the end of `text` (a set of last words decides,
    unless the tail holds letters that case-blind matching and str.lower read apart)."""
    tail = text.rstrip()[-16:]
    if not _CASE_ODD.isdisjoint(tail):
        return True
    return tail.lower().endswith(_LINK_LAST)


def _numerator_end(low: list[str]) -> int:
    """Where the numerator of "tỷ lệ X trên tổng số Y" ends; the whole clause when it is no share."""
    for i in range(len(low), 0, -1):
        if low[i - 1] in _SHARE_OF_FIRST and _starts_with(low, i - 1, _SHARE_OF):
            return i - 1
    return len(low)


def _starts_with(low: list[str], i: int, phrases: list[tuple[str, ...]]) -> int:
    """Length of the longest phrase of `phrases` that low[i:] starts with, else 0 (`low`: the
    words lower-cased)."""
    head = tuple(low[i:i + 4])
    return max((len(p) for p in phrases if head[:len(p)] == p), default=0)


def _ends_with(low: list[str], i: int, phrases: list[tuple[str, ...]], last_words: frozenset) -> int:
    """Length of the longest phrase of `phrases` (whose last words are `last_words`) that low[:i]
    ends with, else 0."""
    if not i or low[i - 1] not in last_words:
        return 0                          # no phrase ends with this word: a set lookup decides
    tail = tuple(low[max(0, i - 4):i])
    return max((len(p) for p in phrases if len(p) <= len(tail) and tail[len(tail) - len(p):] == p),
               default=0)
