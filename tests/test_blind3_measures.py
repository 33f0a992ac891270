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


def indicators(body, **kw):
    return obs(body, "indicator", **kw)


# --- B. a share of applications filed online, in brackets after its count -----------------------

def test_an_online_share_in_brackets_after_its_count_is_the_online_filing_rate():
    body = ("Trong quý I/2025, toàn tỉnh tiếp nhận 215.400 hồ sơ thủ tục hành chính, trong đó "
            "118.300 hồ sơ trực tuyến (chiếm 54,9%).")
    assert indicators(body)[-1] == ("54,9%", "online_application_rate")


def test_a_bracketed_share_of_other_records_is_not_the_online_filing_rate():
    body = ("Trong quý I/2025, toàn tỉnh tiếp nhận 215.400 hồ sơ thủ tục hành chính, trong đó "
            "20.100 hồ sơ trực tiếp (chiếm 9,3%).")
    assert indicators(body)[-1] == ("9,3%", None)


# --- C. "số giao dịch" and its money carry the online-payment measure of their sentence ----------

def test_the_transactions_and_money_carried_to_so_giao_dich_are_online_payments():
    body = ("Trong quý I/2025, Cổng dịch vụ công của tỉnh ghi nhận 84.210 giao dịch thanh toán trực tuyến "
            "(tổng số tiền 96 tỷ đồng); lũy kế từ năm 2023, số giao dịch đạt 412.075, với 388 tỷ đồng.")
    got = dict(indicators(body))
    assert got["412.075"] == "online_payment_transactions"
    assert got["388 tỷ đồng"] == "online_payment_value"


def test_so_giao_dich_without_an_online_payment_in_its_sentence_stays_unassigned():
    body = "Năm 2024, số giao dịch đạt 412.075, với 388 tỷ đồng tiền gửi."
    assert indicators(body) == [("412.075", None), ("388 tỷ đồng", None)]


# --- D. another country's full-process online services ------------------------------------------

def test_another_countrys_full_process_online_services_are_the_same_measure():
    body = "Hàn Quốc hiện cung cấp trực tuyến toàn trình 97% dịch vụ công cho người dân."
    assert indicators(body) == [("97%", "full_online_services_rate")]


def test_online_full_process_of_something_else_is_not_the_measure():
    body = "Hàn Quốc hiện cung cấp trực tuyến toàn trình 97% hồ sơ thuế."
    assert indicators(body) == [("97%", None)]


# --- E. an Asian rank and a city's rank are not the EGDI rank -----------------------------------

EGDI_TITLE = "Việt Nam thăng hạng trong bảng xếp hạng Chính phủ điện tử của Liên Hợp Quốc"


def test_a_rank_in_asia_is_regional():
    body = "Theo khảo sát EGDI năm 2024, Việt Nam xếp thứ 71/193; xét trong toàn châu Á, Việt Nam xếp thứ 19/47 quốc gia."
    assert indicators(body, title=EGDI_TITLE) == [("71/193", "egdi_rank"), ("19/47", None)]


def test_a_citys_rank_in_the_local_index_is_not_egdi():
    body = "Trong khảo sát EGDI, Thành phố Hồ Chí Minh được đánh giá, xếp thứ 92/193 thành phố."
    assert indicators(body, title=EGDI_TITLE) == [("92/193", None)]
    body = "Trong khảo sát EGDI, Việt Nam xếp thứ 86/193 quốc gia."
    assert indicators(body, title=EGDI_TITLE) == [("86/193", "egdi_rank")]


# --- F. records received at a long-named centre, digitised ---------------------------------------

def test_records_named_by_a_long_place_then_digitised_are_the_digitisation_rate():
    body = ("Đến nay, 98% hồ sơ tiếp nhận tại Trung tâm Phục vụ hành chính công thành phố "
            "đã được số hóa.")
    assert indicators(body) == [("98%", "records_digitized_rate")]


def test_records_digitised_far_after_are_not_read_across_a_clause():
    body = "Đến nay, 98% hồ sơ được giải quyết trước và đúng hạn, trong khi kho dữ liệu của tỉnh đã được số hóa."
    assert indicators(body) == [("98%", None)]


# --- G. numbered tasks under a lead-in that sets targets; a month's part after "; riêng" ---------

PLAN = ("Kết luận cuộc họp, Chủ tịch UBND tỉnh yêu cầu các sở, ngành tập trung thực hiện:\n\n"
        "1. Trong quý I/2025, nâng tỷ lệ hồ sơ nộp trực tuyến lên trên 60%;\n\n"
        "2. Bảo đảm 100% hồ sơ thủ tục hành chính được số hóa khi tiếp nhận.\n\n")


def test_items_under_a_lead_in_that_sets_targets_are_targets():
    got = dict(indicators(PLAN))
    assert got["60%"] is None and got["100%"] is None


def test_items_under_a_lead_in_that_reports_are_actuals():
    body = ("Kết quả cụ thể như sau:\n\n"
            "- Tỷ lệ hồ sơ nộp trực tuyến đạt 61,2%;\n\n"
            "- 97% hồ sơ thủ tục hành chính được số hóa.")
    assert indicators(body) == [("61,2%", "online_application_rate"), ("97%", "records_digitized_rate")]


def test_a_paragraph_after_the_list_is_no_item_of_it():
    body = PLAN + "Tính đến nay, tỷ lệ hồ sơ nộp trực tuyến của tỉnh đạt 52,4%."
    assert indicators(body)[-1] == ("52,4%", "online_application_rate")


def test_a_months_part_after_a_semicolon_continues_the_rate():
    body = "Tỷ lệ hồ sơ nộp trực tuyến 6 tháng đầu năm 2025 của tỉnh đạt 51,3%; riêng tháng 6/2025 đạt 58,2%."
    assert indicators(body) == [("51,3%", "online_application_rate"), ("58,2%", "online_application_rate")]


def test_a_part_of_another_kind_or_with_its_own_measure_is_not_continued():
    body = "Tỷ lệ hồ sơ nộp trực tuyến của tỉnh đạt 51,3%; riêng tháng 6/2025 tiếp nhận 12.400 hồ sơ."
    assert indicators(body) == [("51,3%", "online_application_rate"), ("12.400", None)]
