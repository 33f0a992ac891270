"""Text written without diacritics (gold_blind4 hen03/hen04 class): read as the same text with
its diacritics (extractors/plain.py). Sentences are our own, not the gold's."""

from extractors.extract import extract
from extractors.plain import looks_plain, respelled


def _obs(body, published="2024-10-15", **kw):
    return extract(body, published, **kw)["observations"]


def _by_text(obs):
    return {o["text"]: o for o in obs}


def test_qualifiers_without_diacritics():
    got = _by_text(_obs("Nam qua, cac xa tren dia ban tinh Quang Tri da giai quyet hon 250 nghin ho so, "
                        "trong do gan 40% ho so duoc nop truc tuyen, khoang 300 ho so tre han va duoi 2% "
                        "ho so phai bo sung."))
    assert got["250 nghin"]["qualifier"] == "at_least"
    assert got["250 nghin"]["value"] == 250000
    assert got["40%"]["qualifier"] == "approx"
    assert got["300"]["qualifier"] == "approx"
    assert got["2%"]["qualifier"] == "at_most"


def test_periods_and_changes_without_diacritics():
    got = _by_text(_obs("Trong 9 thang dau nam 2024, cac co quan cua tinh da tiep nhan 48.300 ho so, "
                        "tang 12,5% so voi cung ky nam 2023; ty le dung han giam 1,4 diem phan tram."))
    assert got["48.300"]["as_of"] == "2024-09-30"
    assert got["48.300"]["period_start"] == "2024-01-01"
    assert got["12,5%"]["change"] is True and got["12,5%"]["kind"] == "percent"
    assert got["12,5%"]["as_of"] == "2024-09-30"
    assert got["1,4 diem phan tram"]["kind"] == "percent"
    assert got["1,4 diem phan tram"]["change"] is True
    assert "9" not in got          # "9 thang" is a duration, not a count


def test_end_of_year_and_quarter_without_diacritics():
    got = _by_text(_obs("Tinh phan dau den het nam 2025 co tren 85% ho so duoc so hoa. Trong quy II/2024, "
                        "tinh tiep nhan 1.250 ho so truc tuyen.", published="2024-08-01"))
    assert got["85%"]["as_of"] == "2025-12-31"
    assert got["85%"]["qualifier"] == "at_least"
    assert got["85%"]["indicator"] is None          # a target
    assert got["1.250"]["as_of"] == "2024-06-30"


def test_units_money_and_multiples_without_diacritics():
    got = _by_text(_obs("Nguoi dan da thanh toan truc tuyen 3.400 giao dich voi tong so tien 12,8 ty dong; "
                        "so giao dich tang gan 2,5 lan so voi nam truoc."))
    assert got["12,8 ty dong"]["kind"] == "money"
    assert got["12,8 ty dong"]["value"] == 12_800_000_000
    assert got["2,5 lan"]["kind"] == "multiple"
    assert got["2,5 lan"]["qualifier"] == "approx"


def test_ranks_labels_and_dates_without_diacritics():
    got = _by_text(_obs("Ve chi so chuyen doi so, tinh Quang Tri xep thu 12/63 tinh, thanh pho, tang 3 bac. "
                        "Thang 8/2024, tinh cap 2.100 tai khoan dinh danh dien tu muc do 2 cho nguoi dan."))
    assert got["12/63"]["kind"] == "rank"
    assert got["3 bac"]["kind"] == "rank" and got["3 bac"]["change"] is True
    assert "8/2024" not in got     # a month, not a ratio
    assert "2" not in got          # "muc do 2" is a label
    assert got["2.100"]["as_of"] == "2024-08-31"


def test_spelled_count_and_place_without_diacritics():
    obs = _obs("Bon nhom thu tuc duoc uu tien so hoa. Tai Da Nang, 96% ho so duoc giai quyet dung han "
               "trong thang 9/2024.")
    got = _by_text(obs)
    assert got["Bon"]["value"] == 4 and got["Bon"]["kind"] == "count"
    assert got["96%"]["area"] == "Đà Nẵng"


def test_strings_are_the_text_as_written():
    body = "Trong 6 thang dau nam 2024, tinh da tiep nhan hon 120 nghin ho so thu tuc hanh chinh."
    (o,) = _obs(body)
    assert o["text"] == "120 nghin" and body[o["start"]:o["end"]] == o["text"]
    assert o["sentence"] == body
    assert o["subject"] == "ho so thu tuc hanh chinh"


# --- negative: what is not touched ---------------------------------------------------------

def test_text_with_diacritics_is_read_as_written():
    # one word typed without its marks in a text that has them stays as written ("hon" is no
    # qualifier there): only a text with no diacritic at all is respelled.
    body = "Trong 6 tháng đầu năm 2024, tỉnh đã tiếp nhận hon 120 nghìn hồ sơ thủ tục hành chính."
    assert not looks_plain(body)
    (o,) = _obs(body)
    assert o["qualifier"] == "exact"


def test_english_or_short_text_is_not_respelled():
    english = "The ministry received more than 1,200 applications over the first six months of 2024."
    assert not looks_plain(english)
    assert not looks_plain("tang 5 bac")      # too short to tell
    assert respelled("Ong Hoang noi") .startswith("Ong Hoang")   # words the data lack stay as written


def test_respelling_keeps_every_offset():
    text = "Tinh den ngay 31/10/2024, ca nuoc co hon 70 trieu tai khoan; rieng thang 10 tang 1,2 trieu."
    assert len(respelled(text)) == len(text)
    assert respelled(text).startswith("Tính đến ngày 31/10/2024, cả nước có hơn 70 triệu tài khoản")


# --- legal symbols: a type code typed without its "Đ" ---------------------------------------

_PLAIN_LEGAL = ("Thuc hien Nghi dinh so 45/2020/ND-CP ngay 9/4/2020 cua Chinh phu va Quyet dinh so "
                "12/QD-UBND cua tinh, nam 2024 tinh da tiep nhan hon 30 nghin ho so truc tuyen.")


def test_plain_symbol_codes_take_their_d_with_stroke():
    refs = {r["symbol"]: r for r in extract(_PLAIN_LEGAL, "2024-12-20")["legal_refs"]}
    assert set(refs) == {"45/2020/NĐ-CP", "12/QĐ-UBND"}
    assert refs["45/2020/NĐ-CP"]["type"] == "Nghị định"


def test_symbol_in_text_with_diacritics_stays_as_written():
    body = "Thực hiện Nghị định số 45/2020/ND-CP, năm 2024 tỉnh đã tiếp nhận hơn 30 nghìn hồ sơ."
    assert [r["symbol"] for r in extract(body, "2024-12-20")["legal_refs"]] == ["45/2020/ND-CP"]


# --- what respelling leaves alone: codes of symbols, names -----------------------------------

def test_codes_of_a_symbol_are_not_respelled():
    body = ("Thuc hien Nghi quyet so 07-NQ/TU cua Tinh uy, nam 2024 cac xa da tiep nhan hon 20 nghin "
            "ho so truc tuyen, tang 8% so voi nam truoc.")
    assert [r["symbol"] for r in extract(body, "2024-12-20")["legal_refs"]] == ["07-NQ/TU"]
    assert respelled(body).startswith("Thực hiện Nghị quyết số 07-NQ/TU")


def test_a_spelled_number_in_a_name_is_no_count():
    got = _by_text(_obs("Tai cac huyen mien nui Ba To va Son Ha, ty le ho so truc tuyen dat 61%, "
                        "trong khi ba huyen dong bang dat tren 90%."))
    assert "Ba" not in got                       # "Ba Tơ" is a district
    assert got["ba"]["value"] == 3               # "ba huyện" is a count
    assert got["90%"]["qualifier"] == "at_least"
