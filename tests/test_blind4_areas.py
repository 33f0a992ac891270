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


# --- the article's own province, from a title that names the nation only as a yardstick ---------

def test_title_naming_a_province_beside_the_national_average_is_the_provinces_article():
    title = "Bắc Ninh: tỷ lệ hồ sơ trực tuyến quý I cao hơn bình quân cả nước"
    assert areas("Tỷ lệ giải quyết đúng hạn đạt 97,5%.", title) == [("97,5%", "Bắc Ninh")]
    title = "Nghệ An dẫn đầu cả nước về thanh toán trực tuyến"
    assert areas("Trong quý I, có 12.400 giao dịch.", title) == [("12.400", "Nghệ An")]


def test_a_title_that_states_the_nations_own_figure_stays_national():
    title = "Bắc Ninh và cả nước: tỷ lệ hồ sơ trực tuyến quý I"
    assert areas("Tỷ lệ giải quyết đúng hạn đạt 97,5%.", title) == [("97,5%", "Việt Nam")]
    # the national average stated as a figure in the body is still the nation's
    assert areas("Bình quân cả nước đạt 62,8%.", PROVINCIAL) == [("62,8%", "Việt Nam")]
    assert areas("Tỉnh đạt 71%, cao hơn bình quân cả nước (62,8%).", PROVINCIAL) == [
        ("71%", "Bắc Ninh"), ("62,8%", "Việt Nam")]


def test_thu_do_is_ha_noi():
    assert areas("Quý I, người dân Thủ đô thực hiện 2,1 triệu giao dịch.") == [
        ("2,1 triệu", "Hà Nội")]
    title = "Thủ đô dẫn đầu cả nước về hồ sơ trực tuyến"
    assert areas("Công an thành phố đã kích hoạt 6,5 triệu tài khoản.", title) == [
        ("6,5 triệu", "Hà Nội")]


def test_thu_do_of_a_law_or_of_another_country_is_not_ha_noi():
    assert areas("Theo Luật Thủ đô, 100% thủ tục được số hóa.") == [("100%", "Việt Nam")]
    assert areas("Tại Lào, thủ đô Viêng Chăn có 820.000 dân.") == [("820.000", "Lào")]
    assert areas("Tại Lào, Thủ đô Viêng Chăn có 820.000 dân.") == [("820.000", "Lào")]


# --- wards, communes and special zones -----------------------------------------------------------

def test_a_ward_named_like_a_province_is_not_that_province():
    title = "Thái Bình: kết quả chuyển đổi số quý I"
    assert areas("Phường Nam Định tiếp nhận 8.200 hồ sơ.", title) == [("8.200", "Thái Bình")]
    assert areas("Trong quý I, xã Hòa Bình có 61,3% hồ sơ trực tuyến.", title) == [
        ("61,3%", "Thái Bình")]
    assert areas("Thành phố có 40 phường; phường Hà Nam tiếp nhận 3.100 hồ sơ.",
                 "Ninh Bình sau hợp nhất") == [("40", "Ninh Bình"), ("3.100", "Ninh Bình")]


def test_a_ward_or_special_zone_named_after_a_former_district_is_in_its_province():
    assert areas("Phường Ngô Quyền tiếp nhận 9.300 hồ sơ, đặc khu Cát Hải 410 hồ sơ.") == [
        ("9.300", "Hải Phòng"), ("410", "Hải Phòng")]
    assert areas("Chủ tịch UBND phường Ba Đình cho biết, mỗi ngày có 180 lượt công dân.") == [
        ("180", "Hà Nội")]


def test_district_level_units_named_like_a_province_keep_their_reading():
    assert areas("Thị xã Quảng Trị có 5.300 hồ sơ.") == [("5.300", "Quảng Trị")]
    assert areas("Thành phố Nam Định có 5.300 hồ sơ.") == [("5.300", "Nam Định")]
    assert areas("Tỉnh Hòa Bình có 5.300 hồ sơ.") == [("5.300", "Hòa Bình")]
    assert areas("Tại Hải Dương, 5.300 hồ sơ được số hóa.") == [("5.300", "Hải Dương")]


def test_in_a_provinces_article_a_ward_named_after_a_former_district_is_that_provinces():
    title = "TP Hồ Chí Minh: kết quả 10 tháng năm 2025"
    assert areas("Phường Thủ Dầu Một đạt 95,2%, đặc khu Côn Đảo đạt 71,4%.", title) == [
        ("95,2%", "Hồ Chí Minh"), ("71,4%", "Hồ Chí Minh")]
    # a district (not a ward) keeps its own province, and so does a place named as such
    assert areas("Thành phố Dĩ An đạt 95,2%, còn Đồng Nai đạt 80%.", title) == [
        ("95,2%", "Bình Dương"), ("80%", "Đồng Nai")]


# --- the national average stated in brackets as a comparison point --------------------------------

def test_a_figure_after_the_national_average_in_brackets_is_the_subjects_again():
    assert areas("Tỷ lệ của tỉnh Bắc Ninh đạt 71%, cao hơn so với bình quân cả nước (62,8%) "
                 "và xếp thứ 9/63 tỉnh, thành phố.") == [
        ("71%", "Bắc Ninh"), ("62,8%", "Việt Nam"), ("9/63", "Bắc Ninh")]


def test_the_nations_own_figures_stay_the_nations():
    assert areas("Bình quân cả nước (62,8%) tăng 5 điểm phần trăm so với năm trước.") == [
        ("62,8%", "Việt Nam"), ("5 điểm phần trăm", "Việt Nam")]
    assert areas("Tỷ lệ của cả nước đạt 62,8%, xếp thứ 71/193 quốc gia.", PROVINCIAL) == [
        ("62,8%", "Việt Nam"), ("71/193", "Việt Nam")]
