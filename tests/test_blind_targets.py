"""A target is an observation with no indicator (tests/gold_blind/README.md): a plan's figure
("phấn đấu … đạt 80%", "đặt mục tiêu ít nhất 90%", "yêu cầu … phải …") placed in an indicator's
series would sit beside the actuals of the same date and be flagged as a conflict with them.
The cue words live in schemas/indicators.yaml (target_before, target_not,
target_outcome_between); these sentences are written for the test, not taken from any article."""

import pytest

from extractors.extract import extract

PUBLISHED = "2024-03-15"


def _indicators(text: str) -> dict:
    return {o["text"]: o["indicator"] for o in extract(text, PUBLISHED)["observations"]}


@pytest.mark.parametrize("text, figure", [
    # a verb of aiming, with different measures and numbers
    ("Năm 2025, thành phố phấn đấu có 75% hồ sơ thủ tục hành chính được nộp trực tuyến.", "75%"),
    ("Sở Tư pháp phấn đấu kích hoạt thêm 350.000 tài khoản định danh điện tử trong năm.", "350.000"),
    # "đặt mục tiêu" / "chỉ tiêu" / "theo kế hoạch": the plan names the figure
    ("Huyện đặt mục tiêu tối thiểu 95% hồ sơ thủ tục hành chính được số hóa.", "95%"),
    ("Chỉ tiêu năm nay của tỉnh là 65% hồ sơ nộp trực tuyến.", "65%"),
    ("Theo kế hoạch, đến quý IV, 85% hồ sơ thủ tục hành chính được số hóa.", "85%"),
    # a demand, then a list of targets after a colon, across ";"
    ("Chủ tịch UBND tỉnh yêu cầu các sở trong năm 2025 phải bảo đảm: 100% hồ sơ được số hóa; "
     "ít nhất 70% hồ sơ nộp trực tuyến.", "70%"),
    ("Bộ đề nghị các địa phương bảo đảm ít nhất 60% hồ sơ nộp trực tuyến trong quý II.", "60%"),
    # a plan's horizon opening the sentence (no "hết", no "đã")
    ("Đến năm 2030, 100% hồ sơ thủ tục hành chính được số hóa.", "100%"),
])
def test_a_figure_a_target_cue_governs_gets_no_indicator(text, figure):
    assert _indicators(text)[figure] is None


@pytest.mark.parametrize("text, figure, indicator", [
    # the same measures reported as actuals keep their indicator
    ("Năm 2023, thành phố có 75% hồ sơ thủ tục hành chính được nộp trực tuyến.", "75%", "online_application_rate"),
    ("Huyện có 95% hồ sơ thủ tục hành chính được số hóa.", "95%", "records_digitized_rate"),
    # reached, exceeded, carried out: an actual
    ("Năm 2023, tỉnh đã đạt mục tiêu với 82% hồ sơ nộp trực tuyến.", "82%", "online_application_rate"),
    ("Thành phố vượt chỉ tiêu, có 91% hồ sơ thủ tục hành chính được số hóa.", "91%", "records_digitized_rate"),
    ("Tỉnh hoàn thành kế hoạch năm với 78% hồ sơ nộp trực tuyến.", "78%", "online_application_rate"),
    # a target, then the outcome reported after it
    ("Mục tiêu năm 2023 là 80%, nhưng tỉnh mới có 64% hồ sơ nộp trực tuyến.", "64%", "online_application_rate"),
    ("Theo kế hoạch, tỉnh đã số hóa 88% hồ sơ thủ tục hành chính.", "88%", "records_digitized_rate"),
    # targets counted or reached, a need met, the state reached so far: actuals
    ("Năm 2023, huyện đạt 100% chỉ tiêu, với 86% hồ sơ nộp trực tuyến.", "86%", "online_application_rate"),
    ("Tỉnh có 15/18 chỉ tiêu đạt và vượt, trong đó 79% hồ sơ nộp trực tuyến.", "79%", "online_application_rate"),
    ("Hệ thống đáp ứng yêu cầu, 97% hồ sơ thủ tục hành chính được số hóa.", "97%", "records_digitized_rate"),
    ("Bộ yêu cầu các tỉnh báo cáo; hiện có 41% hồ sơ nộp trực tuyến.", "41%", "online_application_rate"),
    # "chỉ tiêu" as a criterion of an index, not a plan
    ("Ở nhóm chỉ tiêu về dịch vụ trực tuyến, tỉnh có tỷ lệ hồ sơ nộp trực tuyến đạt 71,4%.", "71,4%",
     "online_application_rate"),
    # "yêu cầu" / "đề nghị" as nouns, and a report's cut-off year
    ("Hệ thống nhận 2,4 tỷ yêu cầu xác thực; có 12 triệu tài khoản định danh điện tử được kích hoạt.",
     "12 triệu", "eid_accounts_activated"),
    ("Công an tiếp nhận 3.200 hồ sơ đề nghị cấp thẻ; 47% hồ sơ nộp trực tuyến.", "47%", "online_application_rate"),
    ("Tổng đài nhận 120 yêu cầu hỗ trợ; 52% hồ sơ nộp trực tuyến.", "52%", "online_application_rate"),
    ("Sở nhận 900 hồ sơ đề nghị hỗ trợ vốn; 44% hồ sơ nộp trực tuyến.", "44%", "online_application_rate"),
    ("Đến hết năm 2023, 93% hồ sơ thủ tục hành chính được số hóa.", "93%", "records_digitized_rate"),
])
def test_an_actual_near_target_words_keeps_its_indicator(text, figure, indicator):
    assert _indicators(text)[figure] == indicator


def test_a_target_in_a_sentence_leaves_the_actual_before_it_alone():
    got = _indicators("Năm 2023, tỉnh có 58% hồ sơ nộp trực tuyến, còn xa mục tiêu 80%.")
    assert got == {"58%": "online_application_rate", "80%": None}
