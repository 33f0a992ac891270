"""Publication-time parsing: every format the sites show, table-driven."""

import pytest

from extractors.dates import parse, parse_iso, parse_vietnamese

VISIBLE = [
    ("Thứ tư, 24/04/2024 - 14:29", "2024-04-24T14:29:00+07:00"),           # thanhtra.com.vn
    ("06:52 | 11/03/2021 GMT+7", "2021-03-11T06:52:00+07:00"),             # thoidai.com.vn
    ("16/11/2023 | 04:19 AM", "2023-11-16T04:19:00+07:00"),                # ministry portal
    ("16/11/2023 | 04:19 PM", "2023-11-16T16:19:00+07:00"),
    ("12/12/2023 12:05 AM", "2023-12-12T00:05:00+07:00"),                  # midnight hour
    ("01/02/2024 12:30 PM", "2024-02-01T12:30:00+07:00"),                  # noon stays 12
    ("Chuyển đổi số - Ngày đăng : 12:14, 19/04/2023", "2023-04-19T12:14:00+07:00"),
    ("Cập nhật: 28/04/2022 08:31", "2022-04-28T08:31:00+07:00"),
    ("28/04/2022 08:31 A+| A-| In bài viết", "2022-04-28T08:31:00+07:00"),  # Liferay portal
    ("24/04/2024 14:29", "2024-04-24T14:29:00+07:00"),                     # dd/mm/yyyy HH:MM
    ("24-04-2024 14:29:05", "2024-04-24T14:29:05+07:00"),
    ("14h29 ngày 24/4/2024", "2024-04-24T14:29:00+07:00"),
    ("Thứ Hai, 01/01/2024, 09:00 (GMT+7)", "2024-01-01T09:00:00+07:00"),
    ("06:52 | 11/03/2021 GMT+9", "2021-03-11T04:52:00+07:00"),             # converted to +07:00
    ("ngày 24 tháng 4 năm 2024", "2024-04-24T00:00:00+07:00"),
    ("Ngày ban hành: 15/07/2021", "2021-07-15T00:00:00+07:00"),            # date only
]

ISO = [
    ("2024-04-24T14:29:00+07:00", "2024-04-24T14:29:00+07:00"),
    ("2024-04-24T07:29:00Z", "2024-04-24T14:29:00+07:00"),
    ("2024-04-24T14:29:00.000+0700", "2024-04-24T14:29:00+07:00"),
    ("2024-04-24T14:29", "2024-04-24T14:29:00+07:00"),                     # no zone: Viet Nam time
    ("2024-04-24 14:29:00", "2024-04-24T14:29:00+07:00"),
    ("2024-04-24", "2024-04-24T00:00:00+07:00"),
]

INVALID = ["", None, "Tin tức", "31/02/2024 10:00", "quý I năm 2024", "36/63 địa phương"]


@pytest.mark.parametrize(("text", "expected"), VISIBLE)
def test_visible_vietnamese_date_lines(text, expected):
    assert parse_vietnamese(text) == expected
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), ISO)
def test_iso_metadata(text, expected):
    assert parse_iso(text) == expected
    assert parse(text) == expected


@pytest.mark.parametrize("text", INVALID)
def test_no_date(text):
    assert parse(text) is None


def test_first_date_wins_when_a_line_has_two():
    line = "Ngày đăng: 12:14, 19/04/2023 | Cập nhật: 08:00, 20/04/2023"
    assert parse(line) == "2023-04-19T12:14:00+07:00"
