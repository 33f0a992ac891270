"""extract.py's per-article shortcuts (issue 3's speed pass) give what the plain computations give.

Each shortcut skips work whose answer is known without it: the sentence of a figure inside the
previous figure's sentence, place lookups in a sentence with no place, semicolon searches in a
sentence with none, parenthesis scoping where no time expression sits in a figure's parentheses,
the lower-cased slice under the average gate, the province regex where neither "ỉnh" nor "hành"
is written, and whole-side word lists in dedupe. The test runs extract() twice on many seeded
articles made of the words those rules read (and of characters that trip lower-casing and
case-blind matching): once as written, once with every shortcut swapped for its plain
computation, and wants the same output; it also checks each shortcut was taken and declined.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from extractors import extract
from mirror.synthetic import SyntheticCorpus
from tests.test_extract_fast_paths import _plain_same_side

_FRAGMENTS = [
    "Hà Nội", "tỉnh Bắc Giang", "TP.HCM", "Đà Nẵng", "cả nước", "tại", "ở", "trên địa bàn",
    "tổ chức hội nghị", "Thủ tướng chủ trì", "tỉnh", "Tỉnh", "thành phố", "Thành phố", "các tỉnh",
    "hoàn thành", "thủ tục hành chính", "TỈNH", "12.345 hồ sơ", "85,5%", "1.200 tỷ đồng",
    "3 triệu tài khoản", "100%", "thứ 7/63", "tăng 12%", "năm 2023", "6 tháng đầu năm 2024",
    "quý III/2023", "tháng 5/2024", "(năm 2022: 45%)", "(tăng 12% so với năm 2022)", "(12 hồ sơ)",
    "trung bình", "mỗi ngày", "bình quân", "TRUNG BÌNH", "mỗı ngày", "İ", "ı", "ſ", "Σ", ";", ",",
    "tiếp nhận", "giải quyết", "đạt", "tỷ lệ hồ sơ trực tuyến", "doanh nghiệp", "dịch vụ công", "so với",
]


def _article(rng: random.Random) -> tuple[str, str]:
    sentences = []
    for _ in range(rng.randint(2, 14)):
        if sentences and rng.random() < 0.2:
            sentences.append(rng.choice(sentences))          # a sentence restated: dedupe reads it
            continue
        words = [rng.choice(_FRAGMENTS) for _ in range(rng.randint(3, 16))]
        sentences.append(" ".join(words).capitalize() + rng.choice([".", ".", ";", "!"]))
    body = ""
    for sentence in sentences:
        body += sentence + rng.choice([" ", " ", "\n\n", "\n"])
    return body, sentences[0][:60]


def _articles() -> list[tuple[str, str | None, str | None]]:
    rng = random.Random(83)
    out = []
    for _ in range(300):
        body, title = _article(rng)
        out.append((body, "2024-06-30", rng.choice([title, None])))
    corpus = SyntheticCorpus(120, seed=89)
    for i in range(120):
        a = corpus.article(i)
        body = a["body"] if i % 3 else a["body"].upper()
        out.append((body, a["published"], a["title"]))
    return out


def _plain_by_sentence(seg, mentions):
    groups: dict = {}
    for mention in mentions:
        sentence = seg.sentence_at(mention.start)
        groups.setdefault(sentence.start, (sentence, []))[1].append(mention)
    return list(groups.values())


def _plain_same_sides(mine, other) -> bool:
    def words(s):
        return [w.lower() for w in extract._WORD_RE.findall(s)]
    return _plain_same_side(words(mine.sentence[:mine.start]), words(mine.sentence[mine.end:]),
                              words(other.sentence[:other.start]), words(other.sentence[other.end:]))


def _counting(counts: Counter, name: str, fn):
    def counted(*args):
        answer = fn(*args)
        counts[name, bool(answer)] += 1
        return answer
    return counted


def test_every_shortcut_of_extract_gives_what_the_plain_computation_gives(monkeypatch):
    articles = _articles()
    counts: Counter = Counter()
    for name in ("_names_place", "_any_inside", "_same_sides"):
        monkeypatch.setattr(extract, name, _counting(counts, name, getattr(extract, name)))
    fast = [extract.extract(body, published, title=title) for body, published, title in articles]
    monkeypatch.undo()

    contexts = extract._contexts
    monkeypatch.setattr(extract, "_by_sentence", _plain_by_sentence)
    monkeypatch.setattr(extract, "_names_place", lambda *args: True)
    monkeypatch.setattr(extract, "_any_inside", lambda *args: True)
    monkeypatch.setattr(extract, "_contexts", lambda text, low, sentence, group, shared, semicolons:
                        contexts(text, None, sentence, group, shared, True))
    monkeypatch.setattr(extract, "_says_average", lambda text, start, end, low=None:
                        extract._AVERAGE_RE.search(text, start, end) is not None)
    monkeypatch.setattr(extract, "_anaphora_starts", lambda text, start, end:
                        [m.start() for m in extract._ANAPHORA_RE.finditer(text, start, end)])
    monkeypatch.setattr(extract, "_same_sides", _plain_same_sides)
    plain = [extract.extract(body, published, title=title) for body, published, title in articles]

    for (body, _, title), got, want in zip(articles, fast, plain):
        assert got == want, (title, body)
    # Each shortcut was both taken and declined on this corpus (a restated figure dropped, one
    # that only shares its reading kept, …), so each was tested.
    for name in ("_names_place", "_any_inside", "_same_sides"):
        assert counts[name, True] > 20 and counts[name, False] > 20, (name, counts)


@pytest.mark.parametrize("seed", [97, 101])
def test_the_average_gate_on_the_lower_cased_article_is_the_regex(seed):
    rng = random.Random(seed)
    vocab = ["trung bình", "Trung  Bình", "BÌNH QUÂN", "mỗi ngày", "MỖI THÁNG", "hằng ngày", "HÀNG NGÀY",
             "mỗı tuần", "MỖİ TUẦN", "İ", "ı", "Σ", "ΣΑ", "ſ", "hồ sơ", "12", ";", "\n", "x"]
    hits = 0
    for _ in range(3000):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 10)))
        low = text.lower()
        a, b = sorted(rng.randint(0, len(text)) for _ in range(2))
        plain = extract._AVERAGE_RE.search(text, a, b) is not None
        assert extract._says_average(text, a, b) == plain, ascii(text)
        if len(low) == len(text):
            assert extract._says_average(text, a, b, low) == plain, ascii(text)
        hits += plain
    assert hits > 500
