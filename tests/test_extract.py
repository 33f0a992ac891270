"""Behaviour of extract(): which numbers are observations and how each field is read."""

from extractors.extract import EXTRACTOR_VERSION, extract

PUB = "2024-04-24T14:29:00+07:00"
SPEC_FIELDS = {"value", "denominator", "kind", "change", "qualifier", "indicator", "area", "as_of",
               "period_start", "text"}


def obs(body, **kw):
    return extract(body, PUB, **kw)["observations"]


def texts(body, **kw):
    return [o["text"] for o in obs(body, **kw)]


def one(body, **kw):
    (o,) = obs(body, **kw)
    return o


def test_version_and_shape():
    assert EXTRACTOR_VERSION == "0.5.0"
    body = "Theo thống kê, đến hết quý I năm 2024, có 13,2 triệu tài khoản."
    (o,) = obs(body)
    assert set(o) == SPEC_FIELDS | {"sentence", "start", "end", "rule", "subject"}
    assert body[o["start"]:o["end"]] == o["text"] == "13,2 triệu"
    assert o["value"] == 13_200_000 and isinstance(o["value"], int)
    assert o["sentence"] == body


def test_kinds():
    assert one("đạt 62,7%")["kind"] == "percent"
    assert one("tiết kiệm 9.900 tỷ đồng")["kind"] == "money"
    assert one("giúp tiết kiệm 1.200 tỷ/năm")["kind"] == "money"
    assert one("tiếp nhận 1,5 tỷ yêu cầu")["kind"] == "count"
    r = one("36/63 địa phương đã triển khai")
    assert (r["kind"], r["value"], r["denominator"]) == ("ratio", 36, 63)
    m = one("gấp 2,5 lần so với năm 2019")
    assert (m["kind"], m["value"], m["change"], m["text"]) == ("multiple", 2.5, True, "2,5 lần")


def test_ranks():
    r = one("Việt Nam đứng thứ 86/193 quốc gia")
    assert (r["kind"], r["value"], r["denominator"], r["text"]) == ("rank", 86, 193, "86/193")
    r = one("Việt Nam xếp vị trí thứ 71 trong tổng số 193 quốc gia")
    assert (r["kind"], r["value"], r["denominator"]) == ("rank", 71, 193)
    step = one("tăng 2 bậc so với năm 2018")
    assert (step["kind"], step["change"], step["text"]) == ("rank", True, "2 bậc")
    moves = obs("Sự thăng hạng của các nước như Thái Lan từ 73 lên 57, Indonesia từ 107 lên 88.")
    assert [(o["kind"], o["value"], o["area"]) for o in moves] == [
        ("rank", 73, "Thái Lan"), ("rank", 57, "Thái Lan"), ("rank", 107, "Indonesia"), ("rank", 88, "Indonesia")]


def test_not_observations():
    body = ("Ngày 22/6/2023, phiên họp thứ 8, lần thứ 6 sơ kết 2 năm thực hiện Đề án 06 và Nghị quyết 17 "
            "giai đoạn 2021 – 2030; dịch vụ công mức độ 3, 4; gọi 0204.3.855.223; dịch COVID-19; "
            "Thời hạn trong tháng 8 hàng năm; 6 tháng; trẻ dưới 6 tuổi; Nghị định 45/2020/NĐ-CP; "
            "kế hoạch Đề án 06/CP; năm 2025; lúc 14:29; mạng 5G; hỗ trợ 24/7.")
    assert texts(body) == []


def test_qualifiers():
    assert one("đã cấp trên 83,76 triệu thẻ")["qualifier"] == "at_least"
    assert one("có hơn 2.800 dịch vụ")["qualifier"] == "at_least"
    assert one("ước tính trên 9.900 tỷ đồng")["qualifier"] == "at_least"
    assert one("ít nhất 80% thủ tục")["qualifier"] == "at_least"
    assert one("khoảng 6.2 triệu văn bản")["qualifier"] == "approx"
    assert one("gần 6.800 thủ tục")["qualifier"] == "approx"
    assert one("xấp xỉ 50%")["qualifier"] == "approx"
    assert one("ước tính 5 triệu người")["qualifier"] == "approx"
    assert one("dưới 30%")["qualifier"] == "at_most"
    assert one("chưa đến 10 tỉnh")["qualifier"] == "at_most"
    assert one("không quá 20%")["qualifier"] == "at_most"
    assert one("ưu tiên trên 12 lĩnh vực")["qualifier"] == "exact"      # "across", not "more than"
    assert one("cao hơn 5% so với năm trước")["qualifier"] == "exact"   # "by"
    assert one("trên tổng số 6.317 dịch vụ")["qualifier"] == "exact"


def test_changes():
    assert one("tăng 17,2 triệu tài khoản so với thời điểm sơ kết")["change"] is True
    assert one("tăng gần 2,9 triệu thẻ so với năm 2022")["change"] is True
    assert one("cắt giảm, đơn giản hóa hơn 1.000 quy định")["change"] is False
    assert one("cắt giảm, đơn giản hóa ít nhất 20% số quy định")["change"] is True
    assert one("tăng lên 50%")["change"] is False
    ranged = obs("với mức giảm phí, lệ phí từ 10% đến 50%.")
    assert [o["change"] for o in ranged] == [True, True]
    aside = obs("là 2.398 CSDL, tăng 311 (14,5%) CSDL so với năm 2023")
    assert [(o["text"], o["change"]) for o in aside] == [("2.398", False), ("311", True), ("14,5%", True)]


def test_spelled_out_counts():
    assert [(o["value"], o["text"]) for o in obs("Đây là hai vấn đề quan trọng.")] == [(2, "hai")]
    assert [(o["value"], o["text"]) for o in obs("Năm nước có vị trí cao hơn.")] == [(5, "Năm")]
    assert obs("Năm nay, thứ hai, một số nơi") == []


def test_indicators():
    assert one("đến 10/10/2023 đã cấp trên 83,76 triệu thẻ căn cước công dân gắn chíp")["indicator"] == "chip_id_cards_issued"
    assert one("có 2.398 CSDL")["indicator"] == "databases_count"
    assert one("kết nối với 388 hệ thống, CSDL của bộ")["indicator"] is None
    assert one("Tỷ lệ DVCTT toàn trình đạt 100%")["indicator"] == "full_online_services_rate"
    assert one("tỷ lệ hồ sơ nộp trực tuyến đạt khoảng 38,3%")["indicator"] == "online_application_rate"
    assert one("Cổng Dịch vụ công quốc gia có hơn 6 triệu tài khoản đăng ký")["indicator"] == "national_portal_accounts"
    chained = obs("đã kích hoạt trên 379,3 triệu tài khoản (chiếm 69,4% tổng tài khoản, tăng 17,2 triệu tài khoản so với trước)")
    assert [o["indicator"] for o in chained] == ["eid_accounts_activated", None, "eid_accounts_activated"]
    subset = obs("Hoàn thành cung cấp 25/25 DVC thiết yếu (trong đó 23/25 DVC thiết yếu đã được thực hiện toàn trình)")
    assert [o["indicator"] for o in subset] == ["essential_services_provided", None]
    examples = obs("Các DVC có tỷ lệ hồ sơ trực tuyến cao như dịch vụ thông báo lưu trú (99,98%)")
    assert [o["indicator"] for o in examples] == [None]


def test_indicator_phrases_without_diacritics():
    assert one("da cap tren 5 trieu the can cuoc cong dan gan chip")["indicator"] == "chip_id_cards_issued"


def test_areas():
    assert one("Có 24 địa phương đã hoàn thành.")["area"] == "Việt Nam"
    assert one("Tại Hà Nội, tỷ lệ hồ sơ nộp trực tuyến đạt 60%.")["area"] == "Hà Nội"
    assert one("TP.HCM có 500 doanh nghiệp.")["area"] == "Hồ Chí Minh"
    assert one("Thanh Hoá có 500 doanh nghiệp.")["area"] == "Thanh Hóa"
    listed = obs("hơn 700 doanh nghiệp tại Hà Nội và khoảng 500 doanh nghiệp tại TP. Hồ Chí Minh đã được cấp")
    assert [o["area"] for o in listed] == ["Hà Nội", "Hồ Chí Minh"]
    assert one("Quảng Ninh dẫn đầu cả nước với 99,1% hồ sơ.")["area"] == "Quảng Ninh"
    assert one("Sáng 24/4, tại Hà Nội, Thủ tướng chủ trì hội nghị với 63 địa phương.")["area"] == "Việt Nam"


def test_province_articles_default_to_their_province():
    body = "Toàn tỉnh có 1.847 thủ tục.\n\nTỷ lệ trên toàn quốc đạt 64,8%."
    got = obs(body, title="Bắc Giang: tiếp nhận hồ sơ trực tuyến")
    assert [o["area"] for o in got] == ["Bắc Giang", "Việt Nam"]
    assert obs(body, default_area="Bắc Giang")[0]["area"] == "Việt Nam"   # not named in title or lead
    assert obs("Bắc Giang có 5 xã.\n\nCó 3 huyện.", default_area="Bắc Giang")[1]["area"] == "Bắc Giang"


def test_same_fact_twice_is_one_observation_but_different_facts_stay():
    lead = "Đến nay, có 25,9% kết quả giải quyết TTHC được cấp bản điện tử."
    assert len(obs(lead + "\n\nVề số hóa. " + lead)) == 1
    body = ("Đến tháng 6/2022 đảm bảo cấp 100% chứng thư số cho Bộ phận Một cửa cấp bộ; "
            "tháng 12/2022 đảm bảo cấp 100% chứng thư số cho Bộ phận Một cửa cấp huyện.")
    assert len(obs(body)) == 2


def test_title_figures_not_in_body():
    out = extract("Đã có 62,7% hồ sơ TTHC được số hóa.", PUB, title="Đến nay, đã có 62,7% hồ sơ TTHC được số hóa")
    assert len(out["observations"]) == 1 and out["observations"][0]["start"] >= 0
    out = extract("Nội dung không có số.", PUB, title="Bắc Giang tiếp nhận trên 91 nghìn hồ sơ trực tuyến")
    (o,) = out["observations"]
    assert (o["value"], o["start"], o["end"], o["sentence"]) == (91_000, -1, -1, "Bắc Giang tiếp nhận trên 91 nghìn hồ sơ trực tuyến")


def test_empty_and_odd_input():
    assert extract("", None) == {"observations": [], "legal_refs": []}
    assert extract("Không có số nào.", "2024-01-01")["observations"] == []
