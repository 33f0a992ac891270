"""Two shortcuts of extract.py and indicators.py give what the plain computations give.

Figure contexts built by `indicators.in_sentence` (no keywords, no spans dict) read every slot as a
Context built the plain way reads it, and get the same indicators: random texts are made of the
catalogue's own words and of characters that fold or lower-case oddly, with figure and clause
bounds anywhere (a lead before the sentence's start included). A title whose every figure the
body states is dropped before its places, folds and indicators are read: gold titles and leads,
some with a digit changed, give the same title observations as reading the title whole.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from extractors import extract, indicators, periods
from tests.test_extraction_speed_b import _ODD, _catalogue_words, _texts


def _both(text: str, s0: int, s1: int, left: int, lead: int, end: int, right: int, kind: str, change: bool):
    folded_text = indicators.folded(text)
    if len(folded_text) != len(text):
        folded_text = None
    article = "Tiêu đề\n\n" + text

    def shared():
        return indicators.Sentence(text, folded_text, (s0, s1), (0, len(text)), article, indicators.folded(article))

    fast = indicators.in_sentence(shared(), kind, change, False, "exact", lead, end, left, right)
    plain = indicators.Context(kind=kind, change=change, average=False, qualifier="exact", lead=lead, end=end,
                               sentence_start=s0, sentence=shared(),
                               spans={"before": (left, lead), "after": (end, right), "prefix": (s0, lead)})
    return fast, plain


def test_contexts_made_in_a_sentence_read_the_slots_and_indicators_of_plain_ones():
    vocab = _catalogue_words()[:500] + _ODD + ["12", "45,6%", ";", ",", "(", ")", "Cổng", "CCCD", "thứ"]
    rng = random.Random(52)
    kinds = ["count", "percent", "money", "ratio", "rank", "multiple"]
    found = 0
    for text in _texts(52, 1500, vocab, (2, 30)):
        s0, left, lead, end, s1 = sorted(rng.randint(0, len(text)) for _ in range(5))
        if rng.random() < 0.1:
            lead = rng.randint(0, s0)          # a qualifier reaching back before the sentence
        right = rng.randint(end, max(end, s1))
        kind, change = rng.choice(kinds), rng.random() < 0.2
        fast, plain = _both(text, s0, s1, left, lead, end, right, kind, change)
        for name in indicators._SLOTS:
            for raw in (False, True):
                assert fast.slot(name, raw) == plain.slot(name, raw), (name, raw, ascii(text))
        fast, plain = _both(text, s0, s1, left, lead, end, right, kind, change)
        want = indicators.assign([plain], {})
        assert indicators.assign([fast], {}) == want, ascii(text)
        found += want[0] is not None
    assert found > 10      # the texts do reach indicators (20 of 1,500 with the catalogue of 2026-11-23)


def test_a_level_read_from_a_change_is_the_same_figure_unchanged():
    text = "Tỷ lệ hồ sơ trực tuyến tăng 8,2%, đạt 45,6%."
    change, level = text.index("8,2%"), text.index("45,6%")
    ctx = indicators.Context(kind="percent", change=True, average=False, qualifier="at_least",
                             texts={"before": text[:change], "after": text[change + 4:level]}, lead=change)
    ctx.slot("noun")
    as_level = ctx.as_level()
    assert (as_level.change, as_level.qualifier, as_level.lead) == (False, "exact", change)
    assert (ctx.change, ctx.qualifier) == (True, "at_least")           # the change is left as it was
    assert as_level.slot("noun") == ctx.slot("noun") and as_level.memo is not ctx.memo


# --- extract: a title whose figures the body all states is not read further ----------------------

def _gold_docs() -> list[dict]:
    docs = []
    for path in sorted((Path(__file__).resolve().parent / "gold").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc.get("body"), str):
            docs.append(doc)
    return docs


def _titles(doc: dict, rng: random.Random) -> list[str]:
    """The doc's title, its lead's sentences, and both with a digit changed here and there (so
    some figures are stated in the body, some not, some only rounded or with a qualifier)."""
    first = doc["body"].split("\n")[0]
    out = [doc.get("title") or "", first[:90], first[:160], "Hơn " + first[:120], "Không có số liệu"]
    for text in list(out):
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        if digits:
            i = rng.choice(digits)
            out.append(text[:i] + str((int(text[i]) + rng.randint(1, 9)) % 10) + text[i + 1:])
    return out


def test_a_title_stated_by_the_body_gives_what_reading_it_whole_gives():
    rng = random.Random(54)
    skipped = kept = 0
    for doc in _gold_docs():
        pub = periods.to_date(doc.get("published"))
        body_obs = extract.extract(doc["body"], doc.get("published"))["observations"]
        for title in _titles(doc, rng):
            article = title + "\n\n" + doc["body"]
            plain, plain_refs = extract._extract_text(title, pub, "Việt Nam", article)
            short, short_refs = extract._extract_text(title, pub, "Việt Nam", article, body_obs)
            assert extract._title_only(short, body_obs) == extract._title_only(plain, body_obs), title
            assert short_refs == plain_refs
            skipped += bool(plain) and not short
            kept += bool(extract._title_only(plain, body_obs))
    assert skipped > 30 and kept > 10      # both ways are taken
