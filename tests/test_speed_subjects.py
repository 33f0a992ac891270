"""subjects.py's fast paths (issue 3) give what the plain readings give.

The percent reading before a linking verb is one anchored match on the reversed window instead of
three forward searches, its phrase tests are gated by first-word sets, and `_after` ends at a
one-word stop without asking _STOP_RE. Each is run side by side with the plain computation (as
first written) on seeded random texts made of the very words the patterns are written with and of
the characters that trip case-blind matching, so a shortcut that changes an answer fails here.
"""

from __future__ import annotations

import random
import re

from extractors import subjects
from extractors.lexicon import load
from tests.test_extract_fast_paths import _plain_subject_after

_DATA = load("subjects")
_GAPS = [" ", " ", " ", "  ", "\t", "\xa0", "", "\n", "\u2003"]
_ODD = ["ı", "İ", "ſ", "ẛ", "K", "Σ", "ς", "😀", "ǅ", "ﬁ", "\u0307"]


def _texts(seed: int, n: int, vocab: list[str], words: tuple[int, int]) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(vocab) + rng.choice(_GAPS) for _ in range(rng.randint(*words)))
            for _ in range(n)]


def _plain_before_link(text: str, end: int) -> str | None:
    """subjects._before_link as first written: forward searches, ungated phrase tests."""
    alt = subjects._alternation
    percent_re = re.compile(r"\d[\d.,]*\s*(?:%|phần trăm)\s*$", re.IGNORECASE)
    link_re = re.compile(rf"(?<!\w)(?:{alt(_DATA['link_before'])})(?:\s+(?:{alt(_DATA['hedges'])}))*\s*$",
                         re.IGNORECASE)
    up_to_last_break_re = re.compile(r".*[,;:.!?()\[\]|\"“”…\n/]", re.DOTALL)

    def phrases(key):
        return [tuple(p.lower().split()) for p in _DATA[key]]

    def starts_with(low, i, ps):
        head = tuple(low[i:i + 4])
        return max((len(p) for p in ps if head[:len(p)] == p), default=0)

    def ends_with(low, i, ps):
        tail = tuple(low[max(0, i - 4):i])
        return max((len(p) for p in ps if len(p) <= len(tail) and tail[len(tail) - len(p):] == p), default=0)

    head = text[max(0, end - subjects._WINDOW):end]
    figure = percent_re.search(head)
    link = figure and link_re.search(head, 0, figure.start())
    if not link:
        return None
    clause = head[:link.start()]
    last_break = up_to_last_break_re.match(clause)
    words = re.findall(r"\w+(?:-\w+)*", clause[last_break.end() if last_break else 0:])
    low = [w.lower() for w in words]
    n = next((i - 1 for i in range(len(low), 0, -1) if starts_with(low, i - 1, phrases("share_of"))), len(low))
    while (k := ends_with(low, n, phrases("skip_before"))):
        n -= k
    start = n
    while start > 0 and not re.search(r"\d", words[start - 1]) and not ends_with(low, start, phrases("stop_before")):
        start -= 1
    while start < n and (k := starts_with(low, start, phrases("drop_leading_before"))):
        start += k
    n = next((i for i in range(start, n) if starts_with(low, i, phrases("cut_before_at"))), n)
    return " ".join(words[start:n][:subjects._MAX_WORDS]) or None


def _percent_vocab() -> list[str]:
    words = [*_DATA["link_before"], *_DATA["hedges"], *_DATA["skip_before"], *_DATA["stop_before"],
             *_DATA["share_of"], *_DATA["cut_before_at"], *_DATA["drop_leading_before"]]
    return words + [w.upper() for w in words] + [w.title() for w in words] + _ODD + [
        "tỷ lệ hồ sơ", "hồ sơ", "thủ tục hành chính", "chıếm", "CHİẾM", "đạt-x", "x-đạt", "ở  mức", "12", "3,5",
        "7.1", "1.,", ",", ";", "(", "“", "…", "/", "|", "%", "phần trăm", "PHẦN TRĂM", "phần  trăm", "x1", "_"]


def _percent_clauses(seed: int, n: int, vocab: list[str], words: tuple[int, int]) -> list[str]:
    """Random words, then mostly a link (and hedges) and a percent: what _before_link reads."""
    rng = random.Random(seed)
    links = [*_DATA["link_before"], "ĐẠT", "Chiếm", "LÀ", "chıếm", "CHİẾM", "đạt tỉ lệ", "ở  mức", "x", ""]
    hedges = [*_DATA["hedges"], "Hơn", "KHOẢNG", "gần  như", "tớı", ""]
    figures = ["12%", "45,6%", "7.1 %", "1.000,5%", "3 phần trăm", "8 PHẦN TRĂM", "9%\n", "2,%", ".5%", "5 %  ",
               "12", "x%"]
    texts = []
    for text in _texts(seed, n, vocab, words):
        tail = [rng.choice(links)] + [rng.choice(hedges) for _ in range(rng.choice([0, 0, 1, 2]))]
        texts.append(text + "".join(w + rng.choice(_GAPS) for w in tail) + rng.choice(figures))
    return texts


def test_percent_subject_read_backwards_is_the_forward_reading():
    rng = random.Random(83)
    found = 0
    for text in _percent_clauses(83, 6000, _percent_vocab(), (0, 10)):
        for end in (len(text), len(text) - 1, rng.randint(0, len(text))):
            fast = subjects._before_link(text, end)
            assert fast == _plain_before_link(text, end), (end, text)
            found += fast is not None
    assert found > 1000


def test_percent_subject_read_backwards_in_long_texts_is_the_forward_reading():
    # Windows that start mid-word and clauses longer than the window: the reversed slice's edges.
    vocab = _percent_vocab() + ["tài khoản định danh điện tử", "doanh nghiệp", "x" * 60]
    found = 0
    rng = random.Random(89)
    for text in _percent_clauses(89, 1000, vocab, (20, 80)):
        for end in [len(text), rng.randint(0, len(text))] + [m.end() for m in re.finditer("%", text)]:
            fast = subjects._before_link(text, end)
            assert fast == _plain_before_link(text, end), (end, text)
            found += fast is not None
    assert found > 300


def test_no_word_after_a_links_first_starts_a_link():
    # What makes the backwards reading exact: read forwards, the link match that ends at the figure
    # is then the only one, so the one the reversed match finds is the leftmost _LINK_RE finds.
    links = [p.lower().split() for p in _DATA["link_before"]]
    later = {w for p in links for w in p[1:]} | {w for h in _DATA["hedges"] for w in h.lower().split()}
    assert later.isdisjoint(p[0] for p in links)


def test_one_word_stops_end_the_subject_as_the_stop_regex_does():
    stops = [p for p in _DATA["stop_after"] if " " not in p]
    vocab = (stops + [s.upper() for s in stops] + [s.title() for s in stops] + [s + "-x" for s in stops]
             + [s + "x" for s in stops] + ["x" + s for s in stops] + [*_DATA["keep_whole"], *_DATA["drop_leading"]]
             + _ODD + ["hồ sơ", "thẻ", "12", ",", "-", "so với", "trở lên", "đượ", "ượ"])
    rng = random.Random(97)
    nonempty = 0
    for text in _texts(97, 4000, vocab, (1, 10)):
        end = rng.randint(0, len(text))
        fast = subjects._after(text, end)
        assert fast == _plain_subject_after(text, end), (end, text)
        nonempty += fast is not None
    assert nonempty > 1000
