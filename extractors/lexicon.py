"""Loads the extraction stage's data files (lexicons, places, indicator catalogue) once.

Why a module of its own: every rule module needs some lexicon, and reading YAML per call would
cost more than the extraction itself. Data lives in YAML so that recognising a new word, place
or indicator is a data change reviewed as such, not a code change.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
INDICATORS_PATH = Path(__file__).resolve().parents[1] / "schemas" / "indicators.yaml"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed YAML file `extractors/data/<name>.yaml`."""
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=None)
def load_indicators() -> dict:
    with open(INDICATORS_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _fold_table() -> dict[int, str]:
    # One base letter per precomposed Vietnamese letter, so folding keeps every offset.
    # "Σ" lower-cases to "ς" or "σ" by its neighbours; folded to "σ" first, any slice of a text
    # folds as the same part of the whole text does (lazy slots rely on it).
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D", ord("Σ"): "σ"}
    for code in range(0x00C0, 0x1EFF + 1):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[code] = base
    return table


FOLD_TABLE = _fold_table()
# The same mapping as a list over every code point up to the end of General Punctuation, each
# character mapped (most to itself). str.translate keeps a character the table lacks only after
# raising and clearing a LookupError for it; in prose most characters need no folding, so the
# sparse table made folding three times slower. This one lacks only the rare characters past its
# end (emoji, CJK), which the same rule keeps.
_FOLD_LIST = [FOLD_TABLE.get(code, chr(code)) for code in range(0x2070)]


def fold(text: str) -> str:
    """`text` without diacritics, same length (offsets stay valid): "Cổng DVC" -> "Cong DVC"."""
    return text.translate(_FOLD_LIST)


def alternation(words, *, boundary: bool = True) -> str:
    """A regex alternation of literal words, longest first, spaces matching any whitespace."""
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts)
    return rf"(?<!\w)(?:{body})(?!\w)" if boundary else f"(?:{body})"


def trie_alternation(words) -> str:
    """The same language as an alternation of `words`, factored as a trie: the engine then tests
    one branch per first character instead of every word at every position (hundreds of place
    names). Longer words win over their prefixes; a space matches any whitespace run."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node) -> str:
        branches = []
        for ch in sorted((k for k in node if k), key=lambda c: (c == " ", c)):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if optional else body

    return emit(trie)


# Every Vietnamese letter with its tone and vowel marks, grouped by base letter.
_VIETNAMESE = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ", "e": "eèéẻẽẹêềếểễệ", "i": "iìíỉĩị", "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự", "y": "yỳýỷỹỵ", "d": "dđ",
}
_VARIANTS = {c: _VIETNAMESE.get(c, c) + _VIETNAMESE.get(c, c).upper() for c in "abcdefghijklmnopqrstuvwxyz"}


def accent_insensitive(pattern: str) -> str:
    """`pattern` (written with or without diacritics) turned into one that matches its words with
    any diacritics or none: every literal letter becomes a class of its variants ("can" ->
    "c[aáàảãạăắ…]n"). Escapes, character classes and group syntax are left alone."""
    folded = fold(pattern)
    out, i, depth = [], 0, 0
    while i < len(folded):
        ch = folded[i]
        if ch == "\\":
            out.append(folded[i:i + 2])
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        elif ch == "(" and folded[i + 1:i + 2] == "?":
            j = i + 2
            while j < len(folded) and folded[j] in "<=!:P":
                j += 1
            out.append(folded[i:j])
            i = j
            continue
        if ch.isascii() and ch.isalpha():
            out.append(_VARIANTS[ch.lower()] if depth else "[" + _VARIANTS[ch.lower()] + "]")
        else:
            out.append(ch)
        i += 1
    return "".join(out)
