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
_SPACE_RE = re.compile(r"[ \t\xa0]+")
_WORD_RE = re.compile(r"\w+(?:-\w+)*")
_DIGIT_RE = re.compile(r"\d")
_PERCENT_RE = re.compile(r"\d[\d.,]*\s*(?:%|phần trăm)\s*$", re.IGNORECASE)
# What ends a clause when reading backwards from the linking verb.
_CLAUSE_BREAK_RE = re.compile(r"[,;:.!?()\[\]|\"“”…\n/]")


def _alternation(phrases) -> str:
    words = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in words)


_STOP_RE = re.compile(rf"(?:{_alternation(_DATA['stop_after'])})(?!\w)", re.IGNORECASE)
_PAIR_RE = re.compile(rf"(?:{_alternation(_DATA['keep_whole'])})(?!\w)", re.IGNORECASE)
_LINK_RE = re.compile(rf"(?<!\w)(?:{_alternation(_DATA['link_before'])})"
                      rf"(?:\s+(?:{_alternation(_DATA['hedges'])}))*\s*$", re.IGNORECASE)
_SKIP_BEFORE = [tuple(p.lower().split()) for p in _DATA["skip_before"]]
_STOP_BEFORE = [tuple(p.lower().split()) for p in _DATA["stop_before"]]
_SHARE_OF = [tuple(p.lower().split()) for p in _DATA["share_of"]]
_CUT_BEFORE_AT = [tuple(p.lower().split()) for p in _DATA["cut_before_at"]]
_DROP_LEADING_BEFORE = [tuple(p.lower().split()) for p in _DATA["drop_leading_before"]]


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
    return any(start == 0 and stop == len(phrase) for start, stop, _ in areas.find_places(phrase))


def _after(text: str, end: int) -> str | None:
    window = text[end:end + _WINDOW]
    words: list[str] = []
    pos = 0
    while len(words) < _MAX_WORDS:
        space = _SPACE_RE.match(window, pos)
        pos = space.end() if space else pos
        pair = _PAIR_RE.match(window, pos)
        if pair:
            words += pair.group().split()
            pos = pair.end()
            continue
        word = _WORD_RE.match(window, pos)
        if not word or _DIGIT_RE.search(word.group()) or _STOP_RE.match(window, pos):
            break
        if words or word.group().lower() not in _DROP_LEADING:
            words.append(word.group())
        pos = word.end()
    return " ".join(words[:_MAX_WORDS]) or None


def _before_link(text: str, end: int) -> str | None:
    head = text[max(0, end - _WINDOW):end]
    figure = _PERCENT_RE.search(head)
    if figure is None:
        return None
    link = _LINK_RE.search(head, 0, figure.start())
    if link is None:
        return None
    clause = head[:link.start()]
    breaks = list(_CLAUSE_BREAK_RE.finditer(clause))
    words = _WORD_RE.findall(clause[breaks[-1].end() if breaks else 0:])
    n = _numerator_end(words)
    while (k := _ends_with(words, n, _SKIP_BEFORE)):
        n -= k
    start = n
    while start > 0 and not _DIGIT_RE.search(words[start - 1]) and not _ends_with(words, start, _STOP_BEFORE):
        start -= 1
    while start < n and (k := _starts_with(words, start, _DROP_LEADING_BEFORE)):
        start += k
    n = next((i for i in range(start, n) if _starts_with(words, i, _CUT_BEFORE_AT)), n)
    # Vietnamese puts the head noun first: a long phrase keeps its first words.
    return " ".join(words[start:n][:_MAX_WORDS]) or None


def _numerator_end(words: list[str]) -> int:
    """Where the numerator of "tỷ lệ X trên tổng số Y" ends; the whole clause when it is no share."""
    for i in range(len(words), 0, -1):
        if _starts_with(words, i - 1, _SHARE_OF):
            return i - 1
    return len(words)


def _starts_with(words: list[str], i: int, phrases: list[tuple[str, ...]]) -> int:
    """Length of the longest phrase of `phrases` that words[i:] starts with, else 0."""
    lowered = tuple(w.lower() for w in words[i:i + 4])
    return max((len(p) for p in phrases if lowered[:len(p)] == p), default=0)


def _ends_with(words: list[str], i: int, phrases: list[tuple[str, ...]]) -> int:
    """Length of the longest phrase of `phrases` that words[:i] ends with, else 0."""
    lowered = tuple(w.lower() for w in words[max(0, i - 4):i])
    return max((len(p) for p in phrases if len(p) <= len(lowered) and lowered[len(lowered) - len(p):] == p),
               default=0)
