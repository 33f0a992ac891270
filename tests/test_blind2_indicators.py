"""Indicator rules the second held-out gold (tests/gold_blind2/) showed missing, on sentences
written for these tests (other wordings, places and numbers than the blind articles'): each rule
in one or more wordings, and the nearby sentences it must leave as they were."""

from __future__ import annotations

import pytest

from extractors.extract import extract

PUBLISHED = "2025-08-01"


def indicators(body: str, title: str | None = None) -> dict[str, str | None]:
    """figure as written -> its indicator (each figure written once in the bodies below)."""
    return {o["text"]: o["indicator"] for o in extract(body, PUBLISHED, title=title)["observations"]}


# --- a rank among countries is EGDI only where the survey is named near it, or leads the article --

OTHER_RANKING = ("Theo đo kiểm của Speedtest, trong tháng 5/2025 tốc độ băng rộng cố định của Việt Nam "
                 "xếp thứ 34/150 quốc gia, tăng 4 bậc so với tháng 2/2025.\n\n"
                 "Số thuê bao băng rộng cố định đạt 24,3 triệu.\n\n"
                 "Theo Khảo sát Chính phủ điện tử của Liên Hợp Quốc năm 2024, Việt Nam xếp thứ 71/193 "
                 "quốc gia; Đan Mạch đứng thứ 1 thế giới.")


def test_another_ranking_in_an_article_that_mentions_the_survey_is_not_egdi():
    got = indicators(OTHER_RANKING, title="Tốc độ băng rộng cố định của Việt Nam xếp thứ 34 thế giới")
    assert got["34/150"] is None and got["4 bậc"] is None
    assert got["71/193"] == "egdi_rank" and got["1"] == "egdi_rank"      # the survey's own paragraph


def test_ranks_of_an_article_led_by_the_survey_stay_egdi():
    body = ("Theo Khảo sát Chính phủ điện tử năm 2024 của Liên Hợp Quốc, Việt Nam xếp thứ 71/193 quốc gia.\n\n"
            "Ở nhóm dẫn đầu, Phần Lan đứng thứ 5, tăng 2 bậc; Nhật Bản xếp thứ 13.")
    got = indicators(body, title="Việt Nam tăng 15 bậc về Chính phủ điện tử")
    assert got["5"] == "egdi_rank" and got["13"] == "egdi_rank" and got["2 bậc"] == "egdi_rank"


def test_survey_named_in_the_title_only_still_leads_the_article():
    body = "Năm 2024, Việt Nam xếp thứ 71/193 quốc gia.\n\nHàn Quốc đứng thứ 4, giảm một bậc."
    got = indicators(body, title="Việt Nam xếp thứ 71/193 trong bảng xếp hạng EGDI năm 2024")
    assert got["4"] == "egdi_rank"
