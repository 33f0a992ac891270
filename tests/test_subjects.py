"""subject(): what a figure counts, on phrasings taken verbatim from the seed texts
(/work/shared/seeds, gold in tests/gold) and the mirror's articles (mirror/articles)."""

from __future__ import annotations

import pytest

from extractors.extract import extract
from extractors.subjects import subject
from flows.parse import parse_file

# (sentence as published, the figure as written in it, kind, expected subject)
CASES = [
    # the noun phrase after the number, ended by ";", "," "(", a verb or a preposition
    ("Theo thống kê từ Bộ Công an, đến 10/10/2023 đã cấp trên 83,76 triệu thẻ căn cước công dân gắn chíp; "
     "thu nhận trên 64,3 triệu hồ sơ định danh điện tử", "83,76 triệu", "count", "thẻ căn cước công dân gắn chíp"),
    ("Theo thống kê từ Bộ Công an, đến 10/10/2023 đã cấp trên 83,76 triệu thẻ căn cước công dân gắn chíp; "
     "thu nhận trên 64,3 triệu hồ sơ định danh điện tử; trong đó", "64,3 triệu", "count", "hồ sơ định danh điện tử"),
    ("36/63 địa phương đã triển khai trung tâm chỉ đạo, điều hành thông minh.", "36/63", "ratio", "địa phương"),
    ("toàn quốc đã có 12.597 cơ sở khám chữa bệnh (KCB) triển khai KCB bảo hiểm y tế", "12.597", "count",
     "cơ sở khám chữa bệnh"),
    ("91,2 triệu thông tin nhân khẩu được làm sạch giữa Cơ sở dữ liệu quốc gia về dân cư", "91,2 triệu", "count",
     "thông tin nhân khẩu"),
    ("Có 3 đơn vị chuyên trách CNTT hoạt động theo mô hình cấp cục", "3", "count", "đơn vị chuyên trách CNTT"),
    ("Chính phủ đã ban hành 2 nghị định, Thủ tướng Chính phủ đã ban hành 5 quyết định, 2 chỉ thị;", "5",
     "count", "quyết định"),
    ("giản hóa 2.189 quy định kinh doanh tại 175 văn bản quy phạm pháp luật (QPPL).", "175", "count",
     "văn bản quy phạm pháp luật"),
    ("Việt Nam đứng thứ 86/193 quốc gia, tăng 2 bậc so với năm 2018.", "86/193", "rank", "quốc gia"),
    ("Năm nước có vị trí cao hơn Việt Nam là Singapore", "Năm", "count", "nước"),
    ("trên tổng số 6.317 dịch vụ, chiếm khoảng 71,2%)", "6.317", "count", "dịch vụ"),
    # comma-joined pairs and nouns holding a stop word stay whole
    ("Đã có 20 bộ, ngành và 62 địa phương đã ban hành kế hoạch chuyển đổi số năm 2024", "20", "count", "bộ, ngành"),
    ("đã kết nối với 388 hệ thống, CSDL của 95 cơ quan, đơn vị tham gia kết nối.", "95", "count", "cơ quan, đơn vị"),
    ("Toàn tỉnh có 386/386 cơ sở khám, chữa bệnh bảo hiểm y tế đã triển khai", "386/386", "ratio",
     "cơ sở khám, chữa bệnh bảo hiểm y tế"),
    ("hệ thống đã xử lý khoảng 5,3 triệu chứng từ điện tử với giá trị thanh toán", "5,3 triệu", "count",
     "chứng từ điện tử"),
    # percents: the phrase after "%" ...
    ("tăng 5 lần so với tháng 9/2022; 62,7% hồ sơ TTHC được số hóa, trong đó có 25% được số hóa toàn trình",
     "62,7%", "percent", "hồ sơ TTHC"),
    ("đã kích hoạt trên 379,3 triệu tài khoản (chiếm 69,4% tổng tài khoản phê duyệt, tăng 17,2 triệu", "69,4%",
     "percent", "tổng tài khoản phê duyệt"),
    ("Đến nay, có 25,9% kết quả giải quyết thủ tục hành chính (TTHC) được cấp bản điện tử", "25,9%", "percent",
     "kết quả giải quyết thủ tục hành chính"),
    ("100% các bộ, ngành, địa phương có cung cấp dịch vụ công (DVC) trực tuyến", "100%", "percent", "bộ, ngành"),
    # ... else the phrase before "đạt / chiếm", without "tỷ lệ", whose place, or the denominator
    ("Tỷ lệ DVCTT toàn trình trên tổng số đủ điều kiện đạt 100%; 40/63 địa phương tham mưu", "100%", "percent",
     "DVCTT toàn trình"),
    ("tỉ lệ số hóa hồ sơ đăng ký doanh nghiệp đạt 100%.", "100%", "percent", "số hóa hồ sơ đăng ký doanh nghiệp"),
    ("tỷ lệ hồ sơ nộp trực tuyến của cả nước đạt 27,9%.", "27,9%", "percent", "hồ sơ nộp trực tuyến"),
    ("tỷ lệ hồ sơ nộp trực tuyến trên tổng số hồ sơ giải quyết thủ tục hành chính mới chỉ đạt khoảng 38,3%.",
     "38,3%", "percent", "hồ sơ nộp trực tuyến"),
    # no subject: a change, a verb, a parenthesis, a place, money
    ("đạt tỷ lệ 73%, tăng 8% so với năm 2023.", "8%", "percent", None),
    ("trong đó có 25% được số hóa toàn trình từ khâu tiếp nhận đến trả kết quả", "25%", "percent", None),
    ("như dịch vụ thông báo lưu trú (99,98%); dịch vụ cấp điện lưới mới", "99,98%", "percent", None),
    ("theo quy định, đạt tỷ lệ 73%, tăng 8% so với năm 2023.", "73%", "percent", None),
    ("vẫn là 1 trong 3 tỉnh dẫn đầu cả nước về tỷ lệ hồ sơ nộp trực tuyến; Bắc Giang đạt 87,6%; Hà Nội đạt 73,5%.",
     "87,6%", "percent", None),
    ("tiền giấy, mực: tiết kiệm trên 1.200 tỷ đồng mỗi năm từ tiền giấy", "1.200 tỷ đồng", "money", None),
    ("gửi, nhận trong năm 2020 gấp 2,5 lần so với năm 2019.", "2,5 lần", "multiple", None),
    ("(tăng 213 triệu so với năm 2023)", "213 triệu", "count", None),
    ("Việt Nam vẫn giữ nguyên vị trí thứ 6. Năm nước", "6", "rank", None),
    ("Thái Lan từ 73 lên 57, Indonesia từ 107 lên 88", "73", "rank", None),
]


@pytest.mark.parametrize("sentence, figure, kind, expected", CASES, ids=[f"{c[1]}-{c[3]}" for c in CASES])
def test_subject_of_real_phrasings(sentence, figure, kind, expected):
    end = sentence.index(figure) + len(figure)
    assert subject(sentence, end, kind) == expected


def test_a_subject_is_capped_at_nine_words():
    text = "đã cấp 5 thẻ căn cước công dân gắn chíp điện tử mẫu mới nhất"
    assert subject(text, text.index("5") + 1, "count") == "thẻ căn cước công dân gắn chíp điện tử"


@pytest.mark.parametrize("end", [-1, 10_000])
def test_an_offset_outside_the_text_has_no_subject(end):
    assert subject("36/63 địa phương", end, "ratio") is None


def test_extract_gives_every_observation_a_subject_from_body_title_and_tables():
    body = ("Đến 10/10/2023 đã cấp trên 83,76 triệu thẻ căn cước công dân gắn chíp. "
            "Tỷ lệ hồ sơ nộp trực tuyến đạt 62,7%, tăng 8% so với năm 2022.")
    title = "Hơn 50 triệu tài khoản định danh điện tử được kích hoạt"
    table = [["Chỉ tiêu", "Năm 2023"], ["Số hồ sơ trực tuyến", "1.200"]]
    out = extract(body, "2023-10-16", title=title, tables=[table])["observations"]
    got = {o["text"]: o["subject"] for o in out}
    assert got["83,76 triệu"] == "thẻ căn cước công dân gắn chíp"
    assert got["62,7%"] == "hồ sơ nộp trực tuyến"
    assert got["8%"] is None
    assert got["50 triệu"] == "tài khoản định danh điện tử"          # title figure: read in the title
    assert [o["start"] for o in out if o["text"] == "50 triệu"] == [-1]
    assert all("subject" in o for o in out) and any(o["rule"] == "table" for o in out)


def test_parse_output_carries_the_subject(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("Đến nay, 36/63 địa phương đã triển khai trung tâm điều hành thông minh.", encoding="utf-8")
    out = parse_file(page, published="2023-11-16")
    assert [(o["text"], o["subject"]) for o in out["observations"]] == [("36/63", "địa phương")]
