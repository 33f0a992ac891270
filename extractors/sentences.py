"""Splits article text into paragraphs and sentences, keeping character offsets.

Why: the spec scopes time expressions to "the same sentence" (a sentence ends at ". ", "! ",
"? " or a paragraph break; semicolons do not end it), and dedupe/indicator rules look at the
sentence and paragraph around a figure. Offsets let every later stage point back into `body`.
"""

from __future__ import annotations

import bisect
import functools
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


# The same ends with the blanks after them, where the next sentence starts: a paragraph holds no
# "\n" (every "\n" is in a break), so skipping blanks up to the paragraph's end is skipping "\s"
# other than "\n".
_ENDS_AND_BLANKS = {ends: re.compile(ends.pattern + r"[^\S\n]*") for ends in (_SENT_END, _DOT_END)}
_bisect_right = bisect.bisect_right
# A Span built without the named tuple's generated __new__ (a Python frame per sentence).
_new_span = functools.partial(tuple.__new__, Span)


class Segmentation:
    """Sentences and paragraphs of one text, with fast offset lookups."""

    def __init__(self, text: str):
        self.text = text
        self.paragraphs: list[Span] = []
        self.sentences: list[Span] = []
        # One scan of the whole text for sentence ends, handed out to the paragraphs in order: no
        # end lies in a break. An end at a paragraph's last character (its "\s" the break's "\n",
        # unseen by a scan of the paragraph alone) closes the sentence the paragraph would close.
        ends = _ENDS_AND_BLANKS[_SENT_END if ("!" in text or "?" in text) else _DOT_END]
        ends = [m.span() for m in ends.finditer(text)]
        k = 0
        for p_start, p_end in _paragraph_bounds(text):
            index = len(self.paragraphs)
            self.paragraphs.append(_new_span((p_start, p_end, index)))
            cursor = p_start
            while k < len(ends) and ends[k][0] < p_end:
                dot, after = ends[k]
                k += 1
                if text[dot] == "." and text[dot - 1:dot] in _ABBREV_LAST and \
                        _ABBREV_BEFORE.search(text, max(cursor, dot - 8), dot):
                    continue
                self.sentences.append(_new_span((cursor, dot + 1, index)))
                cursor = after
            if cursor < p_end:
                self.sentences.append(_new_span((cursor, p_end, index)))
        self._starts = [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Span:
        i = _bisect_right(self._starts, offset)   # asked ~60 times an article: no max(), no global
        if i:
            return self.sentences[i - 1]
        return self.sentences[0] if self.sentences else Span(0, len(self.text), 0)

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


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings (a convenience for tests and notebooks)."""
    return [text[s.start:s.end] for s in Segmentation(text).sentences]
