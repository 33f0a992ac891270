"""Tables of my own, one rule each (gold_blind5 fixes): header rows, indicators from headers or
row labels, ranks and ratios, change columns, cumulative rows, restated prose figures."""

from extractors.extract import extract


def _table_obs(tables, text="Số liệu như bảng dưới đây.", pub="2025-10-15"):
    return [o for o in extract(text, pub, tables=tables)["observations"] if o["rule"] == "table"]


def test_period_header_row_over_unit_row():
    table = [["Đơn vị", "9 tháng đầu năm 2024", "Quý II/2024"],
             ["Đơn vị", "Tỷ lệ giải quyết đúng hạn (%)", "Số hồ sơ"],
             ["Sở Nội vụ", "88,5", "1.204"]]
    rate, count = _table_obs([table])
    assert (rate["kind"], rate["value"], rate["as_of"]) == ("percent", 88.5, "2024-09-30")
    assert (count["kind"], count["value"], count["as_of"]) == ("count", 1204, "2024-06-30")


def test_first_row_with_a_plain_number_is_data():
    table = [["Năm", "Số hồ sơ"], ["2023", "512"], ["2024", "7 nghìn"]]
    obs = _table_obs([table])
    assert [o["text"] for o in obs] == ["512", "7 nghìn"]


def test_indicator_from_a_column_header_naming_the_measure():
    table = [["Quý", "Số giao dịch thanh toán trực tuyến", "Số tiền (tỷ đồng)", "Số cán bộ"],
             ["Quý I/2024", "12.345", "20,5", "310"]]
    tx, money, staff = _table_obs([table])
    assert tx["indicator"] == "online_payment_transactions"
    assert money["indicator"] == "online_payment_value"     # beside the payments column
    assert staff["indicator"] is None                        # names no catalogue measure


def test_indicator_from_the_row_label_when_columns_are_years():
    table = [["Chỉ tiêu", "Năm 2021", "Năm 2022"],
             ["Tỷ lệ hồ sơ được số hóa (%)", "40,2", "55,0"],
             ["Số cuộc họp trực tuyến", "12", "30"]]
    obs = _table_obs([table])
    assert [o["indicator"] for o in obs] == ["records_digitized_rate"] * 2 + [None, None]


def test_rank_columns_and_rank_rows_with_denominator():
    table = [["Địa phương", "Thứ hạng", "Số hồ sơ"],
             ["Nghệ An", "12", "4.500"]]
    rank, count = _table_obs([table])
    assert (rank["kind"], rank["value"], rank["denominator"]) == ("rank", 12, None)
    assert (count["kind"], count["denominator"]) == ("count", None)
    years = [["Chỉ tiêu", "Năm 2022", "Năm 2023"],
             ["Xếp hạng chỉ số PAPI", "30/63", "9/63"],
             ["Xã đạt chuẩn", "40/120", "88/120"]]
    obs = _table_obs([years])
    assert [(o["kind"], o["value"], o["denominator"]) for o in obs] == [
        ("rank", 30, 63), ("rank", 9, 63), ("ratio", 40, 120), ("ratio", 88, 120)]


def test_signed_cells_of_a_change_column():
    table = [["Địa phương", "Tỷ lệ trực tuyến (%)", "Tăng/giảm so với năm trước (điểm %)"],
             ["Lào Cai", "61,5", "-2,5"], ["Yên Bái", "70,0", "+3,5"]]
    obs = _table_obs([table])
    assert [(o["value"], o["change"], o["kind"]) for o in obs] == [
        (61.5, False, "percent"), (-2.5, True, "percent"), (70.0, False, "percent"), (3.5, True, "percent")]
    assert obs[1]["indicator"] is None


def test_cumulative_rows_have_no_period_start():
    table = [["Chỉ tiêu", "Năm 2023", "Năm 2024"],
             ["Tài khoản VNeID kích hoạt, lũy kế (triệu tài khoản)", "30,1", "45,0"],
             ["Hồ sơ tiếp nhận trong năm (nghìn hồ sơ)", "210", "260"]]
    obs = _table_obs([table])
    assert [(o["as_of"], o["period_start"]) for o in obs] == [
        ("2023-12-31", None), ("2024-12-31", None), ("2023-12-31", "2023-01-01"), ("2024-12-31", "2024-01-01")]


def test_a_cell_restating_the_prose_is_one_observation():
    text = "Quý II/2024, tỷ lệ hồ sơ trực tuyến của Nghệ An đạt 77,7%."
    table = [["Địa phương", "Quý I/2024", "Quý II/2024"],
             ["Địa phương", "Tỷ lệ hồ sơ trực tuyến (%)", "Tỷ lệ hồ sơ trực tuyến (%)"],
             ["Nghệ An", "77,7", "77,7"],          # Q1 is another fact: kept
             ["Hà Tĩnh", "60,0", "77,7"]]          # another place: kept
    out = extract(text, "2024-07-20", tables=[table])["observations"]
    prose = [o for o in out if o["rule"] != "table"]
    cells = [o for o in out if o["rule"] == "table"]
    assert [o["text"] for o in prose] == ["77,7%"]
    assert [(o["area"], o["as_of"]) for o in cells] == [
        ("Nghệ An", "2024-03-31"), ("Hà Tĩnh", "2024-03-31"), ("Hà Tĩnh", "2024-06-30")]
