"""The period rules the held-out gold (tests/gold_blind/) showed missing, through extract(): each
with sentences of our own (other nouns, verbs, numbers) and the nearby non-cases that must stay."""

import pytest

from extractors.extract import extract


def periods_of(body, published):
    """(text, as_of, period_start) of every figure of `body`."""
    return [(o["text"], o["as_of"], o["period_start"]) for o in extract(body, published)["observations"]]


# --- dates without a year ----------------------------------------------------------------------

@pytest.mark.parametrize("body, published, want", [
    # A time of day dates an event: the publication's year, not a year named for something else.
    ("Tại buổi sơ kết năm 2023 chiều 5/1, Sở cho biết đã có 120 xã hoàn thành.", "2024-01-06",
     [("120", "2024-01-05", None)]),
    ("Tổng kết công tác năm 2024 sáng 10/1, Bộ thông tin có 41 tỉnh đạt chuẩn.", "2025-01-12",
     [("41", "2025-01-10", None)]),
    # A date the text gives after a year, without a time of day, stays in that year.
    ("Năm 2023, đến ngày 30/6 tỉnh có 120 xã đạt chuẩn.", "2024-02-01",
     [("120", "2023-06-30", None)]),
])
def test_an_event_day_takes_the_publication_year(body, published, want):
    assert periods_of(body, published) == want


@pytest.mark.parametrize("body, published, want", [
    ("Trong 9 tháng, Sở đã giải quyết 45.210 hồ sơ.", "2024-10-20",
     [("45.210", "2024-09-30", "2024-01-01")]),
    ("Cụ thể, trong 6 tháng, tỉnh đã thu 1.250 tỷ đồng.", "2023-07-15",
     [("1.250 tỷ đồng", "2023-06-30", "2023-01-01")]),
    # Months that would end long after publication are last year's.
    ("Riêng 11 tháng, ngành đã cấp 8.400 giấy phép.", "2025-02-03",
     [("8.400", "2024-11-30", "2024-01-01")]),
    # A duration, not a period: "within 3 months, counted from ...", "after 6 months".
    ("Hồ sơ được giải quyết trong 3 tháng, có 120 hồ sơ bị trả lại.", "2024-10-20",
     [("120", "2024-10-20", None)]),
    ("Sau 6 tháng, tỉnh có 350 điểm giao dịch.", "2024-10-20",
     [("350", "2024-10-20", None)]),
    ("Trong 3 tháng, kể từ ngày Luật có hiệu lực, các bộ phải ban hành 12 thông tư.", "2024-10-20",
     [("12", "2024-10-20", None)]),
])
def test_a_fronted_number_of_months_is_the_publication_years_first_months(body, published, want):
    assert periods_of(body, published) == want


@pytest.mark.parametrize("body, want", [
    ("Từ ngày 1/3/2024 – ngày Nghị định có hiệu lực – đến ngày 31/3/2024, tỉnh đã cấp 9.870 giấy phép.",
     [("9.870", "2024-03-31", "2024-03-01")]),
    ("Từ ngày 15/5/2024 (khi hệ thống vận hành) đến ngày 15/6/2024, có 3.200 giao dịch.",
     [("3.200", "2024-06-15", "2024-05-15")]),
    ("Từ 1/2/2024 - thời điểm bắt đầu thí điểm - đến 29/2/2024, Sở tiếp nhận 640 hồ sơ.",
     [("640", "2024-02-29", "2024-02-01")]),
])
def test_an_aside_between_from_and_to_keeps_the_period(body, want):
    assert periods_of(body, "2024-07-10") == want


# --- which figures of a period are what happened inside it ---------------------------------------

@pytest.mark.parametrize("body, want", [
    # A running total inside a period: "nâng / đưa … lên", "lũy kế" after the expression.
    ("Trong quý II/2024, Sở đã cấp 15.300 giấy phép lái xe, nâng tổng số giấy phép đã cấp lên 1.240.000 giấy phép.",
     [("15.300", "2024-06-30", "2024-04-01"), ("1.240.000", "2024-06-30", None)]),
    ("Trong 9 tháng đầu năm 2023, ngành thuế hoàn thành 8.500 hồ sơ, đưa số hồ sơ điện tử lên 96.000 hồ sơ.",
     [("8.500", "2023-09-30", "2023-01-01"), ("96.000", "2023-09-30", None)]),
    ("Riêng tháng 5/2024, có 3.100 tài khoản mới, số tài khoản luỹ kế đạt 45.000 tài khoản.",
     [("3.100", "2024-05-31", "2024-05-01"), ("45.000", "2024-05-31", None)]),
    # Not a running total: "lũy kế" before the period names the period; "tăng lên" without "nâng".
    ("Lũy kế 6 tháng đầu năm 2024, tỉnh tiếp nhận 52.000 hồ sơ.",
     [("52.000", "2024-06-30", "2024-01-01")]),
    ("Trong 6 tháng đầu năm 2024, số hồ sơ tăng lên, đạt 52.000 hồ sơ.",
     [("52.000", "2024-06-30", "2024-01-01")]),
])
def test_a_running_total_inside_a_period_has_no_period_start(body, want):
    assert periods_of(body, "2024-07-20") == want


@pytest.mark.parametrize("body, want", [
    # Who did it (the subject of an active flow verb whose object is the next figure): a level.
    ("Trong quý III/2024, 27 bệnh viện đã thanh toán 45.600 lượt khám qua ứng dụng.",
     [("27", "2024-09-30", None), ("45.600", "2024-09-30", "2024-07-01")]),
    ("Lũy kế 5 tháng năm 2024, Sở và 96 bưu cục cấp xã đã tiếp nhận 12.480 hồ sơ.",
     [("96", "2024-05-31", None), ("12.480", "2024-05-31", "2024-01-01")]),
    ("Trong năm 2023, Quỹ và 12 chi nhánh ngân hàng đã giải ngân 340 tỷ đồng.",
     [("12", "2023-12-31", None), ("340 tỷ đồng", "2023-12-31", "2023-01-01")]),
    # Not who did it: people active in the period, a passive verb, a figure a flow verb governs.
    ("Trong quý I/2024, 12.000 người dân đã thực hiện 15.000 giao dịch.",
     [("12.000", "2024-03-31", "2024-01-01"), ("15.000", "2024-03-31", "2024-01-01")]),
    ("Trong tháng 4/2024, 5.200 hồ sơ được giải quyết 100% đúng hạn.",
     [("5.200", "2024-04-30", "2024-04-01"), ("100%", "2024-04-30", None)]),
    ("Trong tháng 4/2024, tỉnh tiếp nhận 5.200 hồ sơ và giải quyết 5.000 hồ sơ.",
     [("5.200", "2024-04-30", "2024-04-01"), ("5.000", "2024-04-30", "2024-04-01")]),
])
def test_the_count_of_institutions_that_did_a_flow_is_a_level(body, want):
    assert periods_of(body, "2024-10-20") == want


@pytest.mark.parametrize("body, want", [
    # A bare year before a flow: an event verb, an event noun, "trong năm" after the figure.
    ("Năm 2023, huyện chi trả 42 tỷ đồng trợ cấp.", [("42 tỷ đồng", "2023-12-31", "2023-01-01")]),
    ("Năm 2023, Sở phân bổ 7,5 tỷ đồng cho chuyển đổi số.", [("7,5 tỷ đồng", "2023-12-31", "2023-01-01")]),
    ("Năm 2023, hệ thống đã phục vụ 48 cuộc họp trực tuyến.", [("48", "2023-12-31", "2023-01-01")]),
    ("Năm 2023 toàn tỉnh có 86.300 giao dịch qua ngân hàng.", [("86.300", "2023-12-31", "2023-01-01")]),
    ("Năm 2023, số lượt truy cập cổng đạt 2,3 triệu.", [("2,3 triệu", "2023-12-31", "2023-01-01")]),
    ("Năm 2023, doanh thu dịch vụ bưu chính đạt 3.200 tỷ đồng.", [("3.200 tỷ đồng", "2023-12-31", "2023-01-01")]),
    ("Năm 2023, các cơ quan có 4,1 triệu văn bản luân chuyển trong năm.",
     [("4,1 triệu", "2023-12-31", "2023-01-01")]),
    ("Năm 2023, có 1.500 hồ sơ được giải quyết trực tuyến.", [("1.500", "2023-12-31", "2023-01-01")]),
    ("Năm 2023, toàn tỉnh có 2,4 triệu thẻ bảo hiểm được cấp.", [("2,4 triệu", "2023-12-31", "2023-01-01")]),
    # A level in that year: no event word, a service centre's name, a place of transactions, an
    # active verb after the figure (who does it), a passive one in another clause.
    ("Năm 2023, tỉnh có 148 cán bộ tiếp nhận hồ sơ.", [("148", "2023-12-31", None)]),
    ("Năm 2023, tiền gửi của người dân đạt 52.000 tỷ đồng.", [("52.000 tỷ đồng", "2023-12-31", None)]),
    ("Năm 2023, tỉnh có 60 thủ tục, được giải quyết trong ngày.", [("60", "2023-12-31", None)]),
    ("Năm 2023, tỉnh có 148 xã, phường.", [("148", "2023-12-31", None)]),
    ("Năm 2023, tỉnh có 35 Trung tâm phục vụ hành chính công.", [("35", "2023-12-31", None)]),
    ("Năm 2023, tỉnh có 120 điểm giao dịch bưu điện.", [("120", "2023-12-31", None)]),
])
def test_a_bare_year_before_a_flow_is_a_period(body, want):
    assert periods_of(body, "2024-02-20") == want


@pytest.mark.parametrize("body, want", [
    ("Quý II/2024, tỉnh đạt 88,5 điểm.", [("88,5", "2024-06-30", None)]),
    ("Tháng 3/2024, Sở Tư pháp đạt 92 điểm, đứng đầu khối sở.", [("92", "2024-03-31", None)]),
    # "điểm cầu" are places reached, not a score.
    ("Trong quý II/2024, tỉnh tổ chức 45 hội nghị tới 1.200 điểm cầu.",
     [("45", "2024-06-30", "2024-04-01"), ("1.200", "2024-06-30", "2024-04-01")]),
])
def test_a_score_is_a_level_in_its_period(body, want):
    assert periods_of(body, "2024-10-20") == want


def test_the_running_total_gate_words_are_in_every_match():
    # periods reads running_total_before only in a window holding one of its gate words.
    from extractors import periods
    windows = ["nâng tổng số thẻ lên ", "đưa lên ", "số hồ sơ luỹ kế đạt ", "lũy kế ", "nâng cao chất lượng, lên ",
               "tăng lên ", "kế hoạch ", "nâng\tsố tài khoản lên\u00a0"]
    for window in windows:
        plain = periods._RUNNING_TOTAL_RE.search(window) is not None
        assert periods._running_total(window, 0, len(window)) == plain, window
        if plain:
            assert any(word in periods._RUNNING_TOTAL_RE.search(window).group() for word in periods._RUNNING_TOTAL_WORDS)
