"""The quantities classifier reads a figure straight from its match (issue 3's speed work, round 2).

find_mentions no longer builds a numbers.Numeral per figure: the classifier reads the numeral,
scale word and unit from the figure match itself, and the "COVID-19" refusal is a gate bit of the
window's last word. These tests hold both to the readings they replace on seeded random texts
(upper case, "ı", "ſ", "İ", odd spaces, every notation), so a drift fails here.
"""

from __future__ import annotations

import random

from extractors import numbers, quantities
from tests.test_extraction_speed_a import _number_texts
from tests.test_speed_quantities import _texts

_UNIT_KIND_READING = {"percent": "percent", "money": "money", "rank_step": "rank"}


def _figures(texts):
    """(text, lower-cased copy, figure match) for every figure find_mentions would classify."""
    for text in texts:
        low = quantities._lower_copy(text)
        for run in quantities._NUMERAL_START_RE.finditer(text):
            m = quantities._FIGURE_LOW.match(low, run.start())
            if m.group("nq") is None:
                yield text, low, m


def test_a_figure_classified_from_its_match_reads_the_numeral_numeral_of_reads():
    texts = _number_texts(71, 3000) + [t.upper() for t in _number_texts(73, 800)] + _texts(79, 3000)
    whole = (lambda offset: (0, 10**9))
    seen = {"bare": 0, "scaled": 0, "unit": 0, "unknown unit": 0}
    for text, low, m in _figures(texts):
        _, literal, scale, unit = m.groups()
        mention = quantities._classify(text, low, m, literal, scale, unit, whole)
        if mention is None or mention.rule in ("ratio", "rank_slash"):
            continue                      # (those read "a/b", not the numeral alone)
        num = numbers.numeral_of(m, text)
        assert (mention.start, mention.end, mention.value, mention.scale) == \
               (num.start, num.end, num.value, num.scale), text
        if num.unit_kind in _UNIT_KIND_READING:
            assert mention.kind == _UNIT_KIND_READING[num.unit_kind], text
        seen["scaled" if num.scale else "unit" if num.unit_kind else "unknown unit" if num.unit else "bare"] += 1
    assert min(seen.values()) > 20, seen


def _glued_as_written(before: str) -> bool:
    """The refusal as it was written before the gate bit."""
    return bool(("-" in before[-2:] or "–" in before[-2:])
                and quantities._GLUED_ID_RE.search(before, len(before) - 3))


def test_the_glued_gate_bit_never_hides_a_glued_identifier():
    rng = random.Random(83)
    bits = ["covid", "h5n1", "b", "52", "x", "_", "-", "–", " ", "\n", "\t", "\xa0", "ı", "İ", "tăng", "(", "ř"]
    glued = 0
    for _ in range(20000):
        before = quantities._lower_copy("".join(rng.choice(bits) for _ in range(rng.randint(0, 8))))[-48:]
        if _glued_as_written(before):
            glued += 1
            assert quantities._low_gates(before) & quantities._GLUED, repr(before)
        gated = bool(quantities._low_gates(before) & quantities._GLUED
                     and quantities._GLUED_ID_RE.search(before, len(before) - 3))
        assert gated == _glued_as_written(before), repr(before)
    assert glued > 1000
    for before in ("covid-\n", "b-", "5–", "_-", " -", "-", "x- "):     # "$" also before a final newline
        assert bool(quantities._low_gates(before) & quantities._GLUED) >= _glued_as_written(before), before


def test_an_identifier_glued_to_a_number_is_still_no_figure():
    whole = (lambda offset: (0, 10**9))
    text = "Dịch COVID-19 và máy bay B-52, tăng 5%"
    mentions = quantities.find_mentions(text, bytearray(len(text)), whole)
    assert [(m.value, m.kind) for m in mentions] == [(5.0, "percent")]


def test_the_figure_match_has_the_groups_find_mentions_unpacks():
    names = sorted(quantities._FIGURE_LOW.groupindex, key=quantities._FIGURE_LOW.groupindex.get)
    assert tuple(names) == quantities._FIGURE_GROUPS and quantities._FIGURE_LOW.groups == 4
