"""Number notation and what is a figure (fourth held-out round, articles with diacritics):
sentences written for these tests, not taken from the gold."""

import pytest

from extractors.extract import extract
from extractors.numbers import parse_quantity


def _obs(text, published="2025-06-01", **kw):
    return extract(text, published, **kw)["observations"]


def _values(text, **kw):
    return [(o["text"], o["value"]) for o in _obs(text, **kw)]


# --- "trăm" before a scale word ---------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("3 trăm triệu lượt", 300_000_000), ("5 trăm nghìn hồ sơ", 500_000), ("2 trăm tỷ đồng", 200_000_000_000),
    ("4 trăm ngàn", 400_000), ("1,5 trăm triệu", 150_000_000),
])
def test_hundred_before_a_scale_word_multiplies_it(text, value):
    assert parse_quantity(text) == pytest.approx(value)


def test_hundred_million_figure_in_a_sentence():
    obs = _obs("Năm 2025, ứng dụng ghi nhận hơn 3 trăm triệu lượt tải về.")
    assert [(o["text"], o["value"], o["qualifier"]) for o in obs] == [("3 trăm triệu", 300_000_000, "at_least")]


def test_plain_scale_words_keep_their_reading():
    assert _values("Có 300 triệu lượt truy cập và 12 nghìn hồ sơ.") == [("300 triệu", 300_000_000),
                                                                       ("12 nghìn", 12_000)]


# --- a policy named by a number ------------------------------------------------------------------

def test_a_policy_named_khoan_n_is_no_figure():
    assert _values("Chính sách mới được ví như “khoán 100” trong nông nghiệp, mở đường cho 25 hợp tác xã.") == \
        [("25", 25)]


def test_money_after_khoan_is_still_a_figure():
    assert _values("Đơn vị được giao khoán 12 tỷ đồng kinh phí.") == [("12 tỷ đồng", 12_000_000_000)]


# --- "bằng N lần": a change only against an earlier time --------------------------------------------

@pytest.mark.parametrize("text", [
    "Số giao dịch quý II bằng 1,8 lần cùng kỳ năm 2023.",
    "Doanh thu năm nay bằng 2,1 lần năm trước.",
    "Giá trị thanh toán đạt 40 tỷ đồng,bằng 1.7 lần cùng kỳ.",
])
def test_equal_to_n_times_an_earlier_time_is_a_change(text):
    (multiple,) = [o for o in _obs(text) if o["kind"] == "multiple"]
    assert multiple["change"] is True


@pytest.mark.parametrize("text", [
    "Quy mô kinh tế số bằng 2,5 lần quy mô ngành dệt may.",
    "Tốc độ xử lý bằng 3 lần hệ thống cũ của tỉnh năm 2020.",
])
def test_equal_to_n_times_another_thing_stays_a_level(text):
    (multiple,) = [o for o in _obs(text) if o["kind"] == "multiple"]
    assert multiple["change"] is False


# --- notation: "1,250.6" and a text's own way of writing decimals -----------------------------------

@pytest.mark.parametrize("text, value", [
    ("1,250.6 tỷ đồng", 1_250_600_000_000), ("12,500,000.25", 12_500_000.25), ("3,400.75%", 3400.75),
])
def test_thousands_comma_then_decimal_dot(text, value):
    assert parse_quantity(text) == pytest.approx(value)


def test_english_style_text_reads_a_comma_group_as_thousands():
    assert _values("Tỉnh hiện có 2,318 dịch vụ trực tuyến, tỷ lệ hồ sơ trực tuyến đạt 81.4%; "
                   "tổng vốn 7,920 tỷ đồng.") == [("2,318", 2318), ("81.4%", 81.4), ("7,920 tỷ đồng", 7_920_000_000_000)]


@pytest.mark.parametrize("text, first", [
    ("Tỉnh hiện có 2,318 triệu hồ sơ, tỷ lệ trực tuyến đạt 81,4%.", 2_318_000),        # a decimal comma
    ("Tỉnh hiện có 2,318 triệu hồ sơ, trong đó 12.597 hồ sơ, tăng 6.2%.", 2_318_000),   # a thousands dot
    ("Tỉnh hiện có 2,318 triệu hồ sơ trực tuyến.", 2_318_000),                         # no sign either way
    ("Chỉ số đạt 0,775 điểm, tăng 6.2% so với năm trước.", 0.775),                     # "0,775": a decimal
])
def test_a_comma_group_keeps_the_decimal_reading_without_english_decimals(text, first):
    assert _obs(text)[0]["value"] == pytest.approx(first)


# --- a subheading restating the paragraph under it ------------------------------------------------

def test_a_heading_restating_its_paragraph_gives_one_observation():
    body = ("Quý III, tỉnh đẩy mạnh chuyển đổi số.\n\nGần 900 nghìn giao dịch không dùng tiền mặt\n\n"
            "Trong quý III, người dân thực hiện gần 900 nghìn giao dịch thanh toán trực tuyến.\n\n"
            "Bảy sở kết nối kho dữ liệu\n\nBảy sở, ngành đã kết nối kho dữ liệu của tỉnh.")
    obs = _obs(body)
    assert [(o["value"], o["sentence"].startswith(("Trong", "Bảy sở,"))) for o in obs] == \
        [(900_000, True), (7, True)]


def test_a_heading_with_a_figure_the_paragraph_does_not_state_is_kept():
    body = ("Gần 900 nghìn giao dịch không dùng tiền mặt\n\n"
            "Trong quý III, người dân thực hiện 1,2 triệu giao dịch thanh toán trực tuyến.")
    assert sorted(o["value"] for o in _obs(body)) == [900_000, 1_200_000]


def test_a_sentence_restating_the_next_paragraph_is_not_a_heading():
    body = ("Tỉnh có 7 sở đã kết nối kho dữ liệu.\n\n"
            "Bảy sở, ngành đã kết nối kho dữ liệu của tỉnh với 2 triệu bản ghi.")
    assert sorted(o["value"] for o in _obs(body)) == [7, 7, 2_000_000]
