"""The quantities classifier's fast paths read what the case-blind patterns read (issue 3's speed work).

The classifier matches case-sensitive, lower-case copies of its cue patterns on a lower-cased copy
of the article (extractors.quantities._lower_copy) instead of the case-blind patterns on the
article itself, and skips cue searches behind a few cheap gates. These tests check the copy
against the engine's case-blindness on every code point, each copied pattern against its original
on seeded random texts (with "ı", "ſ", "İ", upper case and odd spaces), and each gate against the
search it skips, so a drift fails here rather than in a release.
"""

from __future__ import annotations

import random
import re
import sys

import pytest

from extractors import numbers, quantities
from tests.test_extraction_speed_a import _CUE_WORDS, _GAPS, _number_texts

_PAIRS = [(name, getattr(quantities, name), getattr(quantities, name[:-3] + "_LOW"))
          for name in sorted(vars(quantities)) if name.endswith("_RE") and hasattr(quantities, name[:-3] + "_LOW")]


def _cased_code_points() -> list[str]:
    out = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        if ch.lower() != ch or ch.upper() != ch or ch.casefold() != ch:
            out.append(ch)
    return out


def test_every_case_blind_pattern_has_its_copy():
    names = {name for name, _, _ in _PAIRS}
    assert {"_FIGURE_RE", "_QUALIFIER_RE", "_CHANGE_RE", "_LABEL_LIST_RE", "_PHONE_BEFORE_RE",
            "_RANGE_GAP_RE", "_AND_GAP_RE"} <= names
    for name, rx, low in _PAIRS:
        assert rx.flags & re.IGNORECASE and not low.flags & re.IGNORECASE, name
        assert low.groupindex == rx.groupindex, name


def test_the_lower_copy_agrees_with_case_blind_matching_on_every_code_point():
    # Only cased characters can read differently; every character of every pattern is checked
    # against each of them, and the classes the patterns and the classifier use must not move.
    pattern_chars = {c for _, _, low in _PAIRS for m in quantities._PATTERN_TOKEN_RE.finditer(low.pattern)
                     for c in m.group(2) or "" if not c.isspace()}     # the literal text, not escapes
    assert {"ă", "ơ", "đ", "%", "/"} <= pattern_chars
    cased = _cased_code_points()
    assert len(cased) > 2000
    for ch in cased:
        copy = quantities._lower_copy(ch)
        assert len(copy) == 1, hex(ord(ch))
        for cls in (r"\w", r"\d", r"\s", r"[^\W\d_]"):
            assert bool(re.fullmatch(cls, ch)) == bool(re.fullmatch(cls, copy)), (hex(ord(ch)), cls)
        assert ch.isalpha() == copy.isalpha(), hex(ord(ch))
        for c in pattern_chars:
            assert bool(re.fullmatch(re.escape(c), ch, re.IGNORECASE)) == (copy == c), (hex(ord(ch)), c)


def test_the_lower_copy_keeps_offsets_and_reuses_the_shared_copy():
    from extractors.lowered import lowered
    text = "Năm 2024 TĂNG 5%"
    assert quantities._lower_copy(text) is lowered(text)
    for text in ("İstanbul tăng", "uſd ı", "ĐT: 0912"):
        assert len(quantities._lower_copy(text)) == len(text)


_TEXT_BITS = [*_CUE_WORDS, *_GAPS, "12", "3,5", "1.234", "%", " triệu", " TỶ", " USD", " uſd", " lần",
              "năm", "tháng", "thế kỷ", "ngày 24/4/2025", "8:30", "0912 345 678", "1900 1234", "HAI", "hai",
              "ba", "tỉnh", "BỘ", "trong tổng số", "/", "193", "đến", "tới", "(", ")", "İ", "ı", "ſ", "K", "Å",
              "Điều 5,", "mức độ 3, 4 và", "khoản 2 -", "Điều 5 và 6 hoặc", "chi phí", "KINH PHÍ", "tiết kiệm",
              "Ngân sách", "vốn",
              # the words of the range, threshold, growth and comparison-point cues
              "so với", "CÙNG KỲ", "kế hoạch", "dự toán", "chiếm", "bằng", "trở lên", "trở XUỐNG", "tăng trưởng",
              "bình quân", "40-", "2,5–", "0,77"]
# The words of the later cues, mixed in only for their own patterns (more words in every text would
# thin out the matches of the others).
_EXTRA_BITS = {
    "_CHANGE_PERCENT_GAP_RE": ["tương ứng", "TƯƠNG ĐƯƠNG với", "hồ sơ", ",", "đơn vị"],
    "_OWN_PREDICATE_RE": ["được", "bị", "ĐÃ", "sẽ", "hồ sơ", "thủ tục"],
    "_RANK_ADJECTIVE_RE": ["cao thứ", "NHIỀU", "lớn", "thứ"],
    "_RANK_LIST_HEAD_RE": ["đứng thứ", "xếp hạng thứ", "VỊ TRÍ", "thứ 5", "đứng"],
    "_PERCENT_CHANGE_RE": ["tinh giản", "TINH GIẢN , đơn giản hóa được ước tính trên"],
    "_RANK_LIST_ITEM_RE": [",", "VÀ", "và", "Thái Lan", "thứ", "INDONESIA", ", Lào thứ"],
    "_NAMED_DAY_RE": ["Ngày", "NGÀY", "Pháp luật", "Quốc tế", "(", "thứ"],
    "_RANGED_DURATION_RE": ["- 3 ngày", "đến 12 THÁNG", "–5 giờ", "tới 2,5 năm", "-2 tuần", "tuổi"],
    "_SCORE_MOVE_RE": [" lên 0,7593", " XUỐNG 0,61", " đến", " còn 2,5", "lên"],
    # (the random texts hold the label words too: each one added to the lexicon thins these out)
    "_GROWTH_RE": ["tăng trưởng", "TĂNG TRƯỞNG bình quân", "ở mức", "khoảng"],
}


def _texts(seed: int, n: int, extra: tuple = ()) -> list[str]:
    rng = random.Random(seed)
    bits = _TEXT_BITS + list(extra) * 4
    out = []
    for _ in range(n):
        words = [rng.choice(bits) for _ in range(rng.randint(1, 12))]
        text = "".join(w + rng.choice(_GAPS) for w in words)
        out.append(text.upper() if rng.random() < 0.15 else text)
    return out


def _spans(m: re.Match | None):
    return None if m is None else tuple(m.span(i) for i in range(len(m.groups()) + 1))


@pytest.mark.parametrize("name, rx, low", _PAIRS, ids=[p[0] for p in _PAIRS])
def test_a_lower_copy_pattern_on_the_lower_copy_reads_what_the_original_reads(name, rx, low):
    matched = 0
    for text in _texts(53, 1500, tuple(_EXTRA_BITS.get(name, ()))):
        copy = quantities._lower_copy(text)
        for pos in range(0, len(text), 7):
            plain = rx.search(text, pos)
            assert _spans(low.search(copy, pos)) == _spans(plain), (name, text, pos)
            assert _spans(low.match(copy, pos)) == _spans(rx.match(text, pos)), (name, text, pos)
            matched += plain is not None
    assert matched > 20, name


def test_a_figure_read_on_the_lower_copy_is_the_figure_as_written():
    seen = 0
    for text in _number_texts(59, 4000) + [t.upper() for t in _number_texts(61, 1000)]:
        copy = quantities._lower_copy(text)
        for run in quantities._NUMERAL_START_RE.finditer(text):
            m = quantities._FIGURE_RE.match(text, run.start())
            low = quantities._FIGURE_LOW.match(copy, run.start())
            assert _spans(low) == _spans(m), text
            if m.group("nq") is None:
                assert numbers.numeral_of(low, text) == numbers.numeral_of(m), text
                seen += 1
    assert seen > 1000


def _low_windows(seed: int, n: int, extra: tuple = ()) -> list[str]:
    return [quantities._lower_copy(t)[-48:] for t in _texts(seed, n, extra)]


def test_lean_gate_bits_are_the_gate_bits_of_a_lower_cased_window():
    for window in _low_windows(67, 4000) + ["", "  ", ":", "hotline :", "đt.", "x\xa0"]:
        assert quantities._low_gates(window) == quantities._gates(window), window


def test_gate_bits_never_reject_a_lower_copy_cue():
    gated = [(quantities._QUAL, quantities._QUALIFIER_LOW), (quantities._LABEL, quantities._LABEL_LOW),
             (quantities._LABEL_LIST, quantities._LABEL_LIST_LOW), (quantities._CHANGE, quantities._CHANGE_LOW),
             (quantities._FROM, quantities._CHANGE_RANGE_LOW),
             (quantities._PERCENT_CHANGE, quantities._PERCENT_CHANGE_LOW),
             (quantities._RANK_STRONG, quantities._RANK_STRONG_LOW),
             (quantities._RANK_WEAK, quantities._RANK_WEAK_LOW)]
    hits = 0
    # (with the cut verbs of percent_change_before and their longest match)
    for window in _low_windows(71, 6000) + _low_windows(72, 2000, ("tinh giản", "TINH GIẢN , đơn giản hóa được ước tính trên")):
        bits = quantities._low_gates(window)
        for bit, rx in gated:
            if rx.search(window):
                hits += 1
                assert bits & bit, (rx.pattern[:50], window)
    assert hits > 500


def test_the_phone_bit_never_rejects_a_phone_cue():
    windows = _low_windows(73, 4000) + [w.lower() for w in ("hotline:", "ĐT :", "số máy.", "fax: ", "tel", ":")]
    rng = random.Random(79)
    windows += [rng.choice(["điện thoại", "đt", "hotline", "tổng đài", "số máy", "zalo", "x"])
                + rng.choice(["", " ", ":", " :", ". ", ".", ": \n", "\xa0: "]) for _ in range(2000)]
    matched = 0
    for window in windows:
        if quantities._phone_before(window, quantities._PHONE_BEFORE_LOW):
            matched += 1
            assert quantities._low_gates(window) & quantities._PHONE, window
    assert matched > 50


def test_a_change_cue_holds_a_change_verb_or_a_comparison():
    matched = {"verb": 0, "compared": 0}
    for window in _low_windows(83, 6000):
        if quantities._CHANGE_LOW.search(window) or quantities._CHANGE_RANGE_LOW.search(window):
            verb = any(w in window for w in quantities._CHANGE_VERBS)
            assert verb or "hơn" in window and any(w in window for w in quantities._COMPARED), window
            matched["verb" if verb else "compared"] += 1
    assert matched["verb"] > 50 and matched["compared"] > 5, matched


def test_one_attempt_for_year_or_code_is_the_two_in_turn():
    for literal in ["2024", "1999", "2100", "19", "0912", "012", "01", "0", "٢٠٢٤", "20,5", "1.234", "3", "20245"]:
        both = bool(quantities._YEAR_RE.fullmatch(literal) or quantities._CODE_RE.fullmatch(literal))
        assert bool(quantities._YEAR_OR_CODE_RE.fullmatch(literal)) == both, literal


def test_find_mentions_reads_upper_case_and_dotless_i_texts_as_their_lower_case():
    # The classifier reads the lower-cased copy: a text and its upper-cased twin (whose lower case
    # is the same) give the same mentions, "ı"/"İ" included.
    from extractors.sentences import Segmentation
    for text in _texts(89, 400):
        twin = text.upper()
        if len(twin) != len(text) or quantities._lower_copy(twin) != quantities._lower_copy(text):
            continue
        got = []
        for t in (text, twin):
            seg = Segmentation(t)

            def sentence_of(offset, seg=seg):
                s = seg.sentence_at(offset)
                return s.start, s.end
            got.append([(m.start, m.end, m.value, m.kind, m.qualifier, m.change, m.rule, m.lead)
                        for m in quantities.find_mentions(t, bytearray(len(t)), sentence_of)])
        assert got[0] == got[1], text


def test_english_thousands_need_two_commas():
    rng = random.Random(97)
    matched = 0
    for _ in range(20000):
        groups = ["".join(rng.choice("0123456789") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 5))]
        literal = "".join(g + rng.choice(",,.") for g in groups)[:-1]
        if numbers._EN_THOUSANDS_RE.fullmatch(literal):
            matched += 1
            assert literal.count(",") >= 2, literal
        assert _reading(numbers.parse_number, literal) == _reading(_plain_parse, literal), literal
    assert matched > 100


def _reading(parse, literal):
    try:
        return parse(literal)
    except ValueError:
        return "ValueError"     # not a numeral NUMBER_RE reads: both must refuse it


def _plain_parse(s: str) -> float:
    # parse_number as it was, trying the English-thousands pattern on every literal
    if s.isdigit():
        return float(s)
    if numbers._EN_THOUSANDS_RE.fullmatch(s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+", s):    # "1,250.6" (tests/test_blind4_numbers.py)
        return float(s.replace(",", ""))
    if "," in s:
        whole, frac = s.split(",", 1)
        return float(whole.replace(".", "") + "." + frac)
    if numbers._VI_THOUSANDS_RE.fullmatch(s):
        return float(s.replace(".", ""))
    return float(s)


def test_scale_words_read_the_same_memoised():
    for scale in [None, "", "triệu", "Triệu", "TỶ", "nghìn  tỷ", "ngàn\xa0tỉ", "tỷ", "xyz"]:
        plain = numbers._SCALE_KEY.get(numbers._SPACES_RE.sub(" ", scale.lower()), 1) if scale else 1
        assert numbers.scale_value(scale) == plain == numbers.scale_value(scale), scale
