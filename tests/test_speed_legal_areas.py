"""The fast paths of legal.py, areas.py and sentences.py (issue 3) give what the plain
computations give.

Each test runs a shortcut and the computation it replaced side by side on many seeded random
texts built from the pieces the patterns are written with (and the characters that trip
case-blind matching or digit classes), so a shortcut that changes an answer fails here.
"""

from __future__ import annotations

import bisect
import random

from extractors import areas, legal, sentences

_GAPS = [" ", " ", "  ", "\t", "\xa0", "", "\n", "\u2003"]
_ODD = ["ı", "İ", "ſ", "K", "٣", "_", ".", "x"]


# --- legal.py -----------------------------------------------------------------------------------

def _plain_references(text: str) -> list[legal.LegalRef]:
    """find_references as it was: one attempt at every digit run `_SYMBOL_RUN_RE` finds."""
    refs, last_end = [], 0
    for run in legal._SYMBOL_RUN_RE.finditer(text):
        if run.start() < last_end:
            continue
        m = legal.SYMBOL_RE.match(text, max(run.start(), run.end() - 5))
        if m is None:
            continue
        last_end = m.end()
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "/.-_"):
            continue
        symbol = legal.normalise_symbol(m.group())
        issued, issued_end = legal._issued(text, m.end())
        before = legal._TYPE_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
        if before:
            word = " ".join(before.group(1).split())
            kind = word[0].upper() + word[1:].lower()
        else:
            kind = legal.TYPE_CODES.get(legal._type_code(m, symbol), "Công văn")
        refs.append(legal.LegalRef(symbol, kind, issued, m.start(), m.end(), issued_end))
    return refs


_NUMBERS = ["1", "45", "123", "12345", "1234567", "06", "٣", "2024", "66.7", "30c", "9.", "x1"]
_AFTER_NUMBER = ["/", "/", "-", " - ", " – ", "–", " ", "", "\xa0-", "\n-\n", "/2020/", "/1999/",
                 "/20/", "/2020", "."]
_CODES = ["NQ", "NĐ-CP", "QĐ-TTg", "TW", "TTLT-BTP-BTC", "QH15", "UBTVQH14", "Đ", "nq", "2", "tỉnh",
          "CP", "BTTTT-CĐSQG", "ĐA", "L", "ABC12", ""]
_TYPE_PHRASES = ["", "", "Nghị định số ", "nghị  quyết số: ", "Luật ", "Pháp lệnh ", "xLuật số ",
                 "THÔNG TƯ LIÊN TỊCH số ", "Thông tư liên tịch ", "ngày 30/6/2024, ", "10/10 huyện, ",
                 "Chương\ntrình số", "Quyết định", "Tờ trình số:", "Kế hoạch  :  "]
_AFTER = ["", " ", ", ", " ngày 12/3/2021", " ban hành ngày 5 tháng 7 năm 2023", "/TW", "-CP",
          ". ", " của Chính phủ", "a", "/2020/NĐ-CP"]


def _legal_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        parts += [rng.choice(_TYPE_PHRASES), rng.choice(_ODD) if rng.random() < 0.1 else "",
                  rng.choice(_NUMBERS), rng.choice(_AFTER_NUMBER), rng.choice(_CODES),
                  rng.choice(["", "/", "-", " – "]), rng.choice(_CODES), rng.choice(_AFTER),
                  rng.choice(_GAPS)]
    return "".join(parts)


def test_runs_tried_only_before_a_symbol_slash_find_what_every_run_finds():
    rng = random.Random(101)
    found = 0
    for _ in range(8000):
        text = _legal_text(rng)
        refs = legal.find_references(text)
        assert refs == _plain_references(text), text
        found += len(refs)
    assert found > 1000


def test_long_digit_runs_and_far_codes_still_reach_their_symbol():
    for text in ["1234567/NQ-CP", "12 - ABCDEFGHIJKLMNOPQRSTUVWXYZĐĐĐĐĐĐ/TW", "57 -NQ/TW",
                 "57- NQ/TW", "57a.123 – NQ/TW", "9" * 40 + "/2020/NĐ-CP", "x/1/2020/NĐ-CP 45/QĐ-TTg",
                 "45/2020/NĐ-CP/NQ-CP 7/2021/QH15"]:
        assert legal.find_references(text) == _plain_references(text), text


_WINDOW_PIECES = [["", "x", "Pháp", "Chương", "Thông tư", "Nghị", "ı", "İ", "_", "1", "ſ", "K"],
                  ["", " ", "  ", "\n", "\xa0"],
                  ["lệnh", "Lệnh", "LỆNH", "trình", "tư liên tịch", "định", "quyết", "luật", "báo cáo",
                   "kế hoạch", "đề  án", "số", "Luật", "Quy chế", "ban", "Tờ trình", "Thông tư"],
                  ["", " ", "\t"],
                  ["", "", "số", "SỐ", "ső", "so", "ſố", "số số"],
                  ["", " ", "  "],
                  ["", ":", "::", " :"],
                  ["", " ", "\n"]]


def test_type_word_read_backwards_is_the_window_search():
    rng = random.Random(103)
    hits = 0
    for _ in range(20000):
        prefix = "".join(rng.choice(p) for p in _WINDOW_PIECES[:2]) * rng.randint(0, 6)
        text = prefix + "".join(rng.choice(p) for p in _WINDOW_PIECES) + "45/NQ-CP"
        start = len(text) - 8
        plain = legal._TYPE_BEFORE_RE.search(text, max(0, start - 40), start)
        assert legal._type_word_before(text, start) == (plain and plain.group(1)), text
        hits += plain is not None
    assert hits > 3000


def test_type_word_at_the_window_edge_sees_the_character_before_it():
    # The 40-character window can start inside "Pháp lệnh" or right after a letter: the search's
    # lookbehind reads one character before the window, the reversed match cannot.
    for word in ["xPháp lệnh", "Pháp lệnh", "Thông tư liên tịch", "xLuật", "Chương trình", "ệnh"]:
        for filler in ["", "x", " ", "_", "1"]:
            for spaces in range(1, 40):
                text = filler * 3 + word + " " * spaces + "số: " + "45/NQ-CP"
                start = len(text) - 8
                plain = legal._TYPE_BEFORE_RE.search(text, max(0, start - 40), start)
                assert legal._type_word_before(text, start) == (plain and plain.group(1)), text


# --- sentences.py -------------------------------------------------------------------------------

def _plain_segmentation(text: str) -> tuple[list[tuple], list[tuple]]:
    """Segmentation as it was: paragraphs first, then each paragraph scanned for its own ends."""
    ends = sentences._SENT_END if ("!" in text or "?" in text) else sentences._DOT_END
    paragraphs, spans, start = [], [], 0
    bounds = []
    for m in sentences._PARA_BREAK.finditer(text):
        if m.start() > start:
            bounds.append((start, m.start()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    for index, (p_start, p_end) in enumerate(bounds):
        paragraphs.append((p_start, p_end, index))
        cursor = p_start
        for m in ends.finditer(text, p_start, p_end):
            dot = m.start()
            if m.group() == "." and sentences._ABBREV_BEFORE.search(text, max(cursor, dot - 8), dot):
                continue
            spans.append((cursor, m.end(), index))
            cursor = m.end()
            while cursor < p_end and text[cursor].isspace():
                cursor += 1
        if cursor < p_end:
            spans.append((cursor, p_end, index))
    return paragraphs, spans


def test_one_scan_for_sentence_ends_splits_as_each_paragraph_scanned_alone():
    rng = random.Random(107)
    bits = ["TP", "TP.", "TP. ", "Tp.", "Th.S", "v.v", "v.v.", "v.v. ", "Q.", "(TS. ", "xTP. ", "hồ sơ.",
            "Đạt 5%. ", "12.597 ", "!", "! ", "? ", "?", ".", ". ", "a", "b.c", " ", "\t", "\xa0", "\r",
            "\u2028", "\n", "\n\n", "\n \n", " \n", "\n\t", ".\n", ". \n\n ", "\u2003"]
    for _ in range(8000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(0, 14)))
        seg = sentences.Segmentation(text)
        paragraphs, spans = _plain_segmentation(text)
        assert [tuple(p) for p in seg.paragraphs] == paragraphs, text
        assert [tuple(s) for s in seg.sentences] == spans, text
        for offset in range(-1, len(text) + 2):
            plain = max(bisect.bisect_right([s[0] for s in spans], offset) - 1, 0)
            want = spans[plain] if spans else (0, len(text), 0)
            assert tuple(seg.sentence_at(offset)) == want, (text, offset)
            assert type(seg.sentence_at(offset)) is sentences.Span


# --- areas.py -----------------------------------------------------------------------------------

def test_comparative_words_read_backwards_are_the_window_search():
    assert areas._NATIONAL_COMPARATIVE_REVERSED_RE is not None   # else the plain search runs
    words = ["dẫn", "đầu", "đứng", "nhất", "so", "với", "bình", "quân", "chung", "của", "CỦA", "Nhất",
             "xcủa", "củax", "ĐẦU", "vơi", "ı", "İ", "ſ", "K", "1", "("]
    rng = random.Random(109)
    hits = 0
    for _ in range(20000):
        text = "".join(rng.choice(words) + rng.choice(_GAPS) for _ in range(rng.randint(1, 9))) + "cả nước"
        start = len(text) - 7
        plain = areas._NATIONAL_COMPARATIVE_RE.search(text, max(0, start - 30), start) is not None
        assert areas._says_comparative_before(text, start) == plain, text
        hits += plain
    assert hits > 1500      # "của" alone no longer counts (lexicon.yaml): 2,026 hits


def test_comparative_word_at_the_window_edge_counts_only_whole():
    for word in ["của", "so với", "dẫn  đầu", "nhất"]:
        for spaces in range(0, 32):
            text = "x" + word + " " * spaces + "cả nước"
            start = len(text) - 7
            plain = areas._NATIONAL_COMPARATIVE_RE.search(text, max(0, start - 30), start) is not None
            assert areas._says_comparative_before(text, start) == plain, text


def test_reversing_refuses_patterns_that_are_not_words_at_the_end():
    assert areas._reversed_words_at_end(r"(?:của|nhất)\s*$") is not None
    for pattern in [r"(?:của|nh.t)\s*$", r"(?:của|nhất)\s*", r"của\s*$", r"(?:của|\bnhất)\s*$",
                    r"(?:c[ủu]a)\s*$"]:
        assert areas._reversed_words_at_end(pattern) is None, pattern


def test_phrases_whose_first_character_starts_no_spelling_are_no_place():
    # A district's name is a place after its designator only ("huyện Diễn Châu").
    names = sorted(areas._SPELLED.keys() - areas._DISTRICT_NAMES) + \
        sorted("huyện " + name for name in areas._DISTRICT_NAMES if name != areas.fold(name))
    rng = random.Random(127)
    places = 0
    for _ in range(3000):
        name = rng.choice(names + ["hồ sơ", "thủ tục", ""])
        phrase = rng.choice(["", "", " ", "(", "x", "İ", "ı", "ſ", "\xa0", "Tỉnh "]) + rng.choice(
            [name, name.lower(), name.upper(), name.replace(" ", "  ")])
        plain = any(a == 0 and b == len(phrase) for a, b, _ in areas.find_places(phrase))
        assert areas.is_place_name(phrase) == plain, phrase
        places += plain
    assert places > 200
