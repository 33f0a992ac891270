"""Splits article text into paragraphs and sentences, keeping character offsets.

Why: the spec scopes time expressions to "the same sentence" (a sentence ends at ". ", "! ",
"? " or a paragraph break; semicolons do not end it), and dedupe/indicator rules look at the
sentence and paragraph around a figure. Offsets let every later stage point back into `body`.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from extractors.lexicon import load

_LEX = load("lexicon")
_PARA_BREAK = re.compile(r"\n\s*\n|\n")
_SENT_END = re.compile(r"[.!?](?=\s)")
# The same ends in a text without "!" or "?" (most articles): a literal the engine jumps to, where
# a character class is tested at every position.
_DOT_END = re.compile(r"\.(?=\s)")
_ABBREV_BEFORE = re.compile(r"(?:^|[\s(])(?:" + "|".join(re.escape(a) for a in _LEX["abbreviations"]) + r")$")
# A dot can only close an abbreviation when the character before it ends one ("TP.", "v.v."): one
# set lookup spares the search at most sentence ends (no paragraph holds a newline for `$`).
_ABBREV_LAST = frozenset(a[-1] for a in _LEX["abbreviations"])


class Span(NamedTuple):
    """A sentence or paragraph. (A named tuple, not a frozen dataclass: one is built per sentence
    of every article, and a frozen dataclass costs several times as much to build.)"""

    start: int
    end: int
    paragraph: int  # index of the paragraph this span lies in


class Segmentation:
    """Sentences and paragraphs of one text, with fast offset lookups."""

    def __init__(self, text: str):
        self.text = text
        self.paragraphs: list[Span] = []
        self.sentences: list[Span] = []
        ends = _SENT_END if ("!" in text or "?" in text) else _DOT_END
        for p_start, p_end in _paragraph_bounds(text):
            index = len(self.paragraphs)
            self.paragraphs.append(Span(p_start, p_end, index))
            for s_start, s_end in _sentence_bounds(text, p_start, p_end, ends):
                self.sentences.append(Span(s_start, s_end, index))
        self._starts = [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Span:
        i = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        return self.sentences[i] if self.sentences else Span(0, len(self.text), 0)

    def paragraph_of(self, sentence: Span) -> Span:
        return self.paragraphs[sentence.paragraph] if self.paragraphs else Span(0, len(self.text), 0)


def _paragraph_bounds(text: str):
    start = 0
    for m in _PARA_BREAK.finditer(text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _sentence_bounds(text: str, start: int, end: int, ends: re.Pattern = _SENT_END):
    cursor = start
    for m in ends.finditer(text, start, end):
        if m.group() == "." and text[m.start() - 1:m.start()] in _ABBREV_LAST and \
                _ABBREV_BEFORE.search(text, max(cursor, m.start() - 8), m.start()):
            continue
        yield cursor, m.end()
        cursor = m.end()
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        yield cursor, end


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings (a convenience for tests and notebooks)."""
    return [text[s.start:s.end] for s in Segmentation(text).sentences]
