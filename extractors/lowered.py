"""The lower-cased text of the article being read, computed once for the stages that scan it.

Why: time expressions (extractors.periods) and spelled-out numbers (extractors.quantities) both
match lower-case patterns on the whole text, which lets the regex engine skip ahead to a literal;
lower-casing a 5,000-character article is a measurable share of their time, so the second asker
gets the first one's copy. One entry, keyed on the very string object: an article is read by
both stages one after the other, and `is` cannot mistake another string for it.

The copy keeps the text's offsets, so that a match in it is a match in the text: `str.lower`
maps each character to one, but for "İ" (U+0130, the only one: tests/test_case_blind.py checks
every code point), which becomes "i" + U+0307. An article with an "İ" (a Turkish name, pasted or
OCR'd text) gets "i" for it — its simple lower case, what the regex engine's case-blind matching
reads it as — instead of a copy whose offsets drift, which the scans could not use.
"""

from __future__ import annotations

_last: tuple[str, str] = ("", "")   # (text, its copy), swapped whole so threads see whole entries


def lowered(text: str) -> str:
    """`text.lower()` with offsets kept ("İ" -> "i"), computed once for the same string object
    asked twice in a row."""
    global _last
    entry = _last
    if entry[0] is text:
        return entry[1]
    low = lower_in_place(text)
    _last = (text, low)
    return low


def lower_in_place(text: str) -> str:
    """`text.lower()`, offset for offset: "İ", which alone lower-cases to two characters, gives
    "i". Not remembered: for short strings (a sentence) read once."""
    low = text.lower()
    if len(low) != len(text):      # an "İ": rare, and only then a second pass
        low = text.replace("İ", "i").lower()
    return low


# The characters str.lower maps otherwise than the regex engine's case-blind matching: "İ" lower-
# cases to two characters, "ı" and "ſ" match "i" and "s". Mapped first, they keep the copy's offsets.
_CASE_BLIND_FIXES = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
_last_case_blind: tuple[str, str] = ("", "")


def case_blind(text: str) -> str:
    """`text` lower-cased so that a lower-case, case-sensitive pattern reads it as the case-blind
    pattern reads `text`, offset for offset (tests/test_speed_quantities.py and
    tests/test_speed_subject_tree.py check every code point). Computed once for the same string
    asked twice in a row (an article's figures ask one after another); most texts hold none of the
    three characters, and then it is `lowered(text)`, the copy the other stages share."""
    global _last_case_blind
    entry = _last_case_blind
    if entry[0] is text:
        return entry[1]
    if "İ" in text or "ı" in text or "ſ" in text:
        copy = text.translate(_CASE_BLIND_FIXES).lower()
    else:
        copy = lowered(text)
    _last_case_blind = (text, copy)
    return copy

