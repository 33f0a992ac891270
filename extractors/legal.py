"""Legal-document references (số ký hiệu) in article text.

Why: articles cite the decrees, decisions and resolutions behind a programme; the references
link figures to policy. Vietnamese symbols come in three shapes (Decree 30/2020/NĐ-CP):
administrative `số/LOẠI-CƠ QUAN` ("76/NQ-CP", official letters "1234/BTTTT-CĐSQG"), normative
`số/năm/LOẠI-CƠ QUAN` ("45/2020/NĐ-CP", "01/2015/TTLT-BTP-BTC", laws "20/2023/QH15") and Party
`số-LOẠI/CƠ QUAN` ("57-NQ/TW"); numbers may carry a dot ("66.7/2025/NQ-CP"). A code without an
agency part ("Đề án 06/CP") is a programme name, not a symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# A code word: starts with a capital, then letters/digits ("TTg", "QyĐ", "CĐSQG", "QH15").
_UP = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
_CODE = rf"[{_UP}][{_UP}a-zđâăêôơư0-9]*"
_DASH = r"\s?[-–]\s?"
_NUM = r"\d{1,5}[a-z]?(?:\.\d{1,3})?"     # "30c/NQ-CP", "66.7/2025/NQ-CP"
# No leading lookbehind (it would stop the engine skipping to digits): checked in Python.
SYMBOL_RE = re.compile(
    rf"(?:"
    rf"(?P<norm>{_NUM}/(?:19|20)\d{{2}}/(?:{_CODE}(?:{_DASH}{_CODE})+|QH\d{{1,2}}|UBTVQH\d{{1,2}}))"
    rf"|(?P<party>{_NUM}{_DASH}{_CODE}/{_CODE}(?:{_DASH}{_CODE})*)"
    rf"|(?P<admin>{_NUM}/{_CODE}(?:{_DASH}{_CODE})+)"
    rf")(?![\w/])"
)
# Digit runs that go on the way a symbol's number does: its letter, ".7", then "/" or the dash of
# "57-NQ/TW". Most digit runs in an article are figures ("1.234 hồ sơ"); this one scan in C skips
# them, where a Python loop over every run cost most of find_references' time. The lookbehind
# (after the first digit, so the engine can still skip ahead to digits) starts it at a run's first
# digit; only the whole run can be followed that way, so the lookahead tests the run's end.
_SYMBOL_RUN_RE = re.compile(r"\d(?<!\d\d)\d*(?=[a-z]?(?:\.\d{1,3})?(?:/|\s?[-–]))")
_ISSUED_RE = re.compile(
    r"\s*,?\s*(?:được\s+)?(?:ban\s+hành\s+|ký\s+)?(?:vào\s+)?ngày\s+"
    r"(?:(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})"
    r"|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2}))",
    re.IGNORECASE,
)
_TYPE_WORDS = ["Thông tư liên tịch", "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị", "Thông tư",
               "Luật", "Công văn", "Kế hoạch", "Quy định", "Hướng dẫn", "Thông báo",
               "Kết luận", "Công điện", "Pháp lệnh", "Quy chế", "Chương trình", "Tờ trình", "Báo cáo",
               "Đề án", "Phương án", "Lệnh"]
_TYPE_BEFORE_RE = re.compile(
    r"(?<!\w)(" + "|".join(w.replace(" ", r"\s+") for w in _TYPE_WORDS) + r")\s+(?:số\s*)?:?\s*$",
    re.IGNORECASE,
)
# Type code -> type in words (Decree 30/2020/NĐ-CP, appendix I).
TYPE_CODES = {
    "NQ": "Nghị quyết", "NĐ": "Nghị định", "QĐ": "Quyết định", "CT": "Chỉ thị", "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch", "QH": "Luật", "QC": "Quy chế", "QyĐ": "Quy định", "TB": "Thông báo",
    "HD": "Hướng dẫn", "CTr": "Chương trình", "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án",
    "BC": "Báo cáo", "TTr": "Tờ trình", "KL": "Kết luận", "CĐ": "Công điện", "TC": "Tờ trình",
    "PL": "Pháp lệnh", "L": "Lệnh",
}


@dataclass(frozen=True)
class LegalRef:
    symbol: str
    type: str
    issued: str | None
    start: int        # offsets of the symbol as written
    end: int
    issued_end: int   # end of the "ngày …" that follows, or `end`

    def as_dict(self) -> dict:
        return {"symbol": self.symbol, "type": self.type, "issued": self.issued,
                "start": self.start, "end": self.end}


def normalise_symbol(raw: str) -> str:
    """"76/NQ – CP" -> "76/NQ-CP": one hyphen-minus, no spaces."""
    return re.sub(r"\s*[-–]\s*", "-", raw.strip())


def find_references(text: str) -> list[LegalRef]:
    """Every symbol occurrence in `text` (repeats included), left to right."""
    refs = []
    if "/" not in text:
        return refs           # every symbol shape has one
    last_end = 0
    for run in _SYMBOL_RUN_RE.finditer(text):
        # Every symbol starts with its number, at most 5 digits: one attempt per digit run, where
        # its last 5 digits begin, finds what scanning every position would (and 4x faster).
        if run.start() < last_end:
            continue
        m = SYMBOL_RE.match(text, max(run.start(), run.end() - 5))
        if m is None:
            continue
        last_end = m.end()
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "/.-_"):
            continue
        symbol = normalise_symbol(m.group())
        issued, issued_end = _issued(text, m.end())
        refs.append(LegalRef(symbol, _type(text, m, symbol), issued, m.start(), m.end(), issued_end))
    return refs


def unique_references(refs: list[LegalRef]) -> list[dict]:
    """One entry per document, in order of first mention; a later mention may supply the date."""
    by_symbol: dict[str, dict] = {}
    for ref in refs:
        entry = by_symbol.get(ref.symbol)
        if entry is None:
            by_symbol[ref.symbol] = ref.as_dict()
        elif entry["issued"] is None and ref.issued:
            entry["issued"] = ref.issued
    return list(by_symbol.values())


def extract_legal_refs(text: str) -> list[dict]:
    return unique_references(find_references(text))


def _issued(text: str, pos: int) -> tuple[str | None, int]:
    m = _ISSUED_RE.match(text, pos)
    if not m:
        return None, pos
    d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        return date(int(y), int(mo), int(d)).isoformat(), m.end()
    except ValueError:
        return None, pos


def _type(text: str, m: re.Match, symbol: str) -> str:
    before = _TYPE_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
    if before:
        word = re.sub(r"\s+", " ", before.group(1))
        return word[0].upper() + word[1:].lower()
    return TYPE_CODES.get(_type_code(m, symbol), "Công văn")


def _type_code(m: re.Match, symbol: str) -> str:
    if m.group("party"):
        return symbol.split("/")[0].split("-", 1)[1]
    tail = symbol.split("/")[-1]
    if m.group("norm") and re.fullmatch(r"(?:UBTV)?QH\d+", tail):
        return "QH"
    return tail.split("-")[0]
