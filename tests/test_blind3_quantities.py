"""Which numbers are figures, on the third held-out round's quantity failures (tests/gold_blind3/):
a numbered list's labels, the minutes of a clock time, an index score moving "từ … lên …" — each
rule on sentences of our own (other wordings and numbers than the gold's), with the near cases it
must leave as they are."""

from extractors.extract import extract

PUB = "2025-11-20T08:00:00+07:00"


def figures(body, **kw):
    return [(o["text"], o["kind"]) for o in extract(body, PUB, **kw)["observations"]]


# --- a numbered list's label is no count --------------------------------------------------------

def test_the_label_of_a_numbered_item_is_no_count():
    body = ("Kết quả chính của tỉnh như sau:\n\n"
            "1. Trong 9 tháng, toàn tỉnh tiếp nhận 412.530 hồ sơ trực tuyến;\n\n"
            "2. Tỷ lệ thanh toán trực tuyến đạt 61,2%;\n\n"
            "3. Cấp xã: 88,4%.")
    assert figures(body) == [("412.530", "count"), ("61,2%", "percent"), ("88,4%", "percent")]


def test_a_label_at_the_start_of_the_text_or_after_a_single_line_break():
    body = "1. Đã có 35 xã kết nối mạng.\n2. Tỷ lệ hồ sơ trực tuyến đạt 72%."
    assert figures(body) == [("35", "count"), ("72%", "percent")]


def test_a_bracket_label_is_no_count():
    body = "Sở đề ra hai nhiệm vụ:\n\n1) Số hóa 100% hồ sơ;\n\n2) Kết nối 27 bệnh viện với VNeID."
    assert [t for t, _ in figures(body)] == ["hai", "100%", "27"]


def test_a_figure_right_after_the_label_stays():
    body = "Những con số nổi bật:\n\n1. 52,3% người dân đã có tài khoản.\n\n2. 17/20 sở đã kết nối dữ liệu."
    assert figures(body) == [("52,3%", "percent"), ("17/20", "ratio")]


def test_a_figure_opening_a_paragraph_stays():
    body = ("Năm 2024, kết quả khả quan.\n\n"
            "91,7% hồ sơ được giải quyết đúng hạn.\n\n"
            "2.318 dịch vụ công được cung cấp trực tuyến.\n\n"
            "17/20 sở đã kết nối dữ liệu.\n\n"
            "3 huyện chưa hoàn thành chỉ tiêu.")
    assert [t for t, _ in figures(body)] == ["91,7%", "2.318", "17/20", "3"]


def test_a_number_with_a_full_stop_inside_a_sentence_stays():
    body = "Tỉnh đã hoàn thành 4. Trong năm 2025, tỉnh phấn đấu đạt 80%."
    assert [t for t, _ in figures(body)] == ["4", "80%"]


# --- the minutes of a clock time are no count ---------------------------------------------------

def test_the_minutes_of_a_clock_time_are_no_count():
    body = "Buổi tập huấn kéo dài từ 13 giờ 15 đến 16 giờ 50, với 240 học viên tham dự."
    assert figures(body) == [("240", "count")]
    body = "Lúc 9 giờ 20 phút, hệ thống đã tiếp nhận 1.530 hồ sơ."
    assert figures(body) == [("1.530", "count")]
    body = "Cuộc họp bắt đầu lúc 7h45 với 32 đại biểu."
    assert figures(body) == [("32", "count")]


def test_a_count_after_hours_that_are_no_clock_stays():
    body = "Trong 24 giờ, 150 hồ sơ đã được giải quyết."
    assert figures(body) == [("150", "count")]
    body = "Thời gian xử lý giảm còn 4 giờ, 95 thủ tục đã được cắt giảm."
    assert [t for t, _ in figures(body)] == ["95"]


# --- an index score moving "từ … lên …" is no rank ---------------------------------------------

def test_an_index_score_is_no_rank():
    # "thứ hạng" in the sentence makes "từ … lên …" a rank's move: a score moving so is none.
    body = "Việt Nam giữ nguyên thứ hạng 71/193, dù chỉ số EGDI đã tăng từ 0,7012 lên 0,7709."
    assert figures(body) == [("71/193", "rank")]
    body = "Thứ hạng không đổi ở vị trí 64 nhưng điểm OSI tăng từ 0,6531 lên 0,7812 so với kỳ trước."
    assert figures(body) == [("64", "rank")]


def test_a_score_moving_without_a_ranking_is_no_count():
    body = "Việt Nam đứng thứ 46 về chỉ số OSI, chỉ số này tăng từ 0,6531 lên 0,7812."
    assert figures(body) == [("46", "rank")]


def test_a_decimal_count_moving_with_its_unit_stays():
    body = "Số tài khoản tăng từ 2,5 lên 3,1 triệu, chiếm 40% dân số."
    assert [t for t, _ in figures(body)][-1] == "40%"
    assert "3,1 triệu" in [t for t, _ in figures(body)]


def test_a_rank_moving_from_one_place_to_another_stays():
    body = "Về xếp hạng, Việt Nam tăng từ vị trí 86 lên 71 trong bảng xếp hạng EGDI."
    assert [(t, k) for t, k in figures(body) if k == "rank"] == [("86", "rank"), ("71", "rank")]
