"""Whose figure it is (`area`) when a text is about another country (tests/gold_blind3 hdi*): the
country named after the people a figure counts, "ở X là N" lists, a clause opened by "còn tại X",
"sau X với N", and a title "X: …" naming a foreign country as the article's subject. Sentences of
our own (other countries, numbers and wording than the gold's), and readings that must not move."""

from extractors.extract import extract

PUB = "2025-11-20T08:00:00+07:00"
NATIONAL = "Kinh nghiệm chuyển đổi số của các nước"
PROVINCIAL = "Bắc Ninh: kết quả chuyển đổi số năm 2024"


def areas(body, title=NATIONAL):
    return [(o["text"], o["area"]) for o in extract(body, PUB, title=title)["observations"]]


# --- 1. the place right after the people a figure counts -----------------------------------------

def test_the_country_after_the_people_counted_owns_the_figure():
    assert areas("Hơn 95% người dân Đan Mạch đã dùng chữ ký số MitID.") == [("95%", "Đan Mạch")]
    assert areas("Gần 90% công dân Phần Lan có tài khoản định danh điện tử.") == [("90%", "Phần Lan")]


def test_people_of_a_province_in_a_provincial_article_keep_their_province():
    assert areas("Tỉnh có 82% người dân đã cài đặt ứng dụng VNeID.", PROVINCIAL) == [("82%", "Bắc Ninh")]


# --- 2. "ở X là N, ở Y là M": the place before "là" owns the figure after it ---------------------

def test_each_place_of_a_list_keeps_its_own_figure():
    assert areas("Tỷ lệ sử dụng thanh toán số ở Indonesia là 71%, ở Philippines là 64,5%.") == [
        ("71%", "Indonesia"), ("64,5%", "Philippines")]
    assert areas("Quy mô thị trường tại Nhật Bản đạt 52 tỷ USD, tại Ấn Độ đạt 40 tỷ USD.") == [
        ("52 tỷ USD", "Nhật Bản"), ("40 tỷ USD", "Ấn Độ")]


def test_a_place_after_the_figure_without_a_figure_of_its_own_still_takes_it():
    assert areas("Có 1.200 doanh nghiệp công nghệ số đang hoạt động tại Hà Nội.") == [("1.200", "Hà Nội")]


# --- 3. "còn tại X" opens a clause of its own ----------------------------------------------------

def test_a_place_after_con_tai_is_not_the_figure_befores():
    assert areas("Kinh tế số của Nhật Bản chiếm 21,5% GDP, còn tại Úc tỷ trọng này là 14%.") == [
        ("21,5%", "Nhật Bản"), ("14%", "Australia")]
    assert areas("Ấn Độ có 880 triệu người dùng, trong khi ở Indonesia con số này là 220 triệu.") == [
        ("880 triệu", "Ấn Độ"), ("220 triệu", "Indonesia")]


# --- 4. "sau X với N": N is X's --------------------------------------------------------------------

def test_a_figure_with_voi_right_after_the_comparison_point_is_the_points():
    assert areas("Thái Lan đứng thứ 3 về tăng trưởng, chỉ sau Indonesia với mức tăng 18%.") == [
        ("3", "Thái Lan"), ("18%", "Indonesia")]


def test_a_comparison_list_closed_by_a_comma_keeps_the_subjects_figure():
    assert areas("Bắc Ninh đứng thứ 3 cả nước, sau Hà Nội và Đà Nẵng, với 88,2%.", PROVINCIAL) == [
        ("3", "Bắc Ninh"), ("88,2%", "Bắc Ninh")]


def test_two_ranks_keep_their_countries():
    assert areas("Việt Nam đứng thứ 71, Singapore thứ 3.") == [("71", "Việt Nam"), ("3", "Singapore")]


# --- 5. a title "X: …" names a foreign country as the article's subject ----------------------------

def test_a_foreign_country_before_the_titles_colon_owns_unplaced_figures():
    title = "Đan Mạch: 99% giao tiếp với cơ quan nhà nước qua hộp thư số"
    body = ("Theo Cơ quan Số hóa, hộp thư Digital Post hiện có hơn 4,8 triệu người dùng. "
            "Tại Việt Nam, Cổng Dịch vụ công quốc gia có 9 triệu tài khoản.")
    assert areas(body, title) == [("99%", "Đan Mạch"), ("4,8 triệu", "Đan Mạch"), ("9 triệu", "Việt Nam")]


def test_a_province_or_the_nation_before_the_titles_colon_is_unchanged():
    body = "Hộp thư điện tử công vụ hiện có hơn 4.800 tài khoản."
    assert areas(body, PROVINCIAL) == [("4.800", "Bắc Ninh")]
    assert areas(body, "Việt Nam: kết quả chuyển đổi số") == [("4.800", "Việt Nam")]
    assert areas(body, "Kinh nghiệm của Đan Mạch về hộp thư số") == [("4.800", "Việt Nam")]


def test_a_vietnamese_system_in_an_article_about_another_country_stays_national():
    title = "Đan Mạch: 99% giao tiếp với cơ quan nhà nước qua hộp thư số"
    body = ("Hộp thư Digital Post hiện có hơn 4,8 triệu người dùng. "
            "Trong 6 tháng đầu năm, ứng dụng VNeID đã phục vụ khoảng 3,1 triệu lượt xác thực.")
    assert areas(body, title) == [("99%", "Đan Mạch"), ("4,8 triệu", "Đan Mạch"), ("3,1 triệu", "Việt Nam")]
