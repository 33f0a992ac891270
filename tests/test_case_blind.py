"""An "İ" anywhere in an article does not change how the article is read.

"İ" (a Turkish name, pasted or OCR'd text) is the one character whose lower case is two
characters long; the extractor scans a lower-cased copy of the article, and a copy whose offsets
drifted sent time expressions (and target cues) to fallbacks that read the text otherwise: a
sentence-initial "Trong quý I/2024," or "Đến nay," went unread. Each article here is read with
the "İ" and with an "I" in its place (same length, same lower case "i", same offsets): the
readings must be the same.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.extract import extract
from extractors.lowered import case_blind, lowered

ROOT = Path(__file__).resolve().parents[1]
LONGER = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if len(c.lower()) != 1)


def _read(text: str, published: str = "2024-10-15", **kw) -> list[dict]:
    """The observations, with the one-character stand-ins written back as "I" in the text fields."""
    out = []
    for o in extract(text, published, **kw)["observations"]:
        out.append({k: v.translate(_AS_I) if isinstance(v, str) else v for k, v in o.items()})
    return out


_AS_I = str.maketrans({c: "I" for c in LONGER})


def test_dotted_capital_i_is_the_only_character_lower_cased_longer():
    assert LONGER == "İ"          # a new Unicode version adding one must be mapped in lowered.py


def test_the_lower_cased_copies_keep_every_offset():
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert lowered(every) == every.replace("İ", "i").lower()
    assert len(lowered(every)) == len(every) and len(case_blind(every)) == len(every)


# Sentence-initial cues, capitalised, that only the lower-cased copy reads; the name is in
# another sentence, so the figures' sentences are the same in both texts.
_ARTICLE = (
    "Đoàn công tác của Đại sứ quán Thổ Nhĩ Kỳ do ông Mehmet {I}nce dẫn đầu đã làm việc với tỉnh Bắc Giang.\n\n"
    "Trong quý I/2024, tỉnh Bắc Giang đã tiếp nhận 12.345 hồ sơ trực tuyến.\n\n"
    "Quý II/2024, tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,5%.\n\n"
    "Trong 9 tháng, toàn tỉnh có 45.678 hồ sơ được số hóa.\n\n"
    "Đến nay, tỉnh đã cấp 350.000 tài khoản định danh điện tử.\n\n"
    "Từ đầu năm 2024 đến nay, tỉnh tiếp nhận 8.000 hồ sơ trực tuyến.\n\n"
    "Tính đến hết tháng 6/2024, tỷ lệ hồ sơ trực tuyến toàn trình đạt 67,2%.")


def test_an_i_with_a_dot_in_a_name_leaves_the_time_expressions_as_they_were():
    with_dot, plain = _read(_ARTICLE.format(I="İ")), _read(_ARTICLE.format(I="I"))
    assert with_dot == plain
    assert [(o["value"], o["as_of"], o["period_start"]) for o in with_dot] == [
        (12345, "2024-03-31", "2024-01-01"),     # "Trong quý I/2024,"
        (98.5, "2024-06-30", None),              # "Quý II/2024,"
        (45678, "2024-09-30", "2024-01-01"),     # "Trong 9 tháng,"
        (350000, "2024-10-15", None),            # "Đến nay,"
        (8000, "2024-10-15", "2024-01-01"),      # "Từ đầu năm 2024 đến nay,"
        (67.2, "2024-06-30", None),              # "Tính đến hết tháng 6/2024,"
    ]
    assert [(o["kind"], o["indicator"], o["area"]) for o in with_dot][-1] == \
        ("percent", "online_application_rate", "Việt Nam")


def test_an_i_with_a_dot_in_a_title_leaves_its_figure_as_it_was():
    body = "Đoàn công tác đã làm việc với tỉnh Bắc Giang về chuyển đổi số."
    title = "Trong quý I/2024, Bắc Giang tiếp nhận 20.000 hồ sơ trực tuyến – đoàn ông Mehmet {I}nce thăm tỉnh"
    with_dot, plain = _read(body, title=title.format(I="İ")), _read(body, title=title.format(I="I"))
    assert with_dot == plain
    assert [(o["value"], o["as_of"], o["period_start"], o["start"]) for o in with_dot] == [
        (20000, "2024-03-31", "2024-01-01", -1)]


def test_an_i_with_a_dot_does_not_turn_a_dotless_i_into_a_target_cue():
    # "phảı đạt" (a dotless ı) is not the cue "phải đạt" as the lower-cased copy reads it; the
    # case-blind fallback an "İ" used to send the sentence to read it as one, and took the
    # figure's indicator away.
    sentence = "Ông {I}nce nêu kế hoạch: tỉnh phảı đạt tỷ lệ hồ sơ trực tuyến toàn trình 80%."
    with_dot, plain = _read(sentence.format(I="İ")), _read(sentence.format(I="I"))
    assert with_dot == plain
    assert [(o["value"], o["indicator"]) for o in with_dot] == [(80, "online_application_rate")]


def _gold_bodies() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "mirror" / "articles").glob("*/*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc.get("body"), str) and doc["body"]:
            out.append((doc["body"], doc.get("published")))
    return out


_GOLD = _gold_bodies()


def _outside(body: str, published) -> list[int]:
    """Offsets where a character can go without touching a figure or a legal symbol (a symbol
    is read case-sensitively, in capitals: "NİĐ-CP" is not "NIĐ-CP")."""
    read = extract(body, published)
    spans = [(o["start"], o["end"]) for o in read["observations"]]
    spans += [(r["start"], r["end"]) for r in read["legal_refs"]]
    return [p for p in range(len(body) + 1) if not any(a <= p <= b for a, b in spans)]


def _shifted(observations: list[dict], cuts: list[int]) -> list[dict]:
    """The observations of a text with a character inserted at each of `cuts` (offsets into the
    text without them), as the text without them reads: offsets less the characters inserted
    before them; the texts (sentence, subject) without "I", the inserted characters' reading."""
    out = []
    for o in observations:
        o = dict(o)
        for key in ("start", "end"):
            if o[key] >= 0:
                o[key] -= sum(1 for i, c in enumerate(cuts) if c + i < o[key])
        for key in ("sentence", "subject", "text"):
            if o[key]:
                o[key] = o[key].replace("I", "")
        out.append(o)
    return out


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_inserting_an_i_with_a_dot_into_gold_articles_changes_no_reading(data):
    body, published = data.draw(st.sampled_from(_GOLD))
    places = _outside(body, published)
    cuts = sorted(data.draw(st.lists(st.sampled_from(places), min_size=1, max_size=4)))
    char = data.draw(st.sampled_from(LONGER))

    def inserted(c: str) -> str:
        pieces, last = [], 0
        for p in cuts:
            pieces += [body[last:p], c]
            last = p
        return "".join(pieces + [body[last:]])

    with_char, with_i = _read(inserted(char), published), _read(inserted("I"), published)
    assert with_char == with_i, (cuts, [body[max(0, p - 20):p + 20] for p in cuts])
    # Where an ordinary capital changes nothing either (not inside a word a scan reads), the
    # reading is the article's own, offsets shifted.
    own = _shifted(_read(body, published), [])
    if _shifted(with_i, cuts) == own:
        assert _shifted(with_char, cuts) == own
