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
_CODE_CHAR = rf"[{_UP}a-zđâăêôơư0-9]"
_CODE = rf"[{_UP}]{_CODE_CHAR}*"
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
# "57-NQ/TW". The lookbehind (after the first digit, so the engine can still skip ahead to digits)
# starts it at a run's first digit; only the whole run can be followed that way, so the lookahead
# tests the run's end.
_SYMBOL_RUN_RE = re.compile(r"\d(?<!\d\d)\d*(?=[a-z]?(?:\.\d{1,3})?(?:/|\s?[-–]))")
# Every symbol holds a "/" followed by a code word or by a year and "/" (norm "45/2020/…", admin
# "76/NQ-CP", party "57-NQ/TW"): a literal the engine jumps to, where most "/" in an article are
# dates ("30/6/2024") or shares ("10/10 huyện"). Only digit runs just before such a "/" are tried.
_SYMBOL_SLASH_RE = re.compile(rf"/(?=[{_UP}]|(?:19|20)\d\d/)")
_CODE_CHARS = frozenset(ch for ch in map(chr, range(0x1F00)) if re.fullmatch(_CODE_CHAR, ch))
# How far before the code word ending at such a "/" a symbol's number can end: "\s?[-–]\s?"
# (party) then "[a-z]?(?:\.\d{1,3})?" after the digits, 8 characters at most.
_NUMBER_REACH = 8
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
# The same pattern read backwards from the symbol, as a match on the reversed window: one attempt
# where the search above tries each of the 40 positions (its lookbehind keeps the engine from
# skipping any). The tail before the symbol fixes where a type word must end, and of the words
# ending there the search takes the leftmost, so the longest comes first. Only the lookbehind's
# view of the character before the window is lost: a word reaching the window's start takes the
# search.
_TYPE_BEFORE_REVERSED_RE = re.compile(
    r"\s*:?(?:\s*ốs)?\s+("
    + "|".join(w[::-1].replace(" ", r"\s+") for w in sorted(_TYPE_WORDS, key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)
_DASH_SPACES_RE = re.compile(r"\s*[-–]\s*")
_SPACES_RE = re.compile(r"\s+")
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
    return _DASH_SPACES_RE.sub("-", raw.strip())


def find_references(text: str) -> list[LegalRef]:
    """Every symbol occurrence in `text` (repeats included), left to right."""
    refs = []
    if "/" not in text:
        return refs           # every symbol shape has one
    last_end = 0
    for run in _symbol_runs(text):
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


def _symbol_runs(text: str):
    """The `_SYMBOL_RUN_RE` runs a symbol can start at, left to right: those ending at most
    `_NUMBER_REACH` characters before the code word that ends at a symbol's "/". That code word is
    the whole stretch of code characters before the "/" (a dash or a space precedes a party
    symbol's code, the "/" itself follows a number), so no symbol's run is left out."""
    scanned = 0
    for slash in _SYMBOL_SLASH_RE.finditer(text):
        end = slash.start()
        code = end
        while code and text[code - 1] in _CODE_CHARS:
            code -= 1
        lo = max(code - _NUMBER_REACH, scanned)
        while lo and text[lo - 1].isdecimal():   # a run that crosses lo starts before it (\d = Nd)
            lo -= 1
        # Windows stop at a "/", never inside a run: each run is yielded once.
        yield from _SYMBOL_RUN_RE.finditer(text, lo, end + 1)
        scanned = end + 1


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
    word = _type_word_before(text, m.start())
    if word is not None:
        word = _SPACES_RE.sub(" ", word)
        return word[0].upper() + word[1:].lower()
    return TYPE_CODES.get(_type_code(m, symbol), "Công văn")


def _type_word_before(text: str, start: int) -> str | None:
    """`_TYPE_BEFORE_RE`'s word in the 40 characters before `start`, as written, or None."""
    lo = max(0, start - 40)
    window = text[lo:start][::-1]
    before = _TYPE_BEFORE_REVERSED_RE.match(window)
    if before is None:
        return None
    if before.end() == len(window) and lo:     # the search's lookbehind sees text[lo - 1]
        before = _TYPE_BEFORE_RE.search(text, lo, start)
        return before and before.group(1)
    return before.group(1)[::-1]


def _type_code(m: re.Match, symbol: str) -> str:
    if m.group("party"):
        return symbol.split("/")[0].split("-", 1)[1]
    tail = symbol.split("/")[-1]
    if m.group("norm") and re.fullmatch(r"(?:UBTV)?QH\d+", tail):
        return "QH"
    return tail.split("-")[0]
