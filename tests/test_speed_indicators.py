"""The indicator catalogue's third round of fast paths (issue 3) gives what the plain regexes give.

indicators.py rewrites the catalogue's patterns so the regex engine can skip ahead to a literal
("\\bnhu\\b" -> "nhu(?<!\\w.{3})\\b"). Each test below runs the rewritten regex and the regex as
written side by side on seeded random texts made of the patterns' own words, word characters
that touch them, and characters that trip matching (newlines, "_", digits, "İıſ"), so a rewrite
that changes an answer fails here, not silently in a release.
"""

from __future__ import annotations

import random
import re

from extractors import indicators
from extractors.lexicon import fold, load_indicators


def _catalogue_patterns() -> list[str]:
    """Every pattern of the catalogue and of its global rules, as `_compile` reads it (folded and
    lower-cased unless raw), before the rewrite."""
    data = load_indicators()
    out = []
    for item in data["indicators"]:
        for entry in (item.get("match") or []) + (item.get("exclude") or []):
            for key, pattern in entry.items():
                out.append(pattern if key.endswith("_raw") else indicators._lower_pattern(fold(pattern)))
    for value in data["rules"].values():
        for pattern in value if isinstance(value, list) else [value]:
            if isinstance(pattern, str):
                out.append(indicators._lower_pattern(fold(pattern)))
    return out


_ADVERSARIAL = [
    r"\bab\b", r"\bab?c", r"\ba*b", r"\bab+", r"\bab{2}", r"\b12\s+x", r"\b_x", r"\bx|\by|z\b",
    r"\b(?:ab|cd)e", r"[|(]\bab|\bcd", r"\\bab", r"\bab\|x", r"(\bab|\bcd)", r"[]|]\bab|\bcd",
    r"[^]|]x|\bab", r"\bcộng\b|\bCổng\b", r"^\bab", r"\bab$", r"\bab(?=c)|\bb",
    r"\b(?:ab|cd)?e", r"\b(?:ab|(?:cd|x))\s*y", r"\b(?:ab|)c", r"\b(?:a|b)+c", r"\b(?:ab|c\)d)e",
    r"\b(?:[)]a|b)c", r"\b(?:ab|\bcd|_x|12)\b", r"x|\b(?:ab\s+cd|c)\b.{0,3}\by", r"\b(?:ab|cd)|\b(?:b|c)",
    r"(?<!x )\bab", r"(?<=x)\b(?:ab|cd)e", r"(?<!\()\bab|(?<=[xy] )\bcd", r"(?<!x)(?<=y)\bab", r"(?<=x|y)\bab",
    r"(?<![(])\bab", r"(?<!Theo )\b(?:Bộ|Tổng cục)\s+[A-ZĐ]", r"(?x)\bab  # x|\bcd", r"(?i)\bab|\bcd",
    r"\b(?i:ab)c|\bcd",
]


def _texts(seed: int, n: int, patterns: list[str]) -> list[str]:
    words = sorted({w for p in patterns for w in re.findall(r"[^\W_]+", p.replace("\\b", " ").replace("\\s", " "))})
    words += ["ab", "cd", "abc", "xab", "_ab", "1ab", "ab_", "ab1", "b", "c", "x", "y", "z", "|", "(", ")",
              "İ", "ı", "ſ", "\n", "cộng", "Cổng", "CỔNG", "12", "e-government", "-", ".", ",",
              "Theo", "theo", "Bộ", "Tổng", "Y"]
    gaps = ["", " ", "  ", "\n", "\t", "\xa0", "_"]
    rng = random.Random(seed)
    return ["".join(rng.choice(words) + rng.choice(gaps) for _ in range(rng.randint(0, 12)))
            for _ in range(n)]


def test_word_first_patterns_match_where_the_patterns_as_written_match():
    patterns = _catalogue_patterns() + _ADVERSARIAL
    rewritten = sum(indicators._word_first(p) != p for p in patterns)
    assert rewritten > 30            # the rewrite does reach the catalogue's patterns
    texts = _texts(61, 1500, patterns)
    matched = 0
    for pattern in patterns:
        plain, fast = re.compile(pattern), re.compile(indicators._word_first(pattern))
        for text in texts:
            a, b = plain.search(text), fast.search(text)
            assert (a and a.span()) == (b and b.span()), (pattern, ascii(text))
            matched += a is not None
    assert matched > 2000


def test_alternatives_split_only_at_top_level_bars():
    assert indicators._alternatives(r"a|b(?:c|d)|[|]e|\|f|[]|]g|[^]|]h") == \
        ["a", "b(?:c|d)", "[|]e", r"\|f", "[]|]g", "[^]|]h"]
    assert indicators._alternatives("") == [""]
    assert indicators._alternatives("a|") == ["a", ""]
    assert indicators._group_end(r"\b(?:a|(b)|[)]|\)|c)d", 2) == 19
    assert indicators._word_first(r"\b(?:ab|c)\s+d|e") == r"ab(?<!\w.{2})\s+d|c(?<!\w.{1})\s+d|e"
    assert indicators._word_first(r"(?<!x )\bab") == r"ab(?<!\w.{2})(?<!(?:x ).{2})"


def _count(before: str, after: str, change: bool = False) -> indicators.Context:
    texts = {"before": before, "after": after, "prefix": before, "sentence": f"{before} 1 {after}",
             "paragraph": f"{before} 1 {after}", "article": f"{before} 1 {after}"}
    return indicators.Context(kind="count", change=change, average=False, qualifier="exact", texts=texts)


def test_an_example_inherits_no_indicator_though_its_example_cue_is_read_late():
    # `assign` asks whether a figure is an example only when it would inherit: the answer must
    # still stop the inheritance ("… như tăng 200 …" is not the change of the cards issued).
    for cue, want in (("sau đó", "chip_id_cards_issued"), ("như", None), ("chẳng hạn", None)):
        contexts = [_count("Tỉnh đã cấp", " thẻ căn cước công dân gắn chíp"),
                    _count(f"{cue} tăng", " so với năm trước", change=True)]
        assert indicators.assign(contexts) == ["chip_id_cards_issued", want], cue
