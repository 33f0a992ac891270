"""The shortcuts of the speed pass after the held-out fixes give what the plain readings give.

The province-count test asks one character before `startswith`; the target cues stop when none
sets a target. Random sentences are made of the words those patterns read, of blanks of every
kind and of the punctuation that opens or closes a clause, so that matches nest, touch and follow
each other.
"""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

from extractors import areas, indicators
from extractors.lexicon import load_indicators

_WORDS = ["Cổng", "Dịch", "vụ", "công", "quốc", "gia", "Quốc", "Cơ", "sở", "dữ", "liệu", "CSDL", "Nền",
          "tảng", "Hệ", "thống", "Trục", "Ứng", "dụng", "Ủy", "ban", "tỉnh", "thành", "phố", "của", "lên",
          "trên", "đã", "tích", "hợp", "6", "38/63", "địa", "phương", "cấp", "trong", "Theo", "xã", "Hà",
          "Nội", "một", "ba", "hai", "mục", "tiêu", "phấn", "đấu", "đạt", "kế", "hoạch", "yêu", "cầu", "có",
          "đến", "năm", "2030", "chỉ", "nhóm", "bộ", "100%", "vượt", "phải", "hoàn", "đề", "nghị",
          # whole phrases, so that matches are frequent, nest and touch
          "Cổng Dịch vụ công quốc gia", "Hệ thống quốc gia", "CSDL quốc gia", "Cổng quốc  gia",
          "Nền tảng tích hợp quốc gia", "Ủy ban quốc gia", "6 tỉnh", "ba địa phương", "12  tỉnh",
          "mục tiêu", "phấn đấu", "đạt mục tiêu", "theo kế hoạch", "yêu cầu", "đến năm 2030",
          "trong nhóm", "thuộc  nhóm", "vào tốp", "trong nhóm 6 tỉnh", "thuộc nhóm ba địa phương",
          "lọt vào tốp 12  tỉnh"]
_GLUE = [" ", " ", " ", "  ", "\n", "\t", "\xa0", ", ", ",", "; ", ";", ". ", " (", ") ", ":", ": ", " – "]


def _sentences(seed: int, n: int):
    rng = random.Random(seed)
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 40)):
            parts.append(rng.choice(_WORDS))
            parts.append(rng.choice(_GLUE))
        text = "".join(parts)
        start = rng.randint(0, len(text))
        yield text, start, rng.randint(start, len(text))


def _counts_plain(text: str, mentions) -> list:
    return [m for m in mentions if m.kind != "rank"
            and (text.startswith(("tỉnh", "địa"), m.end + 1) or text[m.end + 1:m.end + 2].isspace())
            and areas._PROVINCE_COUNT_AFTER_RE.match(text, m.end) is not None
            and areas._BAND_BEFORE_RE.search(text[:m.lead]) is None]


def test_province_counts_are_those_of_the_plain_test():
    rng = random.Random(12)
    found = banded = 0
    for text, _, _ in _sentences(12, 4000):
        blanks = [i for i, c in enumerate(text) if c.isspace()] or [0]   # where a count noun can follow
        ends = sorted({rng.choice(blanks) if rng.random() < 0.7 else rng.randint(0, len(text))
                       for _ in range(rng.randint(1, 6))})
        # A figure's lead: where the word that ends at its end starts (or a character off it).
        mentions = [SimpleNamespace(end=e, lead=max(0, _word_start(text, e) - rng.choice([0, 0, 0, 1, -1])),
                                    kind=rng.choice(["count", "rank", "percent"])) for e in ends]
        want = _counts_plain(text, mentions)
        assert areas.province_counts(text, mentions) == want, ascii(text)
        found += bool(want)
        banded += len(want) < len(_counts_plain_unbanded(text, mentions))
    assert found > 100 and banded > 20


def _word_start(text: str, end: int) -> int:
    start = end
    while start and not text[start - 1].isspace():
        start -= 1
    return min(start, end)


def _counts_plain_unbanded(text: str, mentions) -> list:
    """The counts before the band test: the bands it drops make the test's cases of it."""
    return [m for m in mentions if m.kind != "rank"
            and (text.startswith(("tỉnh", "địa"), m.end + 1) or text[m.end + 1:m.end + 2].isspace())
            and areas._PROVINCE_COUNT_AFTER_RE.match(text, m.end) is not None]


_RULES = load_indicators()["rules"]
# The target cues as the YAML writes them, case-blind: what `_cues` reads off the lower-cased copy.
_PLAIN_CUES = {key: re.compile("|".join([_RULES[key]] if isinstance(_RULES[key], str) else _RULES[key]),
                               re.IGNORECASE)
               for key in ("target_before", "target_not", "target_outcome_between")}


def _cues_plain(text: str):
    nots = [m.span() for m in _PLAIN_CUES["target_not"].finditer(text)]
    spans = [(m.start(), m.end(), not any(a <= m.start() < b for a, b in nots))
             for m in _PLAIN_CUES["target_before"].finditer(text)]
    spans += [(a, b, False) for a, b in nots]
    spans.sort(key=lambda span: (span[1], span[2]))
    return text, tuple(spans)


def _is_target_reading(read, at: int, outcome) -> bool:
    """_is_target's answer from a `_cues` reading, for a figure at `at` (None: no cue)."""
    return read is not None and indicators.governs(read, at, outcome)


def test_target_cues_answer_every_figure_as_the_plain_reading_does():
    sets = 0
    for text, _, _ in _sentences(13, 3000):
        text = text if len(text) % 5 else text.replace("a", "İ", 1)    # "İ" lower-cases longer
        fast, plain = indicators._cues(text), _cues_plain(text)
        if fast is not None:
            assert fast[1] == plain[1], ascii(text)
            sets += 1
        for at in range(0, len(text) + 1, 3):
            assert _is_target_reading(fast, at, indicators._TARGET_OUTCOME) == \
                _is_target_reading(plain, at, _PLAIN_CUES["target_outcome_between"]), (ascii(text), at)
    assert sets > 1000


def _assign_plain(contexts, cache, has_place=None, carried=None):
    """indicators.assign as it read before the speed pass: the target veto asked first, in _own."""
    out = []
    for i, ctx in enumerate(contexts):
        ind, vetoed = (None, True) if ctx.average else indicators._own(ctx, cache)
        prev = contexts[i - 1] if i else None
        if ind and prev and prev.indicator == ind and indicators._GLOBAL["subset_before"].search(ctx.before):
            ind, vetoed = None, True
        if ind and prev and indicators._sorts_units(ctx, prev):
            ind, vetoed = None, True
        if ind is None and not vetoed:
            ind = indicators._inherited(contexts, i, has_place, cache, carried or {})
            if ind is not None and indicators._is_example(ctx):
                ind = None
        ctx.indicator = ind
        out.append(ind)
    levels = cache.setdefault(indicators._LEVELS, {})
    for ctx in contexts:
        if not ctx.change:
            levels[ctx.kind] = ctx
    return out


def test_the_target_veto_asked_last_gives_the_indicators_of_asking_it_first():
    from tests.test_extraction_speed_b import _catalogue_words
    vocab = _catalogue_words()[:400] + [w for w in _WORDS if " " in w] * 3 + ["12", "45,6%", "80%", "trong đó"] * 5 + \
        ["tỷ lệ hồ sơ trực tuyến", "dịch vụ công trực tuyến toàn trình", "thẻ căn cước", "phấn đấu đạt",
         "mục tiêu là"] * 4
    rng = random.Random(14)
    kinds = ["count", "percent", "money", "ratio", "rank"]
    found = targets = 0
    for _ in range(1500):
        text = "".join(rng.choice(vocab) + rng.choice([" ", " ", ", ", "; ", " ("]) for _ in range(rng.randint(4, 40)))
        folded = indicators.folded(text)
        folded = folded if len(folded) == len(text) else None
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 2 * rng.randint(1, 4))))
        figures = list(zip(cuts[::2], cuts[1::2]))
        specs = [(rng.choice(kinds), rng.random() < 0.2, rng.choice(["exact", "at_least"])) for _ in figures]
        answers = []
        for _ in range(2):            # the same figures, read each way from a fresh sentence
            shared = indicators.Sentence(text, folded, (0, len(text)), (0, len(text)), text, indicators.folded(text))
            contexts = [indicators.in_sentence(shared, kind, change, False, qualifier, lead, end,
                                               figures[j - 1][1] if j else 0,
                                               figures[j + 1][0] if j + 1 < len(figures) else len(text))
                        for j, ((lead, end), (kind, change, qualifier)) in enumerate(zip(figures, specs))]
            answers.append((indicators.assign if not answers else _assign_plain)(contexts, {}))
        assert answers[0] == answers[1], ascii(text)
        found += any(answers[1])
        # the case the order matters for: a figure that fits an indicator, in a target's scope
        targets += any(indicators._is_target(c) and indicators._own(c, {}, False)[0] for c in contexts)
    assert found > 30 and targets > 15, (found, targets)   # 46 and 22 with the catalogue of d3c5388


def test_spelled_scans_from_str_find_hits_are_the_engines_scans():
    from extractors import quantities
    scans = [(quantities._SPELLED_ORDINAL_LOW, "thứ"), (quantities._SPELLED_MULTIPLE_LOW, "gấp")] + \
        [(rx, unit) for unit, rx in quantities._STEP_UNITS_LOW]
    words = ["thứ", "thứ thứ", "gấp", "gấp gấp", "bậc", "hạng", "bậcbậc", "hai", "ba", "nhất", "đôi", "rưỡi",
             "lần", "hơn", "gần", "mục", "tăng", "giảm", "một", "tư", "mười", "năm", "hạng mục", "xếp"]
    rng = random.Random(15)
    found = 0
    for _ in range(3000):
        low = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", "", ", "]) for _ in range(rng.randint(1, 25)))
        for rx, word in scans:
            assert rx.pattern.startswith(word)     # what _literal_finditer relies on
            want = [m.span() for m in rx.finditer(low)]
            assert [m.span() for m in quantities._literal_finditer(rx, low, word)] == want, ascii(low)
            found += len(want)
    assert found > 3000
