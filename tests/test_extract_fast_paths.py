"""The extractor's fast paths give what the plain scans they replace give (issue 3's speed work).

Each shortcut — an `endswith` gate before an end-anchored cue regex, one legal-symbol attempt per
digit run, folding an article by reusing its body's fold — must only ever skip work whose result
is known. These tests run the shortcut and the plain computation side by side on many seeded
random texts built from the very words the cues are made of, so a gate that wrongly rejects a
match fails here, not silently in a release.
"""

from __future__ import annotations

import random
import re

import pytest

from extractors import extract, indicators, legal, quantities
from extractors.lexicon import load

_LEX = load("lexicon")
_WORDS = sorted({
    *(w for words in _LEX["qualifiers"].values() for w in words), *_LEX["label_before"],
    *_LEX["label_exceptions"], "tăng", "giảm", "cao hơn", "thêm được", "mạnh", "nhanh", "từ", "gấp",
    "xấp xỉ", "đứng", "xếp hạng", "vị trí", "thứ", "số", "top", "lên", "xuống", "tụt", "hotline",
    "điện thoại", "Tổng đài", "số máy", "fax", "đường dây nóng", "cắt giảm", "đơn giản hóa", "và",
    "hoặc", "VÀ", "Tăng", "GIẢM", "hồ sơ", "cắt", "đạt", "ĐT", "12", "3", ",", "-", "–", ":", ".",
    "Điều 5,", "mức độ 3, 4 và", "khoản 2 -", "tăng mạnh từ", "giảm 3 bậc từ", "tăng thêm từ",
    "ſố", "thứ İ", "lı", "TĂNG",
})
_GAPS = [" ", " ", " ", "  ", "\t", "\xa0", "", "\n"]

# (gate's last words, cue regex, gate needs trailing whitespace?)
_GATES = [
    (quantities._QUAL_ENDS, quantities._QUALIFIER_RE, True),
    (quantities._LABEL_ENDS, quantities._LABEL_RE, False),
    (quantities._LABEL_LIST_ENDS, quantities._LABEL_LIST_RE, False),
    (quantities._CHANGE_OR_RANGE_ENDS, quantities._CHANGE_RE, True),
    (quantities._CHANGE_OR_RANGE_ENDS, quantities._CHANGE_RANGE_RE, True),
    (quantities._PERCENT_CHANGE_ENDS, quantities._PERCENT_CHANGE_RE, True),
    (quantities._MULTIPLE_ENDS, quantities._MULTIPLE_RE, True),
    (quantities._RANK_STRONG_ENDS, quantities._RANK_STRONG_RE, False),
    (quantities._RANK_WEAK_ENDS, quantities._RANK_WEAK_RE, True),
]


def _windows(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(_WORDS) + rng.choice(_GAPS) for _ in range(rng.randint(1, 6))]
        out.append("".join(parts)[-48:])
    return out


@pytest.mark.parametrize("ends, rx, spaced", _GATES, ids=lambda v: getattr(v, "pattern", "")[:30] or None)
def test_end_word_gates_never_reject_a_cue_match(ends, rx, spaced):
    matched = 0
    for window in _windows(3, 4000):
        if rx.search(window):
            matched += 1
            assert quantities._ends(window, ends, spaced), (rx.pattern[:60], window)
    assert matched > 20      # the random windows do exercise the cue


def test_phone_gate_never_rejects_a_phone_cue():
    matched = 0
    for window in _windows(5, 4000):
        if quantities._PHONE_BEFORE_RE.search(window):
            matched += 1
            assert quantities._phone_before(window), window
    assert matched > 20


_PIECES = [["", "", "số ", "(", "a", "1", "x-", "/", "."],
           ["1", "12", "123", "1234", "12345", "123456", "1234567", "06", "٣"],
           ["", "", "", "c", ".7", ".1234", "a."],
           ["/", "/", "-", " - ", "–", " "],
           ["", "", "2020/", "1999/", "20/"],
           ["NQ", "QĐ", "CP", "TW", "TTLT", "QH15", "UBTVQH14", "Đ", "nq", "2"],
           ["", "-", " – ", "/", "-", "/"],
           ["", "CP", "TTg", "BTP-BTC", "TW", "x", "QH1"],
           ["", "", " ", "/", "1", "a", ". ", " 45/2020/NĐ-CP"]]


def _symbol_like(rng: random.Random) -> str:
    return "".join(rng.choice(options) for options in _PIECES)


def _plain_symbol_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in legal.SYMBOL_RE.finditer(text)
            if not (m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "/.-_"))]


def test_one_attempt_per_digit_run_finds_every_symbol_a_full_scan_finds():
    rng = random.Random(7)
    found = 0
    for _ in range(5000):
        text = "".join(_symbol_like(rng) for _ in range(rng.randint(1, 3)))
        spans = [(r.start, r.end) for r in legal.find_references(text)]
        assert spans == _plain_symbol_spans(text), text
        found += len(spans)
    assert found > 200


def test_article_fold_reusing_the_body_equals_folding_it_whole():
    body = "Tỷ lệ HỒ SƠ trực tuyến đạt 45,6%.\n\nΣΑΣ Ωμέγα İstanbul"
    for title in ("Cổng DVC quốc gia", "ΟΔΟΣ", "", "İİ"):
        article = title + "\n\n" + body
        fresh = indicators._folded_whole(article)[0]
        indicators.folded(body)
        assert indicators.folded(article) == fresh
        assert indicators.folded(title + "\n\n" + body) == fresh   # another object, same text


def test_the_rewritten_period_patterns_read_what_the_originals_read():
    from extractors import periods
    original = {
        "now": r"(?:tính\s+đến|tính\s+tới|cho\s+đến|cho\s+tới|đến|tới)\s+(?:nay|thời\s+điểm\s+(?:này|hiện\s+tại))"
               r"(?!\w)|hiện\s+(?:nay|tại|đang)(?!\w)",
    }
    text = ("tính đến nay, cho tới thời điểm hiện tại và đến nay; hiện nay, hiện đang; tới thời điểm này "
            "tính  tới nay cho đếnnay đến naye") * 3
    now = dict(periods._COMPILED)["now"]
    assert [m.span() for m in now.finditer(text)] == [m.span() for m in re.finditer(original["now"], text)]


def test_numerals_from_digit_runs_are_the_full_scan_s():
    from extractors.numbers import NUMBER_RE
    rng = random.Random(11)
    bits = ["1", "12", "123", "2024", ".", ",", "/", " ", "a", "x", "-", "597", "%", "_", "5G", "٣"]
    for _ in range(5000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(1, 12)))
        assert [m.span() for m in quantities._numerals(text)] == [m.span() for m in NUMBER_RE.finditer(text)], text


def test_spelled_numbers_on_lower_cased_text_are_the_case_blind_scan_s():
    rng = random.Random(13)
    pieces = [["", "", " ", "x", "_", "ſ", "ı", "İ", "."], ["hai", "Ba", "BỐN", "năm", "mười", "khai", "cả"],
              [" ", "  ", "\n", "", "\xa0"], ["tỉnh", "Bộ", "CSDL", "đề án", "Đơn Vị", "nướcx", "hai", "x"]]
    seen = 0
    for _ in range(5000):
        text = "".join(rng.choice(p) for _ in range(rng.randint(1, 3)) for p in pieces)
        fast = [(m.span(1), m.group(1).lower()) for m in quantities._spelled_matches(text)]
        assert fast == [(m.span(1), m.group(1).lower()) for m in quantities._SPELLED_RE.finditer(text)], text
        seen += len(fast)
    assert seen > 200


def test_one_not_a_quantity_alternation_reads_what_the_three_patterns_read():
    patterns = [re.compile(_LEX[k], re.IGNORECASE) for k in ("date_like", "time_like", "phone_like")]

    def in_turn(text):
        for rx in patterns:
            m = rx.match(text)
            if m:
                return m.end()
        return 0

    rng = random.Random(17)
    bits = ["0", "1", "12", "1900", "2023", "84", "+84", "/", ".", "-", " ", "h", ":", "30", " phút", "p", "x"]
    hits = 0
    for _ in range(5000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(1, 8)))
        assert quantities._not_quantity(text, 0) == in_turn(text), text
        hits += bool(in_turn(text))
    assert hits > 100


def test_symbol_gate_after_the_number_skips_only_runs_no_symbol_continues():
    rng = random.Random(23)
    extra = ["", " ", "\xa0", "\u2003", "\n", "x", "A", "é", "%", ",", ";", ")", "b/"]
    found = 0
    for _ in range(5000):
        text = "".join(_symbol_like(rng) + rng.choice(extra) for _ in range(rng.randint(1, 3)))
        spans = [(r.start, r.end) for r in legal.find_references(text)]
        assert spans == _plain_symbol_spans(text), text
        found += len(spans)
    assert found > 200


def _plain_subject_after(text: str, end: int) -> str | None:
    """subjects._after as first written: both phrase regexes tried at every word."""
    from extractors import subjects as s
    stop = re.compile(rf"(?:{s._alternation(s._DATA['stop_after'])})(?!\w)", re.IGNORECASE)
    pairs = re.compile(rf"(?:{s._alternation(s._DATA['keep_whole'])})(?!\w)", re.IGNORECASE)
    window = text[end:end + s._WINDOW]
    words, pos = [], 0
    while len(words) < s._MAX_WORDS:
        space = re.compile(r"[ \t\xa0]+").match(window, pos)
        pos = space.end() if space else pos
        pair = pairs.match(window, pos)
        if pair:
            words += pair.group().split()
            pos = pair.end()
            continue
        word = s._WORD_RE.match(window, pos)
        if not word or s._DIGIT_RE.search(word.group()) or stop.match(window, pos):
            break
        if words or word.group().lower() not in s._DROP_LEADING:
            words.append(word.group())
        pos = word.end()
    return " ".join(words[:s._MAX_WORDS]) or None


def test_subject_word_gates_read_what_the_phrase_regexes_read():
    from extractors import subjects
    data = load("subjects")
    vocab = [*data["stop_after"], *data["keep_whole"], *data["drop_leading"], "hồ sơ", "thẻ", "CĂN CƯỚC",
             "Được", "SO VỚI", "ſo với", "İ", "lı", "được-x", "bộ-ngành", "Bộ,  NGÀNH", "12", "x1", ",", ";", "-"]
    gaps = [" ", " ", "  ", "\xa0", "\t", "", "\n"]
    rng = random.Random(29)
    nonempty = 0
    for _ in range(5000):
        text = "".join(rng.choice(vocab) + rng.choice(gaps) for _ in range(rng.randint(1, 8)))
        fast = subjects._after(text, 0)
        assert fast == _plain_subject_after(text, 0), text
        nonempty += fast is not None
    assert nonempty > 1000


def test_place_name_set_lookup_answers_what_the_place_scan_answers():
    from extractors import areas
    # A district's name is a place after its designator only ("huyện Diễn Châu").
    names = sorted(areas._SPELLED.keys() - areas._DISTRICT_NAMES) + \
        sorted("huyện " + name for name in areas._DISTRICT_NAMES if name != areas.fold(name))
    assert areas._SPELLINGS_PLAIN            # else the set lookup is never used and this proves little
    rng = random.Random(31)
    edits = [lambda s: s, lambda s: s.replace(" ", "  "), lambda s: s.replace(" ", "\xa0"), lambda s: s + " x",
             lambda s: "x " + s, lambda s: s.lower(), lambda s: s.upper(), lambda s: s + "a", lambda s: s[:-1],
             lambda s: s + " " + rng.choice(names), lambda s: " " + s, lambda s: s + ","]
    places = 0
    for _ in range(4000):
        phrase = rng.choice(edits)(rng.choice(names + ["hồ sơ", "địa phương", "Cổng", ""]))
        plain = any(a == 0 and b == len(phrase) for a, b, _ in areas.find_places(phrase))
        assert areas.is_place_name(phrase) == plain, phrase
        places += plain
    assert places > 500


def _plain_same_side(before, after, other_before, other_after) -> bool:
    """extract's dedupe rule on whole sides (lower-cased word lists), as first written: two figures
    restate each other when the words on one side agree until the shorter side ends, in at least
    _DEDUPE_MIN_WORDS words. The fast comparison (extract._same_sides) is held to it."""
    n = min(len(before), len(other_before))
    if n >= extract._DEDUPE_MIN_WORDS and before[len(before) - n:] == other_before[len(other_before) - n:]:
        return True
    n = min(len(after), len(other_after))
    return n >= extract._DEDUPE_MIN_WORDS and after[:n] == other_after[:n]
