"""The lower-cased text of the article being read, computed once for the stages that scan it.

Why: time expressions (extractors.periods) and spelled-out numbers (extractors.quantities) both
match lower-case patterns on the whole text, which lets the regex engine skip ahead to a literal;
lower-casing a 5,000-character article is a measurable share of their time, so the second asker
gets the first one's copy. One entry, keyed on the very string object: an article is read by
both stages one after the other, and `is` cannot mistake another string for it.
"""

from __future__ import annotations

_last: tuple[str, str] = ("", "")   # (text, text.lower()), swapped whole so threads see whole entries


def lowered(text: str) -> str:
    """`text.lower()`, computed once for the same string object asked twice in a row."""
    global _last
    entry = _last
    if entry[0] is text:
        return entry[1]
    low = text.lower()
    _last = (text, low)
    return low
