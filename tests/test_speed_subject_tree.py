"""Round 2 of issue 3's speed work on subjects.py and periods.py reads what the plain readings read.

subjects._after is one match of a regex tree on a lower-cased copy of the article, where it was a
per-word loop over two case-blind alternations; periods.find_time_expressions answers at once for
a text holding none of the cues its patterns read. Each test runs the shortcut against the plain
computation (the alternations as written, the loop as first written) on seeded random texts made of
the very words the patterns are written with and of the characters that trip case-blind matching,
so a shortcut that changes an answer fails here.
"""

from __future__ import annotations

import random
import re
import sys

from extractors import subjects
from extractors.lexicon import load
from tests.test_extract_fast_paths import _plain_subject_after

_DATA = load("subjects")
_GAPS = [" ", " ", " ", "  ", "\t", "\xa0", "", "\n", "\u2003", ", "]
_ODD = ["ı", "İ", "ſ", "ẛ", "K", "Σ", "ς", "ǅ", "ﬁ", "\u0307", "٣", "²"]


def _cased_code_points() -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
            and (chr(c).lower() != chr(c) or chr(c).upper() != chr(c) or chr(c).casefold() != chr(c))]


def test_the_lower_copy_reads_as_case_blind_matching_on_every_code_point():
    # The tree is matched case-sensitively on the copy; the phrases as written, case-blind, on the
    # text. Only cased characters can read differently: each against every letter of the phrases
    # and the classes the tree uses.
    letters = {c for key in ("stop_after", "keep_whole") for p in _DATA[key] for c in p if not c.isspace()}
    assert {"đ", "ư", "ợ", ","} <= letters
    for ch in _cased_code_points():
        copy = subjects._lower_copy(ch)
        assert len(copy) == 1, hex(ord(ch))
        for cls in (r"\w", r"\d", r"\s", r"[^\W\d]"):
            assert bool(re.fullmatch(cls, ch)) == bool(re.fullmatch(cls, copy)), (hex(ord(ch)), cls)
        for c in letters:
            assert bool(re.fullmatch(re.escape(c), ch, re.IGNORECASE)) == (copy == c), (hex(ord(ch)), c)


def test_the_lower_copy_keeps_offsets_and_is_made_once_per_text():
    for text in ("Năm 2024 TĂNG 5%", "İstanbul ı ſ", "ĐƯỢC"):
        copy = subjects._lower_copy(text)
        assert len(copy) == len(text) and subjects._lower_copy(text) is copy


def test_a_phrase_tree_matches_what_its_alternation_matches():
    for seed, key in enumerate(("stop_after", "keep_whole", "hedges", "cut_before_at")):
        phrases = [p.lower() for p in _DATA[key]]
        tree = re.compile(rf"(?:{subjects._tree(phrases)})(?!\w)")
        flat = re.compile(rf"(?:{subjects._alternation(phrases)})(?!\w)")
        vocab = phrases + [w for p in phrases for w in p.split()] + [p + "x" for p in phrases] + ["x", ",", "-", "1"]
        rng = random.Random(seed)
        hits = 0
        for _ in range(3000):
            text = "".join(rng.choice(vocab) + rng.choice(_GAPS) for _ in range(rng.randint(1, 6)))
            for pos in range(len(text)):
                fast, plain = tree.match(text, pos), flat.match(text, pos)
                assert (fast and fast.end()) == (plain and plain.end()), (key, text, pos)
                hits += plain is not None
        assert hits > 1000, key


def test_no_leading_word_dropped_is_a_stop_or_starts_a_pair():
    # _after drops leading words after the match, from its words: that is the loop's reading only
    # if such a word never ends the subject and never opens a pair.
    firsts = {p.lower().split()[0].rstrip(",") for key in ("stop_after", "keep_whole") for p in _DATA[key]}
    assert firsts.isdisjoint(_DATA["drop_leading"])


def test_subject_after_a_figure_is_the_word_by_word_reading():
    words = [*_DATA["stop_after"], *_DATA["keep_whole"], *_DATA["drop_leading"]]
    vocab = (words + [w.upper() for w in words] + [w.title() for w in words] + [w + "-x" for w in words]
             + ["x-" + w for w in words] + [w.replace(" ", "  ") for w in words]
             + [w.replace(", ", ",\n") for w in words] + _ODD
             + ["hồ sơ", "thẻ căn cước", "doanh nghiệp", "12", "x1", "1x", "a-1", "-", "_", "%", ";", "x" * 50])
    rng = random.Random(211)
    nonempty = 0
    for _ in range(1500):
        text = "".join(rng.choice(vocab) + rng.choice(_GAPS) for _ in range(rng.randint(1, 40)))
        for end in (0, rng.randint(0, len(text)), len(text)):
            fast = subjects._after(text, end)
            assert fast == _plain_subject_after(text, end), (end, text)
            nonempty += fast is not None
    assert nonempty > 1200


def test_every_time_expression_reads_a_cue_of_the_gate():
    # find_time_expressions answers [] at once for a text where _ANY_CUE_RE finds nothing: exact
    # only if every match of every pattern holds one of its cues.
    from extractors import periods
    from tests.test_speed_periods import _PIECES, _texts
    pieces = _PIECES + ["NAY", "Quý", "nửa đầu năm", "đầu năm nay", "năm nay", "quý iv", "thời điểm này",
                        "hiện tại", "hôm", "x", "giai đoạn 2021 - 2025", "giai đoạn 2016–2020"]
    found = dict.fromkeys(name for name, _ in periods._COMPILED)
    for text in _texts(223, 6000, pieces):
        low = text.lower()
        for name, rx in periods._COMPILED:
            for m in rx.finditer(low if len(low) == len(text) else text):
                assert periods._ANY_CUE_RE.search(m.group()), (name, m.group())
                found[name] = True
        if not periods._ANY_CUE_RE.search(low):
            assert periods.find_time_expressions(text, periods.date(2024, 6, 1)) == []
    assert all(found.values()), found
