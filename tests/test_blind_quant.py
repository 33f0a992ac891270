"""Ranges, units, kinds, qualifiers and change, as journalists write them (issue 3: the held-out
gold, tests/gold_blind/, showed what the extractor had not been tuned on).

Each rule is shown on sentences written here, not copied from the held-out articles: other nouns,
verbs and numbers, and the nearby wording that must stay as it was. Through the public interface.
"""

from __future__ import annotations

import pytest

from extractors.extract import extract


def obs(text: str) -> list[tuple]:
    return [(o["text"], o["value"], o["kind"], o["qualifier"], o["change"], o["denominator"])
            for o in extract(text, "2025-06-30")["observations"]]


def one(text: str, figure: str) -> tuple:
    (hit,) = [o for o in obs(text) if o[0] == figure]
    return hit


# --- hyphen and en-dash ranges: two figures of the later unit, both under the qualifier before them

@pytest.mark.parametrize("text, low, high", [
    ("Khoảng 30-45% số xã đã có điểm phục vụ.", ("30", 30, "percent", "approx", False, None),
     ("45%", 45, "percent", "approx", False, None)),
    ("Mỗi năm ngân sách chi 15–20 tỷ đồng cho hạ tầng số.", ("15", 15e9, "money", "exact", False, None),
     ("20 tỷ đồng", 20e9, "money", "exact", False, None)),
    ("Lệ phí được giảm gần 20-30% khi nộp hồ sơ qua mạng.", ("20", 20, "percent", "approx", True, None),
     ("30%", 30, "percent", "approx", True, None)),
    ("Cổng phục vụ 2,5-3 triệu lượt truy cập mỗi tháng.", ("2,5", 2.5e6, "count", "exact", False, None),
     ("3 triệu", 3e6, "count", "exact", False, None)),
])
def test_a_dash_range_is_two_figures_of_the_later_unit(text, low, high):
    got = obs(text)
    assert low in got and high in got and len(got) == 2


@pytest.mark.parametrize("text", [
    "Tổng đài 1900-8198 hỗ trợ 24/7, đường dây 0243-822-1234.",
    "Giai đoạn 2021-2025 và biến thể COVID-19, H5N1-2 đã được nêu.",
    "Kế hoạch 12-KH/TU triển khai trong tháng 10-12/2023.",
])
def test_dashes_that_are_not_ranges_stay_as_they_were(text):
    assert obs(text) == []


# --- units and kinds

@pytest.mark.parametrize("text, figure, reading", [
    ("Tỷ lệ giải ngân đạt 71%, tăng 4,6 điểm phần trăm so với năm trước.", "4,6 điểm phần trăm",
     ("4,6 điểm phần trăm", 4.6, "percent", "exact", True, None)),
    ("Tỷ lệ thanh toán trực tuyến giảm 1,2 điểm phần trăm.", "1,2 điểm phần trăm",
     ("1,2 điểm phần trăm", 1.2, "percent", "exact", True, None)),
    ("Hà Nam có tỷ lệ thấp hơn 3 điểm % so với bình quân.", "3 điểm %",
     ("3 điểm %", 3, "percent", "exact", True, None)),
])
def test_percentage_points_are_a_percent_change(text, figure, reading):
    assert one(text, figure) == reading


@pytest.mark.parametrize("text, kept", [
    ("Chỉ số HCI của tỉnh đạt 0,6543, cao nhất vùng.", []),
    ("Điểm OSI năm nay là 0,81; năm trước 0,74.", []),
    ("Bộ chỉ số của tỉnh đạt 0,77 điểm, tăng 0,05 điểm.", [("0,77", 0.77), ("0,05", 0.05)]),
    ("Tỉnh có 12.480 doanh nghiệp, thêm 1.250.", [("12.480", 12480), ("1.250", 1250)]),
])
def test_a_bare_decimal_with_no_counted_noun_is_a_score_not_a_count(text, kept):
    assert [(o[0], o[1]) for o in obs(text)] == kept


@pytest.mark.parametrize("text, figure, reading", [
    ("Xuất khẩu điện tử chiếm gần 2/3 KNXK của tỉnh.", "2/3", ("2/3", 2, "ratio", "approx", False, 3)),
    ("Thanh toán số chiếm 3/4 GDP số của vùng.", "3/4", ("3/4", 3, "ratio", "exact", False, 4)),
    ("Hơn 1/2 TTHC đã được số hóa.", "1/2", ("1/2", 1, "ratio", "at_least", False, 2)),
])
def test_a_qualified_fraction_is_a_ratio_not_a_date(text, figure, reading):
    assert one(text, figure) == reading


@pytest.mark.parametrize("text", ["Sáng 2/3 UBND tỉnh họp.", "Trước 2/3 các sở phải báo cáo.", "Hạn chót 5/6."])
def test_day_and_month_stay_dates(text):
    assert obs(text) == []


# --- qualifiers

@pytest.mark.parametrize("text, figure, qualifier", [
    ("Doanh thu du lịch số ước đạt 1.240 tỷ đồng.", "1.240 tỷ đồng", "approx"),
    ("Kinh tế số của tỉnh ước chiếm 11,5% GRDP.", "11,5%", "approx"),
    ("Số hồ sơ trực tuyến ước tính đạt 3,2 triệu.", "3,2 triệu", "approx"),
    ("Số giao dịch đã vượt mốc 5 triệu.", "5 triệu", "at_least"),
    ("Giá trị thanh toán vượt qua ngưỡng 900 tỷ đồng.", "900 tỷ đồng", "at_least"),
    ("Tỷ lệ số hóa đã vượt 75%.", "75%", "at_least"),
    ("Có 42 xã đạt chuẩn từ 90% trở lên.", "90%", "at_least"),
    ("Các doanh nghiệp có 200 lao động trở lên phải báo cáo.", "200", "at_least"),
])
def test_qualifiers_of_estimate_and_of_exceeding(text, figure, qualifier):
    assert one(text, figure)[3] == qualifier


@pytest.mark.parametrize("text, figure", [
    ("Thu ngân sách vượt 12% so với dự toán.", "12%"),
    ("Tỉnh hoàn thành vượt 4 chỉ tiêu.", "4"),
    ("Việt Nam vượt 6 bậc trên bảng xếp hạng.", "6 bậc"),
    ("Hiệp ước có 30 điều khoản.", "30"),
])
def test_by_how_much_is_not_more_than(text, figure):
    assert one(text, figure)[3] == "exact"


@pytest.mark.parametrize("text, figure, reading", [
    ("Còn 7 huyện có tỷ lệ hồ sơ trực tuyến thấp hơn 25%.", "25%", ("25%", 25, "percent", "at_most", False, None)),
    ("Nhiều xã có số giao dịch ít hơn 300 giao dịch.", "300", ("300", 300, "count", "at_most", False, None)),
    ("Số thôn có sóng 4G nhiều hơn 150 thôn.", "150", ("150", 150, "count", "at_least", False, None)),
])
def test_a_comparative_without_a_comparison_point_is_a_threshold(text, figure, reading):
    assert one(text, figure) == reading


@pytest.mark.parametrize("text, figure", [
    ("Tỷ lệ đạt 52%, thấp hơn 6% so với cùng kỳ.", "6%"),
    ("Số hồ sơ đạt 8.000, nhiều hơn 1.200 hồ sơ.", "1.200"),
    ("Số thẻ cấp mới cao hơn 15% so với năm 2024.", "15%"),
])
def test_a_comparative_that_compares_stays_a_change_by_that_much(text, figure):
    assert one(text, figure)[3:5] == ("exact", True)


# --- change

@pytest.mark.parametrize("text, figure, qualifier", [
    ("Tỉnh đặt mục tiêu tăng trưởng 9,5% trong năm 2025.", "9,5%", "exact"),
    ("Thương mại điện tử tăng trưởng bình quân khoảng 25%/năm.", "25%", "approx"),
    ("GRDP tăng trưởng đạt 7,2%.", "7,2%", "exact"),
])
def test_a_growth_rate_is_a_change(text, figure, qualifier):
    assert one(text, figure)[2:5] == ("percent", qualifier, True)


def test_a_share_after_growth_words_elsewhere_is_not_a_change():
    assert one("Động lực tăng trưởng của tỉnh là kinh tế số, chiếm 14% GRDP.", "14%")[4] is False


@pytest.mark.parametrize("text, figure, change", [
    ("Doanh thu số gấp 2,2 lần mức bình quân của vùng.", "2,2 lần", False),
    ("Tốc độ số hóa nhanh gấp 4 lần tốc độ tăng dân số.", "4 lần", False),
    ("Số giao dịch gấp 2,2 lần cùng kỳ.", "2,2 lần", True),
    ("Số tiền nộp gấp 1,3 lần so với năm 2023.", "1,3 lần", True),
    ("Số tài khoản đã tăng gấp 3 lần.", "3 lần", True),
    ("Số hồ sơ gấp 5 lần.", "5 lần", True),
])
def test_a_multiple_is_a_change_only_against_an_earlier_point(text, figure, change):
    assert one(text, figure)[2] == "multiple" and one(text, figure)[4] is change


# --- a group label before a counted noun is the group's size

@pytest.mark.parametrize("text, figure", [
    ("Mục tiêu là vào nhóm 40 quốc gia dẫn đầu về chính phủ số.", "40"),
    ("Tỉnh thuộc nhóm 10 địa phương có chỉ số cao nhất.", "10"),
    ("Trường lọt vào nhóm 100 trường đại học hàng đầu châu Á.", "100"),
])
def test_a_group_of_counted_things_is_a_count(text, figure):
    assert one(text, figure)[1:5] == (int(figure), "count", "exact", False)


@pytest.mark.parametrize("text, kept", [
    ("Các tỉnh nhóm 3 gồm 12 tỉnh miền núi.", ["12"]),
    ("Dịch vụ thuộc nhóm 2 được ưu tiên.", []),
])
def test_a_group_label_stays_a_label(text, kept):
    assert [o[0] for o in obs(text)] == kept


@pytest.mark.parametrize("text, figure, reading", [
    ("Chi phí tuân thủ giảm tối đa 30%.", "30%", ("percent", "at_most", True)),
    ("Thời gian xử lý giảm không quá 2 ngày làm việc, tăng chưa đến 4%.", "4%", ("percent", "at_most", True)),
    ("Số hồ sơ tăng khoảng 1.200 hồ sơ.", "1.200", ("count", "approx", True)),
])
def test_a_plain_qualifier_between_a_change_verb_and_its_number_keeps_the_change(text, figure, reading):
    assert one(text, figure)[2:5] == reading
