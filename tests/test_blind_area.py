"""Whose figure it is (`area`) on wordings the extractor was not tuned on (issue 3, the held-out
gold's "Area" failures): each rule with sentences of our own, and the near cases it must leave."""

from extractors.extract import extract

PUB = "2024-06-28T09:00:00+07:00"


def areas(body, **kw):
    return [(o["text"], o["area"]) for o in extract(body, PUB, **kw)["observations"]]


# --- a place name is a whole name as written ---------------------------------------------------

def test_a_name_without_its_diacritics_is_another_word_in_vietnamese_prose():
    # "Lao" (Lào), "My" (Mỹ), "Hue" (Huế) inside diacritised prose are other words or names.
    assert areas("Sở Lao động, Thương binh và Xã hội đã chi trả 1.250 hồ sơ.") == \
        [("1.250", "Việt Nam")]
    assert areas("Nghiệp đoàn Lao Động tỉnh có 420 hội viên mới.") == [("420", "Việt Nam")]
    assert areas("Xã Trà My có 37 thôn đã phủ sóng di động.") == [("37", "Việt Nam")]
    # The same spellings in text written without diacritics are still the places.
    assert areas("Nam 2023, Ha Noi co 120 dich vu cong.")[0][1] == "Hà Nội"
    # Names written with their diacritics are untouched.
    assert areas("Lào có 45 dịch vụ công trực tuyến.") == [("45", "Lào")]


def test_a_one_word_country_name_inside_a_longer_proper_name_is_no_country():
    assert areas("Thành phố Mỹ Tho có 2.300 hồ sơ trực tuyến.") == [("2.300", "Tiền Giang")]   # a district
    assert areas("Huyện Bắc Trà Mỹ đã số hóa 640 hồ sơ.") == [("640", "Việt Nam")]
    assert areas("Các nước Mỹ Latinh có 33 thành viên.") == [("33", "Việt Nam")]
    # Standing alone, after a lower-case word or first in its sentence, it is the country.
    assert areas("Chính phủ Mỹ cung cấp 1.200 dịch vụ trực tuyến.") == [("1.200", "Hoa Kỳ")]
    assert areas("Tại Úc, 95% dịch vụ công được cung cấp trực tuyến.") == [("95%", "Australia")]
    assert areas("Hàn Quốc, Mỹ và Nhật Bản có 3 nền tảng chung.")[0][1] == "Nhật Bản"


# --- whose figure: subjects a sentence names besides places -------------------------------------

def test_a_count_of_provinces_is_a_national_figure_and_so_is_what_it_governs():
    title = "Hưng Yên: kết quả chuyển đổi số quý II"
    body = ("Hưng Yên đạt 71%. Hà Nam đạt 92%, Nam Định 88%; ngược lại, còn 7 tỉnh có tỷ lệ dưới 25%.\n\n"
            "Có 41/63 tỉnh, thành phố đã vận hành trung tâm điều hành.\n\n"
            "Cả nước có ba địa phương chưa kết nối.")
    assert areas(body, title=title) == [
        ("71%", "Hưng Yên"), ("92%", "Hà Nam"), ("88%", "Nam Định"), ("7", "Việt Nam"),
        ("25%", "Việt Nam"), ("41/63", "Việt Nam"), ("ba", "Việt Nam")]


def test_a_rank_among_provinces_and_one_of_several_stay_the_provinces():
    title = "Hưng Yên: kết quả chuyển đổi số quý II"
    body = ("Hưng Yên xếp thứ 12/63 tỉnh, thành phố với 88,5%.\n\n"
            "Long An là một trong hai tỉnh có 100% hồ sơ được số hóa.\n\n"
            "Toàn tỉnh có 5 địa phương cấp huyện đạt 90%.")
    assert areas(body, title=title) == [
        ("12/63", "Hưng Yên"), ("88,5%", "Hưng Yên"), ("hai", "Việt Nam"), ("100%", "Long An"),
        ("5", "Hưng Yên"), ("90%", "Hưng Yên")]


def test_the_province_a_provincial_article_says_tinh_of_is_its_own():
    title = "Hà Tĩnh tăng 6 bậc về chỉ số chuyển đổi số"
    body = ("Hà Tĩnh đạt 0,61 điểm, tăng 6 bậc.\n\n"
            "Đứng đầu cả nước là Hải Phòng với 0,74 điểm; Bắc Ninh đứng thứ hai.\n\n"
            "Trong năm, tỷ lệ hồ sơ trực tuyến của tỉnh đạt 63%; tỉnh đã cấp 4.100 chữ ký số.")
    assert areas(body, title=title)[-2:] == [("63%", "Hà Tĩnh"), ("4.100", "Hà Tĩnh")]
    city = ("Cần Thơ xếp thứ 4 khu vực.\n\nĐà Nẵng đạt 97%, Huế đạt 95%.\n\n"
            "Năm nay, thành phố đã số hóa 820.000 hồ sơ.")
    assert areas(city, title="Cần Thơ đẩy mạnh số hóa")[-1] == ("820.000", "Cần Thơ")
    # A national article: "tỉnh" is the province last named, as before.
    national = "Cổng Dịch vụ công quốc gia có 5 triệu tài khoản.\n\nTại Long An, tỉnh đã cấp 3.000 chữ ký số."
    assert areas(national)[-1] == ("3.000", "Long An")


def test_a_province_named_as_a_comparison_point_is_not_the_one_tinh_means():
    body = ("Tổng số giao dịch đạt 27 triệu.\n\n"
            "Tại Đồng Nai, có 300.000 giao dịch, xếp thứ 3 cả nước sau Hà Nội và Bình Dương. "
            "Lãnh đạo tỉnh cho biết, tỉnh đã miễn 100% lệ phí cho 12 thủ tục.\n\n"
            "Tại Tây Ninh, số giao dịch thấp hơn Long An. Tỉnh đã có 40.000 giao dịch.")
    got = areas(body)
    assert got[-3:] == [("100%", "Đồng Nai"), ("12", "Đồng Nai"), ("40.000", "Tây Ninh")]


def test_a_national_system_as_a_clauses_subject_is_the_nations_figure():
    title = "Vĩnh Long: hoàn thành tích hợp dịch vụ công"
    body = ("Vĩnh Long có 1.950 thủ tục.\n\n"
            "Theo Bộ Công an, Cơ sở dữ liệu quốc gia về dân cư đã kết nối với 21 bộ, ngành.\n\n"
            "Trong quý II, Cổng Dịch vụ công quốc gia tiếp nhận 9,2 triệu hồ sơ.\n\n"
            "Toàn tỉnh có 9.800 tài khoản trên Cổng Dịch vụ công quốc gia, tăng 1.200 tài khoản. "
            "Hệ thống của tỉnh kết nối Cổng Dịch vụ công quốc gia, tiếp nhận 5.000 hồ sơ.")
    assert areas(body, title=title) == [
        ("1.950", "Vĩnh Long"), ("21", "Việt Nam"), ("9,2 triệu", "Việt Nam"),
        ("9.800", "Vĩnh Long"), ("1.200", "Vĩnh Long"), ("5.000", "Vĩnh Long")]


def test_after_the_nation_as_a_rankings_scope_tinh_is_the_subject():
    title = "Quảng Trị: kết quả thanh toán trực tuyến"
    body = ("Quảng Trị đạt 61%.\n\n"
            "Trong cả nước, tỉnh xếp thứ 5/34 tỉnh, thành phố.\n\nTrên cả nước, có 1.200 xã đạt chuẩn.")
    assert areas(body, title=title) == [("61%", "Quảng Trị"), ("5/34", "Quảng Trị"),
                                        ("1.200", "Việt Nam")]
    city = "Cần Thơ đạt 58%.\n\nTrên phạm vi toàn quốc, thành phố đứng thứ 11 về tỷ lệ số hóa."
    assert areas(city, title="Cần Thơ đẩy mạnh số hóa")[-1] == ("11", "Cần Thơ")


# --- a district stands for its province (extractors/data/districts.yaml) -----------------------

def test_a_figure_about_a_district_is_its_provinces():
    assert areas("UBND huyện Quỳnh Lưu đã tiếp nhận 4.210 hồ sơ.") == [("4.210", "Nghệ An")]
    assert areas("Quận Cầu Giấy có 38 điểm phục vụ.") == [("38", "Hà Nội")]
    assert areas("Tỷ lệ hồ sơ trực tuyến tại thị xã Thái Hòa đạt 71%.") == [("71%", "Nghệ An")]
    # An article about a district that never names its province is the province's.
    body = "Năm nay, huyện đã số hóa 12.400 hồ sơ.\n\nToàn huyện có 26 xã."
    got = areas(body, title="Thành phố Đông Hà đẩy mạnh số hóa hồ sơ")
    assert got == [("12.400", "Quảng Trị"), ("26", "Quảng Trị")]


def test_a_district_name_without_its_designator_or_shared_by_two_provinces_is_no_place():
    assert areas("Công ty Yên Thành có 120 nhân viên.") == [("120", "Việt Nam")]
    assert areas("Huyện Châu Thành có 12 xã.") == [("12", "Việt Nam")]     # in six provinces
    assert areas("Quận Hoàng Mai có 14 phường.") == [("14", "Việt Nam")]   # Hà Nội's; a thị xã of Nghệ An
