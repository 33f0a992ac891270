"""Legal document symbols (extractors.legal)."""

import pytest

from extractors.extract import extract
from extractors.legal import extract_legal_refs


@pytest.mark.parametrize("text, symbol, type_", [
    ("theo Nghị quyết số 76/NQ-CP", "76/NQ-CP", "Nghị quyết"),
    ("Quyết định 06/QĐ-TTg", "06/QĐ-TTg", "Quyết định"),
    ("tại Nghị định số 45/2020/NĐ-CP", "45/2020/NĐ-CP", "Nghị định"),
    ("theo 01/2015/TTLT-BTP-BTC", "01/2015/TTLT-BTP-BTC", "Thông tư liên tịch"),
    ("Luật số 20/2023/QH15", "20/2023/QH15", "Luật"),
    ("20/2023/QH15 được thông qua", "20/2023/QH15", "Luật"),
    ("Nghị quyết 57-NQ/TW của Bộ Chính trị", "57-NQ/TW", "Nghị quyết"),
    ("Nghị quyết 66.7/2025/NQ-CP", "66.7/2025/NQ-CP", "Nghị quyết"),
    ("Công văn 1234/BTTTT-CĐSQG", "1234/BTTTT-CĐSQG", "Công văn"),
    ("văn bản 1234/BTTTT-CĐSQG", "1234/BTTTT-CĐSQG", "Công văn"),
    ("số 02/CT-TTg", "02/CT-TTg", "Chỉ thị"),
    ("Nghị quyết số 30c/NQ-CP", "30c/NQ-CP", "Nghị quyết"),
    ("theo 13/2023/TT-BNV", "13/2023/TT-BNV", "Thông tư"),
])
def test_symbol_forms_and_types(text, symbol, type_):
    (ref,) = extract_legal_refs(text)
    assert (ref["symbol"], ref["type"]) == (symbol, type_)


def test_issue_date_right_after_the_symbol():
    (ref,) = extract_legal_refs("Thông tư 13/2023/TT-BNV ngày 31/8/2023 hướng dẫn")
    assert ref["issued"] == "2023-08-31"
    (ref,) = extract_legal_refs("Quyết định số 06/QĐ-TTg ngày 06 tháng 01 năm 2022")
    assert ref["issued"] == "2022-01-06"
    (ref,) = extract_legal_refs("Ngày 26/4/2022, Thủ tướng ký Chỉ thị số 02/CT-TTg về")
    assert ref["issued"] is None


def test_one_entry_per_document_and_later_date_fills_in():
    text = "Quyết định 422/QĐ-TTg; ... theo Quyết định số 422/QĐ-TTg ngày 4/4/2022."
    refs = extract_legal_refs(text)
    start = text.index("422")
    assert refs == [{"symbol": "422/QĐ-TTg", "type": "Quyết định", "issued": "2022-04-04",
                     "start": start, "end": start + len("422/QĐ-TTg")}]


def test_programme_names_are_not_symbols():
    assert extract_legal_refs("kế hoạch triển khai Đề án 06/CP và Nghị quyết 17") == []


def test_symbols_are_not_observations_and_offsets_point_at_them():
    body = "Theo Nghị quyết số 76/NQ-CP ngày 15/7/2021, có 36/63 địa phương."
    out = extract(body, "2023-11-16")
    assert [o["text"] for o in out["observations"]] == ["36/63"]
    ref = out["legal_refs"][0]
    assert body[ref["start"]:ref["end"]] == "76/NQ-CP"


def test_dash_and_space_variants_normalise():
    (ref,) = extract_legal_refs("Nghị quyết 76/NQ – CP")
    assert ref["symbol"] == "76/NQ-CP"
