"""Vietnamese number grammar: notations, scale words, units (extractors.numbers)."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import find_numerals, parse_number, parse_quantity


@pytest.mark.parametrize("literal, value", [
    ("83,76", 83.76), ("12.597", 12597), ("2.398", 2398), ("1.234.567", 1234567),
    ("1.234,5", 1234.5), ("6.2", 6.2), ("98.2", 98.2), ("24", 24), ("12,500,000", 12500000),
])
def test_parse_number_notations(literal, value):
    assert parse_number(literal) == pytest.approx(value)


@pytest.mark.parametrize("text, value", [
    ("83,76 triệu", 83_760_000), ("9.900 tỷ đồng", 9_900_000_000_000), ("62,7%", 62.7),
    ("4,8 nghìn tỷ đồng", 4_800_000_000_000), ("1,5 tỷ yêu cầu", 1_500_000_000),
    ("2 tỷ giao dịch", 2_000_000_000), ("6.2 triệu", 6_200_000), ("212 ngàn", 212_000),
    ("41 tỉ đồng", 41_000_000_000), ("98.2%", 98.2),
])
def test_scaled_quantities(text, value):
    assert parse_quantity(text) == pytest.approx(value)


def test_numeral_keeps_scale_and_unit_in_its_span():
    (n,) = find_numerals("đạt hơn 4,8 nghìn tỷ đồng/năm")
    assert "đạt hơn 4,8 nghìn tỷ đồng/năm"[n.start:n.end] == "4,8 nghìn tỷ đồng"
    assert n.unit_kind == "money"


def _format(value: int, frac: str, notation: str) -> str:
    groups = f"{value:,}"
    if notation == "vi":          # thousands dot, decimal comma
        text = groups.replace(",", ".")
        return text + ("," + frac if frac else "")
    if notation == "dot":         # decimal dot, no grouping (only unambiguous fractions)
        return str(value) + ("." + frac if frac else "")
    return str(value) + ("," + frac if frac else "")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12),
       st.text(alphabet="0123456789", min_size=0, max_size=4),
       st.sampled_from(["vi", "dot", "plain"]))
def test_round_trip_every_notation(value, frac, notation):
    if notation == "dot" and (len(frac) == 3 or (frac and value == 0 and False)):
        frac = frac + "1"          # "x.yyy" is a thousands group by the spec's rule
    if notation == "dot" and frac and value >= 1000:
        frac = ""                  # the decimal-dot style is not combined with grouping
    text = _format(value, frac, notation)
    expected = float(f"{value}.{frac}") if frac else float(value)
    (n,) = list(find_numerals(text))
    assert n.literal == text
    assert n.value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("make", [
    lambda n: "9" * n,
    lambda n: "1." * n + "1",
    lambda n: "1.234" * n,
    lambda n: ("12.345.678," * n)[:-1],
    lambda n: "1/" * n + "1",
    lambda n: "83,76 triệu" * n,
])
def test_adversarial_inputs_are_roughly_linear(make):
    from extractors.extract import extract

    def timed(n):
        # The best of three CPU times: what the extractor costs, not what other processes took.
        text = make(n)
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            extract(text, "2024-01-01")
            best = min(best, time.process_time() - t0)
        return best

    small, large = timed(2000), timed(8000)
    assert large < 2.0                      # generous bound: no catastrophic backtracking
    assert large < max(small, 0.005) * 12   # 4x input: well under quadratic growth
