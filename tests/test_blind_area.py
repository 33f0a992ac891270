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
    assert areas("Thành phố Mỹ Tho có 2.300 hồ sơ trực tuyến.") == [("2.300", "Việt Nam")]
    assert areas("Huyện Bắc Trà Mỹ đã số hóa 640 hồ sơ.") == [("640", "Việt Nam")]
    assert areas("Các nước Mỹ Latinh có 33 thành viên.") == [("33", "Việt Nam")]
    # Standing alone, after a lower-case word or first in its sentence, it is the country.
    assert areas("Chính phủ Mỹ cung cấp 1.200 dịch vụ trực tuyến.") == [("1.200", "Hoa Kỳ")]
    assert areas("Tại Úc, 95% dịch vụ công được cung cấp trực tuyến.") == [("95%", "Australia")]
    assert areas("Hàn Quốc, Mỹ và Nhật Bản có 3 nền tảng chung.")[0][1] == "Nhật Bản"

