"""Rules added in extractor 0.2.0, each from a hard case of tests/gold/ it failed before."""

from extractors.extract import extract

PUB = "2024-05-15T09:00:00+07:00"


def obs(body, **kw):
    return extract(body, PUB, **kw)["observations"]


def test_rounded_or_shorter_title_figure_is_the_body_figure():
    out = obs("Đến hết tháng 4/2024, có 52,3 triệu tài khoản định danh điện tử được kích hoạt.",
              title="Hơn 52 triệu tài khoản định danh điện tử được kích hoạt")
    assert [o["text"] for o in out] == ["52,3 triệu"]
    out = obs("Việt Nam xếp vị trí thứ 71 trong tổng số 193 quốc gia.", title="Việt Nam xếp thứ 71")
    assert len(out) == 1


def test_noun_outranks_cue_words_of_the_previous_figure():
    out = obs("Có xấp xỉ 40% hồ sơ được nộp trực tuyến và chưa đến 20% kết quả giải quyết TTHC được cấp bản điện tử.")
    assert [o["indicator"] for o in out] == ["online_application_rate", "e_results_rate"]


def test_national_figure_right_after_the_nation():
    out = obs("Tỷ lệ hồ sơ nộp trực tuyến của Đà Nẵng đạt 72,5%, trong khi tỷ lệ chung của cả nước là 45,3%.")
    assert [(o["area"], o["indicator"]) for o in out] == [
        ("Đà Nẵng", "online_application_rate"), ("Việt Nam", "online_application_rate")]
    out = obs("Quảng Ninh dẫn đầu cả nước với 99,1% hồ sơ nộp trực tuyến.")
    assert out[0]["area"] == "Quảng Ninh"


def test_level_after_a_change_and_ellipsis_across_sentences():
    out = obs("Tỷ lệ hồ sơ nộp trực tuyến tăng 8,2%, đạt 45,6%.")
    assert [o["indicator"] for o in out] == [None, "online_application_rate"]
    out = obs("Tỷ lệ hồ sơ nộp trực tuyến của Đà Nẵng đạt 72,5%. Quảng Ninh đạt 81,2%, Bắc Ninh đạt 66%.")
    assert [(o["area"], o["indicator"]) for o in out][1:] == [
        ("Quảng Ninh", "online_application_rate"), ("Bắc Ninh", "online_application_rate")]


def test_bare_year_with_an_event_verb_is_a_period():
    (o,) = obs("Năm 2023, tỉnh Lào Cai tiếp nhận 154.320 hồ sơ trực tuyến.")
    assert (o["as_of"], o["period_start"]) == ("2023-12-31", "2023-01-01")
    (o,) = obs("Năm 2020, cả nước có 1.500 cơ sở dữ liệu của các bộ, ngành, địa phương.")
    assert (o["as_of"], o["period_start"]) == ("2020-12-31", None)
