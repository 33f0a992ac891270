"""Whose figure it is (`area`) when a provincial article compares itself with other places or with
the nation: a comparison point ("sau Hà Nội", "cao hơn Hà Nam", "So với Hưng Yên"), the pool of a
ranking ("đứng thứ 2 toàn quốc", "top 5 cả nước") and the national average as a yardstick ("vượt
mức trung bình cả nước") are never the subject of the figure that follows. Sentences of our own,
as a provincial portal writes them, and the national readings that must stay national."""

from extractors.extract import extract

PUB = "2025-11-20T08:00:00+07:00"
PROVINCIAL = "Bắc Ninh: kết quả chuyển đổi số năm 2024"
NATIONAL = "Kết quả chuyển đổi số năm 2024"


def areas(body, title=PROVINCIAL):
    return [(o["text"], o["area"]) for o in extract(body, PUB, title=title)["observations"]]


# --- 1. a comparison point named before a figure is not its subject -----------------------------

def test_a_comparison_point_before_the_figure_is_not_its_subject():
    assert areas("Bắc Ninh đứng thứ 3 cả nước, sau Hà Nội và Đà Nẵng, với 88,2%.") == [
        ("3", "Bắc Ninh"), ("88,2%", "Bắc Ninh")]
    assert areas("Tỷ lệ hồ sơ trực tuyến của tỉnh đạt 76%, cao hơn Hà Nam 9 điểm phần trăm.") == [
        ("76%", "Bắc Ninh"), ("9 điểm phần trăm", "Bắc Ninh")]


def test_in_a_national_article_the_figure_goes_to_the_place_compared_not_the_point():
    body = "Hải Phòng có tỷ lệ số hóa đạt 81%, cao hơn Hà Nội 4 điểm phần trăm."
    assert areas(body, NATIONAL) == [("81%", "Hải Phòng"), ("4 điểm phần trăm", "Hải Phòng")]


def test_a_figure_right_after_the_comparison_point_is_the_points_own():
    assert areas("Tỉnh đứng thứ 2, sau Hà Nội (85%), với 80%.") == [
        ("2", "Bắc Ninh"), ("85%", "Hà Nội"), ("80%", "Bắc Ninh")]
    assert areas("Tỷ lệ của tỉnh đạt 80%, thấp hơn Hà Nội đạt 85%.") == [
        ("80%", "Bắc Ninh"), ("85%", "Hà Nội")]


def test_a_place_named_right_before_its_own_figure_keeps_it():
    assert areas("Hà Nội đạt 85%, Đà Nẵng đạt 83%.") == [("85%", "Hà Nội"), ("83%", "Đà Nẵng")]
    assert areas("Xếp sau Hà Nội, Đà Nẵng có 83% hồ sơ trực tuyến.", NATIONAL) == [("83%", "Đà Nẵng")]


def test_a_place_after_the_comparison_and_a_comma_opens_the_main_clause():
    # A list of comparison points closes with "và": a place after a comma with none after it is
    # the subject of the main clause, not one more point.
    body = "Xếp sau Hà Nội, Đà Nẵng có tỷ lệ hồ sơ trực tuyến đạt 83%."
    assert areas(body, NATIONAL) == [("83%", "Đà Nẵng")]
    body = "Đứng sau Hà Nội, Hải Phòng và Quảng Ninh, Hưng Yên có tỷ lệ số hóa đạt 80%."
    assert areas(body) == [("80%", "Hưng Yên")]
    body = "Tỉnh đứng thứ 4, sau Hà Nội, Hải Phòng và Quảng Ninh, với tỷ lệ số hóa đạt 80%."
    assert areas(body) == [("4", "Bắc Ninh"), ("80%", "Bắc Ninh")]


# --- 2. "So với" opening a sentence -------------------------------------------------------------

def test_a_comparison_point_is_one_whatever_the_case_of_its_word():
    assert areas("So với Hưng Yên, tỉnh có 120 thủ tục được số hóa.") == [("120", "Bắc Ninh")]
    assert areas("Sau Hà Nội, tỉnh đạt tỷ lệ cao nhất với 80%.") == [("80%", "Bắc Ninh")]


# --- 3. "cả nước" / "toàn quốc" after a rank is the ranking's pool --------------------------------

def test_the_nation_after_a_rank_is_the_pool_of_the_ranking():
    assert areas("Tỉnh đứng thứ 2 toàn quốc với 91,3%.") == [("2", "Bắc Ninh"), ("91,3%", "Bắc Ninh")]
    assert areas("Năm 2024, tỉnh lọt top 5 cả nước với 95% hồ sơ trực tuyến.") == [
        ("5", "Bắc Ninh"), ("95%", "Bắc Ninh")]
    assert areas("Chỉ số DTI của tỉnh xếp thứ 4/63 cả nước, đạt 0,52 điểm.") == [
        ("4/63", "Bắc Ninh"), ("0,52", "Bắc Ninh")]


def test_in_a_national_article_a_ranked_province_keeps_its_figure():
    assert areas("Đà Nẵng đứng thứ hai cả nước với 97,2%.", NATIONAL) == [
        ("hai", "Đà Nẵng"), ("97,2%", "Đà Nẵng")]
    assert areas("Hà Nội đứng thứ 2 toàn quốc với 91,3%.", NATIONAL) == [
        ("2", "Hà Nội"), ("91,3%", "Hà Nội")]


# --- 4. the national average as a yardstick ("vượt mức trung bình cả nước") ----------------------

def test_the_national_average_level_as_a_yardstick_is_no_subject():
    assert areas("Tỷ lệ hồ sơ số hóa của tỉnh vượt mức trung bình cả nước, đạt 71%.") == [
        ("71%", "Bắc Ninh")]
    assert areas("Tỉnh có tỷ lệ cao hơn mức bình quân chung của cả nước, với 68,4%.") == [
        ("68,4%", "Bắc Ninh")]


def test_the_national_average_stated_with_its_figure_is_the_nations():
    assert areas("Tỉnh đạt 71%, cao hơn mức trung bình cả nước (58,3%).") == [
        ("71%", "Bắc Ninh"), ("58,3%", "Việt Nam")]
    assert areas("Mức trung bình của cả nước trong quý III đạt 44,7%.") == [("44,7%", "Việt Nam")]


# --- the national readings that stay national ------------------------------------------------------

def test_national_figures_in_a_provincial_article_stay_national():
    assert areas("Cả nước có 12 tỉnh đạt trên 60%.") == [("12", "Việt Nam"), ("60%", "Việt Nam")]
    assert areas("Tỉnh đạt 60%, trong khi bình quân cả nước chỉ đạt 42,5%.") == [
        ("60%", "Bắc Ninh"), ("42,5%", "Việt Nam")]
    assert areas("Tỷ lệ của cả nước đạt 47%.") == [("47%", "Việt Nam")]
    assert areas("Toàn quốc có 54 tỉnh đã kết nối, thứ 3 là Bắc Ninh.") == [("54", "Việt Nam")]


def test_a_national_article_ranking_the_nation_stays_national():
    assert areas("Việt Nam đứng thứ 71/193 quốc gia về Chỉ số phát triển Chính phủ điện tử.",
                 NATIONAL) == [("71/193", "Việt Nam")]
    assert areas("Cả nước đứng thứ 71 thế giới, tỷ lệ dịch vụ công trực tuyến toàn trình đạt 55%.",
                 NATIONAL) == [("71", "Việt Nam"), ("55%", "Việt Nam")]


def test_a_bare_average_of_the_nation_is_no_yardstick():
    # Without a comparing word before "mức", the national average states its own figure.
    assert areas("Bình quân cả nước, tỷ lệ này đạt 42,5%.") == [("42,5%", "Việt Nam")]
