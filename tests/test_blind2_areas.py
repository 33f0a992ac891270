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


# --- a national ministry or agency as the subject of a clause ------------------------------------

PROVINCIAL = "Bắc Giang: kết quả Đề án 06 năm 2024"


def test_a_ministry_or_national_agency_as_a_clauses_subject_reports_nationwide_figures():
    body = ("Tỉnh đã cấp 1,2 triệu thẻ căn cước.\n\n"
            "Bộ Y tế ước tính, việc dùng sổ sức khỏe điện tử giúp tiết kiệm khoảng 2.000 tỷ đồng mỗi năm.\n\n"
            "Theo thống kê của Văn phòng Chính phủ, 12 triệu hồ sơ đã được đồng bộ.\n\n"
            "Thứ trưởng Bộ Nội vụ cho biết, 8.200 thủ tục đã được rà soát.\n\n"
            "Trong năm 2024, Thủ tướng Chính phủ đã phê duyệt 7 phương án phân cấp.")
    assert areas(body, title=PROVINCIAL) == [
        ("1,2 triệu", "Bắc Giang"), ("2.000 tỷ đồng", "Việt Nam"), ("12 triệu", "Việt Nam"),
        ("8.200", "Việt Nam"), ("7", "Việt Nam")]


def test_a_place_or_the_province_named_after_the_ministry_stays_the_subject():
    body = ("Theo Bộ Công an, Quảng Trị đã kích hoạt 412.000 tài khoản.\n\n"
            "Theo Bộ Nội vụ, chỉ số hài lòng của tỉnh đạt 86,3%.\n\n"
            "Bộ Công an cho biết, Công an tỉnh đã cấp 35.000 thẻ trong tháng 9.")
    assert areas(body, title=PROVINCIAL) == [
        ("412.000", "Quảng Trị"), ("86,3%", "Bắc Giang"), ("35.000", "Bắc Giang")]


def test_provincial_bodies_and_a_ministry_named_as_an_object_are_no_national_subject():
    body = ("Sở Thông tin và Truyền thông ước tính, việc này giúp tiết kiệm 210 tỷ đồng mỗi năm.\n\n"
            "Công an tỉnh ước tính đã cấp 96% thẻ cho công dân đủ điều kiện.\n\n"
            "Bộ Chỉ huy Quân sự đã số hóa 1.500 hồ sơ.\n\n"
            "Tỉnh đã phối hợp với Bộ Công an cấp 30.000 thẻ.\n\n"
            "Chính phủ điện tử của địa phương đã kết nối 48 hệ thống.")
    assert areas(body, title=PROVINCIAL) == [
        ("210 tỷ đồng", "Bắc Giang"), ("96%", "Bắc Giang"), ("1.500", "Bắc Giang"),
        ("30.000", "Bắc Giang"), ("48", "Bắc Giang")]


def test_every_national_agency_passes_the_gate_in_front_of_its_pattern():
    from extractors import areas as places
    from extractors.lexicon import load
    for name in load("areas")["subjects"]["national_agencies"]:
        assert places.names_agency(name), name
        assert places.agency_subjects(name + " cho biết", 0, len(name) + 9) == [0], name


def test_every_merger_verb_holds_one_of_the_words_its_gate_looks_for():
    from extractors import areas as places
    for verb in ("hợp nhất với", "hợp nhất", "sáp nhập vào", "sáp nhập với", "sáp nhập cùng", "nhập vào",
                 "nhập với"):
        assert places._MERGER_BEFORE_RE.search(verb + " "), verb
        assert any(w in verb for w in places._MERGER_WORDS), verb


# --- "của Việt Nam", "của cả nước": the nation's own figure, not a yardstick ---------------------

def test_the_nations_own_figure_after_cua_is_national_in_a_provincial_article():
    body = ("Chỉ số dịch vụ trực tuyến (OSI) của Việt Nam năm 2024 tăng 12 bậc.\n\n"
            "Tỷ lệ thanh toán trực tuyến của cả nước trong 6 tháng đạt 38,5%.")
    assert areas(body, title=PROVINCIAL) == [("12 bậc", "Việt Nam"), ("38,5%", "Việt Nam")]


def test_the_nation_as_a_yardstick_stays_one():
    body = ("Tỷ lệ của tỉnh cao hơn mức bình quân chung của cả nước, đứng thứ 4 khu vực.\n\n"
            "Tỉnh dẫn đầu cả nước với 97,2% hồ sơ được số hóa.")
    assert areas(body, title=PROVINCIAL) == [("4", "Bắc Giang"), ("97,2%", "Bắc Giang")]
