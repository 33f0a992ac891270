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
from extractors.lexicon import load, trie_alternation
from extractors.lowered import case_blind

_DATA = load("subjects")
_MAX_WORDS = int(_DATA["max_words"])
_WINDOW = int(_DATA["window"])
_NO_SUBJECT = frozenset(_DATA["no_subject_kinds"])
_DROP_LEADING = frozenset(_DATA["drop_leading"])
_WORD_RE = re.compile(r"\w+(?:-\w+)*")
_DIGIT_RE = re.compile(r"\d")
# What ends a clause when reading backwards from the linking verb.
_CLAUSE_BREAKS = r",;:.!?()\[\]|\"“”…\n/"


def _alternation(phrases) -> str:
    words = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in words)


def _tree(phrases) -> str:
    """The alternation of `phrases` (lower-case words; any whitespace between them) as a regex
    tree (lexicon.trie_alternation): "đã|đang|được" -> "đ(?:ã|ang|ược)". The engine tries an
    alternation's branches one by one; a tree asks each character once instead of once per phrase
    (_AFTER_RE's match took 1.4x as long over flat alternations)."""
    return trie_alternation(" ".join(p.split()) for p in phrases)


def _backwards(phrases) -> list[str]:
    """The phrases spelled backwards, letters and words: "chưa đến" -> "nếđ aưhc"."""
    return [p[::-1] for p in phrases]


# A percent with nothing after it, read back from its end ("tỷ lệ hồ sơ | đạt khoảng | 64,8%"): the
# figure, its linking verb (and hedges) right before it, the clause before that back to its last
# break. Each part ends where the next begins, so on the reversed window they are one anchored
# match; read forwards they were three searches, each trying every position of the window. Exact
# because a link match ending at the figure is unique (no word after a link phrase's first, nor a
# hedge word, starts a link phrase: tests/test_speed_subjects.py checks the lists), so the one found
# backwards is the leftmost one a forward search finds.
_BACKWARDS_RE = re.compile(
    rf"\s*(?:%|{re.escape('phần trăm'[::-1])})\s*[\d.,]*\d"            # the figure
    rf"\s*(?:(?:{_alternation(_backwards(_DATA['hedges']))})\s+)*"       # hedges ("khoảng")
    rf"(?:{_alternation(_backwards(_DATA['link_before']))})(?!\w)"        # the link ("đạt")
    rf"([^{_CLAUSE_BREAKS}]*)", re.IGNORECASE)                          # the clause
_SKIP_BEFORE = [tuple(p.lower().split()) for p in _DATA["skip_before"]]
_STOP_BEFORE = [tuple(p.lower().split()) for p in _DATA["stop_before"]]
_SHARE_OF = [tuple(p.lower().split()) for p in _DATA["share_of"]]
_CUT_BEFORE_AT = [tuple(p.lower().split()) for p in _DATA["cut_before_at"]]
_DROP_LEADING_BEFORE = [tuple(p.lower().split()) for p in _DATA["drop_leading_before"]]
# First (last) words of those phrases: a word that starts (ends) none of them needs no phrase test.
_SHARE_OF_FIRST = frozenset(p[0] for p in _SHARE_OF if p)
_CUT_FIRST = frozenset(p[0] for p in _CUT_BEFORE_AT if p)
_DROP_LEADING_FIRST = frozenset(p[0] for p in _DROP_LEADING_BEFORE if p)
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
    if found and areas.is_place_name(found):   # "Bắc Giang đạt 87,6%": a place, said in `area`
        return None
    return found


def _after(text: str, end: int) -> str | None:
    # The window ends at end + _WINDOW: the match may not read past it (a word cut there ends there).
    stop = _AFTER_RE.match(_lower_copy(text), end, end + _WINDOW).end()
    if stop == end:
        return None           # a stop, a digit or punctuation right after the figure (a third of them)
    words = text[end:stop].split()     # the copy keeps offsets; the words keep their case
    drop = 0
    while drop < len(words) and words[drop].lower() in _DROP_LEADING:
        drop += 1           # leading words only: a pair never starts with one (a test checks it)
    return " ".join(words[drop:drop + _MAX_WORDS]) or None


# The reading after a figure, as one match on the lower-cased copy: a run of tokens, each a pair
# kept whole, or a word that holds no digit and opens no stop phrase; the first other token ends
# it. The pairs come first, as the word-by-word reading tried them (tests/test_speed_subject_tree.py
# compares the two). Possessive: a token is read one way only, so a failed one is not re-tried.
_AFTER_RE = re.compile(
    rf"(?:[ \t\xa0]*+(?:"
    rf"{_tree(p.lower() for p in _DATA['keep_whole'])}(?!\w)"             # "bộ, ngành"
    rf"|(?!{_tree(p.lower() for p in _DATA['stop_after'])}(?!\w))"        # or no stop phrase, and
    rf"[^\W\d]++(?:-[^\W\d]++)*+(?!-?\w)"                               # a word without digits
    rf"))*+")
_lower_copy = case_blind     # what _AFTER_RE reads: the article lower-cased, offsets kept


def _before_link(text: str, end: int) -> str | None:
    found = _BACKWARDS_RE.match(text[max(0, end - _WINDOW):end][::-1])
    if found is None:
        return None
    # Reversed index i is text index end - 1 - i: the clause is text[end - its end:end - its start].
    words = _WORD_RE.findall(text, end - found.end(1), end - found.start(1))
    low = [w.lower() for w in words]     # lower-cased once: every phrase test below reads them
    n = _numerator_end(low)
    while (k := _ends_with(low, n, _SKIP_BEFORE, _SKIP_LAST)):
        n -= k
    start = n
    while start > 0 and not _has_digit(words[start - 1]) and not _ends_with(low, start, _STOP_BEFORE, _STOP_LAST):
        start -= 1
    while start < n and (k := _starts_with(low, start, _DROP_LEADING_BEFORE, _DROP_LEADING_FIRST)):
        start += k
    n = next((i for i in range(start, n) if _starts_with(low, i, _CUT_BEFORE_AT, _CUT_FIRST)), n)
    # Vietnamese puts the head noun first: a long phrase keeps its first words.
    return " ".join(words[start:n][:_MAX_WORDS]) or None


def _has_digit(word: str) -> bool:
    return not word.isalpha() and _DIGIT_RE.search(word) is not None   # all letters: no digit, no regex


def _numerator_end(low: list[str]) -> int:
    """Where the numerator of "tỷ lệ X trên tổng số Y" ends; the whole clause when it is no share."""
    for i in range(len(low), 0, -1):
        if low[i - 1] in _SHARE_OF_FIRST and _starts_with(low, i - 1, _SHARE_OF, _SHARE_OF_FIRST):
            return i - 1
    return len(low)


def _starts_with(low: list[str], i: int, phrases: list[tuple[str, ...]], first_words: frozenset) -> int:
    """Length of the longest phrase of `phrases` (whose first words are `first_words`) that low[i:]
    starts with, else 0 (`low`: the words lower-cased)."""
    if i >= len(low) or low[i] not in first_words:
        return 0                          # no phrase starts with this word: a set lookup decides
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
