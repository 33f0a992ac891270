"""The third held-out round's period and measure failures (tests/gold_blind3/): each rule on
sentences of our own — other wordings and numbers than the gold's — and the near cases it must
leave as they are."""

from extractors.extract import extract

PUB = "2025-06-20T08:00:00+07:00"


def obs(body, *fields, **kw):
    return [tuple([o["text"]] + [o[f] for f in fields]) for o in extract(body, PUB, **kw)["observations"]]


# --- A. "đến cuối tháng / quý / năm X": a running total at the end of X --------------------------

def test_up_to_the_end_of_a_month_is_a_cumulative_total():
    body = "Đến cuối tháng 3/2025, toàn tỉnh đã cấp 1,8 triệu tài khoản định danh điện tử."
    assert obs(body, "as_of", "period_start") == [("1,8 triệu", "2025-03-31", None)]
    body = "Tính đến cuối quý I/2025, hơn 45 triệu hồ sơ sức khỏe điện tử đã được tạo lập."
    assert obs(body, "as_of", "period_start") == [("45 triệu", "2025-03-31", None)]


def test_up_to_the_end_of_a_year_is_still_a_target_or_a_total():
    body = "Thành phố phấn đấu đến cuối năm 2025, tỷ lệ hồ sơ nộp trực tuyến đạt 80%."
    assert obs(body, "as_of", "period_start", "indicator") == [("80%", "2025-12-31", None, None)]


def test_a_month_without_the_up_to_keeps_its_period():
    body = "Trong tháng 3/2025, toàn tỉnh tiếp nhận 120.400 hồ sơ."
    assert obs(body, "as_of", "period_start") == [("120.400", "2025-03-31", "2025-03-01")]
    body = "Tháng 3/2025, toàn tỉnh tiếp nhận 120.400 hồ sơ."
    assert obs(body, "as_of", "period_start") == [("120.400", "2025-03-31", "2025-03-01")]
