"""Whose figure it is (`area`) on the second held-out round's area failures (tests/gold_blind2/):
each rule on sentences of our own — other wordings, places and numbers than the gold's — and the
near cases it must leave as they are."""

from extractors.extract import extract

PUB = "2025-11-20T08:00:00+07:00"


def areas(body, **kw):
    return [(o["text"], o["area"]) for o in extract(body, PUB, **kw)["observations"]]


# --- a place named only as what something merged with ------------------------------------------

def test_a_place_after_a_merger_verb_is_its_object_not_the_figures_subject():
    title = "Ninh Bình: kết quả cải cách hành chính 9 tháng"
    body = ("Sau khi tỉnh sáp nhập với tỉnh Hà Nam và tỉnh Nam Định, 129 xã, phường đã tiếp nhận "
            "856.210 hồ sơ, chiếm 63,4% tổng số hồ sơ của toàn tỉnh.\n\n"
            "Khi tỉnh mới sau hợp nhất với Hà Nam và Nam Định đi vào hoạt động, 97 xã đã kết nối mạng.")
    assert areas(body, title=title) == [
        ("129", "Ninh Bình"), ("856.210", "Ninh Bình"), ("63,4%", "Ninh Bình"), ("97", "Ninh Bình")]


def test_in_a_national_article_the_merged_provinces_fall_back_to_the_nation():
    body = "Sau khi sáp nhập vào thành phố Cần Thơ, 72 xã đã số hóa 100% hồ sơ."
    assert areas(body) == [("72", "Việt Nam"), ("100%", "Việt Nam")]


def test_a_place_before_the_merger_verb_stays_the_subject():
    # The subject stands before the verb: the part that merged, or the unit formed.
    body = "Tỉnh Hậu Giang trước khi sáp nhập vào Cần Thơ có 54 xã, phường."
    assert areas(body) == [("54", "Hậu Giang")]
    body = "Thành phố Cần Thơ sau hợp nhất với Sóc Trăng có 103 xã, phường, đạt 88% kế hoạch."
    assert areas(body) == [("103", "Cần Thơ"), ("88%", "Cần Thơ")]


def test_a_place_named_after_the_merger_clause_is_the_subject_again():
    body = "Sau khi hợp nhất với Bình Dương, tại Hồ Chí Minh có 168 phường, xã."
    assert areas(body) == [("168", "Hồ Chí Minh")]
    body = "Sau khi hợp nhất với tỉnh Hà Giang, Tuyên Quang đã cấp 412.000 tài khoản VNeID."
    assert areas(body) == [("412.000", "Tuyên Quang")]


# --- a province placed in a band of a ranking ("nằm trong nhóm 5 địa phương dẫn đầu") ---------

def test_a_group_of_provinces_the_subject_is_placed_in_is_its_band_not_a_national_count():
    title = "Đà Nẵng: chuyển đổi số năm 2024"
    body = ("Thành phố phấn đấu năm 2026 lọt vào nhóm 10 tỉnh, thành phố dẫn đầu cả nước về PAPI, "
            "tỷ lệ hồ sơ được số hóa đạt 90%.\n\n"
            "Năm 2024, thành phố thuộc nhóm 3 địa phương có chỉ số hài lòng cao nhất, đạt 96,2%.")
    assert areas(body, title=title) == [
        ("10", "Đà Nẵng"), ("90%", "Đà Nẵng"), ("3", "Đà Nẵng"), ("96,2%", "Đà Nẵng")]


def test_counts_of_provinces_outside_a_band_stay_national():
    title = "Đà Nẵng: chuyển đổi số năm 2024"
    body = ("Cả nước có 14 tỉnh đạt trên 70%.\n\n"
            "Nhóm 10 tỉnh dẫn đầu có tỷ lệ bình quân 85%.\n\n"
            "Đà Nẵng là một trong bốn địa phương có 100% xã kết nối.\n\n"
            "Tỷ lệ của cả nước đạt 47%.")
    assert areas(body, title=title) == [
        ("14", "Việt Nam"), ("70%", "Việt Nam"), ("10", "Việt Nam"), ("85%", "Việt Nam"),
        ("bốn", "Việt Nam"), ("100%", "Đà Nẵng"), ("47%", "Việt Nam")]
