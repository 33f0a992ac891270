"""A figure right after its year ("Năm 2024, 12 xã …") is a figure, not the next item of a list of
years ("các năm 2022, 2023 và 2024"), which the label-list rule refuses."""

from extractors.extract import extract


def _texts(text: str) -> list[str]:
    return [o["text"] for o in extract(text, "2024-12-01")["observations"]]


def test_a_figure_after_its_year_and_a_comma_is_read():
    assert _texts("Năm 2024, 12 xã đã hoàn thành chuyển đổi số.") == ["12"]
    assert _texts("Trong năm 2023, 1.250 hồ sơ được giải quyết trực tuyến.") == ["1.250"]
    assert _texts("Năm 2022, 35 đơn vị kết nối với hệ thống.") == ["35"]


def test_lists_of_years_days_and_articles_stay_labels():
    assert _texts("Trong các năm 2022, 2023 và 2024, tỉnh có 15 xã đạt chuẩn.") == ["15"]
    assert _texts("Điều 12, 13 và 14 của Luật quy định 5 nhóm thủ tục.") == ["5"]
    assert _texts("Ngày 12, 13 tháng này có 300 hồ sơ.") == ["300"]
