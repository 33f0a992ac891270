"""as_of / period_start grammar (extractors.periods) and its use through extract()."""

from datetime import date

import pytest

from extractors.extract import extract
from extractors.periods import find_time_expressions

PUB = "2024-04-24T14:29:00+07:00"


def first(body, published=PUB, **kw):
    return extract(body, published, **kw)["observations"][0]


@pytest.mark.parametrize("body, as_of, start", [
    ("Đến 10/10/2023 đã cấp trên 83,76 triệu thẻ căn cước.", "2023-10-10", None),
    ("Tính đến ngày 8/3/2021 đã có hơn 2.800 dịch vụ công.", "2021-03-08", None),
    ("Đến hết quý I năm 2024 đã có 52 địa phương ban hành.", "2024-03-31", None),
    ("Trong quý II/2024 tiếp nhận 30 hồ sơ.", "2024-06-30", "2024-04-01"),
    ("Trong 10 tháng đầu năm 2023 khoảng 6.2 triệu văn bản.", "2023-10-31", "2023-01-01"),
    ("Trong 10 tháng năm 2023 có 5 triệu văn bản.", "2023-10-31", "2023-01-01"),
    ("Riêng tháng 3/2024 có 1,6 triệu tài khoản.", "2024-03-31", "2024-03-01"),
    ("Từ đầu năm 2024 đến nay, có trên 288 triệu giao dịch.", "2024-04-24", "2024-01-01"),
    ("Trong năm 2020 đã gửi 5 triệu văn bản.", "2020-12-31", "2020-01-01"),
    ("Đến tháng 12/2020 có 40 nền tảng.", "2020-12-31", None),
    ("Hiện nay có 2.398 CSDL.", "2024-04-24", None),
    ("Có 24 địa phương đã hoàn thành.", "2024-04-24", None),
    ("Cũng trong quý I đã tích hợp 8 dịch vụ.", "2024-03-31", "2024-01-01"),
    ("Từ ngày 01/7/2022 đến ngày 31/7/2022 đã tiếp nhận 1.276 hồ sơ.", "2022-07-31", "2022-07-01"),
])
def test_as_of_and_period_start(body, as_of, start):
    obs = first(body)
    assert (obs["as_of"], obs["period_start"]) == (as_of, start)


def test_comparison_clause_never_governs():
    obs = extract("Đạt tỷ lệ 59%, tăng 7% so với năm 2023; có 41 địa phương.", PUB)["observations"]
    assert [o["as_of"] for o in obs] == ["2024-04-24"] * 3


def test_nearest_expression_before_the_number_in_the_same_sentence():
    obs = extract("Đã có 20 bộ ban hành kế hoạch năm 2024. Năm 2023 có 5 bộ.", PUB)["observations"]
    assert obs[0]["as_of"] == "2024-04-24"       # "năm 2024" comes after the number
    assert obs[1]["as_of"] == "2023-12-31"


def test_percentages_ratios_and_changes_have_no_period_start():
    obs = extract("Trong năm 2023, 36/63 địa phương đạt 80%, tăng 5 lần và tăng 300 hồ sơ.", PUB)["observations"]
    assert all(o["period_start"] is None for o in obs)


def test_average_has_no_period_start():
    obs = first("Từ đầu năm 2024 đến nay, trung bình mỗi ngày khoảng 2,8 triệu giao dịch.")
    assert obs["period_start"] is None and obs["indicator"] is None


def test_expression_inside_a_figure_parenthesis_stays_inside():
    obs = extract("Tổng số là 13,2 triệu (riêng tháng 3/2024 là trên 1,6 triệu); số dịch vụ là 4.500.", PUB)
    by_text = {o["text"]: o for o in obs["observations"]}
    assert by_text["1,6 triệu"]["period_start"] == "2024-03-01"
    assert by_text["4.500"]["as_of"] == "2024-04-24"


def test_legal_issue_dates_are_not_periods():
    obs = first("Theo Quyết định số 06/QĐ-TTg ngày 06/1/2022 đã có 25 dịch vụ.")
    assert obs["as_of"] == "2024-04-24"


def test_expression_finder_roman_quarters_and_yearless_months():
    exprs = find_time_expressions("quý IV năm 2023; riêng tháng 3 là", date(2024, 4, 24))
    assert [e.as_of for e in exprs] == [date(2023, 12, 31), date(2023, 3, 31)]


def test_published_accepts_dates_and_datetimes():
    from datetime import datetime
    assert first("Có 24 địa phương.", date(2023, 11, 16))["as_of"] == "2023-11-16"
    assert first("Có 24 địa phương.", datetime(2023, 11, 16, 4, 19))["as_of"] == "2023-11-16"
    assert first("Có 24 địa phương.", None)["as_of"] is None
