"""Areas, fourth held-out round (tests/gold_blind4/NOTES_hea.md): rules, each read on sentences of
our own, with near cases that must keep their reading."""

from extractors.extract import extract

PUB = "2025-04-20T08:00:00+07:00"
PROVINCIAL = "Bắc Ninh: kết quả chuyển đổi số quý I"
NATIONAL = "Kết quả chuyển đổi số quý I"


def areas(body, title=NATIONAL, pub=PUB):
    return [(o["text"], o["area"]) for o in extract(body, pub, title=title)["observations"]]


# --- "cấp tỉnh" is a level of government, not "the province" -------------------------------------

def test_cap_tinh_does_not_carry_a_province_from_an_earlier_paragraph():
    body = ("Nghệ An có 412 xã, phường.\n\n"
            "Toàn quốc, số đơn vị hành chính cấp tỉnh giảm từ 63 xuống 34.\n\n"
            "Các bộ phải bảo đảm 100% hồ sơ được kết nối với hệ thống cấp tỉnh.")
    assert areas(body) == [("412", "Nghệ An"), ("63", "Việt Nam"), ("34", "Việt Nam"),
                           ("100%", "Việt Nam")]


def test_tinh_and_cap_tinh_after_a_named_province_keep_their_reading():
    assert areas("Nghệ An có 412 xã.\n\nTỉnh tiếp nhận 5.000 hồ sơ.") == [
        ("412", "Nghệ An"), ("5.000", "Nghệ An")]
    assert areas("Tỷ lệ của tỉnh Lâm Đồng đạt 68,4%; trong đó cấp tỉnh đạt 89,2%.") == [
        ("68,4%", "Lâm Đồng"), ("89,2%", "Lâm Đồng")]
    assert areas("Trong quý I, cấp tỉnh tiếp nhận 42.310 hồ sơ.", PROVINCIAL) == [
        ("42.310", "Bắc Ninh")]
