"""The number, period, legal-symbol and sentence fast paths read what the plain scans read.

Issue 3's speed work replaced general computations with cheaper ones that must give the very same
answer: cue searches that start at the last few words of a window, one table lookup for all the
end-word gates of a figure, one regex for a numeral with its tail (and the not-a-quantity check),
a single C scan for digit runs that can start a legal symbol, a bound on the gaps between figures,
coverage arrays for excluded spans. Each test runs the shortcut and the plain computation side by
side on many seeded random inputs built from the words the patterns are made of (with the
characters that trip case-blind matching: "ı", "ſ", "İ"), so a shortcut that drifts fails here.
"""

from __future__ import annotations

import random
import re

import pytest

from extractors import legal, numbers, periods, quantities, sentences
from extractors.lexicon import load
from extractors.lowered import lowered
from tests.test_extract_fast_paths import _plain_symbol_spans

_LEX = load("lexicon")
_CUE_WORDS = sorted({
    *(w for words in _LEX["qualifiers"].values() for w in words), *_LEX["label_before"],
    *(w for words in _LEX["verb_qualifiers"].values() for w in words),
    *_LEX["label_exceptions"], "tăng", "giảm", "cao hơn", "thấp hơn", "nhiều hơn", "thêm được", "mạnh",
    "nhanh", "từ", "gấp", "xấp xỉ", "đứng", "xếp hạng", "vị trí", "thứ", "số", "top", "lên", "xuống",
    "tụt", "hotline", "điện thoại", "Tổng đài", "số máy", "fax", "đường dây nóng", "cắt giảm", "cắt",
    "đơn giản hóa", ", đơn giản hóa", "và", "hoặc", "VÀ", "Tăng", "GIẢM", "hồ sơ", "đạt", "ĐT", "có", "là",
    "được", "tiếp nhận", "cao", "nhiều", "12", "3", ",", "-", "–", ":", ".", "(", "(tăng", "x-", "ngày",
    "tháng", "năm", "lần", "trong", "tính đến hết", "kể từ", "chỉ trong", "ſố", "thứ İ", "lı", "TĂNG",
    # the longest matches each cue allows, so a word budget one too small fails
    "tăng mạnh từ", "giảm 3 bậc từ", "tăng a b c d từ", "tăng thêm được ước tính khoảng",
    "cao hơn thêm được không vượt quá", "cắt giảm , đơn giản hóa được ước tính trên", "xếp hạng thứ",
    "đường dây nóng :", "phiên họp", "thí điểm", "vị trí thứ", "lên vị trí", "ít nhất là",
})
_GAPS = [" ", " ", " ", "  ", "\t", "\xa0", "", "\n", " \n"]


def _windows(seed: int, n: int, size: int = 48) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(_CUE_WORDS) + rng.choice(_GAPS) for _ in range(rng.randint(1, 9))]
        out.append("".join(parts)[-size:])
    return out


_CUES = [(name, getattr(quantities, attr), words) for name, attr, words in [
    ("qualifier", "_QUALIFIER_RE", quantities._QUAL_WORDS),
    ("label", "_LABEL_RE", quantities._LABEL_WORDS),
    ("label_exception", "_LABEL_EXCEPTION_RE", quantities._EXCEPTION_WORDS),
    ("change", "_CHANGE_RE", quantities._CUE_WORDS["change"]),
    ("change_range", "_CHANGE_RANGE_RE", quantities._CUE_WORDS["change_range"]),
    ("percent_change", "_PERCENT_CHANGE_RE", quantities._CUE_WORDS["percent_change"]),
    ("rank_strong", "_RANK_STRONG_RE", quantities._CUE_WORDS["rank_strong"]),
    ("rank_weak", "_RANK_WEAK_RE", quantities._CUE_WORDS["rank_weak"]),
    ("phone", "_PHONE_BEFORE_RE", quantities._CUE_WORDS["phone"]),
    ("quantity_verb", "_QUANTITY_VERB_RE", quantities._CUE_WORDS["quantity_verb"]),
    ("comparative", "_COMPARATIVE_RE", 1),
    ("date_words", "_DATE_WORDS_RE", 1),
    ("thu_end", "_THU_END_RE", 1),
    ("spelled_not_before", "_SPELLED_NOT_BEFORE_RE", 1),
]]


def _reading(m: re.Match | None):
    return None if m is None else (m.span(), m.groups())


@pytest.mark.parametrize("name, rx, words", _CUES, ids=[c[0] for c in _CUES])
def test_a_cue_searched_from_its_last_words_is_the_whole_window_search(name, rx, words):
    matched = 0
    for window in _windows(31, 3000) + _windows(32, 1000, size=24):
        plain = rx.search(window)
        assert _reading(quantities._cue(rx, window, words)) == _reading(plain), (name, window)
        matched += plain is not None
    assert matched > 10, name        # the random windows do exercise the cue


def test_the_longest_tinh_gian_cut_fits_the_percent_change_budget():
    rx, words = quantities._PERCENT_CHANGE_RE, quantities._CUE_WORDS["percent_change"]
    for window in ("các sở tinh giản , đơn giản hóa được ước tính trên ", "phải tinh giản\xa0tối thiểu ",
                   "x TINH GIẢN được ít nhất là "):
        assert rx.search(window) and _reading(quantities._cue(rx, window, words)) == _reading(rx.search(window))


def test_a_cue_with_fewer_words_than_its_budget_searches_the_whole_window():
    rx = quantities._QUALIFIER_RE
    assert quantities._cue(rx, "(khoảng ", 3).span() == rx.search("(khoảng ").span()
    assert quantities._cue(rx, "", 3) is None


def test_gate_bits_are_the_end_word_gates_one_by_one():
    for window in _windows(37, 4000) + ["", "   ", "x", "ı ", "hơn İ "]:
        bits = quantities._gates(window)
        for i, (ends, spaced) in enumerate(quantities._GATE_WORDS):
            assert bool(bits & (1 << i)) == quantities._ends(window, ends, spaced), (window, ends)


def test_gate_bits_never_reject_a_cue_match():
    gated = [(quantities._QUAL, quantities._QUALIFIER_RE), (quantities._LABEL, quantities._LABEL_RE),
             (quantities._LABEL_LIST, quantities._LABEL_LIST_RE), (quantities._CHANGE, quantities._CHANGE_RE),
             (quantities._FROM, quantities._CHANGE_RANGE_RE),
             (quantities._PERCENT_CHANGE, quantities._PERCENT_CHANGE_RE),
             (quantities._RANK_STRONG, quantities._RANK_STRONG_RE), (quantities._RANK_WEAK, quantities._RANK_WEAK_RE)]
    for window in _windows(41, 4000):
        bits = quantities._gates(window)
        for bit, rx in gated:
            if rx.search(window):
                assert bits & bit, (rx.pattern[:50], window)


_NUMBER_BITS = ["1", "12", "123", "2024", "0912", ".", ",", "/", " ", "  ", "\xa0", "a", "-", "597", "%",
                " %", "_", "G", "٣", "h", ":", "30", " phút", "+84", " nghìn", " tỷ", " nghìn tỷ", " triệu",
                " đồng", " USD", " uſd", " lần", " bậc", " hạng", " phần trăm", " ngàn", "Triệu", " VNĐ"]


def _number_texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_NUMBER_BITS) for _ in range(rng.randint(1, 10))) for _ in range(n)]


def test_one_figure_match_reads_what_the_three_steps_read():
    seen = {"nq": 0, "num": 0}
    for text in _number_texts(43, 6000):
        for run in re.finditer(r"\d+", text):
            start = run.start()
            plain = numbers.NUMBER_RE.match(text, start)
            if plain is None:
                continue
            m = quantities._FIGURE_RE.match(text, start)
            skip = quantities._not_quantity(text, start)
            if skip:
                assert m.group("nq") is not None and m.end() == skip, text
                seen["nq"] += 1
                continue
            assert m.group("nq") is None, text
            assert numbers.numeral_of(m) == numbers.read_numeral(text, plain), text
            seen["num"] += 1
    assert seen["nq"] > 100 and seen["num"] > 1000


def test_numeral_starts_are_the_full_scan_starts():
    for text in _number_texts(47, 4000):
        fast = [m.start() for m in quantities._NUMERAL_START_RE.finditer(text)]
        assert fast == [m.start() for m in numbers.NUMBER_RE.finditer(text)], text


def test_gaps_longer_than_the_bound_match_none_of_the_range_aside_and_list_gaps():
    rng = random.Random(53)
    bits = ["đến", "tới", "-", "–", "(", " ", "  ", "\n", "và", "VÀ", "các", "chỉ tiêu", "x", ",", "1", "hồ sơ"]
    long_gaps = 0
    for _ in range(20000):
        gap = "".join(rng.choice(bits) for _ in range(rng.randint(0, 14)))
        if len(gap.strip()) > quantities._MAX_GAP:
            long_gaps += 1
            assert not (quantities._RANGE_GAP_RE.fullmatch(gap) or quantities._PAREN_GAP_RE.fullmatch(gap)
                        or quantities._AND_GAP_RE.fullmatch(gap)), gap
    assert long_gaps > 1000
    longest = "x" * 30 + " và  "                  # the longest gap that matches: the bound is tight
    assert quantities._AND_GAP_RE.fullmatch(longest) and len(longest.strip()) <= quantities._MAX_GAP


_SYMBOL_PIECES = [["", "", "số ", "(", "a", "1", "x-", "/", ".", "Nghị định ", "tăng 12 "],
                  ["1", "12", "123", "1234", "12345", "123456", "06", "٣", "2024"],
                  ["", "", "", "c", ".7", ".1234", "a.", "%", " hồ sơ"],
                  ["/", "/", "-", " - ", "–", " ", "", "\xa0-", "\n"],
                  ["", "", "2020/", "1999/", "20/"],
                  ["NQ", "QĐ", "CP", "TW", "TTLT", "QH15", "UBTVQH14", "Đ", "nq", "2", "tỉnh"],
                  ["", "-", " – ", "/", "-", "/"],
                  ["", "CP", "TTg", "BTP-BTC", "TW", "x", "QH1"],
                  ["", "", " ", "/", "1", "a", ". ", " ngày 12/3/2021", " 45/2020/NĐ-CP"]]


def test_symbol_runs_found_by_one_scan_give_every_symbol_a_full_scan_gives():
    rng = random.Random(59)
    found = 0
    for _ in range(6000):
        text = "".join(rng.choice(p) for _ in range(rng.randint(1, 3)) for p in _SYMBOL_PIECES)
        spans = [(r.start, r.end) for r in legal.find_references(text)]
        assert spans == _plain_symbol_spans(text), text
        found += len(spans)
    assert found > 500


def test_cover_is_membership_in_any_span():
    rng = random.Random(61)
    for _ in range(2000):
        n = rng.randint(0, 40)
        spans = [(rng.randint(-3, 45), rng.randint(-3, 45)) for _ in range(rng.randint(0, 4))]
        covered = periods._cover(spans, n)
        for x in range(n):
            assert bool(covered[x]) == any(s <= x < e for s, e in spans), (spans, x)


def test_marker_searched_from_its_last_words_is_the_window_search():
    words = ["tính", "đến", "tới", "hết", "cho", "trong", "riêng", "cả", "chỉ", "ngay", "suốt", "từ", "kể",
             "ngày", "chết", "x", "đạt", "năm", "tính đến hết ngày", "cho đến hết ngày", "kể từ ngày",
             "từngày", "trongngày", "ngàyngày", "cả", "suốt", "Từ", "ĐẾN", "lũy", "luỹ", "kế", "lũy kế", "thiết kế", "cuối", "đến cuối", "hết cuối", "cuốiđến"]
    rng = random.Random(67)
    hits = 0
    for _ in range(6000):
        text = "".join(rng.choice(words) + rng.choice(_GAPS) for _ in range(rng.randint(1, 10))) + "2024"
        start = len(text) - 4
        plain = periods._MARKER_RE.search(text, max(0, start - 24), start)
        expected = "bare" if not plain else (
            "cumulative" if plain.group("cum") else "period" if plain.group("per") else "from")
        assert periods._marker(text, start) == expected, text
        hits += plain is not None
    assert hits > 1000


def test_lowered_is_lower_for_every_string_asked():
    texts = ["Quý III/2023", "İstanbul", "quý iii/2023", "ĐẾN NAY"]
    for text in texts + texts[::-1] + ["".join(["Quý", " III/2023"])]:
        # "İ" alone lower-cases to two characters: the copy keeps offsets with "i" for it
        assert lowered(text) == text.replace("İ", "i").lower()


def _plain_sentence_bounds(text, start, end):
    cursor = start
    for m in sentences._SENT_END.finditer(text, start, end):
        if m.group() == "." and sentences._ABBREV_BEFORE.search(text, max(cursor, m.start() - 8), m.start()):
            continue
        yield cursor, m.end()
        cursor = m.end()
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        yield cursor, end


def test_sentences_with_the_abbreviation_gate_are_the_plain_split():
    rng = random.Random(71)
    bits = ["TP. ", "Tp.", "Th.S. ", "v.v. ", "Q.", "ThS.", "Mr. ", "(TS. ", "xTP. ", "hồ sơ. ", "Đạt 5%. ",
            "12.597 ", "! ", "? ", "\n", "\n\n", " ", "a", "ST. ", "St."]
    for _ in range(4000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(1, 12)))
        seg = sentences.Segmentation(text)
        plain = [(s, e) for p in seg.paragraphs for s, e in _plain_sentence_bounds(text, p.start, p.end)]
        assert [(s.start, s.end) for s in seg.sentences] == plain, text


def test_digit_word_patterns_found_from_the_word_are_the_full_scan_s():
    rng = random.Random(73)
    pieces = [["", "x", "1", "12", "123", "2023", "/", ",", " "], ["1", "6", "06", "12", "123", "٣", ""],
              [" ", "  ", "\n", "\xa0", "", "x "], ["tháng", "tháng", "thángx", "Tháng"],
              [" ", "  ", "", "\n"], ["", "đầu ", "cuối ", "của ", "6 tháng "], ["năm", "năm 2024", "2023", "nay", "x"]]
    found = 0
    for (name, rx), where in zip(periods._COMPILED, periods._WHERE):
        if where != "digits before tháng":
            continue
        for _ in range(6000):
            text = "".join(rng.choice(p) for _ in range(rng.randint(1, 3)) for p in pieces)
            fast = [(m.span(), m.groups()) for m in periods._matches(rx, where, periods._Words(text))]
            assert fast == [(m.span(), m.groups()) for m in rx.finditer(text)], text
            found += len(fast)
    assert found > 300


def test_sentence_ends_without_exclamation_or_question_marks_are_the_full_class_s():
    rng = random.Random(79)
    bits = ["a", "b. ", ".", ". ", "\t", "x.y", "1.234 ", "TP. ", "\n"]
    for _ in range(3000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(1, 12)))
        assert [m.span() for m in sentences._DOT_END.finditer(text)] == \
            [m.span() for m in sentences._SENT_END.finditer(text)], text


def test_every_comparison_opens_with_one_of_its_anchor_words():
    body = _LEX["comparison_start"].removesuffix(r"\b")
    assert body.startswith("(?:") and body.endswith(")") and "(" not in body[3:-1], body
    for branch in body[3:-1].split("|"):
        assert branch.startswith(periods._COMPARISON_WORDS), branch


def test_comparisons_found_from_their_words_are_the_full_scan_s():
    rng = random.Random(83)
    bits = ["so", "so ", "với", " với", "cùng", " cùng", "kỳ", " kỳ", " ", "  ", "\n", ",", ".", "x", "2023",
            "soát", "So với", "ſo", "năm", "(", "cùngkỳ", " so với ", " so cùng kỳ ", "cùng  kỳ "]
    found = 0
    for _ in range(6000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(1, 12)))
        starts = periods._word_starts(text, periods._COMPARISON_WORDS)
        fast = [m.span() for m in periods._finditer_at(periods._COMPARISON, text, starts)]
        assert fast == [m.span() for m in periods._COMPARISON.finditer(text)], text
        found += len(fast)
    assert found > 300


def test_every_period_pattern_tried_where_it_can_start_reads_what_its_full_scan_reads():
    rng = random.Random(89)
    bits = ["tính", "cho", "đến", "tới", "hiện", "nay", "tại", "đang", "thời điểm", "này", "ngày", "sáng",
            "chiều", "tối", "trưa", "đêm", "hôm", "từ", "tháng", "năm", "quý", "iii", "đầu", "cuối", "nửa",
            "1", "5", "12", "2024", "/", "-", ".", " ", " ", " ", "  ", "\n", "\xa0", "x", "thực hiện",
            "hiệnnay", "đếnnay", "(", ",", "tính đến nay", "hiện nay", "cho tới thời điểm hiện tại", "ngày 5/6",
            "từ ngày 12 / 3", "sáng 1/10", "6 tháng đầu năm", "3 tháng cuối năm 2023", "quý II/2024", "đến 30/6/2024",
            "tháng 3", "tháng 12/2024"]
    found = {}
    for _ in range(4000):
        text = "".join(rng.choice(bits) + rng.choice(_GAPS) for _ in range(rng.randint(1, 10)))
        words = periods._Words(text)
        for (name, rx), where in zip(periods._COMPILED, periods._WHERE):
            fast = [(m.span(), m.groups()) for m in periods._matches(rx, where, words)]
            assert fast == [(m.span(), m.groups()) for m in rx.finditer(text)], (name, text)
            found[where] = found.get(where, 0) + len(fast)
    for where in periods._STARTS:
        assert found[where] > 100, (where, found)


def test_spelled_numbers_found_from_their_words_are_the_case_blind_scan_s():
    rng = random.Random(97)
    bits = ["hai", "Ba", "BỐN", "năm", "mười", "khai", "chính", "ban", "tám", "sáu", "bảy", "chín", " ", "  ",
            "\n", "\xa0", "tỉnh", "Bộ", "CSDL", "đề án", "đơn vị", "bộ", "x", "_", "(", "1", "ngành", "nămbộ"]
    seen = 0
    for _ in range(6000):
        text = "".join(rng.choice(bits) + rng.choice(_GAPS) for _ in range(rng.randint(1, 12)))
        fast = [(m.span(1), m.group(1).lower()) for m in quantities._spelled_matches(text)]
        assert fast == [(m.span(1), m.group(1).lower()) for m in quantities._SPELLED_RE.finditer(text)], text
        seen += len(fast)
    assert seen > 1000
